"""Warnings about a programme that is legal but suspicious: overlapping items, unused keys."""

from __future__ import annotations

from collections.abc import Iterator

from confgraph.errors import data_warning
from confgraph.model import Item, Programme

Lines = dict[tuple[str, str], int]


def programme_warnings(programme: Programme, lines: Lines) -> tuple[str, ...]:
    """Return every warning about one programme, each naming its file and line."""
    found = [*overlaps(programme), *unused(programme)]
    return tuple(data_warning(programme.source, lines.get(key), text) for key, text in found)


def overlaps(programme: Programme) -> Iterator[tuple[tuple[str, str], str]]:
    """Yield items that overlap an earlier item of the same parent held in the same place."""
    meeting = programme.meeting
    for day in meeting.days:
        yield from _overlaps_among(day.items, meeting.room)


def _overlaps_among(items: tuple[Item, ...], room: str) -> Iterator[tuple[tuple[str, str], str]]:
    timed = [item for item in items if item.start and item.end]
    for index, item in enumerate(timed):
        for earlier in timed[:index]:
            if _place(item, room) == _place(earlier, room) and _overlap(item, earlier):
                yield (
                    ("item", item.key),
                    (
                        f"item '{item.key}' ({_span(item)}) overlaps"
                        f" '{earlier.key}' ({_span(earlier)}) in the same place"
                        f" ({_place(item, room)}); check the times"
                    ),
                )
    for item in items:
        yield from _overlaps_among(item.items, item.room or room)


def _place(item: Item, room: str) -> str:
    return item.room or ("the venue" if item.kind == "break" else room)


def _overlap(one: Item, other: Item) -> bool:
    assert one.start and one.end and other.start and other.end
    return one.start < other.end and other.start < one.end


def _span(item: Item) -> str:
    return f"{item.start:%H:%M}-{item.end:%H:%M}"


def unused(programme: Programme) -> Iterator[tuple[tuple[str, str], str]]:
    """Yield people who hold no role and groups that list nothing."""
    holding = {p.person for day in programme.meeting.days for i in day.items for p in _people(i)}
    for key in programme.people:
        if key not in holding:
            yield ("person", key), f"person '{key}' is defined but holds no role in any item"
    listed = {entry.group for entry in (*programme.statements, *programme.inputs)}
    for key in programme.groups:
        if key not in listed:
            yield ("group", key), f"group '{key}' is defined but lists no statement or input"


def _people(item: Item) -> Iterator:
    yield from item.participants
    for child in item.items:
        yield from _people(child)
