"""The programme of each meeting, read from the graph as an agenda: days, items, people, floor."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.term import Node

from confgraph.store.base import Store
from confgraph.vocab import CG
from confgraph.web.views import PREFIXES

ROLE_ORDER = (CG.coFacilitator, CG.thematicExpert, CG.moderator, CG.panelist, CG.presenter)

MEETINGS = (
    PREFIXES
    + """SELECT ?meeting ?zone ?place ?start WHERE {
  ?meeting a cg:Meeting .
  OPTIONAL { ?meeting cg:timeZone ?zone } OPTIONAL { ?meeting schema:location ?place }
  OPTIONAL { ?meeting schema:startDate ?start }
} ORDER BY ?start ?meeting"""
)
DAYS = (
    PREFIXES
    + """SELECT ?day ?meeting ?date WHERE {
  ?day a cg:ProgrammeDay ; schema:superEvent ?meeting ; cg:date ?date .
} ORDER BY ?date"""
)
ITEMS = (
    PREFIXES
    + """SELECT ?item ?parent ?start ?end ?place ?kind WHERE {
  ?item a cg:ProgrammeItem ; schema:superEvent ?parent .
  OPTIONAL { ?item schema:startDate ?start } OPTIONAL { ?item schema:endDate ?end }
  OPTIONAL { ?item schema:location ?place } OPTIONAL { ?item a ?kind }
} ORDER BY ?start ?end ?item"""
)
ROLES = (
    PREFIXES
    + """SELECT ?item ?type ?person WHERE {
  ?role a cg:Role ; conf:during ?item ; conf:withRole ?type ; conf:isHeldBy ?person .
} ORDER BY ?person"""
)
FLOOR = (
    PREFIXES
    + """SELECT ?entry ?meeting ?group ?listed ?agent ?item ?written ?position ?order WHERE {
  { ?entry a cg:Statement . OPTIONAL { ?entry cg:deliveredBy ?agent } BIND(false AS ?written) }
  UNION
  { ?entry a cg:WrittenInput . OPTIONAL { ?entry cg:submittedBy ?agent } BIND(true AS ?written) }
  ?entry cg:atMeeting ?meeting ; cg:listedUnder ?group ; cg:listedAs ?listed .
  OPTIONAL { ?entry cg:deliveredAt ?item }
  OPTIONAL { ?group schema:position ?position }
  OPTIONAL { ?entry schema:position ?order }
} ORDER BY ?written ?position ?group ?order ?listed"""
)


@dataclass
class Item:
    """A programme item with its people, the delegations heard there and its own parts."""

    iri: URIRef
    start: Node | None = None
    end: Node | None = None
    places: list[Node] = field(default_factory=list)
    kinds: set[Node] = field(default_factory=set)
    roles: list[tuple[URIRef, list[Node]]] = field(default_factory=list)
    floor: list[Node] = field(default_factory=list)
    parts: list[Item] = field(default_factory=list)


@dataclass
class Entry:
    """A statement or written input as the programme lists it."""

    iri: URIRef
    listed: str
    agents: list[Node] = field(default_factory=list)


@dataclass
class Meeting:
    """A meeting: its days with their items, and the lists of the floor by group."""

    iri: URIRef
    zone: str | None
    place: Node | None
    days: list[tuple[URIRef, Node, list[Item]]] = field(default_factory=list)
    groups: list[tuple[URIRef, list[Entry]]] = field(default_factory=list)


def read_agenda(store: Store) -> list[Meeting]:
    """Read every meeting's agenda from the store."""
    items, parents = _items(store)
    meetings = {
        row[0]: Meeting(row[0], str(row[1]) if row[1] else None, row[2])
        for row in store.lookup(MEETINGS).rows
    }
    for day, meeting, date in store.lookup(DAYS).rows:
        if meeting in meetings:
            children = [item for iri, item in items.items() if parents.get(iri) == day]
            meetings[meeting].days.append((day, date, children))
    _add_floor(store, meetings, items)
    return list(meetings.values())


def _items(store: Store) -> tuple[dict[Node, Item], dict[Node, Node]]:
    items: dict[Node, Item] = {}
    parents: dict[Node, Node] = {}
    for iri, parent, start, end, place, kind in store.lookup(ITEMS).rows:
        item = items.setdefault(iri, Item(iri, start, end))
        parents[iri] = parent
        if place is not None and place not in item.places:
            item.places.append(place)
        if kind is not None:
            item.kinds.add(kind)
    for iri, parent in parents.items():
        if parent in items:
            items[parent].parts.append(items[iri])
    roles: dict[Node, dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
    for item, kind, person in store.lookup(ROLES).rows:
        roles[item][kind].append(person)
    for iri, by_kind in roles.items():
        if iri in items:
            items[iri].roles = sorted(by_kind.items(), key=lambda kv: _role_rank(kv[0]))
    return items, parents


def _role_rank(kind: Node) -> int:
    return ROLE_ORDER.index(kind) if kind in ROLE_ORDER else len(ROLE_ORDER)


def _add_floor(store: Store, meetings: dict[Node, Meeting], items: dict[Node, Item]) -> None:
    groups: dict[Node, dict[Node, dict[Node, Entry]]] = defaultdict(dict)
    for entry, meeting, group, listed, agent, item, *_ in store.lookup(FLOOR).rows:
        if meeting not in meetings:
            continue
        entries = groups[meeting].setdefault(group, {})
        record = entries.setdefault(entry, Entry(entry, str(listed)))
        if agent is not None and agent not in record.agents:
            record.agents.append(agent)
            if item in items and agent not in items[item].floor:
                items[item].floor.append(agent)
    for meeting, by_group in groups.items():
        meetings[meeting].groups = [
            (group, list(entries.values())) for group, entries in by_group.items()
        ]


def agenda_nodes(meetings: list[Meeting]) -> set[Node]:
    """Return every IRI the agenda shows, to fetch their labels at once."""
    nodes: set[Node] = set()

    def visit(item: Item) -> None:
        nodes.update([item.iri, *item.places, *item.floor])
        for kind, people in item.roles:
            nodes.update([kind, *people])
        for part in item.parts:
            visit(part)

    for meeting in meetings:
        nodes.update(n for n in (meeting.iri, meeting.place) if n is not None)
        for day, _, items in meeting.days:
            nodes.add(day)
            for item in items:
                visit(item)
        for group, entries in meeting.groups:
            nodes.add(group)
            for entry in entries:
                nodes.update([entry.iri, *entry.agents])
    return {n for n in nodes if not isinstance(n, Literal)}
