"""A JSON-LD 1.1 document: one node object per subject, IRIs compacted by the context."""

from __future__ import annotations

import itertools
import json
import operator
from collections.abc import Callable, Iterable
from typing import Any

import pyoxigraph as ox

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
PLAIN = frozenset({XSD_STRING, RDF_LANG_STRING})


class Compactor:
    """Shorten IRIs to prefix:local where the context names the IRI's namespace.

    The namespace is the IRI up to its last '#' or '/', as in every namespace of the
    dataset's context; an IRI in no named namespace stays whole (equally valid JSON-LD).
    IRIs recur (predicates, classes, agents): each is shortened once.
    """

    def __init__(self, context: dict[str, str]) -> None:
        self._prefixes = {namespace: prefix for prefix, namespace in context.items()}
        self._done: dict[str, str] = {}

    def __call__(self, iri: str) -> str:
        found = self._done.get(iri)
        if found is None:
            found = self._done[iri] = self._shorten(iri)
        return found

    def _shorten(self, iri: str) -> str:
        cut = max(iri.rfind("#"), iri.rfind("/")) + 1
        prefix = self._prefixes.get(iri[:cut])
        local = iri[cut:]
        return f"{prefix}:{local}" if prefix and local else iri


def jsonld_frame(context: dict[str, str]) -> tuple[bytes, bytes]:
    """Return what a {"@context", "@graph"} document starts and ends with; the node objects
    of its chunks (jsonld_nodes) go between, joined by commas."""
    head = '{\n  "@context": ' + json.dumps(context, indent=4, sort_keys=True) + ',\n  "@graph": ['
    return head.encode(), b"\n  ]\n}\n"


def jsonld_nodes(context: dict[str, str]) -> Callable[[bytes], bytes]:
    """Return the writer of the node objects of sorted N-Triples lines, one a line."""
    compact = Compactor(context)
    encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode

    def nodes(lines: bytes) -> bytes:
        triples = ox.parse(lines, format=ox.RdfFormat.N_TRIPLES)
        groups = itertools.groupby(triples, key=SUBJECT)
        text = ",".join("\n    " + encode(node_object(s, g, compact)) for s, g in groups)
        return text.encode()

    return nodes


SUBJECT = operator.attrgetter("subject")
PREDICATE = operator.attrgetter("predicate")


def node_object(subject: Any, triples: Iterable[ox.Triple], compact: Compactor) -> dict[str, Any]:
    """Return the node object of one subject's triples."""
    node: dict[str, Any] = {"@id": _reference(subject, compact)}
    for predicate, group in itertools.groupby(triples, key=PREDICATE):
        if predicate.value == RDF_TYPE:
            node["@type"] = sorted(_reference(t.object, compact) for t in group)
            continue
        # The triples come sorted, so the values come in a fixed order.
        node[compact(predicate.value)] = [_value(t.object, compact) for t in group]
    return node


def _reference(term: Any, compact: Compactor) -> str:
    return f"_:{term.value}" if type(term) is ox.BlankNode else compact(term.value)


def _value(term: Any, compact: Compactor) -> dict[str, str]:
    if type(term) is not ox.Literal:
        return {"@id": _reference(term, compact)}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    datatype = term.datatype.value
    if datatype in PLAIN:
        return {"@value": term.value}
    return {"@value": term.value, "@type": compact(datatype)}
