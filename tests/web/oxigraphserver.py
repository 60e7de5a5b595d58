"""An Oxigraph server (the `oxigraph` package's command) on loopback, for the remote tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from loopback import free_port_in

PORTS = range(18110, 18150)


def oxigraph_command() -> str | None:
    """Return the path of the `oxigraph` command (beside this Python, or on PATH)."""
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def require_oxigraph() -> str:
    """Return the oxigraph command, or skip (fail in CI) when it is not installed."""
    command = oxigraph_command()
    if command is None:
        if os.environ.get("CI") == "true":
            pytest.fail("the oxigraph command is missing: `pip install -e .[test]` installs it")
        pytest.skip("the oxigraph command is missing: `pip install -e .[test]` installs it")
    return command


@dataclass
class OxigraphServer:
    """A running (or stopped) Oxigraph server with its database directory and port."""

    command: str
    location: Path
    port: int
    timeout_s: int = 20
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Return the server's root address."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        """Return the query endpoint."""
        return self.url + "/query"

    @property
    def update_url(self) -> str:
        """Return the update endpoint."""
        return self.url + "/update"

    @property
    def store_url(self) -> str:
        """Return the graph store endpoint."""
        return self.url + "/store"

    def start(self) -> None:
        """Start the server and wait until it answers."""
        self.process = subprocess.Popen(
            [
                self.command,
                "serve",
                "--location",
                str(self.location),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout-s",
                str(self.timeout_s),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.query_url + "?query=ASK%7B%7D", timeout=2).close()
                return
            except (urllib.error.URLError, OSError):
                if self.process.poll() is not None:
                    raise RuntimeError("the oxigraph server exited at start-up") from None
                time.sleep(0.1)
        raise RuntimeError("the oxigraph server did not answer within 30 s")

    def kill(self) -> None:
        """Kill the server at once (as a crash would)."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


@contextmanager
def oxigraph_server(location: Path, timeout_s: int = 20) -> Iterator[OxigraphServer]:
    """Run an Oxigraph server over a database directory on a free loopback port."""
    server = OxigraphServer(require_oxigraph(), location, free_port_in(PORTS), timeout_s)
    server.start()
    try:
        yield server
    finally:
        server.kill()
