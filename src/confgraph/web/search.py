"""Full-text search at /search?q= (HTML or JSON), from the index the build wrote."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, render_template, request
from markupsafe import Markup, escape
from rdflib import URIRef

from confgraph.errors import ConfgraphError, RequestError
from confgraph.store.search import (
    ELLIPSIS,
    MARK_END,
    MARK_START,
    SEARCH_FILE,
    Hit,
    Hits,
    SearchIndex,
)
from confgraph.web.app import site
from confgraph.web.params import page_number

blueprint = Blueprint("search", __name__)

FORMATS = {"html": "text/html", "json": "application/json"}


class SearchUnavailable(ConfgraphError):
    """The served release carries no search index (built before confgraph wrote one)."""

    http_status = 503


@blueprint.get("/search")
def search() -> Response:
    """Search names, titles, descriptions, job titles and listed-as text (?q=, ?kind=, ?page=)."""
    fmt = _format()
    text = " ".join(request.args.getlist("q")).strip()
    try:
        hits, page = _run(text)
    except RequestError as error:
        if fmt == "json":
            body = json.dumps({"query": text, "error": str(error)}, ensure_ascii=False)
            return Response(body, status=error.http_status, mimetype="application/json")
        return _page(text, Hits(0, [], []), (1, 1), str(error), status=error.http_status)
    if fmt == "json":
        return Response(_json(text, hits, page), mimetype="application/json")
    return _page(text, hits, page)


def _run(text: str) -> tuple[Hits, tuple[int, int]]:
    limit = site().settings.search_length_limit
    if len(text) > limit:
        raise RequestError(
            f"the search has {len(text)} characters, more than {limit}"
            " (setting search_length_limit)"
        )
    kind = request.args.get("kind") or None
    number = page_number()
    size = site().settings.page_size
    hits = search_index().search(text, size, (number - 1) * size, kind) if text else Hits(0, [], [])
    return hits, (number, max(1, -(-hits.total // size)))


def search_index() -> SearchIndex:
    """Return the served release's search index, or raise if the release has none."""
    path = site().release.file_path(SEARCH_FILE)
    if path is None:
        raise SearchUnavailable(
            f"release {site().release.release_id} has no search index ({SEARCH_FILE}); rebuild it"
        )
    return SearchIndex(path)


def _format() -> str:
    asked = request.args.getlist("format")
    if asked:
        if len(asked) > 1 or asked[0] not in FORMATS:
            raise RequestError(f"format must be html or json, not {', '.join(asked)!r}")
        return asked[0]
    best = request.accept_mimetypes.best_match(list(FORMATS.values()), default="text/html")
    return "json" if best == "application/json" else "html"


def highlighted(snippet: str) -> Markup:
    """Return a snippet as HTML: its text escaped, the matched words in <mark>."""
    text = str(escape(snippet))
    return Markup(text.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def plain(snippet: str) -> str:
    """Return a snippet's text without its markers."""
    return snippet.replace(MARK_START, "").replace(MARK_END, "")


def _page(
    text: str, hits: Hits, page: tuple[int, int], error: str = "", status: int = 200
) -> Response:
    href = site().href
    html = render_template(
        "search.html",
        search_text=text,
        hits=hits,
        page=page,
        error=error,
        kind=request.args.get("kind") or "",
        highlighted=highlighted,
        href=lambda iri: href(_ref(iri)),
        ellipsis=ELLIPSIS,
    )
    response = Response(html, status=status, mimetype="text/html")
    response.vary.add("Accept")
    return response


def _ref(iri: str) -> URIRef:
    return URIRef(iri)


def _json(text: str, hits: Hits, page: tuple[int, int]) -> str:
    href = site().href
    return json.dumps(
        {
            "query": text,
            "total": hits.total,
            "page": page[0],
            "pages": page[1],
            "kinds": {kind: count for kind, count in hits.kinds},
            "results": [_hit(hit, href(_ref(hit.iri))) for hit in hits.hits],
        },
        ensure_ascii=False,
        indent=1,
    )


def _hit(hit: Hit, address: str | None) -> dict[str, Any]:
    return {
        "iri": hit.iri,
        "href": address,
        "kind": hit.kind,
        "name": hit.name,
        "context": hit.context,
        "snippet": plain(hit.snippet),
        "snippet_html": str(highlighted(hit.snippet)),
        "score": round(-hit.rank, 4),
    }
