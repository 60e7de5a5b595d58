"""Index pages read from the store: one page of a class's members, sorted, with facet counts.

Every read is bounded: the page's members by LIMIT, their cells by VALUES over that page,
each facet by its top values. An index is declared as data (INDEXES): its class, columns,
sort keys and facets are SPARQL patterns over ?item, so a facet is one more line.
"""

from __future__ import annotations

import threading
import weakref
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.term import Node

from confgraph.store.base import Row, Store
from confgraph.store.cache import ByteCache
from confgraph.web.views import PREFIXES, sparql_iri

FACET_VALUES = 25  # the most values a facet lists (the chosen one always among them)
QUERY_PREFIXES = PREFIXES + (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
    "PREFIX org: <http://www.w3.org/ns/org#>\n"
    "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
    "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
)
# A release never changes: what its store answered, each page's queries keep (per store).
CACHE_BYTES = 8 << 20
_caches: weakref.WeakKeyDictionary[Store, ByteCache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()
NAME_KEY = "OPTIONAL { ?item schema:name|rdfs:label ?name BIND(LCASE(STR(?name)) AS ?k1) }"


@dataclass(frozen=True)
class Column:
    """A column: a pattern binding ?value from ?item (empty: the member itself)."""

    key: str
    title: str
    pattern: str = ""


@dataclass(frozen=True)
class Sort:
    """A sort order: a pattern binding ?k1 (and ?k2) from ?item; descending by default or not."""

    key: str
    title: str
    pattern: str
    keys: tuple[str, ...] = ("k1",)
    descending: bool = False


@dataclass(frozen=True)
class Facet:
    """A facet: a pattern relating ?item to {value} (a variable to count, an IRI chosen)."""

    key: str
    title: str
    pattern: str

    def bound(self, value: URIRef) -> str:
        """Return the pattern restricted to one value."""
        return self.pattern.format(value=sparql_iri(value))


@dataclass(frozen=True)
class Index:
    """An index page: the members of a class."""

    key: str
    title: str
    cls: str
    columns: tuple[Column, ...]
    sorts: tuple[Sort, ...]
    facets: tuple[Facet, ...] = ()
    container: str | None = None  # the IRI path whose members these are (/id/country/)
    table: str | None = None  # the release's CSV table holding every member

    def sort(self, key: str) -> Sort | None:
        """Return the sort order named key, or None."""
        return next((s for s in self.sorts if s.key == key), None)


@dataclass
class Listing:
    """One page of an index: its members with their cells, the total and the facets."""

    total: int
    members: list[URIRef]
    cells: dict[URIRef, dict[str, list[Node]]]
    facets: list[tuple[Facet, list[tuple[URIRef, int]]]] = field(default_factory=list)


def lookup_rows(store: Store, query: str) -> tuple[Row, ...]:
    """Run one of the listing's queries, or take its rows from the store's cache."""
    with _caches_lock:
        cache = _caches.get(store)
        if cache is None:
            cache = _caches[store] = ByteCache(CACHE_BYTES)
    rows = cache.get(query)
    if rows is None:
        rows = store.lookup(QUERY_PREFIXES + query).rows
        size = len(query) + sum(len(str(cell)) + 32 for row in rows for cell in row)
        cache.put(query, rows, size)
    return rows


def _where(index: Index, chosen: dict[str, URIRef], leave_out: str = "") -> str:
    parts = [f"?item a {index.cls} ."]
    for facet in index.facets:
        if facet.key in chosen and facet.key != leave_out:
            parts.append(facet.bound(chosen[facet.key]))
    return "\n  ".join(parts)


def count_members(store: Store, index: Index, chosen: dict[str, URIRef]) -> int:
    """Return how many members the index has with the chosen facet values."""
    query = f"SELECT (COUNT(DISTINCT ?item) AS ?n) WHERE {{ {_where(index, chosen)} }}"
    rows = lookup_rows(store, query)
    return int(rows[0][0]) if rows and isinstance(rows[0][0], Literal) else 0


def page_members(
    store: Store,
    index: Index,
    chosen: dict[str, URIRef],
    order: tuple[Sort, bool],
    page: tuple[int, int],
) -> list[URIRef]:
    """Return the members on page (number from 1, size) in order (a sort and whether reversed)."""
    sort, reverse = order
    number, size = page
    keys = " ".join(f"(MIN(?{k}) AS ?_{k})" for k in sort.keys)
    descending = sort.descending != reverse
    by = " ".join(f"DESC(?_{k})" if descending else f"?_{k}" for k in sort.keys)
    # The tie-break is a fresh string: Oxigraph then compares in memory, where ordering by
    # the IRIs themselves reads each from the store at every comparison (6 times slower).
    query = f"""SELECT ?item {keys} WHERE {{ {_where(index, chosen)}
  {sort.pattern} BIND(CONCAT(STR(?item), " ") AS ?tie) }}
GROUP BY ?item ?tie ORDER BY {by} ?tie LIMIT {size} OFFSET {(number - 1) * size}"""
    rows = lookup_rows(store, query)
    return [row[0] for row in rows if isinstance(row[0], URIRef)]


def read_cells(
    store: Store, index: Index, members: list[URIRef]
) -> dict[URIRef, dict[str, list[Node]]]:
    """Return every value of each column (bar the member's own) for the page's members."""
    cells: dict[URIRef, dict[str, list[Node]]] = {m: defaultdict(list) for m in members}
    patterns = [c for c in index.columns if c.pattern]
    if not members or not patterns:
        return cells
    union = " UNION ".join(f'{{ {c.pattern} BIND("{c.key}" AS ?column) }}' for c in patterns)
    values = " ".join(sparql_iri(m) for m in members)
    query = f"SELECT DISTINCT ?item ?column ?value WHERE {{ VALUES ?item {{ {values} }} {union} }}"
    for item, column, value in lookup_rows(store, query):
        if item in cells and value is not None:
            cells[item][str(column)].append(value)
    for row in cells.values():
        for values_of in row.values():
            values_of.sort(key=lambda node: (isinstance(node, Literal), str(node)))
    return cells


def facet_counts(
    store: Store, index: Index, facet: Facet, chosen: dict[str, URIRef]
) -> list[tuple[URIRef, int]]:
    """Return a facet's values with their member counts, most members first (the top ones)."""
    pattern = facet.pattern.format(value="?value")
    query = f"""SELECT ?value (COUNT(DISTINCT ?item) AS ?n) WHERE {{
  {_where(index, chosen, leave_out=facet.key)} {pattern} }}
GROUP BY ?value ORDER BY DESC(?n) ?value LIMIT {FACET_VALUES}"""
    rows = lookup_rows(store, query)
    found = [(v, int(n)) for v, n in rows if isinstance(v, URIRef) and isinstance(n, Literal)]
    picked = chosen.get(facet.key)
    if picked is not None and picked not in {v for v, _ in found}:
        found.append((picked, count_members(store, index, chosen)))
    return found


def read_listing(
    store: Store,
    index: Index,
    chosen: dict[str, URIRef],
    order: tuple[Sort, bool],
    page: tuple[int, int],
) -> Listing:
    """Read one page of an index with its total and its facets."""
    members = page_members(store, index, chosen, order, page)
    listing = Listing(
        count_members(store, index, chosen), members, read_cells(store, index, members)
    )
    listing.facets = [(f, facet_counts(store, index, f, chosen)) for f in index.facets]
    return listing


def _start(key: str = "start", title: str = "Start", descending: bool = False) -> Sort:
    return Sort(key, title, "OPTIONAL { ?item schema:startDate ?k1 }", descending=descending)


# UN M49 regions, where the release links countries to them (cg:inRegion names every level
# a country lies in; the regions are a SKOS scheme under World, notation 001).
REGION = '{value} skos:broader/skos:notation "001" .'
SUB_REGION = '{value} skos:broader/skos:broader/skos:notation "001" .'
ITEM_KINDS = (
    "cg:OpeningSegment, cg:Panel, cg:SummaryPanel, cg:Break, cg:SideEvent, cg:ClosingSegment"
)
MEETING_OF = "?item schema:superEvent+ {value} . {value} a cg:Meeting ."
INDEXES = (
    Index(
        "meetings",
        "Meetings",
        "cg:Meeting",
        (
            Column("item", "Meeting"),
            Column("start", "Starts", "?item schema:startDate ?value"),
            Column("end", "Ends", "?item schema:endDate ?value"),
            Column("place", "Place", "?item schema:location ?value"),
        ),
        (_start(descending=True), Sort("name", "Title", NAME_KEY)),
        (Facet("series", "Series", "?item cg:inSeries {value} ."),),
        container="/id/meeting/",
    ),
    Index(
        "items",
        "Programme items",
        "cg:ProgrammeItem",
        (
            Column("item", "Item"),
            Column("kind", "Kind", f"?item a ?value FILTER(?value IN ({ITEM_KINDS}))"),
            Column("meeting", "Meeting", MEETING_OF.format(value="?value")),
            Column("start", "Starts", "?item schema:startDate ?value"),
            Column("end", "Ends", "?item schema:endDate ?value"),
            Column("place", "Place", "?item schema:location ?value"),
        ),
        (_start(), Sort("name", "Title", NAME_KEY)),
        (
            Facet("meeting", "Meeting", MEETING_OF),
            Facet("kind", "Kind", f"?item a {{value}} FILTER({{value}} IN ({ITEM_KINDS}))"),
        ),
        table="items.csv",
    ),
    Index(
        "people",
        "People",
        "foaf:Person",
        (
            Column("item", "Person"),
            Column("honorific", "Honorific", "?item schema:honorificPrefix ?value"),
            Column("job", "Job title", "?item schema:jobTitle ?value"),
            Column("affiliation", "Affiliation", "?item schema:affiliation ?value"),
            Column("roles", "Roles", "?item conf:holdsRole/conf:withRole ?value"),
        ),
        (Sort("name", "Name", NAME_KEY),),
        (
            Facet("role", "Role", "?item conf:holdsRole/conf:withRole {value} ."),
            Facet("affiliation", "Affiliation", "?item schema:affiliation {value} ."),
        ),
        container="/id/person/",
        table="people.csv",
    ),
    Index(
        "organisations",
        "Organisations",
        "org:Organization",
        (
            Column("item", "Organisation"),
            Column("acronym", "Acronym", "?item cg:acronym ?value"),
            Column("parent", "Part of", "?item org:subOrganizationOf ?value"),
            # Linked organisations are skos:exactMatch of their Wikidata items (linking step).
            Column("same", "Same as", "?item owl:sameAs|skos:exactMatch ?value"),
        ),
        (
            Sort("name", "Name", NAME_KEY),
            Sort("acronym", "Acronym", "OPTIONAL { ?item cg:acronym ?a BIND(LCASE(?a) AS ?k1) }"),
        ),
        (Facet("parent", "Part of", "?item org:subOrganizationOf {value} ."),),
        container="/id/organisation/",
    ),
    Index(
        "countries",
        "Countries",
        "cg:Country",
        (
            Column("item", "Country"),
            Column("code", "ISO 3166-1 alpha-3", "?item cg:isoAlpha3 ?value"),
            Column("same", "Same as", "?item owl:sameAs ?value"),
            Column(
                "region",
                "UN M49 region",
                "?item cg:inRegion ?value . " + REGION.format(value="?value"),
            ),
        ),
        (
            Sort("name", "Name", NAME_KEY),
            Sort("code", "Code", "OPTIONAL { ?item cg:isoAlpha3 ?k1 }"),
        ),
        (
            Facet("region", "UN M49 region", "?item cg:inRegion {value} . " + REGION),
            Facet("subregion", "Sub-region", "?item cg:inRegion {value} . " + SUB_REGION),
        ),
        container="/id/country/",
    ),
    Index(
        "statements",
        "Statements from the floor",
        "cg:Statement",
        (
            Column("item", "Statement"),
            Column("meeting", "Meeting", "?item cg:atMeeting ?value"),
            Column("at", "Item", "?item cg:deliveredAt ?value"),
            Column("group", "Listed under", "?item cg:listedUnder ?value"),
            Column("listed", "Listed as", "?item cg:listedAs ?value"),
            Column("agent", "Delivered by", "?item cg:deliveredBy ?value"),
            Column("language", "Language", "?item dcterms:language ?value"),
            Column("behalf", "On behalf of", "?item cg:onBehalfOf ?value"),
        ),
        (
            Sort(
                "meeting",
                "Meeting and position",
                "OPTIONAL { ?item cg:atMeeting ?m BIND(CONCAT(STR(?m), ' ') AS ?k1) }"
                " OPTIONAL { ?item schema:position ?k2 }",
                keys=("k1", "k2"),
            ),
            Sort("listed", "Listed as", "OPTIONAL { ?item cg:listedAs ?l BIND(LCASE(?l) AS ?k1) }"),
        ),
        (
            Facet("meeting", "Meeting", "?item cg:atMeeting {value} ."),
            Facet("at", "Item", "?item cg:deliveredAt {value} ."),
            Facet("group", "Listed under", "?item cg:listedUnder {value} ."),
            Facet("country", "Country", "?item cg:deliveredBy {value} . {value} a cg:Country ."),
            Facet(
                "region",
                "UN M49 region",
                "?item cg:deliveredBy ?country . ?country cg:inRegion {value} . " + REGION,
            ),
            Facet(
                "subregion",
                "Sub-region",
                "?item cg:deliveredBy ?country . ?country cg:inRegion {value} . " + SUB_REGION,
            ),
            Facet(
                "organisation",
                "Organisation",
                "?item cg:deliveredBy {value} . {value} a org:Organization .",
            ),
        ),
        table="statements.csv",
    ),
)
INDEX_BY_KEY = {index.key: index for index in INDEXES}
