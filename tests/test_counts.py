"""VoID counts made chunk by chunk: their sums are the counts of the whole data, and a
build from the published release counts only the chunks that release does not hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_cache import build
from test_delta import release_quads

import confgraph.counts
from confgraph.chunks import CHUNKS_DIR
from confgraph.counts import COUNTS_FILE, Counts, data_counts
from confgraph.generate import generate_corpus


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("counts")
    generate_corpus(4, root / "data")
    return build(root / "data", root / "out", None)


def test_the_chunks_counts_add_up_to_the_whole_datas(published: Path) -> None:
    quads = release_quads(published)
    assert len(quads.subject_chunks) > 1
    total = Counts()
    for _, start, end in quads.subject_chunks:
        total.add(Counts.of_lines(quads.ntriples[start:end]))
    whole = Counts.of_lines(quads.ntriples)
    assert total == whole
    assert whole.triples == quads.ntriples.count(b"\n")
    assert Counts.from_json(whole.to_json()) == whole


def test_a_build_counts_only_the_chunks_the_published_release_lacks(
    published: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quads = release_quads(published)
    counted: list[int] = []
    of_lines = Counts.of_lines

    def recorded(lines: bytes) -> Counts:
        counted.append(len(lines))
        return of_lines(lines)

    monkeypatch.setattr(confgraph.counts.Counts, "of_lines", staticmethod(recorded))
    staging = tmp_path / "staging"
    staging.mkdir()
    assert data_counts(quads, staging, published) == of_lines(quads.ntriples)
    assert counted == []  # every chunk's counts were the published release's
    (published / CHUNKS_DIR / COUNTS_FILE).write_text("{not json", "utf-8")
    assert data_counts(quads, staging, published) == of_lines(quads.ntriples)
    assert len(counted) == len(quads.subject_chunks)  # unreadable: all counted again
