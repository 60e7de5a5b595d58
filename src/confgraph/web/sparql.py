"""The SPARQL 1.1 Protocol endpoint at /sparql, its service description and query page."""

from __future__ import annotations

import math
import re
import urllib.parse
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from flask import Blueprint, Response, current_app, request
from rdflib import URIRef
from werkzeug.datastructures import MultiDict

from confgraph.errors import (
    ConfgraphError,
    EndpointBusy,
    HeaderTooLarge,
    NotAcceptable,
    QueryRefused,
    QueryTimeout,
    QueryTooComplex,
    RequestError,
    RequestTooLarge,
    UnsupportedMediaType,
)
from confgraph.formats import (
    GRAPH_FORMATS,
    HTML,
    RESULT_FORMATS,
    Format,
    negotiate,
    serialize_graph,
)
from confgraph.store.base import DatasetSpec
from confgraph.store.cache import ByteCache
from confgraph.store.policy import READ_ONLY, checked_shape, expand_escapes, leading_form
from confgraph.web.app import site
from confgraph.web.clients import QueryGate
from confgraph.web.conditional import data_etag, not_modified, tagged
from confgraph.web.editor import query_page
from confgraph.web.service import service_description

blueprint = Blueprint("sparql", __name__)

QUERY_TYPES = ("application/x-www-form-urlencoded", "application/sparql-query")

DATASET_PARAMETERS = ("default-graph-uri", "named-graph-uri")
MENTIONS_SERVICE = re.compile(r"service", re.I)


@blueprint.route("/sparql/", methods=["GET", "POST"])  # the W3C manifest's address
@blueprint.route("/sparql", methods=["GET", "POST"])  # registered first: url_for builds this
def endpoint() -> Response:
    """Answer a query by GET, form POST or direct POST; without one, describe the service."""
    query, params = read_query()
    if query is None:
        if request.method == "POST":
            raise RequestError("no query: send it as the query parameter or as the request body")
        return describe_service()
    form = leading_form(query)  # the engine parses the query, in a worker
    table = GRAPH_FORMATS if form in ("CONSTRUCT", "DESCRIBE") else RESULT_FORMATS
    try:
        fmt = negotiate(request.accept_mimetypes, [*table.values(), HTML], params.getlist("format"))
    except NotAcceptable:
        if MENTIONS_SERVICE.search(expand_escapes(query)):
            checked_shape(query)  # a refusal is a 400 whatever the Accept
        raise
    dataset = protocol_dataset(params)
    if fmt is HTML:
        return html_answer(query, dataset)
    return answer(query, dataset, fmt)


def html_answer(query: str, dataset: DatasetSpec | None) -> Response:
    """Show the query's result on the query page; on a refusal or failure, the query and why."""
    try:
        with query_slot():
            result = site().store.query(query, dataset, **_limits())
    except ConfgraphError as error:
        if error.http_status >= 500 and not isinstance(error, QueryTimeout | EndpointBusy):
            raise  # a fault of the server, not of the query: the 500 handler reports it
        return query_page(query, None, error)
    return query_page(query, result)


def _limits() -> dict[str, Any]:
    settings = site().settings
    return {
        "row_limit": settings.row_limit,
        "base": request.base_url,
        "nesting_limit": settings.nesting_limit,
    }


def answer(query: str, dataset: DatasetSpec | None, fmt: Format) -> Response:
    """Serialize a query's result (engine-written, cached per release); 304 if unchanged."""
    current = site()
    etag = data_etag(current.release.release_id, fmt) if request.method == "GET" else None
    if etag is not None and (unchanged := not_modified(etag)) is not None:
        return unchanged
    key = (current.release.release_id, query, dataset, fmt.media_type, request.base_url)
    cache = _extension("confgraph.results", lambda: ByteCache(current.settings.result_cache << 20))
    body = cache.get(key)
    if body is None:
        prefixes = {prefix: str(iri) for prefix, iri in current.namespaces.namespaces()}
        with query_slot():
            body = current.store.query_serialized(
                query, fmt.media_type, dataset, prefixes=prefixes, **_limits()
            )
        cache.put(key, body, len(body) + len(query) + 256)
    response = Response(body, mimetype=fmt.media_type)
    if fmt.media_type.startswith("text/"):
        response.mimetype_params["charset"] = "utf-8"
    response.vary.add("Accept")
    return response if etag is None else tagged(response, etag)


def query_slot() -> AbstractContextManager[None]:
    """Hold one of this client's query slots (client_queries) while a query runs."""
    settings = site().settings
    gate = _extension(
        "confgraph.clients",
        lambda: QueryGate(
            settings.client_queries, max(1, settings.threads // 2), settings.worker_wait
        ),
    )
    return gate.slot(request.remote_addr or "unknown")


def _extension(name: str, make: Callable[[], Any]) -> Any:
    """Return the app's shared object of that name, made on first use."""
    found = current_app.extensions.get(name)
    if found is None:
        found = current_app.extensions.setdefault(name, make())
    return found


@blueprint.before_app_request
def check_header_limits() -> None:
    """Refuse an Accept header longer than the setting allows (431), before it is parsed."""
    limit = site().settings.accept_length_limit
    if len(request.headers.get("Accept", "")) > limit:
        raise HeaderTooLarge(
            f"the Accept header is longer than {limit} characters, the server's limit "
            "(setting accept_length_limit)"
        )


@blueprint.after_app_request
def retry_later(response: Response) -> Response:
    """Tell a client turned away (busy workers, a time limit, an engine down) when to retry."""
    if response.status_code == 503:
        response.headers["Retry-After"] = str(math.ceil(site().settings.query_timeout))
    return response


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
    if not queries:
        return None, params
    query = queries[0]
    if not query.strip():
        raise RequestError("the query is empty: send a SPARQL query as the query parameter")
    limit = site().settings.query_length_limit
    if len(query) > limit:
        raise QueryTooComplex(
            f"the query has {len(query)} characters, more than the server's limit of {limit} "
            "(setting query_length_limit)"
        )
    return query, params


def _read_body() -> MultiDict[str, str]:
    mimetype = request.mimetype
    if mimetype == "application/sparql-update":
        raise QueryRefused(READ_ONLY)
    if mimetype not in QUERY_TYPES:
        raise UnsupportedMediaType(
            f"POST a query as {' or '.join(QUERY_TYPES)}, not {mimetype or 'an untyped body'}"
        )
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"a query must be UTF-8, not {charset}")
    body = _bounded_body()
    if mimetype == "application/x-www-form-urlencoded":
        return _form(body)
    return MultiDict({"query": _decode(body, "the query")})


def _bounded_body() -> bytes:
    limit = site().settings.body_limit
    too_large = RequestTooLarge(
        f"the request body has more than {limit} bytes, the server's limit (setting body_limit)"
    )
    if (request.content_length or 0) > limit:
        raise too_large
    body = request.stream.read(limit + 1)
    if len(body) > limit:
        raise too_large
    return body


def _form(body: bytes) -> MultiDict[str, str]:
    """Decode a form body strictly: a field that is not UTF-8 is named, not dropped."""
    fields: MultiDict[str, str] = MultiDict()
    for pair in body.split(b"&"):
        if not pair:
            continue
        name, _, value = (
            urllib.parse.unquote_to_bytes(part.replace(b"+", b" ")) for part in pair.partition(b"=")
        )
        key = _decode(name, "a form field name")
        fields.add(key, _decode(value, f"the form field {key}"))
    return fields


def _decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RequestError(
            f"{what} is not valid UTF-8: byte {data[error.start]:#04x} at {error.start}"
        ) from None


def protocol_dataset(params: MultiDict[str, str]) -> DatasetSpec | None:
    """Return the dataset given by default-graph-uri and named-graph-uri, if any.

    A graph the dataset does not hold is an empty graph: nothing is ever fetched.
    """
    default = tuple(URIRef(iri) for iri in params.getlist(DATASET_PARAMETERS[0]))
    named = tuple(URIRef(iri) for iri in params.getlist(DATASET_PARAMETERS[1]))
    return DatasetSpec(default, named) if default or named else None


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
