"""The release's full-text index: SQLite FTS5 (Python's standard library), written once per
build and opened read-only (immutable) by the server.

One row per resource: its names (title), what the programme says of it in short (job
titles, listed-as text, acronyms, codes: detail) and its descriptions. Ranked by BM25 with
names weighing most; snippets come from FTS5 itself.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from confgraph.errors import ReleaseError, RequestError

SEARCH_FILE = "search.sqlite"
SEARCH_MEDIA_TYPE = "application/vnd.sqlite3"
FORMAT_VERSION = "1"
SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE VIRTUAL TABLE documents USING fts5(title, detail, description, iri UNINDEXED,"
    " kind UNINDEXED, name UNINDEXED, context UNINDEXED, boost UNINDEXED,"
    " tokenize = 'unicode61 remove_diacritics 2')",
)
COLUMNS = ("title", "detail", "description", "iri", "kind", "name", "context", "boost")
WEIGHTS = "10.0, 4.0, 1.0"  # title, detail, description (the unindexed columns count 0)
# BM25 ranks short fields first: "Statement by Brazil" would come before Brazil itself,
# so the resources that statements, inputs and roles are about weigh more (Document.boost).
# Snippet markers: private-use characters, which no programme text holds, turned into
# <mark> after the text is escaped.
MARK_START, MARK_END, ELLIPSIS = "\ue000", "\ue001", "\u2026"
# Outside double quotes, what FTS5 reads as syntax; any other punctuation separates words
# (as the tokenizer does), so that "Côte d'Ivoire" or "U.S." need no quoting.
SYNTAX = re.compile(r'"[^"]*"?|[^\w\s"*():^+]', re.UNICODE)


@dataclass(frozen=True)
class Document:
    """One resource as the index holds it."""

    iri: str
    kind: str
    name: str
    title: str
    detail: str
    description: str
    context: str
    boost: float = 1.0  # what the rank is multiplied by: the things people look for first


@dataclass(frozen=True)
class Hit:
    """One search result: the resource, its kind, name, context and a snippet."""

    iri: str
    kind: str
    name: str
    context: str
    snippet: str
    rank: float


@dataclass(frozen=True)
class Hits:
    """One page of the results of a query, with their total and the count of each kind."""

    total: int
    hits: list[Hit]
    kinds: list[tuple[str, int]]


def write_search_index(documents: Iterable[Document], path: Path) -> None:
    """Write the index; the same documents in the same order give the same bytes."""
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        for statement in SCHEMA:
            connection.execute(statement)
        connection.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT_VERSION,))
        connection.executemany(
            "INSERT INTO documents (title, detail, description, iri, kind, name, context, boost)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (d.title, d.detail, d.description, d.iri, d.kind, d.name, d.context, d.boost)
                for d in documents
            ),
        )
        connection.execute("INSERT INTO documents (documents) VALUES ('optimize')")
        connection.commit()
        connection.execute("VACUUM")
    finally:
        connection.close()


def read_documents(path: Path) -> Iterator[Document]:
    """Yield the documents of an index, in the order they were written."""
    connection = open_read_only(path)
    try:
        columns = ", ".join(COLUMNS)
        for row in connection.execute(f"SELECT {columns} FROM documents ORDER BY rowid"):
            title, detail, description, iri, kind, name, context, boost = row
            yield Document(iri, kind, name, title, detail, description, context, boost)
    finally:
        connection.close()


def open_read_only(path: Path) -> sqlite3.Connection:
    """Open an index read-only and immutable (no locks, no journal: the release never changes)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)


def check_search_index(path: Path) -> None:
    """Raise ReleaseError unless path is a search index of this format."""
    try:
        connection = open_read_only(path)
        try:
            found = connection.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
            columns = [row[1] for row in connection.execute("PRAGMA table_info(documents)")]
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise ReleaseError(f"{path}: not a search index ({error})") from None
    if found is None or found[0] != FORMAT_VERSION or columns != list(COLUMNS):
        raise ReleaseError(
            f"{path}: not a search index of format {FORMAT_VERSION} (columns {columns});"
            " rebuild the release"
        )


def fts_query(text: str) -> str:
    """Turn what a person typed into an FTS5 query: quoted phrases and operators kept,
    other punctuation read as a space (as the tokenizer reads it)."""

    def keep(match: re.Match[str]) -> str:
        token = match.group(0)
        return token if token.startswith('"') else " "

    return SYNTAX.sub(keep, text).strip()


class SearchIndex:
    """A release's search index, opened read-only once per query (cheap, and thread-safe)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def search(self, text: str, limit: int, offset: int, kind: str | None = None) -> Hits:
        """Return one page of the resources matching text, best first.

        A query FTS5 cannot read raises RequestError with FTS5's own message.
        """
        query = fts_query(text)
        if not query:
            return Hits(0, [], [])
        where = "documents MATCH ?" + (" AND kind = ?" if kind else "")
        arguments: tuple[str, ...] = (query, kind) if kind else (query,)
        connection = open_read_only(self.path)
        try:
            kinds = connection.execute(
                "SELECT kind, count(*) FROM documents WHERE documents MATCH ?"
                " GROUP BY kind ORDER BY count(*) DESC, kind",
                (query,),
            ).fetchall()
            rows = connection.execute(
                f"SELECT iri, kind, name, context, snippet(documents, -1, ?, ?, ?, 16),"
                f" bm25(documents, {WEIGHTS}) * boost AS rank FROM documents WHERE {where}"
                " ORDER BY rank, iri LIMIT ? OFFSET ?",
                (MARK_START, MARK_END, ELLIPSIS, *arguments, limit, offset),
            ).fetchall()
        except sqlite3.OperationalError as error:
            raise RequestError(_explain(text, error)) from None
        finally:
            connection.close()
        total = sum(n for k, n in kinds if not kind or k == kind)
        return Hits(total, [Hit(*row) for row in rows], kinds)


def _explain(text: str, error: sqlite3.OperationalError) -> str:
    reason = str(error).removeprefix("fts5: ")
    return (
        f"the search {text!r} is not a query the index can read ({reason}); use words, "
        '"quoted phrases", a trailing * for a prefix, and AND, OR, NOT, NEAR(...) between them'
    )
