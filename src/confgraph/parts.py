"""Programmes built one by one, in a pool of processes, each as sorted N-Quads.

A programme's triples depend on its own file, the registries and the base IRI only, so the
union of programmes built alone is the build of all of them (`build.build_dataset`). A
worker reads a file, builds it and sends back its quads as N-Quads bytes, which cost little
to send and which the cache keeps as they are; the release is assembled from them
(`confgraph.assemble`) without making an rdflib term of the data again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from confgraph.build import Triple, build_dataset
from confgraph.errors import DataError
from confgraph.iris import Iris
from confgraph.load import Reference, map_files, read_one
from confgraph.model import Catalogue
from confgraph.programme import Claim
from confgraph.quads import nquads_lines

# Files a worker builds per task: results stream back while it builds on.
CHUNK = 8


@dataclass(frozen=True)
class Part:
    """One programme file built alone: the shared keys it claims, its warnings, its quads."""

    source: str  # the file as errors name it
    claims: tuple[Claim, ...]
    warnings: tuple[str, ...]
    # Its graph and its share of the shared graph: each graph's IRI and sorted N-Quads lines.
    graphs: tuple[tuple[str, bytes], ...]

    @property
    def body(self) -> bytes:
        """Return the lines of every graph, graph after graph."""
        return b"".join(lines for _, lines in self.graphs)


def encode_graphs(graphs: Mapping[URIRef, Iterable[Triple]]) -> tuple[tuple[str, bytes], ...]:
    """Return named graphs, in the order of their IRIs, each as its sorted N-Quads lines:
    the same graphs give the same bytes. Empty graphs are left out."""
    memo: dict = {}
    lines = ((str(name), nquads_lines(name, graphs[name], memo)) for name in sorted(graphs))
    return tuple((name, text) for name, text in lines if text)


def build_one(path: Path, reference: Reference, iris: Iris) -> Part | DataError:
    """Read and build one programme file, returning its error instead of raising it."""
    read = read_one(path, reference.countries, reference.organisations)
    if isinstance(read, DataError):
        return read
    alone = Catalogue((read.programme,), reference.countries, reference.organisations)
    graphs = encode_graphs(build_dataset(alone, iris).graphs)
    return Part(read.programme.source, read.claims, read.warnings, graphs)


def build_all(
    files: Sequence[Path], reference: Reference, iris: Iris, workers: int
) -> Iterator[Part | DataError]:
    """Build every file in order, in a process pool when there are enough files and cores."""
    return map_files(build_one, files, (reference, iris), workers, CHUNK)
