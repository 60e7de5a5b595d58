"""Example queries a researcher of this data would ask; shown on the query page and tested."""

from __future__ import annotations

from dataclasses import dataclass

QUERY_PREFIXES = """\
PREFIX cg: <https://w3id.org/confgraph/ontology#>
PREFIX conf: <https://w3id.org/scholarlydata/ontology/conference-ontology.owl#>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


@dataclass(frozen=True)
class Example:
    """A titled example query."""

    key: str
    title: str
    body: str

    @property
    def text(self) -> str:
        """Return the query with the standard prefixes."""
        return QUERY_PREFIXES + "\n" + self.body


EXAMPLES = (
    Example(
        "countries-per-panel",
        "Which countries spoke at each panel",
        """SELECT ?panel ?panelName ?country ?countryName WHERE {
  ?statement a cg:Statement ;
             cg:deliveredAt ?panel ;
             cg:deliveredBy ?country .
  ?country a cg:Country ; schema:name ?countryName .
  ?panel schema:name ?panelName .
}
ORDER BY ?panelName ?countryName""",
    ),
    Example(
        "moderators",
        "Who moderated what",
        """SELECT ?person ?name ?item ?itemName ?start WHERE {
  ?role a cg:Role ;
        conf:withRole cg:moderator ;
        conf:isHeldBy ?person ;
        conf:during ?item .
  ?person schema:name ?name .
  ?item schema:name ?itemName ; schema:startDate ?start .
}
ORDER BY ?start ?name""",
    ),
    Example(
        "statements-by-organisation",
        "All statements by an organisation (OHCHR)",
        """SELECT ?statement ?listedAs ?item ?meeting WHERE {
  ?organisation cg:acronym "OHCHR" .
  ?statement cg:deliveredBy ?organisation ;
             cg:atMeeting ?meeting ;
             cg:listedAs ?listedAs .
  OPTIONAL { ?statement cg:deliveredAt ?item }
}
ORDER BY ?listedAs""",
    ),
    Example(
        "agenda-of-a-day",
        "The agenda of a day (the first day of each meeting)",
        """SELECT ?day ?start ?end ?item ?name ?room WHERE {
  ?day a cg:ProgrammeDay ; cg:date ?date .
  FILTER NOT EXISTS { ?other a cg:ProgrammeDay ; schema:superEvent ?meeting ; cg:date ?earlier .
                      ?day schema:superEvent ?meeting . FILTER(?earlier < ?date) }
  ?item schema:superEvent+ ?day ;
        schema:name ?name ;
        schema:startDate ?start ;
        schema:endDate ?end .
  OPTIONAL { ?item schema:location/schema:name ?room }
}
ORDER BY ?start ?end""",
    ),
    Example(
        "roles-by-affiliation",
        "Roles held by people of each organisation or member state",
        """SELECT ?agentName ?person ?roleType ?item WHERE {
  ?affiliation a cg:Affiliation ;
               conf:isAffiliationOf ?person ;
               conf:withOrganisation ?agent .
  ?agent schema:name ?agentName .
  ?role conf:isHeldBy ?person ; conf:withRole ?type ; conf:during ?item .
  # Role types are ontology terms: their labels are in the ontology's graph.
  GRAPH <https://w3id.org/confgraph/ontology> { ?type rdfs:label ?roleType }
}
ORDER BY ?agentName""",
    ),
    Example(
        "statements-per-group",
        "How many statements each listing group has",
        """SELECT ?group (COUNT(?statement) AS ?statements) WHERE {
  ?statement a cg:Statement ; cg:listedUnder/rdfs:label ?group .
}
GROUP BY ?group
ORDER BY DESC(?statements)""",
    ),
    Example(
        "statements-by-m49-region",
        "Statements by UN M49 region (the regions are in the default graph)",
        """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?region ?name (COUNT(DISTINCT ?statement) AS ?statements) WHERE {
  ?statement a cg:Statement ; cg:deliveredBy ?country .
  # cg:inRegion names every region a country lies in; the top ones are just below World.
  ?country cg:inRegion ?region .
  ?region skos:broader <https://w3id.org/confgraph/id/m49/001> ; skos:prefLabel ?name .
}
GROUP BY ?region ?name
ORDER BY DESC(?statements)""",
    ),
    Example(
        "countries-with-wikidata-items",
        "Each speaking country with its Wikidata item (from the Wikidata linkset)",
        """PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?country ?name ?item ?itemLabel (COUNT(?statement) AS ?statements) WHERE {
  ?statement a cg:Statement ; cg:deliveredBy ?country .
  ?country a cg:Country ; schema:name ?name ; owl:sameAs ?item .
  OPTIONAL { ?item rdfs:label ?itemLabel }
}
GROUP BY ?country ?name ?item ?itemLabel
ORDER BY ?name""",
    ),
    Example(
        "classes-counted-at-release",
        "How many resources of each class (counted when the release was built)",
        """PREFIX void: <http://rdfs.org/ns/void#>
SELECT ?class ?resources WHERE {
  # The release's description graph holds its statistics: nothing is counted now.
  GRAPH ?description {
    ?dataset void:classPartition [ void:class ?class ; void:entities ?resources ]
  }
}
ORDER BY DESC(?resources)""",
    ),
)
