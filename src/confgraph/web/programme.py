"""A meeting's agenda page at /programme/<meeting>, read from that meeting's named graph."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Blueprint, render_template, request, url_for
from markupsafe import Markup, escape
from rdflib import Literal, URIRef
from rdflib.term import Node

from confgraph.errors import ResourceNotFound
from confgraph.vocab import CG
from confgraph.web.agenda import ITEM_KINDS, Entry, Meeting, Speaker, agenda_nodes, read_agenda
from confgraph.web.app import site
from confgraph.web.display import Labeller, local_dates, local_time, pick_label, utc_offset
from confgraph.web.resources import is_iri
from confgraph.web.schemaorg import agenda_event, find_item, item_event
from confgraph.web.views import PREFIXES, sparql_iri

blueprint = Blueprint("programme", __name__)

MEETING_PATH = "/id/meeting/"


@blueprint.get("/programme/<meeting>")
def agenda(meeting: str) -> str:
    """Render one meeting's agenda day by day, then the floor's lists."""
    iri = site().addresses.iri(MEETING_PATH + meeting)
    graph = programme_graph(iri) if is_iri(iri) else None
    found = read_agenda(site().store, iri, graph) if graph is not None else None
    if found is None:
        raise ResourceNotFound(f"{iri} is no meeting of this dataset")
    labeller = site().labeller()
    labeller.prefetch(agenda_nodes(found))
    order_as_listed(found, labeller.label)

    def time_of(node: Node | None, zone: str | None) -> str:
        return local_time(node, zone) if isinstance(node, Literal) else ""

    def css_kinds(kinds: set[Node]) -> str:
        return " ".join(sorted(ITEM_KINDS[k] for k in kinds if k in ITEM_KINDS))

    return render_template(
        "programme.html",
        meeting=found,
        agenda=found,  # the macros' name for it
        title=labeller.label(iri),
        short_title=in_language(found.short_titles),
        in_language=in_language,
        dates=local_dates(found.start, found.end, found.zone),
        offset=utc_offset(found.start, found.zone),
        where=venue_order(found.places, found.rooms),
        label=labeller.label,
        link=linker(labeller.label),
        speaker=speaker_line(labeller.label),
        unnamed=lambda entry: unnamed_agents(entry, labeller.label),
        shared_listing=shared_listing,
        description_parts=description_parts,
        role_heading=role_heading(labeller.label),
        time_of=time_of,
        css_kinds=css_kinds,
        jsonld=agenda_event(found, labeller.label, absolute_href),
    )


def in_language(texts: list[Literal]) -> str | None:
    """Return the text in the reader's language (else the site's default, else any)."""
    chosen = pick_label(texts, request.accept_languages, site().settings.default_language)
    return None if chosen is None else str(chosen)


def venue_order(places: list[Node], rooms: set[Node]) -> list[Node]:
    """Order a room's places as programmes write them: building, room, then city and country.

    A meeting held at a venue (not in one of its rooms) keeps its order: venue, city, country.
    """
    if len(places) >= 2 and places[0] in rooms:
        return [places[1], places[0], *places[2:]]
    return places


def speaker_line(label: Callable[[Node], str]) -> Callable[[Speaker], Markup]:
    """Return the function that shows a speaker as the programme lists them, name linked."""
    link = linker(label)

    def show(speaker: Speaker) -> Markup:
        name = label(speaker.person)
        listed = speaker.listed or ""
        at = listed.find(name)
        if at >= 0:  # the programme's own words, with the name linked
            return escape(listed[:at]) + link(speaker.person) + escape(listed[at + len(name) :])
        before = escape(f"{speaker.honorific} ") if speaker.honorific else Markup("")
        job = speaker.job_title or ""
        details = [job] if job else []
        details += [label(o) for o in speaker.organisations if label(o) not in job]
        return before + link(speaker.person) + escape("".join(f", {d}" for d in details))

    return show


def role_heading(label: Callable[[Node], str]) -> Callable[[Node, int], str]:
    """Return the function that names a role for a number of people (Moderator, Panelists)."""

    def heading(kind: Node, count: int) -> str:
        name = label(kind)
        name = name[:1].upper() + name[1:]
        return f"{name}s" if count > 1 else name

    return heading


def unnamed_agents(entry: Entry, label: Callable[[Node], str]) -> list[Node]:
    """Return the agents of an entry whose names its listing does not already give."""
    listed = entry.listed.casefold()
    return [agent for agent in entry.agents if label(agent).casefold() not in listed]


def shared_listing(speakers: list[Speaker], label: Callable[[Node], str]) -> str | None:
    """Return the one listing a group of speakers shares when it names none of them."""
    listings = {s.listed for s in speakers}
    if len(speakers) < 2 or len(listings) != 1 or None in listings:
        return None
    listed = str(next(iter(listings)))
    return None if any(label(s.person) in listed for s in speakers) else listed


def description_parts(text: str | None, short: int = 200) -> tuple[str, str]:
    """Split a description into what is always shown and what a reader may unfold."""
    if not text or len(text) <= short:
        return text or "", ""
    end = text.find(". ", 0, short * 2)
    if end < 0:
        return text, ""
    return text[: end + 1], text[end + 2 :]


def order_as_listed(meeting: Meeting, label: Callable[[Node], str]) -> None:
    """Put a joint entry's agents in the order its listing names them (the rest after)."""
    for _, entries in meeting.groups:
        for entry in entries:
            named = {agent: entry.listed.find(label(agent)) for agent in entry.agents}
            entry.agents.sort(key=lambda a: (named[a] < 0, named[a], label(a)))


def linker(label: Callable[[Node], str]) -> Callable[[Node], Markup]:
    """Return the function pages call to show a term: its label, linked where we can."""
    href = site().href

    def link(node: Node) -> Markup:
        target = href(node)
        if target is None:
            return escape(label(node))
        return Markup(f'<a href="{escape(target)}">{escape(label(node))}</a>')

    return link


def meeting_key(meeting: Node) -> str | None:
    """Return the key a meeting's IRI ends with (<base>/id/meeting/<key>), if it is one."""
    path = site().addresses.local_path(str(meeting)) if isinstance(meeting, URIRef) else None
    key = path[len(MEETING_PATH) :] if path and path.startswith(MEETING_PATH) else ""
    return key if key and "/" not in key and "#" not in key else None


def programme_graph(meeting: URIRef) -> URIRef | None:
    """Return the named graph of a meeting's programme (<base>/graph/<key>)."""
    key = meeting_key(meeting)
    return site().addresses.iri("/graph/" + key) if key else None


def agenda_href(meeting: Node, types: Iterable[Node] = (CG.Meeting,)) -> str | None:
    """Return the address of a meeting's agenda page, or None for anything but a meeting."""
    key = meeting_key(meeting) if CG.Meeting in types else None
    return url_for("programme.agenda", meeting=key) if key else None


MEETING_OF = (
    PREFIXES
    + """SELECT ?meeting WHERE {{ {me} schema:superEvent+ ?meeting . ?meeting a cg:Meeting }}
LIMIT 1"""
)


def absolute_href(node: Node) -> str | None:
    """Return the absolute address of a term's page (search engines want whole URLs)."""
    target = site().href(node)
    return request.host_url.rstrip("/") + target if target and target.startswith("/") else target


def schema_events(iri: URIRef, types: Iterable[Node], labeller: Labeller) -> dict[str, Any] | None:
    """Return the plain schema.org Event of a meeting's or a programme item's page, if it is one."""
    types = set(types)
    if CG.Meeting in types:
        meeting = iri
    elif CG.ProgrammeItem in types:
        rows = site().store.lookup(MEETING_OF.format(me=sparql_iri(iri))).rows
        meeting = rows[0][0] if rows else None
    else:
        return None
    graph = programme_graph(meeting) if isinstance(meeting, URIRef) else None
    found = read_agenda(site().store, meeting, graph, floor=False) if graph is not None else None
    if found is None:
        return None
    labeller.prefetch(agenda_nodes(found))
    if meeting == iri:
        return agenda_event(found, labeller.label, absolute_href)
    item = find_item(found, iri)
    return None if item is None else item_event(found, item, labeller.label, absolute_href, True)


@blueprint.app_context_processor
def _agenda_links() -> dict[str, Any]:
    # Resource pages link a meeting to its agenda with this.
    return {"agenda_href": agenda_href}
