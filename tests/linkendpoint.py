"""Loopback endpoints for the linking tests: an Oxigraph server, a failing and a silent one."""

from __future__ import annotations

import http.server
import os
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from engines import free_ports, oxigraph_command


def free_port() -> int:
    """Return a free loopback port of CONFGRAPH_TEST_PORTS (as the engines take theirs)."""
    return free_ports(1)[0]


def oxigraph_binary() -> str:
    """Return the oxigraph server of the test extra; skip without it (fail under CI=true)."""
    found = oxigraph_command()
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true and the oxigraph server (the test extra's oxigraph) is missing")
    pytest.skip("the oxigraph server (the test extra's oxigraph) is not installed")


@contextmanager
def oxigraph_endpoint(store: Path, *files: Path) -> Iterator[str]:
    """Load files into a new store, serve it read-only on loopback; yield its query URL."""
    binary = oxigraph_binary()
    arguments = [binary, "load", "--location", str(store)]
    for path in files:
        arguments += ["--file", str(path)]
    subprocess.run(arguments, check=True, capture_output=True, timeout=120)
    port = free_port()
    bind = f"127.0.0.1:{port}"
    command = [binary, "serve-read-only", "--location", str(store), "--bind", bind]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://{bind}/query"
    try:
        _wait(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the oxigraph server exited at start")
        try:
            ask = urllib.request.Request(url + "?query=ASK%7B%7D")
            with urllib.request.urlopen(ask, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the oxigraph server did not answer within 60 s")


class _Failing(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.server.hits += 1  # type: ignore[attr-defined]
        self.send_response(self.server.status)  # type: ignore[attr-defined]
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        """Say nothing."""


@contextmanager
def failing_endpoint(status: int = 500) -> Iterator[http.server.HTTPServer]:
    """Serve an endpoint that answers every query with an HTTP error status."""
    server = http.server.HTTPServer(("127.0.0.1", free_port()), _Failing)
    server.status, server.hits = status, 0  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def silent_endpoint() -> Iterator[str]:
    """Accept connections and never answer: a query to it times out."""
    server = socket.socket()
    server.bind(("127.0.0.1", free_port()))
    server.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/query"
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in held:
            conn.close()
        server.close()
