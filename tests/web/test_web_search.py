"""Full-text search: ranking, snippets, JSON, kinds, paging, bad queries and the search box."""

from __future__ import annotations

import json
import shutil
import sqlite3
import urllib.error
import urllib.request
from hashlib import sha256
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from htmlparse import parse_html
from webfixture import ID, INJECTION, M, write_release

from confgraph.errors import ReleaseError
from confgraph.settings import Settings
from confgraph.store.integrity import verify_release
from confgraph.store.registry import open_store
from confgraph.store.release import Release
from confgraph.store.search import SearchIndex, fts_query
from confgraph.web.app import create_app


def search(client: FlaskClient, query: str, **args: str) -> dict:
    response = client.get("/search", query_string={"q": query, "format": "json", **args})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_the_country_ranks_before_the_statements_about_it(client: FlaskClient) -> None:
    results = search(client, "brazil")["results"]
    assert results[0]["iri"] == f"{ID}/country/bra"
    assert {r["kind"] for r in results} == {"country", "statement", "written input"}
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)


def test_results_carry_address_kind_name_context_and_snippet(client: FlaskClient) -> None:
    statement = next(
        r for r in search(client, "afghanistan")["results"] if r["kind"] == "statement"
    )
    assert statement["href"] == "/id/meeting/2030-01-test/statement/afg-at-panel-1"
    assert statement["name"] == "Statement by Afghanistan at Panel 1"
    assert statement["context"] == "Test meeting on migration"
    assert "<mark>Afghanistan</mark>" in statement["snippet_html"]
    assert "\ue000" not in statement["snippet"] and "Afghanistan" in statement["snippet"]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Ambassador", f"{ID}/person/ana-lima"),  # a job title the meeting gives
        ('"panel 1"', f"{M}/statement/afg-at-panel-1"),  # listed-as text, as a phrase
        ("OHCHR", f"{ID}/organisation/ohchr"),  # an acronym
        ("smugg*", f"{M}/session/panel-1"),  # a prefix, in a title
        ("bresil", f"{ID}/country/bra"),  # another language's name, without its accent
        ("injection OR revolution", f"{M}/session/side-event-data"),
    ],
)
def test_what_is_searched(client: FlaskClient, query: str, found: str) -> None:
    assert found in [r["iri"] for r in search(client, query)["results"]], query


def test_descriptions_are_searched_and_escaped(client: FlaskClient) -> None:
    response = client.get("/search", query_string={"q": "script alert"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert INJECTION not in body and "&lt;<mark>script</mark>&gt;" in body


def test_kind_narrows_and_counts(client: FlaskClient) -> None:
    everything = search(client, "brazil")
    assert everything["kinds"] == {"country": 1, "statement": 1, "written input": 1}
    narrowed = search(client, "brazil", kind="statement")
    assert narrowed["total"] == 1 and narrowed["results"][0]["kind"] == "statement"


def test_results_are_paged(client: FlaskClient, settings: Settings, store, release) -> None:
    app = create_app(settings.replace(page_size=1), store, release)
    paged = app.test_client()
    first, second = search(paged, "brazil"), search(paged, "brazil", page="2")
    assert first["pages"] == 3 and len(first["results"]) == 1
    assert first["results"][0]["iri"] != second["results"][0]["iri"]
    html = parse_html(paged.get("/search?q=brazil").get_data(as_text=True))
    assert "page=2" in dict((t, h) for h, t in html.by_id("pages").links())["Next"]


def test_html_page_lists_results(client: FlaskClient) -> None:
    html = parse_html(client.get("/search?q=brazil").get_data(as_text=True))
    links = html.by_id("results").links()
    assert links[0] == ("/id/country/bra", "Brazil")
    assert html.by_id("search-total").text.startswith("3 results")
    assert html.by_id("search-page-q").attrs["value"] == "brazil"


def test_accept_json_is_json(client: FlaskClient) -> None:
    response = client.get("/search?q=brazil", headers={"Accept": "application/json"})
    assert response.mimetype == "application/json" and response.get_json()["total"] == 3


@pytest.mark.parametrize("query", ['"brazil', "AND", "brazil AND", "*", "nope:brazil", "(brazil"])
def test_a_query_fts_cannot_read_is_400_with_the_editor(client: FlaskClient, query: str) -> None:
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 400, query
    html = parse_html(response.get_data(as_text=True))
    assert "is not a query the index can read" in html.by_id("search-error").text
    assert html.by_id("search-page-q").attrs["value"] == query
    as_json = client.get("/search", query_string={"q": query, "format": "json"})
    assert as_json.status_code == 400 and "error" in as_json.get_json()


@pytest.mark.parametrize("query", ["Côte d'Ivoire", "U.S.", "panel-1", "50%", "a/b", "what?"])
def test_punctuation_people_type_is_no_syntax_error(client: FlaskClient, query: str) -> None:
    assert client.get("/search", query_string={"q": query}).status_code == 200
    assert fts_query(query).strip()


def test_the_query_length_is_limited(client: FlaskClient) -> None:
    response = client.get("/search", query_string={"q": "a" * 201, "format": "json"})
    assert response.status_code == 400
    assert "search_length_limit" in response.get_json()["error"]


def test_empty_query_is_the_search_page(client: FlaskClient) -> None:
    response = client.get("/search")
    assert response.status_code == 200
    assert parse_html(response.get_data(as_text=True)).by_id("search-form") is not None
    assert search(client, "")["total"] == 0


@pytest.mark.parametrize(
    "path", ["/", "/browse/", "/countries/", "/dumps/", "/id/country/bra.html"]
)
def test_every_page_has_the_search_box(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    box = parse_html(response.get_data(as_text=True)).by_id("search-box")
    assert box is not None and box.attrs["action"] == "/search"
    assert [i.attrs["name"] for i in box.iter("input")] == ["q"]


def test_a_release_without_an_index_says_so(tmp_path: Path, settings: Settings) -> None:
    directory = write_release(tmp_path)
    manifest = directory / "release.json"
    data = json.loads(manifest.read_text())
    del data["files"]["search.sqlite"]
    manifest.write_text(json.dumps(data))
    release = Release.open(directory)
    store = open_store("oxigraph", release.quads)
    try:
        client = create_app(settings, store, release).test_client()
        response = client.get("/search?q=brazil")
        assert response.status_code == 503 and "no search index" in response.get_data(as_text=True)
    finally:
        store.close()


def test_a_damaged_index_is_refused_before_serving(tmp_path: Path) -> None:
    directory = write_release(tmp_path)
    release = Release.open(directory)
    verify_release(release)
    index = release.path / "search.sqlite"
    size = index.stat().st_size
    index.write_bytes(b"\0" * size)
    data = json.loads((release.path / "release.json").read_text())
    data["files"]["search.sqlite"]["sha256"] = sha256(index.read_bytes()).hexdigest()
    (release.path / "release.json").write_text(json.dumps(data))
    with pytest.raises(ReleaseError, match=r"search\.sqlite: not a search index"):
        verify_release(Release.open(directory))


def test_the_index_opens_read_only(release: Release, tmp_path: Path) -> None:
    copy = tmp_path / "search.sqlite"
    shutil.copy(release.path / "search.sqlite", copy)
    copy.chmod(0o444)
    assert SearchIndex(copy).search("brazil", 10, 0).total == 3


def test_an_index_of_another_layout_is_refused(tmp_path: Path) -> None:
    directory = write_release(tmp_path)
    release = Release.open(directory)
    index = release.path / "search.sqlite"
    index.unlink()
    connection = sqlite3.connect(index)
    connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    connection.execute("INSERT INTO meta VALUES ('format', '1')")
    connection.execute("CREATE VIRTUAL TABLE documents USING fts5(title, iri UNINDEXED)")
    connection.commit()
    connection.close()
    data = json.loads((release.path / "release.json").read_text())
    body = index.read_bytes()
    data["files"]["search.sqlite"].update(bytes=len(body), sha256=sha256(body).hexdigest())
    (release.path / "release.json").write_text(json.dumps(data))
    with pytest.raises(ReleaseError, match="rebuild the release"):
        verify_release(Release.open(directory))


def test_search_and_an_index_through_the_real_server(server: str) -> None:
    with urllib.request.urlopen(f"{server}/search?q=brazil&format=json", timeout=30) as response:
        assert json.load(response)["results"][0]["href"] == "/id/country/bra"
    request = urllib.request.Request(f"{server}/countries/", headers={"Accept": "text/csv"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Type"].startswith("text/csv")
        assert "Brazil" in response.read().decode()
    try:
        urllib.request.urlopen(f"{server}/search?q=%22brazil", timeout=30)
    except urllib.error.HTTPError as error:
        assert error.code == 400
        error.close()
    else:
        raise AssertionError("an open quote should be 400")
