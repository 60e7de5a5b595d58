"""The ontology page documents every term the site links to; languages are shown by name."""

from __future__ import annotations

from flask.testing import FlaskClient
from htmlparse import Element, parse_html

MEETING = "/id/meeting/2017-09-vienna-smuggling-trafficking"
STATEMENT = MEETING + "/statement/secours-catholique-caritas-france-en"
PAGES = [
    "/ontology",
    "/dataset",
    "/programme/2017-09-vienna-smuggling-trafficking",
    MEETING + ".html",
    MEETING + "/session/panel-1.html",
    MEETING + "/role/panel-1/rafael-mariano-grossi-moderator.html",
    MEETING + "/affiliation/stefanie-amadeo/united-states-mission-to-the-united-nations.html",
    STATEMENT + ".html",
    "/id/person/mark-shaw.html",
    "/id/country/phl.html",
    "/id/group/stakeholders.html",
]
CG = "https://w3id.org/confgraph/ontology#"
TERMS_IN_USE = f"""SELECT DISTINCT ?term WHERE {{
  {{ ?s a ?term }} UNION {{ ?s ?term ?o }} UNION {{ ?s ?p ?term }}
  FILTER (isIRI(?term) && STRSTARTS(STR(?term), "{CG}"))
}}"""


def page(client: FlaskClient, path: str, language: str = "en") -> Element:
    response = client.get(path, headers={"Accept": "text/html", "Accept-Language": language})
    assert response.status_code == 200, path
    return parse_html(response.get_data(as_text=True))


def anchors(client: FlaskClient) -> set[str]:
    return {e.attrs["id"] for e in page(client, "/ontology").iter() if "id" in e.attrs}


def test_every_link_into_the_ontology_page_hits_a_term(bundled_client: FlaskClient) -> None:
    ids = anchors(bundled_client)
    links = {
        href for path in PAGES for href, _ in page(bundled_client, path).links() if "#" in href
    }
    fragments = {href.split("#", 1)[1] for href in links if href.split("#")[0] in ("/ontology", "")}
    assert {"moderator", "panelist", "Statement", "listedAs"} <= fragments
    assert not fragments - ids, sorted(fragments - ids)


def test_every_confgraph_term_the_data_uses_is_documented(bundled_client: FlaskClient) -> None:
    response = bundled_client.get(
        "/sparql", query_string={"query": TERMS_IN_USE}, headers={"Accept": "text/csv"}
    )
    terms = response.get_data(as_text=True).splitlines()[1:]
    assert len(terms) > 30
    missing = {t.removeprefix(CG) for t in terms} - anchors(bundled_client)
    assert not missing, sorted(missing)


def test_role_types_are_documented_with_their_meaning(bundled_client: FlaskClient) -> None:
    ontology = page(bundled_client, "/ontology")
    moderator = ontology.by_id("moderator")
    assert moderator.tag == "article"
    assert "chairs a panel" in moderator.text
    headings = [h.text for h in ontology.iter("h2")]
    assert "Role types" in headings and "Borrowed terms" in headings


def test_borrowed_terms_are_listed_with_their_use(bundled_client: FlaskClient) -> None:
    ontology = page(bundled_client, "/ontology")
    row = ontology.by_id("borrowed-schema-honorificPrefix")
    assert row is not None
    cells = [td.text for td in row.iter("td")]
    assert cells[0] == "schema:honorificPrefix" and cells[1] == "schema.org"
    assert cells[3] == "12"
    assert row.links()[0][0] == "https://schema.org/honorificPrefix"
    event = ontology.by_id("borrowed-schema-Event")
    assert ("#Meeting", "Meeting") in event.links()


def test_statement_language_is_shown_by_name(bundled_client: FlaskClient) -> None:
    english = page(bundled_client, STATEMENT + ".html").by_id("outgoing")
    links = dict(english.links())
    assert links["http://id.loc.gov/vocabulary/iso639-1/en"] == "English"
    french = page(bundled_client, STATEMENT + ".html", "fr").by_id("outgoing")
    assert dict(french.links())["http://id.loc.gov/vocabulary/iso639-1/en"] == "anglais"
