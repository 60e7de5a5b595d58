"""Walking a release's merged data from changed triples: the nodes that reach them (in
the published store), and the lines that nodes reach (in the new data's sorted lines).

Both serve a build from the published release: what its validation and its tables must
make again (confgraph.validate_delta, confgraph.rows_delta).
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from confgraph.delta import Delta
from confgraph.quads import lines_about
from confgraph.store.disk import open_read_only
from confgraph.vocab import ONTOLOGY_IRI

# Beyond this many nodes to validate again, validating all of them costs no more.
MAX_FOCUS = 50_000
# Beyond this many lines reached from them, the whole data is given to the engine.
MAX_REACHED = 300_000


def affected_nodes(delta: Delta, store: ox.Store | None = None) -> list[str] | None:
    """Return every node that reaches the subject of a triple the delta adds or removes, in
    the published store, sorted; None when the change reaches too many, or a blank node."""
    published = open_read_only(delta.base_store) if store is None else store
    return reaching(published, subjects(delta.changed_triples()))


def subjects(lines: Iterable[bytes]) -> set[ox.Term]:
    """Return the subjects of N-Triples lines."""
    return {t.subject for t in ox.parse(b"".join(lines), format=ox.RdfFormat.N_TRIPLES)}


def reaching(store: ox.Store, targets: Iterable[ox.Term]) -> list[str] | None:
    """Return the IRIs of the targets and of every node with a path to one of them in the
    store's default graph or ontology graph, sorted; None when there are too many, or when
    one is a blank node (a focus node is given by its IRI)."""
    graphs = (ox.DefaultGraph(), ox.NamedNode(str(ONTOLOGY_IRI)))
    seen = set(targets)
    if any(not isinstance(node, ox.NamedNode) for node in seen):
        return None
    frontier = list(seen)
    while frontier:
        node = frontier.pop()
        for graph in graphs:
            for quad in store.quads_for_pattern(None, None, node, graph):
                if quad.subject not in seen:
                    if not isinstance(quad.subject, ox.NamedNode) or len(seen) >= MAX_FOCUS:
                        return None
                    seen.add(quad.subject)
                    frontier.append(quad.subject)
    return sorted(node.value for node in seen)  # type: ignore[attr-defined]


def reached(merged: bytes, nodes: Iterable[str], along: str | None = None) -> bytes | None:
    """Return the lines of sorted N-Triples that the nodes reach: their own, then those of
    every node their objects name, and so on (all a forward-looking shape can read). With
    `along`, past the nodes they name only `along` links are followed (what a table's row
    reads, see records.SUPER_EVENT). None beyond MAX_REACHED lines (the whole data costs
    no more)."""
    link = None if along is None else f"<{along}>".encode()
    frontier = [(f"<{node}>".encode(), True) for node in nodes]  # (node, any link onward)
    seen, found = {node for node, _ in frontier}, []
    while frontier:
        node, any_link = frontier.pop()
        for line in lines_about(merged, node):
            found.append(line)
            term = _object_node(line)
            if term is None or term in seen:
                continue
            if any_link or link is None or _predicate(line) == link:
                seen.add(term)
                frontier.append((term, False))
        if len(found) > MAX_REACHED:
            return None
    return b"".join(sorted(found))


def _predicate(line: bytes) -> bytes:
    """Return an N-Triples line's predicate, as written."""
    start = line.index(b" ") + 1
    return line[start : line.index(b" ", start)]


def _object_node(line: bytes) -> bytes | None:
    """Return the IRI or blank node an N-Triples line's object is, None for a literal."""
    start = line.index(b"> ", line.index(b" ") + 1) + 2  # past the subject and predicate
    if line[start : start + 1] == b"<" or line[start : start + 2] == b"_:":
        return line[start : line.rindex(b" .")]
    return None
