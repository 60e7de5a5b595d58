"""Bounded work per request and fairness (issue 7): each limit is a clear 4xx naming its setting."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest
from busyworker import busy_worker
from flask.testing import FlaskClient
from webfixture import M

from confgraph.errors import EndpointBusy
from confgraph.settings import Settings
from confgraph.store.base import Store
from confgraph.store.cache import ByteCache
from confgraph.store.registry import ENGINES, open_store
from confgraph.store.release import Release
from confgraph.store.sandbox import SandboxedStore
from confgraph.web.app import create_app
from confgraph.web.clients import QueryGate

JSON = "application/sparql-results+json"
CHEAP = "ASK { FILTER(1 = 3) }"


def long_or(operands: int) -> str:
    """Return an ASK whose filter is a chain of operands `||` (slow for grammar parsers)."""
    return "ASK { FILTER(" + " || ".join(["false"] * operands) + ") }"


@pytest.fixture(scope="module")
def pool(release: Release) -> Iterator[SandboxedStore]:
    """Yield two query workers with a short time limit and a short wait for a worker."""
    store = SandboxedStore("oxigraph", release.quads, workers=2, timeout=3.0, wait=0.5)
    try:
        assert store.query("ASK {}").boolean is True
        yield store
    finally:
        store.close()


def test_a_huge_query_does_not_stop_other_queries(
    pool: SandboxedStore, settings: Settings, release: Release
) -> None:
    client = create_app(settings, pool, release).test_client()
    huge = long_or(20_000)  # 180 kB: rdflib's parser took 16 s on it, holding a global lock
    statuses: list[int] = []
    sender = threading.Thread(
        target=lambda: statuses.append(
            client.post(
                "/sparql", data=huge.encode(), content_type="application/sparql-query"
            ).status_code
        )
    )
    sender.start()
    time.sleep(0.3)
    started = time.monotonic()
    cheap = client.get("/sparql", query_string={"query": CHEAP}, headers={"Accept": JSON})
    elapsed = time.monotonic() - started
    sender.join(30)
    assert cheap.get_json()["boolean"] is False
    assert elapsed < 1.5
    assert statuses and statuses[0] in (200, 400, 503)  # answered, never a crash or a 500


def test_a_chain_of_thousands_of_operands_does_not_crash_the_engine(release: Release) -> None:
    code = (
        "import sys; from confgraph.store.registry import open_store;"
        "s = open_store('oxigraph', sys.argv[1]);"
        "print(s.query('ASK { FILTER(' + '||'.join(['false'] * 20000) + ') }').boolean)"
    )
    # Oxigraph's parser recursed past the usual 8 MiB stack and killed the process (SIGSEGV).
    done = subprocess.run(
        [sys.executable, "-c", code, str(release.quads)], capture_output=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == b"False"


def test_a_body_past_the_limit_is_413(settings: Settings, store: Store, release: Release) -> None:
    client = create_app(settings.replace(body_limit=1000), store, release).test_client()
    direct = client.post("/sparql", data=b"ASK {} " + b" " * 1000,
                         content_type="application/sparql-query")  # fmt: skip
    form = client.post("/sparql", data={"query": "ASK {}" + " " * 1000})
    for response in (direct, form):
        assert response.status_code == 413
        assert "body_limit" in response.get_data(as_text=True)


def test_a_query_past_the_length_limit_is_400(
    settings: Settings, store: Store, release: Release
) -> None:
    client = create_app(settings.replace(query_length_limit=100), store, release).test_client()
    response = client.get("/sparql", query_string={"query": long_or(30)})
    assert response.status_code == 400
    assert "query_length_limit" in response.get_data(as_text=True)


def test_the_query_shape_cache_is_bounded_by_bytes() -> None:
    cache = ByteCache(1000)
    for i in range(100):
        cache.put(i, "x" * 100, 100)
    assert cache.size <= 1000 and len(cache) == 10
    assert cache.get(99) is not None and cache.get(0) is None
    cache.put("huge", "x", 5000)
    assert cache.get("huge") is None


@pytest.mark.parametrize("engine", sorted(ENGINES))
@pytest.mark.parametrize(
    "query",
    [
        "ASK { FILTER(" + "(" * 30 + "1" + ")" * 30 + ") }",
        "ASK " + "{" * 40 + "}" * 40,
        "ASK { FILTER(" + "(" * 200 + "1" + ")" * 200 + ") }",
        "ASK " + "{" * 5000 + "}" * 5000,
    ],
)
def test_deep_nesting_is_never_a_500(
    engine: str, query: str, settings: Settings, release: Release
) -> None:
    store = open_store(engine, release.quads)
    client = create_app(settings, store, release).test_client()
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": JSON})
    text = response.get_data(as_text=True)
    assert response.status_code in (200, 400), text
    if response.status_code == 400:
        assert "nest" in text and ("nesting_limit" in text or "engine" in text)
    if query.count("{") > settings.nesting_limit or query.count("(") > settings.nesting_limit:
        assert "nesting_limit" in text


def test_an_accept_header_past_the_limit_is_431(client: FlaskClient) -> None:
    accept = ", ".join(f"application/x-{i}" for i in range(1000))
    for path in ("/sparql?query=ASK%7B%7D", "/id/country/bra"):
        response = client.get(path, headers={"Accept": accept})
        assert response.status_code == 431
        assert "accept_length_limit" in response.get_data(as_text=True)


def test_a_client_past_its_concurrent_queries_waits_then_is_refused() -> None:
    gate = QueryGate(per_client=1, max_waiting=4, wait=0.2)
    with gate.slot("a"):
        with gate.slot("b"):  # another client is not held back
            pass
        started = time.monotonic()
        with pytest.raises(EndpointBusy, match="client_queries"), gate.slot("a"):
            pass
        assert 0.15 < time.monotonic() - started < 2
    with gate.slot("a"):  # the slot was given back
        pass


def test_waiting_requests_are_bounded_so_pages_keep_threads() -> None:
    gate = QueryGate(per_client=1, max_waiting=0, wait=5)
    with gate.slot("a"):
        started = time.monotonic()
        with pytest.raises(EndpointBusy), gate.slot("a"):
            pass
        assert time.monotonic() - started < 1


def test_busy_workers_give_503_with_retry_after_within_the_wait(
    pool: SandboxedStore, settings: Settings, release: Release
) -> None:
    client = create_app(settings.replace(client_queries=4), pool, release).test_client()
    with busy_worker(pool), busy_worker(pool):
        started = time.monotonic()
        response = client.get("/sparql", query_string={"query": CHEAP})
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) >= 1
    assert "worker_wait" in response.get_data(as_text=True)
    assert elapsed < 2


def test_workers_default_to_one_per_core_plus_one() -> None:
    import os

    assert Settings().workers == (os.cpu_count() or 1) + 1
    assert Settings(query_workers=0).workers == 0


@pytest.mark.parametrize(
    ("path", "accept", "media_type"),
    [
        ("/sparql?query=ASK%7B%7D", "application/sparql-results+json;charset=utf-8", JSON),
        (f"/sparql?query=DESCRIBE%20%3C{M}%3E", "text/turtle; charset=utf-8", "text/turtle"),
        ("/id/country/bra", "text/turtle; charset=utf-8", ".ttl"),
        ("/id/country/bra", "text/html; charset=UTF-8", ".html"),
    ],
)
def test_accept_with_parameters_is_met(
    client: FlaskClient, path: str, accept: str, media_type: str
) -> None:
    response = client.get(path, headers={"Accept": accept})
    if media_type.startswith("."):
        assert response.status_code == 303
        assert response.headers["Location"].endswith(media_type)
    else:
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.mimetype == media_type


def test_an_accept_asking_for_another_charset_is_not_met(client: FlaskClient) -> None:
    response = client.get("/sparql?query=ASK%7B%7D", headers={"Accept": "text/csv;charset=latin1"})
    assert response.status_code == 406


def test_an_empty_query_is_named_as_empty(client: FlaskClient) -> None:
    for response in (client.get("/sparql?query="), client.post("/sparql", data={"query": " "})):
        assert response.status_code == 400
        text = response.get_data(as_text=True)
        assert "empty" in text and "read-only" not in text


def test_a_form_that_is_not_utf8_is_named(client: FlaskClient) -> None:
    response = client.post(
        "/sparql", data=b"query=ASK%20%7B%FF%7D", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "UTF-8" in text and "query" in text and "no query" not in text
