"""Helpers that start real servers on loopback for the tests: kg serve, Oxigraph, and a
small stand-in that records requests or answers with a chosen status."""

import http
import http.server
import shutil
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stdout.read() if process.stdout else ''}")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up in {seconds} s")


@contextmanager
def running(command, url, health):
    """Run a server process until the block ends; `health` is polled until it answers."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until_up(health, process)
        yield url
    finally:
        process.terminate()
        process.wait(10)


def kg_serve(source, *args):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    return running([sys.executable, "-m", "kg", "serve", str(source), "--port", str(port), *args],
                   url, url + "/health")


def oxigraph(tmp_path):
    binary = shutil.which("oxigraph")
    assert binary, "the oxigraph server is needed: pip install oxigraph (the test extra does)"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    return running([binary, "serve", "--location", str(tmp_path / "oxigraph"), "--bind",
                    f"127.0.0.1:{port}"], url, url + "/")


def virtuoso(tmp_path):
    """Debian's Virtuoso 7 (virtuoso-opensource-7-bin), on loopback, with a fresh database
    in `tmp_path`; its administrator is dba, password dba."""
    binary = shutil.which("virtuoso-t")
    assert binary, ("Virtuoso is needed: apt-get install virtuoso-opensource-7-bin "
                    "(tests/run.sh does as root)")
    folder = tmp_path / "virtuoso"
    folder.mkdir()
    port, sql = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(f"""[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = {folder}
[HTTPServer]
ServerPort = 127.0.0.1:{port}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 100000
""")
    url = f"http://127.0.0.1:{port}"
    return running([binary, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                   url, url + "/sparql?query=ASK%7B%7D")


@contextmanager
def recording_server(status: int = 200, body: bytes = b"ok", headers: dict | None = None):
    """An HTTP server that records every request and answers `status` with `body` (and
    `headers`)."""
    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            seen.append((self.command, self.path, dict(self.headers),
                         self.rfile.read(length) if length else b""))
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = _answer

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serving(handler):
    """A threading HTTP server on loopback answering with `handler`; its URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def endless_server(status: int, trickle: str | None = None, pause: float = 0.5):
    """An HTTP server that reads the request, then answers `status` with a body that never
    ends (until the client goes away): at full speed, or a byte every `pause` seconds, each
    well within any read timeout: the status line and headers too (`trickle` "headers") or
    the body only (`trickle` "body")."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_PUT(self):
            length = int(self.headers.get("Content-Length") or 0)
            while length > 0:
                length -= len(self.rfile.read(min(length, 1 << 16)))
            reason = http.HTTPStatus(status).phrase
            head = f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\n\r\n".encode()
            try:
                if trickle != "headers":
                    self.wfile.write(head)
                    self.wfile.flush()
                    head = b""
                while True:
                    if trickle is None:
                        self.wfile.write(b"x" * 65536)
                        continue
                    for byte in head + b"x" * 1000:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(pause)
                    head = b""
            except OSError:  # the client closed the connection
                pass

        def log_message(self, *args):
            pass

    with serving(Handler) as url:
        yield url
