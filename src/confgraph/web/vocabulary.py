"""The ontology and the shapes at their namespace IRIs, as RDF or documented in HTML."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from flask import Blueprint, Response, abort, render_template, request
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, VOID
from rdflib.term import Node

from confgraph.formats import GRAPH_FORMATS, HTML, Format, find_format, negotiate, serialize_graph
from confgraph.vocab import CG, ONTOLOGY_IRI
from confgraph.web.app import site
from confgraph.web.display import Labeller
from confgraph.web.terms import vocabulary

blueprint = Blueprint("vocabulary", __name__)

FORMATS = (HTML, *GRAPH_FORMATS.values())
TERM_KINDS = (
    ("Classes", (OWL.Class, RDFS.Class)),
    ("Object properties", (OWL.ObjectProperty,)),
    ("Datatype properties", (OWL.DatatypeProperty,)),
    ("Other properties", (RDF.Property, OWL.AnnotationProperty)),
    ("Role types", (CG.RoleType,)),
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
    borrowed: list[BorrowedTerm] = []
    if kind == "ontology":
        groups = [(title, terms_of(graph, types)) for title, types in TERM_KINDS]
        documented = {t.iri for _, terms in groups for t in terms}
        groups.append(("Other terms", other_terms(graph, documented)))
        heads = list(graph.subjects(RDF.type, OWL.Ontology))
        borrowed = borrowed_terms(graph, site().description, URIRef(site().addresses.dataset()))
    else:
        groups = [
            ("Node shapes", terms_of(graph, (SH.NodeShape,))),
            ("SPARQL constraints", terms_of(graph, (SH.SPARQLConstraint,))),
        ]
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
        borrowed=borrowed,
        borrowed_anchor=borrowed_anchor,
        short=labeller.short,
        vocabulary=vocabulary,
    )


def terms_of(graph: Graph, types: tuple[URIRef, ...]) -> list[Term]:
    """Return the IRIs typed with any of types, with their facts, in IRI order."""
    iris = {s for t in types for s in graph.subjects(RDF.type, t) if isinstance(s, URIRef)}
    return [Term(iri, facts_of(graph, iri)) for iri in sorted(iris)]


def other_terms(graph: Graph, documented: set[Node]) -> list[Term]:
    """Return the ontology's other named terms (individuals of no listed kind), in IRI order."""
    space = str(ONTOLOGY_IRI) + "#"
    iris = {
        s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(space)
    } - documented
    return [Term(iri, facts_of(graph, iri)) for iri in sorted(iris)]


@dataclass(frozen=True)
class BorrowedTerm:
    """A term of another vocabulary that the ontology builds on or the data uses."""

    iri: URIRef
    entities: int | None  # instances in the data, for a class
    triples: int | None  # statements in the data, for a property
    extended_by: list[URIRef]  # the ontology's terms that specialise it


def borrowed_terms(ontology: Graph, description: Graph, dataset: URIRef) -> list[BorrowedTerm]:
    """Return the terms of other vocabularies the ontology refers to or the data uses."""
    space = str(ONTOLOGY_IRI)
    counts: dict[URIRef, tuple[int | None, int | None]] = {}
    for link, key, size, slot in (
        (VOID.classPartition, VOID["class"], VOID.entities, 0),
        (VOID.propertyPartition, VOID.property, VOID.triples, 1),
    ):
        for partition in description.objects(dataset, link):
            term, count = description.value(partition, key), description.value(partition, size)
            if isinstance(term, URIRef) and isinstance(count, Literal):
                pair = list(counts.get(term, (None, None)))
                pair[slot] = int(count)
                counts[term] = (pair[0], pair[1])
    extended: dict[URIRef, list[URIRef]] = {}
    for predicate in (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass):
        for sub, sup in ontology.subject_objects(predicate):
            if isinstance(sup, URIRef) and isinstance(sub, URIRef):
                extended.setdefault(sup, []).append(sub)
    terms = {t for t in [*counts, *extended] if not str(t).startswith(space)}
    return [
        BorrowedTerm(t, *counts.get(t, (None, None)), sorted(extended.get(t, [])))
        for t in sorted(terms)
    ]


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


def borrowed_anchor(prefixed: str) -> str:
    """Return the fragment of a borrowed term (schema:Event: borrowed-schema-Event)."""
    return "borrowed-" + re.sub(r"[^A-Za-z0-9_-]", "-", prefixed)
