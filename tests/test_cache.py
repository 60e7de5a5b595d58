"""The build cache: unchanged programmes are reused, and the release is the same without it."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

import confgraph.load
from confgraph.build import build_dataset
from confgraph.cache import decode, encode
from confgraph.cli import main
from confgraph.errors import DataError, ValidationFailed
from confgraph.generate import generate_corpus
from confgraph.iris import Iris
from confgraph.load import load_catalogue
from confgraph.model import Catalogue
from confgraph.parts import Part, encode_graphs
from confgraph.pipeline import published_unchanged, run_build
from confgraph.progress import Progress
from confgraph.release import current_release
from confgraph.store.convert import rdflib_triple
from confgraph.validate import SHAPES_DIR

IRIS = Iris()
# A shape the generated programmes break: every meeting would need a description.
STRICTER_SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix cg: <https://w3id.org/confgraph/ontology#> .
@prefix schema: <https://schema.org/> .
<urn:test:MeetingDescribed> a sh:NodeShape ; sh:targetClass cg:Meeting ;
    sh:property [ sh:path schema:description ; sh:minCount 1 ] .
"""


@pytest.fixture(autouse=True)
def fixed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fix the build time, so that two builds of the same input give the same bytes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Return a generated data directory of three programmes that share people."""
    data = tmp_path / "data"
    generate_corpus(3, data)
    return data


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the name of every programme file the loader reads (in this process)."""
    read: list[str] = []
    original = confgraph.load.read_programme

    def spy(path: Path, *args: object):
        read.append(path.name)
        return original(path, *args)

    monkeypatch.setattr(confgraph.load, "read_programme", spy)
    return read


def release_files(release: Path) -> dict[str, bytes]:
    """Return every file of a release (the dumps, description, manifest) by name."""
    return {p.name: p.read_bytes() for p in sorted(release.iterdir()) if p.is_file()}


def build(data: Path, out: Path, cache: Path | None, say: io.StringIO | None = None) -> Path:
    """Build a release, with or without a cache, reporting to `say` if given."""
    progress = Progress.to(say) if say is not None else None
    return run_build(data, out, IRIS, progress, SHAPES_DIR, cache)


def programmes(data: Path) -> list[Path]:
    """Return the programme files of a data directory, in name order."""
    return sorted((data / "programmes").glob("*.yaml"))


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first occurrence of a text in a file, which must hold it."""
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_an_entry_gives_back_exactly_the_terms_built(catalogue: Catalogue) -> None:
    built = build_dataset(catalogue, IRIS).graphs
    part = Part("vienna.yaml", (), ("a warning",), encode_graphs(built))
    assert [name for name, _ in part.graphs] == sorted(str(n) for n, ts in built.items() if ts)
    again = decode(encode("k", part), "k", "vienna.yaml")
    assert again == part
    graphs: dict = {}
    for quad in ox.parse(again.body, format=ox.RdfFormat.N_QUADS):
        graphs.setdefault(URIRef(quad.graph_name.value), set()).add(rdflib_triple(quad))
    assert {name: triples for name, triples in built.items() if triples} == graphs

    def terms(graphs: dict) -> set[tuple]:
        found = set()
        for triples in graphs.values():
            for triple in triples:
                for term in triple:
                    literal = isinstance(term, Literal)
                    detail = (term.datatype, term.language) if literal else ()
                    found.add((type(term), str(term), *detail))
        return found

    assert terms(built) == terms(graphs)
    assert any(isinstance(t[2], Literal) and t[2].datatype for ts in graphs.values() for t in ts)


def test_a_changed_programme_alone_is_read_and_the_release_is_as_without_cache(
    corpus: Path, tmp_path: Path, reads: list[str]
) -> None:
    cache = tmp_path / "cache"
    build(corpus, tmp_path / "warm", cache)
    assert len(reads) == 3
    changed = programmes(corpus)[1]
    edit(changed, '  title: "', '  title: "Corrected ')
    reads.clear()
    warm = build(corpus, tmp_path / "warm", cache)
    assert reads == [changed.name]
    cold = build(corpus, tmp_path / "cold", None)
    assert release_files(warm) == release_files(cold)
    assert b'"Corrected Synthetic' in release_files(warm)["confgraph.ttl"]


def test_a_deleted_cache_changes_nothing(corpus: Path, tmp_path: Path, reads: list[str]) -> None:
    cache = tmp_path / "cache"
    first = build(corpus, tmp_path / "first", cache)
    shutil.rmtree(cache)
    reads.clear()
    second = build(corpus, tmp_path / "second", cache)
    assert len(reads) == 3
    assert release_files(first) == release_files(second)
    assert len(list((cache / "programmes").glob("*.nq"))) == 3


def test_a_changed_registry_rebuilds_every_programme(
    corpus: Path, tmp_path: Path, reads: list[str]
) -> None:
    cache = tmp_path / "cache"
    build(corpus, tmp_path / "warm", cache)
    edit(corpus / "organisations.yaml", 'name: "Synthetic', 'name: "Renamed Synthetic')
    reads.clear()
    warm = build(corpus, tmp_path / "warm", cache)
    assert len(reads) == 3
    assert release_files(warm) == release_files(build(corpus, tmp_path / "cold", None))
    assert len(list((cache / "programmes").glob("*.nq"))) == 3  # the old entries are pruned


def test_changed_shapes_revalidate_the_cached_programmes(
    corpus: Path, tmp_path: Path, reads: list[str]
) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out"
    published = build(corpus, out, cache)
    shapes = tmp_path / "shapes"
    shutil.copytree(SHAPES_DIR, shapes)
    (shapes / "stricter.ttl").write_text(STRICTER_SHAPE, "utf-8")
    assert published_unchanged(corpus, out, IRIS, SHAPES_DIR) == published
    assert published_unchanged(corpus, out, IRIS, shapes) is None
    reads.clear()
    with pytest.raises(ValidationFailed) as failure:
        run_build(corpus, out, IRIS, None, shapes, cache)
    assert reads == []  # the shapes change no programme's triples, only the verdict
    report = str(failure.value)
    assert report.startswith("3 SHACL result(s)")
    for index in (1, 2, 3):  # one per meeting, each from a cached programme
        assert f"{IRIS.meeting(f'2001-01-synthetic-session-000{index}')} " in report
    assert current_release(out) == published


def test_a_corrupt_entry_is_ignored_with_a_message_and_rebuilt(
    corpus: Path, tmp_path: Path, reads: list[str]
) -> None:
    cache = tmp_path / "cache"
    first = build(corpus, tmp_path / "first", cache)
    entries = sorted((cache / "programmes").glob("*.nq"))
    data = entries[0].read_bytes()
    entries[0].write_bytes(data.replace(b"Synthetic", b"Synthetix", 1))  # a flipped letter
    entries[1].write_bytes(entries[1].read_bytes()[:100])  # truncated
    entries[2].write_bytes(b"\xff not an entry")
    reads.clear()
    said = io.StringIO()
    second = build(corpus, tmp_path / "second", cache, said)
    messages = [line for line in said.getvalue().splitlines() if "ignoring the cache entry" in line]
    assert len(messages) == 3
    assert any("checksum differs" in line for line in messages)
    assert sorted(reads) == [p.name for p in programmes(corpus)]
    assert release_files(first) == release_files(second)
    assert entries[0].read_bytes() == data


def shared_person(data: Path) -> tuple[Path, str, str]:
    """Return the first programme file, a person it shares with a later file, and the name."""
    catalogue = load_catalogue(data, workers=1)
    first, *later = catalogue.programmes
    for key, person in first.people.items():
        if any(key in other.people for other in later):
            return programmes(data)[0], key, person.name
    raise AssertionError("the generated programmes share no person")


@pytest.mark.parametrize("which", ["earlier", "later"])
def test_cross_file_errors_are_the_same_with_the_cache(
    corpus: Path, tmp_path: Path, which: str
) -> None:
    cache = tmp_path / "cache"
    build(corpus, tmp_path / "out", cache)
    path, _, name = shared_person(corpus)
    if which == "later":  # the clash is then reported at the edited file
        path = next(p for p in programmes(corpus)[1:] if f'name: "{name}"' in p.read_text())
    edit(path, f'name: "{name}"', f'name: "{name} Junior"')
    errors = []
    for cached in (cache, None):
        with pytest.raises(DataError) as failure:
            build(corpus, tmp_path / "out", cached)
        errors.append(str(failure.value))
    assert errors[0] == errors[1]
    assert "one key must mean one thing in every file" in errors[0]


def cli(runner: CliRunner, *args: str) -> Callable[[], str]:
    """Run a command and return its output, checking that it succeeded."""
    result = runner.invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_nothing_changed_keeps_the_published_release(
    corpus: Path, tmp_path: Path, runner: CliRunner, reads: list[str]
) -> None:
    out = tmp_path / "out"
    arguments = ("build", "--data", str(corpus), "--out", str(out))
    cli(runner, *arguments)
    published = current_release(out)
    reads.clear()
    output = cli(runner, *arguments)
    assert f"nothing changed since release {published.name}" in output
    assert reads == [] and current_release(out) == published
    shutil.rmtree(out / "cache")  # the published release, not the cache, says what it was built of
    assert "nothing changed" in cli(runner, *arguments)
    assert [p.name for p in (out / "releases").iterdir()] == [published.name]
    assert "release written" in cli(runner, *arguments, "--no-cache")
    assert current_release(out) != published


def test_a_changed_file_is_not_nothing_changed(
    corpus: Path, tmp_path: Path, runner: CliRunner
) -> None:
    out, cache = tmp_path / "out", tmp_path / "elsewhere"
    arguments = ("build", "--data", str(corpus), "--out", str(out), "--cache", str(cache))
    cli(runner, *arguments)
    published = current_release(out)
    edit(programmes(corpus)[2], '  title: "', '  title: "Corrected ')
    assert "release written" in cli(runner, *arguments)
    assert current_release(out) != published
    assert not (out / "cache").exists() and len(list(cache.glob("programmes/*.nq"))) == 3


def test_cache_and_no_cache_exclude_each_other(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["build", "--cache", str(tmp_path), "--no-cache"])
    assert result.exit_code == 2
    assert "--cache and --no-cache exclude each other" in result.output


def test_a_killed_build_leaves_nothing_the_next_one_trips_on(corpus: Path, tmp_path: Path) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out"
    published = build(corpus, out, cache)
    folder = cache / "programmes"
    stale = folder / ".0123.99999.tmp"  # half an entry, as a killed build leaves it
    stale.write_bytes(b'{"format": 1, "ke')
    os.utime(stale, (0, 0))
    (published / "release.json").write_text("{not json", "utf-8")
    assert published_unchanged(corpus, out, IRIS) is None  # a damaged manifest: build again
    again = build(corpus, out, cache)
    assert not stale.exists() and len(list(folder.iterdir())) == 3
    assert release_files(again)["confgraph.nq.gz"] == release_files(published)["confgraph.nq.gz"]
