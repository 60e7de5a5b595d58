"""The release's on-disk Oxigraph store: bulk-loaded once by the build, then only read.

The store's default graph holds the merge of the data graphs (each distinct triple once),
so a query without FROM sees an RDF merge, a set; every named graph (each programme,
the shared graph, the ontology and the release's description) is stored as well.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from confgraph.errors import ReleaseError
from confgraph.vocab import ONTOLOGY_IRI

STORE_DIR = "store"
MANIFEST = "release.json"  # a release's manifest, beside its dumps and its store
OWL_VERSION_INFO = ox.NamedNode("http://www.w3.org/2002/07/owl#versionInfo")


def merged(triples: Iterable[ox.Triple]) -> Iterator[ox.Quad]:
    """Return triples as quads of the default graph."""
    default = ox.DefaultGraph()
    for triple in triples:
        yield ox.Quad(triple.subject, triple.predicate, triple.object, default)


def write_store(directory: Path, quads: Iterable[ox.Quad], data: Iterable[ox.Triple]) -> None:
    """Bulk-load a new store: the named graphs' quads, then the data's merge as default graph."""
    store = ox.Store(str(directory))
    store.bulk_extend(quads)
    store.bulk_extend(merged(data))
    store.flush()
    del store  # closes the database: readers may open it from now on


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


def rebuild_store(directory: Path, source: Path, void: Path, void_graph: str) -> None:
    """Load a store from a release's TriG dump and description, then move it into place."""
    staging = directory.with_name(f".{directory.name}-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    store = ox.Store(str(staging))
    store.bulk_load(path=str(source), format=ox.RdfFormat.TRIG)
    data = [q.triple for q in store if q.graph_name != ox.NamedNode(str(ONTOLOGY_IRI))]
    store.bulk_extend(merged(data))
    store.bulk_load(path=str(void), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(void_graph))
    store.flush()
    del store
    shutil.rmtree(directory, ignore_errors=True)
    staging.rename(directory)
