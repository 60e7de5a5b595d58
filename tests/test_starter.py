"""`confgraph init`: a new dataset that builds; the bundled shapes replaced or added to."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from confgraph.cli import main
from confgraph.starter import template

ROOT = Path(__file__).resolve().parents[1]
# Files of the template that are copies of the bundled data: they must not drift apart.
COPIES = (
    "organisations.yaml",
    "reference/countries.csv",
    "reference/organisations.csv",
    "reference/README.md",
    "reference/iso3166-m49.csv",
)
MEETING_DESCRIBED = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix cg: <https://w3id.org/confgraph/ontology#> .
@prefix schema: <https://schema.org/> .
<urn:test:MeetingDescribed> a sh:NodeShape ; sh:targetClass cg:Meeting ;
    sh:property [ sh:path schema:description ; sh:minCount 1 ;
                  sh:message "a meeting needs a description (test shape)" ] .
"""
MEETING_NAMED = MEETING_DESCRIBED.replace("schema:description", "schema:name")


def invoke(runner: CliRunner, *arguments: str) -> tuple[int, str]:
    """Run confgraph with arguments; return the exit code and what it printed."""
    result = runner.invoke(main, list(arguments))
    return result.exit_code, result.output


@pytest.fixture
def started(tmp_path: Path, runner: CliRunner) -> Path:
    """Return a dataset made by `confgraph init`."""
    directory = tmp_path / "mydata"
    code, output = invoke(runner, "init", str(directory))
    assert code == 0, output
    return directory


def test_init_writes_a_dataset_to_edit(started: Path) -> None:
    names = sorted(p.relative_to(started).as_posix() for p in started.rglob("*") if p.is_file())
    assert names == [
        "README.md",
        "dataset.yaml",
        "organisations.yaml",
        "programmes/example-2017-09-vienna-excerpt.yaml",
        "reference/README.md",
        "reference/countries.csv",
        "reference/iso3166-m49.csv",
        "reference/organisations.csv",
    ]
    example = (started / "programmes/example-2017-09-vienna-excerpt.yaml").read_text("utf-8")
    assert example.startswith("# AN EXAMPLE") and "# Source: the session's public" in example
    readme = (started / "README.md").read_text("utf-8")
    assert "dataset.yaml" in readme and "confgraph build --data ." in readme


def test_the_template_holds_the_bundled_registries_unchanged() -> None:
    for name in COPIES:
        copy = template().joinpath(*name.split("/")).read_bytes()
        assert copy == (ROOT / "data" / name).read_bytes(), f"{name} differs from data/{name}"


def test_the_example_is_an_excerpt_of_the_bundled_programme() -> None:
    example = template() / "programmes" / "example-2017-09-vienna-excerpt.yaml"
    real = (ROOT / "data/programmes/2017-09-vienna-smuggling-trafficking.yaml").read_text("utf-8")
    values = [v for line in example.read_text("utf-8").splitlines() for v in line_values(line)]
    assert len(values) > 100
    for value in values:
        assert value in real, f"not in the Vienna programme: {value}"


def line_values(line: str) -> list[str]:
    """Return the values a line of YAML states (a continued text's line is one value)."""
    text = line.split(" #", 1)[0].strip().removeprefix("- ").strip("{}")
    if not text or text.startswith("#") or "example-2017-09" in text:
        return []
    if ": " not in text and not text.endswith(":"):
        return [text]
    pairs = [pair.split(": ", 1) for pair in text.split(", ") if ": " in pair]
    return [value.strip("'\"") for _, value in pairs if value not in (">-", "")]


def test_a_dataset_made_by_init_builds(started: Path, tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "out"
    code, output = invoke(runner, "build", "--data", str(started), "--out", str(out))
    assert code == 0, output
    manifest = json.loads((out / "current" / "release.json").read_text("utf-8"))
    assert manifest["dataset"]["licence"]["spdx_id"] == "CC0-1.0"
    assert "example-2017-09-vienna-excerpt" in (out / "current" / "confgraph.ttl").read_text()


@pytest.mark.parametrize("existing", ["a-file.txt", ".hidden"])
def test_init_refuses_a_directory_that_is_not_empty(
    tmp_path: Path, runner: CliRunner, existing: str
) -> None:
    (tmp_path / existing).write_text("mine", "utf-8")
    code, output = invoke(runner, "init", str(tmp_path))
    assert code == 1 and f"error: {tmp_path}: not empty" in output
    assert "Traceback" not in output
    assert sorted(p.name for p in tmp_path.iterdir()) == [existing]


def test_init_refuses_a_file(tmp_path: Path, runner: CliRunner) -> None:
    (tmp_path / "taken").write_text("mine", "utf-8")
    code, output = invoke(runner, "init", str(tmp_path / "taken"))
    assert code == 1 and "not a directory" in output


def test_extra_shapes_are_checked_as_well(started: Path, tmp_path: Path, runner: CliRunner) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "described.ttl").write_text(MEETING_DESCRIBED, "utf-8")
    out = tmp_path / "out"
    arguments = ("build", "--data", str(started), "--out", str(out), "--extra-shapes", str(extra))
    code, output = invoke(runner, *arguments)
    assert code == 3 and "a meeting needs a description (test shape)" in output
    code, output = invoke(runner, "validate", "--data", str(started), "--extra-shapes", str(extra))
    assert code == 3 and "a meeting needs a description (test shape)" in output


def test_shapes_replace_the_bundled_ones(started: Path, tmp_path: Path, runner: CliRunner) -> None:
    own = tmp_path / "own"
    own.mkdir()
    (own / "named.ttl").write_text(MEETING_NAMED, "utf-8")
    out = tmp_path / "out"
    arguments = ("build", "--data", str(started), "--out", str(out), "--shapes", str(own))
    code, output = invoke(runner, *arguments)
    assert code == 0, output
    shapes = Graph().parse(out / "current" / "shapes.ttl")
    assert len(shapes) == len(Graph().parse(data=MEETING_NAMED, format="turtle"))


def test_shapes_that_do_not_parse_are_named(
    started: Path, tmp_path: Path, runner: CliRunner
) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "broken.ttl").write_text("<urn:a> <urn:b> .\n", "utf-8")
    code, output = invoke(runner, "validate", "--data", str(started), "--extra-shapes", str(extra))
    assert code == 1 and f"{extra / 'broken.ttl'}: the shapes are not valid Turtle" in output
    assert "Traceback" not in output
