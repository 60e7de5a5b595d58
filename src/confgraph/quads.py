"""A release's quads as pyoxigraph terms, sorted so that every dump is deterministic."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from confgraph.vocab import ONTOLOGY_IRI


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term to the equal pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        datatype = term.datatype or XSD.string
        return ox.Literal(str(term), datatype=ox.NamedNode(str(datatype)))
    raise TypeError(f"unsupported term {term!r}")


def triple_key(triple: ox.Triple | ox.Quad) -> str:
    """Return the order of triples in the dumps: their N-Triples line."""
    return f"{triple.subject} {triple.predicate} {triple.object}"


def sorted_triples(graph: Iterable[tuple[Node, Node, Node]]) -> list[ox.Triple]:
    """Return a graph's triples as pyoxigraph triples in dump order."""
    triples = [ox.Triple(*(to_oxigraph(term) for term in triple)) for triple in graph]
    triples.sort(key=triple_key)
    return triples


@dataclass(frozen=True)
class ReleaseQuads:
    """Every graph of a release, each as sorted triples, in the order of the graphs' IRIs."""

    graphs: tuple[tuple[str, list[ox.Triple]], ...]

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> ReleaseQuads:
        """Convert an rdflib dataset's non-empty named graphs."""
        graphs = {str(g.identifier): g for g in dataset.graphs() if len(g) and _named(g)}
        return cls(tuple((name, sorted_triples(graphs[name])) for name in sorted(graphs)))

    def data(self) -> Iterator[ox.Triple]:
        """Yield the merge of the data graphs (all but the ontology), sorted, each triple once."""
        data = [triples for name, triples in self.graphs if name != str(ONTOLOGY_IRI)]
        previous = None
        for triple in heapq.merge(*data, key=triple_key):
            if triple != previous:
                yield triple
            previous = triple

    def quads(self) -> Iterator[ox.Quad]:
        """Yield every quad, graph by graph."""
        for name, triples in self.graphs:
            graph = ox.NamedNode(name)
            for triple in triples:
                yield ox.Quad(triple.subject, triple.predicate, triple.object, graph)

    def graph_sizes(self) -> dict[str, int]:
        """Return the number of triples of each graph."""
        return {name: len(triples) for name, triples in self.graphs}


def _named(graph: Graph) -> bool:
    """Tell whether a graph is a named graph (not rdflib's default graph)."""
    name = graph.identifier
    return isinstance(name, URIRef) and not name.startswith("urn:x-rdflib")
