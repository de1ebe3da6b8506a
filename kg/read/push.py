"""Upload a built graph to a triple store with the SPARQL 1.1 Graph Store HTTP Protocol."""

from __future__ import annotations

__all__ = ["Upload", "PushResult", "RemoteError", "push", "plan_uploads", "secret_from_env"]

import asyncio
import os
import ssl
import tempfile
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
    of our store it takes (None: the store's default graph, what the sources state)."""

    graph: str | None
    sources: tuple[str | None, ...]


@dataclass(frozen=True)
class PushResult:
    """What was uploaded: ``(graph or 'default', triples, bytes, HTTP status)`` per PUT."""

    uploads: tuple[tuple[str, int, int, int], ...]
    seconds: float

    def text(self) -> str:
        """One line per graph, then the totals."""
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
    >>> [s.rsplit("/", 1)[1] if s else "stated" for s in plans[0].sources]
    ['stated', 'plain']
    """
    if graph is not None and not graph.startswith(("http://", "https://", "urn:")):
        raise InputError(f"--graph {graph!r} is not an absolute IRI (http://, https:// or urn:)")

    names = store.named_graphs()
    # the stated union (less what holds for a time), what holds for a time, the inferred
    # triples and the ontology: what a query's default graph holds
    default = Upload(graph, (None, *(g.value for g in store.full_default()[1:])))
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
) -> PushResult:
    """PUT the store's graphs to a Graph Store Protocol endpoint; PUT replaces, so pushing
    twice leaves the same data.

    Each graph is dumped by Oxigraph as N-Triples to a temporary file and streamed from it
    in 1 MiB chunks, calling ``progress(graph, bytes sent, total bytes)`` after each.
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
    done = _run(
        _push_all(
            store,
            endpoint,
            plan_uploads(store, graph, per_article),
            auth,
            headers,
            timeout,
            progress,
        )
    )
    return PushResult(tuple(done), time.perf_counter() - start)


def _run(work):
    """Run a coroutine to its end, on a thread of its own where this one already runs an
    event loop (a notebook's)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(work)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, work).result()


async def _push_all(store, endpoint, uploads, auth, headers, timeout, progress) -> list:
    """PUT each upload in turn (asyncio only so that a deadline can stop a request at any
    point: httpx's own timeouts bound each read, not the request)."""
    done = []
    async with httpx.AsyncClient(auth=auth, timeout=timeout) as client:
        if isinstance(auth, httpx.DigestAuth):
            # Digest answers a first request with a challenge (401); asked with HEAD, the
            # challenge costs no upload, and a store that answers before reading a body and
            # closes (Virtuoso) cannot cut it off; the PUTs then carry the answer
            await _send(client, endpoint, {}, {}, None, timeout, method="HEAD")
        for upload in uploads:
            name = upload.graph or "default"
            params = {"graph": upload.graph} if upload.graph else {"default": ""}
            with tempfile.TemporaryFile() as body:
                for source in upload.sources:  # they never repeat each other's triples
                    store.store.dump(
                        body,
                        ox.RdfFormat.N_TRIPLES,
                        from_graph=ox.NamedNode(source) if source else ox.DefaultGraph(),
                    )
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
    return done


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
