"""`confgraph serve --engine sparql` in front of a real Oxigraph server that dies and returns.

The engine down: 503 with Retry-After on /sparql and on the pages that need it, `/` and the
dumps from disk; the engine back: answers again, by itself. At start-up an unreachable
engine is waited for, with a message, for engine_wait seconds at most.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message
from pathlib import Path

import pytest
from engines import Engine, port_range
from loopback import free_port_in
from remoteengine import KINDS, fresh, targets

from confgraph.iris import Iris
from confgraph.pipeline import run_build
from confgraph.store.release import Release
from confgraph.store.remote_publish import publish_release

ROOT = Path(__file__).resolve().parents[2]
PORTS = port_range()  # CONFGRAPH_TEST_PORTS, as the engines take theirs
MEETING = "2017-09-vienna-smuggling-trafficking"
NEED_ENGINE = (
    "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D",
    f"/programme/{MEETING}",
    "/id/country/bra.html",
)
FROM_DISK = ("/dumps/", "/dumps/confgraph.ttl", "/.well-known/void")


def new_queries(note: str) -> list[str]:
    """Return the paths that need the engine, made new (results and pages are cached)."""
    return [NEED_ENGINE[0] + "%23" + note, *(f"{path}?{note}" for path in NEED_ENGINE[1:])]


def get(url: str) -> tuple[int, Message, bytes]:
    """GET a URL; return status, headers and body, for errors too."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Release:
    """Build the repository's data."""
    return Release.open(run_build(ROOT / "data", tmp_path_factory.mktemp("faults"), Iris()))


@contextmanager
def published(start, kind: str, release: Release) -> Iterator[Engine]:
    """Run a new engine of a kind with the release published into it."""
    with fresh(start, kind) as running:
        publish_release(release, targets(running), 2, lambda _: None)
        yield running


@pytest.fixture(params=KINDS)
def engine(request: pytest.FixtureRequest, fresh_engine, release: Release) -> Iterator[Engine]:
    """Run each kind of engine, the release published into it."""
    with published(fresh_engine, request.param, release) as running:
        yield running


@pytest.fixture()
def oxigraph(fresh_engine, release: Release) -> Iterator[Engine]:
    """Run an Oxigraph server, the release published into it (start-up does not depend on it)."""
    with published(fresh_engine, "oxigraph-server", release) as running:
        yield running


def start_serve(
    release: Release, engine: Engine, wait: float
) -> tuple[subprocess.Popen[bytes], str]:
    """Start `confgraph serve --engine sparql`; return the process and its address."""
    port = free_port_in(PORTS)
    command = [sys.executable, "-m", "confgraph.cli", "serve", "--release", str(release.path)]
    command += ["--engine", "sparql", "--query-url", engine.query_url, "--port", str(port)]
    command += ["--engine-wait", str(wait), "--query-timeout", "5"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return process, f"http://127.0.0.1:{port}"


def wait_until_up(process: subprocess.Popen[bytes], url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        try:
            urllib.request.urlopen(url + "/dumps/", timeout=2).close()
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise AssertionError("the server did not come up")


def stop(process: subprocess.Popen[bytes]) -> str:
    process.terminate()
    _, err = process.communicate(timeout=30)
    return err.decode()


def test_engine_down_gives_503_then_recovers(release: Release, engine: Engine) -> None:
    process, url = start_serve(release, engine, 30)
    try:
        wait_until_up(process, url)
        for path in NEED_ENGINE:
            assert get(url + path)[0] == 200, path
        engine.kill()
        for path in new_queries("down"):
            status, headers, body = get(url + path)
            assert status == 503, path
            assert headers["Retry-After"] == "5"
            assert b"cannot be reached" in body and b"Traceback" not in body
        status, _, body = get(url + "/")
        assert status == 200 and b'id="summary"' in body and b'id="unavailable"' in body
        for path in (*FROM_DISK, *NEED_ENGINE[1:]):  # pages rendered before are kept
            assert get(url + path)[0] == 200, path
        engine.restart()
        for path in (*new_queries("up"), "/"):
            status, _, body = get(url + path)
            assert status == 200, path
        assert b'id="unavailable"' not in get(url + "/")[2]
    finally:
        errors = stop(process)
    assert "Traceback" not in errors


def test_start_up_waits_for_the_engine(release: Release, oxigraph: Engine) -> None:
    engine = oxigraph
    engine.kill()
    process, url = start_serve(release, engine, 60)
    try:
        time.sleep(3)
        assert process.poll() is None  # still waiting, not given up
        engine.restart()
        wait_until_up(process, url)
        assert get(url + NEED_ENGINE[0])[0] == 200
    finally:
        errors = stop(process)
    assert "waiting for the SPARQL engine" in errors and "cannot be reached" in errors


def test_start_up_gives_up_after_engine_wait(release: Release, oxigraph: Engine) -> None:
    engine = oxigraph
    engine.kill()
    process, _ = start_serve(release, engine, 1)
    _, err = process.communicate(timeout=60)
    message = err.decode()
    assert process.returncode != 0
    assert "gave up after 1 s, setting engine_wait" in message
    assert "Traceback" not in message
