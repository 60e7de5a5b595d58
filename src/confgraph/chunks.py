"""Dumps written chunk by chunk: a build from the published release copies the chunks that
did not change from its files instead of writing them again.

A dump is a head, then its chunks' bodies joined by a separator, then a tail. The chunks
of the dumps of the merge (Turtle, N-Triples, JSON-LD) are runs of its sorted lines cut
before a subject whose CRC-32 is a multiple of CHUNK_EVERY: the cuts depend on the lines
alone, so a change moves only the cuts around it. The chunks of the dumps of the graphs
(N-Quads, TriG) are the graphs. A body is a function of its chunk's lines, so copying it
gives the bytes writing it gives: a build from the published release writes the same files
as one from scratch. Each release keeps, beside its dumps, where each chunk's body lies
(`.chunks/`), with its digest; a body whose bytes do not match is written again.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import BinaryIO

CHUNK_EVERY = 1024  # one subject in so many starts a chunk: some 8,000 lines a chunk
CHUNKS_DIR = ".chunks"
# A chunk's body depends on the serializers: one written by another version is not reused.
WRITERS = f"chunks/1 pyoxigraph/{version('pyoxigraph')}"

Body = Callable[[bytes], bytes]


@dataclass(frozen=True)
class Layout:
    """How a dump is made of its chunks' bodies."""

    head: bytes
    separator: bytes
    tail: bytes
    body: Body  # a chunk's lines to its bytes in the dump


@dataclass(frozen=True)
class Placed:
    """Where a chunk's body lies in a dump: its chunk's key, offset, length and digest."""

    key: str
    offset: int
    length: int
    digest: str


Span = tuple[int, int]  # where a chunk's lines start and end


def subject_chunks(lines: bytes) -> list[Span]:
    """Cut sorted N-Triples lines before each subject whose CRC-32 is a multiple of
    CHUNK_EVERY (never inside a subject's lines)."""
    chunks: list[Span] = []
    start, previous = 0, b""
    position = 0
    for line in lines.splitlines(keepends=True):
        subject = line[: line.find(b" ")]
        if subject != previous:
            if position > start and zlib.crc32(subject) % CHUNK_EVERY == 0:
                chunks.append((start, position))
                start = position
            previous = subject
        position += len(line)
    chunks.append((start, position))  # the last (and, without lines, the only) chunk
    return chunks


def write_chunked(
    path: Path, layout: Layout, lines: bytes, chunks: Sequence[Span], previous: Path | None = None
) -> list[Placed]:
    """Write a dump of these chunks of the lines, copying from the previous release's dump
    of the same name the bodies of the chunks it holds; return where each body lies."""
    old = _placed(previous, path.name) if previous is not None else {}
    placed: list[Placed] = []
    with path.open("wb") as out, _source(previous, path.name, old) as source:
        out.write(layout.head)
        for number, (start, end) in enumerate(chunks):
            chunk = lines[start:end]  # one chunk's copy at a time
            if number:
                out.write(layout.separator)
            key = hashlib.sha256(chunk).hexdigest()
            body = _copied(source, old.get(key)) if source else None
            body = layout.body(chunk) if body is None else body
            placed.append(Placed(key, out.tell(), len(body), _digest(body)))
            out.write(body)
        out.write(layout.tail)
    return placed


def write_index(directory: Path, name: str, placed: list[Placed]) -> None:
    """Record where the chunks' bodies of a dump lie, for the next build."""
    (directory / CHUNKS_DIR).mkdir(exist_ok=True)
    entries = [[p.key, p.offset, p.length, p.digest] for p in placed]
    text = json.dumps({"writers": WRITERS, "chunks": entries}, separators=(",", ":"))
    (directory / CHUNKS_DIR / f"{name}.json").write_text(text, "utf-8")


def _placed(release: Path, name: str) -> dict[str, Placed]:
    """Return the chunks' bodies a release's dump holds, by key (none if unreadable)."""
    try:
        index = json.loads((release / CHUNKS_DIR / f"{name}.json").read_text("utf-8"))
        if index.get("writers") != WRITERS:
            return {}
        return {entry[0]: Placed(*entry) for entry in index["chunks"]}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}


@contextmanager
def _source(release: Path | None, name: str, old: dict[str, Placed]) -> Iterator[BinaryIO | None]:
    """Open the previous release's dump for copying (None when there is nothing to copy)."""
    path = release / name if release is not None and old else None
    if path is None or not path.is_file():
        yield None
        return
    with path.open("rb") as handle:
        yield handle


def _copied(source: BinaryIO, place: Placed | None) -> bytes | None:
    """Return a body read from the previous dump, if it is there and its digest matches."""
    if place is None:
        return None
    source.seek(place.offset)
    body = source.read(place.length)
    return body if _digest(body) == place.digest else None


def _digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()
