"""The default graph is an RDF merge: two programmes that share agents count them once."""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from confgraph.iris import Iris
from confgraph.pipeline import run_build
from confgraph.settings import Settings
from confgraph.store.base import Store
from confgraph.store.registry import open_store
from confgraph.store.release import Release
from confgraph.web.app import create_app

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "mini"
IRIS = Iris()
PREFIXES = """PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX cg: <https://w3id.org/confgraph/ontology#>
"""


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> Release:
    """Build two programmes that share a person, a country and an organisation."""
    data = tmp_path_factory.mktemp("twins") / "data"
    shutil.copytree(GOLDEN, data, ignore=shutil.ignore_patterns("expected.ttl"))
    programme = (data / "programmes" / "mini.yaml").read_text("utf-8")
    twin = programme.replace("  key: mini\n", "  key: mini-twin\n", 1)
    assert twin != programme
    (data / "programmes" / "mini-twin.yaml").write_text(twin, "utf-8")
    return Release.open(run_build(data, tmp_path_factory.mktemp("out"), IRIS))


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def store(request: pytest.FixtureRequest, twins: Release) -> Iterator[Store]:
    """Open the twins' release with each engine, as the server does."""
    opened = open_store(request.param, twins.source(request.param))
    yield opened
    opened.close()


@pytest.fixture()
def client(store: Store, twins: Release) -> FlaskClient:
    """Return a test client over the twins' release."""
    settings = Settings(release=str(twins.path), query_workers=0)
    return create_app(settings, store, twins).test_client()


def dump_lines(release: Release) -> set[str]:
    """Return the distinct lines of the N-Triples dump."""
    with gzip.open(release.path / "confgraph.nt.gz", "rt", encoding="utf-8") as handle:
        return {line.rstrip("\n") for line in handle if line.strip()}


def number(client: FlaskClient, query: str) -> int:
    """Run a one-number SELECT over the endpoint."""
    response = client.get(
        "/sparql", query_string={"query": PREFIXES + query}, headers={"Accept": "text/csv"}
    )
    assert response.status_code == 200, response.text
    return int(response.text.splitlines()[1])


def test_counts_over_the_default_graph_are_counts_over_the_dump(
    client: FlaskClient, twins: Release
) -> None:
    lines = dump_lines(twins)
    organisations = {line.split()[0] for line in lines if line.endswith("org#Organization> .")}
    assert number(client, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }") == len(lines)
    assert number(client, "SELECT (COUNT(?o) AS ?n) { ?o a org:Organization }") == len(
        organisations
    )
    meetings = "SELECT (COUNT(?m) AS ?n) { ?m a cg:Meeting }"
    assert number(client, meetings) == 2
    person = IRIS.person("ann")
    assert number(client, f"SELECT (COUNT(?x) AS ?n) {{ <{person}> schema:name ?x }}") == 1


def test_each_programme_graph_holds_its_own_statements_and_the_shared_graph_the_rest(
    client: FlaskClient,
) -> None:
    for key in ("mini", "mini-twin"):
        graph = IRIS.graph(key)
        statements = f"SELECT (COUNT(?s) AS ?n) {{ GRAPH <{graph}> {{ ?s a cg:Statement }} }}"
        assert number(client, statements) == 4
    names = f"SELECT (COUNT(*) AS ?n) {{ GRAPH ?g {{ <{IRIS.person('ann')}> schema:name ?x }} }}"
    assert number(client, names) == 1
    overlap = "SELECT (COUNT(*) AS ?n) { GRAPH ?a { ?s ?p ?o } GRAPH ?b { ?s ?p ?o } FILTER(?a<?b)}"
    assert number(client, overlap) == 0


def test_describe_gives_each_triple_once(client: FlaskClient, twins: Release) -> None:
    country = str(IRIS.country("DEU"))
    about = {line for line in dump_lines(twins) if f"<{country}>" in line}
    response = client.get(
        "/sparql",
        query_string={"query": f"DESCRIBE <{country}>"},
        headers={"Accept": "application/n-triples"},
    )
    assert response.status_code == 200
    described = [line for line in response.text.splitlines() if line.strip()]
    assert len(described) == len(set(described))
    assert set(described) <= about
    outgoing = {line for line in about if line.startswith(f"<{country}>")}
    assert outgoing <= set(described)


def test_the_store_holds_every_triple_of_the_dump_term_for_term(twins: Release) -> None:
    store = ox.Store.read_only(str(twins.store))
    default = {
        f"{q.subject} {q.predicate} {q.object} ."
        for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    }
    assert default == dump_lines(twins)
    with gzip.open(twins.path / "confgraph.nq.gz") as handle:
        published = set(ox.parse(handle, format=ox.RdfFormat.N_QUADS))
    named = {q for q in store if not isinstance(q.graph_name, ox.DefaultGraph)}
    void = ox.NamedNode(str(IRIS.void_graph()))
    assert {q for q in named if q.graph_name != void} == published
