"""UN M49 regions as a SKOS concept scheme, and the countries' codes and regions, from a CSV."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from confgraph.csvtable import read_table
from confgraph.errors import DataError
from confgraph.iris import Iris
from confgraph.vocab import CG

Triple = tuple[Node, Node, Node]
M49_FILE = "reference/iso3166-m49.csv"
COLUMNS = ("alpha-2", "alpha-3", "country-code", "region", "sub-region", "intermediate-region")
LEVELS = ("region", "sub-region", "intermediate-region")
CODE = re.compile(r"[0-9]{3}")
ALPHA2 = re.compile(r"[A-Z]{2}")
# M49's root: the file names the regions below it but not World itself (code 001).
WORLD = ("001", "World")


@dataclass(frozen=True)
class CountryRegions:
    """One row of the M49 table: a country's codes and the regions it lies in, widest first."""

    alpha2: str
    numeric: str
    regions: tuple[tuple[str, str], ...]  # (M49 code, name), region -> intermediate region


def load_m49(path: Path) -> dict[str, CountryRegions]:
    """Read the ISO 3166 / M49 table, keyed by alpha-3 code; a bad row names its line."""
    return read_table(path, COLUMNS, _rows)


def _rows(reader: csv.DictReader, shown: str) -> dict[str, CountryRegions]:
    return {row["alpha-3"]: _row(row, shown, reader.line_num) for row in reader}


def _row(row: dict[str, str], shown: str, line: int) -> CountryRegions:
    if any(row.get(column) is None for column in COLUMNS):
        raise DataError(shown, line, "row has fewer columns than the header")
    if not ALPHA2.fullmatch(row["alpha-2"]) or not CODE.fullmatch(row["country-code"]):
        raise DataError(shown, line, "alpha-2 must be two capitals, country-code three digits")
    regions = []
    for level in LEVELS:
        name, code = row[level].strip(), row[f"{level}-code"].strip()
        if bool(name) != bool(code) or (code and not CODE.fullmatch(code)):
            raise DataError(shown, line, f"{level} needs both a name and a three-digit code")
        if code:
            regions.append((code, name))
    return CountryRegions(row["alpha-2"], row["country-code"], tuple(regions))


def region_triples(
    table: dict[str, CountryRegions], codes: Iterable[str], iris: Iris
) -> set[Triple]:
    """Return the concept scheme of every region in the table and the given countries' facts."""
    triples: set[Triple] = set()
    scheme = iris.region_scheme()
    triples |= {
        (scheme, RDF.type, SKOS.ConceptScheme),
        (scheme, SKOS.prefLabel, Literal("UN M49 regions", lang="en")),
        (scheme, RDFS.label, Literal("UN M49 regions", lang="en")),
        (scheme, SKOS.hasTopConcept, iris.region(WORLD[0])),
        (iris.region(WORLD[0]), SKOS.topConceptOf, scheme),
    }
    for entry in table.values():
        chain = (WORLD, *entry.regions)
        for position, (code, name) in enumerate(chain):
            parent = chain[position - 1][0] if position else None
            triples |= _concept(iris, code, name, parent)
    for code in sorted(codes):
        if code in table:
            triples |= _country(iris, code, table[code])
    return triples


def _concept(iris: Iris, code: str, name: str, broader: str | None) -> set[Triple]:
    subject = iris.region(code)
    found = {
        (subject, RDF.type, SKOS.Concept),
        (subject, SKOS.inScheme, iris.region_scheme()),
        (subject, SKOS.prefLabel, Literal(name, lang="en")),
        (subject, RDFS.label, Literal(name, lang="en")),
        (subject, SKOS.notation, Literal(code)),
    }
    if broader:
        found.add((subject, SKOS.broader, iris.region(broader)))
        found.add((iris.region(broader), SKOS.narrower, subject))
    return found


def _country(iris: Iris, code: str, entry: CountryRegions) -> set[Triple]:
    subject: URIRef = iris.country(code)
    found = {
        (subject, CG.isoAlpha2, Literal(entry.alpha2)),
        (subject, CG.isoNumeric, Literal(entry.numeric)),
        (subject, CG.inRegion, iris.region(WORLD[0])),
    }
    found |= {(subject, CG.inRegion, iris.region(region)) for region, _ in entry.regions}
    return found
