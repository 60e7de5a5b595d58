"""Dumps written chunk by chunk: the cuts follow the content, and a copied chunk is the
chunk written again."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import pytest

import confgraph.chunks
from confgraph.chunks import Layout, subject_chunks, write_chunked, write_index
from confgraph.dumps import gzip_layout, turtle_layout

SUBJECTS = [f"<urn:s{number:05d}>".encode() for number in range(3000)]


def lines_of(subjects: list[bytes]) -> bytes:
    """Return two sorted N-Triples lines per subject."""
    return b"".join(s + b" <urn:p> <urn:o> .\n" + s + b' <urn:q> "x" .\n' for s in sorted(subjects))


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(confgraph.chunks, "CHUNK_EVERY", 64)


def test_chunks_cover_the_lines_and_never_cut_a_subject() -> None:
    lines = lines_of(SUBJECTS)
    spans = subject_chunks(lines)
    assert len(spans) > 10
    assert b"".join(lines[start:end] for start, end in spans) == lines
    for start, _ in spans[1:]:
        first = lines[start : lines.index(b" ", start)]
        before = lines[lines.rindex(b"\n", 0, start - 1) + 1 : start]
        assert zlib.crc32(first) % 64 == 0
        assert not before.startswith(first + b" ")  # the subject before the cut is another

def test_a_change_moves_only_the_cuts_around_it() -> None:
    before = lines_of(SUBJECTS)
    after = lines_of([*SUBJECTS, b"<urn:s01500x>"])
    old = {before[s:e] for s, e in subject_chunks(before)}
    new = [after[s:e] for s, e in subject_chunks(after)]
    assert sum(chunk not in old for chunk in new) == 1
    assert subject_chunks(b"") == [(0, 0)]


def test_a_copied_chunk_is_the_chunk_written_again(tmp_path: Path) -> None:
    before, after = lines_of(SUBJECTS), lines_of([*SUBJECTS, b"<urn:s01500x>"])
    old = tmp_path / "old"
    old.mkdir()
    name = "confgraph.ttl"
    write_index(
        old, name, write_chunked(old / name, turtle_layout(), before, subject_chunks(before))
    )
    copied = tmp_path / "copied.ttl"
    write_chunked(copied, turtle_layout(), after, subject_chunks(after), old)
    fresh = tmp_path / "fresh.ttl"
    write_chunked(fresh, turtle_layout(), after, subject_chunks(after))
    assert copied.read_bytes() == fresh.read_bytes()


def test_a_chunk_whose_bytes_changed_is_written_again(tmp_path: Path) -> None:
    lines = lines_of(SUBJECTS)
    old = tmp_path / "old"
    old.mkdir()
    name = "confgraph.nt.gz"
    write_index(old, name, write_chunked(old / name, gzip_layout(), lines, subject_chunks(lines)))
    damaged = bytearray((old / name).read_bytes())
    damaged[100] ^= 0xFF
    (old / name).write_bytes(bytes(damaged))
    again = tmp_path / name
    write_chunked(again, gzip_layout(), lines, subject_chunks(lines), old)
    assert gzip.decompress(again.read_bytes()) == lines  # one gzip file of many members


def test_a_layout_joins_bodies_between_its_head_and_tail(tmp_path: Path) -> None:
    layout = Layout(b"[", b",", b"]", lambda chunk: str(chunk.count(b"\n")).encode())
    lines = lines_of(SUBJECTS[:200])
    placed = write_chunked(tmp_path / "x", layout, lines, subject_chunks(lines))
    text = (tmp_path / "x").read_bytes()
    assert text.startswith(b"[") and text.endswith(b"]") and text.count(b",") == len(placed) - 1
    assert sum(map(int, text[1:-1].split(b","))) == 400
