"""One meeting's programme, read from its own named graph as an agenda: days, items, floor."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.term import Node

from confgraph.store.base import Store
from confgraph.vocab import CG, SCHEMA
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
    + """SELECT ?zone ?place ?start ?end WHERE {{ {meeting} a cg:Meeting .
  OPTIONAL {{ {meeting} cg:timeZone ?zone }} OPTIONAL {{ {meeting} schema:location ?place }}
  OPTIONAL {{ {meeting} schema:startDate ?start }} OPTIONAL {{ {meeting} schema:endDate ?end }}
}} LIMIT 1"""
)
# Texts of the meeting and its items in every language they are given in.
TEXTS = (
    PREFIXES
    + """SELECT ?subject ?property ?text WHERE {{
  {{ BIND({meeting} AS ?subject) }} UNION {{ GRAPH {graph} {{ ?subject a cg:ProgrammeItem }} }}
  VALUES ?property {{ schema:alternateName schema:description schema:organizer }}
  ?subject ?property ?text .
}}"""
)
# The rooms and buildings are shared by programmes: the chain up from a place, by subject.
# A UNION, not two OPTIONALs: Virtuoso drops solutions of two OPTIONALs after a path (V18).
PLACES = (
    PREFIXES
    + """SELECT ?place ?within ?kind WHERE {{
  {{ {place} schema:containedInPlace* ?place . ?place schema:containedInPlace ?within }} UNION
  {{ {place} schema:containedInPlace* ?place . ?place a ?kind
     FILTER (?kind IN (cg:City, cg:Country, cg:Room)) }}
}}"""
)
# The lists (of people, items, statements, inputs) that the source cuts off.
INCOMPLETE = (
    PREFIXES
    + """SELECT ?subject ?property WHERE {{ GRAPH {graph} {{
  VALUES ?property {{ cg:peopleIncomplete cg:itemsIncomplete cg:statementsIncomplete
    cg:inputsIncomplete }}
  ?subject ?property true .
}} }}"""
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
# A role's position is the source's order of speakers; without one, roles keep ROLE_ORDER.
# The person's job title and organisations are those the meeting's programme gives.
ROLES = (
    PREFIXES
    + """SELECT ?item ?type ?person ?position ?listed ?honorific ?roleJob ?job ?organisation
WHERE {{
  GRAPH {graph} {{
    ?role a cg:Role ; conf:during ?item ; conf:withRole ?type ; conf:isHeldBy ?person .
    OPTIONAL {{ ?role schema:position ?position }} OPTIONAL {{ ?role cg:listedAs ?listed }}
    OPTIONAL {{ ?role cg:jobTitle ?roleJob }}
    OPTIONAL {{ ?affiliation conf:isAffiliationOf ?person ; conf:during {meeting} .
      OPTIONAL {{ ?affiliation cg:jobTitle ?job }}
      OPTIONAL {{ ?affiliation conf:withOrganisation ?organisation }} }}
  }}
  OPTIONAL {{ ?person schema:honorificPrefix ?honorific }}
}} ORDER BY ?item ?position ?person"""
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
class Speaker:
    """A person holding a role, as the programme lists them."""

    person: URIRef
    listed: str | None = None
    honorific: str | None = None
    job_title: str | None = None
    organisations: list[Node] = field(default_factory=list)
    position: int | None = None


@dataclass
class Item:
    """A programme item with its people, the delegations heard there and its own parts."""

    iri: URIRef
    start: Node | None = None
    end: Node | None = None
    places: list[Node] = field(default_factory=list)
    kinds: set[Node] = field(default_factory=set)
    roles: list[tuple[URIRef, list[Speaker]]] = field(default_factory=list)
    floor: list[Node] = field(default_factory=list)
    parts: list[Item] = field(default_factory=list)
    heading: str | None = None  # the heading within its day it is listed under
    descriptions: list[Literal] = field(default_factory=list)
    organizers: list[Node] = field(default_factory=list)


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
    start: Node | None = None
    end: Node | None = None
    places: list[Node] = field(default_factory=list)
    short_titles: list[Literal] = field(default_factory=list)
    descriptions: list[Literal] = field(default_factory=list)
    days: list[tuple[URIRef, Node, list[Item]]] = field(default_factory=list)
    groups: list[tuple[URIRef, list[Entry]]] = field(default_factory=list)
    organizers: list[Node] = field(default_factory=list)
    # Each place of the meeting and its items, with the places it lies within, innermost first.
    chains: dict[Node, list[Node]] = field(default_factory=dict)
    cities: set[Node] = field(default_factory=set)
    countries: set[Node] = field(default_factory=set)
    rooms: set[Node] = field(default_factory=set)
    # (subject, property) of each list the source cuts off: (item, cg:peopleIncomplete), ...
    incomplete: set[tuple[Node, Node]] = field(default_factory=set)

    def cut_off(self, subject: Node, list_name: str) -> bool:
        """Tell whether the source cuts off one of subject's lists (people, items, ...)."""
        return (subject, CG[f"{list_name}Incomplete"]) in self.incomplete

    def items(self) -> list[Item]:
        """Return every item of the meeting, parts after the item they belong to."""
        found: list[Item] = []

        def visit(item: Item) -> None:
            found.append(item)
            for part in item.parts:
                visit(part)

        for _, _, items in self.days:
            for item in items:
                visit(item)
        return found


def read_agenda(
    store: Store, meeting: URIRef, graph: URIRef, floor: bool = True
) -> Meeting | None:
    """Read one meeting's agenda from its named graph; None if the graph holds no such meeting.

    Without floor, the statements and inputs are left out (a page that shows only events).
    """
    names = {"meeting": sparql_iri(meeting), "graph": sparql_iri(graph)}
    header = store.lookup(HEADER.format(**names)).rows
    if not header:
        return None
    zone, place, start, end = header[0]
    agenda = Meeting(meeting, str(zone) if zone is not None else None, place, start, end)
    items, parents = _items(store, names)
    for day, date in store.lookup(DAYS.format(**names)).rows:
        children = [item for iri, item in items.items() if parents.get(iri) == day]
        agenda.days.append((day, date, children))
    agenda.groups = _floor(store, names, items) if floor else []
    _add_texts(store, names, agenda, items)
    agenda.incomplete = {(s, p) for s, p in store.lookup(INCOMPLETE.format(**names)).rows}
    for where in {place, *(p for item in items.values() for p in item.places)}:
        _add_place(store, agenda, where)
    agenda.places = agenda.chains.get(place, [])
    return agenda


def _add_place(store: Store, agenda: Meeting, place: Node | None) -> None:
    """Record the chain of places up from place (room, venue, city, ...), and which are cities."""
    if not isinstance(place, URIRef):
        return
    within: dict[Node, Node] = {}
    for inner, outer, kind in store.lookup(PLACES.format(place=sparql_iri(place))).rows:
        if outer is not None:
            within.setdefault(inner, outer)
        if kind == CG.City:
            agenda.cities.add(inner)
        elif kind == CG.Country:
            agenda.countries.add(inner)
        elif kind == CG.Room:
            agenda.rooms.add(inner)
    chain: list[Node] = [place]
    while (outer := within.get(chain[-1])) is not None and outer not in chain:
        chain.append(outer)
    agenda.chains[place] = chain


def _add_texts(store: Store, names: dict[str, str], agenda: Meeting, items: dict) -> None:
    """Add the meeting's short titles and descriptions, and those of its items."""
    for subject, prop, text in store.lookup(TEXTS.format(**names)).rows:
        if prop == SCHEMA.organizer:
            target = agenda if subject == agenda.iri else items.get(subject)
            if target is not None:
                target.organizers.append(text)
            continue
        if not isinstance(text, Literal):
            continue
        if subject == agenda.iri:
            texts = agenda.short_titles if prop == SCHEMA.alternateName else agenda.descriptions
            texts.append(text)
        elif subject in items and prop == SCHEMA.description:
            items[subject].descriptions.append(text)


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
    for iri, roles in _roles(store, names).items():
        if iri in items:
            items[iri].roles = roles
    return items, parents


def _roles(store: Store, names: dict[str, str]) -> dict[Node, list[tuple[URIRef, list[Speaker]]]]:
    """Return each item's speakers grouped by role, in the source's order where it is known."""
    speakers: dict[Node, dict[tuple[Node, Node], Speaker]] = defaultdict(dict)
    rows = store.lookup(ROLES.format(**names)).rows
    for item, kind, person, position, listed, honorific, role_job, job, organisation in rows:
        speaker = speakers[item].setdefault((kind, person), Speaker(person))
        speaker.listed = speaker.listed or _text(listed)
        speaker.honorific = speaker.honorific or _text(honorific)
        # A job title on the role (held without an organisation) comes before an affiliation's.
        speaker.job_title = speaker.job_title or _text(role_job) or _text(job)
        if isinstance(position, Literal) and speaker.position is None:
            speaker.position = int(position)
        if organisation is not None and organisation not in speaker.organisations:
            speaker.organisations.append(organisation)
    return {item: _in_order(by_role) for item, by_role in speakers.items()}


def _in_order(by_role: dict[tuple[Node, Node], Speaker]) -> list[tuple[URIRef, list[Speaker]]]:
    """Group speakers by role: runs in the source's order, else by role type and person."""
    pairs = list(by_role.items())
    if all(s.position is not None for _, s in pairs):
        pairs.sort(key=lambda kv: kv[1].position or 0)
    else:
        pairs.sort(key=lambda kv: (_role_rank(kv[0][0]), str(kv[0][1])))
    groups: list[tuple[URIRef, list[Speaker]]] = []
    for (kind, _), speaker in pairs:
        if not groups or groups[-1][0] != kind:
            groups.append((kind, []))  # type: ignore[arg-type]
        groups[-1][1].append(speaker)
    return groups


def _text(node: Node | None) -> str | None:
    return str(node) if isinstance(node, Literal) else None


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
    nodes: set[Node] = {meeting.iri, *meeting.organizers}
    nodes.update(p for chain in meeting.chains.values() for p in chain)

    def visit(item: Item) -> None:
        nodes.update([item.iri, *item.places, *item.floor, *item.organizers])
        for kind, speakers in item.roles:
            nodes.add(kind)
            for speaker in speakers:
                nodes.update([speaker.person, *speaker.organisations])
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
