"""The rdflib engine: a Dataset in memory, parsed from a release's TriG file."""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import rdflib.plugins.sparql
from pyparsing import ParseException
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID as _DEFAULT_GRAPH
from rdflib.namespace import RDFS, SKOS
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.evaluate import evalQuery
from rdflib.plugins.sparql.parser import Query
from rdflib.plugins.sparql.parserutils import CompValue

from confgraph.errors import QuerySyntaxError, QueryTooComplex
from confgraph.formats import serialize_any
from confgraph.store.base import DatasetSpec, QueryResult, Triple, take_rows
from confgraph.store.policy import RDFLIB_SPARQL, checked_shape, order_variables
from confgraph.vocab import ONTOLOGY_IRI, SCHEMA

# Never dereference a FROM graph the dataset lacks: the store answers from its own quads only.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel, SCHEMA.name)


class RdflibStore:
    """A Store over an rdflib Dataset whose default graph holds the merge of the data graphs."""

    def __init__(self, dataset: Dataset) -> None:
        self._dataset = dataset
        self._refresh_graphs()
        self._default = dataset.default_graph
        for graph in self._graphs:
            if graph.identifier not in (ONTOLOGY_IRI, _DEFAULT_GRAPH):
                self._default += graph
        self._ontology = dataset.graph(ONTOLOGY_IRI)

    def _refresh_graphs(self) -> None:
        # Lookups go graph by graph: the Dataset's own union lookup warns (rdflib 7.6)
        # about its deprecated default_context, which filterwarnings=error turns fatal.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            self._graphs = list(self._dataset.graphs())

    def _triples(self, pattern: tuple[Any, Any, Any]) -> Iterator[Triple]:
        yield from self._default.triples(pattern)

    def _objects(self, subject: URIRef, predicate: URIRef) -> Iterator[Any]:
        for graph in (self._default, self._ontology):
            yield from graph.objects(subject, predicate)

    @classmethod
    def from_file(cls, source: str | Path) -> RdflibStore:
        """Load the quads of a TriG (or N-Quads) file."""
        dataset = Dataset()
        fmt = "nquads" if str(source).endswith(".nq") else "trig"
        # rdflib 7.6's own quad parsers build a ConjunctiveGraph, which it deprecates itself.
        with open(source, "rb") as file, warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            dataset.parse(file=file, format=fmt)
        return cls(dataset)

    def query(
        self,
        sparql: str,
        dataset: DatasetSpec | None = None,
        row_limit: int | None = None,
        base: str | None = None,
        nesting_limit: int | None = None,
    ) -> QueryResult:
        """Run a SPARQL query, with the protocol's dataset replacing any FROM clauses."""
        shape = checked_shape(sparql, nesting_limit)
        try:
            with RDFLIB_SPARQL:
                query = translateQuery(_parse(shape.text), base=base)
                if dataset is not None:
                    query.algebra["datasetClause"] = _dataset_clause(dataset)
                # rdflib 7.6's Dataset warns about its own deprecated default_context.
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", DeprecationWarning)
                    result = _to_result(evalQuery(self._dataset, query, {}), row_limit)
        except RecursionError:
            raise QueryTooComplex(
                "the query nests too deeply for the rdflib engine (Python's recursion limit); "
                "use the oxigraph engine (setting engine)"
            ) from None
        return order_variables(result, shape)

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
        """Run a SPARQL query and serialize its result with rdflib."""
        result = self.query(sparql, dataset, row_limit, base, nesting_limit)
        return serialize_any(result, media_type, prefixes or {})

    def lookup(self, sparql: str) -> QueryResult:
        """Run one of the server's own bounded queries."""
        return self.query(sparql)

    def describe(self, iri: URIRef) -> Graph:
        """Return outgoing and incoming triples of iri with their blank-node closure."""
        graph = Graph()
        for triple in self._triples((iri, None, None)):
            graph.add(triple)
            self._add_bnode_closure(graph, triple[2])
        for triple in self._triples((None, None, iri)):
            graph.add(triple)
        return graph

    def _add_bnode_closure(self, graph: Graph, node: Any) -> None:
        pending, seen = [node], set()
        while pending:
            current = pending.pop()
            if not isinstance(current, BNode) or current in seen:
                continue
            seen.add(current)
            for triple in self._triples((current, None, None)):
                graph.add(triple)
                pending.append(triple[2])

    def exists(self, iri: URIRef) -> bool:
        """Tell whether iri occurs as a subject or an object."""
        return any(
            True
            for _ in itertools.chain(
                self._triples((iri, None, None)), self._triples((None, None, iri))
            )
        )

    def graphs(self) -> frozenset[URIRef]:
        """Return the IRIs of the named graphs."""
        return frozenset(
            g.identifier
            for g in self._graphs
            if isinstance(g.identifier, URIRef) and g.identifier != _DEFAULT_GRAPH
        )

    def labels(self, iris: Iterable[URIRef]) -> dict[URIRef, list[Literal]]:
        """Return each IRI's label literals."""
        found: dict[URIRef, list[Literal]] = {}
        for iri in set(iris):
            values = [
                o for p in LABEL_PROPERTIES for o in self._objects(iri, p) if isinstance(o, Literal)
            ]
            if values:
                found[iri] = values
        return found

    def close(self) -> None:
        """Drop the dataset."""
        self._dataset, self._graphs = Dataset(), []


def _parse(text: str) -> Any:
    """Parse a query with rdflib's grammar (the caller holds RDFLIB_SPARQL)."""
    try:
        return Query.parse_string(text, parse_all=True)
    except ParseException as error:
        raise QuerySyntaxError(f"SPARQL syntax error: {error}") from None


def _dataset_clause(dataset: DatasetSpec) -> list[CompValue]:
    clauses = [CompValue("DatasetClause", default=iri) for iri in dataset.default]
    clauses += [CompValue("DatasetClause", named=iri) for iri in dataset.named]
    # An empty clause list would fall back to the whole store; an unknown IRI names no data.
    return clauses or [CompValue("DatasetClause", default=URIRef("urn:confgraph:empty"))]


def _to_result(raw: Any, row_limit: int | None) -> QueryResult:
    form = raw["type_"]
    if form == "ASK":
        return QueryResult(form="ASK", boolean=bool(raw["askAnswer"]))
    if form == "SELECT":
        variables = tuple(str(v) for v in raw["vars_"])
        rows = take_rows(
            (tuple(b.get(v) for v in raw["vars_"]) for b in raw["bindings"]), row_limit, "rows"
        )
        return QueryResult(form="SELECT", variables=variables, rows=rows)
    triples: tuple[Triple, ...] = take_rows(iter(raw["graph"]), row_limit, "triples")
    return QueryResult(form=form, triples=triples)
