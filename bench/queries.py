"""The six researcher queries of the benchmark and how their answers are compared."""

from __future__ import annotations

import json
from dataclasses import dataclass

PREFIXES = """PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX org: <http://www.w3.org/ns/org#>
"""


@dataclass(frozen=True)
class Query:
    """One researcher query; `graph` queries are answered with triples, the others with rows."""

    name: str
    text: str
    graph: bool = False

    def variant(self, run: int) -> str:
        """Return the text with a comment that makes it new to any cache keyed by query text."""
        return f"{self.text}\n# cold run {run}\n"


def researcher_queries(person_iri: str) -> tuple[Query, ...]:
    """Return the six queries; the DESCRIBE is of PERSON_IRI, a person in many meetings."""
    return (
        Query(
            "events by start",
            PREFIXES + "SELECT ?event ?name ?start WHERE {\n"
            "  ?event a schema:Event ; schema:name ?name ; schema:startDate ?start .\n"
            "} ORDER BY ?start ?event LIMIT 50",
        ),
        Query(
            "count people",
            PREFIXES + "SELECT (COUNT(?person) AS ?n) WHERE { ?person a foaf:Person }",
        ),
        Query(
            "titles containing",
            PREFIXES + "SELECT ?item ?title WHERE {\n  ?item dcterms:title ?title .\n"
            '  FILTER(CONTAINS(LCASE(STR(?title)), "migra"))\n}',
        ),
        Query(
            "counts by class",
            "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class }\n"
            "GROUP BY ?class ORDER BY DESC(?n) ?class",
        ),
        Query(
            "organisations >1 person",
            PREFIXES + "SELECT ?org (COUNT(DISTINCT ?person) AS ?n) WHERE {\n"
            "  ?person a foaf:Person ; schema:affiliation ?org . ?org a org:Organization .\n"
            "} GROUP BY ?org HAVING (COUNT(DISTINCT ?person) > 1) ORDER BY DESC(?n) ?org",
        ),
        Query("describe person", f"DESCRIBE <{person_iri}>", graph=True),
    )


@dataclass(frozen=True)
class Answer:
    """What is compared between servers: the number of rows and every value of ?n."""

    rows: int
    counts: tuple[float, ...] = ()

    def __str__(self) -> str:
        shown = f"{self.rows} rows"
        if self.counts:
            head = ", ".join(f"{c:g}" for c in self.counts[:5])
            shown += f" (n: {head}{', ...' if len(self.counts) > 5 else ''})"
        return shown


def answer_from_json(body: bytes) -> Answer:
    """Read a SPARQL JSON results document."""
    bindings = json.loads(body)["results"]["bindings"]
    counts = sorted(float(b["n"]["value"]) for b in bindings if "n" in b)
    return Answer(len(bindings), tuple(counts))


def answer_from_triples(body: bytes, media_type: str) -> Answer:
    """Count the triples of a graph result: as sent in N-Triples (so a repeated triple counts
    twice, as it would in a client's loop), else the distinct triples rdflib reads."""
    from rdflib import Graph

    syntax = rdflib_format(media_type, body)
    if syntax == "nt":
        lines = (line.strip() for line in body.splitlines())
        return Answer(sum(1 for line in lines if line and not line.startswith(b"#")))
    graph = Graph()
    graph.parse(data=body, format=syntax)
    return Answer(len(graph))


def rdflib_format(media_type: str, body: bytes) -> str:
    """Return rdflib's parser name for a graph result's media type (XML is sniffed)."""
    if body.lstrip().startswith(b"<?xml") or body.lstrip().startswith(b"<rdf:RDF"):
        return "xml"
    media_type = media_type.split(";")[0].strip().lower()
    formats = {
        "application/n-triples": "nt",
        "text/plain": "nt",
        "text/ntriples": "nt",
        "text/turtle": "turtle",
        "application/x-turtle": "turtle",
        "application/rdf+xml": "xml",
        "application/ld+json": "json-ld",
        "application/xml": "xml",
    }
    return formats.get(media_type, "turtle")
