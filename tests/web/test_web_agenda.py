"""The agenda of the bundled programme against its source page, and its schema.org events."""

from __future__ import annotations

import re
from pathlib import Path

import extruct
import pytest
from flask.testing import FlaskClient
from htmlparse import Element, parse_html

# The programme page the bundled programme was read from, as text.
SOURCE = (Path(__file__).parent / "sources" / "vienna-2017-09-programme.txt").read_text()
AGENDA = "/programme/2017-09-vienna-smuggling-trafficking"
ITEM = "/id/meeting/2017-09-vienna-smuggling-trafficking/session/panel-1"


@pytest.fixture()
def client(bundled_client: FlaskClient) -> FlaskClient:
    return bundled_client


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def agenda(client: FlaskClient) -> Element:
    response = client.get(AGENDA)
    assert response.status_code == 200
    return parse_html(response.get_data(as_text=True))


def items(page: Element) -> dict[str, Element]:
    """Return the agenda's items by title."""
    found = {}
    for li in page.iter("li"):
        if "item" in li.attrs.get("class", "").split():
            title = next(s for s in li.iter("span") if s.attrs.get("class") == "title")
            found[squeeze(title.text)] = li
    return found


def speakers(item: Element) -> list[str]:
    return [squeeze(li.text) for li in item.iter("li") if li.attrs.get("class") == "speaker"]


@pytest.mark.parametrize(
    "title",
    [
        "Panel 1: Smuggling of migrants",
        "Panel 2: Trafficking in persons and contemporary forms of slavery",
        "Panel 3: Appropriate identification, protection, and assistance to migrants and"
        " trafficking victims",
    ],
)
def test_speakers_are_listed_as_and_in_the_order_of_the_source(
    client: FlaskClient, title: str
) -> None:
    source = squeeze(SOURCE)
    lines = speakers(items(agenda(client))[title])
    assert lines, title
    # Each speaker as the page writes them: honorific, name, job title and affiliation.
    offsets = [source.find(line) for line in lines]
    assert -1 not in offsets, [line for line, at in zip(lines, offsets, strict=True) if at < 0]
    assert offsets == sorted(offsets), "speakers are not in the source's order"


def test_roles_are_headed_as_the_source_heads_them(client: FlaskClient) -> None:
    panel = items(agenda(client))["Panel 1: Smuggling of migrants"]
    headings = [
        squeeze(s.text) for s in panel.iter("span") if s.attrs.get("class") == "role"
    ]
    assert headings[:2] == ["Panelists:", "Moderator:"]
    assert "Sanchez" in speakers(panel)[0] and "Grossi" in speakers(panel)[-1]


def test_summary_panel_shows_the_moderators_as_the_source_introduces_them(
    client: FlaskClient,
) -> None:
    summary = items(agenda(client))["Summary panel: Synopsis of the main conclusions and outcomes"]
    note = next(s for s in summary.iter("span") if s.attrs.get("class") == "listed")
    assert note.text == "Moderators present the key recommendations resulting from their panels"
    lines = speakers(summary)
    assert "H.E. Mr. Leigh Turner, Permanent Representative of the United Kingdom" in " ".join(
        lines
    )


def test_header_gives_title_short_title_venue_city_dates_and_zone(client: FlaskClient) -> None:
    page = agenda(client)
    header = page.by_id("programme-header")
    assert header is not None
    assert squeeze(header.iter("h1")[0].text) == "Smuggling and trafficking of migrants"
    assert squeeze(page.by_id("full-title").text).startswith("Smuggling of migrants, trafficking")
    where = squeeze(page.by_id("where").text)
    # The source: "Vienna International Centre, Plenary Room, Vienna, 4-5 September 2017".
    # The meeting is held at the venue; the Plenary Room is where its items are (issue 11).
    assert where.startswith("Vienna International Centre, Vienna, Austria")
    assert squeeze(page.by_id("dates").text) == "4\u20135 September 2017"
    assert squeeze(page.by_id("zone").text) == "Times are local: Europe/Vienna (UTC+02:00)"


def test_descriptions_fold_away_after_their_first_sentence(client: FlaskClient) -> None:
    panel = items(agenda(client))["Panel 1: Smuggling of migrants"]
    (details,) = panel.iter("details")
    summary = squeeze(details.iter("summary")[0].text)
    assert summary == (
        "This panel will examine actions taken and gaps in responses to the smuggling of migrants."
    )
    assert "transnational smuggling networks." in details.text
    opening = items(agenda(client))["Opening segment"]
    assert not opening.iter("details")  # a short description is shown whole
    assert "Welcoming remarks by the co-facilitators" in opening.text


def test_no_entry_of_the_floor_repeats_a_name(client: FlaskClient) -> None:
    page = agenda(client)
    entries = [
        li
        for section in page.iter("section")
        if "floor-list" in section.attrs.get("class", "")
        for li in section.iter("li")
    ]
    assert len(entries) > 50
    for li in entries:
        listed = next(a.text for a in li.iter("a") if a.attrs.get("class") == "entry")
        named = [a.text for a in li.iter("a") if a.attrs.get("class") != "entry"]
        for name in named:
            assert name.casefold() not in listed.casefold(), squeeze(li.text)


def test_headings_are_text_not_links(client: FlaskClient) -> None:
    page = agenda(client)
    for level in ("h1", "h2", "h3"):
        for heading in page.iter(level):
            assert not heading.iter("a"), squeeze(heading.text)


def events(html: str) -> list[dict]:
    """Return the schema.org Events a page embeds, as extruct reads them."""
    data = extruct.extract(html, base_url="http://localhost/", syntaxes=["json-ld"])
    return [
        node
        for node in data["json-ld"]
        if node.get("@context") in ("https://schema.org", "http://schema.org")
        and node.get("@type") == "Event"
    ]


def test_agenda_embeds_the_meeting_as_a_schema_org_event(client: FlaskClient) -> None:
    (meeting,) = events(client.get(AGENDA).get_data(as_text=True))
    assert meeting["name"].startswith("Smuggling of migrants, trafficking in persons")
    assert meeting["startDate"] == "2017-09-04T10:00:00+02:00"
    assert meeting["endDate"] == "2017-09-05T18:00:00+02:00"
    place = meeting["location"]
    assert place["@type"] == "Place" and "Vienna International Centre" in place["name"]
    assert place["address"]["addressLocality"] == "Vienna"
    subs = {e["name"]: e for e in meeting["subEvent"]}
    assert {e["@type"] for e in subs.values()} == {"Event"}
    panel = subs["Panel 1: Smuggling of migrants"]
    assert (panel["startDate"], panel["endDate"]) == (
        "2017-09-04T10:15:00+02:00",
        "2017-09-04T13:00:00+02:00",
    )
    performers = {p["name"]: p for p in panel["performer"]}
    assert performers["Rafael Mariano Grossi"]["honorificPrefix"] == "H.E. Mr."
    assert performers["Mark Shaw"]["jobTitle"] == "Director"
    assert panel["url"] == "http://localhost" + ITEM
    side = subs["Side-event"]["subEvent"][0]
    assert side["location"]["name"] == "Room M2, Vienna International Centre"


def test_item_and_meeting_pages_embed_their_schema_org_event(client: FlaskClient) -> None:
    (item,) = events(client.get(ITEM + ".html").get_data(as_text=True))
    assert item["name"] == "Panel 1: Smuggling of migrants"
    assert item["startDate"] == "2017-09-04T10:15:00+02:00"
    assert item["superEvent"]["name"].startswith("Smuggling of migrants")
    assert len(item["performer"]) == 4
    meeting_page = client.get("/id/meeting/2017-09-vienna-smuggling-trafficking.html")
    (meeting,) = events(meeting_page.get_data(as_text=True))
    assert len(meeting["subEvent"]) == 8
    person_page = client.get("/id/person/mark-shaw.html").get_data(as_text=True)
    assert not events(person_page)
