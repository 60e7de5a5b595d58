"""The built data indexed by subject, for the tables and the search index a release carries.

Both are written in one pass over the release's sorted triples (no SPARQL over the whole
graph): each subject's values by predicate, and the subjects of each class.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from confgraph.vocab import CG

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SCHEMA = "https://schema.org/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
# What a resource is called, in order of preference.
NAME_PROPERTIES = (
    SCHEMA + "name",
    RDFS_LABEL,
    "http://xmlns.com/foaf/0.1/name",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
)
CONF = "https://w3id.org/scholarlydata/ontology/conference-ontology.owl#"
HELD_BY = CONF + "isHeldBy"
AFFILIATION_OF = CONF + "isAffiliationOf"
SUPER_EVENT = SCHEMA + "superEvent"
# What the rows and search documents of a resource read (confgraph.rows_delta relies on
# it): the triples of the resource and of the roles and affiliations pointing at it
# (REVERSE_READS, the only links followed backwards), of the nodes these name, and of the
# events up from those along SUPER_EVENT (Records.meeting_of).
REVERSE_READS = (HELD_BY, AFFILIATION_OF)
Term = ox.NamedNode | ox.BlankNode | ox.Literal
NO_VALUES: dict[str, list[Term]] = {}  # what a subject without triples has (never changed)


class Strings:
    """A vocabulary's IRIs as strings, each made once: rdflib makes a term on every
    attribute of a namespace, which took a tenth of the tables' time (measured)."""

    def __init__(self, namespace: object) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        """Return the IRI of a name, kept as an attribute for the next time."""
        value = str(getattr(self._namespace, name))
        setattr(self, name, value)
        return value


CGS = Strings(CG)


@dataclass
class Records:
    """Each subject's values by predicate IRI, and the subjects of each class IRI."""

    values: dict[str, dict[str, list[Term]]] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_triples(cls, triples: Iterable[ox.Triple]) -> Records:
        """Index triples (sorted, so every list comes out in a fixed order) by subject.

        A term or IRI that recurs (classes, predicates, meetings, agents) is kept once:
        at a million triples that holds 170 MiB instead of 400 (measured).
        """
        values: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        members: dict[str, list[str]] = defaultdict(list)
        iris: dict[str, str] = {}
        terms: dict[Term, Term] = {}
        for triple in triples:
            subject, predicate, value = triple.subject, triple.predicate.value, triple.object
            if not isinstance(subject, ox.NamedNode):
                continue
            iri = iris.setdefault(subject.value, subject.value)
            predicate = iris.setdefault(predicate, predicate)
            value = terms.setdefault(value, value)
            values[iri][predicate].append(value)
            if predicate == RDF_TYPE:
                members[value.value].append(iri)
        return cls(values, members)

    def of_class(self, cls: str) -> list[str]:
        """Return the IRIs of the subjects typed cls, sorted."""
        return sorted(set(self.members.get(cls, ())))

    def all(self, subject: str, predicate: str) -> list[Term]:
        """Return every value of a subject's predicate."""
        return self.values.get(subject, NO_VALUES).get(predicate, [])

    def texts(self, subject: str, *predicates: str) -> list[str]:
        """Return the distinct lexical values of some predicates, in order, without repeats."""
        seen: dict[str, None] = {}
        for predicate in predicates:
            for value in self.all(subject, predicate):
                seen.setdefault(value.value, None)
        return list(seen)

    def iris(self, subject: str, predicate: str) -> list[str]:
        """Return the IRIs a subject's predicate points at, sorted."""
        return sorted(
            {v.value for v in self.all(subject, predicate) if isinstance(v, ox.NamedNode)}
        )

    def first(self, subject: str, predicate: str) -> str:
        """Return the lexical value of a subject's predicate ('' when it has none)."""
        found = self.all(subject, predicate)
        return found[0].value if found else ""

    def name(self, subject: str) -> str:
        """Return a subject's name: English first, then untagged, then any (or '' for none)."""
        for predicate in NAME_PROPERTIES:
            found = self.all(subject, predicate)
            for wanted in ("en", None):
                for value in found:
                    if isinstance(value, ox.Literal) and (value.language or None) == wanted:
                        return value.value
            if found:
                return found[0].value
        return ""

    def types(self, subject: str) -> set[str]:
        """Return a subject's class IRIs."""
        return {v.value for v in self.all(subject, RDF_TYPE)}

    def meeting_of(self, event: str) -> str:
        """Return the meeting an event belongs to, following schema:superEvent up ('' if none)."""
        seen: set[str] = set()
        while event and event not in seen:
            if CGS.Meeting in self.types(event):
                return event
            seen.add(event)
            parents = self.iris(event, SUPER_EVENT)
            event = parents[0] if parents else ""
        return ""

    def pointing(self, predicate: str) -> dict[str, list[str]]:
        """Return, for each object IRI of predicate, the subjects pointing at it, sorted."""
        found: dict[str, list[str]] = defaultdict(list)
        for subject in sorted(self.values):
            for value in self.values[subject].get(predicate, ()):
                if isinstance(value, ox.NamedNode):
                    found[value.value].append(subject)
        return found


def local_name(iri: str) -> str:
    """Return what follows an IRI's last '#' or '/' (cg:panelist -> panelist)."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def joined(values: Iterator[str] | list[str]) -> str:
    """Join several values of one cell with '; ' (the order they come in)."""
    return "; ".join(v for v in values if v)
