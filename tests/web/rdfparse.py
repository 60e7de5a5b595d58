"""Parse what the server sends with pyoxigraph: a parser independent of rdflib's serializers."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph

from confgraph.store.convert import to_rdflib

FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "json-ld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}


def parse_rdf(data: str | bytes, rdflib_format: str, base: str = "http://localhost/") -> Graph:
    """Parse a serialization (named by rdflib's format name) into an rdflib Graph."""
    raw = data.encode() if isinstance(data, str) else data
    graph = Graph()
    for quad in ox.parse(raw, format=FORMATS[rdflib_format], base_iri=base):
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph
