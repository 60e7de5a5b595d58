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
    wikidata: str | None = None  # an item the programme data cites, never one found by name
    affiliations: tuple[AgentRef, ...] = ()


@dataclass(frozen=True)
class Participation:
    """A person holding a role in a programme item."""

    person: str
    role: str
    listed_as: str | None = None


@dataclass(frozen=True)
class Item:
    """One programme item, with local start and end times and nested items."""

    key: str
    kind: str
    title: str
    start: dt.datetime
    end: dt.datetime
    number: int | None = None
    description: str | None = None
    room: str | None = None
    participants: tuple[Participation, ...] = ()
    links: tuple[str, ...] = ()
    items: tuple[Item, ...] = ()
    subjects: tuple[str, ...] = ()  # IRIs of the concepts it addresses (dcterms:subject)


@dataclass(frozen=True)
class Day:
    """One programme day and its items."""

    date: dt.date
    label: str
    items: tuple[Item, ...]


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
    subjects: tuple[str, ...] = ()  # IRIs of the concepts it addresses (dcterms:subject)


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


@dataclass(frozen=True)
class Catalogue:
    """All programmes plus the reference agents they refer to."""

    programmes: tuple[Programme, ...]
    countries: dict[str, Country]
    organisations: dict[str, Organisation]
    sources: tuple[str, ...] = ()

    def agent_name(self, ref: AgentRef) -> str:
        """Return the normalised name of a country or organisation."""
        if ref.kind == "country":
            return self.countries[ref.key].name
        return self.organisations[ref.key].name
