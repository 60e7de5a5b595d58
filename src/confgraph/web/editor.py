"""The query page: YASGUI's settings, the plain form, and a server-rendered table in pages."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flask import Response, render_template, request, url_for
from rdflib import Graph, URIRef
from rdflib.namespace import VOID

from confgraph.errors import ConfgraphError, RequestError
from confgraph.formats import GRAPH_FORMATS, RESULT_FORMATS, serialize_graph
from confgraph.store.base import QueryResult, Row
from confgraph.web.app import CONTENT_SECURITY_POLICY, site
from confgraph.web.examples import EXAMPLES, QUERY_PREFIXES
from confgraph.web.params import whole_number

DEFAULT_QUERY = QUERY_PREFIXES + "\nSELECT * WHERE {\n  ?s ?p ?o\n}\nLIMIT 25\n"
PAGE_SIZE = 100  # rows of the server-rendered table, unless ?page_size= says otherwise
MAX_PAGE_SIZE = 1000
GRAPH_PARAMETERS = ("default-graph-uri", "named-graph-uri")
# The one stylesheet YASGUI writes into the page (its table's column resizer), allowed by hash:
# tests/web/test_web_editor.py recomputes it from the vendored script.
RESIZER_STYLE = "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='"
# The query page alone runs scripts: the vendored YASGUI and its loader, both served from here,
# talking only to this server.
EDITOR_POLICY = CONTENT_SECURITY_POLICY.replace(
    "default-src 'none';", "default-src 'none'; script-src 'self'; connect-src 'self';"
).replace("style-src 'self';", f"style-src 'self' {RESIZER_STYLE};")


@dataclass(frozen=True)
class ResultPage:
    """One page of a SELECT result's rows."""

    rows: tuple[Row, ...]
    number: int
    size: int
    total: int

    @property
    def last(self) -> int:
        """Return the number of the last page (1 when there are no rows)."""
        return max(1, math.ceil(self.total / self.size))

    @property
    def first_row(self) -> int:
        """Return the position (from 1) of the page's first row."""
        return (self.number - 1) * self.size + 1


def result_page(rows: tuple[Row, ...]) -> ResultPage:
    """Cut the page that ?page= and ?page_size= ask for out of a result's rows."""
    size = whole_number("page_size", PAGE_SIZE, MAX_PAGE_SIZE)
    page = ResultPage((), whole_number("page", 1), size, len(rows))
    if page.number > page.last:
        raise RequestError(f"page {page.number} is past the last page of results ({page.last})")
    start = page.first_row - 1
    return ResultPage(rows[start : start + size], page.number, size, len(rows))


def release_terms(description: Graph, partition: URIRef, key: URIRef) -> list[str]:
    """Return the classes or properties the release's VoID partitions name, sorted."""
    found = {
        str(term)
        for part in description.objects(None, partition)
        for term in description.objects(part, key)
        if isinstance(term, URIRef)
    }
    return sorted(found)


def editor_config(query: str | None) -> dict[str, Any]:
    """Return what the editor's script needs: endpoint, prefixes, terms and the page's query."""
    current = site()
    return {
        "endpoint": url_for("sparql.endpoint"),
        "query": query,
        "defaultQuery": DEFAULT_QUERY,
        "prefixes": {prefix: str(iri) for prefix, iri in current.namespaces.namespaces()},
        "classes": release_terms(current.description, VOID.classPartition, VOID["class"]),
        "properties": release_terms(current.description, VOID.propertyPartition, VOID.property),
    }


def page_link(query: str, number: int, size: int) -> str:
    """Return the address of another page of this query's server-rendered table."""
    graphs = {key: request.args.getlist(key) for key in GRAPH_PARAMETERS}
    sized = {"page_size": size} if size != PAGE_SIZE else {}
    return url_for(
        "sparql.endpoint", query=query, format="html", page=number, **sized, **graphs
    )


def _downloads(query: str, result: QueryResult) -> list[tuple[Any, str]]:
    table = GRAPH_FORMATS if result.is_graph else RESULT_FORMATS
    graphs = {key: request.values.getlist(key) for key in GRAPH_PARAMETERS}
    return [
        (fmt, url_for("sparql.endpoint", query=query, format=fmt.name, **graphs))
        for fmt in table.values()
    ]


def query_page(
    query: str | None, result: QueryResult | None, error: ConfgraphError | None = None
) -> Response:
    """Render the editor with the query, and its result in pages or its error beside it."""
    labeller = site().labeller()
    page = None
    if result is not None and not result.is_graph and result.form != "ASK":
        page = result_page(result.rows)
        labeller.prefetch(value for row in page.rows for value in row if value is not None)
    html = render_template(
        "query.html",
        query=query if query is not None else DEFAULT_QUERY,
        result=result,
        page=page,
        error=error,
        page_link=page_link,
        examples=EXAMPLES,
        editor=editor_config(query),
        downloads=_downloads(query, result) if query is not None and result is not None else [],
        label=labeller.label,
        turtle=serialize_graph(site().bind(result.graph()), GRAPH_FORMATS["turtle"]).decode()
        if result is not None and result.is_graph
        else None,
    )
    response = Response(html, mimetype="text/html")
    response.status_code = error.http_status if error is not None else 200
    response.headers["Content-Security-Policy"] = EDITOR_POLICY
    response.vary.add("Accept")
    return response
