"""kg serve: the SPARQL 1.1 Protocol, safe by default, answering real clients."""

import re
import shutil
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, SPARQLWrapper

from kg.build.pipeline import build
from kg.read.query import run_query
from kg.web.app import ServeConfig
from kg.source import open_store

from .conftest import ROOT, add_second_source
from .servers import kg_serve, recording_server

QUERIES = sorted((ROOT / "queries").glob("*.rq"))
NAME = "SELECT ?n WHERE { kgr:russian-delegation dip:headedBy/rdfs:label ?n }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


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


@pytest.fixture(scope="module")
def endpoint(out):
    with kg_serve(out, "--timeout", "3", "--max-rows", "50") as url:
        yield url


def get(url, query, accept=None, **params):
    headers = {"Accept": accept} if accept else {}
    return httpx.get(url + "/sparql", params={"query": query, **params}, headers=headers, timeout=30)


def local_rows(out, text):
    return sorted(tuple("None" if v is None else v.value for v in row)
                  for row in run_query(open_store(out), text).rows)


def test_get_and_both_kinds_of_post(endpoint):
    for response in (get(endpoint, NAME),
                     httpx.post(endpoint + "/sparql", data={"query": NAME}),
                     httpx.post(endpoint + "/sparql", content=NAME,
                                headers={"Content-Type": "application/sparql-query"})):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/sparql-results+json"
        assert response.json()["results"]["bindings"][0]["n"]["value"] == "Vladimir Medinsky"


@pytest.mark.parametrize("accept,media,check", [
    ("application/sparql-results+xml", "application/sparql-results+xml", "<sparql"),
    ("text/csv", "text/csv; charset=utf-8", "n\r\nVladimir Medinsky"),
    ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8", '?n\n"Vladimir Medinsky"@en'),
    ("text/csv;q=0.2, application/sparql-results+json", "application/sparql-results+json", '"bindings"'),
])
def test_select_content_negotiation(endpoint, accept, media, check):
    response = get(endpoint, NAME, accept)
    assert response.status_code == 200
    assert response.headers["content-type"] == media
    assert check in response.text


@pytest.mark.parametrize("accept,media,fmt", [("text/turtle", "text/turtle", "turtle"),
                                              ("application/n-triples", "application/n-triples", "nt"),
                                              ("application/ld+json", "application/ld+json", "json-ld")])
def test_construct_content_negotiation(endpoint, accept, media, fmt):
    query = "CONSTRUCT { ?d dip:headedBy ?h } WHERE { ?d dip:headedBy ?h }"
    response = get(endpoint, query, accept)
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    assert len(Graph().parse(data=response.text, format=fmt)) == 7  # 3 delegations in May, 2 in June, 2 in July


def test_ask_and_not_acceptable(endpoint):
    assert get(endpoint, "ASK { kgr:russia ?p ?o }").json() == {"head": {}, "boolean": True}
    response = get(endpoint, NAME, "image/png")
    assert response.status_code == 406 and "offered" in response.text


def test_status_codes(endpoint):
    bad = get(endpoint, "SELEC ?x WHERE { }")
    assert bad.status_code == 400
    assert bad.text.startswith("malformed query: line 1, column ")
    assert "the query is not valid SPARQL: expected" in bad.text
    missing = httpx.post(endpoint + "/sparql", data={"limit": "3"})
    assert missing.status_code == 400 and "missing 'query'" in missing.text
    assert httpx.put(endpoint + "/sparql", content=b"x").status_code == 405
    unsupported = httpx.post(endpoint + "/sparql", content=NAME, headers={"Content-Type": "text/plain"})
    assert unsupported.status_code == 415


def test_cors_for_browser_clients(endpoint):
    simple = httpx.get(endpoint + "/sparql", params={"query": NAME},
                       headers={"Origin": "http://example.org"})
    assert simple.headers["access-control-allow-origin"] == "*"
    preflight = httpx.options(endpoint + "/sparql", headers={
        "Origin": "http://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]


def test_query_page_works_offline(endpoint):
    page = httpx.get(endpoint + "/", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    # YASGUI, installed by the set-up and served from here: no script or style from elsewhere
    assert re.findall(r'<script src="([^"]+)"', page.text) == ["static/yasgui.min.js"]
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', page.text) == ["static/yasgui.min.css"]
    for asset in ("yasgui.min.js", "yasgui.min.css"):
        assert httpx.get(endpoint + "/static/" + asset).status_code == 200
    assert httpx.get(endpoint + "/static/../serve.py").status_code == 404
    # prefix completion offers our prefixes, from this server
    assert httpx.get(endpoint + "/static/prefixes.json").json()["dip"] == (
        "https://w3id.org/diplomacy-kg/ontology#")
    assert "prefixCcApi" in page.text
    # the competency questions, listed by their question
    assert "Who led the Russian delegation?" in page.text


def test_query_page_in_headless_chromium(endpoint):
    from urllib.parse import quote

    from .test_viz import _run_chromium

    dom = _run_chromium("--dump-dom", endpoint + "/").stdout
    assert 'data-ready="yes"' in dom and "CodeMirror" in dom
    assert f'data-examples="{len(QUERIES)}"' in dom
    # a query in the page's address runs, and its entities link to their pages here
    query = "SELECT ?c WHERE { ?c a dip:Country } ORDER BY ?c"
    dom = _run_chromium("--dump-dom", endpoint + "/#" + "query=" + quote(query)).stdout
    assert 'href="/id/russia"' in dom and "kgr:united-states" in dom


@pytest.mark.parametrize("update", [
    {"data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
    {"content": "DROP ALL", "headers": {"Content-Type": "application/sparql-update"}},
    {"content": "LOAD <http://example.org/x>", "headers": {"Content-Type": "application/sparql-update"}},
])
def test_read_only(endpoint, update):
    response = httpx.post(endpoint + "/sparql", **update)
    assert response.status_code == 403 and "read-only" in response.text
    assert get(endpoint, NAME).json()["results"]["bindings"]  # data unchanged


def test_update_sent_as_a_query_is_refused(endpoint):
    response = get(endpoint, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert response.status_code == 400


def test_service_reaches_no_server(endpoint):
    with recording_server() as (url, seen):
        response = get(endpoint, f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}")
        silent = get(endpoint, f"SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}")
    assert response.status_code == 400 and "the query calls SERVICE" in response.text
    assert silent.status_code == 400
    assert seen == []


@pytest.mark.parametrize("query, message", [
    ("SELECT * WHERE { " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000 + " }", "nests brackets 5001 deep"),
    ("SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
     "nests brackets 5002 deep"),
    ("SELECT * WHERE { ?s ?p ?o " + " OPTIONAL { ?s ?p ?o }" * 10000 + " }",
     "chains 10000 operators"),
    ("SELECT * WHERE { FILTER(" + "+".join(["1"] * 200000) + " > 0) }", "chains 200000 operators"),
    ("SELECT * WHERE { ?s " + "/".join(["<urn:p>"] * 50000) + " ?o }", "chains 49999 operators"),
    ("SELECT * WHERE { " + " . ".join(f"?s <urn:p> ?o{i}" for i in range(20000)) + " }",
     "joins 19999 triple patterns"),
])
def test_a_deeply_nested_query_is_refused_and_the_worker_lives(endpoint, query, message):
    response = httpx.post(endpoint + "/sparql", data={"query": query}, timeout=30)
    assert response.status_code == 400 and message in response.text
    assert get(endpoint, NAME).json()["results"]["bindings"]  # the same worker answers on


def test_from_never_dereferences(endpoint, tmp_path):
    secret = tmp_path / "secret.ttl"
    secret.write_text("<urn:s> <urn:p> <urn:secret> .\n")
    with recording_server(body=b"<urn:s> <urn:p> <urn:remote> .") as (url, seen):
        for clause in (f"FROM <{secret.as_uri()}>", f"FROM NAMED <{secret.as_uri()}>",
                       "FROM <file:///etc/passwd>", f"FROM <{url}/data.ttl>"):
            response = get(endpoint, f"SELECT * {clause} WHERE {{ {{ ?s ?p ?o }} UNION "
                                     "{ GRAPH ?g { ?s ?p ?o } } }")
            assert response.status_code == 200, response.text
            assert response.json()["results"]["bindings"] == [], clause
    assert seen == []


def test_from_names_a_graph_of_the_dataset(endpoint, out):
    query = ("SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/diplomacy-kg/graph/reference> "
             "WHERE { ?s ?p ?o }")
    reference = (out / "cache/units/reference.nq").read_bytes().count(
        b" <https://w3id.org/diplomacy-kg/graph/reference> .\n")  # its records
    assert reference > 90
    assert get(endpoint, query).json()["results"]["bindings"][0]["n"]["value"] == str(reference)


def test_row_cap(endpoint):
    response = get(endpoint, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert len(response.json()["results"]["bindings"]) == 50
    assert response.headers["x-kg-truncated"] == "50"


def test_runaway_query_is_stopped_and_the_endpoint_recovers(endpoint):
    response = get(endpoint, RUNAWAY)
    assert response.status_code == 503
    assert "longer than the time limit of 3 s" in response.text
    assert response.elapsed.total_seconds() < 15
    for _ in range(3):  # the killed worker is replaced; queries go on being answered
        assert get(endpoint, NAME).status_code == 200


def test_a_short_query_does_not_wait_behind_a_long_one_on_the_same_worker(out):
    """One worker answers several queries at once: while a runaway query runs to its time
    limit, short ones are answered; once it is stopped (and its worker with it), the
    endpoint goes on."""
    import threading
    import time

    with kg_serve(out, "--timeout", "4", "--workers", "1", "--threads", "4") as url:
        runaway = []
        thread = threading.Thread(target=lambda: runaway.append(get(url, RUNAWAY)))
        thread.start()
        time.sleep(0.5)
        start = time.monotonic()
        for _ in range(3):
            response = get(url, NAME)
            assert response.status_code == 200 and "Vladimir Medinsky" in response.text
        assert time.monotonic() - start < 3  # before the runaway's limit stopped it
        thread.join()
        assert runaway[0].status_code == 503
        assert get(url, NAME).status_code == 200


def test_a_port_in_use_is_a_clear_input_error(endpoint, out):
    from click.testing import CliRunner

    from kg.cli import main

    port = endpoint.rsplit(":", 1)[1]
    result = CliRunner().invoke(main, ["serve", str(out), "--port", port])
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in result.output


def test_binds_to_loopback_by_default():
    from click.testing import CliRunner

    from kg.cli import main

    assert ServeConfig().host == "127.0.0.1"
    help_text = CliRunner().invoke(main, ["serve", "--help"]).output
    assert "[default: 127.0.0.1]" in help_text


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_sparqlwrapper_answers_like_kg_query(endpoint, out, path):
    text = path.read_text(encoding="utf-8")
    client = SPARQLWrapper(endpoint + "/sparql")
    client.setQuery(text)
    client.setReturnFormat(JSON)
    data = client.query().convert()
    names = data["head"]["vars"]
    remote = sorted(tuple(b[v]["value"] if v in b else "None" for v in names)
                    for b in data["results"]["bindings"])
    assert remote == local_rows(out, text) and remote


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_rdflib_sparqlstore_answers_like_kg_query(endpoint, out, path):
    text = path.read_text(encoding="utf-8")
    store = Graph(SPARQLStore(endpoint + "/sparql", returnFormat="json"))
    remote = sorted(tuple(str(v) for v in row) for row in store.query(text))
    assert remote == local_rows(out, text) and remote


def test_load_200_queries_from_20_threads(endpoint):
    texts = [p.read_text(encoding="utf-8") for p in QUERIES]

    def one(i):
        response = httpx.post(endpoint + "/sparql", data={"query": texts[i % len(texts)]},
                              timeout=60)
        return response.status_code, len(response.json()["results"]["bindings"])

    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(one, range(200)))
    assert len(results) == 200
    assert all(status == 200 and rows > 0 for status, rows in results)


def test_service_description_without_a_query(endpoint, out):
    from rdflib import URIRef
    from rdflib.namespace import Namespace

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    void = Namespace("http://rdfs.org/ns/void#")
    response = httpx.get(endpoint + "/sparql")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    service = URIRef(endpoint + "/sparql")
    assert (service, sd.endpoint, service) in graph
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in graph
    default = graph.value(graph.value(service, sd.defaultDataset), sd.defaultGraph)
    everything = local_rows(out, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0][0]
    assert int(graph.value(default, void.triples)) == int(everything) > open_store(out).triples()
    names = {str(n) for n in graph.objects(None, sd.name)}
    assert {"https://w3id.org/diplomacy-kg/graph/reference",
            "https://w3id.org/diplomacy-kg/graph/ontology"} <= names
    assert not any("/id/fact/" in n for n in names)  # one graph per fact: not listed one by one
    as_jsonld = httpx.get(endpoint + "/sparql", headers={"Accept": "application/ld+json"})
    assert as_jsonld.headers["content-type"].startswith("application/ld+json")
    assert len(Graph().parse(data=as_jsonld.text, format="json-ld")) == len(graph)
    browser = httpx.get(endpoint + "/sparql", headers={
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert browser.headers["content-type"].startswith("text/html")  # the query page


def test_head_answers_as_get_without_a_body(endpoint):
    head = httpx.head(endpoint + "/sparql", params={"query": NAME})
    got = get(endpoint, NAME)
    assert head.status_code == 200 == got.status_code
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.content == b""


def test_two_query_parameters_are_refused(endpoint):
    twice = httpx.get(endpoint + "/sparql", params=[("query", NAME), ("query", "ASK {}")])
    assert twice.status_code == 400 and "2 'query' parameters" in twice.text
    form = httpx.post(endpoint + "/sparql", content="query=ASK%7B%7D&query=ASK%7B%7D",
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert form.status_code == 400


def test_request_body_is_capped(endpoint):
    from kg.limits import LIMITS

    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * LIMITS["body"].bytes
    for response in (httpx.post(endpoint + "/sparql", data={"query": big}),
                     httpx.post(endpoint + "/sparql", content=big,
                                headers={"Content-Type": "application/sparql-query"})):
        assert response.status_code == 413 and "larger than 1 MiB" in response.text
    # a body sent in chunks, without a length, is cut off at the limit too
    def chunks():
        for _ in range(LIMITS["body"].bytes // 65536 + 2):
            yield b"#" + b"x" * 65535
    streamed = httpx.post(endpoint + "/sparql", content=chunks(),
                          headers={"Content-Type": "application/sparql-query"})
    assert streamed.status_code == 413
    # and the endpoint still answers
    assert get(endpoint, NAME).status_code == 200


def test_entity_iris_resolve_as_linked_data(endpoint):
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDFS

    fidan = URIRef("https://w3id.org/diplomacy-kg/id/hakan-fidan")
    turtle = httpx.get(endpoint + "/id/hakan-fidan")
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (fidan, RDFS.label, Literal("Hakan Fidan", lang="en")) in graph
    for accept, fmt in (("application/ld+json", "json-ld"), ("application/n-triples", "nt")):
        other = httpx.get(endpoint + "/id/hakan-fidan", headers={"Accept": accept})
        assert other.headers["content-type"].startswith(accept)
        assert len(Graph().parse(data=other.text, format=fmt)) == len(graph)
    chosen = httpx.get(endpoint + "/id/hakan-fidan", params={"format": "nt"})
    assert chosen.headers["content-type"].startswith("application/n-triples")
    page = httpx.get(endpoint + "/id/hakan-fidan", headers={
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>Hakan Fidan</h1>" in page.text
    # each relation with the article's words and the article, linked to its own page
    assert "Turkish Foreign Minister Hakan Fidan hosted a preliminary session" in page.text
    assert 'href="/id/article/2025-05-16-istanbul-talks"' in page.text
    assert 'href="/id/preliminary-session"' in page.text
    assert httpx.get(endpoint + "/id/nobody-at-all").status_code == 404
    assert httpx.get(endpoint + "/id/%2e%2e/sparql").status_code == 404  # no way out of /id/


def test_articles_and_facts_resolve_too(endpoint):
    article = httpx.get(endpoint + "/id/article/2025-06-02-istanbul-exchange",
                        headers={"Accept": "text/html"})
    assert article.status_code == 200
    assert "<h1>Russia and Ukraine agree on prisoner exchange" in article.text
    facts = re.findall(r'href="(/id/fact/2025-06-02-istanbul-exchange\.[^"]+)"', article.text)
    assert facts
    fact = httpx.get(endpoint + facts[0], headers={"Accept": "text/html"})
    assert fact.status_code == 200 and "In its graph" in fact.text


@pytest.mark.parametrize("accept,fmt", [("application/trig", "trig"),
                                        ("application/n-quads", "nquads"),
                                        ("application/rdf+xml", "xml")])
def test_construct_as_trig_nquads_rdfxml(endpoint, accept, fmt):
    from rdflib import Dataset

    response = get(endpoint, "CONSTRUCT { ?d dip:headedBy ?h } WHERE { ?d dip:headedBy ?h }", accept)
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    if fmt == "xml":
        assert len(Graph().parse(data=response.text, format=fmt)) == 7
    else:
        assert len(list(Dataset().parse(data=response.text, format=fmt).quads())) == 7


def test_select_as_an_html_table_for_a_browser(endpoint):
    response = get(endpoint, "SELECT ?c WHERE { ?c a dip:Country } ORDER BY ?c", "text/html")
    assert response.headers["content-type"].startswith("text/html")
    assert response.text.count("<tr>") == 5 and '<a href="/id/russia">kgr:russia</a>' in response.text
