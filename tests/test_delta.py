"""A build from the published release: its store changed graph by graph, what the change
reaches validated again; the same release as a build from scratch."""

from __future__ import annotations

import gzip
import io
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from test_cache import build, edit, programmes, release_files

import confgraph.delta
import confgraph.validation_child
from confgraph.delta import Delta, delta_from
from confgraph.generate import generate_corpus
from confgraph.quads import ReleaseQuads, without_graph
from confgraph.store.disk import STORE_DIR, load_store
from confgraph.store.update import updated_store
from confgraph.validate import ValidationResult, load_shapes, validate_ntriples
from confgraph.vocab import ONTOLOGY_IRI

CHANGED = "graphs changed since the published release: "
VOID = "https://w3id.org/confgraph/graph/void"


@pytest.fixture(autouse=True)
def fixed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Return a generated data directory of ten programmes that share people (a delta
    changes a small share of them)."""
    data = tmp_path / "data"
    generate_corpus(10, data)
    return data


def store_quads(release: Path) -> set[str]:
    """Return every quad of a release's store but its description's (it has blank nodes)."""
    store = ox.Store.read_only(str(release / STORE_DIR))
    return {str(q) for q in store if q.graph_name != ox.NamedNode(VOID)}


def assert_same_release(delta: Path, scratch: Path) -> None:
    """Assert two releases hold the same files and the same store."""
    assert release_files(delta) == release_files(scratch)
    assert store_quads(delta) == store_quads(scratch)
    with gzip.open(scratch / "confgraph.nt.gz") as handle:
        merged = handle.read().count(b"\n")
    default = ox.Store.read_only(str(delta / STORE_DIR))
    assert len(list(default.quads_for_pattern(None, None, None, ox.DefaultGraph()))) == merged


def rebuild(corpus: Path, out: Path, cache: Path) -> tuple[Path, str]:
    """Build again into `out`, returning the release and what the build said."""
    said = io.StringIO()
    return build(corpus, out, cache, said), said.getvalue()


def test_one_changed_programme_changes_one_graph_and_gives_the_release_from_scratch(
    corpus: Path, tmp_path: Path
) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(corpus, out, cache)
    edit(programmes(corpus)[2], 'listed_as: "', 'listed_as: "Corrected: ')
    release, said = rebuild(corpus, out, cache)
    assert f"{CHANGED}1" in said
    assert_same_release(release, build(corpus, tmp_path / "scratch", None))


def test_added_and_removed_programmes_give_the_release_from_scratch(
    corpus: Path, tmp_path: Path
) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    fourth = programmes(corpus)[3]
    kept = fourth.read_text("utf-8")
    fourth.unlink()
    build(corpus, out, cache)
    fourth.write_text(kept, "utf-8")
    release, said = rebuild(corpus, out, cache)
    assert f"{CHANGED}" in said
    assert_same_release(release, build(corpus, tmp_path / "with", None))
    programmes(corpus)[0].unlink()
    release, said = rebuild(corpus, out, cache)
    assert f"{CHANGED}" in said
    assert_same_release(release, build(corpus, tmp_path / "without", None))


def test_a_release_without_graph_digests_is_not_a_base(corpus: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    published = build(corpus, out, cache)
    manifest = json.loads((published / "release.json").read_text("utf-8"))
    del manifest["graphs"]  # as a release of an older confgraph
    (published / "release.json").write_text(json.dumps(manifest), "utf-8")
    edit(programmes(corpus)[1], 'listed_as: "', 'listed_as: "Corrected: ')
    release, said = rebuild(corpus, out, cache)
    assert CHANGED not in said
    assert_same_release(release, build(corpus, tmp_path / "scratch", None))


def test_a_dump_unlike_its_manifest_or_another_build_key_is_not_a_base(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    published = build(corpus, out, tmp_path / "cache")
    quads, key = release_quads(published), build_key(published)
    assert delta_from(out, quads, key) is not None
    assert delta_from(out, quads, "another build key") is None
    with gzip.open(published / "confgraph.nq.gz", "wb") as handle:
        handle.write(quads.nquads.replace(b"Synthetic", b"Synthetik", 1))
    edited = {n: quads.graph(n).replace(b"Synthetic", b"S", 1) for n in names(quads)}
    assert delta_from(out, ReleaseQuads.from_lines(edited), key) is None
    shutil.rmtree(published / STORE_DIR)
    assert delta_from(out, quads, key) is None  # and no store to copy


def test_a_changed_graphs_published_lines_come_from_its_own_gzip_member(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The N-Quads dump is one gzip member per graph: a delta reads only the changed
    graph's, never the whole dump; without the chunk index there is no delta."""
    out = tmp_path / "out"
    published = build(corpus, out, tmp_path / "cache")
    quads, key = release_quads(published), build_key(published)
    graph = next(name for name in names(quads) if "synthetic-session" in name)
    edited = {
        n: quads.graph(n).replace(b"Synthetic", b"S", 1) if n == graph else quads.graph(n)
        for n in names(quads)
    }
    read: list[int] = []
    decompress = gzip.decompress

    def recorded(member: bytes) -> bytes:
        read.append(len(member))
        return decompress(member)

    monkeypatch.setattr(confgraph.delta.gzip, "decompress", recorded)
    delta = delta_from(out, ReleaseQuads.from_lines(edited), key)
    assert delta is not None and delta.old == {graph: quads.graph(graph)}
    assert len(read) == 1 and read[0] < (published / "confgraph.nq.gz").stat().st_size / 2
    shutil.rmtree(published / ".chunks")
    assert delta_from(out, ReleaseQuads.from_lines(edited), key) is None


def release_quads(release: Path) -> ReleaseQuads:
    """Return a release's quads, read back from its N-Quads dump."""
    with gzip.open(release / "confgraph.nq.gz") as handle:
        nquads = handle.read()
    graphs: dict[str, list[bytes]] = {}
    for line in nquads.splitlines(keepends=True):
        graphs.setdefault(line.rsplit(b" ", 2)[-2][1:-1].decode(), []).append(line)
    return ReleaseQuads.from_lines({name: b"".join(lines) for name, lines in graphs.items()})


def build_key(release: Path) -> str:
    return json.loads((release / "release.json").read_text("utf-8"))["build_key"]


def names(quads: ReleaseQuads) -> list[str]:
    return [name for name, _, _ in quads.spans]


def test_the_merge_keeps_a_triple_another_graph_holds_as_the_store_writes_it(
    tmp_path: Path,
) -> None:
    """ "01" and "1" are one xsd:integer to the store: dropping one graph's "01" must keep
    the other graph's "1" in the merge; dropping the last one removes it."""
    integer = "<http://www.w3.org/2001/XMLSchema#integer>"
    a = f'<urn:s> <urn:p> "01"^^{integer} <urn:a> .\n<urn:s> <urn:q> "x" <urn:a> .\n'.encode()
    b = f'<urn:s> <urn:p> "1"^^{integer} <urn:b> .\n'.encode()
    base = tmp_path / "base"
    base.mkdir()
    merged = without_graph(a, "urn:a") + without_graph(b, "urn:b")
    load_store(base / STORE_DIR, a + b, merged).flush()  # closed once dropped
    delta = Delta(base, {"urn:a": a}, {"urn:a": b""})
    store = updated_store(tmp_path / "new", delta, without_graph(b, "urn:b"))
    default = {str(q) for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    assert default == {f'<urn:s> <urn:p> "1"^^{integer}'}
    assert not list(store.quads_for_pattern(None, None, None, ox.NamedNode("urn:a")))
    del store
    gone = Delta(base, {"urn:a": a, "urn:b": b}, {"urn:a": b"", "urn:b": b""})
    emptied = updated_store(tmp_path / "empty", gone, b"")
    assert len(emptied) == 0


def test_a_change_that_breaks_a_shape_gets_the_whole_report(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    published = build(corpus, tmp_path / "out", tmp_path / "cache")
    quads, shapes = release_quads(published), load_shapes()
    graph = next(name for name in names(quads) if "synthetic-session" in name)
    old = quads.graph(graph)
    asked: list[list[str] | None] = []

    def recorded(*data: bytes, focus: list[str] | None = None) -> ValidationResult:
        asked.append(focus)
        return validate_ntriples(*data, focus=focus)  # type: ignore[arg-type]

    monkeypatch.setattr(confgraph.validation_child, "validate_ntriples", recorded)
    statement = next(line for line in old.splitlines(keepends=True) if b"#deliveredBy>" in line)
    delta, data = changed(published, quads, graph, old.replace(statement, b""))
    result = confgraph.validation_child.validate(shapes, data, delta)
    assert not result.conforms and "delivered by" in result.text()
    assert result.violations == validate_ntriples(shapes, *data).violations
    assert asked[0] and asked[1] is None  # what the change reaches first, then everything
    asked.clear()
    delta, data = changed(published, quads, graph, old.replace(b"Synthetic", b"Revised"))
    assert confgraph.validation_child.validate(shapes, data, delta).conforms
    assert len(asked) == 1 and asked[0]


def changed(
    release: Path, quads: ReleaseQuads, graph: str, lines: bytes
) -> tuple[Delta, tuple[bytes, bytes]]:
    """Return the delta of one graph's new lines, and the data validated after it."""
    graphs = {name: lines if name == graph else quads.graph(name) for name in names(quads)}
    new = ReleaseQuads.from_lines(graphs)
    ontology = without_graph(quads.graph(str(ONTOLOGY_IRI)), str(ONTOLOGY_IRI))
    return Delta(release, {graph: quads.graph(graph)}, {graph: lines}), (new.ntriples, ontology)
