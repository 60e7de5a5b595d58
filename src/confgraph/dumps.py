"""Write deterministic dumps: the same graph gives byte-identical files."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph

from confgraph.formats import DATASET_FORMATS, GRAPH_FORMATS
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
    """One dump file: its name, media type and writer."""

    name: str
    media_type: str
    title: str
    write: Callable[[Dataset, Graph, Path], None]


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes on a graph (replacing rdflib's defaults)."""
    for prefix, namespace in WELL_KNOWN_PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def turtle_text(graph: Graph) -> str:
    """Serialise a graph as Turtle (rdflib sorts subjects and predicates)."""
    copy = bind_prefixes(Graph())
    copy += graph
    return copy.serialize(format="turtle")


def write_turtle(_: Dataset, data: Graph, path: Path) -> None:
    """Write the data graph as Turtle."""
    path.write_text(turtle_text(data), encoding="utf-8")


def ntriples_text(graph: Graph) -> str:
    """Serialise a graph as N-Triples with lines sorted."""
    lines = graph.serialize(format="nt").splitlines()
    return "".join(sorted(f"{line}\n" for line in lines if line.strip()))


def write_ntriples_gz(_: Dataset, data: Graph, path: Path) -> None:
    """Write the data graph as gzipped N-Triples with a fixed header (no time, no name)."""
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(ntriples_text(data).encode("utf-8"))


def write_jsonld(_: Dataset, data: Graph, path: Path) -> None:
    """Write the data graph as compacted JSON-LD with nodes and values sorted."""
    prefixes = dict(sorted(WELL_KNOWN_PREFIXES.items()))
    document = json.loads(data.serialize(format="json-ld", context=prefixes))
    context = document.pop("@context", prefixes)
    nodes = document.get("@graph", [document] if document else [])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True))
    document = {"@context": context, "@graph": sorted(nodes, key=lambda n: n.get("@id", ""))}
    text = json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")


def write_trig(dataset: Dataset, _: Graph, path: Path) -> None:
    """Write every named graph, sorted by name, as TriG."""
    prefixes: set[str] = set()
    blocks = []
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if len(graph) == 0:
            continue
        lines = turtle_text(graph).splitlines()
        prefixes.update(line for line in lines if line.startswith("@prefix"))
        body = [line for line in lines if not line.startswith("@prefix")]
        inner = "\n".join(f"    {line}" if line else "" for line in body).strip("\n")
        blocks.append(f"<{graph.identifier}> {{\n{inner}\n}}\n")
    header = "".join(f"{line}\n" for line in sorted(prefixes))
    path.write_text("\n".join([header, *blocks]), encoding="utf-8")


DUMP_FORMATS = (
    DumpFormat("confgraph.ttl", GRAPH_FORMATS["turtle"].media_type, "Turtle dump", write_turtle),
    DumpFormat(
        "confgraph.nt.gz",
        GRAPH_FORMATS["nt"].media_type,
        "gzipped N-Triples dump",
        write_ntriples_gz,
    ),
    DumpFormat(
        "confgraph.jsonld", GRAPH_FORMATS["json-ld"].media_type, "JSON-LD dump", write_jsonld
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
