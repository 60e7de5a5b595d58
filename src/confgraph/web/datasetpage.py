"""What the dataset page shows, read from the release's VoID/PROV description."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDFS, VOID
from rdflib.term import Node

SPDX = "http://spdx.org/rdf/terms#"


@dataclass(frozen=True)
class Count:
    """A class or property of the dataset and how many entities or triples it has."""

    iri: URIRef
    count: int
    anchor: str = ""  # the fragment of the partition's (or subset's) IRI, its row's id


def anchor(node: Node) -> str:
    """Return the fragment of a node of the description, which the page gives its row."""
    return str(node).partition("#")[2] if isinstance(node, URIRef) else ""


@dataclass(frozen=True)
class Source:
    """A file the release was built from, with its checksum and the graph built from it."""

    name: str
    media_type: str
    sha256: str
    graph: URIRef | None


def partitions(description: Graph, dataset: URIRef, link: URIRef, key: URIRef) -> list[Count]:
    """Return the class (or property) partitions of the dataset, largest first."""
    size = VOID.entities if link == VOID.classPartition else VOID.triples
    found = []
    for partition in description.objects(dataset, link):
        term, count = description.value(partition, key), description.value(partition, size)
        if isinstance(term, URIRef) and isinstance(count, Literal):
            found.append(Count(term, int(count), anchor(partition)))
    return sorted(found, key=lambda c: (-c.count, str(c.iri)))


def classes(description: Graph, dataset: URIRef) -> list[Count]:
    """Return the classes of the dataset with their entity counts."""
    return partitions(description, dataset, VOID.classPartition, VOID["class"])


def properties(description: Graph, dataset: URIRef) -> list[Count]:
    """Return the properties of the dataset with their triple counts."""
    return partitions(description, dataset, VOID.propertyPartition, VOID.property)


def graphs(description: Graph, dataset: URIRef) -> list[Count]:
    """Return the named graphs of the dataset with their triple counts.

    Graphs are named under `<base>/graph/`; a subset derived from a file (the M49 table) is
    described by its graph's own subset.
    """
    prefix = str(dataset).rsplit("/", 1)[0] + "/graph/"
    found = []
    for subset in description.objects(dataset, VOID.subset):
        graph = description.value(subset, DCTERMS.source)
        size = description.value(subset, VOID.triples)
        if str(graph).startswith(prefix) and isinstance(size, Literal):
            found.append(Count(URIRef(str(graph)), int(size), anchor(subset)))
    return sorted(found, key=lambda c: str(c.iri))


def sources(description: Graph, dataset: URIRef, base: str, served: set[URIRef]) -> list[Source]:
    """Return the files the release was derived from, each with the served graph built from it.

    A programme file programmes/<key>.yaml is built into the graph <base>/graph/<key>; the
    registry of organisations and the reference tables into the shared graph; dataset.yaml
    into the dataset's description.
    """
    found = []
    for entity in description.objects(dataset, PROV.wasDerivedFrom):
        name = str(description.value(entity, RDFS.label) or entity).strip()
        media_type = _text(description.value(entity, DCTERMS.format))
        found.append(Source(name, media_type, _sha(description, entity), None))
    return sorted((_built_into(s, base, served, dataset) for s in found), key=lambda s: s.name)


def _built_into(source: Source, base: str, served: set[URIRef], dataset: URIRef) -> Source:
    if source.name == "dataset.yaml":
        target: URIRef | None = dataset
    elif source.name.startswith("programmes/"):
        target = URIRef(f"{base}/graph/{source.name.removeprefix('programmes/').rsplit('.', 1)[0]}")
    elif source.name == "organisations.yaml" or source.name.startswith("reference/"):
        target = URIRef(f"{base}/graph/shared")
    else:
        target = None
    if target is not None and target != dataset and target not in served:
        target = None
    return Source(source.name, source.media_type, source.sha256, target)


def _sha(description: Graph, entity: Node) -> str:
    checksum = description.value(entity, URIRef(SPDX + "checksum"))
    value = description.value(checksum, URIRef(SPDX + "checksumValue")) if checksum else None
    return _text(value)


def _text(node: Node | None) -> str:
    return "" if node is None else str(node)
