"""The release's CSV tables (statements, people with their roles, programme items).

Each table is a list of fields (name, Table Schema type, description) and a function that
yields its rows from the built data; a Frictionless `datapackage.json` describes them all.
Rows come in the order of their subjects' IRIs: the same data gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from confgraph.describe import FileInfo
from confgraph.dumps import sha256_file
from confgraph.records import (
    AFFILIATION_OF,
    CGS,
    CONF,
    HELD_BY,
    SCHEMA,
    SUPER_EVENT,
    Records,
    joined,
    local_name,
)
from confgraph.vocab import CG

DATAPACKAGE = "datapackage.json"
CSV_MEDIA_TYPE = "text/csv"
DCTERMS_LANGUAGE = "http://purl.org/dc/terms/language"
ORG = "http://www.w3.org/ns/org#Organization"
Row = tuple[str, ...]


@dataclass(frozen=True)
class Field:
    """One column of a table, as Frictionless Table Schema describes it."""

    name: str
    type: str
    description: str


@dataclass(frozen=True)
class Table:
    """One CSV table of the release."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    rows: Callable[[Records], Iterator[Row]]

    @property
    def path(self) -> str:
        """Return the table's file name in the release."""
        return f"{self.name}.csv"


def _f(name: str, description: str, kind: str = "string") -> Field:
    return Field(name, kind, description)


def statement_rows(data: Records) -> Iterator[Row]:
    """Yield one row per statement and agent delivering it (a joint statement: one each)."""
    for statement in data.of_class(CGS.Statement):
        meeting = data.first(statement, CGS.atMeeting)
        item = data.first(statement, CGS.deliveredAt)
        group = data.first(statement, CGS.listedUnder)
        behalf = data.iris(statement, CGS.onBehalfOf)
        language = joined(local_name(i) for i in data.iris(statement, DCTERMS_LANGUAGE))
        for agent in data.iris(statement, CGS.deliveredBy) or [""]:
            yield (
                statement,
                meeting,
                data.name(meeting),
                item,
                data.name(item),
                group,
                data.name(group),
                data.first(statement, CGS.listedAs),
                data.first(statement, SCHEMA + "position"),
                agent,
                data.name(agent),
                data.first(agent, CGS.isoAlpha3),
                language,
                joined(behalf),
                joined(data.name(b) for b in behalf),
            )


def people_rows(data: Records) -> Iterator[Row]:
    """Yield one row per person and role held (a person without a role: one row without)."""
    roles_of = data.pointing(HELD_BY)
    affiliations_of = data.pointing(AFFILIATION_OF)
    for person in data.of_class("http://xmlns.com/foaf/0.1/Person"):
        for role in roles_of.get(person) or [""]:
            item = data.first(role, CONF + "during")
            meeting = data.meeting_of(item)
            held = [
                a
                for a in affiliations_of.get(person, ())
                if data.first(a, CONF + "during") in (meeting, "")
            ]
            agents = [data.first(a, CONF + "withOrganisation") for a in held]
            yield (
                person,
                data.name(person),
                data.first(person, SCHEMA + "honorificPrefix"),
                role,
                local_name(data.first(role, CONF + "withRole")),
                data.first(role, CGS.listedAs),
                item,
                data.name(item),
                meeting,
                joined(title for a in held for title in data.texts(a, CGS.jobTitle)),
                joined(agents),
                joined(data.name(a) for a in agents),
            )


ITEM_KINDS = tuple(
    str(kind)
    for kind in (
        CG.OpeningSegment,
        CG.Panel,
        CG.SummaryPanel,
        CG.Break,
        CG.SideEvent,
        CG.ClosingSegment,
    )
)


def item_rows(data: Records) -> Iterator[Row]:
    """Yield one row per programme item."""
    for item in data.of_class(CGS.ProgrammeItem):
        types = data.types(item)
        place = data.first(item, SCHEMA + "location")
        yield (
            item,
            data.meeting_of(item),
            data.name(item),
            joined(local_name(kind) for kind in ITEM_KINDS if kind in types),
            data.first(item, SCHEMA + "startDate"),
            data.first(item, SCHEMA + "endDate"),
            place,
            data.name(place),
            data.first(item, SUPER_EVENT),
            data.first(item, CGS.panelNumber),
            data.first(item, SCHEMA + "description"),
        )


TABLES = (
    Table(
        "statements",
        "Statements from the floor",
        "Every statement delivered from the floor, one row per statement and delivering agent.",
        (
            _f("statement", "IRI of the statement"),
            _f("meeting", "IRI of the meeting"),
            _f("meeting_name", "the meeting's title"),
            _f("item", "IRI of the programme item it was delivered at (empty: not stated)"),
            _f("item_name", "the item's title"),
            _f("group", "IRI of the listing group it is listed under"),
            _f("group_name", "the listing group's name (Member States, Stakeholders, ...)"),
            _f("listed_as", "the statement as the programme lists it"),
            _f("position", "its position in the programme's list", "integer"),
            _f("agent", "IRI of the country or organisation delivering it"),
            _f("agent_name", "the agent's name"),
            _f("agent_country_code", "ISO 3166-1 alpha-3 code when the agent is a country"),
            _f("language", "ISO 639-1 code of the language it was delivered in, when stated"),
            _f("on_behalf_of", "IRIs of the agents it was delivered on behalf of ('; ')"),
            _f("on_behalf_of_name", "their names ('; ')"),
        ),
        ("statement", "agent"),
        statement_rows,
    ),
    Table(
        "people",
        "People with their roles",
        "Every person, one row per role held during a programme item (none: one row).",
        (
            _f("person", "IRI of the person"),
            _f("name", "the person's name"),
            _f("honorific", "honorific prefix (H.E. Mr., Ms., ...)"),
            _f("role", "IRI of the role (empty: the person holds none)"),
            _f("role_type", "kind of role (moderator, panelist, ...)"),
            _f("listed_as", "the role as the programme lists it"),
            _f("item", "IRI of the programme item the role is held during"),
            _f("item_name", "the item's title"),
            _f("meeting", "IRI of the item's meeting"),
            _f("job_title", "job titles the meeting gives the person ('; ')"),
            _f(
                "affiliation",
                "IRIs of the organisations or countries the meeting affiliates them with ('; ')",
            ),
            _f("affiliation_name", "their names ('; ')"),
        ),
        (),  # a person without a role has an empty role: no key of non-empty fields
        people_rows,
    ),
    Table(
        "items",
        "Programme items",
        "Every programme item (opening, panel, break, side event, ...) of every meeting.",
        (
            _f("item", "IRI of the programme item"),
            _f("meeting", "IRI of its meeting"),
            _f("name", "the item's title"),
            _f("kind", "kind of item (Panel, SideEvent, ...; '; ' when several)"),
            _f("start", "start, with the venue's UTC offset", "datetime"),
            _f("end", "end, with the venue's UTC offset", "datetime"),
            _f("place", "IRI of the room or venue"),
            _f("place_name", "the room's or venue's name"),
            _f("part_of", "IRI of the day or item it is part of"),
            _f("panel_number", "the panel's number", "integer"),
            _f("description", "the item's description"),
        ),
        ("item",),
        item_rows,
    ),
)


def table_bytes(table: Table, rows: Iterable[Row]) -> bytes:
    """Return a table's rows as UTF-8 CSV (RFC 4180: CRLF line ends, a header row)."""
    return (header_text(table) + csv_text(rows)).encode("utf-8")


def header_text(table: Table) -> str:
    """Return a table's header row as CSV."""
    return csv_text([tuple(f.name for f in table.fields)])


def csv_text(rows: Iterable[Row]) -> str:
    """Return rows as CSV text."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def published_rows(path: Path) -> Iterator[tuple[str, str]]:
    """Yield each row of a table written by table_bytes as its first field and its CSV
    text, without the header. A row ends at a CRLF that no quoted field holds: one with an
    even number of quotes before it (a quoted field doubles the quotes it holds)."""
    record: list[str] = []
    quotes, header = 0, True
    for piece in path.read_bytes().decode("utf-8").split("\r\n")[:-1]:
        record.append(piece)
        quotes += piece.count('"')
        if quotes % 2 == 0:
            text = "\r\n".join(record) + "\r\n"
            if not header:
                yield _first_field(text), text
            record, quotes, header = [], 0, False


def _first_field(text: str) -> str:
    """Return the first field of a CSV row."""
    if text.startswith('"'):
        return next(csv.reader(io.StringIO(text, newline="")))[0]
    return text[: text.index(",")]


def write_tables(data: Records, directory: Path) -> list[FileInfo]:
    """Write every table of the data and the datapackage.json describing them."""
    return write_table_files(lambda table: table_bytes(table, table.rows(data)), directory)


def write_table_files(content: Callable[[Table], bytes], directory: Path) -> list[FileInfo]:
    """Write every table with the bytes given for it, and the datapackage.json; return
    the files."""
    infos = []
    for table in TABLES:
        path = directory / table.path
        path.write_bytes(content(table))
        infos.append(
            FileInfo(
                table.path, CSV_MEDIA_TYPE, path.stat().st_size, sha256_file(path), table.title
            )
        )
    package = directory / DATAPACKAGE
    package.write_text(json.dumps(datapackage(infos), indent=2) + "\n", "utf-8")
    title = "Frictionless Data Package of the CSV tables"
    infos.append(
        FileInfo(
            DATAPACKAGE, "application/json", package.stat().st_size, sha256_file(package), title
        )
    )
    return infos


def datapackage(files: list[FileInfo]) -> dict[str, object]:
    """Return the Frictionless (Tabular) Data Package descriptor of the written tables."""
    by_name = {info.name: info for info in files}
    return {
        "profile": "tabular-data-package",
        "name": "confgraph-tables",
        "title": "confgraph: meeting and conference programmes, as tables",
        "resources": [_resource(table, by_name[table.path]) for table in TABLES],
    }


def _resource(table: Table, info: FileInfo) -> dict[str, object]:
    return {
        "profile": "tabular-data-resource",
        "name": table.name,
        "path": table.path,
        "title": table.title,
        "description": table.description,
        "format": "csv",
        "mediatype": CSV_MEDIA_TYPE,
        "encoding": "utf-8",
        "bytes": info.size,
        "hash": f"sha256:{info.sha256}",
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
        "schema": {
            "fields": [
                {"name": f.name, "type": f.type, "description": f.description} for f in table.fields
            ],
            "primaryKey": list(table.primary_key),
            "missingValues": [""],
        },
    }
