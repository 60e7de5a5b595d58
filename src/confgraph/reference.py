"""Load the reference agents: countries (ISO 3166-1) and the registry of organisations."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from confgraph.csvtable import read_table
from confgraph.errors import DataError
from confgraph.model import AgentRef, Country, Organisation
from confgraph.programme_parts import read_notes
from confgraph.suggest import country_hint, hint
from confgraph.yamlmap import YamlMap, read_yaml

KEY_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
CODE_PATTERN = re.compile(r"[A-Z]{3}")
QID_PATTERN = re.compile(r"Q[1-9][0-9]*")
COUNTRY_COLUMNS = ("iso_alpha3", "name", "wikidata_qid")


def load_countries(path: Path) -> dict[str, Country]:
    """Read the ISO 3166-1 table (CSV with iso_alpha3, name, wikidata_qid columns)."""
    return read_table(path, COUNTRY_COLUMNS, _read_country_rows)


def _read_country_rows(reader: csv.DictReader, shown: str) -> dict[str, Country]:
    countries: dict[str, Country] = {}
    for row in reader:
        if any(row.get(column) is None for column in COUNTRY_COLUMNS):
            raise DataError(shown, reader.line_num, "row has fewer columns than the header")
        code = row["iso_alpha3"].strip()
        if not CODE_PATTERN.fullmatch(code):
            raise DataError(shown, reader.line_num, f"invalid ISO 3166-1 alpha-3 code {code!r}")
        if code in countries:
            raise DataError(shown, reader.line_num, f"duplicate country code {code}")
        qid = (row["wikidata_qid"] or "").strip() or None
        countries[code] = Country(code, row["name"].strip(), qid)
    return countries


def load_organisations(path: Path, countries: dict[str, Country]) -> dict[str, Organisation]:
    """Read the registry of organisations, keyed by stable slug."""
    top = read_yaml(path)
    organisations = {key: _read_organisation(top, key, countries) for key in top.field_names()}
    for key, organisation in organisations.items():
        if organisation.part_of and organisation.part_of not in organisations:
            entry = top.require(key, YamlMap)
            message = f"unknown organisation '{organisation.part_of}'"
            raise entry.error(message + hint(organisation.part_of, organisations), "part_of")
    return organisations


def _read_organisation(top: YamlMap, key: str, countries: dict[str, Country]) -> Organisation:
    if not KEY_PATTERN.fullmatch(key):
        raise top.error(f"organisation key '{key}' must be lower-case words joined by '-'", key)
    if key.upper() in countries:
        raise top.error(f"organisation key '{key}' would clash with the country {key.upper()}", key)
    entry = top.require(key, YamlMap)
    country = entry.get("country", str)
    if country and country not in countries:
        raise entry.error(country_message(country, countries), "country")
    wikidata = entry.get("wikidata", str)
    if wikidata and not QID_PATTERN.fullmatch(wikidata):
        raise entry.error(f"'{wikidata}' is not a Wikidata item id (Q123)", "wikidata")
    aliases = entry.get("alt_labels", list)
    organisation = Organisation(
        key=key,
        name=entry.require("name", str),
        acronym=entry.get("acronym", str),
        wikidata=wikidata,
        country=country,
        part_of=entry.get("part_of", str),
        alt_labels=tuple(text for text, _ in aliases.strings()) if aliases else (),
        notes=read_notes(entry),
    )
    entry.done()
    return organisation


def parse_agent(
    text: str,
    countries: dict[str, Country],
    organisations: dict[str, Organisation],
) -> AgentRef:
    """Resolve an ISO alpha-3 code or an organisation key; raise ValueError if unknown."""
    if CODE_PATTERN.fullmatch(text):
        if text not in countries:
            raise ValueError(country_message(text, countries))
        return AgentRef("country", text)
    if text in organisations:
        return AgentRef("organisation", text)
    raise ValueError(
        f"unknown agent '{text}': use an ISO 3166-1 alpha-3 code (e.g. DEU) "
        "or a key of data/organisations.yaml" + hint(text, organisations)
    )


def country_message(code: str, countries: dict[str, Country]) -> str:
    """Say that a country code is unknown, offering the closest codes with their names."""
    names = {key: country.name for key, country in countries.items()}
    return f"unknown country code '{code}' (not in ISO 3166-1 alpha-3){country_hint(code, names)}"
