"""The SPARQL 1.1 Protocol endpoint at /sparql, its service description and query page."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request, url_for
from rdflib import URIRef
from werkzeug.datastructures import MultiDict

from confgraph.errors import QueryRefused, RequestError, UnsupportedMediaType
from confgraph.formats import (
    GRAPH_FORMATS,
    HTML,
    RESULT_FORMATS,
    Format,
    negotiate,
    serialize_graph,
    serialize_result,
)
from confgraph.store.base import DatasetSpec, QueryResult
from confgraph.store.policy import READ_ONLY, check_query, parse_query
from confgraph.web.app import site
from confgraph.web.examples import EXAMPLES, QUERY_PREFIXES
from confgraph.web.service import service_description

blueprint = Blueprint("sparql", __name__)

QUERY_TYPES = ("application/x-www-form-urlencoded", "application/sparql-query")

DATASET_PARAMETERS = ("default-graph-uri", "named-graph-uri")


@blueprint.route("/sparql/", methods=["GET", "POST"])  # the W3C manifest's address
@blueprint.route("/sparql", methods=["GET", "POST"])  # registered first: url_for builds this
def endpoint() -> Response:
    """Answer a query by GET, form POST or direct POST; without one, describe the service."""
    query, params = read_query()
    if query is None:
        if request.method == "POST":
            raise RequestError("no query: send it as the query parameter or as the request body")
        return describe_service()
    parsed, dataset = parse_query(query), protocol_dataset(params)
    # The store refuses these too; checked first, a refusal is a 400 whatever the Accept.
    check_query(parsed, site().store.graphs(), dataset)
    table = GRAPH_FORMATS if parsed.form in ("CONSTRUCT", "DESCRIBE") else RESULT_FORMATS
    fmt = negotiate(request.accept_mimetypes, [*table.values(), HTML], params.getlist("format"))
    result = site().store.query(
        query, dataset, row_limit=site().settings.row_limit, base=request.base_url
    )
    if fmt is HTML:
        return query_page(query, result)
    return respond(result, fmt)


def read_query() -> tuple[str | None, MultiDict[str, str]]:
    """Read the query and protocol parameters from the URL and body, as the protocol allows."""
    params: MultiDict[str, str] = MultiDict(request.args)
    if request.method == "POST":
        params.update(_read_body())
    if "update" in params:
        raise QueryRefused(READ_ONLY)
    queries = params.getlist("query")
    if len(queries) > 1:
        raise RequestError(f"one query per request, this one has {len(queries)}")
    return (queries[0] if queries else None), params


def _read_body() -> MultiDict[str, str]:
    mimetype = request.mimetype
    if mimetype == "application/x-www-form-urlencoded":
        return MultiDict(request.form)
    if mimetype == "application/sparql-update":
        raise QueryRefused(READ_ONLY)
    if mimetype != "application/sparql-query":
        raise UnsupportedMediaType(
            f"POST a query as {' or '.join(QUERY_TYPES)}, not {mimetype or 'an untyped body'}"
        )
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"a query must be UTF-8, not {charset}")
    try:
        return MultiDict({"query": request.get_data().decode("utf-8")})
    except UnicodeDecodeError as error:
        raise RequestError(f"the query is not valid UTF-8: {error}") from None


def protocol_dataset(params: MultiDict[str, str]) -> DatasetSpec | None:
    """Return the dataset given by default-graph-uri and named-graph-uri, if any."""
    default = tuple(URIRef(iri) for iri in params.getlist(DATASET_PARAMETERS[0]))
    named = tuple(URIRef(iri) for iri in params.getlist(DATASET_PARAMETERS[1]))
    return DatasetSpec(default, named) if default or named else None


def respond(result: QueryResult, fmt: Format) -> Response:
    """Serialize a result in the negotiated format."""
    if result.is_graph:
        body = serialize_graph(site().bind(result.graph()), fmt)
    else:
        body = serialize_result(result, fmt)
    response = Response(body, mimetype=fmt.media_type)
    if fmt.media_type.startswith("text/"):
        response.mimetype_params["charset"] = "utf-8"
    response.vary.add("Accept")
    return response


def describe_service() -> Response:
    """Return the service description to machines and the query page to browsers."""
    formats = [HTML, *GRAPH_FORMATS.values()]
    fmt = negotiate(request.accept_mimetypes, formats, request.args.getlist("format"))
    if fmt is HTML:
        return query_page(None, None)
    sizes = site().graph_sizes()
    description = service_description(request.base_url, site().addresses.dataset(), sizes)
    response = Response(serialize_graph(site().bind(description), fmt), mimetype=fmt.media_type)
    response.vary.add("Accept")
    return response


def query_page(query: str | None, result: QueryResult | None) -> Response:
    """Render the query editor, examples and (if any) the result as a linked table."""
    labeller = site().labeller()
    if result is not None and not result.is_graph:
        labeller.prefetch(value for row in result.rows for value in row if value is not None)
    downloads = []
    if query is not None and result is not None:
        table = GRAPH_FORMATS if result.is_graph else RESULT_FORMATS
        graphs = {key: request.values.getlist(key) for key in DATASET_PARAMETERS}
        downloads = [
            (fmt, url_for("sparql.endpoint", query=query, format=fmt.name, **graphs))
            for fmt in table.values()
        ]
    html = render_template(
        "query.html",
        query=query
        if query is not None
        else QUERY_PREFIXES + "\nSELECT * WHERE {\n  ?s ?p ?o\n}\nLIMIT 25\n",
        result=result,
        examples=EXAMPLES,
        downloads=downloads,
        label=labeller.label,
        turtle=serialize_graph(site().bind(result.graph()), GRAPH_FORMATS["turtle"]).decode()
        if result is not None and result.is_graph
        else None,
    )
    response = Response(html, mimetype="text/html")
    response.vary.add("Accept")
    return response
