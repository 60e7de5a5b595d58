"""Type-specific views of a resource: the facts people look for, as titled tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import FOAF, ORG, RDF
from rdflib.term import Node

from confgraph.store.base import Store
from confgraph.vocab import CG, SCHEMA

PREFIXES = """PREFIX cg: <https://w3id.org/confgraph/ontology#>
PREFIX conf: <https://w3id.org/scholarlydata/ontology/conference-ontology.owl#>
PREFIX schema: <https://schema.org/>
"""
UNSAFE_IRI_CHARACTERS = set('<>"{}|^`\\ \t\n\r')


@dataclass(frozen=True)
class Section:
    """A titled table of a view; cells are RDF terms (linked, labelled) or None."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Node | None, ...], ...]


def sparql_iri(iri: URIRef) -> str:
    """Write an IRI into a query, refusing characters that could break out of it."""
    if UNSAFE_IRI_CHARACTERS & set(iri):
        raise ValueError(f"IRI {iri!r} cannot be written into a query")
    return f"<{iri}>"


def _table(store: Store, title: str, columns: tuple[str, ...], query: str) -> Section:
    result = store.lookup(PREFIXES + query)
    return Section(title, columns, result.rows)


def event_view(store: Store, iri: URIRef) -> list[Section]:
    """Time, place, people with roles, statements and parts of an event."""
    me = sparql_iri(iri)
    sections = [
        _table(
            store,
            "Time and place",
            ("Starts", "Ends", "Place", "Within"),
            f"""
SELECT ?start ?end ?place ?container WHERE {{
  OPTIONAL {{ {me} schema:startDate ?start }} OPTIONAL {{ {me} schema:endDate ?end }}
  OPTIONAL {{ {me} schema:location ?place
             OPTIONAL {{ ?place schema:containedInPlace ?container }} }}
}}""",
        ),
        _table(
            store,
            "People",
            ("Person", "Role", "As the programme lists them"),
            f"""
SELECT ?person ?type ?listed WHERE {{
  ?role conf:during {me} ; conf:isHeldBy ?person ; conf:withRole ?type .
  OPTIONAL {{ ?role cg:listedAs ?listed }} OPTIONAL {{ ?role schema:position ?position }}
}} ORDER BY ?position ?type ?person""",
        ),
        _table(
            store,
            "Statements delivered here",
            ("Statement", "Delivered by", "Listed under"),
            f"""
SELECT ?statement ?agent ?group WHERE {{
  ?statement cg:deliveredAt {me} ; cg:deliveredBy ?agent .
  OPTIONAL {{ ?statement cg:listedUnder ?group }}
}} ORDER BY ?group ?statement""",
        ),
        _table(
            store,
            "Parts",
            ("Event", "Starts", "Ends"),
            f"""
SELECT ?part ?start ?end WHERE {{
  ?part schema:superEvent {me} .
  OPTIONAL {{ ?part schema:startDate ?start }} OPTIONAL {{ ?part schema:endDate ?end }}
  OPTIONAL {{ ?part schema:position ?position }}
}} ORDER BY ?position ?start ?part""",
        ),
    ]
    return [s for s in sections if s.rows and any(any(c is not None for c in r) for r in s.rows)]


def agent_view(store: Store, iri: URIRef) -> list[Section]:
    """Statements, written inputs and the roles of the people of a country or organisation."""
    me = sparql_iri(iri)
    sections = [
        _table(
            store,
            "Statements delivered",
            ("Statement", "At", "Meeting", "Listed as"),
            f"""
SELECT ?statement ?item ?meeting ?listed WHERE {{
  ?statement cg:deliveredBy {me} .
  OPTIONAL {{ ?statement cg:deliveredAt ?item }} OPTIONAL {{ ?statement cg:atMeeting ?meeting }}
  OPTIONAL {{ ?statement cg:listedAs ?listed }}
}} ORDER BY ?meeting ?listed""",
        ),
        _table(
            store,
            "Written inputs submitted",
            ("Input", "Meeting"),
            f"""
SELECT ?input ?meeting WHERE {{
  ?input cg:submittedBy {me} . OPTIONAL {{ ?input cg:atMeeting ?meeting }}
}} ORDER BY ?meeting ?input""",
        ),
        _table(
            store,
            "Roles held by its people",
            ("Person", "Role", "During"),
            f"""
SELECT DISTINCT ?person ?type ?item WHERE {{
  ?affiliation conf:withOrganisation {me} ; conf:isAffiliationOf ?person .
  ?role conf:isHeldBy ?person ; conf:withRole ?type ; conf:during ?item .
  OPTIONAL {{ ?affiliation conf:during ?meeting }}
  FILTER (!BOUND(?meeting) || EXISTS {{ ?item schema:superEvent+ ?meeting }})
}} ORDER BY ?person ?item""",
        ),
    ]
    return [s for s in sections if s.rows]


def person_view(store: Store, iri: URIRef) -> list[Section]:
    """The roles a person held and the affiliations programmes give them."""
    me = sparql_iri(iri)
    sections = [
        _table(
            store,
            "Roles",
            ("Role", "During", "Starts"),
            f"""
SELECT ?type ?item ?start WHERE {{
  ?role conf:isHeldBy {me} ; conf:withRole ?type ; conf:during ?item .
  OPTIONAL {{ ?item schema:startDate ?start }}
}} ORDER BY ?start""",
        ),
        _table(
            store,
            "Affiliations",
            ("Organisation or member state", "Job title", "Meeting"),
            f"""
SELECT ?agent ?title ?meeting WHERE {{
  ?affiliation conf:isAffiliationOf {me} ; conf:withOrganisation ?agent .
  OPTIONAL {{ ?affiliation cg:jobTitle ?title }} OPTIONAL {{ ?affiliation conf:during ?meeting }}
}} ORDER BY ?meeting""",
        ),
    ]
    return [s for s in sections if s.rows]


def notes_view(store: Store, iri: URIRef) -> list[Section]:
    """The curator's notes on a resource and the sources of the meeting it belongs to."""
    me = sparql_iri(iri)
    sections = [
        _table(
            store,
            "Curator's notes",
            ("Note",),
            f"""
SELECT ?note WHERE {{ {me} <http://www.w3.org/2004/02/skos/core#editorialNote> ?note }}
ORDER BY ?note""",
        ),
        _table(
            store,
            "Sources",
            ("Source", "Address", "Retrieved"),
            f"""
SELECT DISTINCT ?source ?url ?retrieved WHERE {{
  {me} (schema:superEvent|cg:atMeeting|cg:deliveredAt|conf:during)* ?meeting .
  ?meeting <http://www.w3.org/ns/prov#wasDerivedFrom> ?source .
  OPTIONAL {{ ?source schema:url ?url }} OPTIONAL {{ ?source cg:retrieved ?retrieved }}
}} ORDER BY ?source""",
        ),
    ]
    return [s for s in sections if s.rows]


VIEWS: tuple[tuple[frozenset[URIRef], Callable[[Store, URIRef], list[Section]]], ...] = (
    (frozenset({CG.ProgrammeItem, CG.ProgrammeDay, CG.Meeting}), event_view),
    (frozenset({CG.Country, ORG.Organization, SCHEMA.Organization}), agent_view),
    (frozenset({FOAF.Person, SCHEMA.Person}), person_view),
)


def view_for(store: Store, iri: URIRef, description: Graph) -> list[Section]:
    """Return the sections of the view that fits iri's types (none for other resources)."""
    types = set(description.objects(iri, RDF.type))
    for kinds, view in VIEWS:
        if kinds & types:
            return [*view(store, iri), *notes_view(store, iri)]
    return notes_view(store, iri)
