"""Serve a built graph over the SPARQL 1.1 Protocol: read-only, no federation, time-limited.

Queries run in worker processes that each open the build's store read-only (one store on
disk, shared through the operating system's cache, not a copy of the graph per worker). A
worker that passes the time limit is killed and replaced, so a runaway query stops instead
of burning a core. Every query goes through the guard of `kg.store.sparql.execute` (no SERVICE;
FROM only names graphs of the store, which Oxigraph never dereferences; a row cap), and
before a worker answers queries it installs an audit hook that refuses network connections
and file opens from Python.
"""

from __future__ import annotations

__all__ = ["ServeConfig", "QueryPool", "create_app", "serve", "negotiate",
           "service_description", "RESULT_TYPES", "GRAPH_TYPES"]

import html
import multiprocessing
import os
import queue
import re
import sys
import threading
import time
from dataclasses import dataclass
from urllib.parse import parse_qs
from pathlib import Path

from kg.errors import InputError, InputError as Refused
from kg.limits import LIMITS
from kg.read.query import local_href, serialize_result
from kg.source import open_store
from kg.store.generations import store_path
from kg.store.graphs import GraphStore
from kg.store.sparql import execute, query_kind, QueryRefused
from kg.vocab.namespaces import compact, PREFIX_IRIS


KGF_IRI = PREFIX_IRIS["kgf"]
KGR_IRI = PREFIX_IRIS["kgr"]
#: What an entity's IRI answers in, by content negotiation: Turtle for a client that
#: takes anything, HTML for a browser.
ENTITY_TYPES = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "rdf-xml",
    "text/html": "html",
}
# what an entity page shows: each triple about it (and pointing to it), with the words and
# the article of each curated fact that states it
_ENTITY_OUT = """SELECT ?p ?o ?words ?article ?basis WHERE {
  <$THIS> ?p ?o .
  OPTIONAL { GRAPH ?fact { <$THIS> ?p ?o }
             OPTIONAL { ?fact dip:evidence ?e . ?e oa:exact ?words ; oa:hasSource ?article }
             OPTIONAL { ?fact dip:basis ?basis } }
} ORDER BY ?p ?o ?article"""
_ENTITY_IN = """SELECT ?s ?p ?words ?article ?basis WHERE {
  ?s ?p <$THIS> . FILTER(isIRI(?s))
  OPTIONAL { GRAPH ?fact { ?s ?p <$THIS> }
             OPTIONAL { ?fact dip:evidence ?e . ?e oa:exact ?words ; oa:hasSource ?article }
             OPTIONAL { ?fact dip:basis ?basis } }
} ORDER BY ?p ?s ?article LIMIT 2000"""
_ENTITY_ASSERTS = """SELECT ?s ?p ?o WHERE { GRAPH <$THIS> { ?s ?p ?o } } ORDER BY ?s ?p ?o LIMIT 2000"""

#: Media types for SELECT and ASK results, in order of preference, and rdflib's format names.
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/html": "html",
}
#: Media types for CONSTRUCT and DESCRIBE results, in order of preference.
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "rdf-xml",
    "application/trig": "trig",
    "application/n-quads": "nquads",
    "text/plain": "nt",
}


@dataclass(frozen=True)
class ServeConfig:
    """What `kg serve` runs with."""

    source: str = "out"
    host: str = "127.0.0.1"
    port: int = 7070
    timeout: float = 10.0
    max_rows: int = 10_000
    workers: int = 2
    inferred: bool = True


def negotiate(accept: str | None, offered: dict[str, str]) -> str | None:
    """The offered media type that `accept` (an HTTP Accept header) prefers, or None.

    Examples
    --------
    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULT_TYPES)
    'application/sparql-results+xml'
    >>> negotiate("*/*", GRAPH_TYPES), negotiate(None, GRAPH_TYPES)
    ('text/turtle', 'text/turtle')
    >>> negotiate("image/png", RESULT_TYPES) is None
    True
    """
    if not accept or not accept.strip():
        return next(iter(offered))
    ranges = []
    for order, item in enumerate(accept.split(",")):
        parts = [p.strip() for p in item.split(";")]
        kind, q = parts[0].lower(), 1.0
        for param in parts[1:]:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if kind:
            ranges.append((kind, q, order))
    best, best_key = None, None
    for rank, media in enumerate(offered):
        major = media.split("/")[0]
        for kind, q, order in ranges:
            specificity = 2 if kind == media else 1 if kind == f"{major}/*" else \
                0 if kind == "*/*" else -1
            if specificity < 0 or q <= 0:
                continue
            key = (q, specificity, -rank)
            if best_key is None or key > best_key:
                best, best_key = media, key
    return best


# --- worker processes -----------------------------------------------------------------------

def _worker(conn, source: str, max_rows: int, inferred: bool = True) -> None:
    """Open the store, then answer queries from `conn` until it closes."""
    try:
        import pyoxigraph as ox


        store = open_store(source)
        # a build folder's store is a link to its current generation: follow a rebuild
        link = store_path(source) if Path(source).is_dir() else None
        opened = os.path.realpath(link) if link else None
        # warm up every serializer so that nothing is imported once the audit hook is on
        for text, formats in (("SELECT * WHERE { ?s ?p ?o } LIMIT 1", RESULT_TYPES.values()),
                              ("ASK { ?s ?p ?o }", ("json", "xml", "csv", "tsv")),
                              ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", GRAPH_TYPES.values())):
            answer = _execute(store, text, max_rows, inferred)
            for fmt in formats:
                serialize_result(answer, fmt)
        triples = store.triples()
        sys.addaudithook(_refuse_outside_access)
    except BaseException as exc:  # report why the worker cannot start, then stop
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", triples))
    while True:
        try:
            text, accept = conn.recv()
        except (EOFError, OSError):
            return
        if opened is not None:
            current = os.path.realpath(Path(source) / "store")
            if current != opened and os.path.isdir(current):
                try:
                    store = GraphStore(ox.Store.read_only(current), source)
                    opened = current
                except OSError:
                    pass  # keep answering from the generation already open
        conn.send(_answer(store, text, accept, max_rows, serialize_result, inferred))


def _execute(store, text, max_rows, inferred=True):

    return execute(store, text, max_rows=max_rows, inferred=inferred)


_ALLOWED_SUFFIXES = (".py", ".pyc", ".so", ".pth")


def _refuse_outside_access(event: str, args: tuple) -> None:
    if event in ("urllib.Request", "socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
                 "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn"):
        raise PermissionError(f"kg serve does not let queries reach the network or run "
                              f"programs ({event})")
    if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.fsdecode(args[0])
        if not path.endswith(_ALLOWED_SUFFIXES):
            raise PermissionError(f"kg serve does not let queries read files ({path})")


def _answer(store, text, accept, max_rows, serialize, inferred=True) -> tuple:
    """(status, media type, body, headers) for one query."""

    kind = query_kind(text)
    offered = GRAPH_TYPES if kind in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES
    media = negotiate(accept, offered)
    if media is None:
        wanted = ", ".join(offered)
        return 406, "text/plain", f"cannot answer in {accept}; offered: {wanted}\n".encode(), {}
    try:
        answer = _execute(store, text, max_rows, inferred)
    except QueryRefused as exc:
        return 400, "text/plain", f"{exc}\n".encode(), {}
    except Refused as exc:
        return 400, "text/plain", _message("malformed query", exc), {}
    try:
        body = serialize(answer, offered[media])
    except Exception as exc:
        return 500, "text/plain", _message("the answer could not be written", exc), {}
    headers = {"X-KG-Truncated": str(max_rows)} if answer.truncated else {}
    charset = "; charset=utf-8" if not media.endswith(("json", "xml")) else ""
    return 200, media + charset, body, headers


def _message(what: str, exc: Exception) -> bytes:
    return f"{what}: {' '.join(str(exc).split()) or type(exc).__name__}\n".encode()


#: What a client may ask a service description in, by media type (rdflib's format names).
DESCRIPTION_TYPES = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-triples": "nt",
}


def service_description(endpoint: str, graphs: list[str], triples: int,
                        media: str = "text/turtle", inferred: bool = True) -> bytes:
    """The endpoint's SPARQL 1.1 Service Description, in the RDF format `media` names.

    It says what the endpoint speaks (SPARQL 1.1 Query; results as JSON, XML, CSV, TSV;
    graphs as Turtle, N-Triples, JSON-LD, RDF/XML), that it is read-only and calls no
    other service, and what its default dataset holds: the default graph a query sees
    (with `inferred`, what the sources state, the ontology and the inferred triples; else
    what the sources state), with its count of `triples`, and the named `graphs` (the
    per-fact graphs are not listed one by one).

    Examples
    --------
    >>> body = service_description("http://127.0.0.1:7070/sparql", ["urn:g"], 10)
    >>> b"sd:endpoint <http://127.0.0.1:7070/sparql>" in body
    True
    """
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import RDF, XSD

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    formats = Namespace("http://www.w3.org/ns/formats/")
    void = Namespace("http://rdfs.org/ns/void#")
    dcterms = Namespace("http://purl.org/dc/terms/")
    g = Graph()
    for prefix, namespace in (("sd", sd), ("formats", formats), ("void", void),
                              ("dcterms", dcterms)):
        g.bind(prefix, namespace)
    service = URIRef(endpoint)
    g.add((service, RDF.type, sd.Service))
    g.add((service, sd.endpoint, service))
    g.add((service, sd.supportedLanguage, sd.SPARQL11Query))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                 "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        g.add((service, sd.resultFormat, formats[name]))
    g.add((service, dcterms.description, Literal(
        "kg's read-only SPARQL endpoint: SPARQL Update, SERVICE and default-graph-uri are "
        "refused; FROM names only graphs of the store. The default graph holds what the "
        "sources state (each triple once, the truthy values where curators ranked facts)"
        + (", the ontology and the inferred triples" if inferred else " and nothing else")
        + ". Each curated fact also has a named graph of its own, under "
        f"{PREFIX_IRIS['kgf']}, with the passage of the article that supports it.",
        lang="en")))
    dataset, default = BNode("dataset"), BNode("default")
    g.add((service, sd.defaultDataset, dataset))
    g.add((dataset, RDF.type, sd.Dataset))
    g.add((dataset, sd.defaultGraph, default))
    g.add((default, RDF.type, sd.Graph))
    g.add((default, void.triples, Literal(triples, datatype=XSD.integer)))
    for number, name in enumerate(graphs):
        named = BNode(f"graph{number}")
        g.add((dataset, sd.namedGraph, named))
        g.add((named, RDF.type, sd.NamedGraph))
        g.add((named, sd.name, URIRef(name)))
    return g.serialize(format=DESCRIPTION_TYPES[media], encoding="utf-8")


def _term_html(binding: dict | None) -> str:
    """A SPARQL JSON binding in HTML: our resources link to their page here (``/id/...``),
    other IRIs to themselves, literals as text with their language."""

    if not binding:
        return ""
    value = binding["value"]
    if binding["type"] == "uri":
        return (f'<a href="{html.escape(local_href(value), quote=True)}">'
                f'{html.escape(compact(value))}</a>')
    lang = binding.get("xml:lang")
    return html.escape(value) + (f' <small>@{html.escape(lang)}</small>' if lang else "")


def entity_page(iri: str, out_rows: list[dict], in_rows: list[dict],
                asserted: list[dict]) -> str:
    """An entity's page: its label and types, then every relation from it and to it, each
    with the words of the article that state it and the article (or "background" or
    "inferred"); for a curated fact, the triples it asserts.

    Examples
    --------
    >>> page = entity_page("https://w3id.org/diplomacy-kg/id/x", [
    ...     {"p": {"type": "uri", "value": "http://www.w3.org/2000/01/rdf-schema#label"},
    ...      "o": {"type": "literal", "value": "X", "xml:lang": "en"}}], [], [])
    >>> "<h1>X</h1>" in page and 'href="/id/x"' not in page
    True
    """

    label = next((r["o"]["value"] for r in out_rows
                  if r["p"]["value"].endswith(("#label", "/headline"))
                  and r["o"].get("xml:lang", "en") == "en"), compact(iri))
    # what the articles state first, then background knowledge, then the rest
    rank = lambda r: (0 if r.get("words") else 1 if r.get("basis") else 2)  # noqa: E731
    out_rows = sorted(out_rows, key=rank)
    in_rows = sorted(in_rows, key=rank)

    def how(row: dict) -> str:
        if row.get("words"):
            return (f"“{html.escape(row['words']['value'])}” — "
                    f"{_term_html(row.get('article'))}")
        basis = row.get("basis", {}).get("value", "")
        return "background knowledge" if basis.endswith("Background") else "inferred or recorded"

    def table(rows, first, second, heading) -> str:
        if not rows:
            return ""
        body = "".join(f"<tr><td>{_term_html(r.get(first))}</td><td>{_term_html(r.get(second))}"
                       f"</td><td>{how(r)}</td></tr>" for r in rows)
        return (f"<h2>{heading}</h2><table><thead><tr><th>{first}</th><th>{second}</th>"
                f"<th>the words, and their article</th></tr></thead><tbody>{body}</tbody>"
                "</table>")

    asserts = ""
    if asserted:
        body = "".join(f"<tr><td>{_term_html(r['s'])}</td><td>{_term_html(r['p'])}</td>"
                       f"<td>{_term_html(r['o'])}</td></tr>" for r in asserted)
        asserts = ("<h2>In its graph (what a fact asserts; an article's records)</h2>"
                   "<table><thead><tr><th>subject</th>"
                   f"<th>property</th><th>value</th></tr></thead><tbody>{body}</tbody></table>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(label)}</title>
<style>body{{font:14px/1.4 system-ui,sans-serif;margin:16px;max-width:72em}}
td,th{{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}}
table{{border-collapse:collapse;margin-bottom:1em}} code{{background:#f3f3f3}}</style></head>
<body><h1>{html.escape(label)}</h1>
<p><code>{html.escape(iri)}</code> · also as <a href="?format=turtle">Turtle</a>,
<a href="?format=json-ld">JSON-LD</a>, <a href="?format=nt">N-Triples</a> (or by content
negotiation: <code>Accept: text/turtle</code>, ...) · <a href="/">query page</a></p>
{asserts}{table(out_rows, "p", "o", "About it")}{table(in_rows, "s", "p", "Pointing to it")}
</body></html>
"""


class QueryPool:
    """Worker processes that answer queries, each within `timeout` seconds.

    Examples
    --------
    >>> pool = QueryPool("data", workers=1, timeout=20)
    >>> status, media, body, headers = pool.run("ASK { kgr:russia ?p ?o }", "application/sparql-results+json")
    >>> status, media, b'"boolean": true' in body
    (200, 'application/sparql-results+json', True)
    >>> pool.close()
    """

    def __init__(self, source: str, workers: int = 2, timeout: float = 10.0,
                 max_rows: int = 10_000, start_timeout: float = 300.0,
                 inferred: bool = True):
        if workers < 1:
            raise InputError(f"--workers must be at least 1, not {workers}")
        if timeout <= 0:
            raise InputError(f"--timeout must be positive, not {timeout}")
        self.source, self.timeout, self.max_rows = str(source), timeout, max_rows
        self.inferred = inferred
        self.start_timeout = start_timeout
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue = queue.Queue()
        self._closed = False
        self.triples = 0
        started = [self._start() for _ in range(workers)]
        for worker in started:
            self.triples = self._await_ready(worker)
            self._idle.put(worker)

    def run(self, text: str, accept: str | None) -> tuple[int, str, bytes, dict]:
        """Answer one query: ``(status, media type, body, headers)``."""
        try:
            worker = self._idle.get(timeout=self.timeout * 3)
        except queue.Empty:
            return 503, "text/plain", b"all query workers are busy; try again\n", {"Retry-After": "1"}
        process, conn = worker
        try:
            conn.send((text, accept))
            if conn.poll(self.timeout):
                answer = conn.recv()
                self._idle.put(worker)
                return answer
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            return 500, "text/plain", b"the query worker stopped; the query was not answered\n", {}
        self._replace(worker)
        return (503, "text/plain",
                f"the query took longer than the time limit of {self.timeout:g} s and was "
                f"stopped; narrow it or raise --timeout\n".encode(), {})

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        while True:
            try:
                process, conn = self._idle.get_nowait()
            except queue.Empty:
                break
            conn.close()
            process.terminate()
            process.join(5)

    def _start(self):
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker, args=(child, self.source, self.max_rows,
                                                              self.inferred),
                                        daemon=True)
        process.start()
        child.close()
        return process, parent

    def _await_ready(self, worker) -> int:
        process, conn = worker
        if not conn.poll(self.start_timeout):
            process.terminate()
            raise InputError(f"{self.source}: the graph did not load within "
                             f"{self.start_timeout:g} s")
        state, detail = conn.recv()
        if state != "ready":
            process.join(5)
            raise InputError(f"cannot serve {self.source}: {detail}")
        return detail

    def _replace(self, worker) -> None:
        process, conn = worker
        process.kill()
        conn.close()

        def restart():
            if self._closed:
                return
            fresh = self._start()
            try:
                self._await_ready(fresh)
            except InputError:
                return
            self._idle.put(fresh)

        threading.Thread(target=restart, daemon=True).start()


# --- HTTP -----------------------------------------------------------------------------------

def create_app(pool: QueryPool, queries_dir: str | Path | None = "queries"):
    """The Starlette application: ``/sparql`` (and ``/``) speak the SPARQL 1.1 Protocol.

    Examples
    --------
    >>> pool = QueryPool("data", workers=1, timeout=20)
    >>> [route.path for route in create_app(pool).routes]
    ['/', '/sparql', '/health', '/id/{path:path}', '/static/{name}']
    >>> pool.close()
    """
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
    from starlette.routing import Route

    page = (_yasgui_page(queries_dir) if (YASGUI / "yasgui.min.js").is_file()
            else _page(queries_dir)).encode()
    assets = {name: (YASGUI / name).read_bytes() for name in ("yasgui.min.js", "yasgui.min.css")
              if (YASGUI / name).is_file()}
    limit = LIMITS["body"].bytes
    graphs: list[str] = []  # the named graphs but the facts', and the default graph's size
    sizes: list[int] = []

    def too_large(what: str):
        return PlainTextResponse(f"{what} is larger than {LIMITS['body'].human()}, the "
                                 "limit of this endpoint; send a shorter query\n",
                                 status_code=413)

    async def body_of(request) -> bytes | None:
        """The request's body, or None past the limit (read no further than that)."""
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            return None
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
        return b"".join(chunks)

    def single(values: list, name: str):
        if len(values) > 1:
            return PlainTextResponse(f"{len(values)} '{name}' parameters: give one (the "
                                     "SPARQL 1.1 Protocol allows exactly one)\n",
                                     status_code=400)
        return None

    async def ask(query: str) -> list[dict]:
        import json

        status, _, body, _ = await run_in_threadpool(pool.run, query,
                                                     "application/sparql-results+json")
        return json.loads(body)["results"]["bindings"] if status == 200 else []

    async def description(request):
        if not sizes:  # asked once, through the workers, as any query
            graphs.extend(b["g"]["value"] for b in await ask(
                "SELECT DISTINCT ?g WHERE { GRAPH ?g { } FILTER(!STRSTARTS(STR(?g), "
                f"\"{KGF_IRI}\")) }} ORDER BY ?g"))
            sizes.extend(int(b["n"]["value"]) for b in await ask(
                "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
        media = negotiate(request.headers.get("accept"), DESCRIPTION_TYPES)
        if media is None:
            wanted = ", ".join(DESCRIPTION_TYPES)
            return PlainTextResponse(f"the service description is offered in: {wanted}\n",
                                     status_code=406)
        endpoint = str(request.url.replace(query=""))
        body = service_description(endpoint, graphs, sizes[0] if sizes else pool.triples,
                                   media, pool.inferred)
        return Response(body, media_type=media, headers={"Vary": "Accept"})

    async def sparql(request):
        if request.method in ("GET", "HEAD"):
            params = request.query_params
            if "update" in params:
                return _read_only()
            refused = single(params.getlist("query"), "query")
            if refused:
                return refused
            text = params.get("query")
            if text is None:
                # a browser (which prefers HTML) gets the query page, a client the description
                wanted = negotiate(request.headers.get("accept"),
                                   {**DESCRIPTION_TYPES, "text/html": ""})
                if request.url.path == "/" or wanted == "text/html":
                    return HTMLResponse(page)
                return await description(request)
        else:
            media = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if media == "application/sparql-update":
                return _read_only()
            if media not in ("application/sparql-query", "application/x-www-form-urlencoded"):
                return PlainTextResponse(
                    "POST a query as application/sparql-query or as the form field 'query' "
                    "(application/x-www-form-urlencoded)\n", status_code=415)
            body = await body_of(request)
            if body is None:
                return too_large("the request body")
            if media == "application/sparql-query":
                text = body.decode("utf-8", "replace")
                params = request.query_params
            else:
                # the standard library parses url-encoded forms; Starlette's form() would need
                # python-multipart for this alone
                form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
                if "update" in form:
                    return _read_only()
                refused = single(form.get("query", []), "query")
                if refused:
                    return refused
                params = {k: v[0] for k, v in form.items()}
                text = params.get("query")
                if text is None:
                    return PlainTextResponse("missing 'query' parameter\n", status_code=400)
        if len(text.encode("utf-8", "surrogatepass")) > limit:
            return too_large("the query")
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            return PlainTextResponse("default-graph-uri and named-graph-uri are not supported; "
                                     "use FROM or GRAPH in the query\n", status_code=400)
        status, media, body, headers = await run_in_threadpool(
            pool.run, text, request.headers.get("accept"))
        return Response(body, status_code=status, media_type=media,
                        headers={**headers, "Vary": "Accept"})

    def _read_only():
        return PlainTextResponse("this endpoint is read-only: SPARQL Update is refused\n",
                                 status_code=403)

    async def resource(request):
        """``/id/...``: an entity, an article or a curated fact, as linked data."""
        path = request.path_params["path"]
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/-]*", path) or ".." in path:
            return PlainTextResponse("no such resource\n", status_code=404)
        iri = KGR_IRI + path
        known = await ask(f"SELECT ?x WHERE {{ {{ <{iri}> ?p ?x }} UNION {{ ?x ?p <{iri}> }} }} "
                          "LIMIT 1")
        if not known:
            return PlainTextResponse(f"{iri} is not in this graph\n", status_code=404)
        media = negotiate(request.headers.get("accept"), ENTITY_TYPES)
        chosen = request.query_params.get("format")
        if chosen is not None:  # a link may choose the format: ?format=turtle
            media = next((m for m, f in ENTITY_TYPES.items() if f == chosen), None)
        if media is None:
            wanted = ", ".join(ENTITY_TYPES)
            return PlainTextResponse(f"a resource is offered in: {wanted}\n", status_code=406)
        if media == "text/html":
            page = entity_page(iri, await ask(_ENTITY_OUT.replace("$THIS", iri)),
                               await ask(_ENTITY_IN.replace("$THIS", iri)),
                               await ask(_ENTITY_ASSERTS.replace("$THIS", iri)))
            return HTMLResponse(page, headers={"Vary": "Accept"})
        status, media, body, headers = await run_in_threadpool(
            pool.run, f"DESCRIBE <{iri}>", media)
        return Response(body, status_code=status, media_type=media,
                        headers={**headers, "Vary": "Accept"})

    async def static(request):
        name = request.path_params["name"]
        if name == "prefixes.json":  # for the query page's prefix completion
            return JSONResponse(PREFIX_IRIS)
        if name not in assets:
            return PlainTextResponse("not found\n", status_code=404)
        kind = "text/javascript" if name.endswith(".js") else "text/css"
        return Response(assets[name], media_type=kind,
                        headers={"Cache-Control": "public, max-age=86400"})

    async def health(request):
        return PlainTextResponse(f"ok: {pool.triples} triples\n")

    return Starlette(
        routes=[Route("/", sparql, methods=["GET", "HEAD", "POST"]),
                Route("/sparql", sparql, methods=["GET", "HEAD", "POST"]),
                Route("/health", health, methods=["GET", "HEAD"]),
                Route("/id/{path:path}", resource, methods=["GET", "HEAD"]),
                Route("/static/{name}", static, methods=["GET", "HEAD"])],
        middleware=[Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                               allow_headers=["*"], expose_headers=["X-KG-Truncated"])],
    )


def serve(config: ServeConfig, ready=None) -> None:
    """Load the graph into the workers and serve it until interrupted.

    `ready`, if given, is called with the bound address once the server listens.
    """
    import uvicorn

    source = Path(config.source)
    if not source.exists():
        raise InputError(f"{source}: no such file or folder; run 'kg build' first")
    _check_port(config.host, config.port)
    start = time.perf_counter()
    pool = QueryPool(str(source), config.workers, config.timeout, config.max_rows,
                     inferred=config.inferred)
    try:
        app = create_app(pool)
        server = uvicorn.Server(uvicorn.Config(app, host=config.host, port=config.port,
                                               log_level="warning", access_log=False))
        print(f"kg serve: {pool.triples} triples from {source}, opened by {config.workers} "
              f"worker(s) in {time.perf_counter() - start:.1f} s; SPARQL endpoint at "
              f"http://{config.host}:{config.port}/sparql (query page at /)", flush=True)
        if ready:
            ready((config.host, config.port))
        server.run()
    finally:
        pool.close()


def _check_port(host: str, port: int) -> None:
    """Fail early, before loading anything, if the address cannot be bound."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise InputError(f"--host {host!r} is not an address of this machine: {exc}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise InputError(f"cannot listen on {host}:{port}: {exc.strerror}; choose another "
                             "--port, or stop what is using it") from None


#: Where the README's set-up (``npm ci --prefix kg/web``) installs YASGUI, the query page.
YASGUI = Path(__file__).parent / "node_modules" / "@zazuko" / "yasgui" / "build"


def _examples(queries_dir) -> dict[str, str]:
    """The competency questions, by their question (the first comment line of each file)."""
    examples = {}
    folder = Path(queries_dir) if queries_dir else None
    if folder and folder.is_dir():
        for path in sorted(folder.glob("*.rq")):
            text = path.read_text(encoding="utf-8")
            first = text.splitlines()[0] if text else ""
            question = first[1:].strip() if first.startswith("#") else path.stem
            examples[question] = text
    if not examples:
        examples["Some triples"] = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 20"
    return examples


def _yasgui_page(queries_dir) -> str:
    """The query page: YASGUI (syntax highlighting, completion, tabs kept in the browser's
    storage as history, results as a paged table or raw, download), set for this endpoint
    and offline: no look-ups of outside vocabularies, no other endpoints."""
    import json

    examples = [{"question": q, "query": text} for q, text in _examples(queries_dir).items()]
    data = json.dumps({"examples": examples, "prefixes": PREFIX_IRIS, "base": KGR_IRI},
                      ensure_ascii=False).replace("</", "<\\/")
    return _YASGUI_PAGE.replace("__DATA__", data)


_YASGUI_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>kg SPARQL endpoint</title>
<link rel="stylesheet" href="static/yasgui.min.css">
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0 12px; }
  header { display: flex; gap: 16px; align-items: baseline; flex-wrap: wrap; }
  header h1 { font-size: 18px; }
  #examples { max-width: 60em; }
  .yasgui .autocompleteWrapper { display: none !important; }  /* one endpoint: this one */
</style>
</head>
<body data-ready="no">
<header><h1>kg SPARQL endpoint</h1>
<label>Competency question: <select id="examples"></select></label>
<span>Prefixes such as <code>dip:</code>, <code>kgr:</code>, <code>oa:</code> are predeclared;
entities link to their page here.</span></header>
<div id="yasgui"></div>
<script>window.addEventListener("error", e => { document.body.dataset.error = e.message; });</script>
<script src="static/yasgui.min.js"></script>
<script>
"use strict";
const DATA = __DATA__;
// offline: complete prefixes and variables from what the page holds, never ask the web
Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
// after "PREFIX ", complete our prefixes (served here), not prefix.cc's
Yasgui.Yasqe.defaults.prefixCcApi = new URL("static/prefixes.json", location.href).href;
const fromUrl = new URLSearchParams(location.hash.slice(1)).get("query");
const yasgui = new Yasgui(document.getElementById("yasgui"), {
  requestConfig: {endpoint: new URL("sparql", location.href).href, method: "POST"},
  copyEndpointOnNewTab: true,
  endpointCatalogueOptions: {getData: () => [{endpoint: new URL("sparql", location.href).href}]},
  persistenceId: "kg-query-page",
  yasqe: {value: fromUrl || DATA.examples[0].query},
});
const tab = () => yasgui.getTab();
if (fromUrl) tab().setQuery(fromUrl);
// declare our prefixes in the editor (its checks and the results' short names use them),
// then fold them away: the server knows them anyway
function declare() {
  const y = tab().getYasqe();
  y.addPrefixes(DATA.prefixes);
  if (y.collapsePrefixes) y.collapsePrefixes(true);
}
declare();
// the query is kept in the page's address, so that it can be shared
function remember() { history.replaceState(null, "", "#" + new URLSearchParams({query: tab().getQuery()})); }
tab().getYasqe().on("change", remember);
yasgui.on("tabSelect", () => setTimeout(remember, 0));
const select = document.getElementById("examples");
DATA.examples.forEach((e, i) => { const o = document.createElement("option"); o.value = i; o.textContent = e.question; select.append(o); });
select.addEventListener("change", () => { tab().setQuery(DATA.examples[select.value].query); declare(); remember(); });
// our entities link to their page on this server
new MutationObserver(() => {
  for (const a of document.querySelectorAll('.yasr a[href^="' + DATA.base + '"]')) {
    a.href = "/id/" + a.getAttribute("href").slice(DATA.base.length); a.removeAttribute("target");
  }
}).observe(document.body, {subtree: true, childList: true});
document.body.dataset.ready = "yes";
document.body.dataset.examples = DATA.examples.length;
</script>
</body>
</html>
"""


def _page(queries_dir) -> str:
    import html
    import json

    examples = _examples(queries_dir)
    first = next(iter(examples.values()))
    data = json.dumps(examples).replace("</", "<\\/")
    return _PAGE.replace("__EXAMPLES__", data).replace("__FIRST__", html.escape(first))


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>kg SPARQL endpoint</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 16px; }
  textarea { width: 100%; height: 16em; font: 13px monospace; }
  table { border-collapse: collapse; margin-top: 12px; }
  td, th { border: 1px solid #ccc; padding: 3px 6px; text-align: left; vertical-align: top; }
  th { background: #f3f3f3; }
  #status { margin-left: 8px; color: #555; }
  pre { background: #f7f7f7; padding: 8px; overflow: auto; }
</style>
</head>
<body>
<h1>kg SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 endpoint at <code>/sparql</code> (GET or POST). Prefixes such as
<code>dip:</code>, <code>kgr:</code>, <code>oa:</code> and <code>prov:</code> are predeclared.</p>
<label>Example: <select id="examples"></select></label>
<form id="form"><textarea id="query" name="query" spellcheck="false">__FIRST__</textarea><br>
<button type="submit">Run</button><span id="status"></span></form>
<div id="results"></div>
<script>
"use strict";
const EXAMPLES = __EXAMPLES__;
const select = document.getElementById("examples"), query = document.getElementById("query");
for (const name of Object.keys(EXAMPLES)) {
  const option = document.createElement("option"); option.textContent = name; select.appendChild(option);
}
select.addEventListener("change", () => { query.value = EXAMPLES[select.value]; });
function text(s) { return document.createTextNode(s); }
document.getElementById("form").addEventListener("submit", async ev => {
  ev.preventDefault();
  const status = document.getElementById("status"), out = document.getElementById("results");
  status.textContent = "running…"; out.textContent = "";
  const started = performance.now();
  const response = await fetch("sparql", {method: "POST", body: new URLSearchParams({query: query.value}),
    headers: {"Accept": "application/sparql-results+json, text/turtle;q=0.9"}});
  const body = await response.text();
  status.textContent = response.status + " in " + Math.round(performance.now() - started) + " ms";
  if (!response.ok || !(response.headers.get("content-type") || "").includes("json")) {
    const pre = document.createElement("pre"); pre.appendChild(text(body)); out.appendChild(pre); return;
  }
  const data = JSON.parse(body);
  if ("boolean" in data) { out.appendChild(text(String(data.boolean))); return; }
  const table = document.createElement("table"), head = table.insertRow();
  for (const v of data.head.vars) { const th = document.createElement("th"); th.appendChild(text(v)); head.appendChild(th); }
  for (const row of data.results.bindings) {
    const tr = table.insertRow();
    for (const v of data.head.vars) tr.insertCell().appendChild(text(row[v] ? row[v].value : ""));
  }
  out.appendChild(table);
});
</script>
</body>
</html>
"""
