"""Pages of the bundled build show external links with the external label, and the regions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from htmlparse import parse_html
from rdflib import URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, VOID
from rdfparse import parse_rdf

from confgraph.iris import Iris
from confgraph.pipeline import run_build
from confgraph.settings import Settings
from confgraph.store.registry import open_store
from confgraph.store.release import Release
from confgraph.web.app import create_app

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    release = Release.open(run_build(DATA, tmp_path_factory.mktemp("links-build"), Iris()))
    store = open_store("oxigraph", release.source("oxigraph"))
    app = create_app(Settings(release=str(release.path), query_workers=0), store, release)
    yield app.test_client()
    store.close()


def links_of(client: FlaskClient, path: str) -> dict[str, str]:
    html = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
    outgoing = parse_html(html).by_id("outgoing")
    assert outgoing is not None
    return {a.attrs["href"]: a.text for a in outgoing.iter("a")}


def test_a_country_page_shows_its_wikidata_item_by_label_and_its_regions(
    client: FlaskClient,
) -> None:
    links = links_of(client, "/id/country/aut.html")
    assert links["http://www.wikidata.org/entity/Q40"] == "Austria"
    assert links["/id/m49/155"] == "Western Europe"
    assert links["/id/m49/150"] == "Europe"


def test_an_organisation_page_shows_its_match_by_label(client: FlaskClient) -> None:
    links = links_of(client, "/id/organisation/european-union.html")
    assert links["http://www.wikidata.org/entity/Q458"] == "European Union"


def test_a_region_has_a_page_with_its_broader_region(client: FlaskClient) -> None:
    links = links_of(client, "/id/m49/155.html")
    assert links["/id/m49/150"] == "Europe"


def test_the_linkset_graph_page_says_what_the_description_says(client: FlaskClient) -> None:
    response = client.get("/graph/links/wikidata.nt")
    assert response.status_code == 200
    assert b"http://www.wikidata.org/entity/Q40" in response.get_data()


def test_the_void_lists_every_linkset_with_its_count(client: FlaskClient) -> None:
    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    void = parse_rdf(response.get_data(), "turtle")
    counts = {
        str(void.value(node, VOID.linkPredicate)): void.value(node, VOID.triples).toPython()
        for node in void.subjects(RDF.type, VOID.Linkset)
    }
    assert counts == {str(OWL.sameAs): 26, str(SKOS.exactMatch): 12}
    for node in void.subjects(RDF.type, VOID.Linkset):
        assert void.value(node, VOID.objectsTarget) == URIRef("https://www.wikidata.org/")
        assert void.value(node, VOID.subjectsTarget) == URIRef("https://w3id.org/confgraph/dataset")
    graph = URIRef("https://w3id.org/confgraph/graph/links/wikidata")
    activity = void.value(graph, PROV.wasGeneratedBy)
    assert any("loopback" in str(c) for c in void.objects(activity, RDFS.comment))
    assert void.value(activity, PROV.used) is not None  # the endpoint asked
    assert void.value(graph, DCTERMS.license) is not None
