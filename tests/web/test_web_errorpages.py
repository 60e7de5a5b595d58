"""Every error a browser can meet is a page of the site; other clients get one line of text."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from htmlparse import parse_html

from confgraph.settings import Settings
from confgraph.store.base import Store
from confgraph.store.release import Release
from confgraph.web.app import create_app

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def styled(body: str) -> None:
    """Assert a page has the site's stylesheet, navigation, footer and a way on."""
    page = parse_html(body)
    sheets = [e.attrs["href"] for e in page.iter("link") if e.attrs.get("rel") == "stylesheet"]
    assert "/static/style.css" in sheets
    assert page.iter("nav") and page.iter("footer")
    assert "/" in dict(page.by_id("error-page").links())


@pytest.mark.parametrize("path", ["/no/such/page", "/static/nothing.css", "/programme", "/id"])
def test_an_unknown_address_is_a_styled_404(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers=BROWSER)
    assert response.status_code == 404 and response.mimetype == "text/html"
    body = response.get_data(as_text=True)
    styled(body)
    page = parse_html(body)
    assert page.iter("h1")[0].text == "404 Not Found"
    assert page.by_id("error-message").text == f"Nothing is served at {path}."


def test_other_clients_get_the_404_as_text(client: FlaskClient) -> None:
    response = client.get("/no/such/page", headers={"Accept": "*/*"})
    assert response.status_code == 404 and response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == "Nothing is served at /no/such/page.\n"
    assert "Accept" in response.vary


def test_a_method_not_allowed_keeps_its_allow_header(client: FlaskClient) -> None:
    response = client.delete("/dumps/", headers=BROWSER)
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    styled(response.get_data(as_text=True))


def test_an_unknown_resource_is_styled_too(client: FlaskClient) -> None:
    response = client.get("/id/country/nowhere.html", headers=BROWSER)
    assert response.status_code == 404
    styled(response.get_data(as_text=True))


def test_a_client_error_of_confgraph_is_styled(client: FlaskClient) -> None:
    response = client.get("/?page=zero", headers=BROWSER)
    assert response.status_code == 400
    styled(response.get_data(as_text=True))
    assert "page must be one whole number" in response.get_data(as_text=True)


@pytest.fixture()
def faulty(settings: Settings, store: Store, release: Release) -> Flask:
    """Return the application with one route that fails as a bug would."""
    app = create_app(settings, store, release)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as served: a bug is a 500, not a traceback

    def broken() -> str:
        raise RuntimeError("a bug in a route")

    app.add_url_rule("/broken", "broken", broken)
    return app


def test_a_fault_of_the_server_is_a_styled_500_without_a_traceback(
    faulty: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    response = faulty.test_client().get("/broken", headers=BROWSER)
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    styled(body)
    assert "a bug in a route" not in body and "Traceback" not in body
    assert "RuntimeError" in caplog.text  # but the log has it
    text = faulty.test_client().get("/broken", headers={"Accept": "text/plain"})
    assert text.status_code == 500 and text.mimetype == "text/plain"
