"""Concurrency: the server's request threads parse and run queries at the same time."""

from __future__ import annotations

import gc
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from confgraph.errors import ResultTooLarge
from confgraph.store.oxigraph_engine import OxigraphStore
from confgraph.store.rdflib_engine import RdflibStore
from confgraph.store.release import Release

QUERIES = [
    f"PREFIX schema: <https://schema.org/> SELECT ?s WHERE {{ ?s schema:name ?n . "
    f"FILTER(STRLEN(?n) > {n}) }} LIMIT {n + 1}"
    for n in range(64)
]


def test_rdflib_queries_run_correctly_from_many_threads_at_once(release: Release) -> None:
    # rdflib's grammar (pyparsing) keeps state while it parses: unguarded, parallel
    # parses fail with errors that have nothing to do with the query.
    store = RdflibStore.from_file(release.quads)
    with ThreadPoolExecutor(max_workers=8) as pool:
        forms = list(pool.map(lambda q: store.query(q).form, QUERIES * 2))
    assert forms == ["SELECT"] * len(QUERIES) * 2


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


def keep_error(store: OxigraphStore, sparql: str) -> ResultTooLarge | None:
    """Run a query past the row limit and keep its error, as a web error handler does."""
    try:
        store.query(sparql, row_limit=2)
    except ResultTooLarge as error:
        kept = error  # a cycle: this frame -> error -> traceback -> this frame
        return kept
    return None


def test_oxigraph_results_are_freed_by_the_thread_that_made_them(release: Release) -> None:
    # Oxigraph's result objects may only be dropped on the thread that created them; one
    # caught in a reference cycle is freed later by whichever thread runs the collector.
    store = OxigraphStore.from_file(release.quads)
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for sparql in ("SELECT * { ?s ?p ?o }", "CONSTRUCT WHERE { ?s ?p ?o }"):
            store.query(sparql)
            assert keep_error(store, sparql) is not None
        gc.collect()
        leaked = [type(o).__name__ for o in gc.garbage if type(o).__module__ == "pyoxigraph"]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert leaked == []
