"""``kg curate``: the curation workbench, a local web app over a data folder.

It writes files, so it is guarded: it listens on the loopback address unless told
otherwise; a request whose Host header is not the server's own is refused (a page of another
site that a DNS name points here, "DNS rebinding", reads and writes nothing); every write
carries the token the page received when it loaded, as a header that another site's page
cannot send without the browser asking this server first (and it answers no such question);
an id names an article folder under the data folder, never a path; bodies are bounded by
`kg.limits`. The pages are templates; the article's text reaches the page as JSON and is put
into it as text, never as markup. What the routes do is `kg.curate.workbench`'s.
"""

from __future__ import annotations

__all__ = ["CurateConfig", "create_curate_app", "curate"]

import json
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from kg.curate.article import new_article_from
from kg.curate.edit import Edit, diff, render_item
from kg.curate.workbench import (
    article_folder,
    article_list,
    article_view,
    cited,
    dismiss,
    locate_in,
    review,
    save,
    vocabulary,
    warm,
)
from kg.errors import ConflictError, InputError, KGError, OutputError
from kg.limits import LIMITS
from kg.pages import render
from kg.web.app import check_port

STATIC = Path(__file__).parent / "static"


@dataclass(frozen=True)
class CurateConfig:
    """What `kg curate` runs with."""

    data: str = "data"
    host: str = "127.0.0.1"
    port: int = 7071


def create_curate_app(
    data_dir: str | Path, host: str = "127.0.0.1", port: int = 7071, token: str | None = None
) -> Starlette:
    """The workbench's application over `data_dir`, answering requests for `host`:`port`.

    Examples
    --------
    >>> app = create_curate_app("data")
    >>> [route.path for route in app.routes][:3]
    ['/', '/article/{id}', '/static/{name}']
    """
    root = Path(data_dir)
    token = token or secrets.token_urlsafe(32)
    lock = threading.Lock()

    async def one_at_a_time(work, *args):
        # one piece of work at a time, in a thread: a curator's saves and checks follow one
        # another, and rdflib's SPARQL parser (which the checks use) is not thread-safe
        def locked():
            with lock:
                return work(*args)

        return await run_in_threadpool(locked)

    hosts = {f"{name}:{port}" for name in ("127.0.0.1", "localhost", "[::1]", host)}
    hosts |= {name for name in ("127.0.0.1", "localhost", "[::1]", host)} if port == 80 else set()
    origins = {f"http://{h}" for h in hosts}
    body_limit = LIMITS["article"].bytes + LIMITS["body"].bytes

    def refused(status: int, message: str):
        return JSONResponse({"error": message}, status_code=status)

    def guarded(handler, write: bool):
        async def endpoint(request):
            if request.headers.get("host", "") not in hosts:
                return PlainTextResponse(
                    f"this workbench answers requests for http://{host}:{port}/ only: open "
                    "that address (or start kg curate with --host NAME to be reached as "
                    "NAME)\n",
                    status_code=421,
                )
            if write:
                origin = request.headers.get("origin")
                if origin is not None and origin not in origins:
                    return refused(
                        403,
                        f"a write from {origin} is refused: only the workbench's own pages write",
                    )
                if request.headers.get("sec-fetch-site", "same-origin") not in (
                    "same-origin",
                    "none",
                ):
                    return refused(403, "a write from another site is refused")
                if not secrets.compare_digest(request.headers.get("x-kg-token", ""), token):
                    return refused(
                        403,
                        "a write needs the token of a page the workbench served: reload the page",
                    )
                if request.headers.get("content-type", "").split(";")[0] != "application/json":
                    return refused(415, "send JSON (application/json)")
                declared = request.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > body_limit:
                    return refused(413, "too large for the workbench")
                body = b""
                async for chunk in request.stream():
                    body += chunk
                    if len(body) > body_limit:
                        return refused(413, "too large for the workbench")
                try:
                    data = json.loads(body or b"{}")
                except ValueError:
                    return refused(400, "the body is not JSON")
                if not isinstance(data, dict):
                    return refused(400, "the body is not a JSON object")
                request.state.data = data
            try:
                return await handler(request)
            except ConflictError as exc:
                return conflict(exc, request)
            except KGError as exc:
                return refused(
                    400
                    if isinstance(exc, InputError)
                    else 409
                    if isinstance(exc, OutputError)
                    else 500,
                    str(exc),
                )

        return endpoint

    def conflict(exc: ConflictError, request):
        folder = article_folder(root, request.path_params["id"])
        loaded = request.state.data.get("loaded", "")
        edit = request.state.data.get("edit") or {}
        try:
            mine = render_item(edit["value"]) if isinstance(edit.get("value"), dict) else ""
        except KGError:
            mine = ""
        return JSONResponse(
            {
                "error": str(exc),
                "digest": exc.digest,
                "current": exc.current,
                "mine": mine,
                "diff": diff(loaded, exc.current, f"{folder.name}/facts.yaml")
                if isinstance(loaded, str) and loaded
                else "",
            },
            status_code=409,
        )

    def page(template: str, **data) -> HTMLResponse:
        return HTMLResponse(
            render(template, token=token, data=data),
            headers={
                "Cache-Control": "no-store",
                # the page runs its own script only: nothing an article says is ever run
                "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
                "X-Content-Type-Options": "nosniff",
            },
        )

    async def index(request):
        match = request.query_params.get("q", "")[:200]
        number = request.query_params.get("page", "1")
        listed = await one_at_a_time(
            article_list, root, match, int(number) if number.isdigit() else 1
        )
        return page("curate-list.html", listed=listed, match=match, data_dir=str(root))

    async def article_page(request):
        article_folder(root, request.path_params["id"])
        return page("curate-article.html", id=request.path_params["id"], vocabulary=vocabulary())

    async def view(request):
        data = await one_at_a_time(article_view, root, request.path_params["id"])
        folder = article_folder(root, request.path_params["id"])
        data["facts_yaml"] = (folder / "facts.yaml").read_text(encoding="utf-8")
        return JSONResponse(data)

    async def check(request):
        folder = article_folder(root, request.path_params["id"])
        problems, seconds = await one_at_a_time(review, folder)
        share = await one_at_a_time(cited, folder)
        return JSONResponse(
            {"problems": [p.__dict__ for p in problems], "checked": seconds, "cited": share}
        )

    async def write(request):
        data = request.state.data
        edit = data.get("edit")
        if not isinstance(edit, dict):
            raise InputError("a save names its edit: {section, index, value}")
        index, value = edit.get("index"), edit.get("value")
        if index is not None and (not isinstance(index, int) or isinstance(index, bool)):
            raise InputError("an item's index is a whole number")
        if value is not None and not isinstance(value, dict):
            raise InputError("an item is a mapping of keys to values")
        one = Edit(str(edit.get("section")), index, value)
        result = await one_at_a_time(
            save, root, request.path_params["id"], one, str(data.get("digest", "")), edit.get("was")
        )
        return JSONResponse(result)

    async def forget(request):
        keys = dismiss(root, request.path_params["id"], str(request.state.data.get("key", "")))
        return JSONResponse({"dismissed": keys})

    async def where(request):
        folder = article_folder(root, request.path_params["id"])
        start, end = request.state.data.get("start"), request.state.data.get("end")
        if not isinstance(start, int) or not isinstance(end, int):
            raise InputError("give the selection's start and end offsets")
        return JSONResponse(locate_in(folder, start, end))

    async def create(request):
        data = request.state.data
        text, slug = data.get("text"), data.get("slug") or None
        if not isinstance(text, str) or not text.strip():
            raise InputError("paste the article's text, or choose its file")
        made = await one_at_a_time(
            new_article_from,
            text.encode("utf-8"),
            str(data.get("name") or "pasted text"),
            root,
            slug,
        )
        return JSONResponse({"id": made.folder.name, "text": made.text()})

    async def static(request):
        name = request.path_params["name"]
        if name not in ("curate.js", "curate.css"):
            return PlainTextResponse("not found\n", status_code=404)
        kind = "text/javascript" if name.endswith(".js") else "text/css"
        return Response(
            (STATIC / name).read_bytes(), media_type=kind, headers={"Cache-Control": "no-cache"}
        )

    def warm_up():
        with lock:
            try:
                warm(root)
            except KGError:
                pass  # the pages say what is wrong with the data, when asked

    app = Starlette(
        routes=[
            Route("/", guarded(index, False), methods=["GET"]),
            Route("/article/{id}", guarded(article_page, False), methods=["GET"]),
            Route("/static/{name}", guarded(static, False), methods=["GET"]),
            Route("/api/articles", guarded(create, True), methods=["POST"]),
            Route("/api/articles/{id}", guarded(view, False), methods=["GET"]),
            Route("/api/articles/{id}/check", guarded(check, False), methods=["GET"]),
            Route("/api/articles/{id}/save", guarded(write, True), methods=["POST"]),
            Route("/api/articles/{id}/dismiss", guarded(forget, True), methods=["POST"]),
            Route("/api/articles/{id}/locate", guarded(where, True), methods=["POST"]),
        ]
    )
    app.state.warm_up = warm_up  # reads the corpus once, before the first page asks
    return app


def curate(config: CurateConfig, ready=None) -> None:
    """Serve the workbench over `config.data` until interrupted; `ready`, if given, is
    called with the address once the server listens."""
    root = Path(config.data)
    if not (root / "articles").is_dir() and not (root / "entities").is_dir():
        raise InputError(f"{root}: not a data folder (with articles/ and entities/); give one")
    if config.host in ("0.0.0.0", "::", ""):
        raise InputError(
            f"--host {config.host or repr('')}: the workbench answers only requests that name "
            "its address, so a wildcard would answer none; give the name or address others "
            "reach this machine by (e.g. --host 192.168.1.5)"
        )
    (root / "articles").mkdir(exist_ok=True)
    check_port(config.host, config.port)
    app = create_curate_app(root, config.host, config.port)
    threading.Thread(target=app.state.warm_up, daemon=True).start()
    server = uvicorn.Server(
        uvicorn.Config(
            app, host=config.host, port=config.port, log_level="warning", access_log=False
        )
    )
    print(
        f"kg curate: {root}/ at http://{config.host}:{config.port}/ (Ctrl-C stops it)", flush=True
    )
    if ready:
        ready((config.host, config.port))
    server.run()
