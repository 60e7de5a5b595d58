"""Dumps written chunk by chunk: a build from the published release copies the chunks that
did not change from its files instead of writing them again.

A dump is a head, then its chunks' bodies joined by a separator, then a tail. The chunks
of the dumps of the merge (Turtle, N-Triples, JSON-LD) are runs of its sorted lines cut
before a subject whose CRC-32 is a multiple of CHUNK_EVERY: the cuts depend on the lines
alone, so a change moves only the cuts around it. The chunks of the dumps of the graphs
(N-Quads, TriG) are the graphs. A chunk's key is the SHA-256 of its lines and its body a
function of them, so copying a body gives the bytes writing it gives: a build from the
published release writes the same files as one from scratch. Each release keeps, beside
its dumps, where each body lies and the SHA-256 of the whole file (`.chunks/`); a dump
that no longer has that digest is not copied from.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from itertools import pairwise
from pathlib import Path
from typing import BinaryIO

CHUNK_EVERY = 1024  # one subject in so many starts a chunk: some 8,000 lines a chunk
CHUNKS_DIR = ".chunks"
# A chunk's body depends on the serializers: one written by another version is not reused.
WRITERS = f"chunks/2 pyoxigraph/{version('pyoxigraph')}"

Body = Callable[[bytes], bytes]
Chunk = tuple[str, int, int]  # its key, where its lines start and end
Placed = tuple[int, int]  # where its body starts in the dump, and its length


@dataclass(frozen=True)
class Layout:
    """How a dump is made of its chunks' bodies."""

    head: bytes
    separator: bytes
    tail: bytes
    body: Body  # a chunk's lines to its bytes in the dump


def subject_chunks(lines: bytes) -> list[Chunk]:
    """Cut sorted N-Triples lines before each subject whose CRC-32 is a multiple of
    CHUNK_EVERY (never inside a subject's lines)."""
    cuts, previous, position = [0], b"", 0
    for line in lines.splitlines(keepends=True):
        subject = line[: line.find(b" ")]
        if subject != previous:
            if position and zlib.crc32(subject) % CHUNK_EVERY == 0:
                cuts.append(position)
            previous = subject
        position += len(line)
    cuts.append(position)  # the last chunk ends with the lines (without lines, is empty)
    return [keyed(lines, start, end) for start, end in pairwise(cuts)]


def keyed(lines: bytes, start: int, end: int) -> Chunk:
    """Return the chunk of lines[start:end] with its key."""
    return hashlib.sha256(memoryview(lines)[start:end]).hexdigest(), start, end


def write_chunked(
    path: Path, layout: Layout, lines: bytes, chunks: Sequence[Chunk], previous: Path | None = None
) -> dict[str, Placed]:
    """Write a dump of these chunks of the lines, copying from the previous release's dump
    of the same name the bodies of the chunks it holds; return where each body lies."""
    old = _placed(previous, path.name) if previous is not None else {}
    placed: dict[str, Placed] = {}
    with path.open("wb") as out, _source(previous, path.name, old) as source:
        out.write(layout.head)
        for number, (key, start, end) in enumerate(chunks):
            if number:
                out.write(layout.separator)
            body = _copied(source, old[key]) if source and key in old else None
            body = layout.body(lines[start:end]) if body is None else body
            placed[key] = (out.tell(), len(body))
            out.write(body)
        out.write(layout.tail)
    return placed


def write_index(directory: Path, name: str, placed: dict[str, Placed], digest: str) -> None:
    """Record where the chunks' bodies of a dump lie, and its digest, for the next build."""
    (directory / CHUNKS_DIR).mkdir(exist_ok=True)
    index = {"writers": WRITERS, "sha256": digest, "chunks": placed}
    text = json.dumps(index, separators=(",", ":"))
    (directory / CHUNKS_DIR / f"{name}.json").write_text(text, "utf-8")


def _placed(release: Path, name: str) -> dict[str, Placed]:
    """Return where the bodies of a release's dump lie, by key: none when it was written by
    other writers, or is no longer what was written."""
    places, digest = _index(release, name)
    try:
        return places if places and _file_digest(release / name) == digest else {}
    except OSError:
        return {}


def read_bodies(release: Path, name: str, keys: Iterable[str]) -> dict[str, bytes]:
    """Return the bodies of some chunks of a release's dump, by key, as its index places
    them (those it does not hold are left out); the caller checks what it reads."""
    places, _ = _index(release, name)
    wanted = [key for key in keys if key in places]
    try:
        with (release / name).open("rb") as dump:
            return {key: _copied(dump, places[key]) for key in wanted}
    except OSError:
        return {}


def _index(release: Path, name: str) -> tuple[dict[str, Placed], str]:
    """Return where a release's index places the bodies of a dump, and the digest it
    records of the file (none, '' when there is no index of these writers)."""
    try:
        index = json.loads((release / CHUNKS_DIR / f"{name}.json").read_text("utf-8"))
        if index["writers"] != WRITERS:
            return {}, ""
        chunks = index["chunks"].items()
        return {key: (int(start), int(length)) for key, (start, length) in chunks}, index["sha256"]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}, ""


@contextmanager
def _source(release: Path | None, name: str, old: dict[str, Placed]) -> Iterator[BinaryIO | None]:
    """Open the previous release's dump for copying (None when there is nothing to copy)."""
    if release is None or not old:
        yield None
        return
    with (release / name).open("rb") as handle:
        yield handle


def _copied(source: BinaryIO, place: Placed) -> bytes:
    """Return a body read from the previous dump."""
    source.seek(place[0])
    return source.read(place[1])


def _file_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
