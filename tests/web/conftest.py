"""Web fixtures: a release written from inline TriG, its store, the app and a test client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from webfixture import write_release

from confgraph.settings import Settings
from confgraph.store.base import Store
from confgraph.store.registry import open_store
from confgraph.store.release import Release
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
