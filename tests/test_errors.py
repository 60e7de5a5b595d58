"""Errors that teach: the closest candidates, and every bad value named at its line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from confgraph.cli import main
from confgraph.errors import DataError
from confgraph.load import load_catalogue

ROOT = Path(__file__).resolve().parents[1]
MINI = Path("programmes/mini.yaml")


@pytest.fixture
def data(mini_data: Path) -> Path:
    """The small golden data directory with the full table of countries."""
    shutil.copy(ROOT / "data" / "reference" / "countries.csv", mini_data / "reference")
    return mini_data


def edit(data: Path, old: str, new: str, relative: Path = MINI) -> Path:
    path = data / relative
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    return path


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def error_of(data: Path) -> DataError:
    with pytest.raises(DataError) as caught:
        load_catalogue(data)
    return caught.value


SUGGESTIONS = [
    ("honorific: Ms.", "honorfic: Ms.", "unknown field 'honorfic'; did you mean 'honorific'?"),
    ("description: A panel.", "descripion: A panel.", "did you mean 'description'?"),
    ("role: moderator}", "role: moderator, listedas: Bob}", "did you mean 'listed_as'?"),
    ("country: AUT}", "country: MOR}", "did you mean 'MAR' (Morocco)"),
    ("by: DEU, group: states, at", "by: GER, group: states, at", "did you mean 'DEU' (Germany),"),
    ("timezone: Europe/Vienna", "timezone: europe/vienna", "did you mean 'Europe/Vienna'"),
    ("timezone: Europe/Vienna", "timezone: Europe/Geneva", "for example Europe/Zurich (Geneva)"),
    ("timezone: Europe/Vienna", "timezone: America/NewYork", "did you mean 'America/New_York'"),
    ("role: moderator}", "role: moderater}", "did you mean 'moderator'?"),
    ("kind: break", "kind: brake", "did you mean 'break'?"),
    (
        "{person: bob,",
        "{person: bobb,",
        "unknown person 'bobb' (define it under 'people'); did you mean 'bob'?",
    ),
    ("at: panel-1", "at: panel1", "did you mean 'panel-1'?"),
    ("group: states, at", "group: state, at", "did you mean 'states'?"),
    ("[department]", "[departement]", "did you mean 'department'?"),
]


@pytest.mark.parametrize(
    ("old", "new", "message"), SUGGESTIONS, ids=[s[2][:40] for s in SUGGESTIONS]
)
def test_a_misspelt_name_is_answered_with_the_closest_candidates(
    data: Path, old: str, new: str, message: str
) -> None:
    path = edit(data, old, new)
    error = error_of(data)
    assert message in error.message
    assert error.line == line_of(path, new.split(",")[0].split("}")[0])


def test_a_misspelt_organisation_in_the_registry_is_answered(data: Path) -> None:
    path = edit(data, "part_of: university", "part_of: univercity", Path("organisations.yaml"))
    error = error_of(data)
    assert "unknown organisation 'univercity'; did you mean 'university'?" in error.message
    assert error.line == line_of(path, "part_of:")


VALUES = [
    (
        "date: 2017-12-31",
        "date: 2017-02-30",
        "'2017-02-30' is not a valid date or time (day is out of range",
    ),
    ("date: 2017-12-31", 'date: "2017-02-30"', "'2017-02-30' (day is out of range for month)"),
    ("date: 2017-12-31", "date: 2017-12-31 10:00:00", "not the date and time 2017-12-31 10:00:00"),
    ("date: 2017-12-31", "date: 2017-9-4", "must be a date (YYYY-MM-DD), not '2017-9-4'"),
    (
        "date: 2017-12-31",
        "date: 2017-13-01",
        "'2017-13-01' is not a valid date or time (month must be in 1..12)",
    ),
    ('start: "10:00"', "start: 9:30", "not '9:30' (write \"09:30\")"),
    ('start: "10:00"', 'start: "25:00"', "must be a local time HH:MM, not '25:00'"),
    ('start: "10:00"', "start: 1000", 'must be a local time "HH:MM" (quoted), not 1000'),
    ('start: "10:00"', "start: 2017-12-31 10:00:00", "not the date and time 2017-12-31 10:00:00"),
    ("number: 1", "number: 1.5", "field 'number' must be a whole number, not 1.5"),
    ("number: 1", 'number: "one"', "field 'number' must be a whole number, not 'one'"),
    ("number: 1", "number: 0", "panel number must be 1 or more, not 0"),
    ("number: 1", "number: 1234567890123456789012", "a whole number of more than 18 digits"),
]


@pytest.mark.parametrize(("old", "new", "message"), VALUES, ids=[v[1] for v in VALUES])
def test_every_bad_date_time_or_number_names_its_file_and_line(
    data: Path, old: str, new: str, message: str
) -> None:
    path = edit(data, old, new)
    error = error_of(data)
    assert message in error.message
    assert error.path.endswith("mini.yaml") and error.line == line_of(path, new)


def test_a_quoted_valid_date_is_a_date(data: Path) -> None:
    edit(data, "date: 2017-12-31", 'date: "2017-12-31"')
    assert str(load_catalogue(data).programmes[0].meeting.days[0].date) == "2017-12-31"


def test_an_impossible_unquoted_date_stops_the_build_without_a_traceback(
    data: Path, tmp_path: Path
) -> None:
    path = edit(data, "date: 2017-12-31", "date: 2017-02-30")
    result = CliRunner().invoke(main, ["build", "--data", str(data), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and result.exception is not None
    assert (
        f"mini.yaml:{line_of(path, '2017-02-30')}: '2017-02-30' is not a valid date"
        in result.output
    )


def test_a_duplicate_key_is_named_once_with_both_lines(data: Path) -> None:
    path = edit(data, "  bob:\n", "  ann:\n    name: Ann Again\n    honorific: Dr.\n  bob:\n")
    error = error_of(data)
    first, second = (
        n for n, line in enumerate(path.read_text().splitlines(), 1) if line == "  ann:"
    )
    assert error.message == f"duplicate key 'ann': on line {first} and here (line {second})"
    assert error.line == second


def test_an_item_key_used_twice_names_both_lines(data: Path) -> None:
    path = edit(data, "key: lunch", "key: panel-1")
    error = error_of(data)
    lines = [n for n, line in enumerate(path.read_text().splitlines(), 1) if "key: panel-1" in line]
    assert (
        error.message == f"programme item key 'panel-1' is used twice: on line {lines[0]} and here"
    )
    assert error.line == lines[1]


def test_an_item_that_ends_when_it_starts_is_told_so(data: Path) -> None:
    path = edit(data, 'end: "12:00"', 'end: "10:00"')
    error = error_of(data)
    assert (
        "item 'panel-1' ends when it starts (10:00): the end must be after the start"
        in error.message
    )
    assert error.line == line_of(path, 'end: "10:00"')
