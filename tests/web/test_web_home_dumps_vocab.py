"""Home page and agendas, dumps with conditional and range requests, VoID, ontology, shapes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient
from htmlparse import parse_html
from meetingsfixture import write_meetings
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, FOAF, VOID
from rdfparse import parse_rdf
from webfixture import BASE, write_release

from confgraph.settings import Settings
from confgraph.store.registry import open_store
from confgraph.store.release import Release
from confgraph.vocab import CG
from confgraph.web.app import create_app
from confgraph.web.meetings import summary

AGENDA = "/programme/2030-01-test"


def page(client: FlaskClient, path: str = "/"):
    response = client.get(path)
    assert response.status_code == 200, path
    return parse_html(response.get_data(as_text=True))


def meeting_rows(client: FlaskClient, path: str = "/") -> list:
    return page(client, path).by_id("meetings").iter("tbody")[0].iter("tr")


@pytest.fixture()
def meetings_app(
    tmp_path_factory: pytest.TempPathFactory, settings: Settings
) -> Iterator[FlaskClient]:
    """Serve five meetings (January to May 2030), two to a page of the home page."""
    release = Release.open(write_release(tmp_path_factory.mktemp("meetings")))
    store = open_store("oxigraph", write_meetings(release.path, 5))
    app = create_app(settings.replace(page_size=2), store, release)
    app.config["TESTING"] = True
    yield app.test_client()
    store.close()


def test_home_lists_each_meeting_with_dates_venue_and_counts(client: FlaskClient) -> None:
    (row,) = meeting_rows(client)
    cells = {td.attrs["class"]: td for td in row.iter("td")}
    assert cells["title"].links()[0] == (AGENDA, "Test meeting on migration")
    assert ("/id/meeting/2030-01-test", "about") in cells["title"].links()
    assert cells["dates"].text == "7 Jan 2030"
    assert cells["venue"].links() == [
        ("/id/place/vic/room-a", "Room A"),
        ("/id/place/vic", "Vienna International Centre"),
    ]
    # Three items (the side event within the lunch break counts); statements, not inputs.
    assert cells["items"].text == "3" and cells["statements"].text == "3"
    assert page(client).by_id("pages") is None  # one page only


def test_home_summarises_the_dataset_from_its_void_description(client: FlaskClient) -> None:
    assert page(client).by_id("summary").text == "120 triples"


def test_summary_counts_meetings_people_and_agents_from_class_partitions() -> None:
    dataset = URIRef(BASE + "/dataset")
    void = Graph().parse(
        format="turtle",
        data=f"""@prefix void: <http://rdfs.org/ns/void#> .
<{dataset}> void:triples 1000 ; void:classPartition [ void:class <{FOAF.Person}> ;
  void:entities 12 ], [ void:class <{CG.Meeting}> ; void:entities 1 ],
  [ void:class <{CG.Room}> ; void:entities 4 ] .""",
    )
    assert summary(void, dataset) == [("meeting", 1), ("people", 12), ("triples", 1000)]


def test_home_pages_meetings_newest_first(meetings_app: FlaskClient) -> None:
    first = meeting_rows(meetings_app)
    assert [r.iter("td")[0].iter("a")[0].text for r in first] == [
        "Test meeting 5",
        "Test meeting 4",
    ]
    assert first[0].iter("td")[1].text == "7 May 2030"
    pager = page(meetings_app).by_id("pages")
    assert pager.links() == [("/?page=2", "Older")] and "Page 1 of 3" in pager.text
    second = page(meetings_app, "/?page=2")
    titles = [r.iter("a")[0].text for r in second.by_id("meetings").iter("tbody")[0].iter("tr")]
    assert titles == ["Test meeting 3", "Test meeting 2"]
    assert second.by_id("pages").links() == [("/?page=1", "Newer"), ("/?page=3", "Older")]
    (last,) = meeting_rows(meetings_app, "/?page=3")
    assert last.iter("a")[0].text == "Test meeting 1"
    assert last.iter("td")[3].text == "3" and last.iter("td")[4].text == "3"


@pytest.mark.parametrize("query", ["page=0", "page=two", "page=-1", "page=1&page=2"])
def test_home_refuses_a_page_that_is_no_whole_number(client: FlaskClient, query: str) -> None:
    response = client.get(f"/?{query}", headers={"Accept": "text/plain"})
    assert response.status_code == 400
    assert "page must be one whole number from 1" in response.get_data(as_text=True)


def test_home_page_past_the_last_is_404(meetings_app: FlaskClient) -> None:
    response = meetings_app.get("/?page=4", headers={"Accept": "text/plain"})
    assert response.status_code == 404
    assert "past the last page of meetings (3)" in response.get_data(as_text=True)


def test_agenda_lists_days_items_times_rooms_and_people(client: FlaskClient) -> None:
    meeting = page(client, AGENDA).by_id("meeting")
    assert meeting.iter("h1")[0].text == "Test meeting on migration"
    day = next(s for s in meeting.iter("section") if "day" in s.attrs.get("class", "").split())
    assert day.iter("h2")[0].text == "Day 1: Monday, 7 January 2030"
    items = [li for li in day.iter("li") if "item" in li.attrs.get("class", "").split()]
    titles = [li.iter("span")[1].text for li in items]
    assert titles == [
        "Panel 1: Smuggling of migrants",
        "Lunch / Space for side-events",
        "Side event: data revolution",
    ]
    panel = items[0]
    assert panel.iter("span")[0].text == "10:15\u201313:00"
    assert "Room A" in panel.text
    # Without the programme's own listing, a speaker is shown from the meeting's affiliation.
    assert "Moderator: H.E. Ms. Ana Lima, Ambassador, Brazil" in panel.text
    assert "Panelist: Bo Berg, Director, Office of the High Commissioner" in panel.text
    assert "From the floor: Afghanistan, Office of the High Commissioner" in panel.text
    side_event = items[2]
    assert side_event.attrs["data-depth"] == "1" and "Room B" in side_event.text


def test_floor_lists_are_grouped_as_the_programme_lists_them(client: FlaskClient) -> None:
    lists = [
        s for s in page(client, AGENDA).iter("section") if "floor-list" in s.attrs.get("class", "")
    ]
    headings = [s.iter("h3")[0].text for s in lists]
    assert headings == ["Member States", "Stakeholders", "Other inputs"]
    entries = [a.text for a in lists[0].iter("a") if "entry" in a.attrs.get("class", "")]
    assert entries == ["Afghanistan (panel 1)", "Brazil"]


def test_agenda_shows_only_its_own_meeting(meetings_app: FlaskClient) -> None:
    agenda = page(meetings_app, "/programme/2030-03-test").by_id("meeting")
    assert agenda.iter("h1")[0].text == "Test meeting 3"
    days = [s.iter("h2")[0].text for s in agenda.iter("section") if s.attrs["class"] == "day"]
    assert days == ["Day 1: Monday, 7 January 2030"]  # the fixture's label, kept as it is
    hrefs = [href for href, _ in agenda.links() if href.startswith("/id/meeting/")]
    assert hrefs and all(h.startswith("/id/meeting/2030-03-test") for h in hrefs)
    assert len([li for li in agenda.iter("li") if "item" in li.attrs.get("class", "")]) == 3


@pytest.mark.parametrize("meeting", ["2099-01-none", "2030-01-test%20x", "%3Cx%3E"])
def test_unknown_meeting_agenda_is_404(client: FlaskClient, meeting: str) -> None:
    response = client.get(f"/programme/{meeting}", headers={"Accept": "text/plain"})
    assert response.status_code == 404
    assert "is no meeting of this dataset" in response.get_data(as_text=True)


def test_every_home_and_agenda_link_resolves(client: FlaskClient) -> None:
    links = page(client).links() + page(client, AGENDA).links()
    assert (AGENDA, "Test meeting on migration") in links
    for href, _ in links:
        if href.startswith("http"):
            continue
        response = client.get(href, headers={"Accept": "text/html"})
        assert response.status_code in (200, 303), href
        response.close()


def test_home_links_query_page_dumps_ontology_and_shapes(client: FlaskClient) -> None:
    hrefs = {href for href, _ in page(client).links()}
    assert {"/sparql", "/dumps/", "/ontology", "/shapes"} <= hrefs


def test_dumps_listing_names_every_file(client: FlaskClient, release: Release) -> None:
    table = parse_html(client.get("/dumps/").get_data(as_text=True)).by_id("dumps")
    assert {text for _, text in table.links()} == set(release.files)


def test_dump_headers_and_conditional_get(client: FlaskClient, release: Release) -> None:
    info = release.files["confgraph.ttl"]
    response = client.get("/dumps/confgraph.ttl")
    body = response.get_data()
    response.close()
    assert response.mimetype == "text/turtle"
    assert int(response.headers["Content-Length"]) == info.size == len(body)
    assert hashlib.sha256(body).hexdigest() == info.sha256
    assert response.headers["ETag"] == f'"{info.sha256}"'
    assert "Last-Modified" in response.headers
    again = client.get("/dumps/confgraph.ttl", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    again.close()
    since = client.get(
        "/dumps/confgraph.ttl", headers={"If-Modified-Since": response.headers["Last-Modified"]}
    )
    assert since.status_code == 304
    since.close()


def test_dump_range_request(client: FlaskClient, release: Release) -> None:
    response = client.get("/dumps/confgraph.ttl", headers={"Range": "bytes=0-9"})
    part = response.get_data()
    response.close()
    assert response.status_code == 206
    assert response.headers["Content-Range"].startswith("bytes 0-9/")
    assert part == (release.path / "confgraph.ttl").read_bytes()[:10]


def test_unknown_dump_is_404(client: FlaskClient) -> None:
    assert client.get("/dumps/release.json.bak").status_code == 404
    assert client.get("/dumps/..%2Frelease.json").status_code == 404


@pytest.mark.parametrize("path", ["/.well-known/void", "/dataset"])
@pytest.mark.parametrize(
    ("accept", "fmt"), [("text/turtle", "turtle"), ("application/ld+json", "json-ld")]
)
def test_dataset_description_adds_this_servers_addresses(
    client: FlaskClient, path: str, accept: str, fmt: str
) -> None:
    response = client.get(path, headers={"Accept": accept})
    graph = parse_rdf(response.get_data(), fmt)
    dataset = URIRef(BASE + "/dataset")
    assert (dataset, VOID.sparqlEndpoint, URIRef("http://localhost/sparql")) in graph
    assert (dataset, VOID.uriSpace, Literal(BASE + "/id/")) in graph
    assert (dataset, VOID.dataDump, URIRef("http://localhost/dumps/confgraph.ttl")) in graph
    distribution = URIRef(BASE + "/dumps/confgraph.ttl")
    assert (distribution, DCAT.downloadURL, URIRef("http://localhost/dumps/confgraph.ttl")) in graph
    assert (dataset, VOID.triples, None) in graph


def test_dataset_description_as_html_and_by_extension(client: FlaskClient) -> None:
    page = parse_html(
        client.get("/dataset", headers={"Accept": "text/html"}).get_data(as_text=True)
    )
    assert "/sparql" in {href.removeprefix("http://localhost") for href, _ in page.links()}
    assert client.get("/dataset.ttl").mimetype == "text/turtle"


@pytest.mark.parametrize(
    ("path", "accept", "fmt"),
    [
        ("/ontology", "text/turtle", "turtle"),
        ("/ontology", "application/rdf+xml", "xml"),
        ("/shapes", "application/n-triples", "nt"),
        ("/shapes", "application/ld+json", "json-ld"),
    ],
)
def test_vocabularies_negotiate_rdf(client: FlaskClient, path: str, accept: str, fmt: str) -> None:
    response = client.get(path, headers={"Accept": accept})
    assert "Accept" in response.headers["Vary"]
    assert len(parse_rdf(response.get_data(), fmt)) > 3


def test_ontology_page_documents_every_class_and_property(client: FlaskClient) -> None:
    page = parse_html(
        client.get("/ontology", headers={"Accept": "text/html"}).get_data(as_text=True)
    )
    terms = {a.attrs["id"] for a in page.iter("article")}
    assert {"Meeting", "Panel", "ProgrammeItem", "deliveredBy", "timeZone"} <= terms
    delivered = page.by_id("deliveredBy").text
    assert "domain" in delivered and "Statement" in delivered and "range" in delivered
    assert client.get("/ontology.ttl").mimetype == "text/turtle"


def test_shapes_page_documents_every_shape(client: FlaskClient) -> None:
    page = parse_html(client.get("/shapes", headers={"Accept": "text/html"}).get_data(as_text=True))
    shape = page.by_id("MeetingShape")
    assert shape is not None
    assert "schema:name" in shape.text and "A meeting has a name." in shape.text
