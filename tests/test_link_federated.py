"""Joining confgraph with a Wikidata-shaped endpoint from the researcher's side (README).

Our endpoint never fetches (SERVICE is refused), so the join runs in the client: it asks
each loopback endpoint for its part, loads both answers into a local pyoxigraph store and
joins them there; the local route loads the release's dump beside the other data instead.
"""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from linkendpoint import free_port, oxigraph_endpoint
from SPARQLWrapper import TURTLE, SPARQLWrapper

from confgraph.iris import Iris
from confgraph.pipeline import run_build

ROOT = Path(__file__).resolve().parents[1]
EXTRACT = ROOT / "data" / "reference" / "wikidata" / "wikidata-countries.nt"
OURS = """PREFIX cg: <https://w3id.org/confgraph/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
CONSTRUCT { ?statement cg:deliveredBy ?country . ?country owl:sameAs ?item }
WHERE { ?statement a cg:Statement ; cg:deliveredBy ?country . ?country owl:sameAs ?item }"""
THEIRS = """PREFIX wdt: <http://www.wikidata.org/prop/direct/>
CONSTRUCT { ?item wdt:P297 ?alpha2 } WHERE { ?item wdt:P297 ?alpha2 }"""
JOIN = """PREFIX cg: <https://w3id.org/confgraph/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
SELECT ?alpha2 (COUNT(?statement) AS ?statements) WHERE {
  ?statement cg:deliveredBy ?country . ?country owl:sameAs ?item . ?item wdt:P297 ?alpha2 .
} GROUP BY ?alpha2"""


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_build(ROOT / "data", tmp_path_factory.mktemp("federated"), Iris())


@pytest.fixture(scope="module")
def confgraph_endpoint(release: Path) -> Iterator[str]:
    """Run `confgraph serve` on a free loopback port; yield its SPARQL endpoint."""
    port = free_port()
    command = [sys.executable, "-c", "from confgraph.cli import main; main()", "serve"]
    command += ["--release", str(release), "--port", str(port), "--query-workers", "1"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=5):
                    break
            except OSError:
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def wikidata_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_endpoint(tmp_path_factory.mktemp("wd") / "store", EXTRACT) as url:
        yield url


def construct(endpoint: str, query: str) -> bytes:
    client = SPARQLWrapper(endpoint, agent="confgraph-tests (a researcher's client)")
    client.setQuery(query)
    client.setReturnFormat(TURTLE)
    with client.query().response as response:
        return response.read()


def counts(store: ox.Store) -> dict[str, int]:
    return {row["alpha2"].value: int(row["statements"].value) for row in store.query(JOIN)}


def test_a_client_joins_our_endpoint_with_a_wikidata_shaped_one(
    confgraph_endpoint: str, wikidata_endpoint: str
) -> None:
    store = ox.Store()  # the client's own engine, in memory
    for endpoint, query in ((confgraph_endpoint, OURS), (wikidata_endpoint, THEIRS)):
        store.load(construct(endpoint, query), ox.RdfFormat.TURTLE)
    joined = counts(store)
    assert joined["DE"] == 3 and joined["BR"] == 3  # Germany and Brazil spoke three times
    assert len(joined) == 17  # the countries that delivered a statement


def test_our_endpoint_refuses_to_fetch_for_the_client(confgraph_endpoint: str) -> None:
    query = f"SELECT * WHERE {{ SERVICE <{confgraph_endpoint}> {{ ?s ?p ?o }} }}"
    request = urllib.request.Request(
        confgraph_endpoint + "?" + urllib.parse.urlencode({"query": query})
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    refused.value.close()
    assert refused.value.code == 400


def test_the_local_route_loads_the_dump_beside_the_other_data(release: Path) -> None:
    store = ox.Store()
    with gzip.open(release / "confgraph.nt.gz") as dump:
        store.load(dump.read(), ox.RdfFormat.N_TRIPLES)
    store.load(path=str(EXTRACT), format=ox.RdfFormat.N_TRIPLES)
    joined = counts(store)
    assert joined["DE"] == 3 and len(joined) == 17


def test_the_readme_join_runs_against_the_two_endpoints(
    confgraph_endpoint: str, wikidata_endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    block = next(b for b in re.findall(r"```py\n(.*?)```", readme, flags=re.S) if "construct(" in b)
    block = block.replace("http://127.0.0.1:5000/sparql", confgraph_endpoint)
    block = block.replace("https://query.wikidata.org/sparql", wikidata_endpoint)
    exec(compile(block, "README.md", "exec"), {})
    printed = dict(line.split() for line in capsys.readouterr().out.splitlines())
    assert printed == {"DE": "3", "BR": "3"}  # Germany's and Brazil's statements
