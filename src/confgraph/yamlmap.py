"""Read YAML with positions: every value knows its file and line for error messages."""

from __future__ import annotations

import datetime as dt
import os
import reprlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from confgraph.errors import DataError
from confgraph.yamltree import LineDict, LineList, TreeError, parse_tree, position

MAX_BYTES = 16 * 2**20
MAX_MESSAGE = 300


def brief(message: str) -> str:
    """Shorten a message that quotes a long value, keeping its start and its end."""
    if len(message) <= MAX_MESSAGE:
        return message
    return f"{message[: MAX_MESSAGE - 100]} [...] {message[-80:]}"


def display_path(path: Path) -> str:
    """Return a path relative to the working directory when it lies below it."""
    try:  # not resolved: a symbolic link is shown by its own name, and a loop is no error here
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def read_text(path: Path, shown: str) -> str:
    """Read a UTF-8 file of at most MAX_BYTES; a bad byte is reported with its line."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise DataError(shown, None, f"cannot read file: {exc.strerror or exc}") from exc
    if len(data) > MAX_BYTES:
        raise DataError(shown, None, f"file is larger than {MAX_BYTES // 2**20} MiB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8")
        line, column = position(before, len(before))
        byte = data[exc.start]
        raise DataError(
            shown, line, f"not valid UTF-8 (byte 0x{byte:02x} at column {column}); save it as UTF-8"
        ) from exc


def read_yaml(path: Path) -> YamlMap:
    """Parse a YAML file whose top level is a mapping; duplicate keys are errors."""
    shown = display_path(path)
    text = read_text(path, shown)
    try:
        data = parse_tree(text)
    except TreeError as exc:
        raise DataError(shown, exc.line, brief(exc.message)) from exc
    if not isinstance(data, LineDict):
        raise DataError(shown, 1, "the file must hold a mapping at its top level")
    return YamlMap(shown, data, 1)


class YamlMap:
    """A mapping read from YAML that hands out typed fields and rejects unknown ones."""

    def __init__(self, path: str, data: LineDict, line: int) -> None:
        self.path = path
        self.data = data
        self.line = line
        self._seen: set[str] = set()

    def error(self, message: str, key: str | None = None) -> DataError:
        """Return a DataError at this mapping, or at one of its keys."""
        return DataError(self.path, self.key_line(key) if key else self.line, brief(message))

    def key_line(self, key: str) -> int:
        """Return the 1-based line of a key of this mapping."""
        return self.data.key_lines.get(key, self.line)

    def field_names(self) -> list[str]:
        """Return the keys of this mapping in file order, marking them all as read."""
        for key in self.data:
            if not isinstance(key, str):
                line = self.data.key_lines[key]
                raise DataError(self.path, line, brief(f"key {key!r} must be text (quote it)"))
        self._seen.update(self.data)
        return list(self.data)

    def get(self, key: str, kind: type, required: bool = False) -> Any:
        """Return a field of the given type, or None when it is absent and optional."""
        self._seen.add(key)
        if key not in self.data or self.data[key] is None:
            if required:
                raise self.error(f"missing required field '{key}'")
            return None
        return self._check(key, self.data[key], kind)

    def require(self, key: str, kind: type) -> Any:
        """Return a required field of the given type."""
        return self.get(key, kind, required=True)

    def _check(self, key: str, value: Any, kind: type) -> Any:
        if kind is YamlMap:
            if not isinstance(value, LineDict):
                raise self.error(f"field '{key}' must be a mapping", key)
            return YamlMap(self.path, value, self.key_line(key))
        if kind is list:
            if not isinstance(value, LineList):
                raise self.error(f"field '{key}' must be a list", key)
            return YamlList(self.path, value, self.key_line(key))
        if kind is str and isinstance(value, str) and value.strip():
            return str(value).strip()
        if kind is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if kind is bool and isinstance(value, bool):
            return value
        if kind is dt.date and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        raise self.error(f"field '{key}' must be {_KIND_NAMES[kind]}, not {describe(value)}", key)

    def done(self) -> None:
        """Fail on the first key that no reader asked for (a typo or unknown field)."""
        for key in self.data:
            if str(key) not in self._seen:
                raise self.error(f"unknown field '{key}'", str(key))


class YamlList:
    """A sequence read from YAML whose items know their lines."""

    def __init__(self, path: str, data: LineList, line: int) -> None:
        self.path = path
        self.data = data
        self.line = line

    def item_line(self, index: int) -> int:
        """Return the 1-based line of an item."""
        return self.data.item_lines[index]

    def __len__(self) -> int:
        return len(self.data)

    def maps(self) -> Iterator[YamlMap]:
        """Yield every item as a mapping; any other item is an error."""
        for index, value in enumerate(self.data):
            if not isinstance(value, LineDict):
                raise DataError(self.path, self.item_line(index), "list item must be a mapping")
            yield YamlMap(self.path, value, self.item_line(index))

    def strings(self) -> list[tuple[str, int]]:
        """Return every item as a non-empty string with its line."""
        result = []
        for index, value in enumerate(self.data):
            if not isinstance(value, str) or not value.strip():
                line = self.item_line(index)
                raise DataError(self.path, line, f"expected text, not {describe(value)}")
            result.append((value.strip(), self.item_line(index)))
        return result


def describe(value: Any) -> str:
    """Name a value that has the wrong type, briefly (a mapping or list is not printed)."""
    if isinstance(value, LineDict):
        return "a mapping"
    if isinstance(value, LineList):
        return "a list"
    return reprlib.repr(value)


_KIND_NAMES = {
    str: "text",
    int: "a whole number",
    bool: "true or false",
    dt.date: "a date (YYYY-MM-DD)",
}
