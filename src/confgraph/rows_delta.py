"""The tables and the search index of a build from the published release: the rows of
the resources a change can alter are made again, every other row is the published one.

A row, or a search document, of a resource reads the triples of the resource and of the
roles and affiliations pointing at it (records.REVERSE_READS), and of the nodes these
reach (see records.SUPER_EVENT). A changed triple can therefore alter only the rows of
the nodes that reach its subject, and of the nodes these point at through REVERSE_READS.
The nodes that reach it are found in the published store, as for validation
(confgraph.validate_delta): a path to a changed triple runs through unchanged triples up
to the first changed one. Their new rows come from the triples they read in the new
data; the published rows of the others are kept, and both are merged in the tables'
order (by resource IRI), so the files are those a build from scratch writes
(tests/test_rows_delta.py compares them).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from pathlib import Path

import pyoxigraph as ox

from confgraph.delta import Delta
from confgraph.quads import ReleaseQuads
from confgraph.reach import affected_nodes, reached
from confgraph.records import REVERSE_READS, SUPER_EVENT, Records, Term
from confgraph.searchdocs import search_documents
from confgraph.store.disk import open_read_only
from confgraph.store.search import SEARCH_FILE, Document, read_documents
from confgraph.tables import TABLES, Table, csv_text, header_text, published_rows

Edge = tuple[Term, Term]
READS_BACK = tuple(ox.NamedNode(iri) for iri in REVERSE_READS)


@dataclass(frozen=True)
class Remade:
    """The resources whose rows are made again, the data they are made from, and the
    published release the other rows are kept from."""

    resources: frozenset[str]
    records: Records
    published: Path

    def table_bytes(self, table: Table) -> bytes:
        """Return a table's CSV: the published rows, those of the resources remade."""
        published = published_rows(self.published / table.path)
        kept = (row for row in published if row[0] not in self.resources)
        rows = (row for row in table.rows(self.records) if row[0] in self.resources)
        new = ((row[0], csv_text([row])) for row in rows)
        merged = heapq.merge(kept, new, key=itemgetter(0))
        return (header_text(table) + "".join(text for _, text in merged)).encode("utf-8")

    def documents(self) -> Iterator[Document]:
        """Yield the search index's documents in order, those of resources remade."""
        published = read_documents(self.published / SEARCH_FILE)
        kept = (d for d in published if d.iri not in self.resources)
        new = (d for d in search_documents(self.records) if d.iri in self.resources)
        return heapq.merge(kept, new, key=attrgetter("iri"))


def remade(delta: Delta, quads: ReleaseQuads) -> Remade | None:
    """Return what the tables and index of the new data need made again; None when the
    change reaches too much (or a blank node), or the published release lacks a table."""
    files = [delta.base / table.path for table in TABLES] + [delta.base / SEARCH_FILE]
    if not all(path.is_file() for path in files):
        return None
    store = open_read_only(delta.base_store)
    reaching_change = affected_nodes(delta, store)
    if reaching_change is None:
        return None
    edges = _new_reverse_edges(delta)
    resources = set(reaching_change) | _ends(store, edges, reaching_change, forward=True)
    if "" in resources:  # a role or affiliation of a blank node
        return None
    readers = _ends(store, edges, resources, forward=False)
    if "" in readers:
        return None
    lines = reached(quads.ntriples, sorted(resources | readers), along=SUPER_EVENT)
    if lines is None:
        return None
    records = Records.from_triples(ox.parse(lines, format=ox.RdfFormat.N_TRIPLES))
    return Remade(frozenset(resources), records, delta.base)


def _new_reverse_edges(delta: Delta) -> list[Edge]:
    """Return the REVERSE_READS links of the changed graphs' new lines, as (from, to)."""
    quads = ox.parse(b"".join(delta.new.values()), format=ox.RdfFormat.N_QUADS)
    return [(q.subject, q.object) for q in quads if q.predicate in READS_BACK]


def _ends(store: ox.Store, edges: list[Edge], nodes: Iterable[str], forward: bool) -> set[str]:
    """Return the IRIs the nodes point at through REVERSE_READS (forward), or those that
    point at them (not forward), in the published store or the new links ('' for a
    blank node)."""
    found: set[str] = set()
    for node in map(ox.NamedNode, nodes):
        for predicate in READS_BACK:
            pattern = (node, predicate, None) if forward else (None, predicate, node)
            for quad in store.quads_for_pattern(*pattern, ox.DefaultGraph()):
                found.add(_iri(quad.object if forward else quad.subject))
    wanted = set(nodes)
    for start, end in edges:
        if _iri(start if forward else end) in wanted:
            found.add(_iri(end if forward else start))
    return found


def _iri(term: Term) -> str:
    """Return a term's IRI ('' when it is not an IRI)."""
    return term.value if isinstance(term, ox.NamedNode) else ""
