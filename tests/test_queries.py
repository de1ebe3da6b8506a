"""The competency questions in queries/ answer as the article says, each with its passage."""

import shutil

import pyoxigraph
import pytest
from rdflib import Dataset, Literal, URIRef

from kg.read.query import run_query, serialize_result
from kg.store.sparql import execute
from kg.source import open_store
from kg.vocab.namespaces import PREFIX_IRIS as PREFIXES

from .conftest import ARTICLE, ARTICLES, ROOT, add_second_source

QUERIES = ROOT / "queries"
TEXT = (ROOT / "data/articles" / ARTICLE / "article.txt").read_text(encoding="utf-8")
#: Both shipped articles' texts: a quote stands in one of them.
TEXTS = "\n".join((ROOT / "data/articles" / a / "article.txt").read_text(encoding="utf-8")
                  for a in ARTICLES)
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@pytest.fixture(scope="module")
def graph():
    return open_store(ROOT / "data")


def _rows(graph, name):
    answer = run_query(graph, (QUERIES / name).read_text(encoding="utf-8"))
    return [{k: v.value for k, v in zip(answer.variables, row) if v is not None}
            for row in answer.rows]


def _term(term):
    """A pyoxigraph or an rdflib term as one comparable value."""
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return ("iri", term.value)
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, pyoxigraph.Literal):
        return ("literal", term.value, term.language or
                (None if term.datatype.value == XSD_STRING else term.datatype.value))
    if isinstance(term, Literal):
        kind = str(term.datatype) if term.datatype is not None else None
        return ("literal", str(term), term.language or (None if kind == XSD_STRING else kind))
    return ("other", str(term))


def _quoted(rows):
    """Every answer comes with a passage that stands verbatim in an article."""
    assert rows
    for row in rows:
        assert row["quote"] in TEXTS


def test_every_query_states_its_question_first():
    for path in sorted(QUERIES.glob("*.rq")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# ") and "?" in first, path.name


def test_01_who_led_the_russian_delegation(graph):
    rows = _rows(graph, "01-russian-delegation-head.rq")
    # in May, again in June (in English and in Russian) and once more in July: each
    # article's words for it
    assert sorted((r["leader"], r["quote"]) for r in rows) == [
        ("Vladimir Medinsky", "The Russian delegation was again led by presidential aide Vladimir Medinsky"),
        ("Vladimir Medinsky", "The Russian delegation was led by Vladimir Medinsky"),
        ("Vladimir Medinsky", "The Russian delegation was once more led by presidential aide Vladimir Medinsky"),
        ("Vladimir Medinsky", "Российскую делегацию вновь возглавил помощник президента Владимир Мединский")]
    _quoted(rows)


def test_02_who_represented_ukraine_and_who_else(graph):
    rows = _rows(graph, "02-ukrainian-delegation.rq")
    assert {r["person"] for r in rows if r["role"] == "head"} == {"Rustem Umerov"}
    members = {r["person"] for r in rows if r["role"] == "member"}
    assert "Andriy Yermak" in members
    _quoted(rows)


def test_03_who_hosted_the_preliminary_session_and_where(graph):
    rows = _rows(graph, "03-preliminary-session.rq")
    assert [(r["host"], r["venue"], r["city"]) for r in rows] == [
        ("Hakan Fidan", "Dolmabahçe Palace", "Istanbul")]
    _quoted(rows)


def test_04_which_proposal_and_how_long(graph):
    rows = _rows(graph, "04-focus-proposal.rq")
    assert len(rows) == 1
    row = rows[0]
    assert row["kind"].endswith("#Ceasefire") and row["duration"] == "P30D"
    assert row["status"].endswith("#Discussed")
    _quoted(rows)


def test_05_who_said_it_is_time_to_stop_the_killing(graph):
    rows = _rows(graph, "05-who-said.rq")
    assert [(r["speaker"], r["verb"]) for r in rows] == [("Marco Rubio", "declared")]
    _quoted(rows)


def test_06_on_what_date_were_the_talks_held(graph):
    rows = _rows(graph, "06-talks-date.rq")
    found = {(r["talks"].split(" (")[1], r["date"]): r.get("derivation", "") for r in rows}
    # the May article's Thursday, the June article's 16 May (sources disagree), the June
    # round's Monday, and the July round's Wednesday
    assert set(found) == {("May 2025)", "2025-05-15"), ("May 2025)", "2025-05-16"),
                          ("June 2025)", "2025-06-02"), ("July 2025)", "2025-07-23")}
    assert "Thursday" in found["May 2025)", "2025-05-15"]
    assert "Monday" in found["June 2025)", "2025-06-02"]
    _quoted(rows)


def test_07_the_passage_behind_an_answer(graph):
    rows = _rows(graph, "07-evidence-for-answer.rq")
    assert len(rows) == 1
    row = rows[0]
    assert TEXT[int(row["start"]):int(row["end"])] == row["quote"]
    assert row["quote"] == "The Russian delegation was led by Vladimir Medinsky"
    facts = (ROOT / "data" / row["curated"]).read_text(encoding="utf-8").splitlines()
    assert facts[int(row["line"]) - 1].strip() == "- about: russian-delegation"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The shipped data and a second article that disagrees with it, so that every query
    has answers (the conflicting dates too)."""
    from kg.build.pipeline import build

    data = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(ROOT / "data", data)
    add_second_source(data)
    out = tmp_path_factory.mktemp("out")
    build(data, out, workers=1)
    return out


#: The queries rdflib's engine answers in seconds: it joins GRAPH patterns by walking every
#: named graph for each solution, and the "as of" questions 10 and 11 join three fact
#: graphs with FILTER NOT EXISTS (minutes in rdflib); their answers are checked against
#: --as-of in tests/test_time.py.
RDFLIB_ANSWERS = sorted(p.name for p in QUERIES.glob("*.rq") if p.name[:2] not in ("10", "11"))


@pytest.mark.parametrize("name", RDFLIB_ANSWERS)
def test_store_and_rdflib_on_kg_trig_give_the_same_answers(name, built):
    """Every competency query gives the same answers through the build's Oxigraph store as
    through rdflib over kg.trig (default graph: the union): one embedded store, unchanged
    meaning."""
    text = (QUERIES / name).read_text(encoding="utf-8")
    answer = run_query(open_store(built), text)
    ours = sorted((tuple(_term(v) for v in row) for row in answer.rows), key=repr)
    dataset = Dataset(default_union=True)
    dataset.parse(built / "kg.trig", format="trig")
    result = dataset.query(text, initNs=PREFIXES)
    theirs = sorted((tuple(_term(row[v]) for v in answer.variables) for row in result), key=repr)
    assert ours and ours == theirs


def test_a_triple_two_articles_state_is_one_solution(tmp_path):
    """The default graph is the union without duplicates: the reference graph and the
    article both state where the palace is, and the union holds it once."""
    store = open_store(ROOT / "data")
    answer = run_query(store, "SELECT ?city WHERE { kgr:dolmabahce-palace dip:locatedIn ?city }",
                       inferred=False)
    assert [row[0].value.rsplit("/", 1)[1] for row in answer.rows] == ["istanbul"]
    plain = run_query(store, "SELECT ?city WHERE { kgr:dolmabahce-palace dip:locatedIn ?city }")
    assert sorted(row[0].value.rsplit("/", 1)[1] for row in plain.rows) == ["istanbul", "turkey"]
    # GRAPH ?g ranges over the store's own graphs too (the union a plain query reads):
    # joined with dip:CuratedFact, over the facts that state it
    per_graph = run_query(store, "SELECT ?g WHERE { GRAPH ?g { kgr:dolmabahce-palace "
                                 "dip:locatedIn kgr:istanbul } ?g a dip:CuratedFact }")
    assert len(per_graph.rows) == 2


def test_construct_where_answers(built):
    answer = run_query(open_store(built), "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 5")
    assert answer.kind == "CONSTRUCT" and len(answer.triples) == 5


TRICKY = """SELECT ?a ?b ?c WHERE {
  VALUES (?a ?b ?c) {
    (<http://example.org/a> "tab\\there" "line\\nbreak and \\\\ back")
    ("x"@en-GB 1 1.5)
    (2.5e3 true "q\\"uote, comma")
    (UNDEF "é ü"^^<http://example.org/dt> <http://example.org/b>)
    (-0 "0012"^^xsd:integer "NaN"^^xsd:double)
  }
}"""


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv", "html"])
def test_rows_kept_in_oxigraph_are_written_as_the_rows_of_terms_are(fmt):
    """kg serve's answers (rows written by Oxigraph as TSV, then in the format asked for)
    are byte for byte those of kg query (rows as Python terms), the row cap included."""
    store = open_store(ROOT / "data")
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "queries").glob("*.rq"))]
    for text in [TRICKY, *texts]:
        for cap in (None, 2):
            terms = execute(store, text, max_rows=cap)
            if terms.kind != "SELECT":
                continue
            kept = execute(store, text, max_rows=cap, tsv=True)
            assert kept.tsv is not None and not kept.rows
            assert kept.truncated == terms.truncated
            assert serialize_result(kept, fmt) == serialize_result(terms, fmt), text
    assert execute(store, TRICKY, max_rows=2, tsv=True).truncated
    assert not execute(store, TRICKY, max_rows=5, tsv=True).truncated


@pytest.mark.parametrize("name", ["istanbul-direct-talks-2025", "hakan-fidan", "rustem-umerov"])
def test_an_entity_page_gives_a_stated_relation_its_sources_words_only(name):
    """The store's own copies of a triple (the union a plain query reads, the as-of index)
    are no source: an entity's page lists a stated relation with its facts' words only,
    not once more as if inferred."""
    from kg.vocab.records import entity_queries

    store = open_store(ROOT / "data")
    about, pointing, _ = entity_queries(f"https://w3id.org/diplomacy-kg/id/{name}")
    for text in (about, pointing):
        rows = execute(store, text).rows
        worded = {(row[0], row[1]) for row in rows if row[2] is not None}
        assert worded
        assert [row for row in rows if (row[0], row[1]) in worded and row[2] is None] == []
