"""The day page of a programme without times lists its parts in the order of the page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from htmlparse import parse_html

from confgraph.iris import Iris
from confgraph.pipeline import run_build
from confgraph.settings import Settings
from confgraph.store.registry import open_store
from confgraph.store.release import Release
from confgraph.web.app import create_app


@pytest.fixture()
def client(hearing_data: Path, tmp_path: Path) -> Iterator[FlaskClient]:
    """Build the hearing fixture and serve it from its built store."""
    release = Release.open(run_build(hearing_data, tmp_path / "out", Iris()))
    store = open_store("oxigraph", release.source("oxigraph"))
    app = create_app(Settings(release=str(release.path), query_workers=0), store, release)
    app.config["TESTING"] = True
    yield app.test_client()
    store.close()


def test_the_day_page_lists_its_untimed_parts_in_order(client: FlaskClient) -> None:
    response = client.get("/id/meeting/hearing/day/2018-01-15.html")
    assert response.status_code == 200
    page = parse_html(response.get_data(as_text=True))
    parts = next(s for s in page.iter("section") if s.iter("h2")[0].text == "Parts")
    names = [row.iter("td")[0].text for row in parts.iter("tr")[1:]]
    assert names == [
        "Opening of the hearing",
        "Panel 1: Zeta comes first",
        "Panel 2: Alpha comes second",
        "Closing of the hearing",
    ]
