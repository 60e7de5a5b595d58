"""A meeting's agenda page at /programme/<meeting>, read from that meeting's named graph."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Blueprint, render_template, url_for
from markupsafe import Markup, escape
from rdflib import Literal, URIRef
from rdflib.term import Node

from confgraph.errors import ResourceNotFound
from confgraph.vocab import CG
from confgraph.web.agenda import ITEM_KINDS, Meeting, agenda_nodes, read_agenda
from confgraph.web.app import site
from confgraph.web.display import local_time
from confgraph.web.resources import is_iri

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
        title=labeller.label(iri),
        label=labeller.label,
        link=linker(labeller.label),
        time_of=time_of,
        css_kinds=css_kinds,
    )


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


@blueprint.app_context_processor
def _agenda_links() -> dict[str, Any]:
    # Resource pages link a meeting to its agenda with this.
    return {"agenda_href": agenda_href}
