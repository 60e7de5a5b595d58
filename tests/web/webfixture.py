"""A small release written from inline TriG: one meeting, as the build pipeline would publish it."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import pyoxigraph
from rdflib import RDF, Graph

from confgraph.quads import sorted_triples
from confgraph.records import Records
from confgraph.searchdocs import search_documents
from confgraph.store.search import SEARCH_FILE, write_search_index

BASE = "https://w3id.org/confgraph"
ID = BASE + "/id"
M = ID + "/meeting/2030-01-test"
GRAPH = BASE + "/graph/2030-01-test"
ONTOLOGY = "https://w3id.org/confgraph/ontology"
INJECTION = '<script>alert("x")</script>'

PREFIXES = """\
@prefix cg: <https://w3id.org/confgraph/ontology#> .
@prefix conf: <https://w3id.org/scholarlydata/ontology/conference-ontology.owl#> .
@prefix schema: <https://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""

ONTOLOGY_TTL = (
    PREFIXES
    + """
<https://w3id.org/confgraph/ontology> a owl:Ontology ; rdfs:label "confgraph ontology"@en .
cg:Meeting a owl:Class ; rdfs:label "Meeting"@en ; rdfs:comment "A meeting."@en ;
    rdfs:subClassOf schema:Event .
cg:Panel a owl:Class ; rdfs:label "Panel"@en ; rdfs:subClassOf cg:ProgrammeItem .
cg:ProgrammeItem a owl:Class ; rdfs:label "Programme item"@en .
cg:deliveredBy a owl:ObjectProperty ; rdfs:label "delivered by"@en ;
    rdfs:domain cg:Statement ; rdfs:range <http://www.w3.org/ns/prov#Agent> .
cg:timeZone a owl:DatatypeProperty ; rdfs:label "time zone"@en ; rdfs:domain cg:Meeting .
cg:moderator a cg:RoleType ; rdfs:label "moderator"@en .
cg:panelist a cg:RoleType ; rdfs:label "panelist"@en .
"""
)

SHAPES_TTL = (
    PREFIXES
    + """
<https://w3id.org/confgraph/shapes#MeetingShape> a sh:NodeShape ;
    rdfs:label "Meeting shape" ;
    sh:targetClass cg:Meeting ;
    sh:property [ sh:path schema:name ; sh:minCount 1 ; sh:datatype rdf:langString ;
                  sh:message "A meeting has a name." ] .
""".replace("rdf:langString", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString>")
)

DATA_TRIG = (
    PREFIXES
    + f"""
<{GRAPH}> {{
<{M}> a cg:Meeting, schema:Event ;
    rdfs:label "Test meeting on migration"@en, "Réunion d'essai"@fr ;
    schema:name "Test meeting on migration"@en ;
    schema:startDate "2030-01-07T10:00:00+01:00"^^xsd:dateTime ;
    schema:location <{ID}/place/vic/room-a> ;
    cg:timeZone "Europe/Vienna" ;
    schema:subEvent <{M}/day/2030-01-07> .
<{M}/day/2030-01-07> a cg:ProgrammeDay, schema:Event ;
    rdfs:label "Day 1: Monday, 7 January 2030"@en ;
    cg:date "2030-01-07"^^xsd:date ;
    schema:superEvent <{M}> .
<{M}/session/panel-1> a cg:Panel, cg:ProgrammeItem, schema:Event ;
    rdfs:label "Panel 1: Smuggling of migrants"@en ;
    schema:name "Panel 1: Smuggling of migrants"@en ;
    schema:description '''Panel about {INJECTION} and more'''@en ;
    schema:startDate "2030-01-07T10:15:00+01:00"^^xsd:dateTime ;
    schema:endDate "2030-01-07T13:00:00+01:00"^^xsd:dateTime ;
    schema:location <{ID}/place/vic/room-a> ;
    schema:superEvent <{M}/day/2030-01-07> ;
    cg:panelNumber 1 .
<{M}/session/lunch> a cg:Break, cg:ProgrammeItem, schema:Event ;
    rdfs:label "Lunch / Space for side-events"@en ;
    schema:startDate "2030-01-07T13:00:00+01:00"^^xsd:dateTime ;
    schema:endDate "2030-01-07T15:00:00+01:00"^^xsd:dateTime ;
    schema:superEvent <{M}/day/2030-01-07> .
<{M}/session/side-event-data> a cg:SideEvent, cg:ProgrammeItem, schema:Event ;
    rdfs:label "Side event: data revolution"@en ;
    schema:startDate "2030-01-07T13:15:00+01:00"^^xsd:dateTime ;
    schema:endDate "2030-01-07T14:45:00+01:00"^^xsd:dateTime ;
    schema:location <{ID}/place/vic/room-b> ;
    schema:superEvent <{M}/session/lunch> .
<{ID}/place/vic/room-a> a cg:Room ; rdfs:label "Room A"@en ;
    schema:containedInPlace <{ID}/place/vic> .
<{ID}/place/vic/room-b> a cg:Room ; rdfs:label "Room B"@en ;
    schema:containedInPlace <{ID}/place/vic> .
<{ID}/place/vic> a cg:Venue ; rdfs:label "Vienna International Centre"@en .
<{M}/role/panel-1/ana-moderator> a cg:Role ;
    rdfs:label "Ana Lima, moderator, Panel 1"@en ;
    conf:during <{M}/session/panel-1> ; conf:isHeldBy <{ID}/person/ana-lima> ;
    conf:withRole cg:moderator .
<{M}/role/panel-1/bo-panelist> a cg:Role ;
    rdfs:label "Bo Berg, panelist, Panel 1"@en ;
    conf:during <{M}/session/panel-1> ; conf:isHeldBy <{ID}/person/bo-berg> ;
    conf:withRole cg:panelist .
<{ID}/person/ana-lima> a foaf:Person, schema:Person ;
    rdfs:label "Ana Lima"@en ; schema:name "Ana Lima" ; schema:honorificPrefix "H.E. Ms." ;
    conf:holdsRole <{M}/role/panel-1/ana-moderator> .
<{ID}/person/bo-berg> a foaf:Person, schema:Person ;
    rdfs:label "Bo Berg"@en ; schema:name "Bo Berg" ;
    conf:holdsRole <{M}/role/panel-1/bo-panelist> .
<{M}/affiliation/ana-lima/bra> a cg:Affiliation ;
    conf:isAffiliationOf <{ID}/person/ana-lima> ; conf:withOrganisation <{ID}/country/bra> ;
    conf:during <{M}> ; cg:jobTitle "Ambassador" .
<{M}/affiliation/bo-berg/ohchr> a cg:Affiliation ;
    conf:isAffiliationOf <{ID}/person/bo-berg> ; conf:withOrganisation <{ID}/organisation/ohchr> ;
    conf:during <{M}> ; cg:jobTitle "Director" .
<{ID}/country/bra> a cg:Country, schema:Country ;
    rdfs:label "Brazil"@en, "Brésil"@fr ; schema:name "Brazil"@en ; cg:isoAlpha3 "BRA" ;
    owl:sameAs <http://www.wikidata.org/entity/Q155> .
<{ID}/country/afg> a cg:Country, schema:Country ;
    rdfs:label "Afghanistan"@en ; schema:name "Afghanistan"@en ; cg:isoAlpha3 "AFG" .
<{ID}/organisation/ohchr> a org:Organization, schema:Organization ;
    rdfs:label "Office of the High Commissioner for Human Rights"@en ;
    schema:name "Office of the High Commissioner for Human Rights"@en ; cg:acronym "OHCHR" .
<{ID}/group/member-states> a cg:ListingGroup ; rdfs:label "Member States"@en .
<{ID}/group/stakeholders> a cg:ListingGroup ; rdfs:label "Stakeholders"@en .
<{ID}/group/other-inputs> a cg:ListingGroup ; rdfs:label "Other inputs"@en .
<{M}/statement/afg-at-panel-1> a cg:Statement ;
    rdfs:label "Statement by Afghanistan at Panel 1"@en ;
    cg:atMeeting <{M}> ; cg:deliveredAt <{M}/session/panel-1> ;
    cg:deliveredBy <{ID}/country/afg> ; cg:listedAs "Afghanistan (panel 1)" ;
    cg:listedUnder <{ID}/group/member-states> .
<{M}/statement/bra> a cg:Statement ;
    rdfs:label "Statement by Brazil"@en ;
    cg:atMeeting <{M}> ; cg:deliveredBy <{ID}/country/bra> ; cg:listedAs "Brazil" ;
    cg:listedUnder <{ID}/group/member-states> .
<{M}/statement/ohchr-at-panel-1> a cg:Statement ;
    rdfs:label "Statement by OHCHR at Panel 1"@en ;
    cg:atMeeting <{M}> ; cg:deliveredAt <{M}/session/panel-1> ;
    cg:deliveredBy <{ID}/organisation/ohchr> ; cg:listedAs "OHCHR (panel 1)" ;
    cg:listedUnder <{ID}/group/stakeholders> .
<{M}/input/bra> a cg:WrittenInput ;
    rdfs:label "Written input by Brazil"@en ;
    cg:atMeeting <{M}> ; cg:submittedBy <{ID}/country/bra> ; cg:listedAs "Brazil" ;
    cg:listedUnder <{ID}/group/other-inputs> .
}}
"""
)

VOID_TTL = (
    PREFIXES
    + f"""
<{BASE}/dataset> a void:Dataset, dcat:Dataset ;
    rdfs:label "confgraph test dataset"@en ;
    owl:versionInfo "20300107T000000Z-test" ;
    void:triples 120 ;
    dcat:distribution <{BASE}/dumps/confgraph.ttl> .
<{BASE}/dumps/confgraph.ttl> a dcat:Distribution ; dcat:mediaType "text/turtle" .
"""
)


def partitioned_void(trig: str = DATA_TRIG) -> str:
    """Return the fixture's VoID with a class and a property partition per term the data uses."""
    quads = list(pyoxigraph.parse(trig.encode(), pyoxigraph.RdfFormat.TRIG))
    classes = sorted({q.object.value for q in quads if q.predicate.value == str(RDF.type)})
    properties = sorted({q.predicate.value for q in quads})
    parts = [f"void:classPartition [ void:class <{c}> ]" for c in classes]
    parts += [f"void:propertyPartition [ void:property <{p}> ]" for p in properties]
    return VOID_TTL + f"<{BASE}/dataset> " + " ;\n    ".join(parts) + " .\n"


def write_release(
    directory: Path,
    trig: str = DATA_TRIG,
    base: str = BASE,
    void: str = VOID_TTL,
    ontology_ttl: str = ONTOLOGY_TTL,
    exact_void: bool = False,
) -> Path:
    """Write a release directory and a `current` link beside it, as `confgraph build` does.

    exact_void gives VoID the data's own triple count, which `confgraph publish` verifies
    (the fixture's VoID otherwise says 120, a round number the page tests show).
    """
    release = directory / "releases" / "20300107T000000Z-test"
    release.mkdir(parents=True)
    ontology = Graph().parse(data=ontology_ttl, format="turtle")
    quads = rebase(trig, base) + f"\n<{ONTOLOGY}> {{\n" + ontology.serialize(format="nt") + "}\n"
    union = _union(rebase(trig, base), base)
    void = _void(void, len(union) if exact_void else None)
    files = {
        "confgraph.trig": ("application/trig", quads.encode()),
        "confgraph.ttl": ("text/turtle", union.serialize(format="turtle").encode()),
        "confgraph.nt.gz": (
            "application/n-triples",
            gzip.compress(union.serialize(format="nt").encode(), mtime=0),
        ),
        "ontology.ttl": ("text/turtle", ontology_ttl.encode()),
        "shapes.ttl": ("text/turtle", SHAPES_TTL.encode()),
        "void.ttl": ("text/turtle", rebase(void, base).encode()),
        SEARCH_FILE: ("application/vnd.sqlite3", search_index(union, release)),
    }
    manifest: dict[str, Any] = {
        "base": base,
        "release": release.name,
        "built": "2030-01-07T00:00:00+00:00",
        "version": "0.0.0",
        "files": {},
    }
    for name, (media_type, body) in files.items():
        (release / name).write_bytes(body)
        manifest["files"][name] = {
            "media_type": media_type,
            "bytes": len(body),
            "sha256": hashlib.sha256(body).hexdigest(),
        }
    (release / "release.json").write_text(json.dumps(manifest, indent=2), "utf-8")
    (directory / "current").symlink_to(Path("releases") / release.name)
    return directory / "current"


def _void(void: str, triples: int | None) -> str:
    """Return the fixture's VoID: as it is (None), or with the data's count and graph."""
    if triples is None:
        return void
    subset = f"<{BASE}/dataset#graph>"
    counted = f"void:triples {triples} ; void:subset {subset} ;"
    return void.replace("void:triples 120 ;", counted) + (
        f"{subset} a void:Dataset ; dcterms:source <{GRAPH}> ; void:triples {triples} .\n"
    )
def search_index(union: Graph, directory: Path) -> bytes:
    """Return the search index the build writes for these triples."""
    path = directory / SEARCH_FILE
    write_search_index(search_documents(Records.from_triples(sorted_triples(union))), path)
    return path.read_bytes()


def rebase(text: str, base: str) -> str:
    """Move the fixture's resources, graphs, dataset and dumps under another base."""
    for space in ("/id/", "/graph/", "/dataset", "/dumps/"):
        text = text.replace(BASE + space, base + space)
    return text


def _union(trig: str, base: str) -> Graph:
    union = Graph()
    body = trig.split(f"<{rebase(GRAPH, base)}> {{", 1)[1].rsplit("}", 1)[0]
    union.parse(data=PREFIXES + body, format="turtle")
    return union
