"""A bounded load test (issue 7): wrk against a real `confgraph serve` over a generated corpus.

For a minute, 24 connections send cheap queries, pages and dumps while two clients send a
query too expensive to finish (a triple cartesian COUNT) without a pause. Every cheap request
must succeed (no 5xx, no dropped connection), the cheap queries' p99 must stay under 500 ms,
and every expensive query must be cut at the time limit (503, at about the limit). The figures
(requests, errors, latencies, the server's memory before and after) are printed and written to
load.json in the test's directory.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from loadgen import (
    CLI,
    Call,
    Load,
    cpu_seconds,
    rss_kib,
    select,
    serving,
    sparql_direct,
    sparql_form,
    sparql_get,
    start_wrk,
)

# CI installs wrk (make test); only a developer's machine without it may skip.
pytestmark = pytest.mark.skipif(
    shutil.which("wrk") is None and not os.environ.get("CI"), reason="wrk is not installed"
)

SECONDS = 60
BASELINE_SECONDS = 10
TIMEOUT = 2.0
# Issue 7: a cheap-query p99 under 500 ms while expensive queries run. On 2 cores this
# measured 1.1-2.8 s before slow queries stepped aside (nice 19, a loaded spare takes the
# slot), pages were kept and workers were forked from a preloaded fork server; after it,
# five runs on a quiet machine: p99 125-217 ms, max 229-371 ms, p50 57-71 ms, 18.7-21.5k
# requests served (was 2.9k), no error.
CHEAP_P99_MS = 500
# The slack past the time limit within which a stopped query's 503 must arrive (the limit
# counts from when the query has a worker; a killed worker's replacement takes a moment).
CUT_SLACK_S = 2.5
# Every connection of the test comes from 127.0.0.1, one client to the server: the bound on
# one client's queries (client_queries) is raised above the test's connections, so that the
# cheap connections and the two expensive ones compete for the workers as separate clients do.
OPTIONS = ("--query-timeout", str(TIMEOUT), "--client-queries", "64")

CG = "https://w3id.org/confgraph/ontology#"
SCHEMA = "https://schema.org/"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
JSON = "application/sparql-results+json"
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ALLOWED = {
    "queries": {"200"},
    "pages": {"200", "303"},
    "dumps": {"200", "206", "304"},
    "expensive": {"503"},
}


def run_cli(*arguments: str) -> None:
    """Run a confgraph command; fail with its output if it fails."""
    done = subprocess.run([*CLI, *arguments], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def corpus_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generate ten synthetic meetings (about 15k triples) and build their release."""
    root = tmp_path_factory.mktemp("load")
    run_cli("generate", "--meetings", "10", "--out", str(root / "data"))
    run_cli("build", "--data", str(root / "data"), "--out", str(root / "build"))
    return root / "build" / "current"


def names(root: str) -> dict[str, str]:
    """Pick a meeting, its graph, a person, a country and an organisation of the corpus."""
    patterns = {
        "meeting ?graph": f"GRAPH ?graph {{ ?meeting a <{CG}Meeting> }}",
        "person": f"?person a <{SCHEMA}Person>",
        "country": f"?country a <{CG}Country>",
        "organisation": f"?organisation a <{SCHEMA}Organization> "
        f"FILTER NOT EXISTS {{ ?organisation a <{CG}Country> }}",
    }
    found: dict[str, str] = {}
    for variables, pattern in patterns.items():
        first = variables.split()[0]
        (row,) = select(
            root, f"SELECT ?{variables} WHERE {{ {pattern} }} ORDER BY ?{first} LIMIT 1"
        )
        found.update(row)
    return found


def cheap_queries(found: dict[str, str]) -> list[Call]:
    """Small queries of every form, each answered from a few hundred triples at most."""
    meeting, person, country, graph = (found[k] for k in ("meeting", "person", "country", "graph"))
    return [
        sparql_get(f"ASK {{ ?m a <{CG}Meeting> }}", JSON),
        sparql_get(
            f"SELECT ?m ?name WHERE {{ ?m a <{CG}Meeting> ; <{SCHEMA}name> ?name }} "
            "ORDER BY ?m LIMIT 10",
            JSON,
        ),
        sparql_form(
            f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ <{meeting}> ?p ?o }} GROUP BY ?p", "text/csv"
        ),
        sparql_direct(f"DESCRIBE <{person}>", "text/turtle"),
        sparql_get(
            f"CONSTRUCT {{ <{country}> ?p ?o }} WHERE {{ <{country}> ?p ?o }}",
            "application/n-triples",
        ),
        sparql_get(
            f"SELECT ?s ?label WHERE {{ ?s a <{SCHEMA}Person> ; {RDFS_LABEL} ?label }} LIMIT 20",
            "application/sparql-results+xml",
        ),
        sparql_get(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
            "text/tab-separated-values",
        ),
    ]


def pages(found: dict[str, str], base: str) -> list[Call]:
    """Home, agenda, resource pages and documents, a graph, the query page and descriptions."""
    meeting, person, country, organisation, graph = (
        found[k].removeprefix(base)
        for k in ("meeting", "person", "country", "organisation", "graph")
    )
    html = {"Accept": "text/html"}
    return [
        Call("GET", "/", html),
        Call("GET", "/programme/" + meeting.rsplit("/", 1)[1], html),
        Call("GET", meeting, html),
        Call("GET", meeting + ".html", {"Accept-Language": "fr, en;q=0.5"}),
        Call("GET", person + ".html"),
        Call("GET", country + ".html"),
        Call("GET", organisation + ".ttl"),
        Call("GET", person + ".jsonld"),
        Call("GET", graph + ".ttl"),
        Call("GET", "/sparql", html),
        Call("GET", "/sparql", {"Accept": "text/turtle"}),
        Call("GET", "/.well-known/void", {"Accept": "text/turtle"}),
    ]


def dumps(root: str) -> list[Call]:
    """The dumps' listing, whole dumps, ranges of them and a revalidation of one."""
    head = urllib.request.Request(root + "/dumps/confgraph.ttl", method="HEAD")
    with urllib.request.urlopen(head, timeout=30) as response:
        etag = response.headers["ETag"]
    return [
        Call("GET", "/dumps/", {"Accept": "text/html"}),
        Call("GET", "/dumps/confgraph.ttl"),
        Call("GET", "/dumps/confgraph.nt.gz"),
        Call("GET", "/dumps/confgraph.trig", {"Range": "bytes=0-65535"}),
        Call("GET", "/dumps/confgraph.jsonld", {"Range": "bytes=100000-"}),
        Call("GET", "/dumps/confgraph.nq.gz"),
        Call("GET", "/dumps/confgraph.ttl", {"If-None-Match": etag}),
    ]


def expensive() -> list[Call]:
    """The triple cartesian COUNT over the whole data, by GET and by form."""
    return [sparql_get(EXPENSIVE, JSON), sparql_form(EXPENSIVE, JSON)]


def snapshot(pid: int) -> dict[str, Any]:
    """Return the server's and its workers' memory (VmRSS, MiB), CPU time and the load average."""
    sizes = rss_kib(pid)
    return {
        "processes": len(sizes),
        "rss_mib": round(sum(sizes.values()) / 1024, 1),
        "cpu_s": round(cpu_seconds(pid), 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def run(
    root: str, mixes: dict[str, tuple[list[Call], int]], seconds: int, scratch: Path
) -> dict[str, Any]:
    """Run every mix at once for `seconds`; return, per mix, its connections and figures."""
    loads = {
        name: start_wrk(root, name, calls, connections, seconds, scratch)
        for name, (calls, connections) in mixes.items()
    }
    return {name: figures(load, load.finish(seconds)) for name, load in loads.items()}


def figures(load: Load, result: dict[str, Any]) -> dict[str, Any]:
    """Return a mix's requests, statuses, socket errors and latency in ms."""
    return {
        "connections": load.connections,
        "requests": result["requests"],
        "statuses": result["statuses"],
        "socket_errors": result["errors"],
        "latency_ms": {k: round(v / 1000, 1) for k, v in result["latency_us"].items()},
    }


def test_load_with_expensive_queries(corpus_release: Path, tmp_path: Path) -> None:
    base = json.loads((corpus_release / "release.json").read_text())["base"]
    log = tmp_path / "server.log"
    with serving(corpus_release, log, *OPTIONS) as server:
        found = names(server.root)
        cheap = {
            "queries": (cheap_queries(found), 8),
            "pages": (pages(found, base), 8),
            "dumps": (dumps(server.root), 8),
        }
        pid = server.process.pid
        started = snapshot(pid)
        # The same 24 connections alone first, to tell the machine's pace from the server's.
        alone = run(server.root, cheap, BASELINE_SECONDS, tmp_path)
        before = snapshot(pid)
        mixed = run(server.root, {**cheap, "expensive": (expensive(), 2)}, SECONDS, tmp_path)
        after = snapshot(pid)
    found_figures = {
        "seconds": SECONDS,
        "query_timeout_s": TIMEOUT,
        **mixed,
        "requests_served": sum(mix["requests"] for mix in mixed.values()),
        "slowest_cheap_query_ms": mixed["queries"]["latency_ms"]["max"],
        "at_start": started,
        "before": before,
        "after": after,
        f"without_expensive_{BASELINE_SECONDS}s": alone,
    }
    (tmp_path / "load.json").write_text(json.dumps(found_figures, indent=2))
    print("\nload test:", json.dumps(found_figures, indent=2))
    check(found_figures, alone, log.read_text(errors="replace"))


def check(found: dict[str, Any], alone: dict[str, Any], log: str) -> None:
    """Assert what a user relies on under load, naming the mix and figure that failed."""
    for name, allowed in ALLOWED.items():
        mix = found[name]
        assert mix["requests"] > 0, f"{name}: no request answered"
        assert set(mix["statuses"]) <= allowed, f"{name}: statuses {mix['statuses']}"
        dropped = {k: v for k, v in mix["socket_errors"].items() if k != "status" and v}
        assert not dropped, f"{name}: connections dropped or timed out: {dropped}"
    for name in ("queries", "pages", "dumps"):
        assert set(alone[name]["statuses"]) <= ALLOWED[name], f"{name} alone: {alone[name]}"
    cheap, calm = found["queries"]["latency_ms"], alone["queries"]["latency_ms"]
    assert cheap["p99"] < CHEAP_P99_MS, (
        f"cheap queries: p99 {cheap['p99']} ms, max {cheap['max']} ms while expensive ones ran "
        f"(p99 {calm['p99']} ms without them); load average {found['after']['load_average']}"
    )
    cut = found["expensive"]["latency_ms"]
    assert cut["min"] >= TIMEOUT * 1000 * 0.95, (
        f"expensive queries answered before the limit: {cut}"
    )
    assert cut["max"] <= (TIMEOUT + CUT_SLACK_S) * 1000, (
        f"expensive queries not cut at the limit: {cut}"
    )
    assert "Traceback" not in log, log[-3000:]
