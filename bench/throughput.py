"""Measure requests per second under concurrent clients on a running server.

Usage: start `confgraph serve`, then `python bench/throughput.py [ROOT] [--clients N] [--runs N]`.
Prints, per page, requests per second and the median and 95th percentile latency.
"""

from __future__ import annotations

import argparse
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

QUERY = (
    "PREFIX cg: <https://w3id.org/confgraph/ontology#> "
    "SELECT ?statement ?agent WHERE { ?statement cg:deliveredBy ?agent }"
)
PATHS = {
    "home page (agenda)": "/",
    "resource page (HTML)": "/id/country/deu.html",
    "SPARQL query (JSON)": "/sparql?" + urllib.parse.urlencode({"query": QUERY, "format": "json"}),
}


def timed_get(url: str) -> float:
    """GET url, fail on any status but 200, and return the seconds it took."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")
    return time.perf_counter() - started


def measure(url: str, clients: int, runs: int) -> tuple[float, float, float]:
    """Return requests per second, median and p95 latency in ms for runs concurrent GETs."""
    timed_get(url)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        latencies = sorted(pool.map(timed_get, [url] * runs))
    elapsed = time.perf_counter() - started
    return runs / elapsed, latencies[runs // 2] * 1000, latencies[int(runs * 0.95)] * 1000


def main() -> None:
    """Print a table of throughput per page."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", nargs="?", default="http://127.0.0.1:5000")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    print(f"{'page':<24}{'req/s':>8}{'median ms':>11}{'p95 ms':>9}  ({args.clients} clients)")
    for name, path in PATHS.items():
        rate, median, p95 = measure(args.root.rstrip("/") + path, args.clients, args.runs)
        print(f"{name:<24}{rate:>8.0f}{median:>11.1f}{p95:>9.1f}")


if __name__ == "__main__":
    main()
