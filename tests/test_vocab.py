"""The vocabulary module and the ontology declare the same terms, each documented."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from confgraph.build import ONTOLOGY_FILE
from confgraph.vocab import CG

ONTOLOGY = ONTOLOGY_FILE
NAMESPACE = str(CG._NS)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def declared_terms(ontology: Graph) -> set[str]:
    return {str(s) for s in ontology.subjects(RDF.type, None) if str(s).startswith(NAMESPACE)}


def test_vocab_and_ontology_declare_the_same_terms(ontology: Graph) -> None:
    in_code = {str(CG[name]) for name in CG.__annotations__}
    assert in_code == declared_terms(ontology)


def test_every_term_has_a_label_and_a_comment(ontology: Graph) -> None:
    for term in declared_terms(ontology):
        assert ontology.value(URIRef(term), RDFS.label) is not None, term
        assert ontology.value(URIRef(term), RDFS.comment) is not None, term


def test_every_class_has_a_superclass(ontology: Graph) -> None:
    for cls in ontology.subjects(RDF.type, OWL.Class):
        assert ontology.value(cls, RDFS.subClassOf) is not None, f"{cls} has no superclass"


def test_misspelt_term_raises() -> None:
    with pytest.raises(AttributeError):
        _ = CG.Meting
