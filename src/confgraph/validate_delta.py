"""What a change can make invalid: the focus nodes that reach a changed triple.

confgraph's shapes only look forward from a focus node: along property paths without
`sh:inversePath`, and in SPARQL constraints that start at `$this` (checked on every
violating example by tests/test_validate_delta.py). A node's results therefore depend
only on the triples it reaches, and a node that reaches no changed triple keeps the
results it had in the published release, which conformed. So when only a few graphs
changed, the nodes from which a changed triple's subject can be reached (walking the
published store's merge and ontology backwards) are validated, against the whole new
data; the others need not be. A validation that finds anything is repeated over every
node, for the whole report.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from confgraph.delta import Delta
from confgraph.quads import lines_about
from confgraph.store.disk import open_read_only
from confgraph.validate import SHAPES_DIR, ShapesDirs, shape_files
from confgraph.vocab import ONTOLOGY_IRI

# Beyond this many nodes to validate again, validating all of them costs no more.
MAX_FOCUS = 50_000
# Beyond this many lines reached from them, the whole data is given to the engine.
MAX_REACHED = 300_000


def looks_forward(shapes_dir: ShapesDirs) -> bool:
    """Tell whether the shapes are confgraph's own, which only look forward (see above)."""
    return shape_files(shapes_dir) == shape_files(SHAPES_DIR)


def affected_nodes(delta: Delta) -> list[str] | None:
    """Return every node that reaches the subject of a triple the delta adds or removes,
    sorted; None when the change reaches too many, or a blank node (it can't be named)."""
    return reaching(open_read_only(delta.base_store), subjects(delta.changed_triples()))


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



def reached(merged: bytes, nodes: Iterable[str]) -> bytes | None:
    """Return the lines of sorted N-Triples that the nodes reach (their own, then those of
    every node their objects name, and so on): all a forward-looking shape can read.
    None when that is more than MAX_REACHED lines (the whole data costs no more)."""
    lines = merged.splitlines(keepends=True)
    frontier = [f"<{node}>".encode() for node in nodes]
    seen, found = set(frontier), []
    while frontier:
        for line in lines_about(lines, frontier.pop()):
            found.append(line)
            term = _object_node(line)
            if term is not None and term not in seen:
                seen.add(term)
                frontier.append(term)
        if len(found) > MAX_REACHED:
            return None
    return b"".join(sorted(found))


def _object_node(line: bytes) -> bytes | None:
    """Return the IRI or blank node an N-Triples line's object is, None for a literal."""
    start = line.index(b"> ", line.index(b" ") + 1) + 2  # past the subject and predicate
    if line[start : start + 1] == b"<" or line[start : start + 2] == b"_:":
        return line[start : line.rindex(b" .")]
    return None
