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


def test_validate_lists_violations_with_focus_path_and_message(
    runner: CliRunner, mini_data: Path
) -> None:
    programme = mini_data / "programmes" / "mini.yaml"
    # The side event now starts before the slot that holds it: loads, but breaks a shape.
    programme.write_text(programme.read_text().replace('start: "12:15"', 'start: "11:15"'))
    result = runner.invoke(main, ["validate", "--data", str(mini_data)])
    assert result.exit_code == 3
    assert "/session/side" in result.stdout
    assert "[Violation]" in result.stdout


def test_build_refuses_non_conforming_data_and_keeps_the_release(
    runner: CliRunner, mini_data: Path, tmp_path: Path
) -> None:
    args = ["build", "--data", str(mini_data), "--out", str(tmp_path)]
    assert runner.invoke(main, args).exit_code == 0
    published = (tmp_path / "current").resolve()
    programme = mini_data / "programmes" / "mini.yaml"
    programme.write_text(programme.read_text().replace('start: "12:15"', 'start: "11:15"'))
    result = runner.invoke(main, args)
    assert result.exit_code == 3
    assert "SHACL" in result.stderr
    assert (tmp_path / "current").resolve() == published


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
