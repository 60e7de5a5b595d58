"""The parallel loader: the same catalogue as one process, and every file's error reported."""

from __future__ import annotations

from pathlib import Path

import pytest

import confgraph.load
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


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the process pools the loader starts, with how many workers each."""
    started: list[int] = []
    real = confgraph.load.ProcessPoolExecutor

    def counted(workers: int, **options: object) -> object:
        started.append(workers)
        return real(workers, **options)

    monkeypatch.setattr(confgraph.load, "ProcessPoolExecutor", counted)
    return started


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
    assert str(caught.value).splitlines() == [str(errors[0]), str(errors[1])]


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
