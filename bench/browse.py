"""Measure what browsing and search cost: writing the tables and the index, and serving pages.

Usage: `python bench/browse.py RELEASE [--runs N]` on a release written by `confgraph build`
(e.g. of a `confgraph generate` corpus). It times, from the release's N-Triples dump, what
the build does after the dumps (indexing the triples by subject, the CSV tables, the search
index), then the index and search pages through the application in process (no HTTP):
the first request of each (nothing cached) and the median of the next runs.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox

from confgraph.records import Records
from confgraph.searchdocs import search_documents
from confgraph.settings import Settings
from confgraph.store.registry import open_store
from confgraph.store.release import Release
from confgraph.store.search import write_search_index
from confgraph.tables import write_tables
from confgraph.web.app import create_app


def timed(step: Callable[[], Any]) -> tuple[Any, float]:
    """Return what step returns and the seconds it took."""
    started = time.perf_counter()
    value = step()
    return value, time.perf_counter() - started


def time_build_steps(release: Path) -> None:
    """Time the tables and the search index written from the release's triples."""
    data = gzip.decompress((release / "confgraph.nt.gz").read_bytes())
    triples = [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
    ]
    triples.sort(key=lambda t: f"{t.subject} {t.predicate} {t.object}")
    print(f"{len(triples):,} triples")
    with tempfile.TemporaryDirectory() as out:
        records, seconds = timed(lambda: Records.from_triples(triples))
        print(f"  index by subject   {seconds * 1000:8.0f} ms")
        files, seconds = timed(lambda: write_tables(records, Path(out)))
        print(
            f"  CSV tables         {seconds * 1000:8.0f} ms  ({sum(f.size for f in files):,} bytes)"
        )
        index = Path(out) / "search.sqlite"
        _, seconds = timed(lambda: write_search_index(search_documents(records), index))
        print(f"  search index       {seconds * 1000:8.0f} ms  ({index.stat().st_size:,} bytes)")


def page_paths(client: Any) -> list[str]:
    """Return the pages to time: every index (first and a later page, sorted, faceted), searches."""
    meeting = client.get("/meetings/?format=json").get_json()["rows"][0]["iri"]
    country = client.get("/countries/?format=json").get_json()["rows"][0]["iri"]
    paths = ["/browse/", "/meetings/", "/items/", "/items/?sort=-name&page=5", "/people/",
             "/people/?page=10", "/organisations/", "/countries/?sort=-code", "/statements/",
             "/statements/?page=50", f"/statements/?country={quote(country, safe='')}",
             f"/statements/?meeting={quote(meeting, safe='')}&sort=listed",
             "/statements/?format=csv"]  # fmt: skip
    searches = ["/search?q=germany", "/search?q=migra*", "/search?q=panel&format=json",
                '/search?q="smuggling of migrants"']  # fmt: skip
    return [*paths, *searches]


def time_pages(release: Path, runs: int) -> None:
    """Time each page: its first request, then the median of the next runs."""
    opened = Release.open(release)
    store = open_store("oxigraph", opened.source("oxigraph"))
    try:
        client = create_app(
            Settings(release=str(release), query_workers=0), store, opened
        ).test_client()
        print(f"{'first ms':>9} {'then ms':>8}  page (load average {os.getloadavg()[0]:.1f})")
        for path in page_paths(client):
            times = []
            for _ in range(runs + 1):
                response, seconds = timed(lambda path=path: client.get(path))
                assert response.status_code == 200, (path, response.status_code)
                times.append(seconds * 1000)
            print(f"{times[0]:9.1f} {statistics.median(times[1:]):8.1f}  {path}")
    finally:
        store.close()


def main() -> None:
    """Run both measurements on one release."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("release", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    release = Release.open(arguments.release).path
    time_build_steps(release)
    time_pages(release, arguments.runs)


if __name__ == "__main__":
    main()
