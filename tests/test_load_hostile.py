"""Hostile programme files: each ends in one clear error naming the file and the line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from confgraph.errors import DataError
from confgraph.load import load_catalogue
from confgraph.yamlmap import MAX_BYTES
from confgraph.yamltree import MAX_DEPTH, MAX_INT_DIGITS

PROGRAMME = Path("programmes/mini.yaml")


def replace_once(path: Path, old: str, new: str) -> None:
    """Replace one exact passage of a file (which must occur once)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def load_error(data: Path) -> DataError:
    """Load a data directory that must fail, returning its error."""
    with pytest.raises(DataError) as caught:
        load_catalogue(data, workers=1)
    return caught.value


def line_of(path: Path, needle: str) -> int:
    """Return the 1-based line of the first line containing needle."""
    lines = path.read_bytes().split(b"\n")
    return next(n for n, line in enumerate(lines, start=1) if needle.encode() in line)


def assert_at(error: DataError, path: Path, line: int, message: str) -> None:
    """Assert an error names this file, this line and says this."""
    assert Path(error.path).resolve() == path.resolve()
    assert message in error.message, error
    assert error.line == line, error
    assert str(error).startswith(f"{error.path}:{line}: ")
    assert len(str(error)) < 500


HOSTILE_TEXT = [
    pytest.param(
        "  room: Hall A\n",
        "  room: Hall A\n  extra: " + "[" * 50_000 + "]" * 50_000 + "\n",
        "extra:",
        "malformed YAML: exceeded maximum nesting depth",  # libyaml's own bound (1000)
        id="deep-flow-lists",
    ),
    pytest.param(
        "  room: Hall A\n",
        "  room: Hall A\n  extra:\n"
        + "".join(" " * (4 + 2 * depth) + f"k{depth}:\n" for depth in range(3_000)),
        f"k{MAX_DEPTH - 2}:",
        f"nesting deeper than {MAX_DEPTH} levels",
        id="deep-block-nesting",
    ),
    pytest.param(
        "  states: Member States\n",
        "  states: Member States\n  " + "9" * 100_000 + ": x\n",
        "99999",
        "malformed YAML: could not find expected ':'",  # libyaml: a plain key is < 1024 chars
        id="100000-digit-key",
    ),
    pytest.param(
        "number: 1",
        "number: " + "9" * 100_000,
        "number: 99",
        f"a whole number of more than {MAX_INT_DIGITS} digits",
        id="100000-digit-number",
    ),
    pytest.param(
        "  states: Member States\n",
        "  states: Member States\n  " + "9" * 1000 + ": x\n",
        "99999",
        f"a whole number of more than {MAX_INT_DIGITS} digits",
        id="1000-digit-key",
    ),
    pytest.param(
        "  room: Hall A\n",
        "  room: Hall A\n  extra: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"  s{n}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}]\n"
            for n in range(9)
        ),
        "extra: &a",
        "anchors (&name) and aliases (*name) are not allowed",
        id="alias-bomb",
    ),
    pytest.param(
        "  links: [https://example.org/mini]\n",
        '  links: ["https://example.org/a\\"b"]\n',
        "links:",
        "is not a valid IRI (Invalid IRI code point '\"')",
        id="iri-with-a-quote",
    ),
    pytest.param(
        "  links: [https://example.org/mini]\n",
        "  links:\n    - https://example.org/ok\n    - http://\n",
        "- http://",
        "is not an http(s) URL with a host",
        id="url-without-host",
    ),
    pytest.param(
        "  links: [https://example.org/mini]\n",
        "  links: [https://example.org/a b]\n",
        "links:",
        "is not a valid IRI (Invalid IRI code point ' ')",
        id="iri-with-a-space",
    ),
    pytest.param(
        "date: 2017-12-31",
        "date: 2017-02-30",
        "date: 2017-02-30",
        "'2017-02-30' is not a valid date or time (day is out of range for month)",
        id="impossible-date",
    ),
    pytest.param(
        "  room: Hall A\n",
        "  room: Hall A\n  extra: x\x00y\n",
        "extra:",
        "control character U+0000 at column 11 is not allowed",
        id="nul",
    ),
    pytest.param(
        "  room: Hall A\n",
        "  room: Hall A\n  extra: \x1b[31mred\n",
        "extra:",
        "control character U+001B at column 10 is not allowed",
        id="esc",
    ),
    pytest.param(
        "  room: Hall A\n",
        '  room: Hall A\n  extra: "a\\0b"\n',
        "extra:",
        "control character U+0000 (an escape) is not allowed",
        id="nul-escape",
    ),
    pytest.param(
        "  room: Hall A\n",
        '  room: Hall A\n  extra: "\\e[31m"\n',
        "extra:",
        "control character U+001B (an escape) is not allowed",
        id="esc-escape",
    ),
    pytest.param(
        "  room: Hall A\n",
        "  room: Hall A\n  extra: !!python/object:os.system x\n",
        "extra:",
        "tag tag:yaml.org,2002:python/object:os.system is not supported",
        id="python-tag",
    ),
    pytest.param(
        "groups:\n",
        "---\ngroups:\n",
        "---",
        "a file holds one YAML document, not several",
        id="second-document",
    ),
    pytest.param(
        "  short_title: Mini\n",
        "  short_title: [" + ", ".join(["x"] * 100_000) + "]\n",
        "short_title:",
        "field 'short_title' must be text, not a list",
        id="huge-value-of-the-wrong-type",
    ),
    pytest.param(
        "  room: Hall A\n",
        "  room: Hall A\n  ? [a, b]\n  : x\n",
        "? [a, b]",
        "a key must be text, not a mapping or a list",
        id="list-as-key",
    ),
    pytest.param(
        "timezone: Europe/Vienna",
        "timezone: Europe",
        "timezone:",
        "unknown time zone 'Europe' (use an IANA name)",
        id="zone-that-is-a-folder",
    ),
]


@pytest.mark.parametrize(("old", "new", "needle", "message"), HOSTILE_TEXT)
def test_hostile_text_is_an_error_at_its_line(
    mini_data: Path, old: str, new: str, needle: str, message: str
) -> None:
    path = mini_data / PROGRAMME
    replace_once(path, old, new)
    assert_at(load_error(mini_data), path, line_of(path, needle), message)


def test_invalid_utf8_names_the_line_not_a_byte_position(mini_data: Path) -> None:
    path = mini_data / PROGRAMME
    data = path.read_bytes().replace(b"  room: Hall A\n", b"  room: Hall \xff\n")
    path.write_bytes(data)
    error = load_error(mini_data)
    message = "not valid UTF-8 (byte 0xff at column 14); save it as UTF-8"
    assert_at(error, path, line_of(path, "  room: Hall "), message)


def test_a_symbolic_link_loop_is_a_clear_error(mini_data: Path) -> None:
    loop = mini_data / "programmes" / "loop.yaml"
    loop.symlink_to(loop.name)
    error = load_error(mini_data)
    assert Path(error.path).name == "loop.yaml"
    assert error.message == "symbolic link loop; cannot read file"


def test_a_symbolic_link_out_of_the_data_directory_is_not_followed(
    mini_data: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "elsewhere.yaml"
    secret.write_text("meeting: {key: secret}\n")
    (mini_data / "programmes" / "z.yaml").symlink_to(secret)
    error = load_error(mini_data)
    assert Path(error.path).name == "z.yaml"
    assert error.message == "is a symbolic link to outside the data directory"
    assert "secret" not in str(error)


def test_a_symbolic_link_within_the_data_directory_is_read(mini_data: Path) -> None:
    (mini_data / "mini.yaml").write_bytes((mini_data / PROGRAMME).read_bytes())
    (mini_data / PROGRAMME).unlink()
    (mini_data / PROGRAMME).symlink_to(Path("..") / "mini.yaml")
    assert load_catalogue(mini_data, workers=1).programmes[0].meeting.key == "mini"


def test_a_pipe_named_like_a_programme_is_refused_without_waiting(mini_data: Path) -> None:
    os.mkfifo(mini_data / "programmes" / "pipe.yaml")
    error = load_error(mini_data)
    assert Path(error.path).name == "pipe.yaml"
    assert error.message == "is not a regular file"


def test_a_file_over_the_size_limit_is_refused(mini_data: Path) -> None:
    path = mini_data / PROGRAMME
    with path.open("a") as handle:
        handle.write("# " + "x" * MAX_BYTES + "\n")
    error = load_error(mini_data)
    assert error.message == f"file is larger than {MAX_BYTES // 2**20} MiB"


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        (
            "  states: Member States\n",
            '  states: Member States\n  ? "' + "Q" * 100_000 + '"\n  : x\n',
            '? "QQ',
        ),
        ("role: moderator}", "role: " + "x" * 100_000 + "}", "role: xx"),
        ("number: 1", "number: !!int " + "x" * 100_000, "number: !!int"),
    ],
    ids=["long-key", "long-value", "long-tagged-value"],
)
def test_a_long_value_is_quoted_briefly(mini_data: Path, old: str, new: str, needle: str) -> None:
    path = mini_data / PROGRAMME
    replace_once(path, old, new)
    error = load_error(mini_data)
    assert error.line == line_of(path, needle)
    assert "[...]" in error.message
    assert len(error.message) <= 300
