"""Read YAML with positions: every value knows its file and line for error messages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from confgraph.errors import DataError


def display_path(path: Path) -> str:
    """Return a path relative to the working directory when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_yaml(path: Path) -> YamlMap:
    """Parse a YAML file whose top level is a mapping; duplicate keys are errors."""
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(shown, None, f"cannot read file: {exc}") from exc
    try:
        data = YAML(typ="rt").load(text)
    except DuplicateKeyError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise DataError(shown, line, f"duplicate key: {exc.problem.strip()}") from exc
    except MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise DataError(shown, line, f"malformed YAML: {exc.problem}") from exc
    except YAMLError as exc:
        raise DataError(shown, None, f"malformed YAML: {exc}") from exc
    if not isinstance(data, CommentedMap):
        raise DataError(shown, 1, "the file must hold a mapping at its top level")
    return YamlMap(shown, data, 1)


class YamlMap:
    """A mapping read from YAML that hands out typed fields and rejects unknown ones."""

    def __init__(self, path: str, data: CommentedMap, line: int) -> None:
        self.path = path
        self.data = data
        self.line = line
        self._seen: set[str] = set()

    def error(self, message: str, key: str | None = None) -> DataError:
        """Return a DataError at this mapping, or at one of its keys."""
        return DataError(self.path, self.key_line(key) if key else self.line, message)

    def key_line(self, key: str) -> int:
        """Return the 1-based line of a key of this mapping."""
        position = self.data.lc.key(key) if key in self.data else None
        return position[0] + 1 if position else self.line

    def field_names(self) -> list[str]:
        """Return the keys of this mapping in file order, marking them all as read."""
        for key in self.data:
            if not isinstance(key, str):
                line = self.data.lc.key(key)[0] + 1
                raise DataError(self.path, line, f"key {key!r} must be text (quote it)")
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
            if not isinstance(value, CommentedMap):
                raise self.error(f"field '{key}' must be a mapping", key)
            return YamlMap(self.path, value, self.key_line(key))
        if kind is list:
            if not isinstance(value, CommentedSeq):
                raise self.error(f"field '{key}' must be a list", key)
            return YamlList(self.path, value, self.key_line(key))
        if kind is str and isinstance(value, str) and value.strip():
            return str(value).strip()
        if kind is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if kind is dt.date and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        raise self.error(f"field '{key}' must be {_KIND_NAMES[kind]}, not {value!r}", key)

    def done(self) -> None:
        """Fail on the first key that no reader asked for (a typo or unknown field)."""
        for key in self.data:
            if str(key) not in self._seen:
                raise self.error(f"unknown field '{key}'", str(key))


class YamlList:
    """A sequence read from YAML whose items know their lines."""

    def __init__(self, path: str, data: CommentedSeq, line: int) -> None:
        self.path = path
        self.data = data
        self.line = line

    def item_line(self, index: int) -> int:
        """Return the 1-based line of an item."""
        return self.data.lc.item(index)[0] + 1

    def __len__(self) -> int:
        return len(self.data)

    def maps(self) -> Iterator[YamlMap]:
        """Yield every item as a mapping; any other item is an error."""
        for index, value in enumerate(self.data):
            if not isinstance(value, CommentedMap):
                raise DataError(self.path, self.item_line(index), "list item must be a mapping")
            yield YamlMap(self.path, value, self.item_line(index))

    def strings(self) -> list[tuple[str, int]]:
        """Return every item as a non-empty string with its line."""
        result = []
        for index, value in enumerate(self.data):
            if not isinstance(value, str) or not value.strip():
                raise DataError(self.path, self.item_line(index), f"expected text, not {value!r}")
            result.append((value.strip(), self.item_line(index)))
        return result


_KIND_NAMES = {str: "text", int: "a whole number", dt.date: "a date (YYYY-MM-DD)"}
