"""The narrow interface the web layer sees: a Store, its query results and its dataset spec."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol
from typing import Literal as Form

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from confgraph.errors import ResultTooLarge

QueryForm = Form["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]
Row = tuple[Node | None, ...]
Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class DatasetSpec:
    """The RDF dataset of one query: default graphs merged, named graphs addressable."""

    default: tuple[URIRef, ...] = ()
    named: tuple[URIRef, ...] = ()

    def iris(self) -> set[URIRef]:
        """Return every graph IRI the spec names."""
        return set(self.default) | set(self.named)


@dataclass(frozen=True)
class QueryResult:
    """A query's result as plain, picklable data, whatever engine produced it."""

    form: QueryForm
    variables: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()
    boolean: bool | None = None
    triples: tuple[Triple, ...] = field(default=())

    @property
    def is_graph(self) -> bool:
        """Tell whether the result is a graph (CONSTRUCT or DESCRIBE)."""
        return self.form in ("CONSTRUCT", "DESCRIBE")

    def graph(self) -> Graph:
        """Return the triples of a graph result as an rdflib Graph."""
        graph = Graph()
        for triple in self.triples:
            graph.add(triple)
        return graph

    def bindings(self) -> list[dict[str, Node]]:
        """Return SELECT rows as dicts of the bound variables."""
        return [
            {
                var: value
                for var, value in zip(self.variables, row, strict=True)
                if value is not None
            }
            for row in self.rows
        ]


class Store(Protocol):
    """What the server needs from a quad store; one module per engine implements it."""

    def query(
        self,
        sparql: str,
        dataset: DatasetSpec | None = None,
        row_limit: int | None = None,
        base: str | None = None,
    ) -> QueryResult:
        """Run a SPARQL 1.1 query; the default graph is the union of all graphs.

        dataset replaces the query's FROM clauses; base resolves its relative IRIs.
        """
        ...

    def query_serialized(
        self,
        sparql: str,
        media_type: str,
        dataset: DatasetSpec | None = None,
        row_limit: int | None = None,
        base: str | None = None,
        prefixes: dict[str, str] | None = None,
    ) -> bytes:
        """Run a SPARQL query and return its result serialized in media_type.

        A result past row_limit raises ResultTooLarge: no body is ever cut short.
        prefixes name namespaces in graph results (Turtle, RDF/XML).
        """
        ...

    def lookup(self, sparql: str) -> QueryResult:
        """Run one of the server's own fixed, bounded queries, never a user's, in-process.

        Pages use it so their queries neither wait for nor count against the query workers.
        """
        ...

    def describe(self, iri: URIRef) -> Graph:
        """Return the triples about iri: outgoing, incoming and their blank nodes."""
        ...

    def exists(self, iri: URIRef) -> bool:
        """Tell whether iri occurs as a subject or object in any graph."""
        ...

    def graphs(self) -> frozenset[URIRef]:
        """Return the IRIs of the named graphs of the dataset."""
        ...

    def labels(self, iris: Iterable[URIRef]) -> dict[URIRef, list[Literal]]:
        """Return the label literals (rdfs:label, skos:prefLabel, schema:name) of each IRI."""
        ...

    def close(self) -> None:
        """Release the store's resources (processes, files)."""
        ...


def too_large(row_limit: int, what: str) -> ResultTooLarge:
    """Return the error of a result with more than row_limit rows or triples."""
    return ResultTooLarge(
        f"the result has more than {row_limit} {what}, the server's row limit "
        "(setting row_limit); add LIMIT and OFFSET to fetch it in pages"
    )


def take_rows(items: Iterator[Any], row_limit: int | None, what: str) -> tuple[Any, ...]:
    """Materialise a result, raising ResultTooLarge past row_limit items."""
    if row_limit is None:
        return tuple(items)
    taken = tuple(itertools.islice(items, row_limit + 1))
    if len(taken) > row_limit:
        raise too_large(row_limit, what)
    return taken
