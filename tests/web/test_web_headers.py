"""Protective headers on every response; links never built from the client's Host header."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from htmlparse import parse_html
from webfixture import M

from confgraph.errors import ConfgraphError
from confgraph.settings import Settings
from confgraph.store.base import Store
from confgraph.store.release import Release
from confgraph.web.app import create_app

PANEL = M.replace("https://w3id.org/confgraph", "") + "/session/panel-1"
PAGES = ["/", "/sparql", "/dumps/", "/dataset", "/ontology", "/shapes", PANEL + ".html"]
OTHERS = ["/dumps/confgraph.ttl", "/dataset.ttl", "/sparql?query=ASK%7B%7D", "/nothing", PANEL]
DATA_TYPES = ("application/ld+json", "application/json")
HOSTILE = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}


def policy(header: str) -> dict[str, str]:
    directives = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {d[0]: (d[1] if len(d) > 1 else "") for d in directives}


@pytest.mark.parametrize("path", PAGES + OTHERS)
def test_every_response_carries_the_protective_headers(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    response.close()
    csp = policy(response.headers["Content-Security-Policy"])
    assert csp["default-src"] == "'none'" and csp["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_an_error_carries_them_too(client: FlaskClient) -> None:
    response = client.get("/sparql?query=SELECT%20*%20%7B")
    assert response.status_code == 400
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_hold_nothing_the_policy_would_block(client: FlaskClient, path: str) -> None:
    page = parse_html(client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True))
    for script in page.iter("script"):
        if path == "/sparql" and "src" in script.attrs:
            # The query page alone runs scripts (YASGUI): its own files, allowed by its policy.
            assert script.attrs["src"].startswith("/static/"), script.attrs
            continue
        # A JSON-LD block, or the editor's settings, is data: the browser never runs it.
        assert script.attrs.get("type") in DATA_TYPES and "src" not in script.attrs
    assert not page.iter("style")
    for element in page.iter():
        assert "style" not in element.attrs, element.tag
        assert not [a for a in element.attrs if a.startswith("on")], element.tag
        assert not element.attrs.get("href", "").lower().startswith("javascript:")
    sheets = [e.attrs["href"] for e in page.iter("link") if e.attrs.get("rel") == "stylesheet"]
    assert sheets and all(href.startswith("/") for href in sheets)


@pytest.mark.parametrize("path", ["/dataset.nt", "/.well-known/void?format=nt", "/sparql"])
def test_links_ignore_the_hosts_a_client_names(client: FlaskClient, path: str) -> None:
    body = client.get(path, headers={**HOSTILE, "Accept": "application/n-triples"}).get_data(True)
    assert "evil.example" not in body
    assert "<http://localhost/sparql>" in body


def test_a_redirect_ignores_the_host_a_client_names(client: FlaskClient) -> None:
    response = client.get("/dumps", headers=HOSTILE)
    assert response.status_code in (301, 308)
    assert "evil.example" not in response.headers["Location"]


def test_links_use_the_public_url(settings: Settings, store: Store, release: Release) -> None:
    app = create_app(settings.replace(public_url="https://data.example.org/cg/"), store, release)
    body = app.test_client().get("/dataset.nt", headers=HOSTILE).get_data(as_text=True)
    assert "<https://data.example.org/cg/sparql>" in body
    assert "<https://data.example.org/cg/dumps/confgraph.ttl>" in body
    assert "evil.example" not in body


@pytest.mark.parametrize("url", ["ftp://x.example", "https://", "https://x.example/?a=1", "x"])
def test_a_public_url_that_is_no_http_address_is_refused(
    settings: Settings, store: Store, release: Release, url: str
) -> None:
    with pytest.raises(ConfgraphError, match="--public-url"):
        create_app(settings.replace(public_url=url), store, release)


@pytest.mark.parametrize("header", ["bytes=abc", "bytes=", "pages=1-2", "bytes=5-1", "bytes"])
def test_a_range_that_does_not_parse_is_ignored(client: FlaskClient, header: str) -> None:
    whole = client.get("/dumps/confgraph.ttl")
    response = client.get("/dumps/confgraph.ttl", headers={"Range": header})
    assert response.status_code == 200
    assert response.get_data() == whole.get_data()
    whole.close()
    response.close()


def test_a_range_past_the_end_is_still_416(client: FlaskClient) -> None:
    response = client.get("/dumps/confgraph.ttl", headers={"Range": "bytes=99999999-"})
    assert response.status_code == 416
    response.close()
