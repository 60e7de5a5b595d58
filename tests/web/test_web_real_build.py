"""A release written by the real build, served through the test client: VoID and links."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from htmlparse import parse_html
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, VOID
from rdfparse import parse_rdf

from confgraph.iris import Iris
from confgraph.pipeline import run_build
from confgraph.settings import Settings
from confgraph.store.registry import open_store
from confgraph.store.release import Release
from confgraph.web.app import create_app
from confgraph.web.examples import EXAMPLES

DATA = Path(__file__).resolve().parents[2] / "data"
LOCAL = "http://localhost"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Release, Flask]]:
    """Build the repository's data into a temporary directory and serve it."""
    out = tmp_path_factory.mktemp("real-build")
    release = Release.open(run_build(DATA, out, Iris()))
    store = open_store("oxigraph", release.source("oxigraph"))  # the built store, as served
    app = create_app(Settings(release=str(release.path), query_workers=0), store, release)
    app.config["TESTING"] = True
    yield release, app
    store.close()


@pytest.fixture()
def client(built: tuple[Release, Flask]) -> FlaskClient:
    return built[1].test_client()


def void_graph(client: FlaskClient) -> Graph:
    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    return parse_rdf(response.get_data(), "turtle")


def test_void_names_each_endpoint_dump_and_download_once(
    client: FlaskClient, built: tuple[Release, Flask]
) -> None:
    release = built[0]
    graph = void_graph(client)
    dataset = URIRef(release.base + "/dataset")
    assert list(graph.objects(dataset, VOID.sparqlEndpoint)) == [URIRef(LOCAL + "/sparql")]
    assert len(list(graph.objects(dataset, VOID.uriSpace))) == 1
    dumps = sorted(str(o) for o in graph.objects(dataset, VOID.dataDump))
    names = sorted(n for n in release.files if n.startswith("confgraph."))
    assert dumps == [f"{LOCAL}/dumps/{name}" for name in names]
    distributions = list(graph.objects(dataset, DCAT.distribution))
    # Besides the RDF dumps: the CSV tables, their data package and the search index.
    others = {"statements.csv", "people.csv", "items.csv", "datapackage.json", "search.sqlite"}
    assert len(distributions) == len(names) + len(others)
    for distribution in distributions:
        urls = list(graph.objects(distribution, DCAT.downloadURL))
        assert len(urls) == 1 and str(urls[0]).startswith(LOCAL + "/dumps/")
    assert "ns1:" not in client.get("/dataset.ttl").get_data(as_text=True)


def links_of(client: FlaskClient, path: str) -> set[str]:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, path
    page = parse_html(response.get_data(as_text=True))
    hrefs = {a.attrs["href"] for a in page.iter("a") if "href" in a.attrs}
    hrefs |= {e.attrs["href"] for e in page.iter("link") if "href" in e.attrs}
    return {h.split("#", 1)[0] for h in hrefs if h.startswith("/") and not h.startswith("//")}


def assert_resolve(client: FlaskClient, paths: set[str]) -> None:
    broken = []
    for path in sorted(paths):
        response = client.get(path, headers={"Accept": "text/html"})
        if not 200 <= response.status_code < 400:
            broken.append((path, response.status_code))
        response.close()
    assert not broken


def home_and_agendas(client: FlaskClient) -> set[str]:
    """Return the links of the home page and of every agenda page it links to."""
    home = links_of(client, "/")
    agendas = sorted(p for p in home if p.startswith("/programme/"))
    assert agendas
    return home.union(*(links_of(client, p) for p in agendas))


def test_every_link_on_home_agenda_and_dataset_page_resolves(client: FlaskClient) -> None:
    pages = home_and_agendas(client)
    assert any(p.startswith("/id/") for p in pages)
    dataset = links_of(client, "/dataset")
    assert any(p.startswith("/dumps/") for p in dataset)
    assert_resolve(client, pages | dataset)


def test_every_link_on_some_resource_pages_resolves(client: FlaskClient) -> None:
    resources = sorted(p for p in home_and_agendas(client) if p.startswith("/id/"))
    assert len(resources) > 10
    picked = resources[:: max(1, len(resources) // 6)][:6]
    links: set[str] = set()
    for path in picked:
        document = client.get(path, headers={"Accept": "text/html"}).headers["Location"]
        links |= links_of(client, urlsplit(document).path)
    assert_resolve(client, links)


def test_named_graphs_of_the_build_are_served(
    client: FlaskClient, built: tuple[Release, Flask]
) -> None:
    graph = void_graph(client)
    names = {o for o in graph.objects(None, URIRef("http://purl.org/dc/terms/source"))}
    graphs = [n for n in names if "/graph/" in str(n)]
    assert graphs
    for name in graphs:
        path = str(name).removeprefix(built[0].base)
        response = client.get(path + ".nt")
        # The link graphs are small (one triple per link, one per external label).
        assert response.status_code == 200 and len(parse_rdf(response.get_data(), "nt")) > 20


def test_floor_lists_name_the_agents_only_where_the_listing_does_not(client: FlaskClient) -> None:
    html = client.get("/programme/2017-09-vienna-smuggling-trafficking").get_data(as_text=True)
    items = {
        text: item
        for item in parse_html(html).iter("li")
        for text in [
            next((a.text for a in item.iter("a") if "entry" in a.attrs.get("class", "")), None)
        ]
        if text
    }
    assert not list(items["Finland"].iter("span")), "the listing already names Finland"
    by = items["Philippine (panel 1)"].iter("span")[0]
    assert [a.text for a in by.iter("a")] == ["Philippines"]
    # A name the listing gives is not repeated after it (not "Afghanistan (panel 1) (Afghanistan)").
    assert not list(items["Afghanistan (panel 1)"].iter("span"))
    assert not list(items["Caritas Internationalis et Anglican Alliance"].iter("span"))
    by = items["UAE"].iter("span")[0]
    assert [a.text for a in by.iter("a")] == ["United Arab Emirates"]


def test_every_example_query_answers_on_the_bundled_data(client: FlaskClient) -> None:
    for example in EXAMPLES:
        response = client.get(
            "/sparql", query_string={"query": example.text}, headers={"Accept": "text/csv"}
        )
        assert response.status_code == 200, (example.key, response.text)
        rows = response.text.splitlines()[1:]
        assert rows, f"example {example.key!r} returns no row"


def agenda_roles(client: FlaskClient, title: str) -> list[str]:
    """Return the role lines of one item of the Vienna agenda, as the page shows them."""
    html = client.get("/programme/2017-09-vienna-smuggling-trafficking").get_data(as_text=True)
    item = next(
        li
        for li in parse_html(html).iter("li")
        if "item" in li.attrs.get("class", "").split()
        and any(a.text == title for span in li.iter("span") for a in span.iter("a"))
    )
    return [div.text for div in item.iter("div") if "roles" in div.attrs.get("class", "")]


def test_agenda_lists_speakers_in_the_order_of_the_source_page(client: FlaskClient) -> None:
    roles = agenda_roles(client, "Panel 1: Smuggling of migrants")
    # Each speaker as the programme lists them (the agenda shows honorifics and titles).
    assert [role.split(":")[0] for role in roles] == ["Panelists", "Moderator"]
    names = ["Gabriella E. Sanchez", "Mark Shaw", "Jorgen Carling"]
    offsets = [roles[0].find(name) for name in names]
    assert -1 not in offsets and offsets == sorted(offsets), roles[0]
    assert "Rafael Mariano Grossi" in roles[1]

