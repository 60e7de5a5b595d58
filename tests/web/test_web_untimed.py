"""A programme without times, built for real and served: its agenda and pages keep its order."""

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


def test_the_agenda_lists_untimed_items_in_order_under_their_headings(
    client: FlaskClient,
) -> None:
    response = client.get("/programme/hearing")
    assert response.status_code == 200
    page = parse_html(response.get_data(as_text=True))
    agenda = next(ul for ul in page.iter("ul") if ul.attrs.get("class") == "agenda")
    rows = [
        li.text if "heading" in li.attrs.get("class", "") else li.iter("span")[1].text
        for li in agenda.children
        if li.tag == "li"
    ]
    assert rows == [
        "Morning meeting",
        "Opening of the hearing",
        "Panel 1: Zeta comes first",
        "Afternoon meeting",
        "Panel 2: Alpha comes second",
        "Closing of the hearing",
    ]
    times = [span.text for span in agenda.iter("span") if span.attrs.get("class") == "time"]
    assert times == [""] * 4
    panel = next(li for li in agenda.children if "Zeta" in li.text)
    roles = [div.text for div in panel.iter("div") if div.attrs.get("class") == "roles"]
    # As the source lists them (changed with the agenda's speakers, from "moderator: Bob Example").
    assert roles == [
        "Moderator: Mr. Bob Example",
        "Panelist: Ms. Ann Example, Dean, Example University",
    ]
    assert "list of people breaks off" in panel.text
    assert "list of this day's items breaks off" in page.text
    assert page.by_id("statements-incomplete") is not None


def test_the_resource_page_of_an_untimed_item_renders(client: FlaskClient) -> None:
    response = client.get("/id/meeting/hearing/session/panel-1.html")
    assert response.status_code == 200
    text = parse_html(response.get_data(as_text=True)).text
    assert "Zeta comes first" in text and "Morning meeting" in text
    meeting = client.get("/id/meeting/hearing.html")
    assert meeting.status_code == 200
    assert "2018-01-16" in parse_html(meeting.get_data(as_text=True)).text


def test_the_agenda_header_gives_the_meetings_own_dates(client: FlaskClient) -> None:
    page = parse_html(client.get("/programme/hearing").get_data(as_text=True))
    assert page.by_id("dates").text == "15\u201316 January 2018"
    assert page.by_id("where").text.startswith("Example Headquarters, Vienna, Austria")
    events = [s for s in page.iter("script") if s.attrs.get("type") == "application/ld+json"]
    assert '"startDate": "2018-01-15"' in events[0].text


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
