"""Write deterministic dumps with Oxigraph's serializers: the same quads give the same bytes."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from confgraph.chunks import Body, Chunk, Layout, Placed, keyed, write_chunked
from confgraph.errors import ReleaseError
from confgraph.formats import DATASET_FORMATS, GRAPH_FORMATS
from confgraph.jsonld import jsonld_frame, jsonld_nodes
from confgraph.quads import ReleaseQuads
from confgraph.vocab import PREFIXES

WELL_KNOWN_PREFIXES = {
    "conf": str(PREFIXES["conf"]),
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "cg": str(PREFIXES["cg"]),
    "wd": str(PREFIXES["wd"]),
}


@dataclass(frozen=True)
class DumpFormat:
    """One dump file: its name, media type, chunks and how they make the file."""

    name: str
    media_type: str
    title: str
    layout: Callable[[], Layout]
    chunks: Callable[[ReleaseQuads], tuple[bytes, Sequence[Chunk]]]  # the lines, their chunks
    background: bool = False  # its writer runs outside the interpreter's lock (zlib)

    def write(
        self, quads: ReleaseQuads, path: Path, previous: Path | None = None
    ) -> dict[str, Placed]:
        """Write the dump, copying unchanged chunks from a previous release's (see chunks)."""
        return write_chunked(path, self.layout(), *self.chunks(quads), previous)


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes on a graph (replacing rdflib's defaults)."""
    for prefix, namespace in WELL_KNOWN_PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def turtle_text(graph: Graph) -> str:
    """Serialise a small graph as Turtle with rdflib (it sorts subjects and predicates)."""
    copy = bind_prefixes(Graph())
    copy += graph
    return copy.serialize(format="turtle")


def _prefix_head(syntax: ox.RdfFormat) -> bytes:
    """Return the prefix lines Oxigraph's serializer starts a Turtle or TriG text with."""
    node = ox.NamedNode("urn:x")
    triple = ox.Triple(node, node, node)
    one = ox.Quad(*triple, node) if syntax.supports_datasets else triple  # type: ignore[misc]
    text = ox.serialize([one], format=syntax, prefixes=WELL_KNOWN_PREFIXES)
    return text[: text.index(b"\n", text.rindex(b"@prefix")) + 1]


def _serialized(syntax: ox.RdfFormat, parsed: ox.RdfFormat, head: bytes) -> Body:
    """Return the writer of a chunk's body in a Turtle or TriG dump (without the prefixes)."""

    def body(lines: bytes) -> bytes:
        triples = ox.parse(lines, format=parsed)
        text = ox.serialize(triples, format=syntax, prefixes=WELL_KNOWN_PREFIXES)
        if text and not text.startswith(head):  # another serializer: fail, never mix
            raise ReleaseError(f"the {syntax.name} serializer no longer starts with the prefixes")
        return text[len(head) :]

    return body


def turtle_layout() -> Layout:
    """Turtle with the project's prefixes, the subjects in dump order."""
    head = _prefix_head(ox.RdfFormat.TURTLE)
    return Layout(head, b"", b"", _serialized(ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, head))


def trig_layout() -> Layout:
    """TriG with the project's prefixes, the graphs sorted by name."""
    head = _prefix_head(ox.RdfFormat.TRIG)
    return Layout(head, b"", b"", _serialized(ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS, head))


def gzip_layout() -> Layout:
    """Gzip members (fixed header: no time, no name), one per chunk: one gzip file."""
    return Layout(b"", b"", b"", lambda lines: gzip.compress(lines, compresslevel=6, mtime=0))


def jsonld_layout() -> Layout:
    """A JSON-LD document with the dataset's prefixes as its context (see confgraph.jsonld)."""
    context = dict(sorted(WELL_KNOWN_PREFIXES.items()))
    head, tail = jsonld_frame(context)
    return Layout(head, b",", tail, jsonld_nodes(context))


def _merge_chunks(quads: ReleaseQuads) -> tuple[bytes, Sequence[Chunk]]:
    return quads.ntriples, quads.subject_chunks


def _graph_chunks(quads: ReleaseQuads) -> tuple[bytes, Sequence[Chunk]]:
    """Return the graphs as chunks, keyed by the digests the manifest lists too."""
    digests = quads.digests
    chunks = [(digests[name], start, end) for name, start, end in quads.spans]
    return quads.nquads, chunks or [keyed(b"", 0, 0)]


DUMP_FORMATS = (
    DumpFormat(
        "confgraph.ttl", GRAPH_FORMATS["turtle"].media_type, "Turtle dump", turtle_layout,
        _merge_chunks,
    ),
    DumpFormat(
        "confgraph.nt.gz", GRAPH_FORMATS["nt"].media_type, "gzipped N-Triples dump",
        gzip_layout, _merge_chunks, background=True,
    ),
    DumpFormat(
        "confgraph.jsonld", GRAPH_FORMATS["json-ld"].media_type, "JSON-LD dump",
        jsonld_layout, _merge_chunks,
    ),
    DumpFormat(
        "confgraph.nq.gz", DATASET_FORMATS["nquads"].media_type,
        "gzipped N-Quads dump (named graphs)", gzip_layout, _graph_chunks, background=True,
    ),
    DumpFormat(
        "confgraph.trig", DATASET_FORMATS["trig"].media_type, "TriG dump (named graphs)",
        trig_layout, _graph_chunks,
    ),
)


def sha256_file(path: Path) -> str:
    """Return the hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()
