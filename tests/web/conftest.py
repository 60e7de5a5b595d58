"""Web fixtures: a release written from inline TriG, its store, the app and a test client."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from engines import Engine
from flask import Flask
from flask.testing import FlaskClient
from webfixture import write_release

from confgraph.cli import main
from confgraph.iris import Iris
from confgraph.pipeline import run_build
from confgraph.settings import Settings
from confgraph.store.base import Store
from confgraph.store.registry import ENGINES, open_remote_store, open_store
from confgraph.store.release import Release
from confgraph.store.sandbox import SandboxedStore
from confgraph.web.app import create_app


@pytest.fixture(scope="session")
def release_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Write the fixture release once; return its `current` link."""
    return write_release(tmp_path_factory.mktemp("build"))


@pytest.fixture(scope="session")
def release(release_dir: Path) -> Release:
    """Return the fixture release."""
    return Release.open(release_dir)


@pytest.fixture(scope="session")
def store(release: Release) -> Iterator[Store]:
    """Return an in-process Oxigraph store of the fixture release."""
    opened = open_store("oxigraph", release.quads)
    yield opened
    opened.close()


DATA = Path(__file__).resolve().parents[2] / "data"
# The real engines the remote store is tested against (tests/engines.py starts them).
REMOTE_ENGINES = {"remote-oxigraph-server": "oxigraph_engine", "remote-virtuoso": "virtuoso_engine"}


@pytest.fixture(scope="module", params=[*sorted(ENGINES), "sandbox", *REMOTE_ENGINES])
def any_store(request: pytest.FixtureRequest, release: Release) -> Iterator[Store]:
    """Yield the fixture release in each engine, in worker processes, and in real engines."""
    if request.param == "sandbox":
        store: Store = SandboxedStore("oxigraph", release.quads, workers=1, timeout=30)
    elif request.param in REMOTE_ENGINES:
        engine = request.getfixturevalue(REMOTE_ENGINES[request.param])
        published = request.getfixturevalue("publish")(engine, "fixture")
        store = open_remote_store(engine.query_url, published, 30.0)
    else:
        store = open_store(request.param, release.quads)
    yield store
    store.close()


@pytest.fixture(scope="session")
def release_named(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Release]:
    """Return the release "fixture" (the inline TriG, VoID exact) or "bundled" (data/ built)."""
    releases: dict[str, Release] = {}

    def release_of(name: str) -> Release:
        if name not in releases:
            where = tmp_path_factory.mktemp(f"release-{name}")
            current = (
                write_release(where, exact_void=True)
                if name == "fixture"
                else run_build(DATA, where, Iris())
            )
            releases[name] = Release.open(current)
        return releases[name]

    return release_of


@pytest.fixture(scope="session")
def publish(release_named: Callable[[str], Release]) -> Callable[[Engine, str], Release]:
    """Return a publisher of a named release into an engine, once each per session.

    It runs `confgraph publish` with the engine's credentials in the environment only.
    """
    done: dict[tuple[str, str], Release] = {}

    def publish(engine: Engine, name: str) -> Release:
        if (engine.name, name) not in done:
            release = release_named(name)
            result = CliRunner().invoke(
                main,
                ["publish", "--release", str(release.path), *engine.options(), "--keep", "10"],
                env=engine.env(),
            )
            assert result.exit_code == 0, result.output
            done[engine.name, name] = release
        return done[engine.name, name]

    return publish


@pytest.fixture(scope="session")
def settings(release_dir: Path) -> Settings:
    """Return settings for the fixture release with in-process queries."""
    return Settings(release=str(release_dir), query_workers=0, row_limit=50)


@pytest.fixture()
def app(settings: Settings, store: Store, release: Release) -> Flask:
    """Return the application over the fixture release."""
    app = create_app(settings, store, release)
    app.config["TESTING"] = True
    return app


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    """Return a test client of the application."""
    return app.test_client()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def server(release_dir: Path) -> Iterator[str]:
    """Start `confgraph serve` on a free loopback port; yield its root URL."""
    with serving(release_dir) as root:
        yield root


@pytest.fixture(scope="session")
def serve() -> Callable[..., AbstractContextManager[str]]:
    """Return serving, to start a server on another release or with other options."""
    return serving


@contextmanager
def serving(release_dir: Path, *options: str) -> Iterator[str]:
    """Run `confgraph serve` (one query worker, any more options) on a free loopback port."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from confgraph.cli import main; main()",
            "serve",
            "--release",
            str(release_dir),
            "--port",
            str(port),
            "--query-workers",
            "1",
            *options,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    root = f"http://127.0.0.1:{port}"
    try:
        _wait_for(root, process)
        yield root
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
        process.stderr.close() if process.stderr else None
    assert process.returncode == 0, stderr.decode()


def _wait_for(root: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stderr.read().decode()}")
        try:
            with urllib.request.urlopen(root + "/sparql?query=ASK%7B%7D", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


@pytest.fixture(scope="session")
def bundled_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    """Build the repository's own data (with its dataset.yaml) once and serve it."""
    from confgraph.iris import Iris
    from confgraph.pipeline import run_build

    data = Path(__file__).resolve().parents[2] / "data"
    release = Release.open(run_build(data, tmp_path_factory.mktemp("bundled"), Iris()))
    store = open_store("oxigraph", release.source("oxigraph"))
    app = create_app(Settings(release=str(release.path), query_workers=0), store, release)
    app.config["TESTING"] = True
    yield app.test_client()
    store.close()
