"""The home page: each meeting's programme as an agenda, with links to everything else."""

from __future__ import annotations

from flask import Blueprint, render_template
from rdflib import Literal
from rdflib.term import Node

from confgraph.vocab import CG
from confgraph.web.agenda import agenda_nodes
from confgraph.web.app import site
from confgraph.web.display import local_time

blueprint = Blueprint("home", __name__)

KIND_CLASSES = {
    CG.OpeningSegment: "opening",
    CG.Panel: "panel",
    CG.SummaryPanel: "panel summary",
    CG.Break: "break",
    CG.SideEvent: "side-event",
    CG.ClosingSegment: "closing",
}


@blueprint.get("/")
def index() -> str:
    """Render the agenda of every meeting day by day."""
    meetings = site().agenda()
    labeller = site().labeller()
    labeller.prefetch(agenda_nodes(meetings))

    def time_of(node: Node | None, zone: str | None) -> str:
        return local_time(node, zone) if isinstance(node, Literal) else ""

    def css_kinds(kinds: set[Node]) -> str:
        return " ".join(sorted(KIND_CLASSES[k] for k in kinds if k in KIND_CLASSES))

    return render_template(
        "home.html",
        meetings=meetings,
        label=labeller.label,
        time_of=time_of,
        css_kinds=css_kinds,
    )
