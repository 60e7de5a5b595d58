"""Optional parts of a programme file: times, meeting dates, series, headings and flags."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from confgraph.model import Day, Item
from confgraph.yamlmap import YamlMap

TIME_PATTERN = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")


def read_time(entry: YamlMap, key: str, date: dt.date, zone: dt.tzinfo) -> dt.datetime | None:
    """Return an optional local time HH:MM on a date, in the venue's zone."""
    value = entry.data.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 readers take 10:15 as the sexagesimal 615; this reader sees a number only
        # for a bare number such as 10 or 1015.
        raise entry.error(
            f"field '{key}' must be a local time \"HH:MM\" (quoted), not {value}", key
        )
    text = entry.get(key, str)
    if text is None:
        return None
    match = TIME_PATTERN.fullmatch(text)
    if not match:
        raise entry.error(f"field '{key}' must be a local time HH:MM, not {text!r}", key)
    return dt.datetime.combine(date, dt.time(int(match[1]), int(match[2])), tzinfo=zone)


def read_span(
    entry: YamlMap, key: str, date: dt.date, zone: dt.tzinfo
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Return an item's optional start and end; an end needs a start and must come after it."""
    start, end = read_time(entry, "start", date, zone), read_time(entry, "end", date, zone)
    if end and not start:
        raise entry.error(
            f"item '{key}' has an end but no start: give both times or neither", "end"
        )
    if start and end and end == start:
        raise entry.error(
            f"item '{key}' ends when it starts ({end:%H:%M}): the end must be after the start",
            "end",
        )
    if start and end and end < start:
        raise entry.error(
            f"item '{key}' ends ({end:%H:%M}) before it starts ({start:%H:%M})", "end"
        )
    return start, end


def check_within(entry: YamlMap, item: Item, parent: Item | None) -> None:
    """Fail when an item's times lie outside those of the item holding it (where both have)."""
    if parent is None or parent.start is None or item.start is None:
        return
    end = item.end or item.start
    outside = item.start < parent.start or (parent.end is not None and end > parent.end)
    if outside:
        span = f"{parent.start:%H:%M}-{parent.end:%H:%M}" if parent.end else f"{parent.start:%H:%M}"
        raise entry.error(f"item '{item.key}' lies outside '{parent.key}' ({span})", "start")


def read_flag(entry: YamlMap, key: str) -> bool:
    """Return an optional true/false field (false when absent)."""
    return bool(entry.get(key, bool))


@dataclass(frozen=True)
class Series:
    """The series a meeting belongs to, and its place in it."""

    name: str | None = None
    ordinal: int | None = None
    ordinal_label: str | None = None


def read_series(entry: YamlMap) -> Series:
    """Return `series`: a name, or a mapping of name, ordinal and ordinal_label."""
    if not isinstance(entry.data.get("series"), dict):
        return Series(entry.get("series", str))
    found = entry.require("series", YamlMap)
    ordinal = found.get("ordinal", int)
    if ordinal is not None and ordinal < 1:
        raise found.error(f"the series ordinal must be 1 or more, not {ordinal}", "ordinal")
    series = Series(found.require("name", str), ordinal, found.get("ordinal_label", str))
    found.done()
    return series


def read_dates(entry: YamlMap) -> tuple[dt.date | None, dt.date | None]:
    """Return the meeting's own start_date and end_date, when given; the end is not earlier."""
    start, end = entry.get("start_date", dt.date), entry.get("end_date", dt.date)
    if start and end and end < start:
        raise entry.error(f"end_date {end} is before start_date {start}", "end_date")
    return start, end


def check_days_within(
    entry: YamlMap, days: tuple[Day, ...], start: dt.date | None, end: dt.date | None
) -> None:
    """Fail when a listed day lies outside the meeting's own dates."""
    for day in days:
        if (start and day.date < start) or (end and day.date > end):
            field = "start_date" if start and day.date < start else "end_date"
            shown = f"{start or '...'} to {end or '...'}"
            raise entry.error(f"day {day.date} lies outside the meeting's dates ({shown})", field)


def read_heading(entry: YamlMap) -> str | None:
    """Return the heading of an entry of a day's items that is a heading, else None."""
    if "heading" not in entry.data:
        return None
    heading = entry.require("heading", str)
    entry.done()  # a heading entry holds nothing else
    return heading
