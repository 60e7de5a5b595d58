"""Read a CSV table whose header must name some columns; every error names the file and line."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from confgraph.errors import DataError
from confgraph.yamlmap import display_path

T = TypeVar("T")
Rows = Callable[[csv.DictReader, str], T]


def read_table(path: Path, columns: Sequence[str], read: Rows[T]) -> T:
    """Open a table, check that its header has the columns, and return what read makes of it.

    read gets the rows and the file's name as shown in messages; the reader's line_num is
    the line of the row being read.
    """
    shown = display_path(path)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise DataError(shown, 1, f"missing column(s): {', '.join(missing)}")
            return read(reader, shown)
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(shown, None, f"cannot read file: {exc}") from exc
    except csv.Error as exc:
        raise DataError(shown, None, f"malformed CSV: {exc}") from exc
