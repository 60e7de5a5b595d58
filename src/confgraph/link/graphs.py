"""Add the reference and link graphs to a built dataset: M49 regions and the linksets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDFS, SKOS
from rdflib.term import Node

from confgraph.build import BuiltDataset
from confgraph.iris import Iris
from confgraph.link.describe import describe_linked
from confgraph.link.linkset import (
    RELATIONS,
    Linkset,
    link_error,
    linkset_files,
    local_iri,
    read_linkset,
)
from confgraph.link.regions import M49_FILE, load_m49, region_triples
from confgraph.vocab import CG, ONTOLOGY_IRI, WD

Triple = tuple[Node, Node, Node]
WIKIDATA = "wikidata"
# What the registries state (countries.csv, organisations.yaml) are links to Wikidata too.
REGISTRY_PREDICATES = (OWL.sameAs, SKOS.exactMatch, SKOS.closeMatch)


@dataclass(frozen=True)
class Linked:
    """What was added to a dataset: the files read, and their description for the VoID."""

    paths: tuple[Path, ...]
    description: Graph


class Elsewhere(Protocol):
    """Data graphs kept outside the dataset (the programmes' own graphs, as a build holds them)."""

    def subjects(self) -> set[str]:
        """Return the IRI of every subject they hold."""

    def states(self, triples: Iterable[Triple]) -> set[Triple]:
        """Return those of the given triples that they hold."""


def linked_paths(data_dir: Path) -> tuple[Path, ...]:
    """Return the reference and linkset files a build of this data directory reads."""
    m49 = data_dir / M49_FILE
    return (*([m49] if m49.is_file() else []), *linkset_files(data_dir))


def add_linked_graphs(
    dataset: BuiltDataset, data_dir: Path, iris: Iris, elsewhere: Elsewhere | None = None
) -> Linked:
    """Add the M49 graph and one graph per linkset to dataset; a bad link names its line.

    Links are checked against the data of the dataset and of `elsewhere`, if given.
    """
    _move_registry_links(dataset, iris)
    m49 = data_dir / M49_FILE
    if m49.is_file():
        shared = dataset.graphs.get(iris.shared_graph(), set())  # where countries are described
        codes = {str(o) for _, p, o in shared if p == CG.isoAlpha3}
        dataset.graphs[iris.m49_graph()] = region_triples(load_m49(m49), codes, iris)
    linksets = [read_linkset(path) for path in linkset_files(data_dir)]
    if linksets:
        data = [ts for name, ts in dataset.graphs.items() if name != ONTOLOGY_IRI]
        subjects = {str(s) for triples in data for s, _, _ in triples}
        subjects |= elsewhere.subjects() if elsewhere else set()
        for linkset in linksets:
            graph = dataset.graphs.setdefault(iris.link_graph(linkset.target), set())
            links = link_triples(linkset, iris, subjects)
            # A link the programme data states itself (a topic) stays in its graph only.
            stated = elsewhere.states(links) if elsewhere else set()
            graph |= {t for t in links if not _stated(t, data, stated)}
    description = describe_linked(dataset, iris, linksets, m49.is_file())
    return Linked(linked_paths(data_dir), description)


def link_triples(linkset: Linkset, iris: Iris, subjects: set[str]) -> set[Triple]:
    """Return a linkset's links and the external labels it carries, checking each local key."""
    triples: set[Triple] = set()
    for link in linkset.links:
        try:
            subject = local_iri(link.local, iris)
        except ValueError as error:
            raise link_error(linkset, link, str(error)) from None
        if str(subject) not in subjects:
            raise link_error(linkset, link, f"'{link.local}' names no resource of the data")
        external = URIRef(link.external)
        triples.add((subject, RELATIONS[link.relation], external))
        if link.label:
            triples.add((external, RDFS.label, Literal(link.label, lang="en")))
    return triples


def _stated(triple: Triple, graphs: list[set[Triple]], stated: set[Triple]) -> bool:
    if triple[1] == RDFS.label:
        return False
    return triple in stated or any(triple in graph for graph in graphs)


def _move_registry_links(dataset: BuiltDataset, iris: Iris) -> None:
    """Move the registries' Wikidata links from the shared graph into the Wikidata linkset."""
    shared = dataset.graphs.get(iris.shared_graph(), set())
    moved = {t for t in shared if t[1] in REGISTRY_PREDICATES and str(t[2]).startswith(str(WD))}
    if moved:
        shared -= moved
        dataset.graphs.setdefault(iris.link_graph(WIKIDATA), set()).update(moved)
