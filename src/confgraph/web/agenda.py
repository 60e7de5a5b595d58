"""One meeting's programme, read from its own named graph as an agenda: days, items, floor."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.term import Node

from confgraph.store.base import Store
from confgraph.vocab import CG
from confgraph.web.views import PREFIXES, sparql_iri

ROLE_ORDER = (CG.coFacilitator, CG.thematicExpert, CG.moderator, CG.panelist, CG.presenter)
# The kinds of item an agenda tells apart (each item has one, besides its general classes).
ITEM_KINDS = {
    CG.OpeningSegment: "opening",
    CG.Panel: "panel",
    CG.SummaryPanel: "panel summary",
    CG.Break: "break",
    CG.SideEvent: "side-event",
    CG.ClosingSegment: "closing",
}

# The meeting's own facts are read by subject; the agenda's queries name the meeting's graph:
# a page reads its own meeting, never the whole dataset.
HEADER = (
    PREFIXES
    + """SELECT ?zone ?place WHERE {{ {meeting} a cg:Meeting .
  OPTIONAL {{ {meeting} cg:timeZone ?zone }} OPTIONAL {{ {meeting} schema:location ?place }}
}} LIMIT 1"""
)
DAYS = (
    PREFIXES
    + """SELECT ?day ?date WHERE {{ GRAPH {graph} {{
  ?day schema:superEvent {meeting} ; a cg:ProgrammeDay ; cg:date ?date .
}} }} ORDER BY ?date"""
)
ITEMS = (
    PREFIXES
    + """SELECT ?item ?parent ?start ?end ?place ?kind ?heading WHERE {{ GRAPH {graph} {{
  ?item a cg:ProgrammeItem ; schema:superEvent ?parent .
  OPTIONAL {{ ?item schema:startDate ?start }} OPTIONAL {{ ?item schema:endDate ?end }}
  OPTIONAL {{ ?item schema:location ?place }}
  OPTIONAL {{ ?item a ?kind FILTER (?kind IN ({kinds})) }}
  OPTIONAL {{ ?item schema:position ?position }} OPTIONAL {{ ?item cg:heading ?heading }}
}} }} ORDER BY ?position ?start ?end ?item"""
).replace("{kinds}", ", ".join(f"<{kind}>" for kind in ITEM_KINDS))
ROLES = (
    PREFIXES
    + """SELECT ?item ?type ?person ?position WHERE {{ GRAPH {graph} {{
  ?role a cg:Role ; conf:during ?item ; conf:withRole ?type ; conf:isHeldBy ?person .
  OPTIONAL {{ ?role schema:position ?position }}
}} }} ORDER BY ?position ?person"""
)
FLOOR = (
    PREFIXES
    + """SELECT ?entry ?group ?listed ?agent ?item ?written WHERE {{ GRAPH {graph} {{
  ?entry cg:atMeeting {meeting} ; cg:listedUnder ?group ; cg:listedAs ?listed .
  {{ ?entry a cg:Statement . OPTIONAL {{ ?entry cg:deliveredBy ?agent }} BIND(false AS ?written) }}
  UNION
  {{ ?entry a cg:WrittenInput . OPTIONAL {{ ?entry cg:submittedBy ?agent }}
     BIND(true AS ?written) }}
  OPTIONAL {{ ?entry cg:deliveredAt ?item }}
  OPTIONAL {{ ?entry schema:position ?order }}
}} }} ORDER BY ?written ?order ?listed ?agent"""
)
# Listing groups are shared by programmes: their positions are read for this page's groups only.
GROUP_POSITIONS = (
    PREFIXES
    + """SELECT ?group (MIN(?position) AS ?first) WHERE {{
  VALUES ?group {{ {groups} }} ?group schema:position ?position .
}} GROUP BY ?group"""
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
    heading: str | None = None  # the heading within its day it is listed under


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


def read_agenda(store: Store, meeting: URIRef, graph: URIRef) -> Meeting | None:
    """Read one meeting's agenda from its named graph; None if the graph holds no such meeting."""
    names = {"meeting": sparql_iri(meeting), "graph": sparql_iri(graph)}
    header = store.lookup(HEADER.format(**names)).rows
    if not header:
        return None
    zone, place = header[0]
    agenda = Meeting(meeting, str(zone) if zone is not None else None, place)
    items, parents = _items(store, names)
    for day, date in store.lookup(DAYS.format(**names)).rows:
        children = [item for iri, item in items.items() if parents.get(iri) == day]
        agenda.days.append((day, date, children))
    agenda.groups = _floor(store, names, items)
    return agenda


def _items(store: Store, names: dict[str, str]) -> tuple[dict[Node, Item], dict[Node, Node]]:
    items: dict[Node, Item] = {}
    parents: dict[Node, Node] = {}
    for iri, parent, start, end, place, kind, heading in store.lookup(ITEMS.format(**names)).rows:
        item = items.setdefault(iri, Item(iri, start, end))
        item.heading = str(heading) if heading is not None else item.heading
        parents[iri] = parent
        if place is not None and place not in item.places:
            item.places.append(place)
        if kind is not None:
            item.kinds.add(kind)
    for iri, parent in parents.items():
        if parent in items:
            items[parent].parts.append(items[iri])
    roles: dict[Node, dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
    unordered: set[Node] = set()
    for item, kind, person, position in store.lookup(ROLES.format(**names)).rows:
        roles[item][kind].append(person)
        if position is None:
            unordered.add(item)
    for iri, by_kind in roles.items():
        if iri in items:
            items[iri].roles = _in_listed_order(by_kind, iri in unordered)
    return items, parents


def _in_listed_order(
    by_kind: dict[Node, list[Node]], unordered: bool
) -> list[tuple[Node, list[Node]]]:
    """Return the roles by kind, each kind where the source first lists one of its people.

    The rows come in the order of the roles' positions, and a dict keeps the order in which
    each kind was first seen; an item whose roles have no positions (data built before
    confgraph recorded them) lists its kinds in the fixed order of ROLE_ORDER.
    """
    if unordered:
        return sorted(by_kind.items(), key=lambda kv: _role_rank(kv[0]))
    return list(by_kind.items())


def _role_rank(kind: Node) -> int:
    return ROLE_ORDER.index(kind) if kind in ROLE_ORDER else len(ROLE_ORDER)


def _floor(
    store: Store, names: dict[str, str], items: dict[Node, Item]
) -> list[tuple[URIRef, list[Entry]]]:
    """Return the floor's entries by group: statements first, groups in the programme's order."""
    rows = store.lookup(FLOOR.format(**names)).rows
    first = _group_positions(store, {row[1] for row in rows})
    # Stable: entries keep the query's order (position, listing) within their group.
    rows = sorted(rows, key=lambda row: (_is_true(row[5]), first.get(row[1], -1), str(row[1])))
    groups: dict[Node, dict[Node, Entry]] = {}
    for entry, group, listed, agent, item, _ in rows:
        record = groups.setdefault(group, {}).setdefault(entry, Entry(entry, str(listed)))
        if agent is not None and agent not in record.agents:
            record.agents.append(agent)
            if item in items and agent not in items[item].floor:
                items[item].floor.append(agent)
    return [(group, list(entries.values())) for group, entries in groups.items()]


def _group_positions(store: Store, groups: set[Node]) -> dict[Node, int]:
    """Return each group's first position (a group without one sorts first, as SPARQL would)."""
    iris = sorted(sparql_iri(g) for g in groups if isinstance(g, URIRef))
    if not iris:
        return {}
    rows = store.lookup(GROUP_POSITIONS.format(groups=" ".join(iris))).rows
    return {group: int(first) for group, first in rows if isinstance(first, Literal)}


def _is_true(value: Node | None) -> bool:
    return isinstance(value, Literal) and value.toPython() is True


def agenda_nodes(meeting: Meeting) -> set[Node]:
    """Return every IRI the agenda shows, to fetch their labels at once."""
    nodes: set[Node] = {n for n in (meeting.iri, meeting.place) if n is not None}

    def visit(item: Item) -> None:
        nodes.update([item.iri, *item.places, *item.floor])
        for kind, people in item.roles:
            nodes.update([kind, *people])
        for part in item.parts:
            visit(part)

    for day, _, items in meeting.days:
        nodes.add(day)
        for item in items:
            visit(item)
    for group, entries in meeting.groups:
        nodes.add(group)
        for entry in entries:
            nodes.update([entry.iri, *entry.agents])
    return {n for n in nodes if not isinstance(n, Literal)}
