"""The rewrite of a query onto a release's engine graphs, read as text (no engine needed)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from confgraph.errors import QueryRefused
from confgraph.store.base import DatasetSpec
from confgraph.store.engine_graphs import NO_GRAPH, ReleaseGraphs
from confgraph.store.policy import read_shape
from confgraph.store.remote_describe import describe_resources, describe_targets
from confgraph.store.remote_query import rewrite

BASE = "https://w3id.org/confgraph"
A, SHARED = URIRef(BASE + "/graph/a"), URIRef(BASE + "/graph/shared")
ONTOLOGY = URIRef("https://w3id.org/confgraph/ontology")
GRAPHS = ReleaseGraphs.of(BASE, "r1", [A, SHARED, ONTOLOGY])
ENGINE_A = URIRef(BASE + "/release/r1/graph/a")


def engine_query(text: str, dataset: DatasetSpec | None = None, base: str | None = None):
    query = rewrite(read_shape(text), GRAPHS, dataset, base)
    ox.Store().query(query.text)  # still a well-formed query
    return query


def test_engine_names_are_the_release_s_own() -> None:
    assert GRAPHS.engine(A) == ENGINE_A
    assert GRAPHS.engine(ONTOLOGY) == URIRef(BASE + "/release/r1/ontology")
    assert GRAPHS.engine(URIRef("urn:other")) == NO_GRAPH
    outside = ReleaseGraphs.of("http://example.org/x", "r2", [ONTOLOGY])
    assert str(outside.engine(ONTOLOGY)).startswith("http://example.org/x/release/r2/external/")


def test_without_a_dataset_the_release_s_graphs_are_the_dataset() -> None:
    query = engine_query("SELECT * WHERE { ?s ?p ?o }")
    assert query.default == (GRAPHS.default,)
    assert set(query.named) == {*GRAPHS.to_engine.values(), NO_GRAPH}


def test_from_clauses_become_the_protocol_s_dataset() -> None:
    query = engine_query(
        f"PREFIX g: <{BASE}/graph/> SELECT * FROM g:a FROM NAMED <urn:x> WHERE {{ ?s ?p ?o }}"
    )
    assert "FROM" not in query.text
    assert query.default == (ENGINE_A,) and query.named == (NO_GRAPH,)


def test_the_protocol_dataset_replaces_from_clauses() -> None:
    query = engine_query(f"SELECT * FROM <{A}> {{ ?s ?p ?o }}", DatasetSpec(named=(SHARED,)))
    assert query.default == (NO_GRAPH,) and query.named == (GRAPHS.engine(SHARED), NO_GRAPH)


def test_graph_names_are_mapped_in_the_query() -> None:
    query = engine_query("BASE <https://w3id.org/confgraph/> ASK { GRAPH <graph/a> { ?s ?p ?o } }")
    assert f"GRAPH <{ENGINE_A}>" in query.text
    other = engine_query(f"ASK {{ GRAPH <{BASE}/release/r0/graph/a> {{ ?s ?p ?o }} }}")
    assert f"GRAPH <{NO_GRAPH}>" in other.text
    outside = engine_query(f"ASK FROM NAMED <{SHARED}> {{ GRAPH <{A}> {{ ?s ?p ?o }} }}")
    assert f"GRAPH <{NO_GRAPH}>" in outside.text  # a graph outside the dataset is empty


def test_graph_variables_join_the_public_names() -> None:
    query = engine_query("SELECT ?g WHERE { GRAPH ?g { GRAPH ?h { ?s ?p ?o } } FILTER(?g != ?h) }")
    assert query.text.count("VALUES") == 2 and len(query.helpers) == 2
    assert f"(<{ENGINE_A}> <{A}>)" in query.text
    assert "GRAPH ?g " not in query.text and "GRAPH ?h " not in query.text
    only_a = engine_query("SELECT * { GRAPH ?g { ?s ?p ?o } }", DatasetSpec(named=(A,)))
    assert f"(<{GRAPHS.engine(SHARED)}>" not in only_a.text


def test_strings_and_comments_are_left_alone() -> None:
    query = engine_query('SELECT ("GRAPH ?g { }" AS ?x) WHERE { } # FROM <urn:x>\n')
    assert '"GRAPH ?g { }"' in query.text and "# FROM <urn:x>" in query.text


def test_the_request_base_is_the_query_s_base() -> None:
    query = engine_query("SELECT * WHERE { <a> ?p ?o }", base="http://127.0.0.1:5000/sparql")
    assert query.text.startswith("BASE <http://127.0.0.1:5000/sparql>")


@pytest.mark.parametrize(
    "text",
    [
        "PREFIX bif: <bif:> SELECT (bif:sprintf('%d', 1) AS ?x) {}",
        "SELECT (<http://www.openlinksw.com/schemas/bif#sprintf>('%d', 1) AS ?x) {}",
    ],
)
def test_virtuoso_built_ins_are_refused(text: str) -> None:
    with pytest.raises(QueryRefused, match="engine-specific"):
        rewrite(read_shape(text), GRAPHS, None, None)


def test_a_describe_is_split_into_its_iris_and_a_select() -> None:
    prefix = "PREFIX id: <https://w3id.org/confgraph/id/> "
    shape = read_shape(prefix + "DESCRIBE id:a ?x <b> WHERE { ?x ?p ?o } LIMIT 2")
    targets = describe_targets(shape)
    assert targets.iris == (URIRef("https://w3id.org/confgraph/id/a"), URIRef("b"))
    assert targets.select is not None and targets.select.endswith(
        "SELECT DISTINCT ?x WHERE { ?x ?p ?o } LIMIT 2"
    )
    assert describe_targets(read_shape("DESCRIBE <urn:a>")).select is None
    ox.Store().query(targets.select)
    ox.Store().query(describe_resources([URIRef("urn:a")]))
