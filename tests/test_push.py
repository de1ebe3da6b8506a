"""kg push: Graph Store Protocol uploads to a real Oxigraph server, and clear errors."""

import base64
import shutil
import time

import httpx
import pytest
from click.testing import CliRunner
from SPARQLWrapper import JSON, SPARQLWrapper

from kg.cli import main
from kg.build.pipeline import build
from kg.read.query import run_query
from kg.source import open_store
from kg.vocab.namespaces import AS_OF

from .conftest import ROOT, add_second_source
from .servers import endless_server, free_port, oxigraph, recording_server, virtuoso

QUERIES = sorted((ROOT / "queries").glob("*.rq"))


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    """The shipped data and a second article that disagrees with it (so that every query of
    queries/, the conflicting dates too, has answers)."""
    data = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(ROOT / "data", data)
    add_second_source(data)
    folder = tmp_path_factory.mktemp("out")
    build(data, folder)
    return folder


def push(out, *args, env=None):
    return CliRunner(env=env).invoke(main, ["push", "-g", str(out), *args], catch_exceptions=False)


def count(url, where="{ GRAPH ?g { ?s ?p ?o } }"):
    response = httpx.get(url + "/query", params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {where}"},
                         headers={"Accept": "application/sparql-results+json"})
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def remote_rows(url, text, endpoint="/query"):
    client = SPARQLWrapper(url + endpoint)
    client.setQuery(text)
    client.setReturnFormat(JSON)
    data = client.query().convert()
    names = data["head"]["vars"]
    return sorted(tuple(b[v]["value"] if v in b else "None" for v in names)
                  for b in data["results"]["bindings"])


def test_push_per_article_answers_like_local_and_pushing_twice_duplicates_nothing(out, tmp_path):
    local = open_store(out)
    # a triple two graphs state counts twice; the store's as-of index is not pushed
    quads = run_query(local, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                             f'FILTER (!STRSTARTS(STR(?g), "{AS_OF}")) }}')
    in_graphs = int(quads.rows[0][0].value)
    assert in_graphs > 1500
    with oxigraph(tmp_path) as url:
        first = push(out, "--endpoint", url + "/store", "--graph-per-article")
        assert first.exit_code == 0, first.output
        article = local.triples("https://w3id.org/diplomacy-kg/id/article/"
                                "2025-05-16-istanbul-talks")
        assert (f"PUT https://w3id.org/diplomacy-kg/id/article/2025-05-16-istanbul-talks: "
                f"{article} triples") in first.output
        assert f"in {1 + len(local.named_graphs())} graph(s)" in first.output
        assert count(url) == in_graphs
        for path in QUERIES:
            text = path.read_text(encoding="utf-8")
            expected = sorted(tuple("None" if v is None else v.value for v in row)
                              for row in run_query(local, text).rows)
            assert remote_rows(url, text) == expected and expected, path.name
        again = push(out, "--endpoint", url + "/store", "--graph-per-article")
        assert again.exit_code == 0
        assert count(url) == in_graphs


def test_push_into_one_named_graph_and_into_the_default_graph(out, tmp_path):
    local = open_store(out)  # what the sources state, the ontology, the inferred
    union = sum(local.triples(g) for g in (None, *local.named_graphs()[-3:-1]))
    assert union > 1500 and local.named_graphs()[-3:] == [
        f"https://w3id.org/diplomacy-kg/graph/{g}" for g in ("inferred", "ontology", "shapes")]
    with oxigraph(tmp_path) as url:
        assert push(out, "--endpoint", url + "/store", "--graph", "urn:kg:all").exit_code == 0
        assert count(url, "{ GRAPH <urn:kg:all> { ?s ?p ?o } }") == union
        assert push(out, "--endpoint", url + "/store").exit_code == 0
        assert push(out, "--endpoint", url + "/store").exit_code == 0
        response = httpx.get(url + "/store", params={"default": ""}, headers={"Accept": "application/n-triples"})
        assert len([l for l in response.text.splitlines() if l.strip()]) == union


def _dump(url) -> set:
    response = httpx.get(url + "/store", headers={"Accept": "application/n-quads"})
    return {line for line in response.text.splitlines() if line.strip()}


def test_bulk_push_is_one_request_that_replaces_the_whole_dataset(out, tmp_path):
    """--bulk: every graph of --graph-per-article in one PUT of N-Quads to Oxigraph's
    /store, which holds then what the per-graph PUTs leave, and nothing else."""
    local = open_store(out)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with oxigraph(tmp_path / "a") as a, oxigraph(tmp_path / "b") as b:
        assert push(out, "--endpoint", a + "/store", "--graph-per-article").exit_code == 0
        httpx.post(b + "/store", content=b"<urn:s> <urn:p> <urn:stale> <urn:old> .\n",
                   headers={"Content-Type": "application/n-quads"}).raise_for_status()
        result = push(out, "--endpoint", b + "/store", "--bulk")
        assert result.exit_code == 0, result.output
        graphs = 1 + len(local.named_graphs())
        assert f"quads in {graphs} graph(s), " in result.output
        assert f"in {graphs} graph(s) in one request" in result.output
        assert _dump(b) == _dump(a) and len(_dump(a)) > 3000  # the stale graph is gone
        for path in QUERIES:
            text = path.read_text(encoding="utf-8")
            assert remote_rows(b, text) == remote_rows(a, text), path.name
        # Oxigraph's bulk loader: the same content
        result = push(out, "--endpoint", b + "/store", "--bulk", "--no-transaction")
        assert result.exit_code == 0, result.output
        assert _dump(b) == _dump(a)
        # what the default graph holds goes into --graph, for a store without one
        assert push(out, "--endpoint", b + "/store", "--bulk", "--graph", "urn:kg:all").exit_code == 0
        assert count(b, "{ GRAPH <urn:kg:all> { ?s ?p ?o } }") == count(a, "{ ?s ?p ?o }")
        assert count(b, "{ ?s ?p ?o }") == 0


def test_a_bulk_push_cut_off_midway_leaves_the_previous_content(out, tmp_path, monkeypatch):
    import kg.read.push

    class Stopped(Exception):
        pass

    def stop(name, done, total):
        if done == total // 2:  # half the graphs went (or are going); the rest never will
            raise Stopped

    monkeypatch.setattr(kg.read.push, "CHUNK", 16 * 1024)
    with oxigraph(tmp_path) as url:
        assert push(out, "--endpoint", url + "/store", "--graph", "urn:kg:before").exit_code == 0
        before = _dump(url)
        with pytest.raises(Stopped):
            kg.read.push.push(open_store(out), url + "/store", bulk=True, progress=stop)
        time.sleep(0.5)
        assert _dump(url) == before and len(before) > 1500


def test_connection_refused_exits_4(out):
    result = push(out, "--endpoint", f"http://127.0.0.1:{free_port()}/store")
    assert result.exit_code == 4
    assert "cannot connect to" in result.output and "Connection refused" in result.output


def test_refused_credentials_exit_4_with_the_servers_message(out):
    with recording_server(401, b"bad password for admin") as (url, seen):
        result = push(out, "--endpoint", url + "/store", "--user", "admin", "--password-env",
                      "KG_TEST_PASSWORD", env={"KG_TEST_PASSWORD": "hunter2"})
    assert result.exit_code == 4
    assert "refused the credentials (HTTP 401): bad password for admin" in result.output
    sent = seen[0][2]["Authorization"]
    assert sent == "Basic " + base64.b64encode(b"admin:hunter2").decode()


def test_server_errors_exit_4_with_the_servers_message(out):
    with recording_server(500, b"disk full") as (url, seen):
        result = push(out, "--endpoint", url + "/store", "--graph", "urn:g")
    assert result.exit_code == 4 and "answered HTTP 500: disk full" in result.output
    method, path, headers, body = seen[0]
    assert method == "PUT" and path == "/store?graph=urn%3Ag"
    assert headers["Content-Type"] == "application/n-triples"
    assert int(headers["Content-Length"]) == len(body)
    local = open_store(out)  # the default graph: what the sources state, the inferred, the ontology
    assert body.count(b"\n") == sum(local.triples(g) for g in (None, *local.named_graphs()[-3:-1]))
    assert body.count(b"\n") > 1500


def test_a_redirect_is_no_success_and_the_credentials_stay_home(out):
    with recording_server(307, b"moved", headers={"Location": "http://elsewhere.example/store"}) \
            as (url, seen):
        result = push(out, "--endpoint", url + "/store", "--user", "admin", "--password-env",
                      "KG_TEST_PASSWORD", env={"KG_TEST_PASSWORD": "hunter2"})
    assert result.exit_code == 4, result.output
    assert "HTTP 307, a redirect to http://elsewhere.example/store: nothing was stored" in result.output
    assert len(seen) == 1  # not followed


@pytest.mark.parametrize("status", [200, 500])
def test_an_endless_answer_is_not_read_on(out, status):
    with endless_server(status) as url:
        result = push(out, "--endpoint", url + "/store", "--graph", "urn:g", "--timeout", "20")
    if status == 500:
        assert result.exit_code == 4 and "answered HTTP 500: xxxx" in result.output
        assert len(result.output) < 2000
    else:
        assert result.exit_code == 0, result.output


def test_bearer_token_from_the_environment(out):
    with recording_server(204, b"") as (url, seen):
        result = push(out, "--endpoint", url + "/store", "--token-env", "KG_TEST_TOKEN",
                      env={"KG_TEST_TOKEN": "abc123"})
    assert result.exit_code == 0
    assert seen[0][2]["Authorization"] == "Bearer abc123"
    assert seen[0][1] == "/store?default="


def test_missing_secret_and_conflicting_options_exit_2(out):
    result = push(out, "--endpoint", "http://127.0.0.1:1/store", "--user", "u", "--password-env",
                  "KG_SURELY_UNSET_VARIABLE")
    assert result.exit_code == 2 and "KG_SURELY_UNSET_VARIABLE is not set" in result.output
    result = push(out, "--endpoint", "http://127.0.0.1:1/store", "--graph", "not-an-iri")
    assert result.exit_code == 2 and "not an absolute IRI" in result.output


ALL = "https://w3id.org/diplomacy-kg/graph/all"


def test_push_to_virtuoso_with_digest_answers_like_local(out, tmp_path):
    """A real Virtuoso: Digest authentication (the streamed body is sent again after the
    challenge), a named graph for what kg's default graph holds (Virtuoso's Graph Store
    endpoint has no default graph), and the competency queries answer as they do here."""
    local = open_store(out)
    with virtuoso(tmp_path) as url:
        env = {"KG_TEST_VIRTUOSO": "dba"}
        result = push(out, "--endpoint", url + "/sparql-graph-crud-auth", "--digest",
                      "--user", "dba", "--password-env", "KG_TEST_VIRTUOSO",
                      "--graph-per-article", "--graph", ALL, env=env)
        assert result.exit_code == 0, result.output
        assert "(HTTP 201)" in result.output
        wrong = push(out, "--endpoint", url + "/sparql-graph-crud-auth", "--digest",
                     "--user", "dba", "--password-env", "KG_TEST_VIRTUOSO", "--graph", ALL,
                     env={"KG_TEST_VIRTUOSO": "not-the-password"})
        assert wrong.exit_code == 4 and "refused the credentials" in wrong.output
        _virtuoso_answers_as_here(url, local)


def test_bulk_push_to_virtuoso_in_batches_of_sparql_update(out, tmp_path, monkeypatch):
    """Virtuoso's Graph Store endpoint takes one graph at a time: --update-endpoint sends
    the graphs in batches of SPARQL Update (small batches here, so that a graph spans
    several); pushed twice, nothing doubles, and the competency queries answer as here."""
    import kg.read.push

    monkeypatch.setattr(kg.read.push, "BATCH", 64 * 1024)
    local = open_store(out)
    env = {"KG_TEST_VIRTUOSO": "dba"}
    args = ["--endpoint", "http://unused.invalid/", "--bulk", "--graph", ALL, "--digest",
            "--user", "dba", "--password-env", "KG_TEST_VIRTUOSO"]
    with virtuoso(tmp_path) as url:
        for _ in range(2):
            result = push(out, *args, "--update-endpoint", url + "/sparql-auth", env=env)
            assert result.exit_code == 0, result.output
            assert f"in {1 + len(local.named_graphs())} graph(s) in " in result.output
            requests = int(result.output.split(" graph(s) in ")[-1].split(" request")[0])
            assert requests > 5
            counted = remote_rows(url, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                                       "FILTER (STRSTARTS(STR(?g), 'https://w3id.org/diplomacy-kg/')) }",
                                  endpoint="/sparql")
            ours = sum(local.triples(g) for g in local.named_graphs()) + sum(
                local.triples(g) for g in (None, *local.named_graphs()[-3:-1]))
            assert int(counted[0][0]) == ours
        _virtuoso_answers_as_here(url, local)
    result = push(out, "--endpoint", "http://x.invalid/", "--update-endpoint", "http://y.invalid/")
    assert result.exit_code == 2 and "--update-endpoint goes with --bulk" in result.output
    result = push(out, "--endpoint", "http://x.invalid/", "--no-transaction")
    assert result.exit_code == 2 and "--no-transaction goes with --bulk" in result.output
    result = push(out, "--endpoint", "http://x.invalid/", "--bulk", "--update-endpoint",
                  "http://y.invalid/")
    assert result.exit_code == 2 and "needs --graph IRI" in result.output


def test_update_batches_keep_a_graph_with_blank_nodes_whole(tmp_path, monkeypatch):
    """A blank node is one node within one INSERT DATA only: a graph that has some goes
    whole, in a request of its own, however small the batches."""
    import kg.read.push

    monkeypatch.setattr(kg.read.push, "BATCH", 2048)
    monkeypatch.setattr(kg.read.push, "PER_INSERT", 10)
    data = tmp_path / "list.trig"
    items = " ".join(f'"item {i}"' for i in range(300))
    data.write_text(f"<urn:g:list> {{ <urn:s> <urn:p> ( {items} ) . }}\n"
                    + "".join(f"<urn:g:{i}> {{ <urn:s> <urn:q> {i} . }}\n" for i in range(50)))
    with recording_server(200, b"ok") as (url, seen):
        result = push(data, "--endpoint", "http://x.invalid/", "--bulk", "--graph", "urn:g:all",
                      "--update-endpoint", url + "/update")
    assert result.exit_code == 0, result.output
    bodies = [body.decode() for _, _, _, body in seen]
    with_list = [b for b in bodies if "_:" in b]
    # the list's graph, and what the default graph holds (into urn:g:all): each whole
    assert len(with_list) == 2
    assert all(b.count("INSERT DATA") == 1 and b.count("syntax-ns#first") == 300
               for b in with_list)
    assert len(bodies) >= 4  # the other graphs in small batches (2 KiB)
    assert sum(b.count("<urn:q>") for b in bodies) == 100  # in their graphs and in urn:g:all


def _virtuoso_answers_as_here(url, local):
    """Every competency query, asked of Virtuoso FROM the graph that holds kg's default
    graph, answers as it does here."""
    for path in QUERIES:
        text = path.read_text(encoding="utf-8")
        head, where, rest = text.partition("WHERE")
        theirs = remote_rows(url, head + f"FROM <{ALL}> WHERE" + rest, endpoint="/sparql")
        ours = sorted(tuple("None" if v is None else v.value for v in row)
                      for row in run_query(local, text).rows)
        assert _seconds(theirs) == _seconds(ours), path.name


def _seconds(rows):
    """Rows with each xsd:dayTimeDuration as seconds: Virtuoso 7.2 answers P30D as
    2.592e+06, the same length written otherwise."""
    import re

    from rdflib import Literal
    from rdflib.namespace import XSD

    def one(value):
        if re.fullmatch(r"P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?", value) and value != "P":
            return Literal(value, datatype=XSD.dayTimeDuration).toPython().total_seconds()
        try:
            return float(value) if re.fullmatch(r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?", value) else value
        except ValueError:
            return value
    return sorted(tuple(one(v) for v in row) for row in rows)



@pytest.mark.parametrize("part", ["headers", "body"])
def test_timeout_bounds_the_whole_request_not_each_read(out, part):
    """A store that trickles its answer a byte every half second never trips a read
    timeout; --timeout still ends the request, with exit 4."""
    with endless_server(200, trickle=part) as url:
        start = time.monotonic()
        result = push(out, "--endpoint", url + "/store", "--graph", "urn:g", "--timeout", "2")
        took = time.monotonic() - start
    assert result.exit_code == 4, result.output
    assert "did not answer within --timeout 2 s" in result.output
    assert took < 15, took  # the request stopped at about 2 s, not at the answer's end


def test_push_from_a_running_event_loop(out):
    """A notebook runs an event loop: push works from inside one too."""
    import asyncio

    from kg.read.push import push as push_graph

    async def inside():
        with recording_server(204, b"") as (url, seen):
            result = push_graph(open_store(out), url + "/store", graph="urn:g")
        return result, seen

    result, seen = asyncio.run(inside())
    assert [u[3] for u in result.uploads] == [204] and len(seen) == 1

