"""The confgraph ontology's terms and the reused namespaces, as closed namespaces."""

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

ONTOLOGY_IRI = URIRef("https://w3id.org/confgraph/ontology")


class CG(DefinedNamespace):
    """The confgraph ontology; a misspelt term raises AttributeError."""

    _fail = True
    _NS = Namespace("https://w3id.org/confgraph/ontology#")

    Meeting: URIRef
    MeetingSeries: URIRef
    ProgrammeDay: URIRef
    ProgrammeItem: URIRef
    OpeningSegment: URIRef
    Panel: URIRef
    SummaryPanel: URIRef
    Break: URIRef
    SideEvent: URIRef
    ClosingSegment: URIRef
    Country: URIRef
    Room: URIRef
    Venue: URIRef
    City: URIRef
    Role: URIRef
    RoleType: URIRef
    Affiliation: URIRef
    Statement: URIRef
    WrittenInput: URIRef
    ListingGroup: URIRef

    panelist: URIRef
    moderator: URIRef
    thematicExpert: URIRef
    coFacilitator: URIRef
    presenter: URIRef
    speaker: URIRef

    inSeries: URIRef
    date: URIRef
    timeZone: URIRef
    panelNumber: URIRef
    background: URIRef
    isoAlpha3: URIRef
    acronym: URIRef
    jobTitle: URIRef
    listedAs: URIRef
    atMeeting: URIRef
    deliveredBy: URIRef
    deliveredAt: URIRef
    onBehalfOf: URIRef
    listedUnder: URIRef
    submittedBy: URIRef

    # Programmes as real pages give them: headings, series ordinals, lists cut off.
    heading: URIRef
    seriesOrdinal: URIRef
    seriesOrdinalLabel: URIRef
    peopleIncomplete: URIRef
    itemsIncomplete: URIRef
    statementsIncomplete: URIRef
    inputsIncomplete: URIRef


class CONF(DefinedNamespace):
    """The terms of ScholarlyData's Conference Ontology that confgraph uses."""

    _fail = True
    _NS = Namespace("https://w3id.org/scholarlydata/ontology/conference-ontology.owl#")

    OrganisedEvent: URIRef
    RoleDuringEvent: URIRef
    AffiliationDuringEvent: URIRef
    holdsRole: URIRef
    isHeldBy: URIRef
    withRole: URIRef
    during: URIRef
    hasAffiliation: URIRef
    isAffiliationOf: URIRef
    withOrganisation: URIRef


SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
ISO639 = Namespace("http://id.loc.gov/vocabulary/iso639-1/")

PREFIXES = {
    "cg": CG._NS,
    "conf": CONF._NS,
    "schema": SCHEMA,
    "wd": WD,
}
