"""Dumps written chunk by chunk: the cuts follow the content, and a copied chunk is the
chunk written again."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import pytest

import confgraph.chunks
from confgraph.chunks import Layout, subject_chunks, write_chunked, write_index
from confgraph.dumps import gzip_layout, sha256_file, turtle_layout

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
    assert b"".join(lines[start:end] for _, start, end in spans) == lines
    for _, start, _ in spans[1:]:
        first = lines[start : lines.index(b" ", start)]
        before = lines[lines.rindex(b"\n", 0, start - 1) + 1 : start]
        assert zlib.crc32(first) % 64 == 0
        assert not before.startswith(first + b" ")  # the subject before the cut is another


def test_a_change_moves_only_the_cuts_around_it() -> None:
    before = lines_of(SUBJECTS)
    after = lines_of([*SUBJECTS, b"<urn:s01500x>"])
    old = {key for key, _, _ in subject_chunks(before)}
    new = [key for key, _, _ in subject_chunks(after)]
    assert sum(key not in old for key in new) == 1
    assert [(start, end) for _, start, end in subject_chunks(b"")] == [(0, 0)]


def test_a_copied_chunk_is_the_chunk_written_again(tmp_path: Path) -> None:
    before, after = lines_of(SUBJECTS), lines_of([*SUBJECTS, b"<urn:s01500x>"])
    name = "confgraph.ttl"
    old, copied, fresh = (tmp_path / folder for folder in ("old", "copied", "fresh"))
    for folder in (old, copied, fresh):
        folder.mkdir()
    placed = write_chunked(old / name, turtle_layout(), before, subject_chunks(before))
    write_index(old, name, placed, sha256_file(old / name))
    written: list[bytes] = []
    layout = turtle_layout()

    def body(chunk: bytes) -> bytes:
        written.append(chunk)
        return layout.body(chunk)

    counted = Layout(layout.head, layout.separator, layout.tail, body)
    write_chunked(copied / name, counted, after, subject_chunks(after), old)
    write_chunked(fresh / name, turtle_layout(), after, subject_chunks(after))
    assert (copied / name).read_bytes() == (fresh / name).read_bytes()
    assert len(written) == 1 and b"<urn:s01500x>" in written[0]  # the others were copied


def test_a_dump_changed_since_it_was_written_is_not_copied_from(tmp_path: Path) -> None:
    lines = lines_of(SUBJECTS)
    old = tmp_path / "old"
    old.mkdir()
    name = "confgraph.nt.gz"
    placed = write_chunked(old / name, gzip_layout(), lines, subject_chunks(lines))
    write_index(old, name, placed, sha256_file(old / name))
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
