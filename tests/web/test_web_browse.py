"""Index pages: counts, paging, sorting, facets, CSV and JSON, and the container addresses."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from htmlparse import parse_html
from meetingsfixture import meeting_key, write_meetings
from webfixture import DATA_TRIG, ID, M, write_release

from confgraph.settings import Settings
from confgraph.store.base import Store
from confgraph.store.registry import open_store
from confgraph.store.release import Release
from confgraph.web.app import create_app
from confgraph.web.listing import INDEXES, read_listing

BRA, AFG = f"{ID}/country/bra", f"{ID}/country/afg"


@pytest.fixture()
def five(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Iterator[FlaskClient]:
    """Serve five meetings (January to May 2030; 15 statements), two to a page."""
    release = Release.open(write_release(tmp_path_factory.mktemp("five")))
    store = open_store("oxigraph", write_meetings(release.path, 5))
    app = create_app(settings.replace(page_size=2), store, release)
    app.config["TESTING"] = True
    yield app.test_client()
    store.close()


def page(client: FlaskClient, path: str):
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, (path, response.get_data(as_text=True))
    return parse_html(response.get_data(as_text=True))


def first_cells(client: FlaskClient, path: str) -> list[str]:
    rows = page(client, path).by_id("listing").iter("tbody")[0].iter("tr")
    return [row.iter("td")[0].text for row in rows]


def as_json(client: FlaskClient, path: str) -> dict:
    response = client.get(path, headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.mimetype == "application/json", path
    return response.get_json()


@pytest.mark.parametrize("index", INDEXES, ids=lambda i: i.key)
def test_every_index_is_linked_from_the_overview_and_renders(client: FlaskClient, index) -> None:
    overview = page(client, "/browse/")
    assert f"/{index.key}/" in dict(overview.by_id("indexes").links())
    assert page(client, f"/{index.key}/").by_id("total") is not None


def test_navigation_reaches_the_indexes(client: FlaskClient) -> None:
    nav = page(client, "/").by_id("nav-browse")
    assert nav is not None and nav.attrs["href"] == "/browse/"


def test_counts_are_those_of_the_data(client: FlaskClient) -> None:
    expected = {"meetings": 1, "items": 3, "people": 2, "organisations": 1, "countries": 2,
                "statements": 3}  # fmt: skip
    for key, count in expected.items():
        assert as_json(client, f"/{key}/")["total"] == count, key
        assert page(client, f"/{key}/").by_id("total").text == str(count)
    overview = page(client, "/browse/").by_id("indexes").text
    assert "Statements from the floor 3" in overview and "Countries 2" in overview


def test_statements_are_paged(five: FlaskClient) -> None:
    seen = []
    for number in (1, 2, 3, 4, 5, 6, 7, 8):
        document = as_json(five, f"/statements/?page={number}")
        assert document["total"] == 15 and document["pages"] == 8
        seen += [row["iri"] for row in document["rows"]]
    assert len(seen) == 15 == len(set(seen))
    assert five.get("/statements/?page=9").status_code == 404
    html = page(five, "/statements/?page=2").by_id("pages")
    links = dict((text, href) for href, text in html.links())
    assert "page=1" in links["Previous"] and "page=3" in links["Next"]


def test_default_order_is_by_meeting_then_position(five: FlaskClient) -> None:
    rows = (
        as_json(five, "/statements/?page=1")["rows"] + as_json(five, "/statements/?page=2")["rows"]
    )
    meetings = [row["meeting_iri"][0] for row in rows]
    assert meetings == sorted(meetings)
    assert meetings[0].endswith(meeting_key(1))


def test_sorting_and_reversing(five: FlaskClient) -> None:
    assert first_cells(five, "/countries/") == ["Afghanistan", "Brazil"]
    assert first_cells(five, "/countries/?sort=-name") == ["Brazil", "Afghanistan"]
    newest = as_json(five, "/meetings/")["rows"][0]["name"]
    oldest = as_json(five, "/meetings/?sort=-start")["rows"][0]["name"]
    assert (newest, oldest) == ("Test meeting 5", "Test meeting 1")
    listed = [r["listed"][0] for r in as_json(five, "/statements/?sort=listed")["rows"]]
    assert listed == ["Afghanistan (panel 1)", "Afghanistan (panel 1)"]
    current = page(five, "/countries/?sort=-name").by_id("listing")
    assert current is not None
    sorts = page(five, "/countries/?sort=code").iter("p")
    links = [a for p in sorts if "sorts" in p.attrs.get("class", "") for a in p.iter("a")]
    chosen = [a for a in links if a.attrs.get("aria-current")]
    assert len(chosen) == 1 and chosen[0].attrs["href"].endswith("sort=-code")


def test_facets_count_and_filter(five: FlaskClient) -> None:
    document = as_json(five, "/statements/")
    countries = {f["name"]: f["count"] for f in document["facets"]["country"]}
    assert countries == {"Afghanistan": 5, "Brazil": 5}
    groups = {f["name"]: f["count"] for f in document["facets"]["group"]}
    assert groups == {"Member States": 10, "Stakeholders": 5}
    assert len(document["facets"]["meeting"]) == 5
    filtered = as_json(five, f"/statements/?country={BRA}")
    assert filtered["total"] == 5
    assert {row["agent_iri"][0] for row in filtered["rows"]} == {BRA}
    meeting = f"{ID}/meeting/{meeting_key(3)}"
    both = as_json(five, f"/statements/?country={BRA}&meeting={meeting}")
    assert both["total"] == 1
    # Other facets are counted within the choice; the chosen facet keeps its other values.
    assert {f["name"]: f["count"] for f in both["facets"]["group"]} == {"Member States": 1}
    assert len(both["facets"]["country"]) == 2


def test_facet_links_choose_and_clear(five: FlaskClient) -> None:
    html = page(five, "/statements/")
    facet = html.by_id("facet-country")
    brazil = next(href for href, text in facet.links() if text == "Brazil")
    assert f"country={BRA}" in brazil
    chosen = page(five, brazil)
    assert chosen.by_id("total").text == "5"
    again = next(a for a in chosen.by_id("facet-country").iter("a") if a.text == "Brazil")
    assert again.attrs.get("aria-current") == "true" and "country=" not in again.attrs["href"]
    assert chosen.by_id("clear-facets").attrs["href"] == "/statements/"


def test_items_by_meeting_and_kind(five: FlaskClient) -> None:
    meeting = f"{ID}/meeting/{meeting_key(2)}"
    items = as_json(five, f"/items/?meeting={meeting}")
    assert items["total"] == 3
    kinds = {f["name"]: f["count"] for f in items["facets"]["kind"]}
    assert set(kinds.values()) == {1}
    panel = quote("https://w3id.org/confgraph/ontology#Panel", safe="")
    assert as_json(five, f"/items/?kind={panel}")["total"] == 5
    link = next(f for f in items["facets"]["kind"] if f["name"] == "Panel")
    assert link["iri"].endswith("#Panel")


def test_page_as_csv(client: FlaskClient) -> None:
    response = client.get("/statements/?format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    by_iri = {row["iri"]: row for row in rows}
    afghanistan = by_iri[f"{M}/statement/afg-at-panel-1"]
    assert afghanistan["agent"] == "Afghanistan" and afghanistan["agent_iri"] == AFG
    assert afghanistan["listed"] == "Afghanistan (panel 1)"
    assert afghanistan["group"] == "Member States"
    assert afghanistan["at"] == "Panel 1: Smuggling of migrants"
    assert len(rows) == 3
    accepted = client.get("/countries/", headers={"Accept": "text/csv"})
    assert accepted.mimetype == "text/csv" and "Brazil" in accepted.get_data(as_text=True)
    assert "Accept" in accepted.headers["Vary"]


def test_csv_link_keeps_the_page_and_the_choice(five: FlaskClient) -> None:
    html = page(five, f"/statements/?country={BRA}&page=2")
    href = html.by_id("download-csv").attrs["href"]
    assert "format=csv" in href and "page=2" in href and f"country={BRA}" in href
    rows = list(csv.DictReader(io.StringIO(five.get(href).get_data(as_text=True))))
    assert len(rows) == 2 and {r["agent_iri"] for r in rows} == {BRA}


@pytest.mark.parametrize(
    ("container", "index"),
    [
        ("/id/country/", "/countries/"),
        ("/id/organisation/", "/organisations/"),
        ("/id/person/", "/people/"),
        ("/id/meeting/", "/meetings/"),
    ],
)
def test_container_addresses_see_other_to_their_index(
    client: FlaskClient, container: str, index: str
) -> None:
    response = client.get(container)
    assert response.status_code == 303 and response.headers["Location"] == index
    assert client.get(container + "?sort=-name").headers["Location"] == index + "?sort=-name"


def test_a_meetings_items_and_statements_containers(client: FlaskClient) -> None:
    items = client.get("/id/meeting/2030-01-test/session/")
    assert items.status_code == 303 and items.headers["Location"].startswith("/items/?meeting=")
    statements = client.get("/id/meeting/2030-01-test/statement/", follow_redirects=True)
    assert statements.status_code == 200
    assert client.get("/id/meeting/nowhere/statement/").status_code == 404
    # Resources under the containers still dereference as before.
    assert client.get("/id/country/bra").status_code == 303


@pytest.mark.parametrize(
    ("path", "named"),
    [
        ("/statements/?sort=colour", "sort"),
        ("/statements/?sort=listed&sort=meeting", "sort"),
        ("/statements/?country=bra", "country"),
        ("/statements/?country=https://x.org/a%20b", "country"),
        ("/statements/?page=0", "page"),
        ("/statements/?format=xlsx", "format"),
    ],
)
def test_bad_parameters_are_400_naming_them(client: FlaskClient, path: str, named: str) -> None:
    response = client.get(path)
    assert response.status_code == 400, path
    assert response.get_data(as_text=True).startswith(named), response.get_data(as_text=True)


def test_a_facet_value_with_no_members_is_an_empty_page(client: FlaskClient) -> None:
    document = as_json(client, f"/statements/?country={ID}/country/nowhere")
    assert document["total"] == 0 and document["rows"] == []
    html = page(client, f"/statements/?country={ID}/country/nowhere")
    assert "No statements from the floor match" in html.text


def test_listed_names_are_escaped(client: FlaskClient) -> None:
    body = client.get("/items/").get_data(as_text=True)
    assert "<script>" not in body


def test_every_link_of_the_index_and_search_pages_resolves(five: FlaskClient) -> None:
    pages = ["/browse/", "/search?q=brazil", "/search?q=migration&page=1"]
    pages += [f"/{index.key}/" for index in INDEXES]
    seen: set[str] = set()
    for path in pages:
        html = page(five, path)
        for href, _ in html.links():
            if not href.startswith("/") or href in seen:
                continue
            seen.add(href)
            response = five.get(href, headers={"Accept": "text/html"}, follow_redirects=True)
            assert response.status_code == 200, (path, href)
            response.close()
    assert any("country=" in href for href in seen) and any("sort=" in href for href in seen)


M49 = f"{ID}/m49"
REGIONS = f"""
<{M49}/001> skos:prefLabel "World"@en ; skos:notation "001" .
<{M49}/019> skos:prefLabel "Americas"@en ; skos:notation "019" ; skos:broader <{M49}/001> .
<{M49}/419> skos:prefLabel "Latin America and the Caribbean"@en ; skos:notation "419" ;
    skos:broader <{M49}/019> .
<{M49}/142> skos:prefLabel "Asia"@en ; skos:notation "142" ; skos:broader <{M49}/001> .
<{M49}/034> skos:prefLabel "Southern Asia"@en ; skos:notation "034" ; skos:broader <{M49}/142> .
<{BRA}> cg:inRegion <{M49}/001>, <{M49}/019>, <{M49}/419> .
<{AFG}> cg:inRegion <{M49}/001>, <{M49}/142>, <{M49}/034> .
"""


@pytest.fixture()
def regions(tmp_path: Path, settings: Settings) -> Iterator[FlaskClient]:
    """Serve the fixture with its countries in UN M49 regions, as the linking step adds them."""
    trig = DATA_TRIG.rstrip().removesuffix("}") + REGIONS + "}\n"
    release = Release.open(write_release(tmp_path, trig=trig))
    store = open_store("oxigraph", release.quads)
    yield create_app(settings, store, release).test_client()
    store.close()


def test_statements_and_countries_by_m49_region(regions: FlaskClient) -> None:
    document = as_json(regions, "/statements/")
    assert {f["name"]: f["count"] for f in document["facets"]["region"]} == {
        "Americas": 1,
        "Asia": 1,
    }
    assert {f["name"] for f in document["facets"]["subregion"]} == {
        "Latin America and the Caribbean",
        "Southern Asia",
    }
    asia = as_json(regions, f"/statements/?region={quote(M49 + '/142', safe='')}")
    assert [row["agent_iri"] for row in asia["rows"]] == [[AFG]]
    countries = as_json(regions, "/countries/")
    assert {row["name"]: row["region"] for row in countries["rows"]} == {
        "Afghanistan": ["Asia"],
        "Brazil": ["Americas"],
    }
    americas = as_json(regions, f"/countries/?region={M49}/019")
    assert [row["name"] for row in americas["rows"]] == ["Brazil"]


def test_without_regions_the_region_facets_are_left_out(client: FlaskClient) -> None:
    assert as_json(client, "/statements/")["facets"]["region"] == []
    assert page(client, "/statements/").by_id("facet-region") is None


def test_every_engine_reads_the_same_listings(any_store: Store, store: Store) -> None:
    for index in INDEXES:
        for sort in index.sorts:
            expected = read_listing(store, index, {}, (sort, False), (1, 2))
            found = read_listing(any_store, index, {}, (sort, False), (1, 2))
            assert found.total == expected.total and found.members == expected.members, index.key
            assert {f.key: v for f, v in found.facets} == {f.key: v for f, v in expected.facets}


def test_facet_links_keep_a_fragment_iri_whole(client: FlaskClient) -> None:
    facet = page(client, "/items/").by_id("facet-kind")
    panel = next(href for href, text in facet.links() if text == "Panel")
    assert panel.endswith("ontology%23Panel")
    assert as_json(client, panel)["total"] == 1
