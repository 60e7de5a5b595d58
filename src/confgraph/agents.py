"""Describe agents (countries, organisations, people) as RDF."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import FOAF, ORG, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from confgraph.iris import Iris
from confgraph.model import AgentRef, Catalogue, Person
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
        country = self.catalogue.countries[code]
        subject = self.iris.country(code)
        add = self.graph.add
        for cls in (CG.Country, SCHEMA.Country):
            add((subject, RDF.type, cls))
        self._names(subject, country.name)
        add((subject, CG.isoAlpha3, Literal(code)))
        add((subject, SCHEMA.identifier, Literal(code)))
        if country.wikidata:
            add((subject, OWL.sameAs, WD[country.wikidata]))

    def _organisation(self, key: str) -> None:
        organisation = self.catalogue.organisations[key]
        subject = self.iris.organisation(key)
        add = self.graph.add
        for cls in (ORG.Organization, SCHEMA.Organization, FOAF.Organization):
            add((subject, RDF.type, cls))
        self._names(subject, organisation.name)
        if organisation.acronym:
            add((subject, CG.acronym, Literal(organisation.acronym)))
        for label in organisation.alt_labels:
            add((subject, SKOS.altLabel, Literal(label)))
        if organisation.wikidata:
            add((subject, OWL.sameAs, WD[organisation.wikidata]))
        if organisation.country:
            add((subject, SCHEMA.location, self.iri(AgentRef("country", organisation.country))))
        if organisation.part_of:
            parent = self.iri(AgentRef("organisation", organisation.part_of))
            add((subject, ORG.subOrganizationOf, parent))

    def _names(self, subject: URIRef, name: str) -> None:
        self.graph.add((subject, SCHEMA.name, Literal(name)))
        self.graph.add((subject, RDFS.label, Literal(name)))

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
        for ref in person.affiliations:
            self._affiliation(person, ref, meeting)
            self.graph.add((subject, SCHEMA.affiliation, self.iri(ref)))
        for ref in person.meeting_affiliations:  # held during this meeting only
            self._affiliation(person, ref, meeting)
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
