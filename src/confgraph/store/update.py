"""A new release's store made from the published one: copied, then changed graph by graph.

The copy is Oxigraph's backup (hard links to the published store's immutable files, so it
takes no time and little space), opened and changed while the published store serves on.
Each changed named graph is replaced whole. The default graph, the merge of the data
graphs, gains every triple of the changed graphs and loses those of their old triples that
no graph holds any more, compared as Oxigraph stores them: it keeps "1"^^xsd:integer
for "01"^^xsd:integer, so that is the comparison that tells what is left.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from confgraph.delta import Delta
from confgraph.quads import without_graph
from confgraph.store.disk import blocks_of_lines, open_read_only
from confgraph.vocab import ONTOLOGY_IRI

LOAD_BLOCK = 32 << 20


def updated_store(directory: Path, delta: Delta, merged: bytes) -> ox.Store:
    """Return a store at `directory` holding the published store changed by the delta, with
    `merged` (the new data graphs' merge, sorted N-Triples) as its default graph."""
    open_read_only(delta.base_store).backup(str(directory))
    store = ox.Store(str(directory))
    gone = _gone_from_merge(delta, merged)
    for name in delta.old:
        store.remove_graph(ox.NamedNode(name))
        for block in blocks_of_lines(delta.new[name], LOAD_BLOCK):
            store.bulk_load(block, ox.RdfFormat.N_QUADS)
        if name != str(ONTOLOGY_IRI):
            _load_default(store, without_graph(delta.new[name], name))
    for triple in gone:
        store.remove(ox.Quad(triple.subject, triple.predicate, triple.object, ox.DefaultGraph()))
    return store


def _load_default(store: ox.Store, lines: bytes) -> None:
    """Add N-Triples lines to the default graph (a triple it holds stays once)."""
    for block in blocks_of_lines(lines, LOAD_BLOCK):
        store.bulk_load(block, ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())


def _gone_from_merge(delta: Delta, merged: bytes) -> list[ox.Triple]:
    """Return the triples the changed graphs held that the new merge lacks, as stored."""
    lines = merged.splitlines(keepends=True)
    candidates = [
        line
        for name, old in delta.old.items()
        if name != str(ONTOLOGY_IRI)
        for line in without_graph(old, name).splitlines(keepends=True)
        if not _holds(lines, line)
    ]
    if not candidates:
        return []
    kept = _stored(_lines_about(lines, {_subject(line) for line in candidates}))
    return [t for t in _stored(candidates) if t not in kept]


def _holds(lines: list[bytes], line: bytes) -> bool:
    """Tell whether sorted lines hold a line."""
    at = bisect_left(lines, line)
    return at < len(lines) and lines[at] == line


def _subject(line: bytes) -> bytes:
    return line[: line.index(b" ")]


def _lines_about(lines: list[bytes], subjects: Iterable[bytes]) -> list[bytes]:
    """Return the sorted lines whose subject is one of these (each subject's are together)."""
    found = []
    for subject in subjects:
        prefix = subject + b" "
        at = bisect_left(lines, prefix)
        while at < len(lines) and lines[at].startswith(prefix):
            found.append(lines[at])
            at += 1
    return found


def _stored(lines: list[bytes]) -> set[ox.Triple]:
    """Return N-Triples lines as the triples an Oxigraph store makes of them."""
    store = ox.Store()
    store.bulk_load(b"".join(lines), ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    return {ox.Triple(q.subject, q.predicate, q.object) for q in store}
