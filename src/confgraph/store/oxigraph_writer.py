"""Serialize Oxigraph's results with its own writers, bounded by the row limit."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pyoxigraph as ox

from confgraph.errors import NotAcceptable
from confgraph.store.base import too_large
from confgraph.store.policy import QueryShape, star_order

RESULT_WRITERS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_WRITERS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
POSITION = re.compile(r"^error at (\d+):(\d+): ")


class RowLimitReached(OSError):
    """Raised by LineCounter to stop a writer once the result has too many lines."""


class LineCounter:
    """A binary sink that keeps what it is given, up to a number of lines."""

    def __init__(self, max_lines: int | None) -> None:
        self.max_lines, self.lines, self.over = max_lines, 0, False
        self._chunks: list[bytes] = []

    def write(self, data: Any) -> int:
        """Keep a chunk; past max_lines, drop it and stop the writer."""
        chunk = bytes(data)
        self.lines += chunk.count(b"\n")
        if self.max_lines is not None and self.lines > self.max_lines:
            self.over = True
            raise RowLimitReached("row limit")
        self._chunks.append(chunk)
        return len(chunk)

    def flush(self) -> None:
        """Nothing to flush: chunks are kept in memory."""

    def getvalue(self) -> bytes:
        """Return everything written."""
        return b"".join(self._chunks)


class Serializer:
    """Turn a raw Oxigraph result into bytes of one media type (an _execute consumer)."""

    def __init__(
        self, media_type: str, row_limit: int | None, shape: QueryShape, prefixes: dict[str, str]
    ) -> None:
        self.media_type, self.row_limit = media_type, row_limit
        self.shape, self.prefixes = shape, prefixes

    def __call__(self, raw: Any, row_limit: int | None) -> bytes | Exception:
        """Serialize raw; a result past the row limit comes back as the error to raise."""
        if isinstance(raw, ox.QueryTriples):
            return self._graph(raw)
        fmt = RESULT_WRITERS.get(self.media_type)
        if fmt is None:
            return NotAcceptable(f"a {self.shape.form or 'SELECT'} result is not {self.media_type}")
        if isinstance(raw, ox.QueryBoolean):
            return raw.serialize(format=fmt)
        return self._solutions(raw, fmt)

    def _solutions(self, raw: Any, fmt: Any) -> bytes | Exception:
        # TSV writes one line per solution (tabs and newlines in terms are escaped), so
        # counting lines counts rows; the other formats are converted from it.
        counter = LineCounter(None if self.row_limit is None else self.row_limit + 1)
        try:
            raw.serialize(counter, format=ox.QueryResultsFormat.TSV)
        except OSError:
            if not counter.over:
                raise
        if counter.over and self.row_limit is not None:
            return too_large(self.row_limit, "rows")
        tsv = counter.getvalue()
        if self.shape.star:
            tsv = reorder_tsv(tsv, self.shape)
        if fmt == ox.QueryResultsFormat.TSV:
            return tsv
        return ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV).serialize(format=fmt)

    def _graph(self, raw: Any) -> bytes | Exception:
        fmt = GRAPH_WRITERS.get(self.media_type)
        if fmt is None:
            return NotAcceptable(f"a {self.shape.form or 'graph'} result is not {self.media_type}")
        stop = None if self.row_limit is None else self.row_limit + 1
        triples = list(itertools.islice(raw, stop))
        if self.row_limit is not None and len(triples) > self.row_limit:
            return too_large(self.row_limit, "triples")
        # A graph is a set: CONSTRUCT may yield a triple more than once.
        return ox.serialize(dict.fromkeys(triples), format=fmt, prefixes=self.prefixes)


def reorder_tsv(tsv: bytes, shape: QueryShape) -> bytes:
    """Put the columns of a SELECT * in the order their variables occur in the query."""
    lines = tsv.split(b"\n")
    variables = tuple(v.decode()[1:] for v in lines[0].split(b"\t") if v)
    columns = star_order(variables, shape)
    if columns == sorted(columns):
        return tsv
    out = [b"\t".join(cells[i] for i in columns) for cells in (x.split(b"\t") for x in lines[:-1])]
    return b"\n".join(out) + b"\n"


def syntax_message(error: SyntaxError) -> str:
    """Return Oxigraph's syntax error as one line with its line and column spelled out."""
    text = str(error)
    found = POSITION.match(text)
    if found is None:
        return f"SPARQL syntax error: {text}"
    line, column = found.groups()
    return f"SPARQL syntax error at line {line}, column {column}: {text[found.end() :]}"
