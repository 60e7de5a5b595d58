"""Pages stay fast while user queries keep every query worker busy."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from busyworker import busy_worker
from flask.testing import FlaskClient
from webfixture import BASE, M

from confgraph.settings import Settings
from confgraph.store.release import Release
from confgraph.store.sandbox import SandboxedStore
from confgraph.web.app import create_app

MEETING = M.removeprefix(BASE)
PAGES = ["/", f"{MEETING}.html", f"{MEETING}/session/panel-1.html"]


@pytest.fixture(scope="module")
def busy_client(
    release: Release, settings: Settings
) -> Iterator[tuple[FlaskClient, SandboxedStore]]:
    """Yield a client whose one query worker a slow user query can occupy."""
    store = SandboxedStore("oxigraph", release.quads, workers=1, timeout=3.0)
    try:
        assert store.query("ASK {}").boolean is True  # the worker has loaded
        yield create_app(settings, store, release).test_client(), store
    finally:
        store.close()


@pytest.mark.parametrize("path", PAGES)
def test_pages_do_not_wait_for_busy_query_workers(
    busy_client: tuple[FlaskClient, SandboxedStore], path: str
) -> None:
    client, store = busy_client
    assert client.get(path).status_code == 200  # caches filled while the pool is idle
    with busy_worker(store) as stopped:
        started = time.monotonic()
        response = client.get(path)
        elapsed = time.monotonic() - started
    assert len(stopped) == 1
    assert response.status_code == 200
    assert elapsed < 1.5
