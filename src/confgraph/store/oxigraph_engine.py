"""The Oxigraph engine: a release's on-disk store opened read-only, or a TriG file in memory.

The default graph is the store's own default graph, which holds the merge of the data
graphs (each distinct triple once); the ontology and the description are named graphs.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from confgraph.errors import QuerySyntaxError
from confgraph.store.base import DatasetSpec, QueryResult, take_rows
from confgraph.store.convert import rdflib_triple, to_rdflib
from confgraph.store.deepstack import on_deep_stack
from confgraph.store.disk import merged, open_read_only
from confgraph.store.oxigraph_writer import Serializer, syntax_message
from confgraph.store.policy import QueryShape, checked_shape, order_variables
from confgraph.store.rdflib_engine import LABEL_PROPERTIES
from confgraph.vocab import ONTOLOGY_IRI

RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
DEFAULT = ox.DefaultGraph()
FORMATS = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}


class OxigraphStore:
    """A Store over pyoxigraph whose default graph holds the merge of the data graphs."""

    def __init__(self, store: ox.Store) -> None:
        self._store = store
        self._graphs = frozenset(
            URIRef(g.value) for g in store.named_graphs() if isinstance(g, ox.NamedNode)
        )

    @classmethod
    def from_file(cls, source: str | Path) -> OxigraphStore:
        """Load the quads of a TriG or N-Quads file; its data graphs merged are the default."""
        store = ox.Store()
        store.bulk_load(
            path=str(source), format=FORMATS.get(Path(source).suffix, ox.RdfFormat.TRIG)
        )
        ontology = ox.NamedNode(str(ONTOLOGY_IRI))
        store.bulk_extend(merged([q.triple for q in store if q.graph_name != ontology]))
        return cls(store)

    @classmethod
    def from_directory(cls, directory: str | Path) -> OxigraphStore:
        """Open a release's on-disk store read-only."""
        return cls(open_read_only(Path(directory)))

    def query(
        self,
        sparql: str,
        dataset: DatasetSpec | None = None,
        row_limit: int | None = None,
        base: str | None = None,
        nesting_limit: int | None = None,
    ) -> QueryResult:
        """Run a SPARQL query into rdflib terms (for pages and tables)."""
        shape = checked_shape(sparql, nesting_limit)
        drained = _raised(on_deep_stack(self._execute, shape, dataset, base, row_limit, _drain))
        return order_variables(_to_result(drained, row_limit, shape.form), shape)

    def _query_here(self, sparql: str) -> QueryResult:
        """Run a query on this thread's stack (for the server's own, small queries)."""
        shape = checked_shape(sparql)
        drained = _raised(self._execute(shape, None, None, None, _drain))
        return order_variables(_to_result(drained, None, shape.form), shape)

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
        """Run a SPARQL query and serialize its result with Oxigraph's own writers."""
        shape = checked_shape(sparql, nesting_limit)
        writer = Serializer(media_type, row_limit, shape, prefixes or {})
        return _raised(on_deep_stack(self._execute, shape, dataset, base, row_limit, writer))

    def _execute(
        self,
        shape: QueryShape,
        dataset: DatasetSpec | None,
        base: str | None,
        row_limit: int | None,
        consume: Callable[[Any, int | None], Any],
    ) -> Any:
        """Run a query and hand its result to consume; errors come back as values.

        Oxigraph's results may only be dropped by the thread that made them: none may
        outlive this call, not even in the traceback of an error raised later.
        """
        # pyoxigraph's union default graph would override the query's own FROM clauses.
        options = _dataset_options(dataset or shape.dataset)
        try:
            raw = self._store.query(shape.text, base_iri=base, **options)
        except SyntaxError as error:
            return QuerySyntaxError(syntax_message(error))
        try:
            return consume(raw, row_limit)
        except Exception as error:
            return error.with_traceback(None)
        finally:
            del raw

    def lookup(self, sparql: str) -> QueryResult:
        """Run one of the server's own bounded queries (no thread of its own: they are small)."""
        return self._query_here(sparql)

    def describe(self, iri: URIRef) -> Graph:
        """Return outgoing and incoming triples of iri with their blank-node closure."""
        graph = Graph()
        node = _named_node(iri)
        if node is None:
            return graph
        pending: list[Any] = [node]
        seen: set[Any] = set()
        while pending:
            subject = pending.pop()
            if subject in seen:
                continue
            seen.add(subject)
            for quad in self._store.quads_for_pattern(subject, None, None, DEFAULT):
                graph.add(rdflib_triple(quad))
                if isinstance(quad.object, ox.BlankNode):
                    pending.append(quad.object)
        for quad in self._store.quads_for_pattern(None, None, node, DEFAULT):
            graph.add(rdflib_triple(quad))
        return graph

    def exists(self, iri: URIRef) -> bool:
        """Tell whether iri occurs as a subject or an object."""
        node = _named_node(iri)
        if node is None:
            return False
        quads = itertools.chain(
            self._store.quads_for_pattern(node, None, None, DEFAULT),
            self._store.quads_for_pattern(None, None, node, DEFAULT),
        )
        return next(quads, None) is not None

    def graphs(self) -> frozenset[URIRef]:
        """Return the IRIs of the named graphs."""
        return self._graphs

    def labels(self, iris: Iterable[URIRef]) -> dict[URIRef, list[Literal]]:
        """Return each IRI's label literals."""
        found: dict[URIRef, list[Literal]] = {}
        predicates = [ox.NamedNode(str(p)) for p in LABEL_PROPERTIES]
        graphs = (DEFAULT, ox.NamedNode(str(ONTOLOGY_IRI)))
        for iri in set(iris):
            subject = _named_node(iri)
            if subject is None:
                continue
            values = [
                to_rdflib(q.object)
                for p in predicates
                for g in graphs
                for q in self._store.quads_for_pattern(subject, p, None, g)
                if isinstance(q.object, ox.Literal)
            ]
            if values:
                found[iri] = values
        return found

    def close(self) -> None:
        """Drop the store."""
        self._store, self._graphs = ox.Store(), frozenset()


def _named_node(iri: URIRef) -> ox.NamedNode | None:
    """Return iri as an Oxigraph node, or None if it is no valid IRI (so in no quad)."""
    try:
        return ox.NamedNode(str(iri))
    except ValueError:
        return None


def _dataset_options(dataset: DatasetSpec | None) -> dict[str, Any]:
    if dataset is None:
        return {}  # the store's default graph: the merge of the data graphs
    return {
        "default_graph": [ox.NamedNode(str(iri)) for iri in dataset.default],
        "named_graphs": [ox.NamedNode(str(iri)) for iri in dataset.named],
    }


@dataclass(frozen=True)
class _Drained:
    """A result read out of Oxigraph into rdflib terms (at most row_limit + 1 items)."""

    kind: str
    boolean: bool | None = None
    variables: tuple[str, ...] = ()
    items: tuple[Any, ...] = ()


def _drain(raw: Any, row_limit: int | None) -> _Drained:
    """Read a result into rdflib terms, leaving no Oxigraph object behind."""
    if isinstance(raw, ox.QueryBoolean):
        return _Drained("ASK", boolean=bool(raw))
    stop = None if row_limit is None else row_limit + 1
    if isinstance(raw, ox.QuerySolutions):
        variables = tuple(v.value for v in raw.variables)
        rows = (tuple(_maybe(s[v]) for v in variables) for s in raw)
        items = tuple(itertools.islice(rows, stop))
        rows.close()
        return _Drained("SELECT", variables=variables, items=items)
    triples = (rdflib_triple(t) for t in raw)
    items = tuple(itertools.islice(triples, stop))
    triples.close()
    return _Drained("GRAPH", items=items)


def _to_result(drained: _Drained, row_limit: int | None, form: str | None) -> QueryResult:
    if drained.kind == "ASK":
        return QueryResult(form="ASK", boolean=drained.boolean)
    if drained.kind == "SELECT":
        rows = take_rows(iter(drained.items), row_limit, "rows")
        return QueryResult(form="SELECT", variables=drained.variables, rows=rows)
    triples = take_rows(iter(drained.items), row_limit, "triples")
    return QueryResult(form="DESCRIBE" if form == "DESCRIBE" else "CONSTRUCT", triples=triples)


def _raised(value: Any) -> Any:
    """Raise value if it is an error, else return it."""
    if isinstance(value, BaseException):
        raise value
    return value


def _maybe(term: Any) -> Node | None:
    return None if term is None else to_rdflib(term)
