"""Home agenda, dumps with conditional and range requests, VoID, ontology and shapes pages."""

from __future__ import annotations

import hashlib

import pytest
from flask.testing import FlaskClient
from htmlparse import parse_html
from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, VOID
from rdfparse import parse_rdf
from webfixture import BASE

from confgraph.store.release import Release


def home(client: FlaskClient):
    return parse_html(client.get("/").get_data(as_text=True))


def test_agenda_lists_days_items_times_rooms_and_people(client: FlaskClient) -> None:
    page = home(client)
    meeting = page.by_id("meeting-1")
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
    assert "moderator: Ana Lima" in panel.text and "panelist: Bo Berg" in panel.text
    assert "From the floor: Afghanistan, Office of the High Commissioner" in panel.text
    side_event = items[2]
    assert side_event.attrs["data-depth"] == "1" and "Room B" in side_event.text


def test_floor_lists_are_grouped_as_the_programme_lists_them(client: FlaskClient) -> None:
    lists = [s for s in home(client).iter("section") if "floor-list" in s.attrs.get("class", "")]
    headings = [s.iter("h2")[0].text for s in lists]
    assert headings == ["Member States", "Stakeholders", "Other inputs"]
    entries = [a.text for a in lists[0].iter("a") if "entry" in a.attrs.get("class", "")]
    assert entries == ["Afghanistan (panel 1)", "Brazil"]


def test_every_agenda_link_resolves(client: FlaskClient) -> None:
    for href, _ in home(client).links():
        if href.startswith("http"):
            continue
        response = client.get(href, headers={"Accept": "text/html"})
        assert response.status_code in (200, 303), href
        response.close()


def test_home_links_query_page_dumps_ontology_and_shapes(client: FlaskClient) -> None:
    hrefs = {href for href, _ in home(client).links()}
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
