"""Parse a SPARQL request and refuse what a read-only, offline endpoint never does."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pyparsing import ParseException, ParseResults
from rdflib import URIRef, Variable
from rdflib.plugins.sparql.parser import Query, expandUnicodeEscapes, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from confgraph.errors import QueryRefused, QuerySyntaxError
from confgraph.store.base import DatasetSpec, QueryForm, QueryResult

FORMS: dict[str, QueryForm] = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}
# rdflib's SPARQL machinery is not thread-safe: its pyparsing grammar keeps state while
# it parses, and evaluation changes the global warnings filter. Request threads share it
# through this lock (re-entrant: the rdflib engine parses while holding it).
RDFLIB_SPARQL = threading.RLock()
READ_ONLY = (
    "this endpoint is read-only: SPARQL updates (INSERT, DELETE, LOAD, CLEAR, ...) are refused"
)


@dataclass(frozen=True)
class ParsedQuery:
    """A query that parsed: the text an engine must run, its form, FROM clauses, SERVICEs."""

    text: str
    tree: Any
    form: QueryForm
    dataset: DatasetSpec | None
    services: tuple[str, ...]
    projection: Any = None
    variables_in_order: tuple[str, ...] = ()


@lru_cache(maxsize=512)
def parse_query(sparql: str) -> ParsedQuery:
    """Parse a query; an update is refused, a syntax error carries the parser's message.

    \\uXXXX escapes are expanded once, as the SPARQL grammar says, and the parser reads
    exactly the text an engine then runs: checked and executed text never differ.
    Cached: pages repeat the same queries. Whoever changes the tree must parse afresh
    with parse_query.__wrapped__.
    """
    text = _expand_escapes(sparql)
    try:
        with RDFLIB_SPARQL:
            tree = Query.parse_string(text, parse_all=True)
    except ParseException as error:
        if _is_update(text):
            raise QueryRefused(READ_ONLY) from None
        raise QuerySyntaxError(f"SPARQL syntax error: {error}") from None
    body = tree[1]
    nodes = list(_walk(body))
    return ParsedQuery(
        text=text,
        tree=tree,
        form=FORMS[body.name],
        dataset=_dataset_clause(dict.get(body, "datasetClause")),
        services=tuple(
            str(n["term"])
            for n in nodes
            if isinstance(n, CompValue) and n.name == "ServiceGraphPattern"
        ),
        projection=dict.get(body, "projection"),
        variables_in_order=tuple(dict.fromkeys(str(n) for n in nodes if isinstance(n, Variable))),
    )


def _expand_escapes(sparql: str) -> str:
    try:
        text = expandUnicodeEscapes(sparql)
        text.encode("utf-8")  # a lone surrogate escape names no character
    except (ValueError, UnicodeEncodeError) as error:
        raise QuerySyntaxError(f"SPARQL syntax error: {error}") from None
    return text


def _is_update(text: str) -> bool:
    try:
        with RDFLIB_SPARQL:
            parseUpdate(text)
    except ParseException:
        return False
    return True


def _walk(node: Any) -> Iterator[Any]:
    """Yield every node of a parse tree in the order of the query text."""
    yield node
    if isinstance(node, CompValue):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple | ParseResults):
        for value in node:
            yield from _walk(value)


def _dataset_clause(clauses: Any) -> DatasetSpec | None:
    if not clauses:
        return None
    default = tuple(c["default"] for c in clauses if "default" in c)
    named = tuple(c["named"] for c in clauses if "named" in c)
    return DatasetSpec(default=default, named=named)


def check_query(
    parsed: ParsedQuery, graphs: frozenset[URIRef], dataset: DatasetSpec | None = None
) -> None:
    """Refuse SERVICE calls, and FROM clauses or a dataset naming graphs the store lacks."""
    if parsed.services:
        raise QueryRefused(
            f"SERVICE <{parsed.services[0]}> refused: this endpoint never queries other services"
        )
    if parsed.dataset is not None:
        check_graphs(parsed.dataset, graphs, "FROM")
    if dataset is not None:
        check_graphs(dataset, graphs, "default-graph-uri/named-graph-uri")


def check_graphs(dataset: DatasetSpec, graphs: frozenset[URIRef], where: str) -> None:
    """Refuse a dataset naming a graph this dataset does not hold (nothing is ever fetched)."""
    for iri in sorted(dataset.iris() - graphs):
        kind = "a file" if iri.startswith("file:") else "a graph outside this dataset"
        raise QueryRefused(
            f"{where} <{iri}> refused: it names {kind}, and this endpoint never fetches data; "
            "the service description lists the dataset's graphs"
        )


def order_variables(result: QueryResult, parsed: ParsedQuery) -> QueryResult:
    """Put the columns of a SELECT * in the order their variables first occur in the query."""
    if result.form != "SELECT" or parsed.projection is not None:
        return result
    order = {name: i for i, name in enumerate(parsed.variables_in_order)}
    columns = sorted(
        range(len(result.variables)), key=lambda i: order.get(result.variables[i], len(order))
    )
    return QueryResult(
        form="SELECT",
        variables=tuple(result.variables[i] for i in columns),
        rows=tuple(tuple(row[i] for i in columns) for row in result.rows),
    )
