"""The remote store over a real Oxigraph server gives the embedded store's answers.

The repository's data is built, published into the server, and every question is asked of
both stores: the same rows, the same bytes, the same graph names, the same errors.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from engines import Engine
from rdflib import URIRef
from rdflib.compare import isomorphic
from remoteengine import KINDS, fresh, targets

from confgraph.errors import QueryRefused, QuerySyntaxError, QueryTimeout, ResultTooLarge
from confgraph.iris import Iris
from confgraph.pipeline import run_build
from confgraph.store.base import DatasetSpec, Store
from confgraph.store.engine_graphs import ReleaseGraphs
from confgraph.store.registry import open_remote_store, open_store
from confgraph.store.release import Release
from confgraph.store.remote_publish import publish_release
from confgraph.store.sparql_http import Endpoint
from confgraph.web.examples import EXAMPLES

DATA = Path(__file__).resolve().parents[2] / "data"
BASE = "https://w3id.org/confgraph"
MEETING = URIRef(BASE + "/id/meeting/2017-09-vienna-smuggling-trafficking")
GRAPH = URIRef(BASE + "/graph/2017-09-vienna-smuggling-trafficking")
SHARED = URIRef(BASE + "/graph/shared")
CG = "PREFIX cg: <https://w3id.org/confgraph/ontology#>\n"
QUERIES = (
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    CG + "SELECT * WHERE { GRAPH ?g { ?m a cg:Meeting } }",
    CG + "SELECT ?g ?m WHERE { GRAPH ?g { ?m a cg:Meeting } FILTER(?g = <" + GRAPH + ">) }",
    CG + "SELECT ?m WHERE { VALUES ?g { <" + SHARED + "> } GRAPH ?g { ?m a cg:Meeting } }",
    "ASK { GRAPH <" + SHARED + "> { ?s ?p ?o } }",
    "SELECT (COUNT(*) AS ?n) FROM <" + SHARED + "> WHERE { ?s ?p ?o }",
    "SELECT (COUNT(*) AS ?n) FROM NAMED <" + SHARED + "> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT (COUNT(*) AS ?n) FROM <urn:nothing> WHERE { ?s ?p ?o }",
    # Virtuoso gives one empty solution for GRAPH <g> of a graph outside the dataset.
    f"SELECT (COUNT(*) AS ?n) FROM NAMED <{SHARED}> WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}",
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:nothing> { ?s ?p ?o } }",
    "ASK { GRAPH <urn:nothing> { ?s ?p ?o } }",
    "SELECT DISTINCT ?g ?h WHERE { GRAPH ?g { ?s ?p ?o } GRAPH ?h { ?s ?p ?o } } ORDER BY ?g ?h",
    "SELECT ?t (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/confgraph/ontology> "
    "{ ?c a ?t } } GROUP BY ?t ORDER BY ?t",
    "CONSTRUCT { ?g a <urn:graph> } WHERE { GRAPH ?g { ?s ?p ?o } }",
    "DESCRIBE <" + MEETING + ">",
    CG + "DESCRIBE ?m <" + BASE + "/id/country/bra> WHERE { ?m a cg:Meeting }",
    CG + "DESCRIBE * FROM <" + SHARED + "> WHERE { ?c a cg:Country } ORDER BY ?c LIMIT 3",
)


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Release:
    """Build the repository's data."""
    return Release.open(run_build(DATA, tmp_path_factory.mktemp("remote-build"), Iris()))


@pytest.fixture(scope="module", params=KINDS)
def server(request: pytest.FixtureRequest, fresh_engine) -> Iterator[Engine]:
    """Run a new engine of each kind for this module."""
    with fresh(fresh_engine, request.param) as engine:
        yield engine


@pytest.fixture(scope="module")
def stores(release: Release, server: Engine) -> Iterator[tuple[Store, Store]]:
    """Publish the release; yield the remote store and the embedded store over it."""
    publish_release(release, targets(server), 2, lambda _: None)
    remote = open_remote_store(server.query_url, release, 10.0)
    local = open_store("oxigraph", release.store)
    yield remote, local
    remote.close()
    local.close()


@pytest.mark.parametrize("query", QUERIES)
def test_same_answer_as_the_embedded_store(stores: tuple[Store, Store], query: str) -> None:
    remote, local = stores
    ours, theirs = remote.query(query), local.query(query)
    assert ours.form == theirs.form and ours.variables == theirs.variables
    assert ours.boolean == theirs.boolean
    if "ORDER BY" in query:
        assert ours.rows == theirs.rows
    else:
        assert sorted(map(str, ours.rows)) == sorted(map(str, theirs.rows))
    assert isomorphic(ours.graph(), theirs.graph())


def test_graph_variables_are_bound_to_the_public_names(stores: tuple[Store, Store]) -> None:
    remote, _ = stores
    rows = remote.query(QUERIES[0]).rows
    assert {row[0] for row in rows} == {
        GRAPH,
        SHARED,
        URIRef(BASE + "/graph/void"),
        URIRef("https://w3id.org/confgraph/ontology"),
    }


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.key)
def test_every_example_gives_the_same_lines(stores: tuple[Store, Store], example) -> None:
    remote, local = stores
    # Rows that tie under ORDER BY may come in any order: rows are compared as sets.
    ours = remote.query_serialized(example.text, "text/csv")
    theirs = local.query_serialized(example.text, "text/csv")
    assert sorted(ours.splitlines()) == sorted(theirs.splitlines())
    ours = remote.query_serialized(example.text, "application/sparql-results+json")
    theirs = local.query_serialized(example.text, "application/sparql-results+json")
    assert unordered(ours) == unordered(theirs) and len(ours) == len(theirs)


def unordered(body: bytes) -> tuple[object, list[str]]:
    """Return a SPARQL JSON result's head and its rows in a fixed order."""
    data = json.loads(body)
    rows = sorted(json.dumps(row, sort_keys=True) for row in data["results"]["bindings"])
    return data["head"], rows


def test_select_star_columns_in_query_order(stores: tuple[Store, Store]) -> None:
    remote, local = stores
    query = CG + "SELECT * WHERE { GRAPH ?g { ?m a cg:Meeting ; cg:timeZone ?zone } }"
    assert remote.query(query).variables == ("g", "m", "zone")
    assert remote.query_serialized(query, "text/csv") == local.query_serialized(query, "text/csv")


def test_protocol_dataset_names_public_graphs(stores: tuple[Store, Store]) -> None:
    remote, local = stores
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } } "
    query += "GROUP BY ?g ORDER BY ?g"
    for dataset in (
        DatasetSpec(default=(SHARED,)),
        DatasetSpec(named=(GRAPH, SHARED)),
        DatasetSpec(default=(GRAPH,), named=(SHARED, URIRef("urn:unknown"))),
        DatasetSpec(default=(URIRef("urn:unknown"),)),
    ):
        assert remote.query(query, dataset).rows == local.query(query, dataset).rows, dataset


def test_pages_calls_match(stores: tuple[Store, Store]) -> None:
    remote, local = stores
    for iri in (MEETING, URIRef(BASE + "/id/country/bra"), URIRef(BASE + "/id/unknown")):
        assert isomorphic(remote.describe(iri), local.describe(iri))
        assert remote.exists(iri) == local.exists(iri)
    wanted = [MEETING, URIRef("https://w3id.org/confgraph/ontology#Meeting")]
    ours, theirs = remote.labels(wanted), local.labels(wanted)
    assert {k: sorted(v) for k, v in ours.items()} == {k: sorted(v) for k, v in theirs.items()}
    assert remote.graphs() == local.graphs()


def test_errors_are_the_embedded_stores(stores: tuple[Store, Store]) -> None:
    remote, local = stores
    for store in (remote, local):
        with pytest.raises(QuerySyntaxError) as syntax:
            store.query("SELECT * WHERE { ?s ?p }")
        assert "line 1" in str(syntax.value)
        with pytest.raises(QueryRefused):
            store.query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
        with pytest.raises(ResultTooLarge):
            store.query_serialized("SELECT * WHERE { ?s ?p ?o }", "text/csv", row_limit=10)
    with pytest.raises(QueryRefused):
        remote.query("PREFIX bif: <bif:> SELECT (bif:sprintf('%d', 1) AS ?x) {}")
    with pytest.raises(QuerySyntaxError):  # Virtuoso's pragmas are no SPARQL
        remote.query('DEFINE get:soft "replace" SELECT * WHERE { ?s ?p ?o }')


def test_other_releases_graphs_are_out_of_reach(
    stores: tuple[Store, Store], release: Release, server: Engine
) -> None:
    remote, _ = stores
    other = ReleaseGraphs.of(BASE, "another-release", [SHARED])
    insert = f"INSERT DATA {{ GRAPH <{other.engine(SHARED)}> {{ <urn:a> <urn:b> <urn:c> }} }}"
    Endpoint.at(server.update_url, 10).form([("update", insert)], "*/*").check().close()
    for query in (
        f"ASK {{ GRAPH <{other.engine(SHARED)}> {{ ?s ?p ?o }} }}",
        f"ASK FROM <{other.engine(SHARED)}> {{ ?s ?p ?o }}",
        "ASK { GRAPH ?g { <urn:a> ?p ?o } }",
        "ASK { <urn:a> ?p ?o }",
        f"ASK {{ GRAPH <{BASE}/releases> {{ ?s ?p ?o }} }}",
    ):
        assert remote.query(query).boolean is False, query


def test_a_slow_query_is_abandoned_at_the_time_limit(
    release: Release, server: Engine, stores: tuple[Store, Store]
) -> None:
    quick = open_remote_store(server.query_url, release, 1.0)
    query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i "
    query += "FILTER(STRLEN(STR(?c)) + STRLEN(STR(?f)) + STRLEN(STR(?i)) < 0) }"
    started = time.monotonic()
    with pytest.raises(QueryTimeout) as stopped:
        quick.query(query)
    assert "query_timeout" in str(stopped.value)
    assert time.monotonic() - started < 5


def test_a_result_the_engine_cut_short_is_never_served_whole(virtuoso_engine, publish) -> None:
    release = publish(virtuoso_engine, "bundled")  # Virtuoso cuts results at 10000 rows
    store = open_remote_store(virtuoso_engine.query_url, release, 30.0)
    query = "SELECT * WHERE { ?s ?p ?o VALUES ?x { 1 2 3 4 5 6 7 8 9 10 } }"  # 14490 rows
    with pytest.raises(ResultTooLarge, match="the most the SPARQL engine returns"):
        store.query_serialized(query, "text/csv", row_limit=20000)
