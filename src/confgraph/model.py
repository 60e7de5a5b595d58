"""Source-neutral dataclasses for a programme, between load and build."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

AgentKind = Literal["country", "organisation"]
ITEM_KINDS = ("opening", "panel", "summary-panel", "break", "side-event", "closing")
ROLE_NAMES = (
    "panelist",
    "moderator",
    "thematic-expert",
    "co-facilitator",
    "presenter",
    "speaker",
)


@dataclass(frozen=True, order=True)
class AgentRef:
    """A member state (by ISO alpha-3 code) or an organisation (by key)."""

    kind: AgentKind
    key: str


@dataclass(frozen=True)
class Country:
    """A country from the reference table."""

    code: str
    name: str
    wikidata: str | None = None


@dataclass(frozen=True)
class Organisation:
    """An organisation from the registry of organisations."""

    key: str
    name: str
    acronym: str | None = None
    wikidata: str | None = None
    country: str | None = None
    part_of: str | None = None
    alt_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Person:
    """A person as one programme describes them."""

    key: str
    name: str
    honorific: str | None = None
    job_title: str | None = None
    affiliations: tuple[AgentRef, ...] = ()
    meeting_job_title: str | None = None  # held during this meeting only (`this_meeting`)
    meeting_affiliations: tuple[AgentRef, ...] = ()


@dataclass(frozen=True)
class Participation:
    """A person holding a role in a programme item."""

    person: str
    role: str
    listed_as: str | None = None


@dataclass(frozen=True)
class Item:
    """One programme item, with local start and end times (when given) and nested items."""

    key: str
    kind: str
    title: str
    start: dt.datetime | None
    end: dt.datetime | None
    number: int | None = None
    description: str | None = None
    room: str | None = None
    participants: tuple[Participation, ...] = ()
    links: tuple[str, ...] = ()
    items: tuple[Item, ...] = ()
    heading: str | None = None  # the heading within its day that it is listed under
    people_incomplete: bool = False


@dataclass(frozen=True)
class Day:
    """One programme day and its items."""

    date: dt.date
    label: str
    items: tuple[Item, ...]
    items_incomplete: bool = False


@dataclass(frozen=True)
class Statement:
    """A statement from the floor, delivered by one or more agents."""

    speakers: tuple[AgentRef, ...]
    group: str
    listed_as: str
    at: str | None = None
    language: str | None = None
    on_behalf_of: AgentRef | None = None
    key: str | None = None


@dataclass(frozen=True)
class WrittenInput:
    """A written input submitted by one or more agents."""

    authors: tuple[AgentRef, ...]
    group: str
    listed_as: str
    key: str | None = None


@dataclass(frozen=True)
class Venue:
    """Where a meeting is held."""

    key: str
    name: str
    city: str
    country: str
    alt_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Meeting:
    """A meeting with its programme."""

    key: str
    title: str
    short_title: str | None
    series: str | None
    venue: Venue
    room: str
    timezone: str
    days: tuple[Day, ...]
    links: tuple[str, ...] = ()
    start_date: dt.date | None = None  # the meeting's own dates; default: its first and last day
    end_date: dt.date | None = None
    series_ordinal: int | None = None
    series_ordinal_label: str | None = None

    @property
    def first_date(self) -> dt.date:
        """Return the meeting's first date: its own start date, else its first day's."""
        return self.start_date or self.days[0].date

    @property
    def last_date(self) -> dt.date:
        """Return the meeting's last date: its own end date, else its last day's."""
        return self.end_date or self.days[-1].date


@dataclass(frozen=True)
class Programme:
    """Everything one programme file holds."""

    source: str
    meeting: Meeting
    people: dict[str, Person]
    groups: dict[str, str]
    statements: tuple[Statement, ...]
    inputs: tuple[WrittenInput, ...]
    aliases: dict[AgentRef, tuple[str, ...]] = field(default_factory=dict)
    statements_incomplete: bool = False
    inputs_incomplete: bool = False


@dataclass(frozen=True)
class Catalogue:
    """All programmes plus the reference agents they refer to."""

    programmes: tuple[Programme, ...]
    countries: dict[str, Country]
    organisations: dict[str, Organisation]
    sources: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # "file:line: warning: ..." for what is legal but suspicious

    def agent_name(self, ref: AgentRef) -> str:
        """Return the normalised name of a country or organisation."""
        if ref.kind == "country":
            return self.countries[ref.key].name
        return self.organisations[ref.key].name
