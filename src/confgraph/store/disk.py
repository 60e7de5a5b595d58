"""The release's on-disk Oxigraph store: bulk-loaded once by the build, then only read.

The store's default graph holds the merge of the data graphs (each distinct triple once),
so a query without FROM sees an RDF merge, a set; every named graph (each programme,
the shared graph, the ontology and the release's description) is stored as well.
"""

from __future__ import annotations

import gzip
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from confgraph.errors import ReleaseError
from confgraph.vocab import ONTOLOGY_IRI

STORE_DIR = "store"
MANIFEST = "release.json"  # a release's manifest, beside its dumps and its store
FILE_FORMATS = {
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ttl": ox.RdfFormat.TURTLE,
}
MERGE_INTO_DEFAULT = (
    f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{ONTOLOGY_IRI}>) }}"
)
LOAD_BLOCK = 32 << 20
OWL_VERSION_INFO = ox.NamedNode("http://www.w3.org/2002/07/owl#versionInfo")


def load_file(store: ox.Store, path: Path, to_graph: Any = None) -> None:
    """Bulk-load an RDF file (gzipped or not, format by its name) with Oxigraph's parser."""
    plain = path.name.removesuffix(".gz")
    syntax = FILE_FORMATS[Path(plain).suffix]
    with gzip.open(path) if path.name.endswith(".gz") else path.open("rb") as handle:
        store.bulk_load(handle, syntax, to_graph=to_graph)


def load_store(directory: Path, named: bytes, data: bytes) -> ox.Store:
    """Bulk-load a new store with a release's named graphs (N-Quads) and, as its default
    graph, the merge of the data graphs (N-Triples); `finish_store` completes it.

    The lines go in by blocks: the bulk loader holds what it is given in memory, and
    a million quads at once took 1 GiB more (measured), 32 MiB blocks hardly any.
    """
    store = ox.Store(str(directory))
    load_lines(store, named)
    load_lines(store, data, ox.DefaultGraph())
    return store


def load_lines(store: ox.Store, lines: bytes, to_graph: ox.DefaultGraph | None = None) -> None:
    """Bulk-load N-Quads lines, or N-Triples lines into `to_graph`, by blocks (see above)."""
    syntax = ox.RdfFormat.N_QUADS if to_graph is None else ox.RdfFormat.N_TRIPLES
    for block in blocks_of_lines(lines, LOAD_BLOCK):
        store.bulk_load(block, syntax, to_graph=to_graph)


def blocks_of_lines(data: bytes, size: int) -> Iterator[bytes]:
    """Yield data in blocks of about `size` bytes, each ending at the end of a line."""
    start = 0
    while start < len(data):
        end = data.find(b"\n", min(start + size, len(data)) - 1) + 1 or len(data)
        yield data[start:end]
        start = end


def finish_store(store: ox.Store, void: Path, void_graph: str) -> None:
    """Add the release's description as a graph of its own (in place of an older one) and
    write the store to disk.

    The caller then drops its last reference to the store, which closes the database.
    """
    store.remove_graph(ox.NamedNode(void_graph))
    load_file(store, void, ox.NamedNode(void_graph))
    store.flush()


def open_read_only(directory: Path) -> ox.Store:
    """Open a release's store for reading; processes that share it share the page cache."""
    try:
        return ox.Store.read_only(str(directory))
    except OSError as error:
        raise ReleaseError(f"{directory}: not a readable Oxigraph store ({error})") from None


def store_release(store: ox.Store, void_graph: str, dataset: str) -> str | None:
    """Return the release id the store's description of the dataset records, if any."""
    graph, subject = ox.NamedNode(void_graph), ox.NamedNode(dataset)
    for quad in store.quads_for_pattern(subject, OWL_VERSION_INFO, None, graph):
        if isinstance(quad.object, ox.Literal):
            return quad.object.value
    return None


def rebuild_store(directory: Path, named: Path, void: Path, void_graph: str) -> None:
    """Load a store from a release's named graphs and description, then move it into place.

    The default graph is merged from the named graphs themselves (all but the ontology),
    so it holds what they hold even in a release whose data dump is older than them.
    """
    staging = directory.with_name(f".{directory.name}-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    store = ox.Store(str(staging))
    load_file(store, named)
    store.update(MERGE_INTO_DEFAULT)
    load_file(store, void, ox.NamedNode(void_graph))
    store.flush()
    del store
    shutil.rmtree(directory, ignore_errors=True)
    staging.rename(directory)
