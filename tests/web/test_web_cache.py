"""Answers cached per release: ETag and 304 without the engine, repeated queries from memory."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from webfixture import ID

from confgraph.settings import Settings
from confgraph.store.base import Store
from confgraph.store.release import Release
from confgraph.web.app import create_app

SELECT = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 3"
JSON = "application/sparql-results+json"


class CountingStore:
    """A store that counts the calls that reach it."""

    def __init__(self, store: Store) -> None:
        self.store, self.calls = store, 0

    def __getattr__(self, name: str) -> Any:
        found = getattr(self.store, name)
        if not callable(found):
            return found

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return found(*args, **kwargs)

        return counted


@pytest.fixture()
def counted(settings: Settings, store: Store, release: Release) -> tuple[FlaskClient, Any]:
    """Return a client over a store that counts its calls, and that store."""
    counting = CountingStore(store)
    return create_app(settings, counting, release).test_client(), counting  # type: ignore[arg-type]


def test_sparql_get_has_the_release_as_etag_and_304_skips_the_engine(
    counted: tuple[FlaskClient, CountingStore], release: Release
) -> None:
    client, counting = counted
    first = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": JSON})
    etag = first.headers["ETag"].strip('"')
    assert first.status_code == 200 and etag.startswith(release.release_id)
    before = counting.calls
    again = client.get(
        "/sparql",
        query_string={"query": SELECT},
        headers={"Accept": JSON, "If-None-Match": first.headers["ETag"]},
    )
    assert again.status_code == 304 and again.headers["ETag"] == first.headers["ETag"]
    assert counting.calls == before
    csv = client.get(
        "/sparql",
        query_string={"query": SELECT},
        headers={"Accept": "text/csv", "If-None-Match": first.headers["ETag"]},
    )
    assert csv.status_code == 200 and csv.headers["ETag"] != first.headers["ETag"]


def test_a_repeated_query_is_answered_from_the_cache(
    counted: tuple[FlaskClient, CountingStore],
) -> None:
    client, counting = counted
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    first = client.post("/sparql", data={"query": query}, headers={"Accept": JSON})
    before = counting.calls
    second = client.post("/sparql", data={"query": query}, headers={"Accept": JSON})
    assert second.get_data() == first.get_data()
    assert counting.calls == before


def test_no_result_cache_with_a_size_of_zero(
    settings: Settings, store: Store, release: Release
) -> None:
    counting = CountingStore(store)
    client = create_app(settings.replace(result_cache=0), counting, release).test_client()  # type: ignore[arg-type]
    for _ in range(2):
        client.post("/sparql", data={"query": SELECT}, headers={"Accept": JSON})
    assert counting.calls >= 2


@pytest.mark.parametrize(
    "path", ["/id/country/bra.ttl", "/id/country/bra.jsonld", "/dataset.ttl", "/.well-known/void"]
)
def test_documents_have_the_release_as_etag_and_304_skips_the_engine(
    counted: tuple[FlaskClient, CountingStore], release: Release, path: str
) -> None:
    client, counting = counted
    first = client.get(path, headers={"Accept": "text/turtle"})
    assert first.status_code == 200
    assert first.headers["ETag"].strip('"').startswith(release.release_id)
    before = counting.calls
    again = client.get(
        path, headers={"Accept": "text/turtle", "If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    assert counting.calls == before


def test_an_etag_of_another_release_is_answered_in_full(client: FlaskClient) -> None:
    response = client.get("/id/country/bra.ttl", headers={"If-None-Match": '"other-ttl"'})
    assert response.status_code == 200 and f"{ID}/country/bra" in response.get_data(as_text=True)
