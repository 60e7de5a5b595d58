"""The Store contract on every engine (and in query workers); limits; the web layer's imports."""

from __future__ import annotations

import ast
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from busyworker import SLOW, busy_worker
from loopback import listener
from rdflib import Literal, URIRef
from webfixture import GRAPH, ID, ONTOLOGY, M

from confgraph.errors import (
    ConfgraphError,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
)
from confgraph.store.base import DatasetSpec, Store
from confgraph.store.registry import ENGINES, open_store
from confgraph.store.release import Release
from confgraph.store.sandbox import SandboxedStore

WEB = Path(__file__).resolve().parents[2] / "src" / "confgraph" / "web"


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


def count(store: Store, query: str) -> int:
    return int(store.query(query).rows[0][0])


def test_from_in_the_query_text_makes_the_dataset(any_store: Store) -> None:
    in_ontology = count(
        any_store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ONTOLOGY}> {{ ?s ?p ?o }} }}"
    )
    everything = count(any_store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert 0 < in_ontology < everything
    assert (
        count(any_store, f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY}> WHERE {{ ?s ?p ?o }}")
        == in_ontology
    )
    assert any_store.query(f"ASK FROM <{ONTOLOGY}> {{ <{M}> ?p ?o }}").boolean is False
    assert any_store.query(f"ASK FROM <{GRAPH}> {{ GRAPH ?g {{ ?s ?p ?o }} }}").boolean is False


def test_from_named_alone_leaves_the_default_graph_empty(any_store: Store) -> None:
    assert any_store.query(f"ASK FROM NAMED <{GRAPH}> {{ ?s ?p ?o }}").boolean is False
    named = f"SELECT DISTINCT ?g FROM NAMED <{GRAPH}> WHERE {{ GRAPH ?g {{ <{M}> ?p ?o }} }}"
    assert any_store.query(named).rows == ((URIRef(GRAPH),),)


def test_select_star_order_ignores_comments_and_strings(any_store: Store) -> None:
    result = any_store.query(
        '# ?code first in a comment\nSELECT * WHERE { ?country ?p ?code FILTER(?p != "?p") }'
        " LIMIT 1"
    )
    assert result.variables == ("country", "p", "code")


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/\\u0073parql> { ?s ?p ?o } }",
    ],
)
def test_every_store_refuses_service(any_store: Store, query: str) -> None:
    with pytest.raises(QueryRefused, match="SERVICE"):
        any_store.query(query)


def test_every_store_reads_a_graph_outside_the_dataset_as_empty(any_store: Store) -> None:
    assert any_store.query("ASK FROM <http://example.org/other> { ?s ?p ?o }").boolean is False
    assert any_store.query("ASK FROM <file:///etc/passwd> { ?s ?p ?o }").boolean is False
    other = DatasetSpec(default=(URIRef("http://example.org/other"),))
    assert any_store.query("ASK { ?s ?p ?o }", other).boolean is False


def test_invalid_iris_are_simply_absent(any_store: Store) -> None:
    for text in ("<script>", "foo bar", 'x.ttl"', "{a|b}"):
        iri = URIRef(ID + "/" + text)
        assert any_store.exists(iri) is False
        assert len(any_store.describe(iri)) == 0
        assert any_store.labels([iri, URIRef(ID + "/country/bra")]).keys() == {
            URIRef(ID + "/country/bra")
        }


def test_lookup_answers_like_query(any_store: Store) -> None:
    query = f"SELECT ?p WHERE {{ <{M}> ?p ?o }} ORDER BY ?p"
    assert any_store.lookup(query) == any_store.query(query)


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
    # `confgraph publish` puts the release's VoID in the engine, as `build` puts it in its store
    # (the fixture's TriG dump has no VoID graph).
    void = {URIRef("https://w3id.org/confgraph/graph/void")}
    assert any_store.graphs() - void == {URIRef(GRAPH), URIRef(ONTOLOGY)}
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


HIDDEN_SERVICE = (
    'SELECT * WHERE {{ OPTIONAL {{ ?s ?p "\\u005c" }} SERVICE <{url}> {{ ?s ?p ?o }} }} #" }} }}'
)


def test_service_hidden_behind_an_escape_reaches_no_listener(any_store: Store) -> None:
    with listener() as found:
        result = any_store.query(HIDDEN_SERVICE.format(url=found.url))
    assert result.form == "SELECT"
    assert found.connections == []


CUT_AND_CALL = """
import sys, pyoxigraph as ox
from confgraph.store import sandbox
if sys.argv[1] == "namespace":
    if not sandbox.leave_network():
        print("unavailable"); sys.exit()
else:
    sandbox.forbid_new_descriptors()
try:
    list(ox.Store().query("SELECT * WHERE { SERVICE <%s> { ?s ?p ?o } }" % sys.argv[2]))
except OSError as error:
    print("refused:", error)
"""


@pytest.mark.parametrize("cut", ["namespace", "descriptors"])
def test_a_worker_without_network_cannot_call_a_service(cut: str) -> None:
    with listener() as found:
        out = subprocess.run(
            [sys.executable, "-c", CUT_AND_CALL, cut, found.url],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
    if out.stdout.strip() == "unavailable":
        pytest.skip("no network namespaces here")
    assert out.stdout.startswith("refused:"), out
    assert found.connections == []


def test_lookups_do_not_wait_for_busy_workers(release: Release) -> None:
    store = SandboxedStore("oxigraph", release.quads, workers=1, timeout=3.0)
    try:
        assert store.query("ASK {}").boolean is True
        with busy_worker(store) as stopped:
            started = time.monotonic()
            assert store.lookup(f"ASK {{ <{M}> ?p ?o }}").boolean is True
            assert time.monotonic() - started < 1
        assert len(stopped) == 1
    finally:
        store.close()


def _worker_pids(store: SandboxedStore) -> list[int]:
    return [w.process.pid for w in store._all if w.process.pid is not None]


def test_a_crashed_worker_is_a_clear_error_and_replaced(release: Release) -> None:
    store = SandboxedStore("oxigraph", release.quads, workers=1, timeout=10)
    try:
        assert store.query("ASK {}").boolean is True
        (pid,) = _worker_pids(store)
        threading.Timer(0.5, os.kill, (pid, signal.SIGKILL)).start()  # while it runs SLOW
        with pytest.raises(ConfgraphError, match="worker stopped"):
            store.query(SLOW)
        assert store.query("ASK {}").boolean is True
    finally:
        store.close()


def test_a_worker_killed_while_idle_is_replaced_before_a_query_needs_it(
    release: Release,
) -> None:
    store = SandboxedStore("oxigraph", release.quads, workers=1, timeout=10)
    try:
        assert store.query("ASK {}").boolean is True
        (pid,) = _worker_pids(store)
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.2)
        assert store.query("ASK {}").boolean is True  # no failed query
        assert _worker_pids(store) != [pid]
    finally:
        store.close()


def test_a_failed_replacement_does_not_shrink_the_pool(
    release: Release, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SandboxedStore("oxigraph", release.quads, workers=1, timeout=1.0)
    try:
        assert store.query("ASK {}").boolean is True

        def cannot_start() -> None:
            raise OSError("no more processes")

        monkeypatch.setattr(store, "_start", cannot_start)
        with pytest.raises(QueryTimeout):
            store.query(SLOW)
        with pytest.raises(OSError, match="no more processes"):
            store.query("ASK {}")
        monkeypatch.undo()
        assert store.query("ASK {}").boolean is True  # the slot was kept: a worker starts
    finally:
        store.close()


WARM_THEN_FORBID = """
import sys
from confgraph.store import sandbox
from confgraph.store.registry import open_store
store = open_store(sys.argv[1], sys.argv[2])
for query in sandbox.WARM_UP:
    store.query(query)
sandbox.forbid_new_descriptors()
for query in sys.argv[3:]:
    store.query(query)
print("answered")
"""


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_a_worker_without_descriptors_still_answers_every_form(
    engine: str, release: Release
) -> None:
    queries = [
        "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n) LIMIT 3",
        'SELECT (NOW() AS ?t) (MD5("a") AS ?h) (STRDT("1", <urn:t>) AS ?d) WHERE {}',
        "CONSTRUCT WHERE { ?s ?p ?o }",
        f"DESCRIBE <{M}>",
        "ASK { ?s ?p ?o MINUS { ?s a ?t } }",
    ]
    out = subprocess.run(
        [sys.executable, "-c", WARM_THEN_FORBID, engine, str(release.quads), *queries],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.stdout.strip() == "answered", out.stderr


def test_query_workers_are_offline(release: Release) -> None:
    if not Path("/proc/self/ns/net").exists():
        pytest.skip("needs Linux /proc")
    store = SandboxedStore("oxigraph", release.quads, workers=1, timeout=10)
    try:
        assert store.query("ASK {}").boolean is True
        (pid,) = _worker_pids(store)
        other_network = os.readlink(f"/proc/{pid}/ns/net") != os.readlink("/proc/self/ns/net")
        limits = Path(f"/proc/{pid}/limits").read_text()
        no_descriptors = any(
            line.startswith("Max open files") and line.split()[3] == "0"
            for line in limits.splitlines()
        )
        assert other_network or no_descriptors
    finally:
        store.close()
