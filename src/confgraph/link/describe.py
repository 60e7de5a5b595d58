"""Describe the reference and link graphs in VoID/DCAT/PROV: sources, licences, linksets."""

from __future__ import annotations

from collections import Counter

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, VOID, XSD

from confgraph.build import BuiltDataset
from confgraph.iris import Iris, slugify
from confgraph.link.linkset import RELATIONS, Linkset
from confgraph.link.regions import M49_FILE

M49_SOURCE = URIRef(
    "https://github.com/lukes/ISO-3166-Countries-with-Regional-Codes/blob/"
    "145f1ad3caff212ed25f42b0ee2c8b92a75af895/all/all.csv"
)
CC_BY_SA = URIRef("https://creativecommons.org/licenses/by-sa/4.0/")
M49_RIGHTS = (
    "ISO 3166 codes with UN M49 regions from 'ISO-3166-Countries-with-Regional-Codes' by "
    "Luke Duncalfe and contributors (CC BY-SA 4.0); the M49 codes are published by the "
    "United Nations Statistics Division. This graph is shared under the same licence."
)
WIKIDATA = {
    "objects_target": "https://www.wikidata.org/",
    "uri_space": "http://www.wikidata.org/entity/",
    "title": "Wikidata",
}
REGISTRIES = ("reference/countries.csv", "organisations.yaml")
PREDICATE_NAMES = {str(iri): name for name, iri in RELATIONS.items()}


def describe_linked(
    dataset: BuiltDataset, iris: Iris, linksets: list[Linkset], regions: bool
) -> Graph:
    """Return the description of the M49 graph and of every link graph in dataset."""
    graph = Graph()
    if regions:
        _regions(graph, iris, len(dataset.graphs[iris.m49_graph()]))
    files = {linkset.target: linkset for linkset in linksets}
    prefix = str(iris.link_graph(""))
    for name, triples in sorted(dataset.graphs.items()):
        if str(name).startswith(prefix) and triples:
            target = str(name)[len(prefix) :]
            _link_graph(graph, iris, target, files.get(target), triples)
    return graph


def _regions(graph: Graph, iris: Iris, size: int) -> None:
    subject = iris.m49_graph()
    graph.add((iris.dataset(), VOID.subset, subject))
    for cls in (VOID.Dataset, DCAT.Dataset, PROV.Entity):
        graph.add((subject, RDF.type, cls))
    title = Literal("UN M49 regions and the countries' ISO 3166 codes", lang="en")
    graph.add((subject, DCTERMS.title, title))
    graph.add((subject, RDFS.label, title))
    graph.add((subject, VOID.triples, Literal(size, datatype=XSD.integer)))
    graph.add((subject, DCTERMS.source, M49_SOURCE))
    graph.add((subject, PROV.wasDerivedFrom, _source(iris, M49_FILE)))
    graph.add((subject, DCTERMS.license, CC_BY_SA))
    graph.add((subject, DCTERMS.rights, Literal(M49_RIGHTS, lang="en")))
    graph.add((subject, VOID.rootResource, iris.region_scheme()))


def _link_graph(
    graph: Graph, iris: Iris, target: str, linkset: Linkset | None, triples: set
) -> None:
    subject = iris.link_graph(target)
    external = _external(graph, linkset)
    graph.add((iris.dataset(), VOID.subset, subject))
    for cls in (VOID.Dataset, DCAT.Dataset, PROV.Entity):
        graph.add((subject, RDF.type, cls))
    title = Literal(f"Links to {linkset.title if linkset else WIKIDATA['title']}", lang="en")
    graph.add((subject, DCTERMS.title, title))
    graph.add((subject, RDFS.label, title))
    if linkset:
        graph.add((subject, DCTERMS.license, URIRef(linkset.licence)))
        graph.add((subject, PROV.wasGeneratedBy, _activity(graph, iris, linkset)))
        graph.add((subject, PROV.wasDerivedFrom, _source(iris, f"links/{target}.yaml")))
    if target == "wikidata":
        for name in REGISTRIES:  # the registries' Wikidata items are links of this graph too
            graph.add((subject, PROV.wasDerivedFrom, _source(iris, name)))
    counts = Counter(p for _, p, _ in triples if p != RDFS.label)
    for predicate, count in sorted(counts.items()):
        _linkset(graph, iris, target, subject, external, predicate, count)


def _external(graph: Graph, linkset: Linkset | None) -> URIRef:
    values = {
        "objects_target": linkset.objects_target if linkset else WIKIDATA["objects_target"],
        "uri_space": linkset.uri_space if linkset else WIKIDATA["uri_space"],
    }
    node = URIRef(values["objects_target"])
    graph.add((node, RDF.type, VOID.Dataset))
    title = linkset.title if linkset else WIKIDATA["title"]
    graph.add((node, DCTERMS.title, Literal(title, lang="en")))
    graph.add((node, VOID.uriSpace, Literal(values["uri_space"])))
    return node


def _linkset(
    graph: Graph, iris: Iris, target: str, parent: URIRef, external: URIRef, predicate, count: int
) -> None:
    name = PREDICATE_NAMES.get(str(predicate), str(predicate))
    node = iris.linkset(target, slugify(name.split(":")[-1]))
    graph.add((parent, VOID.subset, node))
    graph.add((node, RDF.type, VOID.Linkset))
    graph.add((node, RDFS.label, Literal(f"{target} links by {name}", lang="en")))
    graph.add((node, VOID.subjectsTarget, iris.dataset()))
    graph.add((node, VOID.objectsTarget, external))
    graph.add((node, VOID.linkPredicate, predicate))
    graph.add((node, VOID.triples, Literal(count, datatype=XSD.integer)))


def _activity(graph: Graph, iris: Iris, linkset: Linkset) -> URIRef:
    node = URIRef(f"{iris.base}/dataset/linking/{linkset.target}")
    graph.add((node, RDF.type, PROV.Activity))
    graph.add((node, RDFS.label, Literal(f"linking to {linkset.title}", lang="en")))
    graph.add((node, PROV.endedAtTime, Literal(linkset.generated_at, datatype=XSD.dateTime)))
    graph.add((node, DCTERMS.description, Literal(linkset.method, lang="en")))
    if linkset.endpoint:
        graph.add((node, PROV.used, URIRef(linkset.endpoint)))
    if linkset.note:
        graph.add((node, RDFS.comment, Literal(linkset.note, lang="en")))
    for contributor in sorted({link.contributor for link in linkset.links if link.contributor}):
        agent = URIRef(f"{iris.base}/dataset/contributor/{slugify(contributor)}")
        graph.add((node, PROV.wasAssociatedWith, agent))
        graph.add((agent, RDF.type, PROV.Agent))
        graph.add((agent, FOAF.name, Literal(contributor)))
    methods = Counter(link.method for link in linkset.links)
    for method, count in sorted(methods.items()):
        graph.add((node, RDFS.comment, Literal(f"{count} link(s) by {method}", lang="en")))
    return node


def _source(iris: Iris, name: str) -> URIRef:
    return URIRef(f"{iris.base}/dataset/source/{name}")
