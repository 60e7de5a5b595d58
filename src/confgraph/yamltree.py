"""Turn YAML text into dicts, lists and scalars that know their lines, within fixed limits.

libyaml's C parser (PyYAML's `CParser`) reads the text into events, each with its position;
the tree is built here from those events, without recursion, so that nesting depth, aliases,
tags and integer sizes are checked where they occur and reported with their line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from yaml import MarkedYAMLError, YAMLError, events, nodes
from yaml.constructor import SafeConstructor

try:
    from yaml._yaml import CParser
except ImportError:  # a PyYAML built without libyaml: the same events, about 30 times slower
    from yaml import SafeLoader as CParser

MAX_DEPTH = 64
MAX_INT_DIGITS = 18
CORE = "tag:yaml.org,2002:"
BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# Characters YAML 1.2 does not allow in a stream, even through an escape ("\0", "\e").
FORBIDDEN = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# YAML 1.2 core schema types, plus dates and times (as ruamel.yaml, used before, read them).
IMPLICIT = {
    "null": r"~|null|Null|NULL|",
    "bool": r"true|True|TRUE|false|False|FALSE",
    "int": r"[-+]?(?:0b[01][01_]*|0o[0-7][0-7_]*|0x[0-9a-fA-F][0-9a-fA-F_]*|[0-9][0-9_]*)",
    "float": r"[-+]?(?:[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[0-9][0-9_]*[eE][-+]?[0-9]+"
    r"|\.[0-9_]+(?:[eE][-+]?[0-9]+)?|\.(?:inf|Inf|INF))|\.(?:nan|NaN|NAN)",
    "timestamp": r"[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)"
    r"[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?",
}
PATTERNS = {kind: re.compile(pattern) for kind, pattern in IMPLICIT.items()}
RESOLVER = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in IMPLICIT.items()))
# Only a plain scalar that starts with one of these (or is empty) can be other than text.
NOT_TEXT_STARTS = frozenset("~nNtTfF-+.0123456789")
CONTAINER_TAGS = {events.MappingStartEvent: CORE + "map", events.SequenceStartEvent: CORE + "seq"}


class TreeError(Exception):
    """The text is not a YAML document this loader accepts; carries the 1-based line."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class LineDict(dict):
    """A mapping read from YAML, with the line of each key."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[Any, int] = {}


class LineList(list):
    """A sequence read from YAML, with the line of each item."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


def parse_tree(text: str) -> Any:
    """Return the single document of a YAML text as LineDicts, LineLists and scalars."""
    check_characters(text)
    builder = TreeBuilder()
    next_event = CParser(text).get_event
    handlers = builder.handlers()
    try:
        while (event := next_event()) is not None:
            handler = handlers.get(type(event))
            if handler:
                handler(event)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise TreeError(mark.line + 1 if mark else None, f"malformed YAML: {exc.problem}") from exc
    except YAMLError as exc:
        raise TreeError(None, f"malformed YAML: {exc}") from exc
    return builder.root


def check_characters(text: str) -> None:
    """Fail at the first character that YAML does not allow, naming its line and column."""
    found = FORBIDDEN.search(text)
    if found:
        line, column = position(text, found.start())
        raise TreeError(line, f"{describe_character(found[0])} at column {column} is not allowed")


def position(text: str, index: int) -> tuple[int, int]:
    """Return the 1-based line and column of an index, counting line breaks as YAML does."""
    breaks = list(BREAKS.finditer(text, 0, index))
    start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, index - start + 1


def describe_character(char: str) -> str:
    """Name a character by its code point, and as a control character when it is one."""
    kind = "control character" if ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 else "character"
    return f"{kind} U+{ord(char):04X}"


class TreeBuilder:
    """Assemble a tree from parser events, one open container per level of nesting."""

    def __init__(self) -> None:
        self.stack: list[LineDict | LineList] = []
        self.keys: list[tuple[Any, int] | None] = []
        self.root: Any = None
        self.documents = 0

    def handlers(self) -> dict[type, Callable[[Any], None]]:
        """Return the method that takes each type of event (not kept: it would be a cycle)."""
        return {
            events.ScalarEvent: self.scalar,
            events.MappingStartEvent: self.open,
            events.SequenceStartEvent: self.open,
            events.MappingEndEvent: self.close,
            events.SequenceEndEvent: self.close,
            events.AliasEvent: self.alias,
            events.DocumentStartEvent: self.document,
        }

    def scalar(self, event: events.ScalarEvent) -> None:
        """Take a scalar: resolve its value and place it."""
        line = event.start_mark.line + 1
        if event.anchor:
            self.alias(event)
        self.add(scalar_value(event, line), line)

    def alias(self, event: events.NodeEvent) -> None:
        """Refuse anchors and aliases (an alias bomb expands a few lines into billions)."""
        line = event.start_mark.line + 1
        raise TreeError(line, "anchors (&name) and aliases (*name) are not allowed")

    def document(self, event: events.DocumentStartEvent) -> None:
        """Count documents: a file holds one."""
        self.documents += 1
        if self.documents > 1:
            line = event.start_mark.line + 1
            raise TreeError(line, "a file holds one YAML document, not several")

    def open(self, event: events.CollectionStartEvent) -> None:
        """Start a mapping or a sequence inside the one being read."""
        line = event.start_mark.line + 1
        if event.anchor:
            self.alias(event)
        if event.tag not in (None, "!", CONTAINER_TAGS[type(event)]):
            raise TreeError(line, f"tag {event.tag} is not supported here")
        if len(self.stack) >= MAX_DEPTH:
            raise TreeError(line, f"nesting deeper than {MAX_DEPTH} levels")
        mapping = isinstance(event, events.MappingStartEvent)
        container = LineDict(line) if mapping else LineList(line)
        self.add(container, line)
        self.stack.append(container)
        self.keys.append(None)

    def close(self, event: events.CollectionEndEvent) -> None:
        """End the innermost mapping or sequence."""
        self.stack.pop()
        self.keys.pop()

    def add(self, value: Any, line: int) -> None:
        """Place a value as the root, a sequence's item, or a mapping's key or value."""
        if not self.stack:
            self.root = value
            return
        container = self.stack[-1]
        if type(container) is LineList:
            container.append(value)
            container.item_lines.append(line)
            return
        pending = self.keys[-1]
        if pending is None:
            self.keys[-1] = (check_key(container, value, line), line)
            return
        key, key_line = pending
        container[key] = value
        container.key_lines[key] = key_line
        self.keys[-1] = None


def check_key(container: LineDict, key: Any, line: int) -> Any:
    """Return a mapping key that can be looked up and is not there yet."""
    if isinstance(key, LineDict | LineList):
        raise TreeError(line, "a key must be text, not a mapping or a list")
    if key in container:
        first = container.key_lines[key]
        raise TreeError(line, f"duplicate key {key!r}: on line {first} and here (line {line})")
    return key


def scalar_value(event: events.ScalarEvent, line: int) -> Any:
    """Return the Python value of a scalar, resolving plain ones by YAML 1.2's core schema."""
    text = event.value
    if event.tag is None and not event.style:
        if text and text[0] not in NOT_TEXT_STARTS:
            return text
        return resolve_plain(text, line)
    if event.style == '"':
        found = FORBIDDEN.search(text)
        if found:
            raise TreeError(line, f"{describe_character(found[0])} (an escape) is not allowed")
    if event.tag in (None, "!"):
        return event.value
    if not event.tag.startswith(CORE) or event.tag[len(CORE) :] not in (*IMPLICIT, "str"):
        raise TreeError(line, f"tag {event.tag} is not supported")
    kind = event.tag[len(CORE) :]
    if kind != "str" and not PATTERNS[kind].fullmatch(event.value):
        raise TreeError(line, f"{event.value!r} is not a valid {kind}")
    return construct(kind, event.value, line)


def resolve_plain(text: str, line: int) -> Any:
    """Return the value of an untagged plain scalar: null, bool, number, date or text."""
    if text and text[0] not in NOT_TEXT_STARTS:
        return text
    match = RESOLVER.fullmatch(text)
    return construct(match.lastgroup, text, line) if match and match.lastgroup else text


def construct(kind: str, text: str, line: int) -> Any:
    """Return the value of a scalar of a known core type, within this loader's bounds."""
    if kind == "str":
        return text
    if kind == "null":
        return None
    if kind == "bool":
        return text.lower() == "true"
    if kind == "int":
        return construct_int(text, line)
    if kind == "float":
        return float(text.replace("_", "").lower().replace(".inf", "inf").replace(".nan", "nan"))
    return construct_timestamp(text, line)


def construct_int(text: str, line: int) -> int:
    """Return a whole number of at most MAX_INT_DIGITS digits."""
    digits = text.lstrip("+-").replace("_", "")
    if len(digits) > MAX_INT_DIGITS:
        raise TreeError(line, f"a whole number of more than {MAX_INT_DIGITS} digits")
    bases = {"0b": 2, "0o": 8, "0x": 16}
    base = bases.get(digits[:2].lower(), 10)
    sign = -1 if text.startswith("-") else 1
    try:
        return sign * int(digits[2:] if base != 10 else digits, base)
    except ValueError as exc:
        raise TreeError(line, f"{text!r} is not a whole number") from exc


def construct_timestamp(text: str, line: int) -> dt.date | dt.datetime:
    """Return a date or a date and time; an impossible one (2017-02-30) is an error."""
    node = nodes.ScalarNode(CORE + "timestamp", text)
    try:
        return SafeConstructor().construct_yaml_timestamp(node)
    except ValueError as exc:
        raise TreeError(line, f"{text!r} is not a valid date or time ({exc})") from exc
