"""The Store contract on the bundled release: every store gives the embedded store's answers.

The repository's data is built once and served from the TriG dump in memory (rdflib), from
the release's on-disk Oxigraph store, and, published by `confgraph publish`, from a real
Oxigraph server and a real Virtuoso 7: the W3C protocol manifest's cases, the researcher
queries of the benchmark, counts over the default graph and by graph, every agenda, and
DESCRIBE of a resource of every type must be the same on each.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from engines import Engine
from flask import Flask
from rdflib import RDF, URIRef
from rdflib.compare import isomorphic
from test_web_w3c_protocol import CASES, Case, check_case

from confgraph.errors import ResultTooLarge
from confgraph.settings import Settings
from confgraph.store.base import Store
from confgraph.store.registry import open_remote_store, open_store
from confgraph.store.release import Release
from confgraph.vocab import CG
from confgraph.web.agenda import read_agenda
from confgraph.web.app import create_app

REMOTE_ENGINES = {"remote-oxigraph-server": "oxigraph_engine", "remote-virtuoso": "virtuoso_engine"}
VOID = "https://w3id.org/confgraph/graph/void"
BENCH = Path(__file__).resolve().parents[2] / "bench" / "queries.py"
STORES = ["rdflib", "oxigraph", *REMOTE_ENGINES]
COUNTS = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY ?class",
    "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p",
    # The VoID graph is left out: the rdflib engine reads only the TriG dump, which lacks it.
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <" + VOID + ">) }"
    " GROUP BY ?g ORDER BY ?g",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(isLiteral(?o) && LANG(?o) != '') }",
    "SELECT ?d (COUNT(*) AS ?n) WHERE { ?s ?p ?o BIND(DATATYPE(?o) AS ?d) FILTER(isLiteral(?o)) }"
    " GROUP BY ?d ORDER BY ?d",
)


@pytest.fixture(scope="module")
def bundled(release_named: Callable[[str], Release]) -> Release:
    """Return the release of the repository's data."""
    return release_named("bundled")


@pytest.fixture(scope="module")
def reference(bundled: Release) -> Iterator[Store]:
    """Return the embedded store of the bundled release, whose answers the others must give."""
    store = open_store("oxigraph", bundled.store)
    yield store
    store.close()


@pytest.fixture(scope="module", params=STORES)
def contract_store(
    request: pytest.FixtureRequest, bundled: Release, publish: Callable[[Engine, str], Release]
) -> Iterator[Store]:
    """Yield the bundled release in each store: in memory, on disk, in each real engine."""
    if request.param in REMOTE_ENGINES:
        engine = request.getfixturevalue(REMOTE_ENGINES[request.param])
        store = open_remote_store(engine.query_url, publish(engine, "bundled"), 30.0)
    elif request.param == "rdflib":
        store = open_store("rdflib", bundled.quads)
    else:
        store = open_store("oxigraph", bundled.store)
    yield store
    store.close()


def researcher_queries(reference: Store) -> list[tuple[str, str, bool]]:
    """Return the benchmark's six queries (name, text, graph?) for a person of the data."""
    spec = importlib.util.spec_from_file_location("bench_queries", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    person = reference.query(
        "SELECT ?p WHERE { ?p a <http://xmlns.com/foaf/0.1/Person> } ORDER BY ?p LIMIT 1"
    ).rows[0][0]
    return [(q.name, q.text, q.graph) for q in module.researcher_queries(str(person))]


@pytest.mark.parametrize("query", COUNTS)
def test_counts_are_the_same(
    contract_store: Store, reference: Store, query: str, request: pytest.FixtureRequest
) -> None:
    expected = reference.query(query).rows
    assert expected and expected != ((None,),)
    if "DATATYPE" in query and request.node.callspec.params["contract_store"] == "remote-virtuoso":
        # Virtuoso: DATATYPE of a tagged literal is unbound, not rdf:langString (V17).
        expected = tuple((None if d == RDF.langString else d, n) for d, n in expected)
    assert contract_store.query(query).rows == expected


def test_researcher_queries_are_the_same(contract_store: Store, reference: Store) -> None:
    for name, text, graph in researcher_queries(reference):
        expected, found = reference.query(text), contract_store.query(text)
        if graph:
            assert len(expected.triples) > 0, name
            assert isomorphic(found.graph(), expected.graph()), name
        elif "ORDER BY" in text:
            assert found.rows == expected.rows, name
        else:  # no order asked: the same rows in any order
            assert sorted(found.rows, key=repr) == sorted(expected.rows, key=repr), name


def test_every_agenda_is_the_same(contract_store: Store, reference: Store) -> None:
    meetings = reference.query(
        f"SELECT ?m ?g WHERE {{ GRAPH ?g {{ ?m a <{CG.Meeting}> }} }} ORDER BY ?m"
    ).rows
    assert meetings
    for meeting, graph in meetings:
        expected = read_agenda(reference, meeting, graph)
        assert expected is not None and expected.days
        assert read_agenda(contract_store, meeting, graph) == expected


def test_describe_of_every_resource_type_is_the_same(
    contract_store: Store, reference: Store
) -> None:
    firsts = reference.query(
        "SELECT ?class (MIN(STR(?s)) AS ?first) WHERE { ?s a ?class FILTER(isIRI(?s)) }"
        " GROUP BY ?class ORDER BY ?class"
    ).rows
    assert len(firsts) > 5
    for _, first in firsts:
        iri = URIRef(str(first))
        expected = reference.describe(iri)
        assert len(expected) > 0, iri
        assert isomorphic(contract_store.describe(iri), expected), iri
        described = contract_store.query(f"DESCRIBE <{iri}>").graph()
        assert isomorphic(described, reference.query(f"DESCRIBE <{iri}>").graph()), iri


def test_graphs_and_labels_are_the_same(contract_store: Store, reference: Store) -> None:
    data = {g for g in reference.graphs() if "/graph/" in str(g) and not str(g).endswith("void")}
    assert data <= contract_store.graphs()
    people = [
        row[0]
        for row in reference.query(
            "SELECT ?p WHERE { ?p a <http://xmlns.com/foaf/0.1/Person> } ORDER BY ?p LIMIT 50"
        ).rows
    ]
    expected = reference.labels(people)
    assert expected
    found = contract_store.labels(people)
    assert {k: sorted(v) for k, v in found.items()} == {k: sorted(v) for k, v in expected.items()}


@pytest.fixture(scope="module")
def contract_app(contract_store: Store, bundled: Release) -> Flask:
    """Return the application over each store of the bundled release."""
    app = create_app(Settings(query_workers=0), contract_store, bundled)
    app.config["TESTING"] = True
    return app


# The cases that name the suite's own data (data1.rdf ...) run in test_web_w3c_protocol.
RELEASE_CASES = [
    c
    for c in CASES
    if not any(f"data{i}.rdf" in unquote(c.path) + str(c.body) for i in (1, 2, 3))
]


def test_most_manifest_cases_run_on_the_release() -> None:
    assert 20 < len(RELEASE_CASES) < len(CASES)


@pytest.mark.parametrize("case", RELEASE_CASES, ids=[c.name for c in RELEASE_CASES])
def test_protocol_manifest_case(contract_app: Flask, case: Case) -> None:
    check_case(contract_app, case)


# Virtuoso's result cap (docs/engines.md, V4): the tests' Virtuoso keeps Debian's 10000.
MANY = "SELECT ?s ?x WHERE { ?s ?p ?o VALUES ?x { 1 2 3 4 5 6 7 8 9 10 11 12 } }"
MANY_TRIPLES = "CONSTRUCT { ?s ?p ?x } WHERE { ?s ?p ?o VALUES ?x { 1 2 3 4 5 6 7 8 9 10 11 12 } }"


@pytest.fixture(scope="module")
def virtuoso_store(
    virtuoso_engine: Engine, publish: Callable[[Engine, str], Release]
) -> Iterator[Store]:
    """Yield the remote store over Virtuoso with the bundled release."""
    store = open_remote_store(virtuoso_engine.query_url, publish(virtuoso_engine, "bundled"), 30)
    yield store
    store.close()


@pytest.mark.parametrize("query", [MANY, MANY_TRIPLES])
def test_a_result_virtuoso_cuts_is_never_served_as_whole(
    virtuoso_store: Store, reference: Store, query: str
) -> None:
    result = reference.query(query)
    assert len(result.triples or result.rows) > 10_000  # past Virtuoso's cap, under the limit
    with pytest.raises(ResultTooLarge, match="ResultSetMaxRows"):
        virtuoso_store.query(query, row_limit=100_000)
    with pytest.raises(ResultTooLarge, match="ResultSetMaxRows"):
        media_type = "application/sparql-results+json" if query == MANY else "text/turtle"
        virtuoso_store.query_serialized(query, media_type, row_limit=100_000)


def test_under_virtuoso_cap_the_row_limit_still_speaks(virtuoso_store: Store) -> None:
    with pytest.raises(ResultTooLarge, match="row_limit"):
        virtuoso_store.query(MANY, row_limit=100)
    assert len(virtuoso_store.query(MANY + " LIMIT 9999", row_limit=10_000).rows) == 9999
    with pytest.raises(ResultTooLarge, match="row_limit"):
        virtuoso_store.query(MANY_TRIPLES, row_limit=100)
