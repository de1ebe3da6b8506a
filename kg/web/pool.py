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

import itertools
import multiprocessing
import os
import queue
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import InputError
from kg.errors import InputError as Refused  # the guard's errors are input errors
from kg.read.query import serialize_result
from kg.source import open_store
from kg.store.generations import hold_generation, store_path
from kg.store.graphs import GraphStore
from kg.store.sparql import QueryRefused, deep_stack_thread, execute, query_kind
from kg.web.media import GRAPH_TYPES, RESULT_TYPES, negotiate


class QueryPool:
    """Worker processes that answer queries, each several at a time (`threads`), each
    query within `timeout` seconds.

    A query goes to the worker with the fewest queries in hand, so a short query does not
    wait behind a long one (Oxigraph evaluates queries on several threads at once). A query
    past its time limit stops its worker, which is replaced; the other queries that worker
    had in hand are asked again of another, within their own time limits.

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
        threads: int = 32,
    ):
        if workers < 1:
            raise InputError(f"--workers must be at least 1, not {workers}")
        if threads < 1:
            raise InputError(f"--threads must be at least 1, not {threads}")
        if timeout <= 0:
            raise InputError(f"--timeout must be positive, not {timeout}")
        self.source, self.timeout, self.max_rows = str(source), timeout, max_rows
        self.inferred, self.threads = inferred, threads
        self.start_timeout = start_timeout
        self._context = multiprocessing.get_context("spawn")
        self._ready: list[_Worker] = []
        self._turn = threading.Condition()
        self._closed = False
        self._numbers = itertools.count()
        self.triples = 0
        started = [self._start() for _ in range(workers)]
        for worker in started:
            self.triples = self._await_ready(worker)
            worker.listen(self._turn)
            self._ready.append(worker)

    def run(
        self, text: str, accept: str | None, as_of: str | None = None
    ) -> tuple[int, str, bytes, dict]:
        """Answer one query (as of a day, YYYY-MM-DD, if `as_of`): ``(status, media type,
        body, headers)``. Its time limit counts from when a worker takes it; a query whose
        worker was stopped for another's limit is asked once more of another worker, with
        a limit of its own."""
        for attempt in (1, 2):
            taken = self._take(self.timeout * 3, next(self._numbers), (text, accept, as_of))
            if taken is None:
                return (
                    503,
                    "text/plain",
                    b"all query workers are busy; try again\n",
                    {"Retry-After": "1"},
                )
            worker, waiting = taken
            answered = waiting.done.wait(self.timeout)
            with self._turn:
                self._turn.notify_all()  # a place is free
            if answered and waiting.answer is not None:
                return waiting.answer
            if not answered:  # past its limit: stop it, and its worker with it
                self._replace(worker, for_another=True)
                return (
                    503,
                    "text/plain",
                    f"the query took longer than the time limit of {self.timeout:g} s and "
                    f"was stopped; narrow it or raise --timeout\n".encode(),
                    {},
                )
            # the worker stopped under the query: for another query's limit (ask again),
            # or on its own (this query or another it had in hand stopped it)
            if not (worker.stopped_for_another and attempt == 1):
                self._replace(worker, for_another=False)
                break
        return 500, "text/plain", b"the query worker stopped; the query was not answered\n", {}

    def _take(self, seconds: float, number: int, query: tuple):
        """The ready worker with the fewest queries in hand and a thread free, the query
        sent to it: ``(worker, waiting)``; None if no thread frees within `seconds`."""
        end = time.monotonic() + max(seconds, 0)
        with self._turn:
            while True:
                free = [w for w in self._ready if w.alive() and len(w.waiting) < self.threads]
                if free:
                    worker = min(free, key=lambda w: len(w.waiting))
                    waiting = _Waiting()
                    worker.waiting[number] = waiting  # its place, taken under the lock
                    break
                left = end - time.monotonic()
                if left <= 0 or self._closed:
                    return None
                self._turn.wait(min(left, 0.5))
        if not worker.send(number, query):
            waiting.done.set()  # as if stopped: the worker's pipe is closed
        return worker, waiting

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._turn:
            workers, self._ready = self._ready, []
        for worker in workers:
            worker.stop()

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker,
            args=(child, self.source, self.max_rows, self.inferred, self.threads),
            daemon=True,
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    def _await_ready(self, worker: _Worker) -> int:
        if not worker.conn.poll(self.start_timeout):
            worker.process.terminate()
            raise InputError(
                f"{self.source}: the graph did not load within {self.start_timeout:g} s"
            )
        state, detail = worker.conn.recv()
        if state != "ready":
            worker.process.join(5)
            raise InputError(f"cannot serve {self.source}: {detail}")
        return detail

    def _replace(self, worker: _Worker, for_another: bool) -> None:
        """Stop `worker` (`for_another`: for one query's limit, so that the others it had
        in hand are asked again) and start another in its place."""
        with self._turn:
            if worker not in self._ready:
                return  # replaced already, by another query it had in hand
            self._ready.remove(worker)
        worker.stop(for_another)

        def restart():
            if self._closed:
                return
            fresh = self._start()
            try:
                self._await_ready(fresh)
            except InputError:
                return
            fresh.listen(self._turn)
            with self._turn:
                self._ready.append(fresh)
                self._turn.notify_all()

        threading.Thread(target=restart, daemon=True).start()


class _Waiting:
    """A query a worker has in hand: set `done` once answered (`answer`) or stopped."""

    def __init__(self):
        self.done = threading.Event()
        self.answer: tuple | None = None


class _Worker:
    """A worker process, the queries it has in hand, and the thread that reads its
    answers (each tagged with its query's number)."""

    def __init__(self, process, conn):
        self.process, self.conn = process, conn
        self.waiting: dict[int, _Waiting] = {}
        self.stopped_for_another = False
        self._sending = threading.Lock()

    def alive(self) -> bool:
        return self.process.is_alive()

    def listen(self, turn: threading.Condition) -> None:
        def read():
            while True:
                try:
                    number, answer = self.conn.recv()
                except (EOFError, OSError):
                    break
                waiting = self.waiting.pop(number, None)
                if waiting is not None:
                    waiting.answer = answer
                    waiting.done.set()
            for waiting in list(self.waiting.values()):  # stopped: nothing more will come
                waiting.done.set()
            with turn:
                turn.notify_all()

        threading.Thread(target=read, daemon=True).start()

    def send(self, number: int, query: tuple) -> bool:
        """Send a query (its place in `waiting` already taken); False if the pipe is shut."""
        try:
            with self._sending:
                self.conn.send((number, *query))
        except (OSError, BrokenPipeError):
            self.waiting.pop(number, None)
            return False
        return True

    def stop(self, for_another: bool = False) -> None:
        self.stopped_for_another = for_another
        self.process.kill()
        self.process.join(5)
        self.conn.close()


# --- in a worker process ------------------------------------------------------------


def _worker(conn, source: str, max_rows: int, inferred: bool = True, threads: int = 1) -> None:
    """Open the store, then answer queries from `conn`, `threads` at a time, until it
    closes."""
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
            warm = _execute(store, text, max_rows, inferred)
            for fmt in formats:
                serialize_result(warm, fmt)
        triples = store.triples()
        sys.addaudithook(_refuse_outside_access)
    except BaseException as exc:  # report why the worker cannot start, then stop
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    sending = threading.Lock()
    current: dict[str, Any] = {"store": store, "opened": opened}
    switching = threading.Lock()

    def reply_to(number: int, text: str, accept, as_of) -> None:
        try:
            reply = _reply(number, text, accept, as_of)
        except BaseException as exc:  # an answer, whatever happens: the query waits for it
            reply = (500, "text/plain", _message("the query could not be answered", exc), {})
        with sending:
            conn.send((number, reply))

    def _reply(number: int, text: str, accept, as_of) -> tuple:
        with switching:
            if current["opened"] is not None:
                now = os.path.realpath(Path(source) / "store")
                if now != current["opened"] and os.path.isdir(now):
                    try:
                        hold = hold_generation(Path(now))
                        current["store"] = GraphStore(ox.Store.read_only(now), source, hold=hold)
                        current["opened"] = now
                    except OSError:
                        pass  # keep answering from the generation already open
            graph = current["store"]
        try:
            view = graph.as_of(as_of) if as_of else graph
        except InputError as exc:
            return (400, "text/plain", f"as-of: {exc}\n".encode(), {})
        return _answer(view, text, accept, max_rows, serialize_result, inferred)

    jobs: queue.SimpleQueue = queue.SimpleQueue()

    def answering() -> None:
        while True:
            reply_to(*jobs.get())

    for _ in range(threads):  # each with a stack deep enough for any query it is given
        deep_stack_thread(answering)
    conn.send(("ready", triples))
    while True:
        try:
            jobs.put(conn.recv())
        except (EOFError, OSError):
            return  # the server closed: what is still running is answered to no one


def _execute(store, text, max_rows, inferred=True):
    # a SELECT answer's rows stay in Oxigraph, written out by its own writers
    return execute(store, text, max_rows=max_rows, inferred=inferred, tsv=True)


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


def _message(what: str, exc: BaseException) -> bytes:
    return f"{what}: {' '.join(str(exc).split()) or type(exc).__name__}\n".encode()
