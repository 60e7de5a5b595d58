"""A JSON-LD 1.1 document: one node object per subject, IRIs compacted by the context."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from json.encoder import encode_basestring  # type: ignore[attr-defined]

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
    values = Values(Compactor(context))

    def nodes(lines: bytes) -> bytes:
        return ",".join("\n    " + node for node in node_texts(lines, values)).encode()

    return nodes


def node_texts(lines: bytes, values: Values) -> Iterator[str]:
    """Yield the node object of each subject of sorted N-Triples lines, as JSON.

    The lines are cut as text, not parsed (a million of them: 4.0 s instead of 9.5,
    measured), at line feeds only: a literal may hold U+2028, which str.splitlines cuts.
    """
    members: dict[str, str] = {}
    current = predicate = ""
    found: list[str] = []
    for line in lines.decode("utf-8").split("\n")[:-1]:
        cut = line.index(" ")
        end = line.index(" ", cut + 1)
        subject, iri = line[:cut], line[cut + 2 : end - 1]
        if iri != predicate or subject != current:
            if found:
                values.add(members, predicate, found)
            if subject != current:
                if members:
                    yield object_text(members)
                current, members = subject, {"@id": values.reference(subject)}
            predicate, found = iri, []
        found.append(line[end + 1 : -2])
    if found:
        values.add(members, predicate, found)
        yield object_text(members)


def object_text(members: dict[str, str]) -> str:
    """Return a node object of members given as JSON texts, its keys sorted (the text
    json.dumps(..., ensure_ascii=False, sort_keys=True) gives)."""
    return "{" + ", ".join(quoted(k) + ": " + v for k, v in sorted(members.items())) + "}"


# What an N-Triples string may hold that JSON writes otherwise: a \u or \U escape (JSON's
# writer gives DEL as is and other controls in lower case), or a raw control character.
NOT_JSON = re.compile(r"\\[^\"\\nrtbf]|[\x00-\x1f]")


class Values:
    """The JSON texts of the terms of N-Triples lines, as node objects give them; an IRI's
    once, as it recurs."""

    def __init__(self, compact: Compactor) -> None:
        self.compact = compact
        self._names: dict[str, str] = {}
        self._references: dict[str, str] = {}

    def name(self, term: str) -> str:
        """Return what an IRI (<...>) compacts to, or a blank node (_:...) as it is."""
        found = self._names.get(term)
        if found is None:
            found = self._names[term] = self.compact(term[1:-1]) if term[0] == "<" else term
        return found

    def reference(self, term: str) -> str:
        """Return the JSON string of an IRI or a blank node, compacted."""
        found = self._references.get(term)
        if found is None:
            found = self._references[term] = quoted(self.name(term))
        return found

    def add(self, members: dict[str, str], predicate: str, terms: list[str]) -> None:
        """Add to a node object's members the values of one predicate (its types, sorted)."""
        if predicate == RDF_TYPE:
            types = sorted(map(self.name, terms))
            members["@type"] = "[" + ", ".join(map(quoted, types)) + "]"
        elif len(terms) == 1:
            members[self.compact(predicate)] = "[" + self.value(terms[0]) + "]"
        else:  # the lines come sorted, so the values come in a fixed order
            members[self.compact(predicate)] = "[" + ", ".join(map(self.value, terms)) + "]"

    def value(self, term: str) -> str:
        """Return the JSON value object of a term (its keys sorted)."""
        if not term.startswith('"'):
            return '{"@id": ' + self.reference(term) + "}"
        end = term.rindex('"') + 1
        text, suffix = term[:end], term[end:]
        if NOT_JSON.search(text):
            text = quoted(_lexical(text))
        if suffix.startswith("@"):
            return '{"@language": ' + quoted(suffix[1:]) + ', "@value": ' + text + "}"
        datatype = suffix[3:-1]
        if not suffix or datatype in PLAIN:
            return '{"@value": ' + text + "}"
        return '{"@type": ' + quoted(self.compact(datatype)) + ', "@value": ' + text + "}"


def _lexical(text: str) -> str:
    """Return the value of an N-Triples string (quotes and escapes as written)."""
    triple = next(ox.parse(f"<urn:x> <urn:x> {text} .", format=ox.RdfFormat.N_TRIPLES))
    return triple.object.value


def quoted(text: str) -> str:
    """Return a string as JSON, non-ASCII characters as they are."""
    return encode_basestring(text)
