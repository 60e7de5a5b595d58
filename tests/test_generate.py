"""The synthetic corpus: it builds, it is reproducible, its people recur, its names say so."""

from __future__ import annotations

import filecmp
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from confgraph.cli import main
from confgraph.dataset_file import read_metadata
from confgraph.yamltree import parse_tree

ROOT = Path(__file__).resolve().parents[1]


def generate(runner: CliRunner, out: Path, meetings: int = 3, seed: int = 1) -> Path:
    """Run `confgraph generate` and return the data directory it wrote."""
    args = ["generate", "--meetings", str(meetings), "--out", str(out), "--seed", str(seed)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    return out


def same_tree(left: Path, right: Path) -> bool:
    """Return whether two directories hold the same files with the same bytes."""
    files = sorted(p.relative_to(left) for p in left.rglob("*") if p.is_file())
    if files != sorted(p.relative_to(right) for p in right.rglob("*") if p.is_file()):
        return False
    return all(filecmp.cmp(left / f, right / f, shallow=False) for f in files)


def programmes(data: Path) -> list[dict]:
    """Return every generated programme file, parsed."""
    return [parse_tree(p.read_text()) for p in sorted((data / "programmes").glob("*.yaml"))]


def test_the_generated_corpus_builds_and_validates(runner: CliRunner, tmp_path: Path) -> None:
    data = generate(runner, tmp_path / "data", meetings=2)
    assert len(list((data / "programmes").glob("*.yaml"))) == 2
    result = runner.invoke(main, ["build", "--data", str(data), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "current" / "confgraph.nt.gz").is_file()


def test_the_same_seed_gives_the_same_bytes(runner: CliRunner, tmp_path: Path) -> None:
    first = generate(runner, tmp_path / "a")
    assert same_tree(first, generate(runner, tmp_path / "b"))
    assert not same_tree(first, generate(runner, tmp_path / "c", seed=2))


def test_people_recur_across_meetings(runner: CliRunner, tmp_path: Path) -> None:
    counts = Counter(
        key for p in programmes(generate(runner, tmp_path / "d")) for key in p["people"]
    )
    assert max(counts.values()) >= 2


def test_the_programmes_have_the_real_shape(runner: CliRunner, tmp_path: Path) -> None:
    for programme in programmes(generate(runner, tmp_path / "e")):
        days = programme["meeting"]["days"]
        kinds = [item["kind"] for day in days for item in day["items"]]
        assert len(days) == 2
        assert kinds.count("panel") >= 3
        assert {"opening", "summary-panel", "break", "closing"} <= set(kinds)
        assert 40 <= len(programme["statements"]) <= 70
        assert any(isinstance(s["by"], list) for s in programme["statements"])
        assert any("on_behalf_of" in s for s in programme["statements"])
        assert any("language" in s for s in programme["statements"])
        assert programme["inputs"]


def test_every_invented_name_is_marked_synthetic(runner: CliRunner, tmp_path: Path) -> None:
    data = generate(runner, tmp_path / "f")
    organisations = parse_tree((data / "organisations.yaml").read_text())
    assert all("Synthetic" in org["name"] for org in organisations.values())
    for programme in programmes(data):
        assert all("(synthetic)" in person["name"] for person in programme["people"].values())
        assert "Synthetic" in programme["meeting"]["title"]
        titles = [item["title"] for day in programme["meeting"]["days"] for item in day["items"]]
        assert all("synthetic" in title.lower() for title in titles)
    real = (ROOT / "data" / "reference" / "countries.csv").read_bytes()
    assert (data / "reference" / "countries.csv").read_bytes() == real


def test_generate_refuses_a_directory_that_is_not_empty(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    result = runner.invoke(main, ["generate", "--meetings", "1", "--out", str(tmp_path / "full")])
    assert result.exit_code != 0
    assert "not an empty directory" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("meetings", ["0", "-1"])
def test_generate_needs_at_least_one_meeting(runner: CliRunner, tmp_path: Path, meetings: str):
    result = runner.invoke(main, ["generate", "--meetings", meetings, "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "--meetings" in result.output


def test_the_generated_corpus_says_it_is_synthetic(runner: CliRunner, tmp_path: Path) -> None:
    metadata = read_metadata(generate(runner, tmp_path / "data", meetings=1))
    assert metadata is not None and metadata.title.startswith("Synthetic programmes: 1 meetings")
    assert "invented" in metadata.description and metadata.keywords == ("synthetic data",)
