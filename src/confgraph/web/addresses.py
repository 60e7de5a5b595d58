"""Map the dataset's IRI space onto the addresses this server answers at (as Pubby does)."""

from __future__ import annotations

import re

from rdflib import URIRef

from confgraph.vocab import ONTOLOGY_IRI

SHAPES_IRI = URIRef("https://w3id.org/confgraph/shapes")
DOCUMENT_EXTENSIONS = ("html", "ttl", "jsonld", "rdf", "nt")
# The paths under the base that a route serves (with any fragment); other IRIs under the
# base (the build activity, the source files) name things this server has no page for.
SERVED_PATHS = re.compile(r"(/id/[^#]+|/graph/[^#]+|/dataset|/dumps/[^/#]*|/sparql)(#.*)?")


class Addresses:
    """Translate between IRIs under the base (plus ontology and shapes) and local paths."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        # Vocabulary namespaces first: they keep their IRIs whatever the data's base is.
        self._spaces = ((str(ONTOLOGY_IRI), "/ontology"), (str(SHAPES_IRI), "/shapes"))

    def local_path(self, iri: str) -> str | None:
        """Return the local path (with any fragment) that serves iri, or None if none does."""
        for space, path in self._spaces:
            if iri == space or iri.startswith(space + "#"):
                return path + iri[len(space) :]
        if iri.startswith(self.base + "/"):
            path = iri[len(self.base) :]
            if SERVED_PATHS.fullmatch(path):
                return path
        return None

    def iri(self, path: str) -> URIRef:
        """Return the IRI that a local path (starting with /) stands for."""
        for space, local in self._spaces:
            if path == local:
                return URIRef(space)
        return URIRef(self.base + path)

    def dataset(self) -> URIRef:
        """Return the dataset's IRI."""
        return URIRef(self.base + "/dataset")

    def uri_space(self) -> str:
        """Return the IRI prefix of the dataset's resources."""
        return self.base + "/id/"


def split_extension(path: str) -> tuple[str, str | None]:
    """Split a document extension (.html, .ttl, ...) off a path."""
    stem, dot, extension = path.rpartition(".")
    if dot and extension in DOCUMENT_EXTENSIONS and "/" not in extension:
        return stem, extension
    return path, None
