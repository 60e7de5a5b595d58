"""Publishing releases into a real Oxigraph server: verified, switched last, old ones dropped,
and an interrupted or wrong load never touches the served release."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from engines import Engine as Running
from rdflib import URIRef
from remoteengine import KINDS, fresh, targets

from confgraph.errors import EngineUnavailable, ReleaseError
from confgraph.iris import Iris
from confgraph.pipeline import run_build
from confgraph.store import remote_publish
from confgraph.store.engine_graphs import ReleaseGraphs, loaded_releases, served_release
from confgraph.store.registry import open_remote_store
from confgraph.store.release import Release
from confgraph.store.remote_publish import (
    Engine,
    batches,
    count_triples,
    publish_release,
    read_pointer,
)
from confgraph.store.sparql_http import Endpoint

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/confgraph"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Release, Release]:
    """Build two different releases: the repository's data and the small golden data."""
    first = run_build(ROOT / "data", tmp_path_factory.mktemp("pub-a"), Iris())
    second = run_build(ROOT / "tests" / "golden" / "mini", tmp_path_factory.mktemp("pub-b"), Iris())
    return Release.open(first), Release.open(second)


@pytest.fixture(scope="module", params=KINDS)
def server(request: pytest.FixtureRequest, fresh_engine) -> Iterator[Running]:
    """Run a new engine of each kind; the tests below publish into it one after another."""
    with fresh(fresh_engine, request.param) as engine:
        yield engine


def engine_of(server: Running, graph_store: bool = True) -> Engine:
    """Return the engine's publishing targets (graph store and update, or update alone)."""
    return targets(server, graph_store)


def served(server: Running) -> str | None:
    return served_release(read_pointer(Endpoint.at(server.query_url, 10), BASE), BASE)


def default_count(server: Running, release: Release) -> int:
    result = open_remote_store(server.query_url, release, 10).query(COUNT)
    return int(result.rows[0][0])  # type: ignore[arg-type]


def test_publish_loads_verifies_and_switches(
    server: Running, releases: tuple[Release, Release]
) -> None:
    release = releases[0]
    assert served(server) is None
    done = publish_release(release, engine_of(server), 2, lambda _: None)
    assert done.loaded and served(server) == release.release_id
    graphs = ReleaseGraphs.of_release(release)
    query = Endpoint.at(server.query_url, 10)
    expected = remote_publish.expected_counts(release, graphs)
    assert set(expected) >= {graphs.default, graphs.engine(URIRef(BASE + "/graph/shared"))}
    for graph, count in expected.items():
        assert count_triples(query, graph) == count > 0
    assert default_count(server, release) == expected[graphs.default]
    again = publish_release(release, engine_of(server), 2, lambda _: None)
    assert not again.loaded and served(server) == release.release_id


def test_publish_through_update_alone_then_drop_old_releases(
    server: Running, releases: tuple[Release, Release]
) -> None:
    first, second = releases
    assert served(server) == first.release_id
    publish_release(second, engine_of(server, graph_store=False), 2, lambda _: None)
    assert served(server) == second.release_id
    graphs = ReleaseGraphs.of_release(second)
    expected = remote_publish.expected_counts(second, graphs)
    assert default_count(server, second) == expected[graphs.default]
    pointer = read_pointer(Endpoint.at(server.query_url, 10), BASE)
    assert set(loaded_releases(pointer, BASE)) == {first.release_id, second.release_id}
    assert default_count(server, first) > 0  # kept: a server still on it goes on answering
    done = publish_release(second, engine_of(server), 1, lambda _: None)
    assert done.dropped == (first.release_id,)
    assert default_count(server, first) == 0
    old = ReleaseGraphs.of_release(first)
    query = Endpoint.at(server.query_url, 10)
    assert all(count_triples(query, g) == 0 for g in old.all_engine_graphs())
    pointer = read_pointer(Endpoint.at(server.query_url, 10), BASE)
    assert set(loaded_releases(pointer, BASE)) == {second.release_id}
    publish_release(first, engine_of(server), 2, lambda _: None)  # for the next tests
    assert served(server) == first.release_id


def test_a_count_that_differs_from_void_is_never_switched_in(
    server: Running, releases: tuple[Release, Release], tmp_path: Path
) -> None:
    first, second = releases
    assert served(server) == first.release_id
    copy = tmp_path / second.path.name
    shutil.copytree(second.path, copy, ignore=shutil.ignore_patterns("store"))
    void = copy / "void.ttl"
    text = void.read_text("utf-8")
    graphs = ReleaseGraphs.of_release(second)
    count = remote_publish.expected_counts(second, graphs)[graphs.default]
    void.write_text(text.replace(f"void:triples {count} ", f"void:triples {count + 1} "), "utf-8")
    with pytest.raises(ReleaseError, match="not switched in"):
        publish_release(Release.open(copy), engine_of(server), 2, lambda _: None)
    assert served(server) == first.release_id


def test_an_engine_killed_mid_load_leaves_the_served_release(
    server: Running,
    releases: tuple[Release, Release],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, second = releases
    assert served(server) == first.release_id
    before = default_count(server, first)
    real_send = remote_publish.send_batch
    calls = []

    def send_then_crash(engine: Engine, target: URIRef, batch: list, replace: bool) -> None:
        calls.append(target)
        if len(calls) == 3:  # the pointer, then one graph: the engine dies under the load
            server.kill()
        real_send(engine, target, batch, replace)

    monkeypatch.setattr(remote_publish, "send_batch", send_then_crash)
    with pytest.raises(EngineUnavailable, match="cannot be reached"):
        publish_release(second, engine_of(server), 2, lambda _: None)
    monkeypatch.setattr(remote_publish, "send_batch", real_send)
    server.restart()
    assert served(server) == first.release_id
    assert default_count(server, first) == before
    publish_release(second, engine_of(server), 2, lambda _: None)  # the retry completes
    assert served(server) == second.release_id


def test_batches_never_cut_a_graph_with_blank_nodes() -> None:
    import pyoxigraph as ox

    named = [
        ox.Triple(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal("o"))
        for i in range(5)
    ]
    blank = ox.Triple(ox.BlankNode("b"), ox.NamedNode("urn:p"), ox.Literal("o"))
    assert [len(b) for b in batches(named, 2)] == [2, 2, 1]
    assert [len(b) for b in batches([*named[:2], blank, *named], 2)] == [2, 6]
