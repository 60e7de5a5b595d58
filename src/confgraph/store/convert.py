"""pyoxigraph terms to the equal rdflib terms (for pages, small graphs and tests)."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

Triple = tuple[Node, Node, Node]


def to_rdflib(term: Any) -> Node:
    """Convert a pyoxigraph term to the equal rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unsupported term {term!r}")


def rdflib_triple(quad: Any) -> Triple:
    """Return the subject, predicate and object of a pyoxigraph triple or quad in rdflib."""
    return (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))
