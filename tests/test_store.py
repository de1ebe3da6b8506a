"""The store every reader opens, and the one guard every user query passes: no SERVICE,
FROM never reads a file or a URL, a time limit with a clear message and exit code."""

import os
import shutil
import pty
import subprocess
import sys
import time

import pyoxigraph
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.source import open_store
from kg.store.graphs import load_rdf
from kg.store.sparql import QueryRefused, check_query, execute, query_kind

from .conftest import ROOT, add_second_source
from .servers import recording_server

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    from kg.build.pipeline import build

    folder = tmp_path_factory.mktemp("out")
    build(ROOT / "data", folder, workers=1)
    return folder


def query(*args):
    return CliRunner().invoke(main, ["query", *args], catch_exceptions=False)


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o .SERVICE ?endpoint { ?s ?p ?o } }",
    "PREFIX ex: <http://example.org/>\nSELECT * WHERE {\n  SERVICE ex:sparql { ?s ?p ?o } }",
    "SELECT * WHERE { { ?s ?p ?o } UNION { SeRvIcE <http://x/> { ?s ?p ?o } } }",
])
def test_service_is_refused_in_every_spelling(text):
    with pytest.raises(QueryRefused, match="the query calls SERVICE"):
        check_query(text)


@pytest.mark.parametrize("text", [
    "SELECT ?service WHERE { ?service <urn:p> 'SERVICE' }",
    "PREFIX service: <urn:x#>\nSELECT * WHERE { service:a service:SERVICE ?o } # SERVICE",
    'SELECT * WHERE { ?s <http://example.org/SERVICE> """a\nSERVICE b""" }',
    "SELECT * WHERE { ?s ?p _:SERVICE }",
])
def test_the_word_service_elsewhere_is_not_refused(text):
    assert check_query(text) == text


def test_kg_query_refuses_service_and_no_request_leaves(out):
    with recording_server() as (url, seen):
        result = query("-e", f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
                       "-g", str(out))
    assert result.exit_code == 5
    assert "the query calls SERVICE (line 1): kg answers from its own store only" in result.output
    assert seen == []


def test_from_reads_no_file_and_no_url(out, tmp_path):
    secret = tmp_path / "secret.ttl"
    secret.write_text("<urn:s> <urn:p> <urn:secret> .\n")
    with recording_server(body=b"<urn:s> <urn:p> <urn:remote> .") as (url, seen):
        for clause in (f"FROM <{secret.as_uri()}>", f"FROM NAMED <{secret.as_uri()}>",
                       "FROM <file:///etc/passwd>", f"FROM <{url}/data.ttl>"):
            result = query("-e", f"SELECT ?o {clause} WHERE {{ {{ ?s ?p ?o }} UNION "
                                 "{ GRAPH ?g { ?s ?p ?o } } }", "-g", str(out), "--format", "csv")
            assert result.exit_code == 0, result.output
            assert result.output.split() == ["o"], clause
    assert seen == []


def test_from_names_a_graph_of_the_store(out):
    result = query("-e", "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/diplomacy-kg/graph/"
                         "reference> WHERE { ?s ?p ?o }", "-g", str(out), "--format", "csv")
    reference = (out / "cache/units/reference.nq").read_bytes().count(
        b" <https://w3id.org/diplomacy-kg/graph/reference> .\n")  # its records
    assert result.output.split() == ["n", str(reference)]


def test_a_query_past_its_time_limit_is_stopped_with_exit_6(out):
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "kg", "query", "-e", CARTESIAN, "-g", str(out),
                             "--timeout", "1"], capture_output=True, text=True, cwd=ROOT,
                            timeout=60)
    assert result.returncode == 6
    assert "the query took longer than the time limit of 1 s and was stopped" in result.stderr
    assert result.stdout == ""
    assert time.perf_counter() - start < 20


def test_construct_where_through_kg_query(out):
    from rdflib import Graph

    result = query("-e", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 5", "-g", str(out))
    assert result.exit_code == 0, result.output
    assert len(Graph().parse(data=result.output, format="turtle")) == 5


def test_a_query_prefix_overrides_ours(out):
    text = ("PREFIX dip: <http://example.org/other#>\nASK { ?s dip:headedBy ?o }")
    assert query("-e", text, "-g", str(out)).output == "false\n"
    assert query("-e", "ASK { ?s dip:headedBy ?o }", "-g", str(out)).output == "true\n"


def test_relative_iris_resolve_against_the_query_file(tmp_path):
    data = tmp_path / "data.ttl"
    data.write_text("<thing> <http://example.org/p> 'x' .\n")
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT ?o WHERE { <thing> <http://example.org/p> ?o }\n")
    result = query(str(rq), "-g", str(data), "--format", "csv")
    assert result.output.split() == ["o", "x"]


def test_a_file_of_quads_answers_each_triple_once(tmp_path):
    path = tmp_path / "g.nq"
    path.write_text("<urn:a> <urn:p> <urn:b> <urn:g1> .\n<urn:a> <urn:p> <urn:b> <urn:g2> .\n")
    store = load_rdf(path)
    assert len(execute(store, "SELECT * WHERE { ?s ?p ?o }").rows) == 1
    assert len(execute(store, "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }").rows) == 2


def test_the_store_is_read_only_to_readers(out):
    store = open_store(out)
    with pytest.raises((OSError, RuntimeError), match="only possible on read-write"):
        store.store.add(pyoxigraph.Quad(pyoxigraph.NamedNode("urn:a"),
                                        pyoxigraph.NamedNode("urn:b"),
                                        pyoxigraph.NamedNode("urn:c")))


def test_query_kind_reads_past_prologue_and_comments():
    assert query_kind("# SELECT\nPREFIX a: <urn:ask>\nDESCRIBE <urn:x>") == "DESCRIBE"
    assert query_kind("ASK {}") == "ASK"


def test_progress_is_shown_on_a_terminal(tmp_path):
    parent, child = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "kg", "build", "data", "-o", str(tmp_path)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=child)
    os.close(child)
    shown = b""
    while True:
        try:
            chunk = os.read(parent, 4096)
        except OSError:  # the terminal closed: the build ended
            break
        if not chunk:
            break
        shown += chunk
    output = process.communicate()[0]
    os.close(parent)
    assert process.returncode == 0
    for stage in (b"reading", b"building", b"store", b"exports"):
        assert stage in shown
    assert b"[##############################]  1/1" in shown
    assert output.startswith(b"built ")


@pytest.mark.parametrize("text", ["INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                                  "PREFIX x: <urn:x#>\nDELETE WHERE { ?s ?p ?o }",
                                  "LOAD <http://example.org/data.ttl>", "DROP ALL"])
def test_an_update_is_refused_with_exit_5(out, text):
    result = query("-e", text, "-g", str(out))
    assert result.exit_code == 5
    assert "this is a SPARQL Update" in result.output and "never changes the store" in result.output


def test_export_refuses_a_projection_for_rdf_and_stops_quietly_when_the_reader_does(out):
    result = CliRunner().invoke(main, ["export", "--format", "nt", "--projection", "simple",
                                       "-g", str(out)])
    assert result.exit_code == 2 and "--projection applies to graphml, gexf, json" in result.output
    head = subprocess.run(f"{sys.executable} -m kg export --format nt -g {out} | head -1",
                          shell=True, capture_output=True, text=True, cwd=ROOT)
    assert head.stdout.count("\n") == 1 and head.stderr == ""


# --- the plain graph: what a plain query reads, in one graph ------------------------------

def _graph(store, graph) -> set:
    return {(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, graph)}


def _union_holds(folder) -> set:
    """Check that the store's default graph is the union of its parts; return it."""
    from kg.store.plain import PLAIN_PARTS
    from kg.vocab.namespaces import PLAIN_GRAPH

    store = pyoxigraph.Store.read_only(str(folder / "store"))
    parts = set()
    for name in PLAIN_PARTS:
        parts |= _graph(store, pyoxigraph.NamedNode(name))
    plain = _graph(store, pyoxigraph.DefaultGraph())
    assert plain == parts
    assert not store.contains_named_graph(pyoxigraph.NamedNode(PLAIN_GRAPH))
    assert open_store(folder).full_default() == [pyoxigraph.DefaultGraph()]
    return plain


def test_a_plain_query_reads_one_graph_that_a_rebuild_keeps_whole(data_copy, tmp_path):
    from kg.build.pipeline import build
    from kg.store.generations import store_path

    folder = tmp_path / "out"
    build(data_copy, folder, workers=1)
    first = _union_holds(folder)
    ministers = "SELECT ?m WHERE { ?m dip:holdsPost kgr:minister-of-defence-of-ukraine }"
    assert len(execute(open_store(folder), ministers).rows) == 2  # both, each once
    # edits that move triples in and out of every part: a fact that holds for a time (the
    # scoped graph), an article removed (the default graph and the inferred triples)
    july = next(p for p in (data_copy / "articles").iterdir() if "third-round" in p.name)
    facts = july / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    assert "since: 2025-07-17\n" in text
    facts.write_text(text.replace("since: 2025-07-17\n", "since: 2025-07-20\n", 1),
                     encoding="utf-8")
    assert build(data_copy, folder, workers=1).rebuilt == 1
    _union_holds(folder)
    # a second source for the talks' date, then a rank that hides the first source's value
    # (in an article the rebuild leaves as it is) from plain queries
    dates = "SELECT ?d WHERE { kgr:istanbul-direct-talks-2025 dip:date ?d }"
    add_second_source(data_copy)
    assert build(data_copy, folder, workers=1).rebuilt == 1
    assert len(execute(open_store(folder), dates).rows) == 2
    add_second_source(data_copy, rank="    rank: preferred\n    rankReason: the readout\n")
    assert build(data_copy, folder, workers=1).rebuilt == 1
    assert len(execute(open_store(folder), dates).rows) == 1
    _union_holds(folder)
    russian = next(p for p in (data_copy / "articles").iterdir() if p.name.endswith("-ru"))
    shutil.rmtree(russian)
    build(data_copy, folder, workers=1)
    after = _union_holds(folder)
    assert after != first
    cold = tmp_path / "cold"
    build(data_copy, cold, workers=1, use_cache=False)
    assert _union_holds(cold) == after
    # a generation whose index file does not say how its plain graph was made (a store of
    # an earlier kg) has it made anew
    index = store_path(folder).with_name(store_path(folder).name + ".index.json")
    index.unlink()
    facts.write_text(text, encoding="utf-8")
    build(data_copy, folder, workers=1)
    assert _union_holds(folder) != after


def test_a_store_of_the_earlier_layout_is_read_and_then_upgraded(data_copy, tmp_path):
    """A generation written before the default graph held the union (the stated union in
    the default graph, the union in …/as-of/union) answers as before, and the next build
    moves it to the new layout: the same store a cold build makes."""
    import json

    from kg.build.pipeline import build
    from kg.store.generations import store_path
    from kg.vocab.namespaces import PLAIN_GRAPH, STATED_GRAPH

    folder = tmp_path / "out"
    build(data_copy, folder, workers=1)
    ask = "SELECT ?m WHERE { ?m dip:holdsPost kgr:minister-of-defence-of-ukraine } ORDER BY ?m"
    before = execute(open_store(folder), ask).rows
    path = store_path(folder)
    store = pyoxigraph.Store(str(path))
    union, stated = pyoxigraph.NamedNode(PLAIN_GRAPH), pyoxigraph.NamedNode(STATED_GRAPH)
    store.update(f"COPY DEFAULT TO <{PLAIN_GRAPH}>; COPY <{STATED_GRAPH}> TO DEFAULT")
    store.remove_graph(stated)
    store.flush()
    del store
    index = path.with_name(path.name + ".index.json")
    recorded = json.loads(index.read_text(encoding="utf-8"))
    recorded[PLAIN_GRAPH] = "union of the default graph, scoped, inferred and ontology"
    index.write_text(json.dumps(recorded), encoding="utf-8")
    old = open_store(folder)
    assert old.full_default() == [union]
    assert execute(old, ask).rows == before
    assert execute(old, ask, inferred=False).rows == before
    del old
    july = next(p for p in (data_copy / "articles").iterdir() if "third-round" in p.name)
    facts = july / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace("since: 2025-07-17\n", "since: 2025-07-20\n", 1),
                     encoding="utf-8")
    assert build(data_copy, folder, workers=1).rebuilt == 1
    upgraded = _union_holds(folder)
    cold = tmp_path / "cold"
    build(data_copy, cold, workers=1, use_cache=False)
    assert _union_holds(cold) == upgraded
    new = pyoxigraph.Store.read_only(str(folder / "store"))
    again = pyoxigraph.Store.read_only(str(cold / "store"))
    assert _graph(new, stated) == _graph(again, stated)


@pytest.mark.parametrize("spill", [True, False])
def test_the_union_graph_loads_in_batches_of_whole_lines(monkeypatch, tmp_path, spill):
    from kg.store import plain
    from kg.vocab.namespaces import ONTOLOGY_GRAPH, STATED_GRAPH

    monkeypatch.setattr(plain, "BATCH", 100)  # a few lines a batch, cut inside lines
    store = pyoxigraph.Store()
    p = pyoxigraph.NamedNode("urn:p")
    for i in range(60):
        s = pyoxigraph.NamedNode(f"urn:s{i}")
        store.add(pyoxigraph.Quad(s, p, pyoxigraph.Literal("x" * (i % 7) + "\n\"é" * i)))
        store.add(pyoxigraph.Quad(s, p, s, pyoxigraph.NamedNode(ONTOLOGY_GRAPH)))
    plain.make_plain(store, spill=tmp_path if spill else None)
    union = _graph(store, pyoxigraph.DefaultGraph())
    assert len(union) == 120
    assert union == (_graph(store, pyoxigraph.NamedNode(STATED_GRAPH))
                     | _graph(store, pyoxigraph.NamedNode(ONTOLOGY_GRAPH)))
    assert list(tmp_path.iterdir()) == []  # the spilled copies are gone


def test_an_old_generation_goes_once_no_reader_holds_it(data_copy, tmp_path):
    """A build removes the older store generations but those a reader has open (a script,
    kg serve's workers); the next build after the reader lets go removes it."""
    import gc

    from kg.build.pipeline import build

    folder = tmp_path / "out"
    july = next(p for p in (data_copy / "articles").iterdir() if "third-round" in p.name)
    facts = july / "facts.yaml"
    text = facts.read_text(encoding="utf-8")

    def edit(day: int) -> None:
        facts.write_text(text.replace("since: 2025-07-17\n", f"since: 2025-07-{day}\n", 1),
                         encoding="utf-8")

    def generations() -> list[str]:
        return sorted(p.name for p in (folder / "stores").iterdir() if p.is_dir())

    ask = "SELECT ?m WHERE { ?m dip:holdsPost kgr:minister-of-defence-of-ukraine } ORDER BY ?m"
    build(data_copy, folder, workers=1)
    reader = open_store(folder)  # holds generation 1
    before = execute(reader, ask).rows
    edit(18)
    build(data_copy, folder, workers=1)
    edit(19)
    build(data_copy, folder, workers=1)
    assert generations() == ["1", "3"]  # 2 was let go; 1 is held
    assert execute(reader, ask).rows == before  # and still answers
    view = reader.as_of("2025-08-01")  # a view holds it as its store does
    del reader
    gc.collect()
    edit(20)
    build(data_copy, folder, workers=1)
    assert generations() == ["1", "4"]
    del view
    gc.collect()
    edit(21)
    build(data_copy, folder, workers=1)
    assert generations() == ["5"]
    assert sorted(p.name for p in (folder / "stores").iterdir()) == [
        "5", "5.index.json", "5.json", "5.lock"]
