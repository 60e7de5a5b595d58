"""Plain schema.org JSON-LD of a meeting and its items, for search engines and generic clients.

The linked-data block of a page keeps the dataset's own terms; this one says only what
schema.org says, under "@context": "https://schema.org", so that a consumer looking for
"@type": "Event" finds the events with their names, dates, places and people.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from confgraph.web.agenda import Item, Meeting, Speaker

Label = Callable[[Node], str]
Href = Callable[[Node], str | None]
CONTEXT = "https://schema.org"


def agenda_event(meeting: Meeting, label: Label, href: Href) -> dict[str, Any]:
    """Return the meeting as a schema.org Event whose subEvents are its programme items."""
    event = _event(meeting.iri, label, href, meeting.start, meeting.end)
    event["@context"] = CONTEXT
    _add_text(event, "alternateName", meeting.short_titles)
    _add_text(event, "description", meeting.descriptions)
    _add_place(event, meeting, meeting.place, label)
    _add_organizers(event, meeting.organizers, label)
    event["subEvent"] = [
        item_event(meeting, item, label, href) for _, _, items in meeting.days for item in items
    ]
    return event


def item_event(
    meeting: Meeting, item: Item, label: Label, href: Href, standalone: bool = False
) -> dict[str, Any]:
    """Return a programme item as a schema.org Event, its parts as subEvents."""
    event = _event(item.iri, label, href, item.start, item.end)
    if standalone:
        event = {"@context": CONTEXT, **event}
        event["superEvent"] = _event(meeting.iri, label, href, meeting.start, meeting.end)
    _add_text(event, "description", item.descriptions)
    _add_place(event, meeting, item.places[0] if item.places else meeting.place, label)
    performers = [s for _, speakers in item.roles for s in speakers]
    if performers:
        event["performer"] = [_person(s, label, href) for s in _unique(performers)]
    _add_organizers(event, item.organizers or meeting.organizers, label)
    if item.parts:
        event["subEvent"] = [item_event(meeting, part, label, href) for part in item.parts]
    return event


def find_item(meeting: Meeting, iri: Node) -> Item | None:
    """Return the meeting's item with this IRI, at any depth."""
    return next((item for item in meeting.items() if item.iri == iri), None)


def _event(iri: URIRef, label: Label, href: Href, start: Node | None, end: Node | None) -> dict:
    event: dict[str, Any] = {"@type": "Event", "@id": str(iri), "name": label(iri)}
    if (url := href(iri)) is not None:
        event["url"] = url
    for key, value in (("startDate", start), ("endDate", end)):
        if isinstance(value, Literal):
            event[key] = str(value)  # xsd:dateTime with the venue's UTC offset
    return event


def _add_text(event: dict[str, Any], key: str, texts: list[Literal]) -> None:
    if texts:
        event[key] = str(texts[0])


def _add_place(event: dict[str, Any], meeting: Meeting, place: Node | None, label: Label) -> None:
    """Give the event a Place: named by room and building, its address by city and country."""
    chain = meeting.chains.get(place, []) if place is not None else []
    if not chain:
        return
    named = [p for p in chain if p not in meeting.cities and p not in meeting.countries]
    address: dict[str, Any] = {"@type": "PostalAddress"}
    for p in chain:
        if p in meeting.cities:
            address.setdefault("addressLocality", label(p))
        elif p in meeting.countries:
            address.setdefault("addressCountry", label(p))
    names = [label(p) for p in named] or [label(chain[0])]
    location: dict[str, Any] = {"@type": "Place", "@id": str(chain[0]), "name": ", ".join(names)}
    if len(address) > 1:
        location["address"] = address
    else:
        location["address"] = ", ".join(label(p) for p in chain)
    event["location"] = location


def _person(speaker: Speaker, label: Label, href: Href) -> dict[str, Any]:
    person: dict[str, Any] = {
        "@type": "Person",
        "@id": str(speaker.person),
        "name": label(speaker.person),
    }
    if (url := href(speaker.person)) is not None:
        person["url"] = url
    if speaker.honorific:
        person["honorificPrefix"] = speaker.honorific
    if speaker.job_title:
        person["jobTitle"] = speaker.job_title
    if speaker.organisations:
        person["affiliation"] = [
            {"@type": "Organization", "@id": str(o), "name": label(o)}
            for o in speaker.organisations
        ]
    return person


def _add_organizers(event: dict[str, Any], organizers: list[Node], label: Label) -> None:
    if organizers:
        event["organizer"] = [
            {"@type": "Organization", "@id": str(o), "name": label(o)}
            for o in organizers
            if isinstance(o, URIRef)
        ]


def _unique(speakers: list[Speaker]) -> list[Speaker]:
    """Return one speaker per person (a person may hold two roles in one item)."""
    seen: dict[Node, Speaker] = {}
    for speaker in speakers:
        seen.setdefault(speaker.person, speaker)
    return list(seen.values())
