"""Media types, file extensions and serializers, keyed by rdflib's format names; negotiation."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result
from rdflib.term import Node, Variable
from werkzeug.datastructures import MIMEAccept

from confgraph.errors import NotAcceptable
from confgraph.store.base import QueryResult


@dataclass(frozen=True)
class Format:
    """One serialization: rdflib's name for it, its media type and file extension."""

    name: str
    media_type: str
    extension: str
    label: str
    aliases: tuple[str, ...] = ()

    @property
    def media_types(self) -> tuple[str, ...]:
        """Return the media type and the other types that select this format."""
        return (self.media_type, *self.aliases)


HTML = Format("html", "text/html", "html", "HTML", ("application/xhtml+xml",))

RESULT_FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("json", "application/sparql-results+json", "srj", "JSON", ("application/json",)),
        Format("xml", "application/sparql-results+xml", "srx", "XML", ("application/xml",)),
        Format("csv", "text/csv", "csv", "CSV"),
        Format("tsv", "text/tab-separated-values", "tsv", "TSV"),
    )
}

GRAPH_FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        # Turtle is N3 too: clients asking for N3 (SPARQLWrapper's N3) can read it.
        Format(
            "turtle",
            "text/turtle",
            "ttl",
            "Turtle",
            ("application/x-turtle", "application/turtle", "n3", "text/n3", "text/rdf+n3"),
        ),
        Format("nt", "application/n-triples", "nt", "N-Triples", ("text/plain",)),
        Format(
            "json-ld",
            "application/ld+json",
            "jsonld",
            "JSON-LD",
            ("application/json", "application/x-json+ld"),
        ),
        Format("xml", "application/rdf+xml", "rdf", "RDF/XML", ("application/xml", "rdf+xml")),
    )
}

# Formats of whole datasets (named graphs): the release's TriG dump.
DATASET_FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("trig", "application/trig", "trig", "TriG"),
        Format("nquads", "application/n-quads", "nq", "N-Quads"),
    )
}


def find_format(formats: Iterable[Format], key: str) -> Format | None:
    """Find a format by name, extension or media type (as a format= parameter gives it)."""
    key = key.strip().lower()
    for fmt in formats:
        if key in (fmt.name, fmt.extension, *fmt.media_types):
            return fmt
    return None


def negotiate(
    accept: MIMEAccept, formats: Sequence[Format], requested: str | Sequence[str] | None = None
) -> Format:
    """Choose by the first known format= value, else by Accept with q-values; 406 if none."""
    values = [requested] if isinstance(requested, str) else list(requested or ())
    # Some clients repeat format= with aliases and comma-separated lists (SPARQLWrapper).
    keys = [key for value in values for key in value.split(",") if key.strip()]
    for key in keys:
        fmt = find_format(formats, key)
        if fmt is not None:
            return fmt
    if keys:
        raise NotAcceptable(f"unknown format {keys[0]!r}; offered: {_offer(formats)}")
    if not accept:
        return formats[0]
    by_type = {mt: fmt for fmt in reversed(formats) for mt in fmt.media_types if "/" in mt}
    best = without_parameters(accept).best_match(
        [mt for fmt in formats for mt in fmt.media_types if "/" in mt]
    )
    if best is None:
        raise NotAcceptable(
            f"no offered format meets Accept: {accept.to_header()}; offered: {_offer(formats)}"
        )
    return by_type[best]


def without_parameters(accept: MIMEAccept) -> MIMEAccept:
    """Drop media-type parameters (charset=utf-8, ...) from Accept, keeping q-values.

    Every text format is served in UTF-8; a range asking for another charset meets none.
    """
    kept = []
    for value, quality in accept:
        media_type, *params = (part.strip() for part in value.split(";"))
        charsets = [
            p.split("=", 1)[1].strip('" ').lower()
            for p in params
            if "=" in p and p.split("=", 1)[0].strip().lower() == "charset"
        ]
        if all(charset in ("utf-8", "utf8") for charset in charsets):
            kept.append((media_type, quality))
    return MIMEAccept(kept)


def _offer(formats: Iterable[Format]) -> str:
    return ", ".join(fmt.media_type for fmt in formats)


def serialize_graph(graph: Graph, fmt: Format) -> bytes:
    """Serialize a graph in one of GRAPH_FORMATS (JSON-LD compacted with the graph's prefixes)."""
    if fmt.name == "json-ld":
        context = jsonld_context(graph)
        return graph.serialize(format="json-ld", context=context, auto_compact=True).encode()
    return graph.serialize(format=fmt.name, encoding="utf-8")


def serialize_any(result: QueryResult, media_type: str, prefixes: dict[str, str]) -> bytes:
    """Serialize a result with rdflib in the format of media_type (graphs with prefixes)."""
    table = GRAPH_FORMATS if result.is_graph else RESULT_FORMATS
    fmt = next((f for f in table.values() if f.media_type == media_type), None)
    if fmt is None:
        raise NotAcceptable(f"a {result.form} result is not {media_type}")
    if not result.is_graph:
        return serialize_result(result, fmt)
    graph = result.graph()
    for prefix, namespace in prefixes.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return serialize_graph(graph, fmt)


def jsonld_context(graph: Graph) -> dict[str, str]:
    """Return the graph's bound prefixes that its IRIs and datatypes use, as a JSON-LD context."""
    used = {str(term) for triple in graph for term in triple if isinstance(term, URIRef)}
    used.update(str(o.datatype) for o in graph.objects() if isinstance(o, Literal) and o.datatype)
    namespaces = {p: str(ns) for p, ns in graph.namespaces() if p}
    return {
        prefix: ns
        for prefix, ns in sorted(namespaces.items())
        if any(iri.startswith(ns) for iri in used)
    }


def serialize_result(result: QueryResult, fmt: Format) -> bytes:
    """Serialize a SELECT or ASK result in one of RESULT_FORMATS."""
    if fmt.name == "tsv":
        return _tsv(result).encode()
    if fmt.name == "csv":
        return _csv(result).encode()
    rdflib_result = Result(result.form)
    if result.form == "ASK":
        rdflib_result.askAnswer = bool(result.boolean)
    else:
        rdflib_result.vars = [Variable(v) for v in result.variables]
        rdflib_result.bindings = [
            {Variable(k): v for k, v in row.items()} for row in result.bindings()
        ]
    return rdflib_result.serialize(format=fmt.name, encoding="utf-8") or b""


def _csv(result: QueryResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if result.form == "ASK":
        writer.writerows([["_askResult"], [str(bool(result.boolean)).lower()]])
        return out.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if v is None else _csv_value(v) for v in row])
    return out.getvalue()


def _csv_value(term: Node) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _tsv(result: QueryResult) -> str:
    if result.form == "ASK":
        return f"?_askResult\n{str(bool(result.boolean)).lower()}\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if v is None else tsv_term(v) for v in row))
    return "\n".join(lines) + "\n"


def tsv_term(term: Node) -> str:
    """Write a term as SPARQL TSV does (Turtle syntax, tabs and newlines escaped)."""
    if isinstance(term, Literal):
        return _tsv_literal(term)
    text = term.n3() if isinstance(term, URIRef | BNode) else str(term)
    return text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _tsv_literal(term: Literal) -> str:
    """Write a literal as one short quoted string (never a triple-quoted one)."""
    text = '"' + str(term).translate(TSV_ESCAPES) + '"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype is not None and str(term.datatype) != str(XSD.string):
        return f"{text}^^<{term.datatype}>"
    return text
