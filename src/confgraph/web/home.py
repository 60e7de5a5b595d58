"""The home page: the dataset's summary and its meetings, newest first, one page at a time."""

from __future__ import annotations

from flask import Blueprint, render_template

from confgraph.errors import EngineUnavailable, QueryTimeout, ResourceNotFound
from confgraph.web import pagecache
from confgraph.web.app import site
from confgraph.web.meetings import Page, date_range, read_page, summary
from confgraph.web.params import page_number
from confgraph.web.programme import linker, programme_graph

blueprint = Blueprint("home", __name__)


@blueprint.get("/")
def index() -> str:
    """List one page of meetings (?page=N) with their dates, venue and counts."""
    number = page_number()
    size, unavailable = site().settings.page_size, None
    try:
        page = read_page(site().store, number, size, programme_graph)
    except (EngineUnavailable, QueryTimeout) as error:  # the summary is on disk: still shown
        page, unavailable = Page(number, size, 0, []), str(error)
        pagecache.not_kept()  # shown again once the engine answers
    if unavailable is None and number > page.last:
        raise ResourceNotFound(f"page {number} is past the last page of meetings ({page.last})")
    labeller = site().labeller()
    labeller.prefetch(n for m in page.meetings for n in (m.iri, m.place, m.venue) if n is not None)
    return render_template(
        "home.html",
        page=page,
        summary=summary(site().description, site().addresses.dataset()),
        label=labeller.label,
        link=linker(labeller.label),
        dates=date_range,
        unavailable=unavailable,
    )
