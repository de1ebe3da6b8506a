"""Serve a built graph over the SPARQL 1.1 Protocol: read-only, no federation, time-limited.

The routes: ``/sparql`` (and ``/``) answer queries and describe the service, ``/id/...``
resolves the graph's resources as linked data (a page for a browser, RDF by content
negotiation), ``/static/`` serves the query page's assets. Queries are answered by the
worker processes of `kg.web.pool`; the pages come from `kg.web.pages`.
"""

from __future__ import annotations

__all__ = ["ServeConfig", "create_app", "serve", "check_port"]

import json
import re
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs

import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from kg.assets import npm_asset
from kg.errors import InputError
from kg.limits import LIMITS
from kg.store.asof import day_of
from kg.vocab.namespaces import AS_OF, PREFIX_IRIS
from kg.vocab.records import entity_queries
from kg.web.media import DESCRIPTION_TYPES, ENTITY_TYPES, negotiate
from kg.web.pages import entity_page, query_page, service_description
from kg.web.pool import QueryPool

KGF_IRI = PREFIX_IRIS["kgf"]
KGR_IRI = PREFIX_IRIS["kgr"]


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
    threads: int = 32


def create_app(pool: QueryPool, queries_dir: str | Path | None = "queries"):
    """The Starlette application: ``/sparql`` (and ``/``) speak the SPARQL 1.1 Protocol.

    Examples
    --------
    >>> pool = QueryPool("data", workers=1, timeout=20)
    >>> [route.path for route in create_app(pool).routes]
    ['/', '/sparql', '/health', '/id/{path:path}', '/static/{name}']
    >>> pool.close()
    """
    page = query_page(queries_dir).encode()
    assets = {
        name: path.read_bytes()
        for name in ("yasgui.min.js", "yasgui.min.css")
        if (path := npm_asset(name)) is not None
    }
    limit = LIMITS["body"].bytes
    graphs: list[str] = []  # the named graphs but the facts', and the default graph's size
    sizes: list[int] = []

    def too_large(what: str):
        return PlainTextResponse(
            f"{what} is larger than {LIMITS['body'].human()}, the "
            "limit of this endpoint; send a shorter query\n",
            status_code=413,
        )

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
            return PlainTextResponse(
                f"{len(values)} '{name}' parameters: give one (the "
                "SPARQL 1.1 Protocol allows exactly one)\n",
                status_code=400,
            )
        return None

    async def ask(query: str) -> list[dict]:
        status, _, body, _ = await run_in_threadpool(
            pool.run, query, "application/sparql-results+json"
        )
        return json.loads(body)["results"]["bindings"] if status == 200 else []

    async def description(request):
        if not sizes:  # asked once, through the workers, as any query
            graphs.extend(
                b["g"]["value"]
                for b in await ask(
                    "SELECT DISTINCT ?g WHERE { GRAPH ?g { } FILTER(!STRSTARTS(STR(?g), "
                    f'"{KGF_IRI}") && !STRSTARTS(STR(?g), "{AS_OF}")) }} ORDER BY ?g'
                )
            )
            sizes.extend(
                int(b["n"]["value"])
                for b in await ask("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
            )
        media = negotiate(request.headers.get("accept"), DESCRIPTION_TYPES)
        if media is None:
            wanted = ", ".join(DESCRIPTION_TYPES)
            return PlainTextResponse(
                f"the service description is offered in: {wanted}\n", status_code=406
            )
        endpoint = str(request.url.replace(query=""))
        body = service_description(
            endpoint, graphs, sizes[0] if sizes else pool.triples, media, pool.inferred
        )
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
                wanted = negotiate(
                    request.headers.get("accept"), {**DESCRIPTION_TYPES, "text/html": ""}
                )
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
                    "(application/x-www-form-urlencoded)\n",
                    status_code=415,
                )
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
            return PlainTextResponse(
                "default-graph-uri and named-graph-uri are not supported; "
                "use FROM or GRAPH in the query\n",
                status_code=400,
            )
        as_of = params.get("as-of") or None
        if as_of is not None:
            try:
                day_of(as_of, "as-of")
            except InputError as exc:
                return PlainTextResponse(f"{exc}\n", status_code=400)
        status, media, body, headers = await run_in_threadpool(
            pool.run, text, request.headers.get("accept"), as_of
        )
        return Response(
            body, status_code=status, media_type=media, headers={**headers, "Vary": "Accept"}
        )

    def _read_only():
        return PlainTextResponse(
            "this endpoint is read-only: SPARQL Update is refused\n", status_code=403
        )

    async def resource(request):
        """``/id/...``: an entity, an article or a curated fact, as linked data."""
        path = request.path_params["path"]
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/-]*", path) or ".." in path:
            return PlainTextResponse("no such resource\n", status_code=404)
        iri = KGR_IRI + path
        known = await ask(
            f"SELECT ?x WHERE {{ {{ <{iri}> ?p ?x }} UNION {{ ?x ?p <{iri}> }} }} LIMIT 1"
        )
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
            about, pointing, holds = entity_queries(iri)
            page = entity_page(iri, await ask(about), await ask(pointing), await ask(holds))
            return HTMLResponse(page, headers={"Vary": "Accept"})
        status, media, body, headers = await run_in_threadpool(pool.run, f"DESCRIBE <{iri}>", media)
        return Response(
            body, status_code=status, media_type=media, headers={**headers, "Vary": "Accept"}
        )

    async def static(request):
        name = request.path_params["name"]
        if name == "prefixes.json":  # for the query page's prefix completion
            return JSONResponse(PREFIX_IRIS)
        if name not in assets:
            return PlainTextResponse("not found\n", status_code=404)
        kind = "text/javascript" if name.endswith(".js") else "text/css"
        return Response(
            assets[name], media_type=kind, headers={"Cache-Control": "public, max-age=86400"}
        )

    async def health(request):
        return PlainTextResponse(f"ok: {pool.triples} triples\n")

    return Starlette(
        routes=[
            Route("/", sparql, methods=["GET", "HEAD", "POST"]),
            Route("/sparql", sparql, methods=["GET", "HEAD", "POST"]),
            Route("/health", health, methods=["GET", "HEAD"]),
            Route("/id/{path:path}", resource, methods=["GET", "HEAD"]),
            Route("/static/{name}", static, methods=["GET", "HEAD"]),
        ],
        middleware=[
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "POST"],
                allow_headers=["*"],
                expose_headers=["X-KG-Truncated"],
            )
        ],
    )


def serve(config: ServeConfig, ready=None) -> None:
    """Load the graph into the workers and serve it until interrupted.

    `ready`, if given, is called with the bound address once the server listens.
    """
    source = Path(config.source)
    if not source.exists():
        raise InputError(f"{source}: no such file or folder; run 'kg build' first")
    check_port(config.host, config.port)
    start = time.perf_counter()
    pool = QueryPool(
        str(source),
        config.workers,
        config.timeout,
        config.max_rows,
        inferred=config.inferred,
        threads=config.threads,
    )
    try:
        app = create_app(pool)
        server = uvicorn.Server(
            uvicorn.Config(
                app, host=config.host, port=config.port, log_level="warning", access_log=False
            )
        )
        print(
            f"kg serve: {pool.triples} triples from {source}, opened by {config.workers} "
            f"worker(s) of {config.threads} thread(s) in {time.perf_counter() - start:.1f} s; "
            "SPARQL endpoint at "
            f"http://{config.host}:{config.port}/sparql (query page at /)",
            flush=True,
        )
        if ready:
            ready((config.host, config.port))
        server.run()
    finally:
        pool.close()


def check_port(host: str, port: int) -> None:
    """Fail early, before loading anything, if the address cannot be bound."""
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
            raise InputError(
                f"cannot listen on {host}:{port}: {exc.strerror}; choose another "
                "--port, or stop what is using it"
            ) from None
