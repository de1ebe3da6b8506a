"""The worker processes that answer kg serve's queries, each in a sandbox.

Each worker opens the build's store read-only (one store on disk, shared through the
operating system's cache, not a copy of the graph per worker) and answers one query at a
time through the guard of `kg.store.sparql.execute`. A worker that passes the time limit
is killed and replaced, so a runaway query stops instead of burning a core; before it
answers queries a worker installs an audit hook that refuses network connections,
programs and file opens from Python.
"""

from __future__ import annotations

__all__ = ["QueryPool"]

import multiprocessing
import os
import queue
import sys
import threading
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError
from kg.errors import InputError as Refused  # the guard's errors are input errors
from kg.read.query import serialize_result
from kg.source import open_store
from kg.store.generations import store_path
from kg.store.graphs import GraphStore
from kg.store.sparql import QueryRefused, execute, query_kind
from kg.web.media import GRAPH_TYPES, RESULT_TYPES, negotiate


class QueryPool:
    """Worker processes that answer queries, each within `timeout` seconds.

    Examples
    --------
    >>> pool = QueryPool("data", workers=1, timeout=20)
    >>> status, media, body, headers = pool.run("ASK { kgr:russia ?p ?o }", "application/sparql-results+json")
    >>> status, media, b'"boolean":true' in body
    (200, 'application/sparql-results+json', True)
    >>> pool.close()
    """

    def __init__(
        self,
        source: str,
        workers: int = 2,
        timeout: float = 10.0,
        max_rows: int = 10_000,
        start_timeout: float = 300.0,
        inferred: bool = True,
    ):
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

    def run(
        self, text: str, accept: str | None, as_of: str | None = None
    ) -> tuple[int, str, bytes, dict]:
        """Answer one query (as of a day, YYYY-MM-DD, if `as_of`): ``(status, media type,
        body, headers)``."""
        try:
            worker = self._idle.get(timeout=self.timeout * 3)
        except queue.Empty:
            return (
                503,
                "text/plain",
                b"all query workers are busy; try again\n",
                {"Retry-After": "1"},
            )
        process, conn = worker
        try:
            conn.send((text, accept, as_of))
            if conn.poll(self.timeout):
                answer = conn.recv()
                self._idle.put(worker)
                return answer
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            return 500, "text/plain", b"the query worker stopped; the query was not answered\n", {}
        self._replace(worker)
        return (
            503,
            "text/plain",
            f"the query took longer than the time limit of {self.timeout:g} s and was "
            f"stopped; narrow it or raise --timeout\n".encode(),
            {},
        )

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
        process = self._context.Process(
            target=_worker, args=(child, self.source, self.max_rows, self.inferred), daemon=True
        )
        process.start()
        child.close()
        return process, parent

    def _await_ready(self, worker) -> int:
        process, conn = worker
        if not conn.poll(self.start_timeout):
            process.terminate()
            raise InputError(
                f"{self.source}: the graph did not load within {self.start_timeout:g} s"
            )
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


# --- in a worker process ------------------------------------------------------------


def _worker(conn, source: str, max_rows: int, inferred: bool = True) -> None:
    """Open the store, then answer queries from `conn` until it closes."""
    try:
        store = open_store(source)
        # a build folder's store is a link to its current generation: follow a rebuild
        link = store_path(source) if Path(source).is_dir() else None
        opened = os.path.realpath(link) if link else None
        # warm up every serializer so that nothing is imported once the audit hook is on
        for text, formats in (
            ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", RESULT_TYPES.values()),
            ("ASK { ?s ?p ?o }", ("json", "xml", "csv", "tsv")),
            ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", GRAPH_TYPES.values()),
        ):
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
            text, accept, as_of = conn.recv()
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
        try:
            view = store.as_of(as_of) if as_of else store
        except InputError as exc:
            conn.send((400, "text/plain", f"as-of: {exc}\n".encode(), {}))
            continue
        conn.send(_answer(view, text, accept, max_rows, serialize_result, inferred))


def _execute(store, text, max_rows, inferred=True):
    return execute(store, text, max_rows=max_rows, inferred=inferred)


_ALLOWED_SUFFIXES = (".py", ".pyc", ".so", ".pth")


def _refuse_outside_access(event: str, args: tuple) -> None:
    if event in (
        "urllib.Request",
        "socket.connect",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "subprocess.Popen",
        "os.system",
        "os.exec",
        "os.posix_spawn",
    ):
        raise PermissionError(
            f"kg serve does not let queries reach the network or run programs ({event})"
        )
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
