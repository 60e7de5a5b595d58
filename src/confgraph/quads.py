"""A release's quads as pyoxigraph terms, sorted so that every dump is deterministic."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from confgraph.vocab import ONTOLOGY_IRI

Triple = tuple[Node, Node, Node]


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


def sorted_triples(graph: Iterable[Triple], memo: dict[Node, Any] | None = None) -> list[ox.Triple]:
    """Return a graph's triples as pyoxigraph triples in dump order.

    Terms recur (predicates, classes, agents): each is converted once, through memo.
    """
    memo = {} if memo is None else memo

    def convert(term: Node) -> Any:
        found = memo.get(term)
        if found is None:
            found = memo[term] = to_oxigraph(term)
        return found

    triples = [ox.Triple(convert(s), convert(p), convert(o)) for s, p, o in graph]
    triples.sort(key=triple_key)
    return triples


@dataclass(frozen=True)
class ReleaseQuads:
    """Every graph of a release, each as sorted triples, in the order of the graphs' IRIs."""

    graphs: tuple[tuple[str, list[ox.Triple]], ...]

    @classmethod
    def from_graphs(cls, graphs: Mapping[URIRef, Iterable[Triple]]) -> ReleaseQuads:
        """Convert named graphs of rdflib triples; empty graphs are left out."""
        memo: dict[Node, Any] = {}
        converted = ((str(n), sorted_triples(triples, memo)) for n, triples in graphs.items())
        return cls(tuple(sorted((name, ts) for name, ts in converted if ts)))

    def data(self) -> list[ox.Triple]:
        """Return the merge of the data graphs (all but the ontology), sorted, each triple once."""
        return self._merged

    @cached_property
    def _merged(self) -> list[ox.Triple]:
        data = [triples for name, triples in self.graphs if name != str(ONTOLOGY_IRI)]
        merged: list[ox.Triple] = []
        for triple in heapq.merge(*data, key=triple_key):
            if not merged or triple != merged[-1]:
                merged.append(triple)
        return merged

    def quads(self) -> Iterator[ox.Quad]:
        """Yield every quad, graph by graph."""
        for name, triples in self.graphs:
            graph = ox.NamedNode(name)
            for triple in triples:
                yield ox.Quad(triple.subject, triple.predicate, triple.object, graph)

    def graph_sizes(self) -> dict[str, int]:
        """Return the number of triples of each graph."""
        return {name: len(triples) for name, triples in self.graphs}
