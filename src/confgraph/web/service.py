"""The SPARQL service description and the dataset description as served from this address."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, RDF, VOID

from confgraph.formats import GRAPH_FORMATS, RESULT_FORMATS
from confgraph.store.base import Store

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
W3C_FORMATS = Namespace("http://www.w3.org/ns/formats/")
FORMAT_IRIS = {
    "json": W3C_FORMATS.SPARQL_Results_JSON,
    "xml": W3C_FORMATS.SPARQL_Results_XML,
    "csv": W3C_FORMATS.SPARQL_Results_CSV,
    "tsv": W3C_FORMATS.SPARQL_Results_TSV,
    "turtle": W3C_FORMATS.Turtle,
    "nt": W3C_FORMATS["N-Triples"],
    "json-ld": W3C_FORMATS["JSON-LD"],
    "rdf-xml": W3C_FORMATS.RDF_XML,
}
GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def graph_sizes(store: Store) -> dict[URIRef, int]:
    """Count the triples of each named graph."""
    result = store.lookup(GRAPH_SIZES)
    return {row[0]: int(row[1]) for row in result.rows if isinstance(row[0], URIRef)}


def service_description(endpoint: str, dataset: URIRef, sizes: dict[URIRef, int]) -> Graph:
    """Describe the endpoint: language, formats, features and its dataset's graphs."""
    graph = Graph()
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    formats = list(RESULT_FORMATS) + ["rdf-xml" if n == "xml" else n for n in GRAPH_FORMATS]
    for name in formats:
        graph.add((service, SD.resultFormat, FORMAT_IRIS[name]))
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default = BNode()
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(sum(sizes.values()))))
    for iri, size in sorted(sizes.items()):
        named, description = BNode(), BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, iri))
        graph.add((named, SD.graph, description))
        graph.add((description, RDF.type, SD.Graph))
        graph.add((description, VOID.triples, Literal(size)))
    return graph


def served_description(
    description: Graph,
    dataset: URIRef,
    endpoint: str,
    dumps: dict[URIRef, str],
    uri_space: str,
    files: dict[URIRef, str] | None = None,
) -> Graph:
    """Put this server's endpoint, dump addresses and URI space in the release's description.

    dumps maps each RDF dump's IRI to the address this server serves it at; files does the
    same for the other distributions (tables, search index), which are no void:dataDump.
    The addresses the build wrote under the base are replaced, not repeated.
    """
    files = files or {}
    graph = Graph()
    graph += description
    for predicate in (VOID.sparqlEndpoint, VOID.dataDump, VOID.uriSpace):
        graph.remove((dataset, predicate, None))
    for distribution in (*dumps, *files):
        if (distribution, RDF.type, DCAT.Distribution) in graph:
            graph.remove((distribution, DCAT.downloadURL, None))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(endpoint)))
    graph.add((dataset, VOID.uriSpace, Literal(uri_space)))
    for distribution, address in dumps.items():
        graph.add((dataset, VOID.dataDump, URIRef(address)))
        graph.add((distribution, DCAT.downloadURL, URIRef(address)))
    for distribution, address in files.items():
        if (distribution, RDF.type, DCAT.Distribution) in graph:
            graph.add((distribution, DCAT.downloadURL, URIRef(address)))
    return graph
