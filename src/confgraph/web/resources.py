"""Linked-data pages: /id/... dereferences with 303 to a document in the negotiated format."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS
from rdflib.term import Node

from confgraph.formats import GRAPH_FORMATS, HTML, Format, find_format, negotiate, serialize_graph
from confgraph.vocab import SCHEMA
from confgraph.web.addresses import split_extension
from confgraph.web.app import site
from confgraph.web.conditional import data_etag, not_modified, tagged
from confgraph.web.display import Labeller, local_datetime, pick_label
from confgraph.web.views import PREFIXES, Section, sparql_iri, view_for

blueprint = Blueprint("resources", __name__)

PAGE_FORMATS = (HTML, *GRAPH_FORMATS.values())
# What a page shows under its title: the first of these the resource has.
DESCRIPTIONS = (SCHEMA.description, RDFS.comment, DCTERMS.description)
ZONE_QUERY = (
    PREFIXES
    + """SELECT ?zone WHERE {{
  {me} (schema:superEvent|cg:atMeeting|cg:deliveredAt|conf:during)* ?meeting .
  ?meeting cg:timeZone ?zone .
}} LIMIT 1"""
)


# Characters an IRI may not contain (RFC 3987): a path holding one names nothing here.
NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')
GRAPH_QUERY = "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"


@blueprint.get("/id/<path:rest>")
def resource(rest: str) -> Response:
    """Redirect a resource to its document (303), or serve a document named by extension."""
    return dereference("/id/" + rest, site().store.exists)


@blueprint.get("/graph/<path:rest>")
def named_graph(rest: str) -> Response:
    """Redirect a named graph to its content (303), or serve it in the extension's format."""
    return dereference("/graph/" + rest, lambda iri: iri in site().store.graphs(), graph_document)


def dereference(
    path: str,
    known: Callable[[URIRef], bool],
    serve: Callable[[URIRef, Format], Response] | None = None,
) -> Response:
    """Answer for the IRI a local path stands for, or for one of its documents."""
    addresses = site().addresses
    stem, extension = split_extension(path)
    fmt = None if extension is None else find_format(PAGE_FORMATS, extension) or HTML
    etag = None if fmt in (None, HTML) else data_etag(site().release.release_id, fmt)
    # A client holding this release's document for this address: nothing has changed.
    if etag is not None and (unchanged := not_modified(etag)) is not None:
        return unchanged
    iri = addresses.iri(path)
    if is_iri(iri) and known(iri):
        fmt = negotiate(request.accept_mimetypes, PAGE_FORMATS, request.args.getlist("format"))
        response = redirect(f"{request.script_root}{path}.{fmt.extension}", code=303)
        response.vary.add("Accept")
        return response
    if fmt is not None:
        document_iri = addresses.iri(stem)
        if is_iri(document_iri) and known(document_iri):
            response = (serve or document)(document_iri, fmt)
            return response if etag is None else tagged(response, etag)
        return not_found(document_iri, fmt)
    requested = request.args.getlist("format")
    return not_found(iri, negotiate(request.accept_mimetypes, PAGE_FORMATS, requested))


def is_iri(iri: URIRef) -> bool:
    """Tell whether iri is free of the characters no IRI may hold (spaces, <, >, ...)."""
    return NOT_IN_IRI.search(iri) is None


def graph_document(iri: URIRef, fmt: Format) -> Response:
    """Serve a named graph's triples as RDF, or in HTML what the dataset says about it."""
    if fmt is HTML:
        about = site().bind(Graph())
        about += site().description.triples((None, None, iri))
        return Response(render_page(iri, about), mimetype="text/html")
    content = site().store.lookup(GRAPH_QUERY.format(graph=sparql_iri(iri))).graph()
    return Response(serialize_graph(site().bind(content), fmt), mimetype=fmt.media_type)


def document(iri: URIRef, fmt: Format) -> Response:
    """Serve what the store says about iri, as HTML or an RDF format."""
    graph = site().bind(site().store.describe(iri))
    if fmt is HTML:
        return Response(render_page(iri, graph), mimetype="text/html")
    return Response(serialize_graph(graph, fmt), mimetype=fmt.media_type)


def render_page(iri: URIRef, graph: Graph) -> str:
    """Render the HTML page of a resource: labels, links both ways, its view, its JSON-LD."""
    labeller = site().labeller()
    sections = view_for(site().store, iri, graph)
    labeller.prefetch(_nodes(graph, sections))
    path = site().addresses.local_path(str(iri)) or ""
    zone = time_zone(iri)
    types = sorted(graph.objects(iri, RDF.type), key=labeller.label)
    description = describe(graph, iri)
    from confgraph.web.programme import schema_events  # programme's pages use this module

    return render_template(
        "resource.html",
        iri=iri,
        title=labeller.label(iri),
        description=description,
        types=types,
        events=schema_events(iri, types, labeller),
        outgoing=group_links(
            ((p, o) for p, o in graph.predicate_objects(iri) if o != description), labeller
        ),
        incoming=group_links(((p, s) for s, p in graph.subject_predicates(iri)), labeller),
        sections=sections,
        alternates=[(fmt, f"{request.script_root}{path}.{fmt.extension}") for fmt in PAGE_FORMATS],
        jsonld=json.loads(serialize_graph(graph, GRAPH_FORMATS["json-ld"])),
        sparql=url_for("sparql.endpoint", query=f"DESCRIBE <{iri}>"),
        show=shower(labeller, zone),
        plain=labeller.plain,
        short=labeller.short,
    )


def describe(graph: Graph, iri: URIRef) -> Literal | None:
    """Return the description of a resource to show under its title, in the reader's language."""
    texts = [o for p in DESCRIPTIONS for o in graph.objects(iri, p) if isinstance(o, Literal)]
    return pick_label(texts, request.accept_languages, site().settings.default_language)


def time_zone(iri: URIRef) -> str | None:
    """Return the IANA zone of the meeting a resource belongs to, if it has one."""
    result = site().store.lookup(ZONE_QUERY.format(me=sparql_iri(iri)))
    return str(result.rows[0][0]) if result.rows else None


def shower(labeller: Labeller, zone: str | None) -> Any:
    """Return the function templates call to show a term (dates in the venue's time)."""

    def show(node: Node) -> str:
        if isinstance(node, Literal) and node.datatype is not None:
            return local_datetime(node, zone)
        return labeller.plain(node)  # a term without a label reads as words, not cg:name

    return show


def group_links(pairs: Any, labeller: Labeller) -> list[tuple[URIRef, list[Node]]]:
    """Group (property, value) pairs by property, both sorted by label."""
    groups: dict[URIRef, list[Node]] = defaultdict(list)
    pairs = list(pairs)
    labeller.prefetch(p for p, _ in pairs)
    for predicate, value in pairs:
        groups[predicate].append(value)
    return [
        (predicate, sorted(groups[predicate], key=labeller.label))
        for predicate in sorted(groups, key=labeller.plain)
    ]


def _nodes(graph: Graph, sections: list[Section]) -> set[Node]:
    nodes: set[Node] = set()
    for triple in graph:
        nodes.update(triple)
    for section in sections:
        nodes.update(cell for row in section.rows for cell in row if cell is not None)
    return nodes


def not_found(iri: URIRef, fmt: Format) -> Response:
    """Answer 404 in the negotiated format, saying which IRI is unknown."""
    # The IRI comes from the request path: keep it from ending a comment or a line.
    shown = str(iri).translate({ord("\n"): " ", ord("\r"): " "}).replace("--", "-%2D")
    message = f"{shown} is not described by this dataset"
    if fmt is HTML:
        body = render_template("error.html", status=404, reason="Not Found", message=message)
    elif fmt.name in ("turtle", "nt"):
        body = f"# {message}\n"
    elif fmt.name == "json-ld":
        body = json.dumps({"@id": str(iri), "@graph": [], "error": message})
    else:
        body = f'<?xml version="1.0"?>\n<!-- {message} -->\n<rdf:RDF xmlns:rdf="{RDF}"/>\n'
    response = Response(body, status=404, mimetype=fmt.media_type)
    response.vary.add("Accept")
    return response
