"""The Store contract on every engine (and in query workers); limits; the web layer's imports."""

from __future__ import annotations

import ast
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from webfixture import GRAPH, ID, M

from confgraph.errors import QueryRefused, QuerySyntaxError, QueryTimeout, ResultTooLarge
from confgraph.store.base import DatasetSpec, Store
from confgraph.store.registry import ENGINES, open_store
from confgraph.store.release import Release
from confgraph.store.sandbox import SandboxedStore

WEB = Path(__file__).resolve().parents[2] / "src" / "confgraph" / "web"
SLOW = (
    "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(8)) + " }"
)


@pytest.fixture(scope="module", params=[*sorted(ENGINES), "sandbox"])
def any_store(request: pytest.FixtureRequest, release: Release) -> Iterator[Store]:
    """Yield the fixture release in each engine, and in worker processes."""
    if request.param == "sandbox":
        store: Store = SandboxedStore("oxigraph", release.quads, workers=1, timeout=30)
    else:
        store = open_store(request.param, release.quads)
    yield store
    store.close()


def test_select_with_variables_in_query_order(any_store: Store) -> None:
    result = any_store.query(
        "SELECT * WHERE { ?country <https://w3id.org/confgraph/ontology#isoAlpha3> ?code }"
        " ORDER BY ?code"
    )
    assert result.variables == ("country", "code")
    assert result.rows == (
        (URIRef(ID + "/country/afg"), Literal("AFG")),
        (URIRef(ID + "/country/bra"), Literal("BRA")),
    )


def test_ask_construct_describe(any_store: Store) -> None:
    assert any_store.query(f"ASK {{ <{M}> ?p ?o }}").boolean is True
    graph = any_store.query(f"CONSTRUCT {{ <{M}> ?p ?o }} WHERE {{ <{M}> ?p ?o }}").graph()
    assert (URIRef(M), URIRef("https://w3id.org/confgraph/ontology#timeZone"), None) in graph
    described = any_store.query(f"DESCRIBE <{M}>")
    assert described.form == "DESCRIBE" and len(described.triples) > 3


def test_protocol_dataset_replaces_the_union(any_store: Store) -> None:
    ontology = URIRef("https://w3id.org/confgraph/ontology")
    only_ontology = DatasetSpec(default=(ontology,))
    assert any_store.query(f"ASK {{ <{M}> ?p ?o }}", only_ontology).boolean is False
    named = DatasetSpec(named=(URIRef(GRAPH),))
    assert any_store.query(f"ASK {{ GRAPH <{GRAPH}> {{ <{M}> ?p ?o }} }}", named).boolean is True
    assert any_store.query(f"ASK {{ <{M}> ?p ?o }}", named).boolean is False


def test_relative_iris_resolve_against_the_base(any_store: Store) -> None:
    result = any_store.query("CONSTRUCT { <s> <p> 1 } WHERE {}", base="http://host/sparql")
    assert result.triples[0][0] == URIRef("http://host/s")


def test_errors(any_store: Store) -> None:
    with pytest.raises(QuerySyntaxError, match="syntax error"):
        any_store.query("SELECT * WHERE {")
    with pytest.raises(QueryRefused, match="read-only"):
        any_store.query("DROP ALL")
    with pytest.raises(ResultTooLarge, match="row limit"):
        any_store.query("SELECT * WHERE { ?s ?p ?o }", row_limit=5)
    with pytest.raises(ResultTooLarge, match="triples"):
        any_store.query("CONSTRUCT WHERE { ?s ?p ?o }", row_limit=5)


def test_describe_exists_graphs_labels(any_store: Store) -> None:
    panel = URIRef(M + "/session/panel-1")
    described = any_store.describe(panel)
    assert (panel, URIRef("https://schema.org/superEvent"), None) in described
    assert (URIRef(M + "/statement/afg-at-panel-1"), None, panel) in described
    assert any_store.exists(panel) and any_store.exists(URIRef(ID + "/group/member-states"))
    assert not any_store.exists(URIRef(ID + "/nothing"))
    assert any_store.graphs() == {URIRef(GRAPH), URIRef("https://w3id.org/confgraph/ontology")}
    labels = any_store.labels([URIRef(ID + "/country/bra"), URIRef(ID + "/nothing")])
    assert set(labels) == {URIRef(ID + "/country/bra")}
    assert Literal("Brésil", lang="fr") in labels[URIRef(ID + "/country/bra")]


def test_a_query_past_the_time_limit_is_stopped_and_the_worker_replaced(release: Release) -> None:
    store = SandboxedStore("oxigraph", release.quads, workers=1, timeout=1.0)
    try:
        assert store.query("ASK {}").boolean is True  # the worker has loaded
        started = time.monotonic()
        with pytest.raises(QueryTimeout, match="time limit of 1 s"):
            store.query(SLOW)
        assert time.monotonic() - started < 5
        assert store.query("ASK {}").boolean is True  # a fresh worker answers
    finally:
        store.close()


def test_timeout_reaches_the_client_as_503(release: Release, settings) -> None:
    from confgraph.web.app import create_app

    store = SandboxedStore("oxigraph", release.quads, workers=1, timeout=1.0)
    try:
        client = create_app(settings, store, release).test_client()
        response = client.get("/sparql", query_string={"query": SLOW})
        assert response.status_code == 503
        assert "time limit" in response.get_data(as_text=True)
    finally:
        store.close()


def test_unknown_engine_is_named() -> None:
    with pytest.raises(Exception, match="known engines: oxigraph, rdflib"):
        open_store("virtuoso", "x.trig")


def test_web_source_imports_nothing_from_the_pipeline() -> None:
    for path in WEB.glob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                assert not name.startswith(
                    ("confgraph.load", "confgraph.build", "confgraph.link")
                ), f"{path.name} imports {name}"


def test_loading_the_web_layer_loads_no_pipeline_module() -> None:
    code = (
        "import sys, confgraph.web, confgraph.web.commands;"
        "print(sorted(m for m in sys.modules if m.split('.')[:2] in"
        " (['confgraph','load'], ['confgraph','build'], ['confgraph','link'])))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
