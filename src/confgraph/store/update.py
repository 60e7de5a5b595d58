"""A new release's store made from the published one: copied, then changed graph by graph.

The copy is Oxigraph's backup (hard links to the published store's immutable files, so it
takes no time and little space), opened and changed while the published store serves on.
Each changed named graph is replaced whole. The default graph, the merge of the data
graphs, gains every triple of the changed graphs and loses those of their old triples that
no graph holds any more, compared as Oxigraph stores them: it keeps "1"^^xsd:integer
for "01"^^xsd:integer, so that is the comparison that tells what is left.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from confgraph.delta import Delta
from confgraph.quads import first_line_from, lines_about, without_graph
from confgraph.store.disk import load_lines, open_read_only
from confgraph.vocab import ONTOLOGY_IRI


def updated_store(directory: Path, delta: Delta, merged: bytes) -> ox.Store:
    """Return a store at `directory` holding the published store changed by the delta, with
    `merged` (the new data graphs' merge, sorted N-Triples) as its default graph."""
    open_read_only(delta.base_store).backup(str(directory))
    store = ox.Store(str(directory))
    gone = _gone_from_merge(delta, merged)
    for name in delta.old:
        store.remove_graph(ox.NamedNode(name))
        load_lines(store, delta.new[name])
        if name != str(ONTOLOGY_IRI):  # a triple the merge holds already stays once
            load_lines(store, without_graph(delta.new[name], name), ox.DefaultGraph())
    for triple in gone:
        store.remove(ox.Quad(triple.subject, triple.predicate, triple.object, ox.DefaultGraph()))
    return store


def _gone_from_merge(delta: Delta, merged: bytes) -> list[ox.Triple]:
    """Return the triples the changed graphs held that the new merge lacks, as stored."""
    candidates = [
        line
        for name, old in delta.old.items()
        if name != str(ONTOLOGY_IRI)
        for line in without_graph(old, name).splitlines(keepends=True)
        if not _holds(merged, line)
    ]
    if not candidates:
        return []
    subjects = {line[: line.index(b" ")] for line in candidates}
    kept = _stored([line for subject in subjects for line in lines_about(merged, subject)])
    return [t for t in _stored(candidates) if t not in kept]


def _holds(lines: bytes, line: bytes) -> bool:
    """Tell whether sorted lines hold a line."""
    return lines.startswith(line, first_line_from(lines, line))


def _stored(lines: list[bytes]) -> set[ox.Triple]:
    """Return N-Triples lines as the triples an Oxigraph store makes of them."""
    store = ox.Store()
    store.bulk_load(b"".join(lines), ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    return {ox.Triple(q.subject, q.predicate, q.object) for q in store}
