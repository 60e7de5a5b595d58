"""Linked-data pages: 303s, documents by extension, labels, links both ways, views, escaping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from htmlparse import parse_html
from rdflib import Literal, URIRef
from rdfparse import parse_rdf
from webfixture import GRAPH, ID, INJECTION, M, write_release

from confgraph.settings import Settings
from confgraph.store.registry import open_store
from confgraph.store.release import Release
from confgraph.web.app import create_app

PANEL = "/id/meeting/2030-01-test/session/panel-1"
EXTENSIONS = {
    "text/html": "html",
    "text/turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdf",
    "application/n-triples": "nt",
}
GRAPH_PATH = "/graph/2030-01-test"
RDFLIB = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml", "nt": "nt"}


@pytest.mark.parametrize("path", [PANEL, GRAPH_PATH], ids=["resource", "named-graph"])
@pytest.mark.parametrize(("accept", "extension"), EXTENSIONS.items())
def test_redirects_303_to_the_document_in_the_accepted_format(
    client: FlaskClient, path: str, accept: str, extension: str
) -> None:
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 303
    assert response.headers["Location"] == f"{path}.{extension}"
    assert "Accept" in response.headers["Vary"]


def test_browser_accept_with_q_values_gets_html(client: FlaskClient) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert client.get(PANEL, headers={"Accept": accept}).headers["Location"].endswith(".html")
    rdf_first = "text/turtle;q=1.0, text/html;q=0.5"
    assert client.get(PANEL, headers={"Accept": rdf_first}).headers["Location"].endswith(".ttl")


@pytest.mark.parametrize("extension", ["ttl", "jsonld", "rdf", "nt"])
def test_rdf_documents_describe_the_resource_both_ways(client: FlaskClient, extension: str) -> None:
    response = client.get(f"{PANEL}.{extension}")
    assert response.status_code == 200
    graph = parse_rdf(response.get_data(), RDFLIB[extension])
    panel = URIRef(ID + "/meeting/2030-01-test/session/panel-1")
    assert (panel, URIRef("https://schema.org/name"), None) in graph
    incoming = URIRef(ID + "/meeting/2030-01-test/statement/afg-at-panel-1")
    assert (incoming, None, panel) in graph


def test_unknown_iri_is_404_in_the_negotiated_format(client: FlaskClient) -> None:
    turtle = client.get("/id/nothing/here", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 404 and turtle.mimetype == "text/turtle"
    assert len(parse_rdf(turtle.get_data(), "turtle")) == 0
    jsonld = client.get("/id/nothing/here.jsonld")
    assert jsonld.status_code == 404 and jsonld.mimetype == "application/ld+json"
    html = client.get("/id/nothing/here", headers={"Accept": "text/html"})
    assert html.status_code == 404 and html.mimetype == "text/html"
    assert client.get("/id/nothing", headers={"Accept": "image/png"}).status_code == 406


def test_page_shows_labels_links_and_incoming_links(client: FlaskClient) -> None:
    page = parse_html(client.get(f"{PANEL}.html").get_data(as_text=True))
    assert page.by_id("title").text == "Panel 1: Smuggling of migrants"
    outgoing = dict(page.by_id("outgoing").links())
    assert outgoing["/id/place/vic/room-a"] == "Room A"
    incoming = page.by_id("incoming")
    assert incoming is not None
    assert "/id/meeting/2030-01-test/statement/afg-at-panel-1" in dict(incoming.links())
    # Plain labels, the prefixed name as a tooltip (changed from "is cg:deliveredAt of").
    assert "is delivered at of" in incoming.text
    assert "cg:deliveredAt" in {a.attrs.get("title") for a in incoming.iter("a")}


def test_description_sits_under_the_title_and_properties_have_plain_labels(
    client: FlaskClient,
) -> None:
    page = parse_html(client.get(f"{PANEL}.html").get_data(as_text=True))
    article = page.iter("article")[0]
    assert [c.tag for c in article.children][:2] == ["h1", "p"]
    assert article.children[1].attrs["id"] == "description"
    assert article.children[1].text.startswith("Panel about <script>")
    outgoing = page.by_id("outgoing")
    assert outgoing.iter("h2")[0].text == "Properties"
    names = {th.text: th for th in outgoing.iter("th")}
    assert "start date" in names and "schema:startDate" not in names
    assert names["start date"].iter("a")[0].attrs["title"] == "schema:startDate"
    assert "Panel about" not in outgoing.text  # shown once, under the title
    assert not [h for h in page.iter("h2") if h.text == "Statements"]


def test_page_has_alternates_sparql_link_and_embedded_jsonld(client: FlaskClient) -> None:
    page = parse_html(client.get(f"{PANEL}.html").get_data(as_text=True))
    alternates = {
        link.attrs["type"]: link.attrs["href"]
        for link in page.iter("link")
        if link.attrs.get("rel") == "alternate"
    }
    assert alternates["text/turtle"] == f"{PANEL}.ttl"
    assert set(alternates) == {e for e in EXTENSIONS if e != "text/html"}
    assert "DESCRIBE" in page.by_id("open-in-sparql").attrs["href"]
    script = next(s for s in page.iter("script") if s.attrs.get("type") == "application/ld+json")
    data = json.loads(script.text)
    assert INJECTION not in script.text  # tojson escapes <, so the script cannot be closed early
    assert "Smuggling of migrants" in json.dumps(data)


def test_literal_with_markup_is_escaped(client: FlaskClient) -> None:
    html = client.get(f"{PANEL}.html").get_data(as_text=True)
    assert INJECTION not in html
    assert "&lt;script&gt;" in html
    scripts = [
        s for s in parse_html(html).iter("script") if s.attrs.get("type") != "application/ld+json"
    ]
    assert scripts == []


def test_dates_are_shown_in_the_venues_time_with_offset(client: FlaskClient) -> None:
    page = parse_html(client.get(f"{PANEL}.html").get_data(as_text=True))
    assert "Mon 7 Jan 2030 10:15 UTC+01:00 (Europe/Vienna)" in page.text


def test_labels_follow_accept_language_with_fallback(client: FlaskClient) -> None:
    french = client.get("/id/country/bra.html", headers={"Accept-Language": "fr-CH, fr;q=0.9"})
    assert parse_html(french.get_data(as_text=True)).by_id("title").text == "Brésil"
    german = client.get("/id/country/bra.html", headers={"Accept-Language": "de"})
    assert parse_html(german.get_data(as_text=True)).by_id("title").text == "Brazil"


def test_programme_item_view_shows_time_place_people_and_statements(client: FlaskClient) -> None:
    page = parse_html(client.get(f"{PANEL}.html").get_data(as_text=True))
    views = {
        s.iter("h2")[0].text: s for s in page.iter("section") if "view" in s.attrs.get("class", "")
    }
    assert set(views) >= {"Time and place", "People", "Statements delivered here"}
    people = views["People"].text
    assert "Ana Lima" in people and "moderator" in people and "panelist" in people
    assert "Vienna International Centre" in views["Time and place"].text
    statements = dict(views["Statements delivered here"].links())
    assert statements["/id/country/afg"] == "Afghanistan"


def test_country_view_shows_statements_and_roles_of_its_people(client: FlaskClient) -> None:
    page = parse_html(client.get("/id/country/bra.html").get_data(as_text=True))
    views = {
        s.iter("h2")[0].text: s for s in page.iter("section") if "view" in s.attrs.get("class", "")
    }
    assert "Statements delivered" in views and "Written inputs submitted" in views
    roles = views["Roles held by its people"]
    assert "Ana Lima" in roles.text and "moderator" in roles.text


def test_organisation_and_person_views(client: FlaskClient) -> None:
    org = parse_html(client.get("/id/organisation/ohchr.html").get_data(as_text=True))
    assert "Bo Berg" in org.text and "OHCHR (panel 1)" in org.text
    person = parse_html(client.get("/id/person/ana-lima.html").get_data(as_text=True))
    views = {
        s.iter("h2")[0].text: s
        for s in person.iter("section")
        if "view" in s.attrs.get("class", "")
    }
    assert "Panel 1" in views["Roles"].text
    assert "Brazil" in views["Affiliations"].text and "Ambassador" in views["Affiliations"].text


def test_meeting_page_links_to_its_agenda_and_only_a_meeting_does(client: FlaskClient) -> None:
    meeting = parse_html(client.get("/id/meeting/2030-01-test.html").get_data(as_text=True))
    link = meeting.by_id("agenda")
    assert link.attrs["href"] == "/programme/2030-01-test" and link.text == "Agenda"
    assert client.get(link.attrs["href"]).status_code == 200
    for path in (
        f"{PANEL}.html",
        "/id/person/ana-lima.html",
        "/id/meeting/2030-01-test/day/2030-01-07.html",
    ):
        assert parse_html(client.get(path).get_data(as_text=True)).by_id("agenda") is None, path


def test_external_iris_link_out_without_being_fetched(client: FlaskClient) -> None:
    page = parse_html(client.get("/id/country/bra.html").get_data(as_text=True))
    hrefs = [href for href, _ in page.by_id("outgoing").links()]
    assert "http://www.wikidata.org/entity/Q155" in hrefs


@pytest.mark.parametrize("base", ["https://data.example.org/confgraph", "http://example.org"])
def test_any_base_is_served_at_local_addresses(tmp_path: Path, base: str) -> None:
    release = Release.open(write_release(tmp_path, base=base))
    store = open_store("oxigraph", release.quads)
    client = create_app(Settings(query_workers=0), store, release).test_client()
    response = client.get(PANEL, headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    graph = parse_rdf(client.get(response.headers["Location"]).get_data(), "turtle")
    assert (URIRef(base + "/id/meeting/2030-01-test/session/panel-1"), None, None) in graph
    page = parse_html(client.get(f"{PANEL}.html").get_data(as_text=True))
    assert ("/id/place/vic/room-a", "Room A") in page.by_id("outgoing").links()
    store.close()


def test_meeting_literal_label_in_turtle(client: FlaskClient) -> None:
    graph = parse_rdf(client.get("/id/meeting/2030-01-test.ttl").get_data(), "turtle")
    labels = set(graph.objects(URIRef(M), URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
    assert Literal("Réunion d'essai", lang="fr") in labels


@pytest.mark.parametrize(
    "path", ["/id/<script>alert(1)</script>", "/id/foo%20bar", '/id/x.ttl"', "/id/a{b}|c^d`e"]
)
def test_a_path_no_iri_can_hold_is_404_not_500(client: FlaskClient, path: str) -> None:
    html = client.get(path, headers={"Accept": "text/html"})
    assert html.status_code == 404 and html.mimetype == "text/html"
    assert "<script>alert" not in html.get_data(as_text=True)
    turtle = client.get(path, headers={"Accept": "text/turtle"})
    assert turtle.status_code == 404 and turtle.mimetype == "text/turtle"
    assert client.get(path + ".jsonld").status_code == 404


def test_404_honours_format_and_varies_on_accept(client: FlaskClient) -> None:
    response = client.get("/id/nothing/here?format=ttl", headers={"Accept": "text/html"})
    assert response.status_code == 404 and response.mimetype == "text/turtle"
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize("extension", ["ttl", "jsonld", "rdf", "nt"])
def test_named_graph_serves_every_triple_of_the_graph(client: FlaskClient, extension: str) -> None:
    response = client.get(f"{GRAPH_PATH}.{extension}")
    assert response.status_code == 200
    graph = parse_rdf(response.get_data(), RDFLIB[extension])
    whole = client.get(
        "/sparql",
        query_string={"query": f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"},
        headers={"Accept": "application/sparql-results+json"},
    ).get_json()
    assert len(graph) == int(whole["results"]["bindings"][0]["n"]["value"]) > 10
    panel = URIRef(ID + "/meeting/2030-01-test/session/panel-1")
    assert (panel, URIRef("https://schema.org/name"), None) in graph


def test_named_graph_html_and_unknown_graphs(client: FlaskClient) -> None:
    assert client.get(f"{GRAPH_PATH}.html").status_code == 200
    unknown = client.get("/graph/nowhere", headers={"Accept": "text/turtle"})
    assert unknown.status_code == 404 and unknown.mimetype == "text/turtle"
    assert client.get("/graph/nowhere.jsonld").status_code == 404


def test_jsonld_context_holds_only_the_prefixes_in_use(client: FlaskClient) -> None:
    document = json.loads(client.get(f"{PANEL}.jsonld").get_data())
    context = document["@context"]
    assert "schema" in context and "cg" in context
    assert not {"brick", "csvw", "odrl", "sosa"} & set(context)
