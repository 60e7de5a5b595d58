"""A release's graphs inside a SPARQL engine: public names, the engine's names, the pointer.

Users see the same graph names on every store (`<base>/graph/<meeting>`, the shared, void
and ontology graphs). Inside the engine each release keeps graphs of its own, under
`<base>/release/<id>/...`, so that a new release loads beside the served one; the merge of
the data graphs (the default graph of every query) is stored once more as
`<base>/release/<id>/default`. The pointer graph `<base>/releases` names the served
release and every release loaded into the engine, with its graphs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, VOID

from confgraph.iris import Iris
from confgraph.store.release import Release
from confgraph.vocab import ONTOLOGY_IRI

# A graph no engine holds: a dataset naming only unknown graphs is empty, never "everything".
NO_GRAPH = URIRef("urn:confgraph:no-graph")


def pointer_graph(base: str) -> URIRef:
    """Return the graph that names the served release and the releases loaded."""
    return URIRef(f"{base.rstrip('/')}/releases")


def release_node(base: str, release_id: str) -> URIRef:
    """Return the IRI of one release as the pointer graph describes it."""
    return URIRef(f"{base.rstrip('/')}/release/{release_id}")


@dataclass(frozen=True)
class ReleaseGraphs:
    """The graphs of one release: each public name and the engine's name for it."""

    base: str
    release_id: str
    to_engine: dict[URIRef, URIRef]

    @classmethod
    def of(cls, base: str, release_id: str, public: Iterable[URIRef]) -> ReleaseGraphs:
        """Name every public graph of a release inside the engine."""
        base = base.rstrip("/")
        prefix = f"{base}/release/{release_id}/"
        names = {}
        for iri in sorted(set(public)):
            text = str(iri)
            local = text[len(base) + 1 :] if text.startswith(base + "/") else None
            names[iri] = URIRef(prefix + (local or "external/" + quote(text, safe="")))
        graphs = cls(base, release_id, names)
        if graphs.default in names.values():
            raise ValueError(f"a graph of the release is named {graphs.default}")
        return graphs

    @classmethod
    def of_release(cls, release: Release) -> ReleaseGraphs:
        """Name the graphs of a release on disk: its VoID subsets, void and ontology graphs.

        Every graph of a release is named under `<base>/graph/`; a subset's source elsewhere
        (the file the M49 graph was read from) is a file, not a graph.
        """
        description = release.graph("void.ttl")
        subsets = description.objects(None, DCTERMS.source)
        iris = Iris(release.base)
        prefix = release.base.rstrip("/") + "/graph/"
        public = [g for g in subsets if isinstance(g, URIRef) and str(g).startswith(prefix)]
        public += [iris.void_graph(), ONTOLOGY_IRI]
        return cls.of(release.base, release.release_id, public)

    @property
    def default(self) -> URIRef:
        """Return the engine graph that holds the merge of the data graphs."""
        return URIRef(f"{self.base}/release/{self.release_id}/default")

    @property
    def to_public(self) -> dict[URIRef, URIRef]:
        """Return the public name of each engine graph."""
        return {engine: public for public, engine in self.to_engine.items()}

    def engine(self, public: URIRef) -> URIRef:
        """Return the engine graph of a public graph name; NO_GRAPH if the release lacks it."""
        return self.to_engine.get(public, NO_GRAPH)

    def all_engine_graphs(self) -> list[URIRef]:
        """Return every engine graph of the release, the default graph's copy included."""
        return [*self.to_engine.values(), self.default]


def served_release(pointer: Graph, base: str) -> str | None:
    """Return the id of the release the pointer graph names as served, if any."""
    for value in pointer.objects(Iris(base).dataset(), OWL.versionInfo):
        return str(value)
    return None


def loaded_releases(pointer: Graph, base: str) -> dict[str, list[URIRef]]:
    """Return every release the pointer graph records as loaded, with its engine graphs."""
    found: dict[str, list[URIRef]] = {}
    prefix = f"{base.rstrip('/')}/release/"
    for node in pointer.subjects(VOID.subset, None, unique=True):
        if isinstance(node, URIRef) and str(node).startswith(prefix):
            graphs = [g for g in pointer.objects(node, VOID.subset) if isinstance(g, URIRef)]
            found[str(node)[len(prefix) :]] = sorted(graphs)
    return found
