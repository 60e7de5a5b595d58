"""The only place where confgraph mints IRIs: readable, stable slash IRIs under one base."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable

from rdflib import URIRef

DEFAULT_BASE = "https://w3id.org/confgraph"
SHARED_GRAPH, VOID_GRAPH = "shared", "void"
M49_GRAPH, LINKS_GRAPHS = "m49", "links"
RESERVED_GRAPHS = frozenset((SHARED_GRAPH, VOID_GRAPH, M49_GRAPH, LINKS_GRAPHS))


def slugify(text: str) -> str:
    """Fold a name to lower-case ASCII words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def first_free(name: str, taken: Callable[[str], bool]) -> str:
    """Return name, or name-2, name-3 ... the first that is not taken."""
    candidate, number = name, 1
    while taken(candidate):
        number += 1
        candidate = f"{name}-{number}"
    return candidate


class Iris:
    """Mint every IRI of the dataset under one base (no trailing slash)."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.base = base.rstrip("/")

    def _id(self, *parts: str) -> URIRef:
        return URIRef("/".join([self.base, "id", *parts]))

    def dataset(self) -> URIRef:
        """Return the IRI of the dataset as a whole."""
        return URIRef(f"{self.base}/dataset")

    def graph(self, meeting: str) -> URIRef:
        """Return the named graph that holds one programme's own triples."""
        if meeting in RESERVED_GRAPHS:
            raise ValueError(f"{meeting!r} names a graph of its own; no meeting may have it")
        return URIRef(f"{self.base}/graph/{meeting}")

    def shared_graph(self) -> URIRef:
        """Return the named graph of what programmes share: agents, places, groups, series."""
        return URIRef(f"{self.base}/graph/{SHARED_GRAPH}")

    def void_graph(self) -> URIRef:
        """Return the named graph of the release's VoID/DCAT/PROV description."""
        return URIRef(f"{self.base}/graph/{VOID_GRAPH}")

    def m49_graph(self) -> URIRef:
        """Return the named graph of the UN M49 regions and the countries' membership."""
        return URIRef(f"{self.base}/graph/{M49_GRAPH}")

    def link_graph(self, target: str) -> URIRef:
        """Return the named graph of the links to one external dataset (a linkset)."""
        return URIRef(f"{self.base}/graph/{LINKS_GRAPHS}/{target}")

    def linkset(self, target: str, predicate: str) -> URIRef:
        """Return the IRI of the void:Linkset of one link predicate to one external dataset."""
        return URIRef(f"{self.base}/dataset/linkset/{target}/{predicate}")

    def owns(self, meeting: str, term: object) -> bool:
        """Tell whether term is the meeting's IRI or an IRI minted under it."""
        return self.owner(meeting)(term)

    def owner(self, meeting: str) -> Callable[[object], bool]:
        """Return the test of `owns` for one meeting, its IRI worked out once."""
        prefix = str(self.meeting(meeting))
        under = prefix + "/"

        def owned(term: object) -> bool:
            if not isinstance(term, URIRef):
                return False
            text = str(term)  # a URIRef never equals a str
            return text == prefix or text.startswith(under)

        return owned

    def meeting(self, meeting: str) -> URIRef:
        """Return a meeting's IRI."""
        return self._id("meeting", meeting)

    def series(self, name: str) -> URIRef:
        """Return a meeting series' IRI."""
        return self._id("series", slugify(name))

    def day(self, meeting: str, date: dt.date) -> URIRef:
        """Return a programme day's IRI."""
        return self._id("meeting", meeting, "day", date.isoformat())

    def item(self, meeting: str, item: str) -> URIRef:
        """Return a programme item's IRI."""
        return self._id("meeting", meeting, "session", item)

    def statement(self, meeting: str, slug: str) -> URIRef:
        """Return a statement's IRI."""
        return self._id("meeting", meeting, "statement", slug)

    def written_input(self, meeting: str, slug: str) -> URIRef:
        """Return a written input's IRI."""
        return self._id("meeting", meeting, "input", slug)

    def role(self, meeting: str, item: str, person: str, role: str) -> URIRef:
        """Return the IRI of a role a person held during an item."""
        return self._id("meeting", meeting, "role", item, f"{person}-{role}")

    def affiliation(self, meeting: str, person: str, agent: str) -> URIRef:
        """Return the IRI of a person's affiliation stated by a meeting."""
        return self._id("meeting", meeting, "affiliation", person, agent)

    def source(self, meeting: str, number: int) -> URIRef:
        """Return the IRI of the n-th source (a page) a programme was read from."""
        return self._id("meeting", meeting, "source", str(number))

    def person(self, key: str) -> URIRef:
        """Return a person's IRI."""
        return self._id("person", key)

    def organisation(self, key: str) -> URIRef:
        """Return an organisation's IRI."""
        return self._id("organisation", key)

    def country(self, code: str) -> URIRef:
        """Return a country's IRI from its ISO 3166-1 alpha-3 code."""
        return self._id("country", code.lower())

    def group(self, key: str) -> URIRef:
        """Return a listing group's IRI."""
        return self._id("group", key)

    def region_scheme(self) -> URIRef:
        """Return the IRI of the UN M49 regions as a SKOS concept scheme."""
        return self._id("m49")

    def region(self, code: str) -> URIRef:
        """Return the IRI of a UN M49 region from its three-digit code (001 is World)."""
        return self._id("m49", code)

    def city(self, name: str) -> URIRef:
        """Return a city's IRI."""
        return self._id("city", slugify(name))

    def place(self, *keys: str) -> URIRef:
        """Return the IRI of a venue, or of a room within a venue."""
        return self._id("place", *(slugify(key) for key in keys))
