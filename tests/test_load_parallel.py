"""The parallel loader: the same catalogue as one process, and every file's error reported."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

import confgraph.load
from confgraph.cli import main
from confgraph.errors import DataError, DataErrors
from confgraph.load import PARALLEL_FROM, load_catalogue

FILES = PARALLEL_FROM + 2
ONE_MEANING = "one key must mean one thing in every file"


def many_programmes(data: Path, count: int = FILES) -> list[Path]:
    """Turn the golden data into `count` programmes with their own meeting and keys."""
    template = (data / "programmes" / "mini.yaml").read_text()
    (data / "programmes" / "mini.yaml").unlink()
    paths = []
    for number in range(count):
        path = data / "programmes" / f"p{number:02}.yaml"
        path.write_text(template.replace("key: mini", f"key: meeting-{number}"))
        paths.append(path)
    return paths


def spoil(path: Path, old: str, new: str) -> int:
    """Replace a passage of a file that occurs once; return the 1-based line it was on."""
    text = path.read_text()
    assert text.count(old) == 1
    path.write_text(text.replace(old, new))
    return text[: text.index(old)].count("\n") + 1


def test_a_pool_reads_the_same_catalogue_as_one_process(mini_data: Path, pools: list[int]) -> None:
    many_programmes(mini_data)
    alone = load_catalogue(mini_data, workers=1)
    assert pools == []
    together = load_catalogue(mini_data, workers=2)
    assert pools == [2]
    assert together == alone
    assert [p.meeting.key for p in together.programmes] == [f"meeting-{n}" for n in range(FILES)]


def test_two_bad_files_are_both_reported_with_file_and_line(
    mini_data: Path, pools: list[int]
) -> None:
    paths = many_programmes(mini_data)
    first = spoil(paths[2], "role: moderator}", "role: chair}")
    second = spoil(paths[7], "  room: Hall A\n", "  room: Hall: A\n")
    with pytest.raises(DataErrors) as caught:
        load_catalogue(mini_data, workers=2)
    assert pools == [2]
    errors = caught.value.errors
    assert [(Path(e.path).name, e.line) for e in errors] == [
        ("p02.yaml", first),
        ("p07.yaml", second),
    ]
    assert "role 'chair' is not one of" in errors[0].message
    assert errors[1].message.startswith("malformed YAML")
    lines = ["2 errors in 2 file(s):", str(errors[0]), str(errors[1])]
    assert str(caught.value).splitlines() == lines


def test_clashes_between_files_are_found_in_file_order(mini_data: Path, pools: list[int]) -> None:
    paths = many_programmes(mini_data)
    bad = spoil(paths[3], "date: 2017-12-31", "date: 2017-02-30")
    clash = spoil(paths[8], "key: meeting-8", "key: meeting-1")
    person = spoil(paths[9], "name: Bob Example", "name: Robert Example")
    with pytest.raises(DataErrors) as caught:
        load_catalogue(mini_data, workers=2)
    found = [(Path(e.path).name, e.line, e.message) for e in caught.value.errors]
    assert found == [
        (
            "p03.yaml",
            bad,
            "'2017-02-30' is not a valid date or time (day is out of range for month)",
        ),
        ("p08.yaml", clash, f"meeting key 'meeting-1' is also used by {paths[1]}"),
        (
            "p09.yaml",
            person - 1,
            f"person 'bob' is 'Bob Example' in {paths[0]}; {ONE_MEANING}",
        ),
    ]


def test_one_bad_file_among_many_is_a_plain_data_error(mini_data: Path) -> None:
    paths = many_programmes(mini_data)
    line = spoil(paths[5], "number: 1", "number: 0")
    with pytest.raises(DataError) as caught:
        load_catalogue(mini_data, workers=2)
    assert not isinstance(caught.value, DataErrors)
    assert (Path(caught.value.path).name, caught.value.line) == ("p05.yaml", line)


def test_the_build_command_prints_every_error_on_its_own_line(
    mini_data: Path, tmp_path: Path, runner: CliRunner
) -> None:
    paths = many_programmes(mini_data)
    first = spoil(paths[1], "number: 1", "number: 0")
    second = spoil(paths[9], "timezone: Europe/Vienna", "timezone: Mars/Olympus")
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", "--data", str(mini_data), "--out", str(out)])
    assert result.exit_code == 2
    assert result.output.splitlines()[-3:] == [
        "error: 2 errors in 2 file(s):",
        f"{paths[1]}:{first}: panel number must be 1 or more, not 0",
        f"{paths[9]}:{second}: unknown time zone 'Mars/Olympus' (use an IANA name);"
        " for example Europe/Zurich (Geneva), Europe/Vienna, America/New_York",
    ]


def test_a_process_with_threads_loads_through_a_fork_server(mini_data: Path) -> None:
    many_programmes(mini_data)
    alone = load_catalogue(mini_data, workers=1)
    stop = threading.Event()
    waiting = threading.Thread(target=stop.wait)
    waiting.start()
    try:
        assert confgraph.load.pool_context().get_start_method() != "fork"
        together = load_catalogue(mini_data, workers=2)
    finally:
        stop.set()
        waiting.join()
    assert together == alone


class Tally:
    """A counter of files read, as a build's progress phase is."""

    def __init__(self) -> None:
        self.total: int | None = None
        self.done = 0

    def advance(self, n: int = 1) -> None:
        self.done += n


@pytest.mark.parametrize("workers", [1, 2])
def test_a_counter_learns_the_number_of_files_and_counts_each(
    mini_data: Path, workers: int
) -> None:
    many_programmes(mini_data)
    tally = Tally()
    load_catalogue(mini_data, workers=workers, counter=tally)
    assert (tally.total, tally.done) == (FILES, FILES)
