"""Read a JSON-LD document with pyld, the JSON-LD 1.1 processor for Python, into triples.

pyld shares no code with the dump's writer or with Oxigraph, so a triple it reads the same
is one any JSON-LD 1.1 consumer reads the same. Its blank nodes are relabelled (_:b0, ...).
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from pyld import jsonld

OPTIONS = {"processingMode": "json-ld-1.1", "base": None}


def pyld_triples(document: dict[str, Any]) -> list[ox.Triple]:
    """Return the default graph's triples pyld reads from document."""
    dataset = jsonld.to_rdf(document, OPTIONS)
    assert set(dataset) <= {"@default"}, "the document names a graph"
    return [
        ox.Triple(*map(term, (t["subject"], t["predicate"], t["object"])))
        for t in dataset.get("@default", [])
    ]


def term(node: dict[str, str]) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Return the Oxigraph term of one of pyld's RDF terms."""
    if node["type"] == "IRI":
        return ox.NamedNode(node["value"])
    if node["type"] == "blank node":
        return ox.BlankNode(node["value"][2:])
    if "language" in node:
        return ox.Literal(node["value"], language=node["language"])
    return ox.Literal(node["value"], datatype=ox.NamedNode(node["datatype"]))
