"""The list of meetings, newest first, one page at a time, and the dataset's summary from VoID."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF, ORG, VOID, XSD
from rdflib.term import Node

from confgraph.store.base import Store
from confgraph.vocab import CG
from confgraph.web.views import PREFIXES, sparql_iri

COUNT = PREFIXES + "SELECT (COUNT(DISTINCT ?meeting) AS ?n) WHERE { ?meeting a cg:Meeting }"
PAGE = (
    PREFIXES
    + """SELECT ?meeting ?start WHERE {{
  ?meeting a cg:Meeting . OPTIONAL {{ ?meeting schema:startDate ?start }}
}} ORDER BY DESC(?start) ?meeting LIMIT {limit} OFFSET {offset}"""
)
# Bounded by the page's meetings: their own facts by subject, their contents in their graphs.
DETAILS = (
    PREFIXES
    + """SELECT ?meeting ?end ?place ?zone WHERE {{ VALUES ?meeting {{ {meetings} }}
  ?meeting a cg:Meeting . OPTIONAL {{ ?meeting schema:endDate ?end }}
  OPTIONAL {{ ?meeting schema:location ?place }} OPTIONAL {{ ?meeting cg:timeZone ?zone }}
}}"""
)
COUNTS = (
    PREFIXES
    + """SELECT ?meeting (COUNT(DISTINCT ?item) AS ?items)
  (COUNT(DISTINCT ?statement) AS ?statements) WHERE {{ VALUES (?meeting ?graph) {{ {pairs} }}
  GRAPH ?graph {{ {{ ?item a cg:ProgrammeItem ; schema:superEvent+ ?meeting }}
    UNION {{ ?statement cg:atMeeting ?meeting . ?statement a cg:Statement }} }}
}} GROUP BY ?meeting"""
)
# Places are shared by programmes: the page's rooms are looked up by subject.
VENUES = (
    PREFIXES
    + """SELECT DISTINCT ?place ?venue WHERE {{ VALUES ?place {{ {places} }}
  ?place schema:containedInPlace ?venue .
}}"""
)
# What the summary counts, as the release's VoID class partitions give them.
SUMMARY_CLASSES = (
    (("meeting", "meetings"), CG.Meeting),
    (("person", "people"), FOAF.Person),
    (("organisation", "organisations"), ORG.Organization),
    (("country", "countries"), CG.Country),
    (("statement", "statements"), CG.Statement),
    (("written input", "written inputs"), CG.WrittenInput),
)


@dataclass
class MeetingRow:
    """One meeting as the list shows it."""

    iri: URIRef
    start: Node | None
    end: Node | None = None
    place: Node | None = None
    venue: Node | None = None
    zone: str | None = None
    items: int = 0
    statements: int = 0


@dataclass(frozen=True)
class Page:
    """One page of the meeting list."""

    number: int
    size: int
    total: int
    meetings: list[MeetingRow]

    @property
    def last(self) -> int:
        """Return the number of the last page (1 when there are no meetings)."""
        return max(1, -(-self.total // self.size))


def count_meetings(store: Store) -> int:
    """Return how many meetings the dataset holds."""
    rows = store.lookup(COUNT).rows
    return int(rows[0][0]) if rows and isinstance(rows[0][0], Literal) else 0


def read_page(
    store: Store, number: int, size: int, graph_of: Callable[[URIRef], URIRef | None]
) -> Page:
    """Read page number (from 1) of the meetings, newest first, with their counts.

    graph_of names the graph that holds a meeting's programme.
    """
    rows = store.lookup(PAGE.format(limit=size, offset=(number - 1) * size)).rows
    meetings = [MeetingRow(iri, start) for iri, start in rows if isinstance(iri, URIRef)]
    if meetings:
        _add_details(store, meetings)
        _add_counts(store, meetings, graph_of)
        _add_venues(store, meetings)
    return Page(number, size, count_meetings(store), meetings)


def _add_details(store: Store, meetings: list[MeetingRow]) -> None:
    by_iri = {m.iri: m for m in meetings}
    listed = " ".join(sparql_iri(m.iri) for m in meetings)
    for iri, end, place, zone in store.lookup(DETAILS.format(meetings=listed)).rows:
        row = by_iri[iri]
        row.end, row.place = row.end or end, row.place or place
        row.zone = row.zone or (str(zone) if zone is not None else None)


def _add_counts(
    store: Store, meetings: list[MeetingRow], graph_of: Callable[[URIRef], URIRef | None]
) -> None:
    graphs = {m.iri: graph_of(m.iri) for m in meetings}
    pairs = " ".join(
        f"({sparql_iri(iri)} {sparql_iri(graph)})" for iri, graph in graphs.items() if graph
    )
    if not pairs:
        return
    by_iri = {m.iri: m for m in meetings}
    for iri, items, statements in store.lookup(COUNTS.format(pairs=pairs)).rows:
        by_iri[iri].items, by_iri[iri].statements = int(items), int(statements)


def _add_venues(store: Store, meetings: list[MeetingRow]) -> None:
    """Name the building each meeting's room is in (its first containing place)."""
    places = sorted({sparql_iri(m.place) for m in meetings if isinstance(m.place, URIRef)})
    if not places:
        return
    venues: dict[Node, Node] = {}
    for place, venue in store.lookup(VENUES.format(places=" ".join(places))).rows:
        venues.setdefault(place, venue)
    for meeting in meetings:
        meeting.venue = venues.get(meeting.place) if meeting.place is not None else None


def summary(description: Graph, dataset: URIRef) -> list[tuple[str, int]]:
    """Return the dataset's counts (meetings, people, ..., triples) from its VoID description."""
    found: dict[URIRef, int] = {}
    for partition in description.objects(dataset, VOID.classPartition):
        cls = description.value(partition, VOID["class"])
        entities = description.value(partition, VOID.entities)
        if isinstance(cls, URIRef) and isinstance(entities, Literal):
            found[cls] = int(entities)
    counts = [(names, found[cls]) for names, cls in SUMMARY_CLASSES if cls in found]
    triples = description.value(dataset, VOID.triples)
    if isinstance(triples, Literal):
        counts.append((("triple", "triples"), int(triples)))
    return [(names[count != 1], count) for names, count in counts]


def local_date(value: Node | None, zone: str | None) -> str:
    """Return the calendar date of an xsd:dateTime in the venue's zone (7 Jan 2030)."""
    if not isinstance(value, Literal) or value.datatype != XSD.dateTime:
        return "" if value is None else str(value)
    moment = value.toPython()
    if not isinstance(moment, dt.datetime):
        return str(value)
    if zone and moment.tzinfo is not None:
        with contextlib.suppress(ZoneInfoNotFoundError, ValueError):
            moment = moment.astimezone(ZoneInfo(zone))
    return f"{moment:%-d %b %Y}"


def date_range(start: Node | None, end: Node | None, zone: str | None) -> str:
    """Return a meeting's dates: one date, or first and last joined by a dash."""
    first, last = local_date(start, zone), local_date(end, zone)
    return first if not last or last == first else f"{first} \u2013 {last}" if first else last
