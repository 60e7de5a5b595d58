"""The release's on-disk store: opened read-only, reopened, and checked to be the release's own."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

import confgraph.store.disk
from confgraph.errors import ReleaseError
from confgraph.iris import Iris
from confgraph.pipeline import run_build
from confgraph.store.disk import blocks_of_lines, load_store
from confgraph.store.registry import open_store
from confgraph.store.release import Release, ensure_store, store_problem

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def build(data: Path, out: Path) -> Release:
    """Build a release of a data directory."""
    return Release.open(run_build(data, out, Iris()))


def triples(release: Release) -> int:
    """Count the default graph's triples through the on-disk store."""
    store = open_store("oxigraph", release.store)
    try:
        return int(store.query(COUNT).rows[0][0])
    finally:
        store.close()


def test_the_build_writes_a_store_that_opens_read_only_again_and_again(
    mini_data: Path, tmp_path: Path
) -> None:
    release = build(mini_data, tmp_path / "out")
    assert store_problem(release) is None
    first, second = open_store("oxigraph", release.store), open_store("oxigraph", release.store)
    try:
        assert first.query(COUNT).rows == second.query(COUNT).rows
    finally:
        first.close()
        second.close()
    with gzip.open(release.path / "confgraph.nt.gz", "rt", encoding="utf-8") as dump:
        assert triples(release) == sum(1 for _ in dump)  # reopened after both closed


@pytest.mark.parametrize("damage", ["missing", "corrupt", "foreign"])
def test_a_store_that_is_not_the_releases_own_is_named_and_loaded_again(
    mini_data: Path, tmp_path: Path, damage: str
) -> None:
    release = build(mini_data, tmp_path / "out")
    expected = triples(release)
    if damage == "missing":
        shutil.rmtree(release.store)
    elif damage == "corrupt":
        (release.store / "CURRENT").write_text("MANIFEST-999999\n")
    else:
        programme = mini_data / "programmes" / "mini.yaml"
        programme.write_text(programme.read_text().replace("title: ", "title: Other ", 1))
        other = build(mini_data, tmp_path / "other")
        shutil.rmtree(release.store)
        shutil.copytree(other.store, release.store)
    problem = store_problem(release)
    assert problem is not None and str(release.path) in problem
    said: list[str] = []
    assert ensure_store(release, said.append) == release.store
    assert len(said) == 1 and "loading a store" in said[0]
    assert store_problem(release) is None
    assert triples(release) == expected


def test_a_store_that_cannot_be_loaded_again_is_one_clear_error(
    mini_data: Path, tmp_path: Path
) -> None:
    release = build(mini_data, tmp_path / "out")
    shutil.rmtree(release.store)
    (release.path / "confgraph.trig").write_text("<not trig", "utf-8")
    with pytest.raises(ReleaseError, match="no store could be loaded"):
        ensure_store(release, lambda _: None)


@pytest.mark.parametrize("size", [1, 40, 1000, 1 << 20])
def test_the_store_is_loaded_in_blocks_that_end_with_lines(size: int) -> None:
    data = b"".join(b'<urn:x:s%d> <urn:x:p> "o %d" .\n' % (n, n) for n in range(500))
    blocks = list(blocks_of_lines(data, size))
    assert b"".join(blocks) == data
    assert all(block.endswith(b"\n") for block in blocks)
    assert (len(blocks) == 1) == (size >= len(data))
    assert max(map(len, blocks)) < size + 40  # a block stops at the first line end past size


def test_a_store_loaded_in_blocks_holds_every_quad(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(confgraph.store.disk, "LOAD_BLOCK", 64)
    named = b"".join(b"<urn:x:s%d> <urn:x:p> <urn:x:o> <urn:x:g> .\n" % n for n in range(50))
    data = named.replace(b" <urn:x:g> .", b" .")
    store = load_store(tmp_path / "store", named, data)
    assert len(store) == 100
    graph = ox.NamedNode("urn:x:g")
    assert len(list(store.quads_for_pattern(None, None, None, graph))) == 50
