"""A release's quads as sorted N-Quads lines, so that every dump is deterministic.

The lines are what Oxigraph's serializer writes; sorting them as bytes sorts the triples by
their N-Triples text (a term's text is never followed by a byte below the space that ends
it). Dumps are written from these bytes, or from the terms that Oxigraph parses back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from confgraph.chunks import subject_chunks
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


def nquads_lines(name: URIRef | str, triples: Iterable[Triple], memo: dict | None = None) -> bytes:
    """Return a graph of rdflib triples as its sorted N-Quads lines.

    A line is its terms as Oxigraph writes them (each converted once, through memo),
    joined as text: the lines Oxigraph's serializer gives, in 60% of the time (measured).
    """
    texts: dict[Node, str] = {} if memo is None else memo

    def text(node: Node) -> str:
        found = texts.get(node)
        if found is None:
            found = texts[node] = str(to_oxigraph(node))
        return found

    end = f" {ox.NamedNode(str(name))} .\n"
    lines = sorted([f"{text(s)} {text(p)} {text(o)}{end}" for s, p, o in triples])
    return "".join(lines).encode("utf-8")


def without_graph(lines: bytes, name: str) -> bytes:
    """Return the N-Quads lines of one named graph as the N-Triples lines of its triples.

    Every line ends with the graph's IRI, and no line holds a raw line break (N-Quads
    escapes it), so the IRI followed by the end of a line can only be a line's end.
    """
    return lines.replace(f" <{name}> .\n".encode(), b" .\n")


@dataclass(frozen=True)
class ReleaseQuads:
    """Every graph of a release as sorted N-Quads, and the merge of its data graphs."""

    nquads: bytes  # graph by graph in the order of their IRIs, lines sorted within each
    ntriples: bytes  # the data graphs (all but the ontology) merged: sorted, each triple once
    spans: tuple[tuple[str, int, int], ...] = ()  # each graph's IRI, where its lines start, end

    @classmethod
    def from_lines(cls, graphs: Mapping[str, bytes]) -> ReleaseQuads:
        """Join graphs given as their sorted N-Quads lines; empty graphs are left out."""
        names = sorted(name for name, lines in graphs.items() if lines)
        data = b"".join(without_graph(graphs[n], n) for n in names if n != str(ONTOLOGY_IRI))
        nquads = b"".join(graphs[name] for name in names)
        ends = list(accumulate(len(graphs[name]) for name in names))
        spans = tuple(zip(names, [0, *ends], ends, strict=False))
        return cls(nquads, merge_sorted_runs(data), spans)

    @classmethod
    def from_graphs(cls, graphs: Mapping[URIRef, Iterable[Triple]]) -> ReleaseQuads:
        """Convert named graphs of rdflib triples."""
        memo: dict[Node, Any] = {}
        return cls.from_lines({str(n): nquads_lines(n, ts, memo) for n, ts in graphs.items()})

    def data(self) -> Iterator[ox.Triple]:
        """Yield the merge of the data graphs as pyoxigraph triples, sorted, each once.

        The triples are parsed again on each call, as they are read: a list of a million
        of them would hold some 500 MB.
        """
        return ox.parse(self.ntriples, format=ox.RdfFormat.N_TRIPLES)

    def quads(self) -> Iterator[ox.Quad]:
        """Yield every quad, graph by graph."""
        return ox.parse(self.nquads, format=ox.RdfFormat.N_QUADS)

    def graph(self, name: str) -> bytes:
        """Return one graph's sorted N-Quads lines (none for a graph the release lacks)."""
        return next((self.nquads[s:e] for n, s, e in self.spans if n == name), b"")

    @cached_property
    def subject_chunks(self) -> list[tuple[str, int, int]]:
        """Return the chunks the merge's dumps are written by: key, start, end (see chunks)."""
        return subject_chunks(self.ntriples)

    @cached_property
    def digests(self) -> dict[str, str]:
        """Return the SHA-256 of each graph's lines (the manifest lists them)."""
        lines = memoryview(self.nquads)
        return {n: hashlib.sha256(lines[s:e]).hexdigest() for n, s, e in self.spans}

    def graph_sizes(self) -> dict[str, int]:
        """Return the number of triples of each graph."""
        return {name: self.nquads.count(b"\n", start, end) for name, start, end in self.spans}


def lines_about(lines: bytes, subject: bytes) -> list[bytes]:
    """Return the sorted N-Triples lines whose subject (as written) is this one: they lie
    together, found by bisection of the bytes (no list of a million lines is made)."""
    prefix = subject + b" "
    start = end = first_line_from(lines, prefix)
    found = []
    while lines.startswith(prefix, end):
        start, end = end, lines.index(b"\n", end) + 1
        found.append(lines[start:end])
    return found


def first_line_from(lines: bytes, key: bytes) -> int:
    """Return where the first of sorted lines not below key starts (len(lines): none)."""
    low, high = 0, len(lines)  # lines starting before low are below key; from high, not
    while low < high:
        start = lines.rfind(b"\n", low, (low + high) // 2) + 1 or low
        end = lines.index(b"\n", start) + 1
        if lines[start:end] < key:
            low = end
        else:
            high = start
    return low


def merge_sorted_runs(lines: bytes) -> bytes:
    """Return lines made of sorted runs (one per graph) sorted, each line once.

    The sort merges the runs it finds (a set would lose them: sorting it took five
    times as long at a million lines, measured).
    """
    ordered = lines.splitlines(keepends=True)
    ordered.sort()
    return b"".join(dict.fromkeys(ordered))
