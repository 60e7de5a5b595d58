"""Licence, citation and provenance: the footer, the dataset page and the Link header."""

from __future__ import annotations

import json

import bibtexparser
import pytest
from flask.testing import FlaskClient
from htmlparse import Element, parse_html

LICENCE = "https://spdx.org/licenses/CC0-1.0"
TITLE = "confgraph: meeting and conference programmes"
PAGES = [
    "/",
    "/programme/2017-09-vienna-smuggling-trafficking",
    "/id/country/phl.html",
    "/dataset",
    "/dumps/",
    "/sparql",
    "/ontology",
]


def html(client: FlaskClient, path: str) -> Element:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, path
    return parse_html(response.get_data(as_text=True))


def dataset_page(client: FlaskClient) -> Element:
    return html(client, "/dataset")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_footer_with_licence_and_release(
    bundled_client: FlaskClient, path: str
) -> None:
    footer = html(bundled_client, path).by_id("site-footer")
    assert footer is not None, path
    licence = footer.by_id("footer-licence")
    assert licence.attrs["href"] == LICENCE and licence.attrs["rel"] == "license"
    assert licence.text == "CC0-1.0"
    release = footer.by_id("footer-release").text
    assert release and release in bundled_client.get("/dataset.ttl").get_data(as_text=True)
    assert ("/dataset#cite", "Cite") in footer.links()


def test_dataset_page_is_titled_with_publisher_and_licence(bundled_client: FlaskClient) -> None:
    page = dataset_page(bundled_client)
    assert page.iter("title")[0].text.startswith(TITLE)
    assert page.by_id("title").text == TITLE
    assert page.by_id("publisher").links() == [
        ("https://w3id.org/confgraph", "The confgraph project")
    ]
    assert page.by_id("licence").links() == [(LICENCE, "Creative Commons Zero v1.0 Universal")]


def test_citation_as_plain_text_bibtex_and_csl_json(bundled_client: FlaskClient) -> None:
    page = dataset_page(bundled_client)
    release = page.by_id("footer-release").text
    text = page.by_id("cite-text").text
    assert TITLE in text and release in text and "The confgraph project" in text
    library = bibtexparser.parse_string(page.by_id("cite-bibtex").text)
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "misc"
    fields = {f.key: f.value for f in entry.fields}
    assert fields["title"] == "{" + TITLE + "}"
    assert fields["author"] == "{The confgraph project}"
    assert fields["version"] == release and fields["year"].isdigit()
    (item,) = json.loads(page.by_id("cite-csl").text)
    assert item["type"] == "dataset" and item["id"] == entry.key
    assert item["title"] == TITLE and item["version"] == release
    assert item["author"] == [{"literal": "The confgraph project"}]
    assert item["issued"]["date-parts"][0][0] == int(fields["year"])


def test_classes_and_properties_have_labels_and_counts(bundled_client: FlaskClient) -> None:
    page = dataset_page(bundled_client)
    rows = {
        row.iter("td")[0].text: row
        for section in ("classes", "properties")
        for row in page.by_id(section).iter("tr")[1:]
    }
    assert not [label for label in rows if "https-" in label or label.startswith("class-")]
    affiliation = rows["Affiliation during a meeting"]
    assert affiliation.iter("a")[0].attrs["title"] == "cg:Affiliation"
    assert int(affiliation.iter("td")[-1].text) == 11
    honorific = rows["honorific prefix"]
    assert honorific.iter("a")[0].attrs["title"] == "schema:honorificPrefix"
    assert honorific.iter("td")[1].text == "schema.org"
    assert int(honorific.iter("td")[-1].text) == 12


def test_sources_and_provenance_links_are_served(bundled_client: FlaskClient) -> None:
    page = dataset_page(bundled_client)
    sources = {row.iter("td")[0].text: row for row in page.by_id("source-files").iter("tr")[1:]}
    programme = sources["programmes/2017-09-vienna-smuggling-trafficking.yaml"]
    assert programme.links()[0][0] == "/graph/2017-09-vienna-smuggling-trafficking"
    assert len(programme.iter("code")[0].text) == 64  # its SHA-256
    # A reference table keeps the licence of its own source, with its origin and notice.
    countries = sources["reference/countries.csv"]
    origin = dict(countries.links())
    assert origin["https://spdx.org/licenses/MIT"] == "MIT License"
    assert any(href.startswith("https://github.com/owid/") for href in origin)
    assert "Our World in Data" in countries.text
    for href, _ in page.links():
        assert "/dataset/source/" not in href and "/dataset/build/" not in href, href
        if href.startswith("/"):
            response = bundled_client.get(href.split("#")[0], headers={"Accept": "text/html"})
            assert response.status_code in (200, 303), href
            response.close()


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/dumps/confgraph.ttl", "*/*"),
        ("/dumps/confgraph.nt.gz", "*/*"),
        ("/dataset.ttl", "*/*"),
        ("/.well-known/void", "text/turtle"),
        ("/id/country/phl.ttl", "*/*"),
        ("/id/country/phl.jsonld", "*/*"),
        ("/graph/shared.nt", "*/*"),
        ("/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%201", "text/csv"),
        (
            "/sparql?query=CONSTRUCT%20%7B%3Fs%20%3Fp%20%3Fo%7D%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D"
            "%20LIMIT%201",
            "text/turtle",
        ),
    ],
)
def test_data_responses_link_to_the_licence(
    bundled_client: FlaskClient, path: str, accept: str
) -> None:
    response = bundled_client.get(path, headers={"Accept": accept})
    assert response.status_code == 200, path
    assert f'<{LICENCE}>; rel="license"' in response.headers.getlist("Link")[0]
    response.close()


def test_errors_and_static_files_carry_no_licence_link(bundled_client: FlaskClient) -> None:
    missing = bundled_client.get("/id/country/nowhere.ttl")
    assert missing.status_code == 404 and "Link" not in missing.headers
    style = bundled_client.get("/static/style.css")
    assert "Link" not in style.headers
    style.close()
