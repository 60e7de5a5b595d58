"""Describe agents (countries, organisations, people) as RDF."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib.namespace import FOAF, ORG, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from confgraph.iris import Iris
from confgraph.model import AgentRef, Catalogue, Country, Organisation, Person
from confgraph.vocab import CG, CONF, SCHEMA, WD

Triple = tuple[Node, Node, Node]


class AgentWriter:
    """Add agents to a graph, each once, with everything it depends on."""

    def __init__(self, graph: set[Triple], iris: Iris, catalogue: Catalogue) -> None:
        self.graph = graph
        self.iris = iris
        self.catalogue = catalogue
        self._written: set[AgentRef] = set()

    def iri(self, ref: AgentRef) -> URIRef:
        """Return an agent's IRI and make sure the agent is described."""
        if ref not in self._written:
            self._written.add(ref)
            self._describe(ref)
        if ref.kind == "country":
            return self.iris.country(ref.key)
        return self.iris.organisation(ref.key)

    def slug(self, ref: AgentRef) -> str:
        """Return the agent's key as used inside other IRIs."""
        return ref.key.lower()

    def add_aliases(self, ref: AgentRef, names: tuple[str, ...]) -> None:
        """Record names as a source writes them, where they differ from the normalised name."""
        subject = self.iri(ref)
        for name in names:
            if name != self.catalogue.agent_name(ref):
                self.graph.add((subject, SKOS.altLabel, Literal(name)))

    def _describe(self, ref: AgentRef) -> None:
        if ref.kind == "country":
            self._country(ref.key)
        else:
            self._organisation(ref.key)

    def _country(self, code: str) -> None:
        self.graph.update(country_triples(self.iris.base, self.catalogue.countries[code]))

    def _organisation(self, key: str) -> None:
        organisation = self.catalogue.organisations[key]
        self.graph.update(organisation_triples(self.iris.base, organisation))
        if organisation.country:  # the agents it names are described in this graph too
            self.iri(AgentRef("country", organisation.country))
        if organisation.part_of:
            self.iri(AgentRef("organisation", organisation.part_of))

    def _names(self, subject: URIRef, name: str) -> None:
        self.graph.update(names(subject, name))

    def person(self, person: Person, meeting: str) -> URIRef:
        """Describe a person and their affiliations as one meeting states them."""
        subject = self.iris.person(person.key)
        add = self.graph.add
        for cls in (FOAF.Person, SCHEMA.Person):
            add((subject, RDF.type, cls))
        self._names(subject, person.name)
        add((subject, FOAF.name, Literal(person.name)))
        if person.honorific:
            add((subject, SCHEMA.honorificPrefix, Literal(person.honorific)))
        if person.job_title:
            add((subject, SCHEMA.jobTitle, Literal(person.job_title)))
        if person.wikidata:  # moved to the Wikidata linkset's graph (confgraph.link.graphs)
            add((subject, SKOS.exactMatch, WD[person.wikidata]))
        for ref in person.affiliations:
            self._affiliation(person, ref, meeting)
            self.graph.add((subject, SCHEMA.affiliation, self.iri(ref)))
        for ref in person.meeting_affiliations:  # held during this meeting only
            self._affiliation(person, ref, meeting)
        for note in person.notes:
            add((subject, SKOS.editorialNote, Literal(note, lang="en")))
        return subject

    def _affiliation(self, person: Person, ref: AgentRef, meeting: str) -> None:
        subject = self.iris.affiliation(meeting, person.key, self.slug(ref))
        agent = self.iri(ref)
        person_iri = self.iris.person(person.key)
        add = self.graph.add
        for cls in (CG.Affiliation, CONF.AffiliationDuringEvent):
            add((subject, RDF.type, cls))
        add((person_iri, CONF.hasAffiliation, subject))
        add((subject, CONF.isAffiliationOf, person_iri))
        add((subject, CONF.withOrganisation, agent))
        add((subject, CONF.during, self.iris.meeting(meeting)))
        title = person.meeting_job_title or person.job_title
        if title:
            add((subject, CG.jobTitle, Literal(title)))
        parts = [person.name, title, self.catalogue.agent_name(ref)]
        add((subject, RDFS.label, Literal(", ".join(p for p in parts if p), lang="en")))


# The registries' agents are described alike in every programme: each description is made
# once per process (a build worker makes hundreds of programmes), keyed by its values.
@lru_cache(maxsize=4096)
def country_triples(base: str, country: Country) -> tuple[Triple, ...]:
    """Return the triples that describe a country of the reference table."""
    subject = Iris(base).country(country.code)
    triples = [(subject, RDF.type, cls) for cls in (CG.Country, SCHEMA.Country)]
    triples += names(subject, country.name)
    triples += [(subject, CG.isoAlpha3, Literal(country.code))]
    triples += [(subject, SCHEMA.identifier, Literal(country.code))]
    if country.wikidata:
        triples.append((subject, OWL.sameAs, WD[country.wikidata]))
    return tuple(triples)


@lru_cache(maxsize=4096)
def organisation_triples(base: str, organisation: Organisation) -> tuple[Triple, ...]:
    """Return the triples that describe an organisation of the registry (not those of the
    country or parent it names, which are described as agents of their own)."""
    iris = Iris(base)
    subject = iris.organisation(organisation.key)
    classes = (ORG.Organization, SCHEMA.Organization, FOAF.Organization)
    triples = [(subject, RDF.type, cls) for cls in classes]
    triples += names(subject, organisation.name)
    if organisation.acronym:
        triples.append((subject, CG.acronym, Literal(organisation.acronym)))
    triples += [(subject, SKOS.altLabel, Literal(label)) for label in organisation.alt_labels]
    if organisation.wikidata:  # identity is certain only for countries (by ISO code)
        triples.append((subject, SKOS.exactMatch, WD[organisation.wikidata]))
    if organisation.country:
        triples.append((subject, SCHEMA.location, iris.country(organisation.country)))
    if organisation.part_of:
        triples.append((subject, ORG.subOrganizationOf, iris.organisation(organisation.part_of)))
    notes = organisation.notes
    triples += [(subject, SKOS.editorialNote, Literal(note, lang="en")) for note in notes]
    return tuple(triples)


def names(subject: URIRef, name: str) -> list[Triple]:
    """Return the name and label of a resource (the same text)."""
    return [(subject, SCHEMA.name, Literal(name)), (subject, RDFS.label, Literal(name))]
