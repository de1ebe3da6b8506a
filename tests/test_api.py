"""kg.open: one entry point for notebooks, its answers as tables in Jupyter."""

import pytest

import kg
from kg.errors import InputError

from .conftest import ROOT


@pytest.fixture(scope="module")
def g():
    return kg.open(ROOT / "data")


def test_query_rows_values_and_html(g):
    rows = g.query("SELECT ?d ?head WHERE { ?d dip:headedBy/rdfs:label ?head } ORDER BY ?d")
    assert rows.variables == ["d", "head"] and len(rows) == 7
    assert rows.values()[0] == {"d": "https://w3id.org/diplomacy-kg/id/russian-delegation",
                                "head": "Vladimir Medinsky"}
    page = rows._repr_html_()
    assert page.count("<tr>") == 8 and "<td>kgr:russian-delegation</td>" in page
    assert str(rows).splitlines()[0].split() == ["d", "head"]  # as kg query prints it


def test_to_pandas(g):
    import pandas  # the test extra installs it; kg itself does not need it

    frame = g.query("SELECT ?n WHERE { ?c a dip:Country ; rdfs:label ?n } ORDER BY ?n").to_pandas()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame["n"]) == ["Russia", "Turkey", "Ukraine", "United States"]


def test_ask_and_construct(g):
    assert bool(g.query("ASK { kgr:russia ?p ?o }")) is True
    built = g.query("CONSTRUCT { ?d dip:headedBy ?h } WHERE { ?d dip:headedBy ?h }")
    assert len(built) == 7 and "<pre>" in built._repr_html_()


def test_the_guard_holds(g):
    with pytest.raises(InputError):
        g.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")


def test_network_centrality_path(g):
    assert g.network("coparticipation") is g.network("coparticipation")  # made once
    ranking = g.centrality("betweenness", projection="coparticipation", top=3)
    assert len(ranking) == 3 and ranking[0].label == "Marco Rubio"
    assert ranking._repr_html_().count("<tr>") == 4
    paths = g.path("Tom Barrack", "Çırağan Palace")
    assert len(paths) == 2
    page = paths._repr_html_()
    assert "(2025-06-02-istanbul-exchange)" in page and "(2025-05-16-istanbul-talks)" in page
    assert str(paths).startswith("Tom Barrack -> Çırağan Palace: 2 shortest path(s)")


def test_conflicts_and_validate(g, built):
    assert [row["value"] for row in g.conflicts().values()] == ["2025-05-15", "2025-05-16"]
    assert g.validate().conforms


def test_open_a_build_folder_and_a_file(tmp_path):
    from kg.build.pipeline import build

    build(ROOT / "data", tmp_path / "out", workers=1)
    out = kg.open(tmp_path / "out")
    assert "triples stated" in repr(out)
    assert out.query("SELECT ?x WHERE { kgr:russia rdfs:label ?x }").values() == [{"x": "Russia"}]
    from_file = kg.open(tmp_path / "out" / "kg.trig")
    assert len(from_file.query("SELECT ?s WHERE { ?s a dip:Delegation }")) == 8
    with pytest.raises(InputError, match="no such file or folder"):
        kg.open(tmp_path / "nothing")
