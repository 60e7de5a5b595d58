"""Property-based tests of the loader: any file gives a programme or a clean file:line error."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from confgraph.errors import ConfgraphError, DataError
from confgraph.load import load_catalogue
from confgraph.model import Catalogue

GOLDEN = Path(__file__).resolve().parent / "golden" / "mini"
TEMPLATE = (GOLDEN / "programmes" / "mini.yaml").read_bytes()
# Bounded so that the three properties together take well under a minute.
BOUNDED = settings(
    max_examples=150,
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# Pieces that mean something to YAML or to the loader, and bytes that are not text.
SNIPPETS = st.sampled_from(
    [
        b":", b": ", b"- ", b"[", b"]", b"{", b"}", b",", b"&a ", b"*a", b"!!str ", b"!x ",
        b"? ", b"|", b">-", b"#", b"'", b'"', b"\\", b"%YAML 1.2\n", b"---\n", b"...\n",
        b"\t", b"\n", b"\r", b"\x00", b"\x1b", b"\xff", b"\xc3", b"\xef\xbb\xbf", b"\x85",
        b"2017-02-30", b"99999999999999999999", b"0x1F", b"1e999", b".nan", b"~", b"null",
        b"true", b"https://example.org/a\"b", b"key: ", b"items:\n", b"  ", b"    ",
        b"Europe", b"panel", b"ann", b"DEU",
    ]
)  # fmt: skip
MUTATION = st.tuples(
    st.sampled_from(["insert", "delete", "duplicate", "replace"]),
    st.floats(0, 1),
    st.integers(1, 40),
    st.one_of(SNIPPETS, st.binary(max_size=8)),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.dates(),
    st.datetimes(timezones=st.none() | st.just(dt.UTC)),
)
TREES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a copy of the golden data directory whose programme each example rewrites."""
    target = tmp_path_factory.mktemp("properties") / "data"
    shutil.copytree(GOLDEN, target, ignore=shutil.ignore_patterns("expected.ttl"))
    return target


def mutate(text: bytes, mutations: list[tuple[str, float, int, bytes]]) -> bytes:
    """Apply byte-level edits at relative positions of a text."""
    for kind, where, size, piece in mutations:
        at = int(where * len(text))
        if kind == "insert":
            text = text[:at] + piece + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + size :]
        elif kind == "duplicate":
            text = text[:at] + text[at : at + size] * 2 + text[at + size :]
        else:
            text = text[:at] + piece + text[at + len(piece) :]
    return text


def load_or_error(data: Path, content: bytes) -> Catalogue | DataError:
    """Write a programme file and load the directory; return the catalogue or its error."""
    path = data / "programmes" / "mini.yaml"
    path.write_bytes(content)
    try:
        return load_catalogue(data, workers=1)
    except ConfgraphError as error:
        assert isinstance(error, DataError), error
        assert Path(error.path).resolve() == path.resolve(), error
        lines = max(1, len(content.splitlines()) + 1)
        assert error.line is not None and 1 <= error.line <= lines, error
        assert str(error).startswith(f"{error.path}:{error.line}: "), error
        assert len(str(error)) < 1000, error
        return error


@BOUNDED
@given(st.lists(MUTATION, min_size=1, max_size=4))
def test_a_mutated_programme_loads_or_names_file_and_line(
    data: Path, mutations: list[tuple[str, float, int, bytes]]
) -> None:
    result = load_or_error(data, mutate(TEMPLATE, mutations))
    if isinstance(result, Catalogue):
        assert len(result.programmes) == 1


@BOUNDED
@given(TREES)
def test_any_yaml_document_loads_or_names_file_and_line(data: Path, tree: object) -> None:
    content = yaml.safe_dump(tree, allow_unicode=True).encode()
    assert isinstance(load_or_error(data, content), DataError)


@BOUNDED
@given(st.sampled_from(sorted({*TEMPLATE.decode().split()} - {"-"})), TREES)
def test_any_value_in_any_place_loads_or_names_file_and_line(
    data: Path, word: str, tree: object
) -> None:
    value = yaml.safe_dump(tree, default_flow_style=True, width=10**6).strip()
    if value.endswith("..."):
        value = value[: -len("...")].strip()
    content = TEMPLATE.decode().replace(word, value.replace("\n", " "), 1)
    load_or_error(data, content.encode())
