"""The vocabularies the dataset borrows terms from, by the prefix the site binds them to."""

from __future__ import annotations

VOCABULARIES = {
    "cg": "confgraph ontology",
    "schema": "schema.org",
    "conf": "Conference Ontology (ScholarlyData)",
    "foaf": "FOAF",
    "org": "W3C Organization Ontology",
    "prov": "W3C PROV-O",
    "skos": "W3C SKOS",
    "dcterms": "DCMI Metadata Terms",
    "rdf": "RDF",
    "rdfs": "RDF Schema",
    "owl": "OWL",
    "time": "W3C OWL-Time",
    "xsd": "XML Schema datatypes",
    "void": "VoID",
    "dcat": "W3C DCAT",
    "vcard": "W3C vCard",
    "sh": "W3C SHACL",
    "spdx": "SPDX",
}


def vocabulary(prefixed: str) -> str:
    """Return the name of the vocabulary a prefixed name (schema:Event) comes from."""
    prefix, colon, _ = prefixed.partition(":")
    return VOCABULARIES.get(prefix, "") if colon else ""
