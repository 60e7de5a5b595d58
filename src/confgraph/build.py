"""Turn the programme model into RDF: pure and deterministic."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from confgraph.agents import AgentWriter
from confgraph.build_parts import (
    add_notes,
    add_sources,
    add_span,
    day_extras,
    day_span,
    item_extras,
    item_span,
    meeting_extras,
    meeting_span,
    venue_extras,
)
from confgraph.iris import Iris, first_free
from confgraph.model import AgentRef, Catalogue, Day, Item, Programme, Statement, WrittenInput
from confgraph.vocab import CG, CONF, ISO639, ONTOLOGY_IRI, SCHEMA

Triple = tuple[Node, Node, Node]

ITEM_CLASSES = {
    "opening": CG.OpeningSegment,
    "panel": CG.Panel,
    "summary-panel": CG.SummaryPanel,
    "break": CG.Break,
    "side-event": CG.SideEvent,
    "closing": CG.ClosingSegment,
}
ROLE_TYPES = {
    "panelist": CG.panelist,
    "moderator": CG.moderator,
    "thematic-expert": CG.thematicExpert,
    "co-facilitator": CG.coFacilitator,
    "presenter": CG.presenter,
    "speaker": CG.speaker,
}
# The ontology ships inside the package, so an installed confgraph finds it.
ONTOLOGY_FILE = Path(__file__).resolve().parent / "ontology" / "confgraph.ttl"


@dataclass(frozen=True)
class BuiltDataset:
    """The triples of each named graph as built: programmes, the shared graph, the ontology."""

    graphs: dict[URIRef, set[Triple]]

    def graph(self, name: URIRef) -> Graph:
        """Return one named graph as an rdflib Graph (empty if there is none)."""
        graph = Graph(identifier=name)
        for triple in self.graphs.get(name, ()):
            graph.add(triple)
        return graph

    def quads(self, _: object = None) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        """Yield every quad as (subject, predicate, object, graph)."""
        for name, triples in self.graphs.items():
            for subject, predicate, obj in triples:
                yield subject, predicate, obj, name

    def __len__(self) -> int:
        return sum(len(triples) for triples in self.graphs.values())


def build_dataset(catalogue: Catalogue, iris: Iris, ontology: Graph | None = None) -> BuiltDataset:
    """Return one graph per programme, the shared graph and the ontology graph.

    No triple is in two graphs: a programme's graph holds the triples that touch its
    meeting's IRIs; what programmes share (agents, places, groups, series) is in the
    shared graph, once, however many programmes mention it.
    """
    shared: set[Triple] = set()
    graphs: dict[URIRef, set[Triple]] = {iris.shared_graph(): shared}
    for programme in catalogue.programmes:
        written: set[Triple] = set()
        ProgrammeWriter(written, iris, catalogue, programme).write()
        key = programme.meeting.key
        own = graphs.setdefault(iris.graph(key), set())
        owned = iris.owner(key)
        for triple in written:
            target = own if owned(triple[0]) or owned(triple[2]) else shared
            target.add(triple)
    if ontology is not None:
        graphs[ONTOLOGY_IRI] = set(ontology)
    return BuiltDataset(graphs)


def data_graph(dataset: BuiltDataset) -> Graph:
    """Return the merge of the data graphs (every graph but the ontology), each triple once."""
    union = Graph()
    for name, triples in dataset.graphs.items():
        if name != ONTOLOGY_IRI:
            for triple in triples:
                union.add(triple)
    return union


def en(text: str) -> Literal:
    """Return an English-tagged literal."""
    return Literal(text, lang="en")


def item_label(item: Item) -> str:
    """Return how a programme names an item (Panel 1: ..., Summary panel: ...)."""
    if item.kind == "panel" and item.number is not None:
        return f"Panel {item.number}: {item.title}"
    if item.kind == "summary-panel":
        return f"Summary panel: {item.title}"
    return item.title


class ProgrammeWriter:
    """Write one programme into its named graph."""

    def __init__(
        self, graph: set[Triple], iris: Iris, catalogue: Catalogue, programme: Programme
    ) -> None:
        self.graph = graph
        self.iris = iris
        self.catalogue = catalogue
        self.programme = programme
        self.key = programme.meeting.key
        self.agents = AgentWriter(graph, iris, catalogue)
        self.items: dict[str, Item] = {}

    def write(self) -> None:
        """Write the meeting, its days and items, people, statements and inputs."""
        self._meeting()
        for person in self.programme.people.values():
            self.agents.person(person, self.key)
        self._groups()
        self._listings(self.programme.statements, self._statement)
        self._listings(self.programme.inputs, self._input)
        for ref, names in sorted(self.programme.aliases.items()):
            self.agents.add_aliases(ref, names)

    def _event(self, subject: URIRef, classes: Iterable[URIRef], name: str) -> None:
        for cls in (*classes, SCHEMA.Event):
            self.graph.add((subject, RDF.type, cls))
        self.graph.add((subject, SCHEMA.name, en(name)))
        self.graph.add((subject, RDFS.label, en(name)))

    def _nest(self, parent: URIRef, child: URIRef) -> None:
        self.graph.add((parent, SCHEMA.subEvent, child))
        self.graph.add((child, SCHEMA.superEvent, parent))

    def _meeting(self) -> None:
        meeting = self.programme.meeting
        subject = self.iris.meeting(self.key)
        self._event(subject, (CG.Meeting,), meeting.title)
        if meeting.short_title:
            self.graph.add((subject, SCHEMA.alternateName, en(meeting.short_title)))
        add_span(self.graph, subject, *meeting_span(meeting))
        meeting_extras(self.graph, subject, self.programme)
        add_notes(self.graph, subject, meeting.notes)
        add_sources(self.graph, self.iris, self.key, self.programme.sources)
        self.graph.add((subject, CG.timeZone, Literal(meeting.timezone)))
        self.graph.add((subject, SCHEMA.location, self._venue()))  # its items are in rooms
        if meeting.series:
            self._series(subject, meeting.series)
        self._links(subject, meeting.links)
        self._subjects(subject, meeting.subjects)
        for day in meeting.days:
            self._day(subject, day)

    def _series(self, meeting: URIRef, name: str) -> None:
        series = self.iris.series(name)
        for cls in (CG.MeetingSeries, SCHEMA.EventSeries):
            self.graph.add((series, RDF.type, cls))
        self.graph.add((series, SCHEMA.name, en(name)))
        self.graph.add((series, RDFS.label, en(name)))
        self.graph.add((meeting, CG.inSeries, series))
        self.graph.add((series, SCHEMA.subEvent, meeting))

    def _links(self, subject: URIRef, links: tuple[str, ...]) -> None:
        for link in links:
            self.graph.add((subject, CG.background, URIRef(link)))

    def _subjects(self, subject: URIRef, concepts: tuple[str, ...]) -> None:
        for concept in concepts:
            self.graph.add((subject, DCTERMS.subject, URIRef(concept)))

    def _venue(self) -> URIRef:
        venue = self.programme.meeting.venue
        city = self.iris.city(venue.city)
        subject = self.iris.place(venue.key)
        self._place(city, (CG.City, SCHEMA.City), venue.city)
        country = self.agents.iri(AgentRef("country", venue.country))
        self.graph.add((city, SCHEMA.containedInPlace, country))
        self._place(subject, (CG.Venue, SCHEMA.Place), venue.name)
        venue_extras(self.graph, subject, venue)
        add_notes(self.graph, subject, venue.notes)
        self.graph.add((subject, SCHEMA.containedInPlace, city))
        return subject

    def _room(self, room: str) -> URIRef:
        venue = self._venue()
        subject = self.iris.place(self.programme.meeting.venue.key, room)
        self._place(subject, (CG.Room, SCHEMA.Place), room)
        self.graph.add((subject, SCHEMA.containedInPlace, venue))
        return subject

    def _place(self, subject: URIRef, classes: tuple[URIRef, ...], name: str) -> None:
        for cls in classes:
            self.graph.add((subject, RDF.type, cls))
        self.graph.add((subject, SCHEMA.name, Literal(name)))
        self.graph.add((subject, RDFS.label, Literal(name)))

    def _day(self, meeting: URIRef, day: Day) -> None:
        subject = self.iris.day(self.key, day.date)
        self._event(subject, (CG.ProgrammeDay,), day.label)
        self.graph.add((subject, CG.date, Literal(day.date.isoformat(), datatype=XSD.date)))
        add_span(self.graph, subject, *day_span(day))
        day_extras(self.graph, subject, day)
        add_notes(self.graph, subject, day.notes)
        self.graph.add((subject, SCHEMA.location, self._venue()))
        self._nest(meeting, subject)
        for position, item in enumerate(day.items, start=1):
            self._item(subject, item, position)

    def _item(self, parent: URIRef, item: Item, position: int) -> None:
        self.items[item.key] = item
        subject = self.iris.item(self.key, item.key)
        self._event(subject, (CG.ProgrammeItem, ITEM_CLASSES[item.kind]), item_label(item))
        self.graph.add((subject, DCTERMS.title, en(item.title)))
        add_span(self.graph, subject, *item_span(item))
        item_extras(self.graph, subject, item)
        add_notes(self.graph, subject, item.notes)
        self.graph.add((subject, SCHEMA.location, self._item_location(item)))
        if item.description:
            self.graph.add((subject, SCHEMA.description, en(item.description)))
        if item.number is not None:
            number = Literal(item.number)  # canonical xsd:integer: engines keep it as written
            self.graph.add((subject, CG.panelNumber, number))
        self._links(subject, item.links)
        self._subjects(subject, item.subjects)
        self._nest(parent, subject)
        self.graph.add((subject, SCHEMA.position, Literal(position)))
        for order, participation in enumerate(item.participants, start=1):
            role = self._role(
                subject, item, participation.person, participation.role, participation.listed_as
            )
            self.graph.add((role, SCHEMA.position, Literal(order)))  # the order the file lists
            add_notes(self.graph, role, participation.notes)
        for order, child in enumerate(item.items, start=1):
            self._item(subject, child, order)

    def _item_location(self, item: Item) -> URIRef:
        if item.room:
            return self._room(item.room)
        if item.kind == "break":
            return self._venue()
        return self._room(self.programme.meeting.room)

    def _role(
        self, event: URIRef, item: Item, person_key: str, role: str, listed_as: str | None
    ) -> URIRef:
        subject = self.iris.role(self.key, item.key, person_key, role)
        person = self.iris.person(person_key)
        add = self.graph.add
        for cls in (CG.Role, CONF.RoleDuringEvent):
            add((subject, RDF.type, cls))
        add((subject, CONF.isHeldBy, person))
        add((person, CONF.holdsRole, subject))
        add((subject, CONF.withRole, ROLE_TYPES[role]))
        add((subject, CONF.during, event))
        person_entry = self.programme.people[person_key]
        name = person_entry.name
        add((subject, RDFS.label, en(f"{name}, {role.replace('-', ' ')}, {item_label(item)}")))
        if person_entry.meeting_job_title:  # the title held during this meeting
            add((subject, CG.jobTitle, Literal(person_entry.meeting_job_title)))
        if listed_as:
            add((subject, CG.listedAs, Literal(listed_as)))
        return subject

    def _groups(self) -> None:
        for position, (key, label) in enumerate(self.programme.groups.items(), start=1):
            subject = self.iris.group(key)
            self.graph.add((subject, SCHEMA.position, Literal(position)))
            for cls in (CG.ListingGroup, SKOS.Concept):
                self.graph.add((subject, RDF.type, cls))
            self.graph.add((subject, SKOS.prefLabel, en(label)))
            self.graph.add((subject, RDFS.label, en(label)))

    def _listings(self, entries, write) -> None:
        taken = {entry.key for entry in entries if entry.key}
        for position, entry in enumerate(entries, start=1):
            slug = entry.key or first_free(self._slug(entry), taken.__contains__)
            taken.add(slug)
            subject = write(entry, slug)
            self.graph.add((subject, SCHEMA.position, Literal(position)))

    def _slug(self, entry: Statement | WrittenInput) -> str:
        if isinstance(entry, WrittenInput):
            return "-and-".join(self.agents.slug(a) for a in entry.authors)
        parts = ["-and-".join(self.agents.slug(a) for a in entry.speakers)]
        if entry.on_behalf_of:
            parts.append(f"for-{self.agents.slug(entry.on_behalf_of)}")
        if entry.language:
            parts.append(entry.language)
        if entry.at:
            parts.append(f"at-{entry.at}")
        return "-".join(parts)

    def _names(self, refs: tuple[AgentRef, ...]) -> str:
        return " and ".join(self.catalogue.agent_name(ref) for ref in refs)

    def _listing(self, subject: URIRef, classes: tuple[URIRef, ...], entry, label: str) -> None:
        for cls in classes:
            self.graph.add((subject, RDF.type, cls))
        self.graph.add((subject, RDFS.label, en(label)))
        self.graph.add((subject, CG.atMeeting, self.iris.meeting(self.key)))
        self.graph.add((subject, CG.listedUnder, self.iris.group(entry.group)))
        self.graph.add((subject, CG.listedAs, Literal(entry.listed_as)))

    def _statement(self, statement: Statement, slug: str) -> URIRef:
        subject = self.iris.statement(self.key, slug)
        label = f"Statement by {self._names(statement.speakers)}"
        if statement.on_behalf_of:
            label += f" on behalf of {self._names((statement.on_behalf_of,))}"
        if statement.at:
            label += f" at {item_label(self.items[statement.at])}"
        self._listing(subject, (CG.Statement, PROV.Activity), statement, label)
        for ref in statement.speakers:
            self.graph.add((subject, CG.deliveredBy, self.agents.iri(ref)))
        if statement.at:
            self.graph.add((subject, CG.deliveredAt, self.iris.item(self.key, statement.at)))
        if statement.on_behalf_of:
            self.graph.add((subject, CG.onBehalfOf, self.agents.iri(statement.on_behalf_of)))
        if statement.language:
            self.graph.add((subject, DCTERMS.language, ISO639[statement.language]))
        add_notes(self.graph, subject, statement.notes)
        return subject

    def _input(self, written: WrittenInput, slug: str) -> URIRef:
        subject = self.iris.written_input(self.key, slug)
        label = f"Written input by {self._names(written.authors)}"
        classes = (CG.WrittenInput, PROV.Entity, SCHEMA.CreativeWork)
        self._listing(subject, classes, written, label)
        self.graph.add((subject, SCHEMA.name, en(label)))
        for ref in written.authors:
            self.graph.add((subject, CG.submittedBy, self.agents.iri(ref)))
        add_notes(self.graph, subject, written.notes)
        return subject
