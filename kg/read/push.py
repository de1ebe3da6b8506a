"""Upload a built graph to a triple store with the SPARQL 1.1 Graph Store HTTP Protocol."""

from __future__ import annotations

__all__ = ["Upload", "PushResult", "RemoteError", "push", "plan_uploads", "secret_from_env"]

import asyncio
import os
import ssl
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx
import pyoxigraph as ox

from kg.errors import InputError, KGError

CHUNK = 1 << 20  # bytes per chunk of a streamed upload


class RemoteError(KGError):
    """The triple store could not be reached or refused the upload (exit 4)."""

    exit_code = 4


@dataclass(frozen=True)
class Upload:
    """One PUT: which graph of the triple store (None: its default graph) and which graphs
    of our store it takes (None: the store's default graph, what a plain query reads)."""

    graph: str | None
    sources: tuple[str | None, ...]


@dataclass(frozen=True)
class PushResult:
    """What was uploaded: ``(graph or 'default', triples, bytes, HTTP status)`` per PUT;
    with `bulk`, one PUT of the whole dataset (``'dataset'``, its quads) holding
    `graphs` graphs."""

    uploads: tuple[tuple[str, int, int, int], ...]
    seconds: float
    graphs: int = 0
    requests: int = 0

    def text(self) -> str:
        """One line per graph, then the totals."""
        if self.graphs:
            (name, quads, size, status), *_ = self.uploads
            if name == "update":
                return (
                    f"POST SPARQL Update: {quads} triples in {self.graphs} graph(s), "
                    f"{size:,} bytes (last HTTP {status})\n"
                    f"pushed {quads} triples in {self.graphs} graph(s) in "
                    f"{self.requests} request(s) in {self.seconds:.2f} s\n"
                )
            return (
                f"PUT dataset (N-Quads): {quads} quads in {self.graphs} graph(s), "
                f"{size:,} bytes (HTTP {status})\n"
                f"pushed {quads} quads in {self.graphs} graph(s) in one request "
                f"in {self.seconds:.2f} s\n"
            )
        lines = [
            f"PUT {graph}: {triples} triples, {size:,} bytes (HTTP {status})"
            for graph, triples, size, status in self.uploads
        ]
        total = sum(u[1] for u in self.uploads)
        lines.append(
            f"pushed {total} triples in {len(self.uploads)} graph(s) in {self.seconds:.2f} s"
        )
        return "\n".join(lines) + "\n"


def plan_uploads(store, graph: str | None = None, per_article: bool = False) -> list[Upload]:
    """Decide what to PUT: what a query's default graph holds (what the sources state, each
    triple once, the inferred triples and the ontology) into the default graph, or into
    `graph`; with `per_article`, that (into the default graph, or into `graph` for a store
    whose Graph Store endpoint has none, such as Virtuoso's) and each named graph of the
    store into itself (one
    per article, one per curated fact, the reference entities, the ontology, the shapes,
    the inferred triples). With that default graph, a triple store answers plain queries
    as kg does: a triple two articles state is one solution (a store's own "union default
    graph" mode would give it twice).

    Examples
    --------
    >>> from kg.source import open_store
    >>> plans = plan_uploads(open_store("data"), per_article=True)
    >>> [p.graph.rsplit("/", 1)[1] if p.graph else "default" for p in plans][:3]
    ['default', 'reference', 'reference.declares-adviser-to-the-president-of-russia']
    >>> plans[0].sources  # the store's default graph, which holds that union
    (None,)
    """
    if graph is not None and not graph.startswith(("http://", "https://", "urn:")):
        raise InputError(f"--graph {graph!r} is not an absolute IRI (http://, https:// or urn:)")

    names = store.named_graphs()
    # the stated union (less what holds for a time), what holds for a time, the inferred
    # triples and the ontology: what a query's default graph holds
    default = Upload(
        graph,
        tuple(g.value if isinstance(g, ox.NamedNode) else None for g in store.full_default()),
    )
    if per_article:
        return [default] + [Upload(name, (name,)) for name in names]
    return [default]


def push(
    store,
    endpoint: str,
    *,
    graph: str | None = None,
    per_article: bool = False,
    user: str | None = None,
    password: str | None = None,
    token: str | None = None,
    digest: bool = False,
    timeout: float = 60.0,
    progress: Callable[[str, int, int], None] | None = None,
    bulk: bool = False,
    update_endpoint: str | None = None,
    transaction: bool = True,
) -> PushResult:
    """PUT the store's graphs to a Graph Store Protocol endpoint; PUT replaces, so pushing
    twice leaves the same data.

    Each graph is dumped by Oxigraph as N-Triples to a temporary file and streamed from it
    in 1 MiB chunks, calling ``progress(graph, bytes sent, total bytes)`` after each.
    With `bulk`, every graph of `per_article` goes in one PUT of N-Quads to the endpoint
    itself, which a store that takes a whole dataset there (Oxigraph's ``/store``) applies
    as one transaction: the new content replaces the old whole, and an upload cut off
    midway leaves the old. With `transaction` False, Oxigraph is asked for its bulk loader
    (``?no_transaction``): several times faster, but it empties the store first, so a push
    cut off midway leaves it empty or part-loaded. With `update_endpoint` (a store whose Graph Store endpoint takes
    one graph at a time: Virtuoso), the same graphs go instead as SPARQL 1.1 Update
    requests to it, each a batch of graphs (``DROP SILENT GRAPH``, ``INSERT DATA`` of at
    most `PER_INSERT` triples) of about `BATCH` bytes, each applied on its own.
    `timeout` bounds each request whole, from connecting to the end of the answer: a
    server that trickles its answer does not hold kg past it.

    Raises
    ------
    RemoteError
        Connection refused or timed out, authentication refused (401/403), a redirect (not
        followed), or another 4xx/5xx answer, with the server's message.
    """
    if not endpoint.startswith(("http://", "https://")):
        raise InputError(f"--endpoint {endpoint!r} is not an http(s) URL")
    if token and (user or password):
        raise InputError("give --user with --password-env, or --token-env, not both")
    if user and password is None:
        raise InputError(
            "--user needs --password-env VAR naming the variable that holds the password"
        )
    auth = None
    headers = {"Content-Type": "application/n-triples"}
    if user:
        secret = password or ""
        auth = httpx.DigestAuth(user, secret) if digest else httpx.BasicAuth(user, secret)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if not timeout > 0:
        raise InputError(f"--timeout must be positive, not {timeout:g}")
    start = time.perf_counter()
    uploads = plan_uploads(store, graph, per_article or bulk)
    if update_endpoint is not None:
        if not update_endpoint.startswith(("http://", "https://")):
            raise InputError(f"--update-endpoint {update_endpoint!r} is not an http(s) URL")
        if not bulk:
            raise InputError("--update-endpoint goes with --bulk")
        if uploads[0].graph is None:
            raise InputError(
                "--update-endpoint needs --graph IRI for what the default graph holds "
                "(SPARQL Update has no default graph to replace in a store with none)"
            )
        headers["Content-Type"] = "application/sparql-update"
        endpoint = update_endpoint
    elif bulk:
        headers["Content-Type"] = "application/n-quads"
    if not transaction and (update_endpoint or not bulk):
        raise InputError("--no-transaction goes with --bulk, without --update-endpoint")
    mode = "update" if update_endpoint else "bulk" if bulk else "graphs"
    if not transaction:
        mode = "bulk-load"
    done, requests = _run(
        _push_all(store, endpoint, uploads, auth, headers, timeout, progress, mode)
    )
    graphs = len(uploads) if bulk else 0
    return PushResult(tuple(done), time.perf_counter() - start, graphs, requests)


def _run(work):
    """Run a coroutine to its end, on a thread of its own where this one already runs an
    event loop (a notebook's)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(work)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, work).result()


async def _push_all(
    store, endpoint, uploads, auth, headers, timeout, progress, mode
) -> tuple[list, int]:
    """PUT each upload in turn (`mode` "graphs"), all of them as one dataset ("bulk", or
    "bulk-load" with Oxigraph's bulk loader), or
    POST them as batches of SPARQL Update ("update") (asyncio only so that a deadline can
    stop a request at any point: httpx's own timeouts bound each read, not the request)."""
    done = []
    async with httpx.AsyncClient(auth=auth, timeout=timeout) as client:
        if isinstance(auth, httpx.DigestAuth):
            # Digest answers a first request with a challenge (401); asked with HEAD, the
            # challenge costs no upload, and a store that answers before reading a body and
            # closes (Virtuoso) cannot cut it off; the PUTs then carry the answer
            await _send(client, endpoint, {}, {}, None, timeout, method="HEAD")
        if mode == "update":
            return await _post_updates(client, store, endpoint, uploads, headers, timeout)
        jobs: list[tuple[str, dict, Callable]]
        if mode in ("bulk", "bulk-load"):
            params = {"no_transaction": ""} if mode == "bulk-load" else {}
            put = await _put_dataset(
                client, store, endpoint, params, uploads, headers, timeout, progress
            )
            return [put], 1
        else:
            jobs = [
                (
                    upload.graph or "default",
                    {"graph": upload.graph} if upload.graph else {"default": ""},
                    lambda body, upload=upload: _dump_graphs(store, upload.sources, body),
                )
                for upload in uploads
            ]
        for name, params, write in jobs:
            with tempfile.TemporaryFile() as body:
                write(body)
                size = body.tell()
                body.seek(0)
                triples = sum(block.count(b"\n") for block in iter(lambda: body.read(CHUNK), b""))
                body.seek(0)

                status = await _send(
                    client,
                    endpoint,
                    params,
                    headers | {"Content-Length": str(size)},
                    _Body(
                        body,
                        size,
                        lambda sent, name=name, size=size: progress and progress(name, sent, size),
                    ),
                    timeout,
                )
            done.append((name, triples, size, status))
    return done, len(done)


def _dump_graphs(store, sources, body) -> None:
    """The triples of our graphs `sources` (None: the default graph), which never repeat
    each other's, as N-Triples into `body`."""
    for source in sources:
        store.store.dump(
            body,
            ox.RdfFormat.N_TRIPLES,
            from_graph=ox.NamedNode(source) if source else ox.DefaultGraph(),
        )


async def _put_dataset(client, store, endpoint, params, uploads, headers, timeout, progress):
    """One PUT of every upload as N-Quads, sent while Oxigraph dumps the graphs into a
    temporary file (on a thread of its own), chunked: a store that loads as it reads (its
    bulk loader) loads while kg dumps. ``progress("dataset", graphs dumped, graphs)``."""
    with tempfile.TemporaryFile() as body:
        written = threading.Event()
        stop = threading.Event()
        failed: list[BaseException] = []

        def produce() -> None:
            try:
                _dump_dataset(store, uploads, body, stop, progress)
            except BaseException as exc:  # handed to the caller below
                failed.append(exc)
            finally:
                body.flush()
                written.set()

        producer = threading.Thread(target=produce, daemon=True)
        producer.start()
        content = _Growing(body, written, failed)
        try:
            status = await _send(client, endpoint, params, headers, content, timeout)
        finally:
            stop.set()
            await asyncio.to_thread(producer.join)
        if failed and isinstance(failed[0], _Stopped):
            raise RemoteError(f"{endpoint} answered HTTP {status} before the upload had ended")
        if failed:
            raise failed[0]
        return ("dataset", content.lines, content.offset, status)


def _dump_dataset(store, uploads: list[Upload], body, stop=None, progress=None) -> None:
    """Every upload's triples, each in the graph it goes to, as N-Quads into `body`: each
    graph dumped by Oxigraph as N-Triples, whose lines (a raw line break is never inside a
    term) end in " .\\n", that end given the graph's name."""
    with tempfile.TemporaryFile() as triples:  # one graph at a time, the file reused
        for number, upload in enumerate(uploads, 1):
            if stop is not None and stop.is_set():
                raise _Stopped("the upload was stopped")
            end = f" <{upload.graph}> .\n".encode() if upload.graph else None
            for source in upload.sources:
                triples.seek(0)
                triples.truncate()
                store.store.dump(
                    triples,
                    ox.RdfFormat.N_TRIPLES,
                    from_graph=ox.NamedNode(source) if source else ox.DefaultGraph(),
                )
                triples.seek(0)
                rest = b""
                while block := triples.read(CHUNK):
                    lines, _, rest = (rest + block).rpartition(b"\n")
                    if lines:
                        lines += b"\n"
                        body.write(lines.replace(b" .\n", end) if end else lines)
                assert not rest  # N-Triples end each line with a line break
            body.flush()  # for `_Growing`, which reads it as it grows
            if progress:
                progress("dataset", number, len(uploads))


#: About how many bytes of triples one SPARQL Update request of `update_endpoint` carries,
#: and the most triples in one of its INSERT DATA operations: Virtuoso's SPARQL compiler runs
#: out of memory a little under 5,000 triples in one, and refuses a 4 MiB request as "too
#: large".
BATCH = 1 << 20
PER_INSERT = 1000


async def _post_updates(client, store, endpoint, uploads, headers, timeout) -> tuple:
    """Every upload's triples as SPARQL Update requests of about `BATCH` bytes: a graph's
    first request drops it and inserts its first triples, the next ones insert the rest.
    One row (graphs, triples, bytes, last status) for them all, and how many requests."""
    requests, triples, size, status = 0, 0, 0, 0

    async def send(parts: list[bytes]) -> None:
        nonlocal size, status, requests
        requests += 1
        body = b"".join(parts)
        size += len(body)
        status = await _send(client, endpoint, {}, headers, body, timeout, method="POST")

    batch: list[bytes] = []
    held = 0
    for upload in uploads:
        graph = f"<{upload.graph}>".encode()
        lines: list[bytes] = []
        first = True
        for source in upload.sources:
            dumped = store.store.dump(
                format=ox.RdfFormat.N_TRIPLES,
                from_graph=ox.NamedNode(source) if source else ox.DefaultGraph(),
            )
            lines.extend(dumped.splitlines(keepends=True))
        triples += len(lines)
        # a blank node is one node within one INSERT DATA only (and its label may not
        # come back in another operation of the request): such a graph goes whole, alone
        whole = any(line.startswith(b"_:") or b" _:" in line for line in lines)
        if whole and batch:
            await send(batch)
            batch, held = [], 0
        while first or lines:
            take: list[bytes] = []
            taken = 0
            while lines and (
                whole or (len(take) < PER_INSERT and (held + taken < BATCH or not take))
            ):
                taken += len(lines[-1])
                take.append(lines.pop())
            if first:
                batch.append(b"DROP SILENT GRAPH " + graph + b" ;\n")
                first = False
            if take:
                batch.append(
                    b"INSERT DATA { GRAPH " + graph + b" {\n" + b"".join(take) + b"} } ;\n"
                )
            held += taken + 40
            if held >= BATCH or whole:
                await send(batch)
                batch, held = [], 0
    if batch:
        await send(batch)
    return [("update", triples, size, status)], requests


class _Stopped(Exception):
    """The dump was stopped (the request ended first): its body must not end as whole."""


class _Body:
    """A file's bytes as an upload that can be sent again: Digest authentication sends a
    request, reads the server's challenge (401), and sends it once more with the answer, so
    each iteration starts from the file's beginning (a generator could be read once only)."""

    def __init__(self, handle, size: int, progress):
        self.handle, self.size, self.progress = handle, size, progress
        self.sent = asyncio.Event()  # set once the last byte has gone

    async def __aiter__(self):
        self.handle.seek(0)
        sent = 0
        while block := self.handle.read(CHUNK):
            sent += len(block)
            yield block
            self.progress(sent)
        self.sent.set()


class _Growing(_Body):
    """A file another thread is still writing, as an upload (chunked: its length is not
    known yet): each read waits for more until the writer is done. Sent again (Digest's
    challenge), it starts from the beginning."""

    def __init__(self, handle, written, failed: list):
        super().__init__(handle, 0, lambda sent: None)
        self.written, self.failed = written, failed
        self.offset = self.lines = 0

    async def __aiter__(self):
        fd = self.handle.fileno()
        self.offset = self.lines = 0
        while True:
            finished = self.written.is_set()
            if self.failed:  # cut the upload off: a store must not take a part for all
                raise self.failed[0]
            block = os.pread(fd, CHUNK, self.offset)
            if block:
                self.offset += len(block)
                self.lines += block.count(b"\n")
                yield block
            elif finished:
                break
            else:
                await asyncio.sleep(0.02)
        self.sent.set()


def secret_from_env(variable: str | None, what: str) -> str | None:
    """The value of an environment variable holding a secret, or None if no name is given.

    Examples
    --------
    >>> os.environ["KG_DOCTEST_SECRET"] = "s3cret"
    >>> secret_from_env("KG_DOCTEST_SECRET", "password")
    's3cret'
    """
    if variable is None:
        return None
    value = os.environ.get(variable)
    if value is None:
        raise InputError(
            f"environment variable {variable} is not set; export it with the "
            f"{what} (kept out of the command line and shell history)"
        )
    return value


#: The most of an answer's body read, to quote in a message: a store's answer to a PUT is
#: short, and a longer one (or an endless one) is not read on.
ANSWER_LIMIT = 64 * 1024


async def _send(client, endpoint, params, headers, content, timeout, method="PUT") -> int:
    """PUT (or HEAD, to learn a Digest challenge); the answer's status. While the body
    goes, each write must get on within `timeout` seconds (a large graph takes what it
    takes); from its last byte (or from the start, for HEAD) the whole answer must come
    within `timeout` seconds, however slowly a store trickles it."""
    url = httpx.URL(endpoint).copy_merge_params(params)
    request = asyncio.ensure_future(_request(client, method, url, content, headers))
    try:
        if isinstance(content, _Body):
            sent = asyncio.ensure_future(content.sent.wait())
            await asyncio.wait({request, sent}, return_when=asyncio.FIRST_COMPLETED)
            sent.cancel()
        status, location, said = await asyncio.wait_for(request, timeout)
    except (TimeoutError, httpx.TimeoutException):
        raise RemoteError(
            f"{endpoint} did not answer within --timeout {timeout:g} s; is the store "
            "overloaded? try a larger --timeout"
        ) from None
    except httpx.ConnectError as exc:
        raise RemoteError(
            f"cannot connect to {endpoint}: {_first_cause(exc)}; is the triple store running, "
            "and is the URL its Graph Store endpoint?"
        ) from None
    except httpx.HTTPError as exc:
        why = f"{type(exc).__name__}: {exc}".rstrip(": ")
        raise RemoteError(
            f"upload to {endpoint} failed ({why}); is the store's URL right?"
        ) from None
    if status in (401, 403):
        raise RemoteError(
            f"{endpoint} refused the credentials (HTTP {status}): "
            f"{said}; check --user/--password-env or --token-env"
        )
    if method == "HEAD":
        return status  # a store need not answer HEAD: only refused credentials count
    if 300 <= status < 400:  # not followed: the credentials stay with endpoint
        raise RemoteError(
            f"{endpoint} answered HTTP {status}, a redirect to {location or 'elsewhere'}: "
            "nothing was stored; give the Graph Store endpoint's own URL"
        )
    if status >= 400:
        raise RemoteError(f"{endpoint} answered HTTP {status}: {said}")
    return status


def _first_cause(exc: BaseException) -> str:
    """The system's own words for a failed connection ("Connection refused", "Name or
    service not known", a certificate refused), which asyncio wraps in "All connection
    attempts failed" (or in a group, one error per address)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return str(seen)
        if isinstance(seen, ConnectionError) and seen.errno:
            return os.strerror(seen.errno)  # its own text names the address, not the cause
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror
        if isinstance(seen, BaseExceptionGroup) and seen.exceptions:
            seen = seen.exceptions[0]
            continue
        seen = seen.__cause__ or seen.__context__
    return str(exc)


async def _request(client, method, url, content, headers) -> tuple[int, str | None, str]:
    async with client.stream(method, url, content=content, headers=headers) as response:
        return response.status_code, response.headers.get("Location"), await _said(response)


async def _said(response) -> str:
    """The start of a streamed answer's body, as one line (at most `ANSWER_LIMIT` bytes
    read), or its reason phrase."""
    data = b""
    async for chunk in response.aiter_bytes():
        data += chunk
        if len(data) >= ANSWER_LIMIT:
            break
    text = " ".join(data[:ANSWER_LIMIT].decode("utf-8", "replace").split())
    return (text[:500] + "…" if len(text) > 500 else text) or response.reason_phrase
