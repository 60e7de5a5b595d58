"""Publish a release into a SPARQL engine: load its graphs, verify them, then switch.

Each graph of the release goes under the release's own engine name (store.engine_graphs)
through the Graph Store HTTP Protocol (PUT, then POST in bounded batches), or through
SPARQL Update (INSERT DATA in bounded batches) where the engine has no graph store. Every
graph's triple count is checked against the release's VoID (and against the dumps for
the graphs VoID does not count); only then does the pointer graph name the release as
served. An interrupted load leaves the pointer as it was: the served release is
untouched, the half-loaded graphs are recorded and dropped or replaced by the next run.
"""

from __future__ import annotations

import datetime as dt
import gzip
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, VOID, XSD

from confgraph.errors import ReleaseError
from confgraph.iris import Iris
from confgraph.store.convert import rdflib_triple
from confgraph.store.engine_graphs import (
    NO_GRAPH,
    ReleaseGraphs,
    loaded_releases,
    pointer_graph,
    release_node,
    served_release,
)
from confgraph.store.release import QUADS, Release
from confgraph.store.sparql_http import Endpoint

DATA_DUMP = "confgraph.nt.gz"
BATCH_TRIPLES = 20000
# A SPARQL Update is compiled whole: Virtuoso 7 refuses one of 2000 triples (its compiler
# runs out of memory, or past 10000 lines of SQL).
UPDATE_BATCH_TRIPLES = 500
NT = "application/n-triples"


@dataclass(frozen=True)
class Engine:
    """The addresses of one engine: query, and update or graph store (or both)."""

    query: Endpoint
    update: Endpoint | None = None
    graph_store: Endpoint | None = None
    dialect: str = ""

    def __post_init__(self) -> None:
        if self.update is None and self.graph_store is None:
            raise ReleaseError(
                "publishing needs the engine's graph store (--graph-store-url) "
                "or its update endpoint (--update-url)"
            )


@dataclass(frozen=True)
class Published:
    """What a publish did: the release served, the triples loaded and the releases dropped."""

    release_id: str
    triples: int
    loaded: bool
    dropped: tuple[str, ...]


def read_pointer(query: Endpoint, base: str) -> Graph:
    """Read the pointer graph from the engine (empty if nothing was ever published)."""
    pointer = pointer_graph(base)
    fields = [
        ("query", f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{pointer}> {{ ?s ?p ?o }} }}"),
        ("default-graph-uri", "urn:confgraph:no-graph"),
        ("named-graph-uri", str(pointer)),
    ]
    graph = Graph()
    with query.form(fields, NT + ", text/turtle;q=0.9").check() as reply:
        media = reply.header("Content-Type").split(";")[0].strip()
        fmt = ox.RdfFormat.TURTLE if media == "text/turtle" else ox.RdfFormat.N_TRIPLES
        for triple in ox.parse(reply.readall(), format=fmt):
            graph.add(rdflib_triple(triple))
    return graph


def publish_release(
    release: Release, engine: Engine, keep: int, say: Callable[[str], None]
) -> Published:
    """Load a release into the engine, verify it, switch the pointer, drop old releases."""
    graphs = ReleaseGraphs.of_release(release)
    expected = expected_counts(release, graphs)
    pointer = read_pointer(engine.query, release.base)
    already = served_release(pointer, release.base) == release.release_id
    total = 0
    if not already:
        record_release(pointer, graphs, issued=False)
        write_pointer(engine, release.base, pointer)
        loaded = load_release(release, graphs, engine, say)
        total = sum(loaded.values())
        verify_counts(engine, graphs, expected, loaded)
        record_release(pointer, graphs, issued=True)
        write_pointer(engine, release.base, pointer)
        say(f"release {release.release_id} is now served by the engine")
    else:
        say(f"release {release.release_id} is already served by the engine")
    dropped = prune_releases(engine, release.base, pointer, keep, say)
    return Published(release.release_id, total, not already, dropped)


def expected_counts(release: Release, graphs: ReleaseGraphs) -> dict[URIRef, int]:
    """Return the triple count VoID records for each engine graph it counts."""
    description = release.graph("void.ttl")
    dataset = Iris(release.base).dataset()
    counts: dict[URIRef, int] = {}
    for subset in description.objects(dataset, VOID.subset):
        source = description.value(subset, DCTERMS.source)
        size = description.value(subset, VOID.triples)
        if isinstance(source, URIRef) and isinstance(size, Literal):
            counts[graphs.engine(source)] = int(size)
    size = description.value(dataset, VOID.triples)
    if isinstance(size, Literal):
        counts[graphs.default] = int(size)
    return counts


def load_release(
    release: Release, graphs: ReleaseGraphs, engine: Engine, say: Callable[[str], None]
) -> dict[URIRef, int]:
    """Load every graph of the release; return the triples sent to each engine graph."""
    if release.file_path(DATA_DUMP) is None:
        raise ReleaseError(f"{release.path}: the release lists no {DATA_DUMP}")
    sent: dict[URIRef, int] = {}
    parsed = ox.parse(path=str(release.quads), format=ox.RdfFormat.TRIG)
    for name, quads in itertools.groupby(parsed, key=lambda quad: quad.graph_name):
        if not isinstance(name, ox.NamedNode):
            raise ReleaseError(f"{release.quads}: a triple outside the named graphs")
        target = graphs.engine(URIRef(name.value))
        if target == NO_GRAPH:  # loaded there, it would be in every query's "empty" graph
            raise ReleaseError(
                f"{release.quads}: graph <{name.value}> is not among the graphs void.ttl lists"
            )
        _load(engine, target, (q.triple for q in quads), sent)
    void = release.path / "void.ttl"
    _load(engine, graphs.engine(Iris(release.base).void_graph()), _file(void), sent)
    _load(engine, graphs.default, _file(release.path / DATA_DUMP), sent)
    say(f"loaded {sum(sent.values())} triples in {len(sent)} graphs from {QUADS} and void.ttl")
    return sent


def _file(path: Path) -> Iterator[ox.Triple]:
    syntax = ox.RdfFormat.N_TRIPLES if ".nt" in path.suffixes else ox.RdfFormat.TURTLE
    with gzip.open(path) if path.suffix == ".gz" else path.open("rb") as handle:
        for quad in ox.parse(handle, format=syntax):
            yield quad.triple


def _load(engine: Engine, target: URIRef, triples: Iterable[ox.Triple], sent: dict) -> None:
    """Send one graph in batches: the first replaces the graph, the next ones add to it."""
    size = BATCH_TRIPLES if engine.graph_store is not None else UPDATE_BATCH_TRIPLES
    for batch in batches(triples, size):
        send_batch(engine, target, batch, replace=target not in sent)
        sent[target] = sent.get(target, 0) + len(batch)


def batches(triples: Iterable[ox.Triple], size: int) -> Iterator[list[ox.Triple]]:
    """Cut triples into batches; from a graph's first blank node on, they stay in one batch.

    A blank node's label holds only within one document: cut apart, it would become two.
    """
    batch: list[ox.Triple] = []
    blank = False
    for triple in triples:
        batch.append(triple)
        blank = blank or isinstance(triple.subject, ox.BlankNode)
        blank = blank or isinstance(triple.object, ox.BlankNode)
        if len(batch) >= size and not blank:
            yield batch
            batch = []
    if batch:
        yield batch


def send_batch(engine: Engine, target: URIRef, batch: list[ox.Triple], replace: bool) -> None:
    """Put (or add) a batch into one graph of the engine."""
    body = ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES)
    if engine.graph_store is not None:
        params = [("graph", str(target))]
        if engine.dialect == "oxigraph" and not replace:
            # Oxigraph server's bulk path: three times faster; the counts are verified after.
            params.append(("no_transaction", ""))
        method = "PUT" if replace else "POST"
        engine.graph_store.request(method, body, {"Content-Type": NT}, params).check().close()
        return
    assert engine.update is not None
    drop = f"DROP SILENT GRAPH <{target}> ;\n" if replace else ""
    triples = f"GRAPH <{target}> {{\n{body.decode()}}}"
    if any(
        isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in batch
    ):
        # Virtuoso refuses blank nodes in INSERT DATA; a template's are new, once per request.
        update = f"{drop}INSERT {{ {triples} }} WHERE {{}}"
    else:
        update = f"{drop}INSERT DATA {{ {triples} }}"
    engine.update.form([("update", update)], "*/*").check().close()


def count_triples(query: Endpoint, graph: URIRef) -> int:
    """Count the triples the engine holds in one graph."""
    fields = [
        ("query", f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"),
        ("default-graph-uri", "urn:confgraph:no-graph"),
        ("named-graph-uri", str(graph)),
    ]
    with query.form(fields, "application/sparql-results+xml").check() as reply:
        results = ox.parse_query_results(reply.readall(), format=ox.QueryResultsFormat.XML)
        for solution in results:
            value = solution["n"]
            return int(value.value) if value is not None else 0
    return 0


def verify_counts(
    engine: Engine,
    graphs: ReleaseGraphs,
    expected: dict[URIRef, int],
    loaded: dict[URIRef, int],
) -> None:
    """Check each graph's count in the engine against VoID and against what was sent."""
    problems = []
    for graph in graphs.all_engine_graphs():
        want = expected.get(graph, loaded.get(graph, 0))
        if loaded.get(graph, 0) != want:
            problems.append(f"{graph}: the dumps hold {loaded.get(graph, 0)}, VoID says {want}")
            continue
        found = count_triples(engine.query, graph)
        if found != want:
            problems.append(f"{graph}: the engine holds {found} triples, the release {want}")
    if problems:
        raise ReleaseError(
            "the release was not switched in, its graphs differ from the release: "
            + "; ".join(problems[:5])
        )


def record_release(pointer: Graph, graphs: ReleaseGraphs, issued: bool) -> None:
    """Record a release in the pointer graph: its graphs; once verified, served."""
    node = release_node(graphs.base, graphs.release_id)
    now = Literal(dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), datatype=XSD.dateTime)
    pointer.add((node, RDF.type, VOID.Dataset))
    pointer.set((node, OWL.versionInfo, Literal(graphs.release_id)))
    if pointer.value(node, DCTERMS.created) is None:
        pointer.add((node, DCTERMS.created, now))
    for graph in graphs.all_engine_graphs():
        pointer.add((node, VOID.subset, graph))
    if issued:
        pointer.set((node, DCTERMS.issued, now))
        pointer.set((Iris(graphs.base).dataset(), OWL.versionInfo, Literal(graphs.release_id)))


def write_pointer(engine: Engine, base: str, pointer: Graph) -> None:
    """Replace the pointer graph in the engine with one request."""
    triples = [ox.Triple(*(_ox(term) for term in triple)) for triple in pointer]
    send_batch(engine, pointer_graph(base), triples, replace=True)


def _ox(term: object) -> ox.NamedNode | ox.Literal:
    from confgraph.quads import to_oxigraph

    return to_oxigraph(term)  # type: ignore[arg-type,return-value]


def prune_releases(
    engine: Engine, base: str, pointer: Graph, keep: int, say: Callable[[str], None]
) -> tuple[str, ...]:
    """Drop the graphs of every release but the served one and the keep - 1 newest others."""
    served = served_release(pointer, base)
    loaded = loaded_releases(pointer, base)

    def issued(release_id: str) -> str:
        return str(pointer.value(release_node(base, release_id), DCTERMS.issued) or "")

    others = sorted((r for r in loaded if r != served and issued(r)), key=issued, reverse=True)
    kept = {served, *others[: max(0, keep - 1)]}
    dropped = tuple(sorted(r for r in loaded if r not in kept))
    for release_id in dropped:
        for graph in loaded[release_id]:
            drop_graph(engine, graph)
        pointer.remove((release_node(base, release_id), None, None))
        say(f"dropped release {release_id} from the engine")
    if dropped:
        write_pointer(engine, base, pointer)
    return dropped


def drop_graph(engine: Engine, graph: URIRef) -> None:
    """Drop one graph from the engine (nothing if it is not there)."""
    if engine.update is not None:
        engine.update.form([("update", f"DROP SILENT GRAPH <{graph}>")], "*/*").check().close()
        return
    assert engine.graph_store is not None
    reply = engine.graph_store.request("DELETE", None, {}, [("graph", str(graph))])
    if reply.status != 404:
        reply.check()
    reply.close()
