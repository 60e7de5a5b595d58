"""Describe a release: VoID statistics, DCAT distributions and PROV provenance."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, VOID, XSD

from confgraph import __version__
from confgraph.counts import Counts
from confgraph.dumps import WELL_KNOWN_PREFIXES
from confgraph.iris import Iris, slugify
from confgraph.metadata import DatasetMetadata
from confgraph.metadata_graph import add_distribution_licence, add_metadata, add_source_licences
from confgraph.quads import ReleaseQuads, sorted_triples
from confgraph.vocab import ONTOLOGY_IRI

SPDX = Namespace("http://spdx.org/rdf/terms#")
DESCRIPTION_PREFIXES = {
    **WELL_KNOWN_PREFIXES,
    "dcat": str(DCAT),
    "spdx": str(SPDX),
    "void": str(VOID),
}
IANA_MEDIA = "https://www.iana.org/assignments/media-types/"
RDF_DUMP_PREFIX = "confgraph."


@dataclass(frozen=True)
class FileInfo:
    """A file of a release or a source file: name, media type, size and SHA-256."""

    name: str
    media_type: str
    size: int
    sha256: str
    title: str = ""


@dataclass(frozen=True)
class BuildInfo:
    """What a description says about the build that made it."""

    release: str
    started: dt.datetime
    ended: dt.datetime
    sources: tuple[FileInfo, ...]
    dumps: tuple[FileInfo, ...]
    metadata: DatasetMetadata = field(default_factory=DatasetMetadata)


def describe_release(quads: ReleaseQuads, iris: Iris, build: BuildInfo, statistics: Graph) -> Graph:
    """Return the VoID/DCAT/PROV description of a release, with its statistics (from
    release_statistics)."""
    graph, subject = Graph(), iris.dataset()
    _header(graph, subject, iris, build)
    graph += statistics
    for info in build.dumps:
        node = _distribution(graph, subject, iris, info)
        add_distribution_licence(graph, node, build.metadata)
    _provenance(graph, subject, iris, build)
    return graph


def release_statistics(quads: ReleaseQuads, iris: Iris, counts: Counts) -> Graph:
    """Return the VoID statistics of the data (its counts, see confgraph.counts) and of
    each graph."""
    graph, subject = Graph(), iris.dataset()
    _statistics(graph, subject, counts)
    _subsets(graph, subject, quads.graph_sizes())
    return graph


def _header(graph: Graph, subject: URIRef, iris: Iris, build: BuildInfo) -> None:
    for cls in (VOID.Dataset, DCAT.Dataset, PROV.Entity):
        graph.add((subject, RDF.type, cls))
    add_metadata(graph, subject, build.metadata)
    graph.add((subject, DCTERMS.modified, _time(build.ended)))
    graph.add((subject, OWL.versionInfo, Literal(build.release)))
    graph.add((subject, VOID.uriSpace, Literal(f"{iris.base}/id/")))
    graph.add((subject, VOID.sparqlEndpoint, URIRef(f"{iris.base}/sparql")))
    graph.add((subject, VOID.vocabulary, URIRef(f"{ONTOLOGY_IRI}#")))
    graph.add((subject, VOID.vocabulary, URIRef("https://schema.org/")))


def _statistics(graph: Graph, subject: URIRef, counts: Counts) -> None:
    """Add the data's counts of triples, subjects, entities, classes and properties."""
    graph.add((subject, VOID.triples, _count(counts.triples)))
    graph.add((subject, VOID.distinctSubjects, _count(counts.subjects)))
    graph.add((subject, VOID.entities, _count(counts.entities)))
    graph.add((subject, VOID.classes, _count(len(counts.classes))))
    graph.add((subject, VOID.properties, _count(len(counts.properties))))
    _partitions(graph, subject, counts.classes, VOID.classPartition, VOID["class"], VOID.entities)
    _partitions(
        graph, subject, counts.properties, VOID.propertyPartition, VOID.property, VOID.triples
    )


def _partitions(
    graph: Graph, subject: URIRef, counts: Counter[str], link: URIRef, key: URIRef, size: URIRef
) -> None:
    kind = "class" if key == VOID["class"] else "property"
    for iri, count in sorted(counts.items()):
        node = URIRef(f"{subject}#{kind}-{slugify(iri)}")
        graph.add((subject, link, node))
        graph.add((node, key, URIRef(iri)))
        graph.add((node, size, _count(count)))


def _subsets(graph: Graph, subject: URIRef, sizes: dict[str, int]) -> None:
    for name, size in sorted(sizes.items()):
        if name == str(ONTOLOGY_IRI):
            continue
        node = URIRef(f"{subject}#graph-{slugify(name)}")
        graph.add((subject, VOID.subset, node))
        graph.add((node, RDF.type, VOID.Dataset))
        graph.add((node, RDFS.label, Literal(f"Named graph {name}")))
        graph.add((node, DCTERMS.source, URIRef(name)))
        graph.add((node, VOID.triples, _count(size)))


def _distribution(graph: Graph, subject: URIRef, iris: Iris, info: FileInfo) -> URIRef:
    node = URIRef(f"{iris.base}/dumps/{info.name}")
    graph.add((subject, DCAT.distribution, node))
    if info.name.startswith(RDF_DUMP_PREFIX):  # the tables and the search index are no RDF
        graph.add((subject, VOID.dataDump, node))
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.title, Literal(info.title, lang="en")))
    graph.add((node, DCAT.downloadURL, node))
    graph.add((node, DCAT.mediaType, URIRef(IANA_MEDIA + info.media_type)))
    graph.add((node, DCTERMS["format"], Literal(info.media_type)))
    graph.add((node, DCAT.byteSize, Literal(info.size, datatype=XSD.nonNegativeInteger)))
    _checksum(graph, node, info.sha256)
    return node


def _checksum(graph: Graph, node: URIRef, sha256: str) -> None:
    checksum = BNode(f"sha256-{sha256}")
    graph.add((node, SPDX.checksum, checksum))
    graph.add((checksum, RDF.type, SPDX.Checksum))
    graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    graph.add((checksum, SPDX.checksumValue, Literal(sha256, datatype=XSD.hexBinary)))


def _provenance(graph: Graph, subject: URIRef, iris: Iris, build: BuildInfo) -> None:
    activity = URIRef(f"{iris.base}/dataset/build/{build.release}")
    software = URIRef(f"{iris.base}/dataset/software/confgraph-{__version__}")
    graph.add((subject, PROV.wasGeneratedBy, activity))
    graph.add((subject, PROV.generatedAtTime, _time(build.ended)))
    graph.add((activity, RDF.type, PROV.Activity))
    graph.add((activity, RDFS.label, Literal(f"confgraph build {build.release}")))
    graph.add((activity, PROV.startedAtTime, _time(build.started)))
    graph.add((activity, PROV.endedAtTime, _time(build.ended)))
    graph.add((activity, PROV.wasAssociatedWith, software))
    graph.add((software, RDF.type, PROV.SoftwareAgent))
    graph.add((software, RDFS.label, Literal(f"confgraph {__version__}")))
    graph.add((software, OWL.versionInfo, Literal(__version__)))
    for source in build.sources:
        node = URIRef(f"{iris.base}/dataset/source/{Path(source.name).as_posix()}")
        graph.add((activity, PROV.used, node))
        graph.add((subject, PROV.wasDerivedFrom, node))
        graph.add((node, RDF.type, PROV.Entity))
        graph.add((node, RDFS.label, Literal(source.name)))
        graph.add((node, DCTERMS["format"], Literal(source.media_type)))
        _checksum(graph, node, source.sha256)
    add_source_licences(graph, iris.base, build.metadata)


def _count(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def _time(value: dt.datetime) -> Literal:
    return Literal(value.isoformat(timespec="seconds"), datatype=XSD.dateTime)


def description_turtle(description: Graph) -> bytes:
    """Return the release's description as Turtle, its triples sorted, written by Oxigraph
    (rdflib's serializer took 0.8 s of a build at 750 graphs, measured)."""
    triples = sorted_triples(description)
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=DESCRIPTION_PREFIXES)
