"""The remote engine: a Store that answers from a SPARQL 1.1 engine over HTTP.

Each query is checked as on every store (the token scan of store.policy), parsed here by
Oxigraph's parser so that only standard SPARQL reaches the engine and syntax errors read
the same on every store, rewritten onto the served release's engine graphs
(store.remote_query), and sent with the release's graphs as the protocol's dataset.
Results are read as a stream, bounded by the row limit, and written by Oxigraph's
writers, so that the same query gives the same bytes on every store.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from confgraph.errors import QueryRefused, QuerySyntaxError
from confgraph.store.base import DatasetSpec, QueryResult, take_rows, too_large
from confgraph.store.convert import rdflib_triple, to_rdflib
from confgraph.store.deepstack import on_deep_stack
from confgraph.store.engine_graphs import ReleaseGraphs
from confgraph.store.oxigraph_writer import GRAPH_WRITERS, RESULT_WRITERS, syntax_message
from confgraph.store.policy import (
    QueryShape,
    checked_shape,
    order_variables,
    read_shape,
    star_order,
)
from confgraph.store.rdflib_engine import LABEL_PROPERTIES
from confgraph.store.release import Release
from confgraph.store.remote_describe import describe_query, describe_resources, describe_targets
from confgraph.store.remote_query import EngineQuery, rewrite
from confgraph.store.result_cap import CAP_HEADER, cut_short, probe_row_cap
from confgraph.store.sparql_http import Endpoint, Reply
from confgraph.vocab import ONTOLOGY_IRI

RESULTS_ACCEPT = "application/sparql-results+xml, application/sparql-results+json;q=0.9"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9"
READERS = {
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
}
LABEL_BATCH = 200
# Engines told apart by their Server header: Virtuoso takes a time limit per request,
# Oxigraph server a bulk load of the graph store.
DIALECTS = ("virtuoso", "oxigraph")
_PARSER = ox.Store()  # empty: used only to parse queries (results are lazy, never read)


class RemoteStore:
    """A Store over a SPARQL engine, confined to the graphs of one release."""

    def __init__(
        self,
        endpoint: Endpoint,
        graphs: ReleaseGraphs,
        dialect: str = "",
        row_cap: int | None = None,
    ) -> None:
        self.endpoint, self.release_graphs, self.dialect = endpoint, graphs, dialect
        self.row_cap = row_cap  # the engine's own result cap, past which it cuts results
        self.cap_floor = 1  # results of this size are known to pass the engine's cap whole

    def query(
        self,
        sparql: str,
        dataset: DatasetSpec | None = None,
        row_limit: int | None = None,
        base: str | None = None,
        nesting_limit: int | None = None,
    ) -> QueryResult:
        """Run a SPARQL query on the engine into rdflib terms (for pages and tables)."""
        shape = checked_shape(sparql, nesting_limit)
        variables, items = self._run(shape, dataset, row_limit, base)
        return order_variables(_to_result(shape, variables, items, row_limit), shape)

    def query_serialized(
        self,
        sparql: str,
        media_type: str,
        dataset: DatasetSpec | None = None,
        row_limit: int | None = None,
        base: str | None = None,
        prefixes: dict[str, str] | None = None,
        nesting_limit: int | None = None,
    ) -> bytes:
        """Run a SPARQL query on the engine; write its result with Oxigraph's writers."""
        shape = checked_shape(sparql, nesting_limit)
        variables, items = self._run(shape, dataset, row_limit, base, convert=False)
        if isinstance(items, bool):
            return _boolean(items, media_type, shape)
        if variables is None:
            return _graph_bytes(items, media_type, shape, row_limit, prefixes or {})
        return _solution_bytes(variables, items, media_type, shape, row_limit)

    def _run(
        self,
        shape: QueryShape,
        dataset: DatasetSpec | None,
        row_limit: int | None,
        base: str | None,
        convert: bool = True,
    ) -> tuple[tuple[str, ...] | None, Any]:
        """Send a query; return its variables (None for a graph) and its first items."""
        if shape.form == "DESCRIBE":
            on_deep_stack(check_syntax, shape, base)
            construct = read_shape(describe_resources(self._described(shape, dataset, base)))
            return self._run(construct, dataset or shape.dataset, row_limit, base, convert)
        engine_query = rewrite(shape, self.release_graphs, dataset, base)
        on_deep_stack(check_syntax, shape, base)
        graph = shape.form in ("CONSTRUCT", "DESCRIBE")
        accept = GRAPH_ACCEPT if graph else RESULTS_ACCEPT
        with self.send(engine_query, accept, row_limit) as reply:
            variables, items = read_result(reply, engine_query, row_limit, convert)
        if graph and (cap := self.cut_at(len(items))) is not None:
            raise cut_short(cap)  # Virtuoso sent cap + 1 triples: cut, unsaid
        return variables, items

    def cut_at(self, size: int) -> int | None:
        """Return the engine's result cap if a graph of size triples passed it (Virtuoso's)."""
        if self.dialect != "virtuoso" or size <= self.cap_floor:
            return None
        if self.row_cap is None:
            self.row_cap = probe_row_cap(self.endpoint, RESULTS_ACCEPT, size)
            if self.row_cap is None:
                self.cap_floor = size
                return None
        return self.row_cap if size > self.row_cap else None

    def _described(
        self, shape: QueryShape, dataset: DatasetSpec | None, base: str | None
    ) -> list[URIRef]:
        """Return the IRIs a DESCRIBE names, and those its WHERE clause binds."""
        targets = describe_targets(shape)
        found = list(targets.iris)
        if targets.select is not None:
            rows = self.query(targets.select, dataset or shape.dataset, None, base).rows
            found += [value for row in rows for value in row if isinstance(value, URIRef)]
        return list(dict.fromkeys(found))

    def send(self, query: EngineQuery, accept: str, row_limit: int | None = None) -> Reply:
        """POST a rewritten query with its dataset; return the engine's checked reply."""
        fields = [("query", query.text)]
        fields += [("default-graph-uri", str(g)) for g in query.default]
        fields += [("named-graph-uri", str(g)) for g in query.named]
        if self.dialect == "virtuoso":  # its own limit, in milliseconds, for this request
            fields.append(("timeout", str(int(self.endpoint.timeout * 1000))))
        reply = self.endpoint.form(fields, accept).check()
        if reply.header("X-SQL-State"):  # Virtuoso's partial ("anytime") answer
            reply.close()
            raise self.endpoint.timed_out()
        cap = reply.header(CAP_HEADER)  # Virtuoso's rows reached its cap: maybe cut
        if cap and (row_limit is None or not cap.isdigit() or row_limit >= int(cap)):
            reply.close()
            raise cut_short(cap)
        return reply

    def lookup(self, sparql: str) -> QueryResult:
        """Run one of the server's own bounded queries on the engine."""
        return self.query(sparql)

    def describe(self, iri: URIRef) -> Graph:
        """Return outgoing and incoming triples of iri with the blank nodes it reaches."""
        graph = Graph()
        if not _is_iri(iri):
            return graph
        for triple in self.query(describe_query(iri)).triples:
            graph.add(triple)
        return graph

    def exists(self, iri: URIRef) -> bool:
        """Tell whether iri occurs as a subject or an object of the default graph."""
        if not _is_iri(iri):
            return False
        me = f"<{iri}>"
        return bool(self.query(f"ASK {{ {{ {me} ?p ?o }} UNION {{ ?s ?p {me} }} }}").boolean)

    def graphs(self) -> frozenset[URIRef]:
        """Return the public names of the release's named graphs."""
        return frozenset(self.release_graphs.to_engine)

    def labels(self, iris: Iterable[URIRef]) -> dict[URIRef, list[Literal]]:
        """Return each IRI's label literals, from the data and the ontology."""
        found: dict[URIRef, list[Literal]] = {}
        wanted = sorted(i for i in set(iris) if _is_iri(i))
        for start in range(0, len(wanted), LABEL_BATCH):
            for subject, label in self.query(
                labels_query(wanted[start : start + LABEL_BATCH])
            ).rows:
                if isinstance(subject, URIRef) and isinstance(label, Literal):
                    found.setdefault(subject, []).append(label)
        return found

    def close(self) -> None:
        """Nothing to release: every request has its own connection."""


def check_syntax(shape: QueryShape, base: str | None) -> None:
    """Parse a query with Oxigraph's parser (nothing is evaluated); raise its syntax error."""
    text = shape.text
    if shape.form == "ASK":  # an ASK would be evaluated at once: parse it as a lazy SELECT
        text = _ask_as_select(text)
    try:
        result = _PARSER.query(text, base_iri=base)
    except SyntaxError as error:
        raise QuerySyntaxError(syntax_message(error)) from None
    except RuntimeError as error:  # a function Oxigraph does not know: no engine runs it here
        raise QueryRefused(f"{error}; this endpoint runs only SPARQL's own functions") from None
    del result


def _ask_as_select(text: str) -> str:
    from confgraph.store.policy import TOKEN

    for match in TOKEN.finditer(text):
        if match.lastgroup == "word" and match.group().upper() == "ASK":
            return text[: match.start()] + "SELECT (1 AS ?confgraph_ask)" + text[match.end() :]
    return text


def read_result(
    reply: Reply, query: EngineQuery, row_limit: int | None, convert: bool
) -> tuple[tuple[str, ...] | None, Any]:
    """Read at most row_limit + 1 items of a reply, leaving out the rewrite's helper columns."""
    media = reply.header("Content-Type").split(";")[0].strip().lower()
    fmt = READERS.get(media)
    if fmt is None:
        raise reply.endpoint.unreachable(ValueError(f"it answered in {media or 'no media type'}"))
    stop = None if row_limit is None else row_limit + 1
    try:
        return _read_items(reply, fmt, query, stop, convert)
    except Exception as error:
        if reply.failure is not None:  # the engine failed or timed out under the parser
            raise reply.failure from None
        if isinstance(error, SyntaxError | ValueError):
            problem = ValueError(f"its answer does not parse: {error}")
            raise reply.endpoint.unreachable(problem) from None
        raise


def _read_items(reply: Reply, fmt: Any, query: EngineQuery, stop: int | None, convert: bool) -> Any:
    if isinstance(fmt, ox.RdfFormat):
        triples = ox.parse(reply, format=fmt)
        return None, list(itertools.islice(_triples(triples, convert), stop))
    parsed = ox.parse_query_results(reply, format=fmt)
    if isinstance(parsed, ox.QueryBoolean):
        return (), bool(parsed)
    names = tuple(v.value for v in parsed.variables if v.value not in query.helpers)
    rows = (tuple(_term(s[n], convert) for n in names) for s in parsed)
    return names, list(itertools.islice(rows, stop))


def _triples(quads: Iterator[Any], convert: bool) -> Iterator[Any]:
    for quad in quads:
        yield (
            rdflib_triple(quad) if convert else ox.Triple(quad.subject, quad.predicate, quad.object)
        )


def _term(term: Any, convert: bool) -> Any:
    if term is None or not convert:
        return term
    return to_rdflib(term)


def _to_result(
    shape: QueryShape, variables: tuple[str, ...] | None, items: Any, row_limit: int | None
) -> QueryResult:
    if isinstance(items, bool):
        return QueryResult(form="ASK", boolean=items)
    if variables is None:
        form = "DESCRIBE" if shape.form == "DESCRIBE" else "CONSTRUCT"
        return QueryResult(form=form, triples=take_rows(iter(items), row_limit, "triples"))
    rows = take_rows(iter(items), row_limit, "rows")
    return QueryResult(form="SELECT", variables=variables, rows=rows)


def _boolean(value: bool, media_type: str, shape: QueryShape) -> bytes:
    fmt = RESULT_WRITERS.get(media_type)
    if fmt is None:
        from confgraph.errors import NotAcceptable

        raise NotAcceptable(f"a {shape.form} result is not {media_type}")
    text = "true" if value else "false"
    return ox.parse_query_results(
        f'{{"head":{{}},"boolean":{text}}}', format=ox.QueryResultsFormat.JSON
    ).serialize(format=fmt)


def _solution_bytes(
    variables: tuple[str, ...],
    rows: list[Any],
    media_type: str,
    shape: QueryShape,
    row_limit: int | None,
) -> bytes:
    fmt = RESULT_WRITERS.get(media_type)
    if fmt is None:
        from confgraph.errors import NotAcceptable

        raise NotAcceptable(f"a {shape.form or 'SELECT'} result is not {media_type}")
    if row_limit is not None and len(rows) > row_limit:
        raise too_large(row_limit, "rows")
    columns = star_order(variables, shape) if shape.star else list(range(len(variables)))
    lines = ["\t".join(f"?{variables[i]}" for i in columns)]
    lines += ["\t".join("" if row[i] is None else str(row[i]) for i in columns) for row in rows]
    tsv = ("\n".join(lines) + "\n").encode()
    return ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV).serialize(format=fmt)


def _graph_bytes(
    triples: list[Any],
    media_type: str,
    shape: QueryShape,
    row_limit: int | None,
    prefixes: dict[str, str],
) -> bytes:
    fmt = GRAPH_WRITERS.get(media_type)
    if fmt is None:
        from confgraph.errors import NotAcceptable

        raise NotAcceptable(f"a {shape.form or 'graph'} result is not {media_type}")
    if row_limit is not None and len(triples) > row_limit:
        raise too_large(row_limit, "triples")
    return ox.serialize(dict.fromkeys(triples), format=fmt, prefixes=prefixes)


def _is_iri(iri: URIRef) -> bool:
    try:
        ox.NamedNode(str(iri))
    except ValueError:
        return False
    return True


def labels_query(iris: list[URIRef]) -> str:
    """Return the SELECT of the labels of some IRIs, in the data and in the ontology."""
    subjects = " ".join(f"<{iri}>" for iri in iris)
    predicates = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    return (
        f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {subjects} }} VALUES ?p {{ {predicates} }} "
        f"{{ ?s ?p ?l }} UNION {{ GRAPH <{ONTOLOGY_IRI}> {{ ?s ?p ?l }} }} FILTER(isLiteral(?l)) }}"
    )


def open_remote(query_url: str, release: Release, timeout: float) -> RemoteStore:
    """Open the engine at query_url for a release it serves; say which engine it is."""
    endpoint = Endpoint.at(query_url, timeout)
    return RemoteStore(endpoint, ReleaseGraphs.of_release(release), probe_dialect(endpoint))


def probe_dialect(endpoint: Endpoint) -> str:
    """Ask the engine a trivial query; return which engine it is, if one confgraph knows."""
    with endpoint.form([("query", "ASK {}")], RESULTS_ACCEPT).check() as reply:
        server = reply.header("Server").lower()
    return next((name for name in DIALECTS if name in server), "")
