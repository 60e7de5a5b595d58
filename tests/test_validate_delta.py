"""Validating only what a change reaches gives every result validating everything gives."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.namespace import SH
from test_shapes import VIOLATIONS, example, results

from confgraph.build import ONTOLOGY_FILE
from confgraph.quads import nquads_lines, without_graph
from confgraph.reach import MAX_FOCUS, reached, reaching, subjects
from confgraph.validate import SHAPES_DIR, load_shapes, validate_ntriples
from confgraph.validate_delta import looks_forward
from confgraph.vocab import ONTOLOGY_IRI


def ntriples(graph: Graph) -> bytes:
    """Return a graph as sorted N-Triples lines, as a release holds them."""
    return without_graph(nquads_lines("urn:g", graph), "urn:g")


def store_of(data: bytes, ontology: bytes) -> ox.Store:
    """Return a store laid out as a release's: the data merged, the ontology a graph."""
    store = ox.Store()
    store.bulk_load(data, ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    store.bulk_load(ontology, ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(ONTOLOGY_IRI)))
    return store


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


@pytest.fixture(scope="module")
def ontology() -> bytes:
    return ntriples(Graph().parse(ONTOLOGY_FILE))


@pytest.fixture(scope="module")
def published(ontology: bytes) -> tuple[bytes, ox.Store]:
    """Return the conforming example as a published release's data and store."""
    data = ntriples(example())
    return data, store_of(data, ontology)


@pytest.mark.parametrize(("shape", "path", "focus", "update"), VIOLATIONS)
def test_the_nodes_a_change_reaches_carry_every_result(
    shape: str,
    path: str,
    focus: str,
    update: str,
    shapes: Graph,
    ontology: bytes,
    published: tuple[bytes, ox.Store],
) -> None:
    """The example conforms without warnings, so every result of a changed example must
    be one of the nodes that reach a changed triple, found from what they reach."""
    before, store = published
    after = ntriples(example(update))
    changed = set(before.splitlines(keepends=True)) ^ set(after.splitlines(keepends=True))
    focus_nodes = reaching(store, subjects(changed))
    assert focus_nodes is not None
    everything = validate_ntriples(shapes, after, ontology)
    reach = reached(after, focus_nodes)
    assert reach is not None and len(reach) < len(after)
    found = validate_ntriples(shapes, reach, ontology, focus=focus_nodes)
    assert everything.violations
    assert results(found) == results(everything), everything.text()


def test_the_nodes_reaching_a_node_are_found_backwards_through_every_path() -> None:
    store = store_of(
        b"<urn:a> <urn:p> <urn:b> .\n<urn:b> <urn:p> <urn:c> .\n<urn:d> <urn:p> <urn:e> .\n",
        b"<urn:f> <urn:q> <urn:c> .\n",
    )
    assert reaching(store, {ox.NamedNode("urn:c")}) == ["urn:a", "urn:b", "urn:c", "urn:f"]
    assert reaching(store, {ox.NamedNode("urn:e")}) == ["urn:d", "urn:e"]


def test_a_blank_node_or_too_many_nodes_give_no_focus(monkeypatch: pytest.MonkeyPatch) -> None:
    store = store_of(b"_:x <urn:p> <urn:b> .\n<urn:a> <urn:p> <urn:b> .\n", b"")
    assert reaching(store, {ox.NamedNode("urn:b")}) is None
    assert reaching(store, {ox.BlankNode("x")}) is None
    monkeypatch.setattr("confgraph.reach.MAX_FOCUS", 1)
    chain = store_of(b"<urn:a> <urn:p> <urn:b> .\n", b"")
    assert reaching(chain, {ox.NamedNode("urn:b")}) is None
    assert MAX_FOCUS > 1000


def test_the_bundled_shapes_only_look_forward(shapes: Graph) -> None:
    """validate_delta relies on it: no inverse path, and SPARQL constraints that start at
    $this (their results are checked on every violating example above)."""
    assert not list(shapes.subject_objects(SH.inversePath))
    for query in shapes.objects(predicate=SH.select):
        assert "$this" in str(query) and "^" not in str(query)
    assert looks_forward(SHAPES_DIR)


def test_other_shapes_are_validated_whole(tmp_path: Path) -> None:
    (tmp_path / "mine.ttl").write_text((SHAPES_DIR / "confgraph-shapes.ttl").read_text())
    assert not looks_forward(tmp_path)
    assert not looks_forward((SHAPES_DIR, tmp_path))


def test_what_nodes_reach_follows_iris_and_blank_nodes_not_literals(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lines = [
        b'<urn:a> <urn:p> "<urn:c>" .\n',
        b"<urn:a> <urn:p> <urn:b> .\n",
        b'<urn:b> <urn:p> "1"^^<urn:d> .\n',
        b"<urn:b> <urn:q> _:x .\n",
        b"<urn:c> <urn:p> <urn:a> .\n",
        b"<urn:d> <urn:p> <urn:a> .\n",
        b'_:x <urn:p> "x" .\n',
    ]
    merged = b"".join(sorted(lines))
    assert reached(merged, ["urn:a"]) == b"".join(sorted(lines[:4] + lines[6:]))
    assert reached(merged, ["urn:c"]) == merged.replace(lines[5], b"")
    monkeypatch.setattr("confgraph.reach.MAX_REACHED", 2)
    assert reached(merged, ["urn:a"]) is None
