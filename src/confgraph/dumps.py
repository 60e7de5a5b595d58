"""Write deterministic dumps with Oxigraph's serializers: the same quads give the same bytes."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from confgraph.formats import DATASET_FORMATS, GRAPH_FORMATS
from confgraph.jsonld import write_jsonld_document
from confgraph.quads import ReleaseQuads
from confgraph.vocab import PREFIXES

GZIP_BLOCK = 1 << 22
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
    """One dump file: its name, media type and writer."""

    name: str
    media_type: str
    title: str
    write: Callable[[ReleaseQuads, Path], None]
    background: bool = False  # its writer runs outside the interpreter's lock (zlib)


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


def write_turtle(quads: ReleaseQuads, path: Path) -> None:
    """Write the data as Turtle, with Oxigraph's serializer, in dump order."""
    ox.serialize(quads.data(), str(path), ox.RdfFormat.TURTLE, prefixes=WELL_KNOWN_PREFIXES)


def _gzipped(path: Path, data: bytes) -> None:
    """Write a gzip file with a fixed header (no time, no name): same input, same bytes."""
    with (
        path.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as gz,
    ):
        view = memoryview(data)
        for start in range(0, len(data), GZIP_BLOCK):  # zlib leaves the lock per block
            gz.write(view[start : start + GZIP_BLOCK])


def write_ntriples_gz(quads: ReleaseQuads, path: Path) -> None:
    """Write the data as gzipped N-Triples, lines sorted."""
    _gzipped(path, quads.ntriples)


def write_nquads_gz(quads: ReleaseQuads, path: Path) -> None:
    """Write every graph as gzipped N-Quads, graph by graph, lines sorted within each."""
    _gzipped(path, quads.nquads)


def write_jsonld(quads: ReleaseQuads, path: Path) -> None:
    """Write the data as JSON-LD with the dataset's prefixes as its context."""
    with path.open("w", encoding="utf-8") as out:
        write_jsonld_document(quads.data(), out, dict(sorted(WELL_KNOWN_PREFIXES.items())))


def write_trig(quads: ReleaseQuads, path: Path) -> None:
    """Write every named graph, sorted by name, as TriG."""
    ox.serialize(quads.quads(), str(path), ox.RdfFormat.TRIG, prefixes=WELL_KNOWN_PREFIXES)


DUMP_FORMATS = (
    DumpFormat("confgraph.ttl", GRAPH_FORMATS["turtle"].media_type, "Turtle dump", write_turtle),
    DumpFormat(
        "confgraph.nt.gz",
        GRAPH_FORMATS["nt"].media_type,
        "gzipped N-Triples dump",
        write_ntriples_gz,
        background=True,
    ),
    DumpFormat(
        "confgraph.jsonld", GRAPH_FORMATS["json-ld"].media_type, "JSON-LD dump", write_jsonld
    ),
    DumpFormat(
        "confgraph.nq.gz",
        DATASET_FORMATS["nquads"].media_type,
        "gzipped N-Quads dump (named graphs)",
        write_nquads_gz,
        background=True,
    ),
    DumpFormat(
        "confgraph.trig",
        DATASET_FORMATS["trig"].media_type,
        "TriG dump (named graphs)",
        write_trig,
    ),
)


def sha256_file(path: Path) -> str:
    """Return the hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()
