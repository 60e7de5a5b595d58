"""Parse a SPARQL request and refuse what a read-only, offline endpoint never does."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pyparsing import ParseException
from rdflib import URIRef
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from confgraph.errors import QueryRefused, QuerySyntaxError
from confgraph.store.base import DatasetSpec, QueryForm, QueryResult

FORMS: dict[str, QueryForm] = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


@dataclass(frozen=True)
class ParsedQuery:
    """A query that parsed: its form, its FROM clauses and its SERVICE calls."""

    tree: Any
    form: QueryForm
    dataset: DatasetSpec | None
    services: tuple[str, ...]
    projection: Any = None
    variables_in_order: tuple[str, ...] = ()


@lru_cache(maxsize=512)
def parse_query(sparql: str) -> ParsedQuery:
    """Parse a query; an update is refused, a syntax error carries the parser's message.

    Cached: pages repeat the same queries. Whoever changes the tree must parse afresh
    with parse_query.__wrapped__.
    """
    try:
        tree = parseQuery(sparql)
    except ParseException as error:
        if _is_update(sparql):
            raise QueryRefused(
                "this endpoint is read-only: SPARQL updates (INSERT, DELETE, LOAD, CLEAR, ...) "
                "are refused"
            ) from None
        raise QuerySyntaxError(f"SPARQL syntax error: {error}") from None
    body = tree[1]
    return ParsedQuery(
        tree=tree,
        form=FORMS[body.name],
        dataset=_dataset_clause(dict.get(body, "datasetClause")),
        services=tuple(_service_names(body)),
        projection=dict.get(body, "projection"),
        variables_in_order=tuple(dict.fromkeys(VARIABLE.findall(_strip_iris(sparql)))),
    )


VARIABLE = re.compile(r"[?$]([A-Za-z0-9_\u00b7\u00c0-\uffff]+)")


def _strip_iris(sparql: str) -> str:
    return re.sub(r"<[^<>\s]*>", "<>", sparql)


def _is_update(sparql: str) -> bool:
    try:
        parseUpdate(sparql)
    except ParseException:
        return False
    return True


def _dataset_clause(clauses: Any) -> DatasetSpec | None:
    if not clauses:
        return None
    default = tuple(c["default"] for c in clauses if "default" in c)
    named = tuple(c["named"] for c in clauses if "named" in c)
    return DatasetSpec(default=default, named=named)


def _service_names(node: Any) -> Iterator[str]:
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            yield str(node["term"])
        for value in node.values():
            yield from _service_names(value)
    elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
        for value in node:
            yield from _service_names(value)


def check_query(parsed: ParsedQuery, graphs: frozenset[URIRef]) -> None:
    """Refuse SERVICE calls and FROM clauses that name graphs outside the dataset."""
    if parsed.services:
        raise QueryRefused(
            f"SERVICE <{parsed.services[0]}> refused: this endpoint never queries other services"
        )
    if parsed.dataset is not None:
        check_graphs(parsed.dataset, graphs, "FROM")


def check_graphs(dataset: DatasetSpec, graphs: frozenset[URIRef], where: str) -> None:
    """Refuse a dataset naming a graph this dataset does not hold (nothing is ever fetched)."""
    for iri in sorted(dataset.iris() - graphs):
        kind = "a file" if iri.startswith("file:") else "a graph outside this dataset"
        raise QueryRefused(
            f"{where} <{iri}> refused: it names {kind}, and this endpoint never fetches data; "
            "the service description lists the dataset's graphs"
        )


def order_variables(result: QueryResult, parsed: ParsedQuery) -> QueryResult:
    """Put the columns of a SELECT * in the order the variables first occur in the query."""
    if result.form != "SELECT" or parsed.projection is not None:
        return result
    order = {name: i for i, name in enumerate(parsed.variables_in_order)}
    columns = sorted(
        range(len(result.variables)), key=lambda i: order.get(result.variables[i], 1e9)
    )
    return QueryResult(
        form="SELECT",
        variables=tuple(result.variables[i] for i in columns),
        rows=tuple(tuple(row[i] for i in columns) for row in result.rows),
    )
