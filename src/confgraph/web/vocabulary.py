"""The ontology and the shapes at their namespace IRIs, as RDF or documented in HTML."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import Blueprint, Response, abort, render_template, request
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

from confgraph.formats import GRAPH_FORMATS, HTML, Format, find_format, negotiate, serialize_graph
from confgraph.web.app import site
from confgraph.web.display import Labeller

blueprint = Blueprint("vocabulary", __name__)

FORMATS = (HTML, *GRAPH_FORMATS.values())
TERM_KINDS = (
    ("Classes", (OWL.Class, RDFS.Class)),
    ("Object properties", (OWL.ObjectProperty,)),
    ("Datatype properties", (OWL.DatatypeProperty,)),
    ("Other properties", (RDF.Property, OWL.AnnotationProperty)),
)
SHAPE_FACETS = (SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.node, SH["in"], SH.pattern)


@dataclass(frozen=True)
class Term:
    """A documented term: its IRI and every statement about it, grouped by property."""

    iri: Node
    facts: list[tuple[URIRef, list[Node]]]


@blueprint.get("/ontology")
@blueprint.get("/ontology.<extension>")
def ontology(extension: str | None = None) -> Response:
    """Serve the ontology: HTML documentation or RDF, by Accept or extension."""
    return serve_vocabulary(site().ontology, "ontology", extension)


@blueprint.get("/shapes")
@blueprint.get("/shapes.<extension>")
def shapes(extension: str | None = None) -> Response:
    """Serve the SHACL shapes: HTML documentation or RDF, by Accept or extension."""
    return serve_vocabulary(site().shapes, "shapes", extension)


def serve_vocabulary(graph: Graph, kind: str, extension: str | None) -> Response:
    """Negotiate (or take the extension's) format and serve the graph in it."""
    fmt: Format | None
    if extension is None:
        fmt = negotiate(request.accept_mimetypes, FORMATS, request.args.getlist("format"))
    else:
        fmt = find_format(FORMATS, extension)
    if fmt is None:
        abort(404)
    # The graph's prefixes were bound once when the application was built.
    if fmt is not HTML:
        response = Response(serialize_graph(graph, fmt), mimetype=fmt.media_type)
    else:
        response = Response(render_vocabulary(graph, kind), mimetype="text/html")
    response.vary.add("Accept")
    return response


def render_vocabulary(graph: Graph, kind: str) -> str:
    """Document every class and property, or every shape, of a graph."""

    def lookup(iris: Iterable[URIRef]) -> dict[URIRef, list[Literal]]:
        return {
            i: v
            for i in iris
            if (v := [o for o in graph.objects(i, RDFS.label) if isinstance(o, Literal)])
        }

    labeller = Labeller(lookup, site().namespaces, request.accept_languages, "en")
    if kind == "ontology":
        groups = [(title, terms_of(graph, types)) for title, types in TERM_KINDS]
        heads = list(graph.subjects(RDF.type, OWL.Ontology))
    else:
        groups = [("Node shapes", terms_of(graph, (SH.NodeShape,)))]
        heads = []
    return render_template(
        "vocabulary.html",
        kind=kind,
        heads=[Term(h, facts_of(graph, h)) for h in heads],
        groups=[(title, terms) for title, terms in groups if terms],
        property_shapes=lambda shape: property_shapes(graph, shape),
        label=labeller.label,
        anchor=anchor,
        facets=SHAPE_FACETS,
    )


def terms_of(graph: Graph, types: tuple[URIRef, ...]) -> list[Term]:
    """Return the IRIs typed with any of types, with their facts, in IRI order."""
    iris = {s for t in types for s in graph.subjects(RDF.type, t) if isinstance(s, URIRef)}
    return [Term(iri, facts_of(graph, iri)) for iri in sorted(iris)]


def facts_of(graph: Graph, iri: Node) -> list[tuple[URIRef, list[Node]]]:
    """Group the statements about iri by property (blank-node values are left to views)."""
    facts: dict[URIRef, list[Node]] = {}
    for predicate, value in sorted(graph.predicate_objects(iri)):
        if predicate != SH.property and isinstance(predicate, URIRef):
            facts.setdefault(predicate, []).append(value)
    return list(facts.items())


def property_shapes(graph: Graph, shape: Node) -> list[dict[str, list[Node]]]:
    """Return the property shapes of a node shape as dicts of facet name to values."""
    rows = []
    for prop in graph.objects(shape, SH.property):
        row = {str(p): list(graph.objects(prop, p)) for p in set(graph.predicates(prop))}
        rows.append(row)
    return sorted(rows, key=lambda r: str(r.get(str(SH.path), [""])[0]))


def anchor(iri: Node) -> str:
    """Return the fragment that names a term on its documentation page."""
    text = str(iri)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rstrip("/").rsplit("/", 1)[-1]
