"""The command line: build and validate as a curator runs them."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from confgraph.cli import main


def test_build_writes_a_release_and_reports_progress(
    runner: CliRunner, mini_data: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", "--data", str(mini_data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "release written to" in result.stdout
    assert "validating" in result.stderr
    assert (out / "current" / "confgraph.ttl").is_file()


def test_build_with_bad_data_names_file_and_line(
    runner: CliRunner, mini_data: Path, tmp_path: Path
) -> None:
    programme = mini_data / "programmes" / "mini.yaml"
    programme.write_text(programme.read_text().replace("at: panel-1", "at: panel-7"))
    result = runner.invoke(main, ["build", "--data", str(mini_data), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "mini.yaml:" in result.stderr
    assert "unknown programme item 'panel-7'" in result.stderr
    assert "Traceback" not in result.output


def test_validate_reports_conformance(runner: CliRunner, mini_data: Path) -> None:
    result = runner.invoke(main, ["validate", "--data", str(mini_data)])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.stdout


STRICTER = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix schema: <https://schema.org/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<urn:x:JobTitleRequired> a sh:NodeShape ; sh:targetClass foaf:Person ;
    sh:property [ sh:path schema:jobTitle ; sh:minCount 1 ;
                  sh:message "Every person needs a job title." ] .
"""


def stricter_shapes(tmp_path: Path) -> Path:
    """Return a shapes directory that the golden data breaks (one person has no job title)."""
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    (shapes / "strict.ttl").write_text(STRICTER, encoding="utf-8")
    return shapes


def test_validate_lists_violations_with_focus_path_and_message(
    runner: CliRunner, mini_data: Path, tmp_path: Path
) -> None:
    args = ["validate", "--data", str(mini_data), "--shapes", str(stricter_shapes(tmp_path))]
    result = runner.invoke(main, args)
    assert result.exit_code == 3
    assert "[Violation] http" in result.stdout
    assert "/id/person/bob https://schema.org/jobTitle: Every person needs a job title." in (
        result.stdout
    )


def test_build_refuses_non_conforming_data_and_keeps_the_release(
    runner: CliRunner, mini_data: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = ["build", "--data", str(mini_data), "--out", str(out)]
    assert runner.invoke(main, args).exit_code == 0
    published = (out / "current").resolve()
    result = runner.invoke(main, [*args, "--shapes", str(stricter_shapes(tmp_path))])
    assert result.exit_code == 3
    assert "Every person needs a job title" in result.stderr
    assert (out / "current").resolve() == published
    assert [p.name for p in (out / "releases").iterdir()] == [published.name]


def test_base_option_changes_the_minted_iris(
    runner: CliRunner, mini_data: Path, tmp_path: Path
) -> None:
    args = [
        "build",
        "--data",
        str(mini_data),
        "--out",
        str(tmp_path),
        "--base",
        "https://data.example.org/conf",
    ]
    assert runner.invoke(main, args).exit_code == 0
    text = (tmp_path / "current" / "confgraph.ttl").read_text()
    assert "<https://data.example.org/conf/id/meeting/mini>" in text


def test_every_command_is_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"`confgraph {name}" in readme, name
