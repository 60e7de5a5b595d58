"""Assemble a release's quads from the programmes built alone and the graphs built here.

Each programme's graph is its part's lines, sorted there; the shared graph is the union of
every part's share. The small graphs (shared, ontology, M49 regions, linksets) are rdflib
graphs here, because the link step reads and changes them, and are converted last.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from confgraph.build import BuiltDataset, Triple
from confgraph.iris import Iris
from confgraph.link.graphs import Linked, add_linked_graphs
from confgraph.parts import Part
from confgraph.quads import ReleaseQuads, nquads_lines, to_oxigraph, without_graph
from confgraph.store.convert import to_rdflib
from confgraph.vocab import ONTOLOGY_IRI


@dataclass(frozen=True)
class Assembled:
    """A release's quads, and the description of its reference and link graphs."""

    quads: ReleaseQuads
    linked: Linked


class ProgrammeGraphs:
    """The programmes' own graphs, each as its sorted N-Quads lines, by graph IRI."""

    def __init__(self, graphs: dict[str, bytes]) -> None:
        self.graphs = graphs

    def _triples(self) -> Iterator[bytes]:
        for name, lines in self.graphs.items():
            yield from without_graph(lines, name).splitlines(keepends=True)

    def subjects(self) -> set[str]:
        """Return the IRI of every subject of these graphs that is an IRI."""
        lines = self._triples()
        return {line[1 : line.index(b">")].decode() for line in lines if line[:1] == b"<"}

    def states(self, triples: Iterable[Triple]) -> set[Triple]:
        """Return those of the given triples that one of these graphs holds."""
        wanted = {_ntriples_line(t): t for t in triples}
        if not wanted:
            return set()
        return {wanted[line] for line in self._triples() if line in wanted}


def assemble(parts: Iterable[Part], ontology: Graph, data_dir: Path, iris: Iris) -> Assembled:
    """Return the quads of every graph of the release built from these parts."""
    shared_iri = iris.shared_graph()
    own, shared = split_parts(parts, str(shared_iri))
    small = BuiltDataset({shared_iri: _to_rdflib(shared), ONTOLOGY_IRI: set(ontology)})
    linked = add_linked_graphs(small, data_dir, iris, ProgrammeGraphs(own))
    memo: dict = {}
    converted = {str(name): nquads_lines(name, ts, memo) for name, ts in small.graphs.items()}
    return Assembled(ReleaseQuads.from_lines({**own, **converted}), linked)


def split_parts(parts: Iterable[Part], shared: str) -> tuple[dict[str, bytes], set[bytes]]:
    """Return each programme's own graph (its sorted lines) and the shared graph's lines."""
    own: dict[str, bytes] = {}
    common: set[bytes] = set()
    for part in parts:
        for name, lines in part.graphs:
            if name == shared:
                common.update(lines.splitlines(keepends=True))
            else:
                own[name] = lines  # a meeting's graph is one file's (the loader checks keys)
    return own, common


def _to_rdflib(lines: set[bytes]) -> set[Triple]:
    """Return N-Quads lines as rdflib triples, converting each distinct term once."""
    seen: dict[ox.Term, Node] = {}

    def term(node: ox.Term) -> Node:
        found = seen.get(node)
        if found is None:
            found = seen[node] = to_rdflib(node)
        return found

    quads = ox.parse(b"".join(lines), format=ox.RdfFormat.N_QUADS)
    return {(term(q.subject), term(q.predicate), term(q.object)) for q in quads}


def _ntriples_line(triple: Triple) -> bytes:
    terms = (to_oxigraph(term) for term in triple)
    return ox.serialize([ox.Triple(*terms)], format=ox.RdfFormat.N_TRIPLES)  # type: ignore[misc]
