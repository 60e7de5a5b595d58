"""Concurrency: the server's request threads parse and run queries at the same time."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from confgraph.store.policy import parse_query

QUERIES = [
    f"PREFIX schema: <https://schema.org/> SELECT ?s WHERE {{ ?s schema:name ?n . "
    f"FILTER(STRLEN(?n) > {n}) }} LIMIT {n + 1}"
    for n in range(64)
]


def test_queries_parse_correctly_from_many_threads_at_once() -> None:
    # rdflib's grammar (pyparsing) keeps state while it parses: unguarded, parallel
    # parses fail with errors that have nothing to do with the query.
    with ThreadPoolExecutor(max_workers=8) as pool:
        forms = list(pool.map(lambda q: parse_query.__wrapped__(q).form, QUERIES * 4))
    assert forms == ["SELECT"] * len(QUERIES) * 4


def fetch_status(url: str) -> int:
    """GET a URL and return its status code (errors included)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_real_server_answers_concurrent_pages_and_queries(server: str) -> None:
    query = urllib.parse.urlencode({"query": QUERIES[3]})
    paths = ["/", "/id/country/bra.html", f"/sparql?{query}", "/dataset.html"] * 10
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda path: fetch_status(server + path), paths))
    assert statuses == [200] * len(paths)
