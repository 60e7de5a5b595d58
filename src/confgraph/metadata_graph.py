"""Say the dataset's metadata in DCAT: title, licence, publisher, contact point, citation."""

from __future__ import annotations

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS

from confgraph.metadata import DatasetMetadata

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")


def add_metadata(graph: Graph, subject: URIRef, metadata: DatasetMetadata) -> None:
    """Add the dataset's title, description, licence, agents, keywords and citation."""
    graph.bind("vcard", VCARD)
    graph.bind("foaf", FOAF)
    title = Literal(metadata.title, lang="en")
    graph.add((subject, DCTERMS.title, title))
    graph.add((subject, RDFS.label, title))
    graph.add((subject, DCTERMS.description, Literal(metadata.description, lang="en")))
    if metadata.licence:
        graph.add((subject, DCTERMS.license, URIRef(metadata.licence.iri)))
    for keyword in metadata.keywords:
        graph.add((subject, DCAT.keyword, Literal(keyword, lang="en")))
    if metadata.citation:
        graph.add((subject, DCTERMS.bibliographicCitation, Literal(metadata.citation)))
    if metadata.url and metadata.url != str(subject):
        graph.add((subject, DCAT.landingPage, URIRef(metadata.url)))
    _publisher(graph, subject, metadata)
    _contact(graph, subject, metadata)
    _authors(graph, subject, metadata)


def add_distribution_licence(graph: Graph, node: URIRef, metadata: DatasetMetadata) -> None:
    """Give a distribution the dataset's licence (DCAT puts licences on distributions)."""
    if metadata.licence:
        graph.add((node, DCTERMS.license, URIRef(metadata.licence.iri)))


def _publisher(graph: Graph, subject: URIRef, metadata: DatasetMetadata) -> None:
    if metadata.publisher is None:
        return
    node = URIRef(f"{subject}#publisher")
    graph.add((subject, DCTERMS.publisher, node))
    graph.add((node, RDF.type, FOAF.Agent))
    graph.add((node, FOAF.name, Literal(metadata.publisher.name)))
    if metadata.publisher.url:
        graph.add((node, FOAF.homepage, URIRef(metadata.publisher.url)))


def _contact(graph: Graph, subject: URIRef, metadata: DatasetMetadata) -> None:
    contact = metadata.contact
    if contact is None:
        return
    node = URIRef(f"{subject}#contact")
    graph.add((subject, DCAT.contactPoint, node))
    graph.add((node, RDF.type, VCARD.Kind))
    graph.add((node, VCARD.fn, Literal(contact.name)))
    if contact.email:
        graph.add((node, VCARD.hasEmail, URIRef(f"mailto:{contact.email}")))
    if contact.url:
        graph.add((node, VCARD.hasURL, URIRef(contact.url)))


def _authors(graph: Graph, subject: URIRef, metadata: DatasetMetadata) -> None:
    for number, name in enumerate(metadata.authors, start=1):
        node = URIRef(f"{subject}#author-{number}")
        graph.add((subject, DCTERMS.creator, node))
        graph.add((node, RDF.type, FOAF.Agent))
        graph.add((node, FOAF.name, Literal(name)))


def add_source_licences(graph: Graph, base: str, metadata: DatasetMetadata) -> None:
    """Give each source file that keeps a licence of its own that licence, origin and credit."""
    for source in metadata.sources:
        node = URIRef(f"{base}/dataset/source/{source.name}")  # as the provenance names it
        graph.add((node, DCTERMS.license, URIRef(source.licence.iri)))
        if source.url:
            graph.add((node, DCTERMS.source, URIRef(source.url)))
        if source.attribution:
            graph.add((node, DCTERMS.bibliographicCitation, Literal(source.attribution)))
