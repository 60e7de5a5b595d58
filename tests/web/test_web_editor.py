"""The query page: YASGUI from this server, set up for this release; the plain form without it."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient
from htmlparse import Element, parse_html
from webfixture import partitioned_void, write_release

from confgraph.settings import Settings
from confgraph.store.registry import open_store
from confgraph.store.release import Release
from confgraph.web.app import create_app
from confgraph.web.editor import DEFAULT_QUERY, RESIZER_STYLE

CG = "https://w3id.org/confgraph/ontology#"
HTML = {"Accept": "text/html"}
# What YASGUI sends (its acceptHeaderSelect) when it runs a SELECT.
YASGUI_ACCEPT = {"Accept": "application/sparql-results+json"}
TRIPLES = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
VENDOR = resources.files("confgraph") / "web" / "static" / "vendor" / "yasgui"


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    """Serve a release whose VoID lists its classes and properties, 50 rows at most."""
    current: Path = write_release(tmp_path_factory.mktemp("editor"), void=partitioned_void())
    release = Release.open(current)
    store = open_store("oxigraph", release.quads)
    settings = Settings(release=str(current), query_workers=0, row_limit=50)
    app = create_app(settings, store, release)
    app.config["TESTING"] = True
    yield app.test_client()
    store.close()


def page_of(client: FlaskClient, **query: str) -> tuple[int, Element]:
    response = client.get("/sparql", query_string=query, headers=HTML)
    return response.status_code, parse_html(response.get_data(as_text=True))


def editor_config(page: Element) -> dict[str, object]:
    block = page.by_id("editor-config")
    assert block is not None and block.attrs["type"] == "application/json"
    return json.loads("".join(str(part) for part in block.content))  # its own whitespace


def test_the_editor_completes_the_releases_own_classes_properties_and_prefixes(
    editor: FlaskClient,
) -> None:
    _, page = page_of(editor)
    config = editor_config(page)
    assert f"{CG}Panel" in config["classes"] and f"{CG}Statement" in config["classes"]
    assert f"{CG}deliveredBy" in config["properties"]
    assert "https://schema.org/name" in config["properties"]
    assert f"{CG}Panel" not in config["properties"]  # a class is not offered as a property
    assert config["prefixes"]["cg"] == CG and config["prefixes"]["schema"] == "https://schema.org/"
    assert config["endpoint"] == "/sparql" and config["query"] is None
    assert config["defaultQuery"] == DEFAULT_QUERY and "PREFIX cg:" in DEFAULT_QUERY


def test_without_partitions_nothing_is_offered(client: FlaskClient) -> None:
    config = editor_config(parse_html(client.get("/sparql", headers=HTML).get_data(True)))
    assert config["classes"] == [] and config["properties"] == []


def test_the_page_loads_yasgui_from_this_server_only(editor: FlaskClient) -> None:
    _, page = page_of(editor)
    sources = [s.attrs["src"] for s in page.iter("script") if "src" in s.attrs]
    sheets = [e.attrs["href"] for e in page.iter("link") if e.attrs.get("rel") == "stylesheet"]
    assert "/static/vendor/yasgui/yasgui.min.js" in sources
    assert "/static/vendor/yasgui/yasgui.min.css" in sheets
    for address in [*sources, *sheets]:
        assert address.startswith("/static/"), address
        with editor.get(address) as response:
            assert response.status_code == 200, address
    with editor.get("/static/vendor/yasgui/LICENSE") as response:
        licence = response.get_data(as_text=True)
    assert "The MIT License" in licence
    assert (VENDOR / "yasgui.min.js").is_file()  # shipped inside the package


def test_the_policy_lets_the_page_run_only_its_own_scripts(editor: FlaskClient) -> None:
    policy = editor.get("/sparql", headers=HTML).headers["Content-Security-Policy"]
    directives = dict(part.strip().split(None, 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["connect-src"] == "'self'"
    assert "unsafe" not in policy
    assert "script-src" not in editor.get("/", headers=HTML).headers["Content-Security-Policy"]


def test_the_one_stylesheet_yasgui_writes_is_the_one_the_policy_allows() -> None:
    script = (VENDOR / "yasgui.min.js").read_text("utf-8")
    written = re.findall(r"createStyle\(\w+,`([^`]*)`\)", script)
    assert len(written) == 1, "YASGUI writes other stylesheets now: allow them, or style them"
    digest = base64.b64encode(hashlib.sha256(written[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" == RESIZER_STYLE


@pytest.mark.parametrize(
    ("query", "status", "says"),
    [
        ("SELEC * WHERE { ?s ?p ?o }", 400, "syntax error"),
        (TRIPLES, 400, "row_limit"),
        ("SELECT * WHERE { SERVICE <http://x.example/> { ?s ?p ?o } }", 400, "SERVICE"),
    ],
)
def test_an_error_keeps_the_query_in_the_editor_beside_the_message(
    editor: FlaskClient, query: str, status: int, says: str
) -> None:
    code, page = page_of(editor, query=query, format="html")
    assert code == status
    textarea = page.by_id("query")
    assert textarea is not None and textarea.text == " ".join(query.split())
    assert page.by_id("query-form") is not None and page.by_id("yasgui") is not None
    assert says in page.by_id("error-message").text
    assert editor_config(page)["query"] == query  # YASGUI opens it too, and shows the error
    assert page.by_id("results") is None


def test_machines_get_the_error_as_one_short_line(editor: FlaskClient) -> None:
    response = editor.post("/sparql", data={"query": "SELEC *"}, headers=YASGUI_ACCEPT)
    assert response.status_code == 400 and response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    assert body.count("\n") == 1 and len(body) < 200 and "syntax error" in body


def rows(page: Element) -> list[list[str]]:
    table = page.by_id("results-table")
    assert table is not None
    return [[td.text for td in tr.iter("td")] for tr in table.iter("tr") if tr.iter("td")]


def test_results_come_in_pages_with_links_that_keep_the_query(editor: FlaskClient) -> None:
    query = TRIPLES + " LIMIT 45"
    _, everything = page_of(editor, query=query, format="html", page_size="100")
    whole = rows(everything)
    assert len(whole) == 45 and "45 rows" in everything.by_id("results").text
    seen: list[list[str]] = []
    link: str | None = f"/sparql?query={query}&format=html&page_size=10"
    while link:
        response = editor.get(link, headers=HTML)
        page = parse_html(response.get_data(as_text=True))
        seen.extend(rows(page))
        assert page.by_id("query").text == " ".join(query.split())
        following = [a for a in page.iter("a") if a.attrs.get("rel") == "next"]
        link = following[0].attrs["href"] if following else None
        if link:
            assert parse_qs(urlsplit(link).query)["query"] == [query]
    assert seen == whole
    assert "Page 5 of 5" in page.text and "rows 41\u201345 shown" in page.text


def test_a_page_holds_a_hundred_rows_unless_asked(editor: FlaskClient) -> None:
    _, page = page_of(editor, query=TRIPLES + " LIMIT 45", format="html")
    assert len(rows(page)) == 45 and not [a for a in page.iter("a") if a.attrs.get("rel")]


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"page": "0"}, "page must be one whole number from 1"),
        ({"page": "x"}, "page must be one whole number from 1"),
        ({"page": "9"}, "past the last page of results (1)"),
        ({"page_size": "5000"}, "page_size must be at most 1000"),
    ],
)
def test_a_page_that_is_not_there_is_a_clear_400(
    editor: FlaskClient, params: dict[str, str], says: str
) -> None:
    code, page = page_of(editor, query=TRIPLES + " LIMIT 5", format="html", **params)
    assert code == 400 and says in page.by_id("error-message").text


def test_result_headers_are_whole_variable_names(editor: FlaskClient) -> None:
    _, page = page_of(editor, query="SELECT ?countryName WHERE { } LIMIT 1", format="html")
    header = page.by_id("results-table").iter("th")
    assert [th.text for th in header] == ["?countryName"]
    assert "results" in page.by_id("results-table").attrs["class"]  # styled white-space: nowrap
