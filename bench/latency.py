"""Measure the latency of a typical query and of a resource page on a running server.

Usage: start `confgraph serve`, then `python bench/latency.py [ROOT] [--runs N]`.
Prints median and 95th percentile per request, in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import time
import urllib.error
import urllib.parse
import urllib.request

TYPICAL_QUERY = """PREFIX cg: <https://w3id.org/confgraph/ontology#>
PREFIX schema: <https://schema.org/>
SELECT ?panel ?panelName ?country ?countryName WHERE {
  ?statement a cg:Statement ; cg:deliveredAt ?panel ; cg:deliveredBy ?country .
  ?country a cg:Country ; schema:name ?countryName .
  ?panel schema:name ?panelName .
} ORDER BY ?panelName ?countryName"""


def requests(root: str, resource: str) -> dict[str, urllib.request.Request]:
    """Return the requests to time, by name."""
    query = urllib.parse.urlencode({"query": TYPICAL_QUERY})
    return {
        "typical query (JSON)": urllib.request.Request(
            f"{root}/sparql?{query}", headers={"Accept": "application/sparql-results+json"}
        ),
        "resource page (HTML)": urllib.request.Request(f"{root}{resource}.html"),
        "resource data (Turtle)": urllib.request.Request(f"{root}{resource}.ttl"),
        "303 redirect": urllib.request.Request(
            f"{root}{resource}", headers={"Accept": "text/turtle"}
        ),
        "home page (agenda)": urllib.request.Request(f"{root}/"),
    }


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def time_request(opener: urllib.request.OpenerDirector, request: urllib.request.Request) -> float:
    """Return the seconds one request takes, body read."""
    started = time.perf_counter()
    try:
        with opener.open(request, timeout=60) as response:
            response.read()
    except urllib.error.HTTPError as error:  # the 303 arrives as an HTTPError without redirects
        if error.code != 303:
            raise
        error.close()
    return time.perf_counter() - started


def main() -> None:
    """Time each request and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default="http://127.0.0.1:5000")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument(
        "--resource",
        default="/id/meeting/2017-09-vienna-smuggling-trafficking/session/panel-1",
        help="local path of the resource whose page is timed",
    )
    args = parser.parse_args()
    opener = urllib.request.build_opener(_NoRedirect)
    print(f"{'request':28} {'median ms':>10} {'p95 ms':>8}  ({args.runs} runs, 3 warm-up)")
    for name, request in requests(args.root.rstrip("/"), args.resource).items():
        for _ in range(3):
            time_request(opener, request)
        times = sorted(time_request(opener, request) * 1000 for _ in range(args.runs))
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"{name:28} {statistics.median(times):10.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
