"""The JSON-LD dump's node objects, written from N-Triples lines as text, are the JSON that
json.dumps gives of the node objects of the parsed terms, whatever the literals hold, and a
JSON-LD 1.1 processor (pyld) reads the triples back from them."""

from __future__ import annotations

import itertools
import json
import random

import pyoxigraph as ox
from pyldreader import pyld_triples
from rdflib import Graph
from rdflib.compare import isomorphic

from confgraph.jsonld import Compactor, jsonld_frame, jsonld_nodes

CONTEXT = {"ex": "http://example.org/ns#", "xsd": "http://www.w3.org/2001/XMLSchema#"}
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
PLAIN = {XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
PREDICATES = [RDF_TYPE, "http://example.org/ns#p1", "http://example.org/ns#p2", "urn:p!"]
CHARACTERS = 'ab "\\\n\r\t\b\f\x00\x01\x1f\x7f\u2028\u00e9\u4e2d\U0001f600!#<>'


def reference(term: ox.NamedNode | ox.BlankNode, compact: Compactor) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else compact(term.value)


def expected(lines: bytes) -> str:
    """Return the node objects as json.dumps writes them (the dump's former writer)."""
    compact, texts = Compactor(CONTEXT), []
    triples = ox.parse(lines, format=ox.RdfFormat.N_TRIPLES)
    for subject, group in itertools.groupby(triples, key=lambda t: t.subject):
        node: dict = {"@id": reference(subject, compact)}
        for predicate, same in itertools.groupby(group, key=lambda t: t.predicate):
            objects = [t.object for t in same]
            if predicate.value == RDF_TYPE:
                node["@type"] = sorted(reference(o, compact) for o in objects)
            else:
                node[compact(predicate.value)] = [value(o, compact) for o in objects]
        texts.append("\n    " + json.dumps(node, ensure_ascii=False, sort_keys=True))
    return ",".join(texts)


def value(term: ox.NamedNode | ox.BlankNode | ox.Literal, compact: Compactor) -> dict:
    if not isinstance(term, ox.Literal):
        return {"@id": reference(term, compact)}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value in PLAIN:
        return {"@value": term.value}
    return {"@value": term.value, "@type": compact(term.datatype.value)}


def random_triples(seed: int) -> list[ox.Triple]:
    chosen = random.Random(seed)
    nodes: list = [ox.NamedNode(f"http://example.org/ns#n{i}") for i in range(5)]
    nodes += [
        ox.BlankNode("b1"),
        ox.BlankNode("b2"),
        ox.NamedNode("http://elsewhere.org/x!y"),
        ox.NamedNode("urn:z"),
    ]
    kinds = [
        lambda text: ox.Literal(text),
        lambda text: ox.Literal(text, language=chosen.choice(["en", "fr", "zh-hant"])),
        lambda text: ox.Literal(text, datatype=ox.NamedNode(XSD + "integer")),
        lambda text: ox.Literal(text, datatype=ox.NamedNode("http://example.org/ns#custom")),
    ]
    triples = []
    for _ in range(60):
        predicate = ox.NamedNode(chosen.choice(PREDICATES))
        if chosen.random() < 0.4 or predicate.value == RDF_TYPE:
            obj = chosen.choice(nodes)
        else:
            text = "".join(chosen.choice(CHARACTERS) for _ in range(chosen.randrange(6)))
            obj = chosen.choice(kinds)(text)
        triples.append(ox.Triple(chosen.choice(nodes), predicate, obj))
    return triples


def sorted_lines(triples: list[ox.Triple]) -> bytes:
    lines = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).splitlines(keepends=True)
    return b"".join(sorted(set(lines)))


def test_node_objects_are_what_json_dumps_writes_of_any_literal() -> None:
    for seed in range(30):
        lines = sorted_lines(random_triples(seed))
        assert jsonld_nodes(CONTEXT)(lines).decode() == expected(lines), seed


def test_pyld_reads_back_the_triples_whatever_the_literals_hold() -> None:
    head, tail = jsonld_frame(CONTEXT)
    for seed in range(30):
        triples = random_triples(seed)
        lines = sorted_lines(triples)
        document = json.loads(head + jsonld_nodes(CONTEXT)(lines) + tail)
        assert isomorphic(as_rdflib(pyld_triples(document)), as_rdflib(triples)), seed


def as_rdflib(triples: list[ox.Triple]) -> Graph:
    """Return the triples as an rdflib Graph, to compare them up to blank node labels."""
    ntriples = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()
    return Graph().parse(data=ntriples, format="nt")
