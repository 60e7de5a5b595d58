"""Build progress: plain lines with counts in logs and CI, bars on a terminal."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from confgraph.cli import main
from confgraph.progress import BarView, LineView, Progress

LINE = re.compile(r"\[ *\d+\.\d\ds\] \S.*")


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    """A stream that says it is an interactive terminal."""

    def isatty(self) -> bool:
        return True


def test_lines_show_counts_share_and_time_left_at_most_once_a_tenth() -> None:
    stream, clock = io.StringIO(), Clock()
    with Progress(LineView(stream, clock)).phase("programmes built", total=40) as phase:
        for _ in range(40):
            clock.now += 0.5
            phase.advance()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "[  0.00s] programmes built: 0/40"
    assert lines[1] == "[  2.00s] programmes built: 4/40 (10%, about 18 s left)"
    assert lines[-2] == "[ 18.00s] programmes built: 36/40 (90%, about 2 s left)"
    assert lines[-1] == "[ 20.00s] programmes built: 40/40 in 20.00 s"
    assert len(lines) == 11


def test_lines_wait_a_second_between_updates() -> None:
    stream, clock = io.StringIO(), Clock()
    with Progress(LineView(stream, clock)).phase("files loaded", total=1000) as phase:
        for _ in range(1000):
            clock.now += 0.001
            phase.advance()
    assert [line.split("] ")[1] for line in stream.getvalue().splitlines()] == [
        "files loaded: 0/1000",
        "files loaded: 1000/1000 in 1.00 s",
    ]


def test_a_phase_left_by_an_error_says_where_it_stopped() -> None:
    stream = io.StringIO()
    progress = Progress(LineView(stream, Clock()))
    with pytest.raises(ValueError), progress.phase("dumps written", total=4) as phase:
        phase.advance()
        raise ValueError("disk full")
    assert stream.getvalue().splitlines()[-1] == "[  0.00s] dumps written: 1/4 stopped"


def test_a_phase_of_unknown_size_counts_what_it_did() -> None:
    stream = io.StringIO()
    with Progress(LineView(stream, Clock())).phase("files loaded") as phase:
        phase.complete(3)
    assert stream.getvalue().splitlines() == [
        "[  0.00s] files loaded: started",
        "[  0.00s] files loaded: 3/3 in 0.00 s",
    ]


def test_a_terminal_gets_bars(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TTY_COMPATIBLE", "TTY_INTERACTIVE", "FORCE_COLOR", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    stream = Terminal()
    with Progress.to(stream) as progress:
        assert isinstance(progress.view, BarView)
        with progress.phase("dumps written", total=4) as phase:
            phase.advance(4)
    assert "dumps written" in stream.getvalue()
    assert "4/4" in stream.getvalue()
    assert isinstance(Progress.to(io.StringIO()).view, LineView)


def test_build_outside_a_terminal_logs_plain_lines_with_counts(
    runner: CliRunner, mini_data: Path, tmp_path: Path
) -> None:
    result = runner.invoke(main, ["build", "--data", str(mini_data), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert all(LINE.fullmatch(line) for line in lines), result.stderr
    assert "\r" not in result.stderr and "\x1b" not in result.stderr
    done = [line.split("] ", 1)[1].split(" in ")[0] for line in lines if " in " in line]
    assert done[0] == "programmes built: 1/1"
    # The release is written while it is validated; it is published once both are done.
    assert set(done[1:]) == {"dumps written: 11", "programmes validated: 1/1"}


def test_validate_reports_its_phases(runner: CliRunner, mini_data: Path) -> None:
    result = runner.invoke(main, ["validate", "--data", str(mini_data)])
    assert result.exit_code == 0, result.output
    assert "programmes validated: 1/1 in" in result.stderr
    assert result.stdout == "The graph conforms to the shapes.\n"
