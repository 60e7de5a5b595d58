"""Read one programme file into the source-neutral model, with file:line in every error."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import reprlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pyoxigraph import NamedNode

from confgraph.errors import DataError
from confgraph.iris import RESERVED_GRAPHS
from confgraph.model import (
    ITEM_KINDS,
    ROLE_NAMES,
    AgentRef,
    Country,
    Day,
    Item,
    Meeting,
    Organisation,
    Participation,
    Person,
    Programme,
    Statement,
    Venue,
    WrittenInput,
)
from confgraph.programme_checks import programme_warnings
from confgraph.programme_parts import (
    check_days_within,
    check_within,
    read_dates,
    read_flag,
    read_heading,
    read_series,
    read_span,
)
from confgraph.reference import KEY_PATTERN, parse_agent
from confgraph.yamlmap import YamlList, YamlMap, read_yaml

LANGUAGE_PATTERN = re.compile(r"[a-z]{2}")


@dataclass(frozen=True)
class Claim:
    """A key whose IRI every programme shares, what this file means by it, and where."""

    kind: str
    key: str
    meaning: str
    line: int


@dataclass(frozen=True)
class ReadProgramme:
    """A programme read from its file, with the shared keys it claims."""

    programme: Programme
    claims: tuple[Claim, ...]
    warnings: tuple[str, ...] = ()


def read_programme(
    path: Path, countries: dict[str, Country], organisations: dict[str, Organisation]
) -> ReadProgramme:
    """Read one programme file; keys shared with other files are checked by the caller."""
    reader = ProgrammeReader(path, countries, organisations)
    programme = reader.read()
    warnings = programme_warnings(programme, reader.lines)
    return ReadProgramme(programme, tuple(reader.claims), warnings)


class ProgrammeReader:
    """Read one programme file, checking every reference against what it defines."""

    def __init__(
        self,
        path: Path,
        countries: dict[str, Country],
        organisations: dict[str, Organisation],
    ) -> None:
        self.top = read_yaml(path)
        self.claims: list[Claim] = []
        self.listing_keys: set[tuple[str, str]] = set()
        self.countries = countries
        self.organisations = organisations
        self.item_keys: set[str] = set()
        self.people: dict[str, Person] = {}
        self.zone = ZoneInfo("UTC")
        self.lines: dict[tuple[str, str], int] = {}  # (kind, key) -> line, for warnings

    def read(self) -> Programme:
        """Return the programme the file describes."""
        meeting_map = self.top.require("meeting", YamlMap)
        groups = self._groups(self.top.require("groups", YamlMap))
        self.people = self._people(self.top.get("people", YamlMap))
        meeting = self._meeting(meeting_map)
        statements = tuple(self._statement(m, groups) for m in self._maps("statements"))
        inputs = tuple(self._input(m, groups) for m in self._maps("inputs"))
        aliases = self._aliases(self.top.get("aliases", YamlMap))
        flags = (
            read_flag(self.top, "statements_incomplete"),
            read_flag(self.top, "inputs_incomplete"),
        )
        self.top.done()
        return Programme(
            self.top.path, meeting, self.people, groups, statements, inputs, aliases, *flags
        )

    def _maps(self, key: str) -> list[YamlMap]:
        found = self.top.get(key, list)
        return list(found.maps()) if found else []

    def _agent(self, owner: YamlMap, key: str, text: str) -> AgentRef:
        try:
            return parse_agent(text, self.countries, self.organisations)
        except ValueError as exc:
            raise owner.error(str(exc), key) from exc

    def _agents(self, owner: YamlMap, key: str) -> tuple[AgentRef, ...]:
        value = owner.data.get(key)
        if isinstance(value, str):
            return (self._agent(owner, key, owner.require(key, str)),)
        found = owner.require(key, list)
        refs = tuple(self._agent(owner, key, text) for text, _ in found.strings())
        if not refs:
            raise owner.error(f"field '{key}' names no agent", key)
        return refs

    def _groups(self, groups: YamlMap) -> dict[str, str]:
        result = {}
        for key in groups.field_names():
            _check_key(groups, key)
            result[key] = groups.require(key, str)
            self.claims.append(Claim("group", key, result[key], groups.key_line(key)))
            self.lines["group", key] = groups.key_line(key)
        return result

    def _people(self, people: YamlMap | None) -> dict[str, Person]:
        if people is None:
            return {}
        return {key: self._person(people, key) for key in people.field_names()}

    def _person(self, people: YamlMap, key: str) -> Person:
        _check_key(people, key)
        entry = people.require(key, YamlMap)
        affiliations = entry.get("affiliations", list)
        person = Person(
            key=key,
            name=entry.require("name", str),
            honorific=entry.get("honorific", str),
            job_title=entry.get("job_title", str),
            affiliations=self._agent_list(entry, "affiliations", affiliations),
        )
        person = self._this_meeting(entry, person)
        entry.done()
        line = people.key_line(key)
        self.claims.extend(person_claims(person, line))
        self.lines["person", key] = line
        return person

    def _this_meeting(self, entry: YamlMap, person: Person) -> Person:
        """Add what `this_meeting` says a person held during this meeting only."""
        found = entry.get("this_meeting", YamlMap)
        if found is None:
            return person
        refs = self._agent_list(found, "affiliations", found.get("affiliations", list))
        twice = sorted(ref.key for ref in set(refs) & set(person.affiliations))
        if twice:
            raise found.error(
                f"affiliation '{twice[0]}' is also listed for every meeting", "affiliations"
            )
        title = found.get("job_title", str)
        found.done()
        return dataclasses.replace(person, meeting_job_title=title, meeting_affiliations=refs)

    def _agent_list(self, owner: YamlMap, key: str, found: YamlList | None) -> tuple[AgentRef, ...]:
        if found is None:
            return ()
        return tuple(self._agent(owner, key, text) for text, _ in found.strings())

    def _meeting(self, entry: YamlMap) -> Meeting:
        key = entry.require("key", str)
        _check_key(entry, key, "key")
        if key in RESERVED_GRAPHS:
            raise entry.error(f"meeting key '{key}' is reserved for a graph of its own", "key")
        self.claims.append(Claim("meeting", key, key, entry.key_line("key")))
        self.zone = self._zone(entry)
        series = read_series(entry)
        start_date, end_date = read_dates(entry)
        meeting = Meeting(
            key=key,
            title=entry.require("title", str),
            short_title=entry.get("short_title", str),
            series=series.name,
            venue=self._venue(entry.require("venue", YamlMap)),
            room=entry.require("room", str),
            timezone=entry.require("timezone", str),
            days=self._days(entry),
            links=self._links(entry),
            start_date=start_date,
            end_date=end_date,
            series_ordinal=series.ordinal,
            series_ordinal_label=series.ordinal_label,
        )
        check_days_within(entry, meeting.days, start_date, end_date)
        entry.done()
        return meeting

    def _zone(self, entry: YamlMap) -> ZoneInfo:
        name = entry.require("timezone", str)
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # OSError: a folder
            shown = reprlib.repr(name)
            raise entry.error(f"unknown time zone {shown} (use an IANA name)", "timezone") from exc

    def _venue(self, entry: YamlMap) -> Venue:
        country = entry.require("country", str)
        if country not in self.countries:
            raise entry.error(f"unknown country code '{country}'", "country")
        name = entry.require("name", str)
        venue = Venue(entry.get("key", str) or name, name, entry.require("city", str), country)
        alt_names = entry.get("alt_names", list)
        if alt_names:
            venue = dataclasses.replace(venue, alt_names=tuple(t for t, _ in alt_names.strings()))
        entry.done()
        return venue

    def _links(self, entry: YamlMap) -> tuple[str, ...]:
        found = entry.get("links", list)
        if found is None:
            return ()
        for text, line in found.strings():
            problem = url_problem(text)
            if problem:
                raise DataError(entry.path, line, f"{reprlib.repr(text)} {problem}")
        return tuple(text for text, _ in found.strings())

    def _days(self, entry: YamlMap) -> tuple[Day, ...]:
        days: list[Day] = []
        for day_map in _non_empty(entry, "days").maps():
            day = self._day(day_map)
            if any(other.date == day.date for other in days):
                raise day_map.error(f"day {day.date} is listed twice", "date")
            days.append(day)
        return tuple(days)

    def _day(self, entry: YamlMap) -> Day:
        date = entry.require("date", dt.date)
        items = self._day_items(_non_empty(entry, "items"), date)
        if not items:
            raise entry.error("'items' must list at least one item, not only headings", "items")
        day = Day(date, entry.require("label", str), items, read_flag(entry, "items_incomplete"))
        entry.done()
        return day

    def _day_items(self, found: YamlList, date: dt.date) -> tuple[Item, ...]:
        """Read a day's items; an entry `- heading: ...` heads the items after it."""
        items: list[Item] = []
        heading = None
        for entry in found.maps():
            heading = read_heading(entry) or heading
            if "heading" not in entry.data:
                item = self._item(entry, date)
                items.append(dataclasses.replace(item, heading=heading) if heading else item)
        return tuple(items)

    def _item(self, entry: YamlMap, date: dt.date, parent: Item | None = None) -> Item:
        key = entry.require("key", str)
        _check_key(entry, key, "key")
        if key in self.item_keys:
            raise entry.error(f"programme item key '{key}' is used twice", "key")
        self.item_keys.add(key)
        self.lines["item", key] = entry.line
        kind = _choice(entry, "kind", ITEM_KINDS)
        start, end = read_span(entry, key, date, self.zone)
        children = entry.get("items", list)
        number = entry.get("number", int)
        if number is not None and number < 1:
            raise entry.error(f"panel number must be 1 or more, not {number}", "number")
        item = Item(
            key=key,
            kind=kind,
            title=entry.require("title", str),
            start=start,
            end=end,
            number=number,
            description=entry.get("description", str),
            room=entry.get("room", str),
            participants=tuple(self._participant(m) for m in self._list(entry, "people")),
            links=self._links(entry),
            people_incomplete=read_flag(entry, "people_incomplete"),
        )
        check_within(entry, item, parent)
        if children:
            nested = tuple(self._item(m, date, item) for m in children.maps())
            item = dataclasses.replace(item, items=nested)
        entry.done()
        return item

    def _list(self, entry: YamlMap, key: str) -> list[YamlMap]:
        found = entry.get(key, list)
        return list(found.maps()) if found else []

    def _participant(self, entry: YamlMap) -> Participation:
        person = entry.require("person", str)
        if person not in self.people:
            raise entry.error(f"unknown person '{person}' (define it under 'people')", "person")
        participation = Participation(
            person, _choice(entry, "role", ROLE_NAMES), entry.get("listed_as", str)
        )
        entry.done()
        return participation

    def _statement(self, entry: YamlMap, groups: dict[str, str]) -> Statement:
        at = entry.get("at", str)
        if at and at not in self.item_keys:
            raise entry.error(f"unknown programme item '{at}' (no item has this key)", "at")
        language = entry.get("language", str)
        if language and not LANGUAGE_PATTERN.fullmatch(language):
            raise entry.error(
                f"language '{language}' must be an ISO 639-1 code (en, fr)", "language"
            )
        behalf = entry.get("on_behalf_of", str)
        statement = Statement(
            speakers=self._agents(entry, "by"),
            group=_choice(entry, "group", tuple(groups)),
            listed_as=entry.require("listed_as", str),
            at=at,
            language=language,
            on_behalf_of=self._agent(entry, "on_behalf_of", behalf) if behalf else None,
            key=self._optional_key(entry, "statement"),
        )
        entry.done()
        return statement

    def _input(self, entry: YamlMap, groups: dict[str, str]) -> WrittenInput:
        written = WrittenInput(
            authors=self._agents(entry, "by"),
            group=_choice(entry, "group", tuple(groups)),
            listed_as=entry.require("listed_as", str),
            key=self._optional_key(entry, "input"),
        )
        entry.done()
        return written

    def _optional_key(self, entry: YamlMap, kind: str) -> str | None:
        key = entry.get("key", str)
        if key:
            _check_key(entry, key, "key")
            if (kind, key) in self.listing_keys:
                raise entry.error(f"{kind} key '{key}' is used twice", "key")
            self.listing_keys.add((kind, key))
        return key

    def _aliases(self, entry: YamlMap | None) -> dict[AgentRef, tuple[str, ...]]:
        if entry is None:
            return {}
        result = {}
        for key in entry.field_names():
            names = entry.require(key, list)
            result[self._agent(entry, key, key)] = tuple(text for text, _ in names.strings())
        return result


def person_claims(person: Person, line: int) -> list[Claim]:
    """Return what a file says of a person that every file must say alike (when it says it)."""
    claims = [Claim("person", person.key, person.name, line)]
    shared = {
        "honorific": person.honorific,
        "job_title": person.job_title,
        "affiliations": ", ".join(sorted(ref.key for ref in person.affiliations)) or None,
    }
    for name, value in shared.items():
        if value is not None:
            claims.append(Claim(f"person:{name}", person.key, value, line))
    return claims


def url_problem(text: str) -> str:
    """Return why a text is not an absolute http(s) IRI with a host, or "" if it is one."""
    try:
        NamedNode(text)  # Oxigraph's RFC 3987 parser, the one the store and dumps rely on
    except ValueError as exc:
        return f"is not a valid IRI ({exc})"
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "is not an http(s) URL with a host"
    return ""


def _non_empty(owner: YamlMap, key: str) -> YamlList:
    found = owner.require(key, list)
    if not len(found):
        raise owner.error(f"'{key}' must list at least one entry", key)
    return found


def _check_key(owner: YamlMap, key: str, field: str | None = None) -> None:
    if not KEY_PATTERN.fullmatch(key):
        raise owner.error(f"key '{key}' must be lower-case words joined by '-'", field or key)


def _choice(entry: YamlMap, key: str, allowed: tuple[str, ...]) -> str:
    value = entry.require(key, str)
    if value not in allowed:
        raise entry.error(f"{key} '{value}' is not one of: {', '.join(allowed)}", key)
    return value
