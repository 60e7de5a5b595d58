"""RDF of the optional parts of a programme: spans from what is known, headings, flags."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import SKOS, XSD
from rdflib.term import Node

from confgraph.model import Day, Item, Meeting, Programme, Venue
from confgraph.vocab import CG, SCHEMA

Triple = tuple[Node, Node, Node]
TRUE = Literal(True)


def date_time(value: dt.datetime) -> Literal:
    """Return an xsd:dateTime literal with the venue's UTC offset."""
    return Literal(value.isoformat(), datatype=XSD.dateTime)


def first_start(items: Iterable[Item]) -> dt.datetime | None:
    """Return the earliest start among items that have one."""
    return min((item.start for item in items if item.start), default=None)


def last_end(items: Iterable[Item]) -> dt.datetime | None:
    """Return the latest end (or, lacking ends, start) among items with times."""
    return max((item.end or item.start for item in items if item.start), default=None)


def day_span(day: Day) -> tuple[Literal | None, Literal | None]:
    """Return a day's start and end: those of its first and last timed items, if any."""
    start, end = first_start(day.items), last_end(day.items)
    return (date_time(start) if start else None), (date_time(end) if end else None)


def meeting_span(meeting: Meeting) -> tuple[Literal, Literal]:
    """Return the meeting's start and end: times when its first and last dates have them.

    A meeting whose first or last date has no timed item listed (a cut-off listing, a
    programme without times) spans its dates as xsd:date values, both ends alike so that
    they compare.
    """
    first, last = meeting.days[0], meeting.days[-1]
    start = first_start(first.items) if first.date == meeting.first_date else None
    end = last_end(last.items) if last.date == meeting.last_date else None
    if start and end:
        return date_time(start), date_time(end)
    return _date(meeting.first_date), _date(meeting.last_date)


def _date(value: dt.date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def add_span(graph: set[Triple], subject: URIRef, start: Node | None, end: Node | None) -> None:
    """Record what is known of an event's start and end."""
    if start is not None:
        graph.add((subject, SCHEMA.startDate, start))
    if end is not None:
        graph.add((subject, SCHEMA.endDate, end))


def item_span(item: Item) -> tuple[Literal | None, Literal | None]:
    """Return an item's start and end as far as the programme gives them."""
    return (
        date_time(item.start) if item.start else None,
        date_time(item.end) if item.end else None,
    )


def item_extras(graph: set[Triple], subject: URIRef, item: Item) -> None:
    """Record an item's heading within its day and whether its list of people is cut off."""
    if item.heading:
        graph.add((subject, CG.heading, Literal(item.heading, lang="en")))
    if item.people_incomplete:
        graph.add((subject, CG.peopleIncomplete, TRUE))


def day_extras(graph: set[Triple], subject: URIRef, day: Day) -> None:
    """Record whether a day's list of items is cut off."""
    if day.items_incomplete:
        graph.add((subject, CG.itemsIncomplete, TRUE))


def meeting_extras(graph: set[Triple], subject: URIRef, programme: Programme) -> None:
    """Record the meeting's place in its series and which of its lists are cut off."""
    meeting = programme.meeting
    if meeting.series_ordinal is not None:
        graph.add((subject, CG.seriesOrdinal, Literal(meeting.series_ordinal)))
    if meeting.series_ordinal_label:
        graph.add(
            (subject, CG.seriesOrdinalLabel, Literal(meeting.series_ordinal_label, lang="en"))
        )
    if programme.statements_incomplete:
        graph.add((subject, CG.statementsIncomplete, TRUE))
    if programme.inputs_incomplete:
        graph.add((subject, CG.inputsIncomplete, TRUE))


def venue_extras(graph: set[Triple], subject: URIRef, venue: Venue) -> None:
    """Record a venue's other names (a short name such as UNHQ)."""
    for name in venue.alt_names:
        graph.add((subject, SKOS.altLabel, Literal(name)))
