"""What the search index holds of each resource: names, short facts and descriptions."""

from __future__ import annotations

from collections.abc import Iterator

from confgraph.records import AFFILIATION_OF, CGS, HELD_BY, NAME_PROPERTIES, SCHEMA, Records
from confgraph.store.search import Document

SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
DCTERMS_TITLE = "http://purl.org/dc/terms/title"
# The kinds searched, by class, in the order a resource of several classes takes its kind.
KINDS = (
    (CGS.Meeting, "meeting"),
    (CGS.ProgrammeItem, "item"),
    ("http://xmlns.com/foaf/0.1/Person", "person"),
    (CGS.Country, "country"),
    ("http://www.w3.org/ns/org#Organization", "organisation"),
    (CGS.Statement, "statement"),
    (CGS.WrittenInput, "written input"),
    (CGS.ListingGroup, "listing group"),
    (CGS.Venue, "place"),
    (CGS.Room, "place"),
    (CGS.City, "place"),
)
# Kinds of which one agent has many: they rank after the agents, meetings and items.
MANY_PER_AGENT = frozenset(("statement", "written input"))
AGENT_BOOST = 2.0
TITLE_PROPERTIES = (*NAME_PROPERTIES, DCTERMS_TITLE, SKOS_ALT, SCHEMA + "alternateName")
DETAIL_PROPERTIES = (
    CGS.acronym,
    CGS.listedAs,
    SCHEMA + "jobTitle",
    SCHEMA + "honorificPrefix",
    CGS.isoAlpha3,
)
DESCRIPTION_PROPERTIES = (SCHEMA + "description", CGS.background)


def search_documents(data: Records) -> Iterator[Document]:
    """Yield one document per resource of a searched kind, in IRI order."""
    kinds: dict[str, str] = {}
    for cls, kind in reversed(KINDS):
        for iri in data.of_class(cls):
            kinds[iri] = kind
    extra = _person_details(data)
    for iri in sorted(kinds):
        detail = data.texts(iri, *DETAIL_PROPERTIES) + extra.get(iri, [])
        yield Document(
            iri=iri,
            kind=kinds[iri],
            name=data.name(iri),
            title=" \u00b7 ".join(data.texts(iri, *TITLE_PROPERTIES)),
            detail=" \u00b7 ".join(dict.fromkeys(detail)),
            description="\n".join(data.texts(iri, *DESCRIPTION_PROPERTIES)),
            context=data.name(_context(data, iri, kinds[iri])),
            boost=1.0 if kinds[iri] in MANY_PER_AGENT else AGENT_BOOST,
        )


def _person_details(data: Records) -> dict[str, list[str]]:
    """Job titles of a person's affiliations, and how the programmes list their roles."""
    found: dict[str, list[str]] = {}
    for affiliation in data.of_class(CGS.Affiliation):
        for person in data.iris(affiliation, AFFILIATION_OF):
            found.setdefault(person, []).extend(data.texts(affiliation, CGS.jobTitle))
    for role in data.of_class(CGS.Role):
        for person in data.iris(role, HELD_BY):
            found.setdefault(person, []).extend(data.texts(role, CGS.listedAs))
    return found


def _context(data: Records, iri: str, kind: str) -> str:
    """Return the meeting a statement, input or item belongs to ('' for shared resources)."""
    if kind in ("statement", "written input"):
        return data.first(iri, CGS.atMeeting)
    if kind == "item":
        return data.meeting_of(iri)
    return ""
