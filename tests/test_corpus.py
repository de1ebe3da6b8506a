"""A corpus is folders: a second article adds its own named graph and evidence."""

import hashlib
from pathlib import Path

from click.testing import CliRunner

from kg.build.unit import graph_iri
from .conftest import build_graph
from kg.cli import main
from kg.build.pipeline import check, stats
from kg.vocab.rdf import DIP, KGR, OA

from .conftest import ARTICLE, ROOT

SHARED = ROOT.parent / "shared" / "sources" / "istanbul-talks-2025-05-16.txt"
SECOND = "2025-05-17-kyiv-reaction"
TEXT = """17/05/2025

Kyiv reacts to the Istanbul talks

KYIV \u2014 A day after the talks, Defense Minister Rustem Umerov said the Ukrainian delegation \
would return to Istanbul. The Russian delegation was led by Vladimir Medinsky, he recalled.
"""


def test_article_is_a_byte_for_byte_copy_of_the_source():
    ours = (ROOT / "data/articles" / ARTICLE / "article.txt").read_bytes()
    expected = "e213c4bf02026a02ef267e62552abc693369bb8425af99433b6fa6360b5b2c23"
    assert hashlib.sha256(ours).hexdigest() == expected
    if SHARED.is_file():  # beside a checkout in this workplace; the digest above is the same
        assert SHARED.read_bytes() == ours


def _add_second_article(data: Path) -> None:
    folder = data / "articles" / SECOND
    folder.mkdir()
    (folder / "article.txt").write_text(TEXT, encoding="utf-8")
    digest = hashlib.sha256((folder / "article.txt").read_bytes()).hexdigest()
    (folder / "facts.yaml").write_text(f"""article:
  title: Kyiv reacts to the Istanbul talks
  published: 2025-05-17
  published_as: 17/05/2025
  dateline: KYIV
  sha256: {digest}
entities:
  - id: umerov-return-statement
    type: PublicStatement
    label: Umerov on returning to Istanbul
    speaker: rustem-umerov
    summary: the Ukrainian delegation would return to Istanbul
    topic: istanbul-direct-talks-2025
    evidence: Defense Minister Rustem Umerov said the Ukrainian delegation would return to Istanbul
facts:
  - about: russian-delegation
    headedBy: vladimir-medinsky
    hasMember: vladimir-medinsky
    evidence: The Russian delegation was led by Vladimir Medinsky, he recalled.
""", encoding="utf-8")


def test_second_article_gets_its_own_graph_and_evidence(data_copy):
    _add_second_article(data_copy)
    built = build_graph(data_copy)
    assert check(data_copy).conforms  # each article with what it uses, as kg validate does
    names = {g.identifier for g in built.dataset.graphs() if len(g)}
    assert {graph_iri(ARTICLE), graph_iri(SECOND)} <= names
    # the same triple, stated by both articles, has evidence in each
    rows = built.dataset.query("""
        SELECT ?article ?quote WHERE {
          GRAPH ?fact { kgr:russian-delegation dip:headedBy kgr:vladimir-medinsky }
          GRAPH ?article { ?fact dip:evidence/oa:exact ?quote } }""",
                               initNs={"dip": DIP, "kgr": KGR, "oa": OA})
    found = {(str(a).rsplit("/", 1)[1], str(q)) for a, q in rows}
    assert found == {(ARTICLE, "The Russian delegation was led by Vladimir Medinsky"),
                     (SECOND, "The Russian delegation was led by Vladimir Medinsky, he recalled.")}
    assert stats(data_copy).articles == 5  # the four shipped and this one


def test_stats_counts_facts_whose_evidence_is_missing(data_copy):
    facts = data_copy / f"articles/{ARTICLE}/facts.yaml"
    facts.write_text(facts.read_text().replace("evidence: President Vladimir Putin\n",
                                               "evidence: President Vladimir V. Putin\n"))
    result = CliRunner().invoke(main, ["stats", str(data_copy)], catch_exceptions=False)
    assert result.exit_code == 0
    facts = stats(ROOT / "data").facts  # the unchanged data: every passage found
    assert f"evidence found        {facts - 1}/{facts} ({(facts - 1) / facts:.0%})" in result.output
