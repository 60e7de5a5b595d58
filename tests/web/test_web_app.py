"""The application factory and its settings: ranges, base, proxies, CORS, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph

from confgraph.errors import ReleaseError
from confgraph.settings import Settings
from confgraph.store.base import Store
from confgraph.store.release import Release
from confgraph.web.app import Site, create_app
from confgraph.web.commands import app_from_environment

DUMP = "/dumps/confgraph.ttl"


@pytest.mark.parametrize(
    ("name", "value"),
    [("query_timeout", 0), ("query_timeout", -1.0), ("row_limit", 0), ("port", 70000),
     ("threads", 0), ("query_workers", -2)],
)  # fmt: skip
def test_settings_out_of_range_are_refused(name: str, value: object) -> None:
    with pytest.raises(ValueError, match=name):
        Settings().replace(**{name: value})


def test_settings_in_range_are_kept() -> None:
    settings = Settings().replace(query_timeout=1, row_limit=1, query_workers=0, port=1)
    assert settings.query_timeout == 1.0 and settings.row_limit == 1


def test_serve_refuses_a_bad_value_with_a_usage_error() -> None:
    from click.testing import CliRunner

    from confgraph.web.commands import serve

    result = CliRunner().invoke(serve, ["--release", "nowhere", "--query-timeout", "0"])
    assert result.exit_code == 2 and "--query-timeout" in result.output


def test_app_from_environment_reads_and_checks_variables(
    monkeypatch: pytest.MonkeyPatch, release_dir: Path
) -> None:
    monkeypatch.setenv("CONFGRAPH_RELEASE", str(release_dir))
    monkeypatch.setenv("CONFGRAPH_QUERY_WORKERS", "0")
    monkeypatch.setenv("CONFGRAPH_ROW_LIMIT", "7")
    app = app_from_environment()
    site: Site = app.extensions["confgraph"].current()
    assert site.settings.row_limit == 7 and site.settings.query_workers == 0
    app.extensions["confgraph"].close()
    monkeypatch.setenv("CONFGRAPH_ROW_LIMIT", "many")
    with pytest.raises(SystemExit, match="row-limit"):
        app_from_environment()


def test_a_base_other_than_the_releases_is_refused(
    settings: Settings, store: Store, release: Release
) -> None:
    with pytest.raises(ReleaseError, match="differs from the base"):
        create_app(settings.replace(base="https://elsewhere.example/x"), store, release)
    assert create_app(settings.replace(base=release.base + "/"), store, release)


def test_trusted_proxy_makes_links_https(
    settings: Settings, store: Store, release: Release
) -> None:
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "data.example.org"}
    for trusted, scheme in ((False, "http://localhost"), (True, "https://data.example.org")):
        app = create_app(settings.replace(trusted_proxy=trusted), store, release)
        void = app.test_client().get("/dataset.nt", headers=forwarded)
        assert f"<{scheme}/sparql>" in void.get_data(as_text=True)


def test_preflight_allows_conditional_and_range_headers(client: FlaskClient) -> None:
    asked = "if-none-match, if-modified-since, if-range, range"
    response = client.options(
        DUMP,
        headers={
            "Origin": "https://notebook.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": asked,
        },
    )
    allowed = {
        h.strip().lower() for h in response.headers["Access-Control-Allow-Headers"].split(",")
    }
    assert {"if-none-match", "if-modified-since", "if-range", "range"} <= allowed
    plain = client.options(DUMP, headers={"Access-Control-Request-Method": "GET"})
    allowed = plain.headers["Access-Control-Allow-Headers"].lower()
    assert all(h in allowed for h in ("if-none-match", "if-modified-since", "if-range"))


def test_range_and_validators_are_exposed_to_scripts(client: FlaskClient) -> None:
    response = client.get(DUMP, headers={"Range": "bytes=0-9"})
    assert response.status_code == 206
    exposed = response.headers["Access-Control-Expose-Headers"].lower()
    response.close()
    assert all(h in exposed for h in ("content-range", "etag", "last-modified"))


def test_error_responses_vary_on_accept(client: FlaskClient) -> None:
    response = client.get("/sparql?query=SELECT%20*%20%7B", headers={"Accept": "text/html"})
    assert response.status_code == 400
    assert "Accept" in response.headers["Vary"]


def test_shared_graphs_are_bound_once_not_per_request(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    site: Site = app.extensions["confgraph"].current()
    shared = (site.ontology, site.shapes, site.description)
    original = site.bind

    def bind(graph: Graph) -> Graph:
        assert all(graph is not g for g in shared), "a shared graph is rebound per request"
        return original(graph)

    monkeypatch.setattr(site, "bind", bind)
    for path in ("/ontology.ttl", "/shapes.ttl", "/ontology", "/dataset.ttl"):
        assert client.get(path).status_code == 200
    assert dict(site.ontology.namespaces())["cg"]
