"""The bundled Vienna programme, built for real: its notes, sources, venue and speaker order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from htmlparse import Element, parse_html

from confgraph.iris import Iris
from confgraph.pipeline import run_build
from confgraph.settings import Settings
from confgraph.store.registry import open_store
from confgraph.store.release import Release
from confgraph.web.app import create_app

DATA = Path(__file__).resolve().parents[2] / "data"
MEETING = "/id/meeting/2017-09-vienna-smuggling-trafficking"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    """Build the repository's data and serve it from its built store."""
    release = Release.open(run_build(DATA, tmp_path_factory.mktemp("notes"), Iris()))
    store = open_store("oxigraph", release.source("oxigraph"))
    app = create_app(Settings(release=str(release.path), query_workers=0), store, release)
    app.config["TESTING"] = True
    yield app.test_client()
    store.close()


def page_of(client: FlaskClient, path: str) -> Element:
    response = client.get(path)
    assert response.status_code == 200, path
    return parse_html(response.get_data(as_text=True))


def section_texts(client: FlaskClient, path: str) -> dict[str, str]:
    """Return the titled sections of a resource page by title, as text."""
    page = page_of(client, path)
    return {s.iter("h2")[0].text: s.text for s in page.iter("section") if s.iter("h2")}


def test_the_meeting_page_shows_its_source_and_the_curators_notes(client: FlaskClient) -> None:
    sections = section_texts(client, MEETING + ".html")
    assert "Smuggling and trafficking of migrants" in sections["Sources"]
    assert "does not name the co-facilitators" in sections["Curator's notes"]


def test_an_annotated_statement_shows_its_note_and_its_meetings_source(
    client: FlaskClient,
) -> None:
    path = MEETING + "/statement/international-organization-for-migration.html"
    sections = section_texts(client, path)
    assert "read as the International Organization for Migration" in sections["Curator's notes"]
    assert "Smuggling and trafficking of migrants" in sections["Sources"]


def test_the_agenda_places_the_meeting_at_its_venue(client: FlaskClient) -> None:
    page = page_of(client, "/programme/2017-09-vienna-smuggling-trafficking")
    where = next(e for e in page.iter() if "where" in (e.attrs.get("id"), e.attrs.get("class")))
    assert "Vienna International Centre" in where.text


def test_the_summary_panel_lists_its_people_in_the_order_of_the_page(
    client: FlaskClient,
) -> None:
    page = page_of(client, "/programme/2017-09-vienna-smuggling-trafficking")
    summary = next(
        li
        for li in page.iter("li")
        if "item" in li.attrs.get("class", "").split() and "Synopsis" in li.text
    )
    people = [
        a.attrs["href"].rsplit("/", 1)[1].removesuffix(".html")
        for a in summary.iter("a")
        if "/id/person/" in a.attrs.get("href", "")
    ]
    assert people[0] == "rafael-mariano-grossi" and people[-1] == "joy-ngozi-ezeilo"
