"""Browse without SPARQL: an index page per class, paged, sortable, faceted, as HTML, CSV or JSON.

The container addresses (/id/country/, /id/person/, ...) answer 303 See Other to their index.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for
from rdflib import Literal, URIRef
from rdflib.term import Node

from confgraph.errors import RequestError, ResourceNotFound
from confgraph.web.app import site
from confgraph.web.display import Labeller
from confgraph.web.listing import (
    INDEX_BY_KEY,
    INDEXES,
    Index,
    Listing,
    Sort,
    count_members,
    read_listing,
)
from confgraph.web.params import page_number
from confgraph.web.programme import linker
from confgraph.web.resources import is_iri, shower

blueprint = Blueprint("browse", __name__)

FORMATS = {"html": "text/html", "csv": "text/csv", "json": "application/json"}


@blueprint.get("/browse/")
def overview() -> str:
    """List the index pages with how many members each has."""
    store = site().store
    counts = [(index, count_members(store, index, {})) for index in INDEXES]
    return render_template("browse.html", counts=counts)


def index_page(key: str) -> Response:
    """Show one page of an index (?page=, ?sort=[-]key, a facet=IRI each) in a format."""
    index = INDEX_BY_KEY[key]
    fmt = chosen_format()
    chosen = chosen_facets(index)
    order = chosen_sort(index)
    number = page_number()
    size = site().settings.page_size
    listing = read_listing(site().store, index, chosen, order, (number, size))
    last = max(1, -(-listing.total // size))
    if number > last:
        raise ResourceNotFound(f"page {number} is past the last page of {key} ({last})")
    labeller = site().labeller()
    labeller.prefetch(_nodes(listing))
    response = _respond(fmt, index, listing, labeller, (number, last))
    response.vary.add("Accept")
    return response


def _respond(
    fmt: str, index: Index, listing: Listing, labeller: Labeller, page: tuple[int, int]
) -> Response:
    """Write one page of an index as CSV, JSON or HTML."""
    if fmt == "csv":
        response = Response(listing_csv(index, listing, labeller), mimetype="text/csv")
        name = f"{index.key}-{page[0]}.csv"
        response.headers["Content-Disposition"] = f'inline; filename="{name}"'
        return response
    if fmt == "json":
        return Response(listing_json(index, listing, labeller, page), mimetype="application/json")
    html = render_template(
        "index.html",
        index=index,
        listing=listing,
        chosen=chosen_facets(index),
        order=chosen_sort(index),
        page=page,
        label=labeller.label,
        link=linker(labeller.label),
        show=shower(labeller, None),
        here=here,
        indexes=INDEXES,
    )
    return Response(html, mimetype="text/html")


for _index in INDEXES:
    blueprint.add_url_rule(
        f"/{_index.key}/", "index_page", index_page, defaults={"key": _index.key}
    )


def here(**changes: Any) -> str:
    """Return this page's address with some parameters changed (None drops one)."""
    args = {k: v for k, v in request.args.items() if k != "format"}
    args.update(changes)
    if "page" not in changes and any(k not in ("page", "format") for k in changes):
        args.pop("page", None)  # another sort or facet starts from the first page
    kept = {k: v for k, v in args.items() if v is not None}
    return url_for(request.endpoint or "browse.overview", **(request.view_args or {}), **kept)


def chosen_format() -> str:
    """Return the format asked by ?format= (html, csv, json), else by Accept."""
    asked = request.args.getlist("format")
    if asked:
        if len(asked) > 1 or asked[0] not in FORMATS:
            raise RequestError(
                f"format must be one of {', '.join(FORMATS)}, not {', '.join(asked)!r}"
            )
        return asked[0]
    best = request.accept_mimetypes.best_match(list(FORMATS.values()), default="text/html")
    return next(name for name, media in FORMATS.items() if media == best)


def chosen_facets(index: Index) -> dict[str, URIRef]:
    """Read one IRI per facet parameter (?country=https://...)."""
    chosen = {}
    for facet in index.facets:
        values = request.args.getlist(facet.key)
        if not values:
            continue
        value = values[0]
        if (
            len(values) > 1
            or not value.startswith(("http://", "https://"))
            or not is_iri(URIRef(value))
        ):
            raise RequestError(
                f"{facet.key} must be one IRI (http:// or https://), not {', '.join(values)!r}"
            )
        chosen[facet.key] = URIRef(value)
    return chosen


def chosen_sort(index: Index) -> tuple[Sort, bool]:
    """Read ?sort=key or ?sort=-key (reversed); the index's first order when absent."""
    values = request.args.getlist("sort")
    if not values:
        return index.sorts[0], False
    key = values[0].removeprefix("-")
    sort = index.sort(key)
    if len(values) > 1 or sort is None:
        keys = ", ".join(s.key for s in index.sorts)
        raise RequestError(
            f"sort must be one of {keys} (a leading - reverses it), not {', '.join(values)!r}"
        )
    return sort, values[0].startswith("-")


@blueprint.get("/id/meeting/")
@blueprint.get("/id/person/")
@blueprint.get("/id/organisation/")
@blueprint.get("/id/country/")
def container() -> Response:
    """Redirect a container address to its index page (303 See Other)."""
    index = next(i for i in INDEXES if i.container == request.path)
    return _see_other(url_for("browse.index_page", key=index.key, **request.args))


@blueprint.get("/id/meeting/<meeting>/session/")
@blueprint.get("/id/meeting/<meeting>/statement/")
def meeting_container(meeting: str) -> Response:
    """Redirect a meeting's items or statements to their index, filtered to that meeting."""
    iri = site().addresses.iri(f"/id/meeting/{meeting}")
    if not is_iri(iri) or not site().store.exists(iri):
        raise ResourceNotFound(f"{iri} is no meeting of this dataset")
    key = "items" if request.path.endswith("/session/") else "statements"
    return _see_other(url_for("browse.index_page", key=key, meeting=str(iri)))


def _see_other(location: str) -> Response:
    return redirect(location, code=303)


def _nodes(listing: Listing) -> list[Node]:
    nodes: list[Node] = list(listing.members)
    for row in listing.cells.values():
        for values in row.values():
            nodes.extend(values)
    for _, values in listing.facets:
        nodes.extend(value for value, _ in values)
    return nodes


def _text(node: Node, labeller: Labeller) -> str:
    return str(node) if isinstance(node, Literal) else labeller.label(node)


def listing_rows(index: Index, listing: Listing, labeller: Labeller) -> list[dict[str, Any]]:
    """Return the page's rows: per column its labels, and IRIs where the values are IRIs."""
    rows = []
    for member in listing.members:
        row: dict[str, Any] = {"iri": str(member), "name": labeller.label(member)}
        for column in index.columns[1:]:
            values = listing.cells[member].get(column.key, [])
            row[column.key] = [_text(v, labeller) for v in values]
            row[column.key + "_iri"] = [str(v) for v in values if isinstance(v, URIRef)]
        rows.append(row)
    return rows


def listing_csv(index: Index, listing: Listing, labeller: Labeller) -> str:
    """Return the page as CSV: the member's IRI and name, then each column (and its IRIs)."""
    header = ["iri", "name"]
    for column in index.columns[1:]:
        header += [column.key, column.key + "_iri"]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in listing_rows(index, listing, labeller):
        writer.writerow(
            "; ".join(value) if isinstance(value, list) else value
            for value in (row[h] for h in header)
        )
    return out.getvalue()


def listing_json(index: Index, listing: Listing, labeller: Labeller, page: tuple[int, int]) -> str:
    """Return the page as JSON: total, page, rows and facets with their counts."""
    document = {
        "index": index.key,
        "title": index.title,
        "total": listing.total,
        "page": page[0],
        "pages": page[1],
        "rows": listing_rows(index, listing, labeller),
        "facets": {
            facet.key: [{"iri": str(v), "name": labeller.label(v), "count": n} for v, n in values]
            for facet, values in listing.facets
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=1)
