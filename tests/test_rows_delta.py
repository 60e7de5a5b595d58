"""The tables and search index of a build from the published release: rows made again only
for what a change reaches give the files a build from scratch writes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from test_cache import build
from test_delta import names, release_quads

from confgraph.delta import Delta
from confgraph.generate import generate_corpus
from confgraph.quads import ReleaseQuads, first_line_from, lines_about
from confgraph.reach import reached
from confgraph.records import Records
from confgraph.rows_delta import Remade, remade
from confgraph.searchdocs import search_documents
from confgraph.tables import TABLES, published_rows, table_bytes

SCHEMA = "https://schema.org/"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a release of six generated programmes that share people and organisations."""
    root = tmp_path_factory.mktemp("rows")
    generate_corpus(6, root / "data")
    return build(root / "data", root / "out", root / "cache")


def assert_as_from_scratch(published: Path, graph: str, lines: bytes) -> Remade | None:
    """Replace one graph's lines; assert the rows made again give the tables and documents
    of the whole new data, and return what was made again (None: all of it)."""
    quads = release_quads(published)
    graphs = {name: lines if name == graph else quads.graph(name) for name in names(quads)}
    new = ReleaseQuads.from_lines(graphs)
    again = remade(Delta(published, {graph: quads.graph(graph)}, {graph: lines}), new)
    if again is not None:
        whole = Records.from_triples(new.data())
        for table in TABLES:
            assert again.table_bytes(table) == table_bytes(table, table.rows(whole)), table.name
        assert list(again.documents()) == list(search_documents(whole))
    return again


def programme_graph(quads: ReleaseQuads, number: int = 0) -> str:
    return [name for name in names(quads) if "synthetic-session" in name][number]


def edited(lines: bytes, seed: int) -> bytes:
    """Return a graph's lines with a few dropped, a few literals changed and a few links
    pointed elsewhere (at IRIs of the same graph), as curators' edits do."""
    rows = lines.splitlines(keepends=True)
    chosen = random.Random(seed)
    iris = sorted({row.split(b" ", 1)[0] for row in rows})
    for _ in range(3):
        at = chosen.randrange(len(rows))
        subject, predicate, rest = rows[at].split(b" ", 2)
        graph = rest[rest.rindex(b" <") :]
        kind = chosen.choice(("drop", "literal", "link"))
        if kind == "drop":
            del rows[at]
        elif kind == "literal":
            rows[at] = b" ".join((subject, predicate, b'"edited %d"' % seed)) + graph
        else:
            rows[at] = b" ".join((subject, predicate, chosen.choice(iris))) + graph
    return b"".join(sorted(set(rows)))


@pytest.mark.parametrize("seed", range(40))
def test_random_edits_of_a_programme_give_the_tables_from_scratch(
    published: Path, seed: int
) -> None:
    quads = release_quads(published)
    graph = programme_graph(quads, seed % 3)
    assert_as_from_scratch(published, graph, edited(quads.graph(graph), seed))


@pytest.mark.parametrize(
    "predicate",
    [
        "https://w3id.org/scholarlydata/ontology/conference-ontology.owl#isHeldBy",
        "https://w3id.org/scholarlydata/ontology/conference-ontology.owl#isAffiliationOf",
        f"{SCHEMA}superEvent",
        f"{SCHEMA}name",
    ],
)
def test_links_read_backwards_or_up_the_events_give_the_tables_from_scratch(
    published: Path, predicate: str
) -> None:
    """A role or affiliation moved to another person, an item moved to another day, a name
    changed: each alters rows of resources other than the changed triple's subject."""
    quads = release_quads(published)
    graph = programme_graph(quads)
    rows = quads.graph(graph).splitlines(keepends=True)
    mark = f"<{predicate}> ".encode()
    found = [i for i, row in enumerate(rows) if mark in row]
    assert len(found) >= 2, predicate
    first, second = rows[found[0]], rows[found[-1]]
    tail = second[second.index(mark) + len(mark) :]
    rows[found[0]] = first[: first.index(mark) + len(mark)] + tail  # the other's object
    again = assert_as_from_scratch(published, graph, b"".join(sorted(set(rows))))
    assert again is not None and len(again.resources) > 1


def test_a_changed_shared_graph_or_a_removed_programme_gives_the_tables_from_scratch(
    published: Path,
) -> None:
    quads = release_quads(published)
    shared = next(name for name in names(quads) if name.endswith("/graph/shared"))
    lines = quads.graph(shared)
    assert_as_from_scratch(published, shared, lines.replace(b"Synthetic", b"Renamed", 3))
    assert_as_from_scratch(published, programme_graph(quads, 1), b"")


def test_a_release_without_a_table_has_everything_made_again(
    published: Path, tmp_path: Path
) -> None:
    quads = release_quads(published)
    graph = programme_graph(quads)
    delta = Delta(published, {graph: quads.graph(graph)}, {graph: quads.graph(graph)})
    assert remade(delta, quads) is not None
    lacking = tmp_path / "lacking"
    lacking.mkdir()
    for path in published.iterdir():
        if path.name != "people.csv":
            (lacking / path.name).symlink_to(path)
    delta = Delta(lacking, {graph: quads.graph(graph)}, {graph: quads.graph(graph)})
    assert remade(delta, quads) is None


def test_published_rows_keep_quoted_fields_across_lines(tmp_path: Path) -> None:
    table = TABLES[2]
    rows = [
        ("urn:a", "x", 'said "no"', *[""] * 8),
        ('urn:b,"c"', "y", 'two\r\nlines, and "quotes"\nhere', *[""] * 8),
        ("urn:d", "", "", *[""] * 8),
    ]
    path = tmp_path / table.path
    path.write_bytes(table_bytes(table, rows))
    found = list(published_rows(path))
    assert [key for key, _ in found] == ["urn:a", 'urn:b,"c"', "urn:d"]
    assert table_bytes(table, []) + "".join(t for _, t in found).encode() == path.read_bytes()


def test_lines_are_found_by_bisection_of_the_bytes() -> None:
    chosen = random.Random(7)
    subjects = sorted({f"<urn:{chosen.randrange(50)}>".encode() for _ in range(40)})
    lines = sorted(f'{s.decode()} <urn:p{n}> "v" .\n'.encode() for s in subjects for n in range(3))
    data = b"".join(lines)
    for subject in [*subjects, b"<urn:none>", b"<urn:0", b"<>"]:
        assert lines_about(data, subject) == [li for li in lines if li.startswith(subject + b" ")]
    for probe in [b"", b"<", b"<urn:3", b"\xff", *lines]:
        at = first_line_from(data, probe)
        assert at == sum(len(li) for li in lines if li < probe)
    assert first_line_from(b"", b"x") == 0


def test_rows_read_one_hop_then_only_the_events_above() -> None:
    up = f"<{SCHEMA}superEvent>"
    lines = sorted(
        f"{line}\n".encode()
        for line in (
            "<urn:role> <urn:during> <urn:item> .",
            f"<urn:item> {up} <urn:day> .",
            "<urn:item> <urn:location> <urn:room> .",
            f"<urn:day> {up} <urn:meeting> .",
            "<urn:day> <urn:other> <urn:far> .",
            '<urn:meeting> <urn:name> "M" .',
            '<urn:far> <urn:name> "F" .',
            '<urn:room> <urn:name> "R" .',
        )
    )
    found = reached(b"".join(lines), ["urn:role"], along=f"{SCHEMA}superEvent")
    assert found is not None
    assert b'<urn:meeting> <urn:name> "M"' in found  # up the events from the item named
    assert b"<urn:far> <urn:name>" not in found  # not along other links of a named node
    assert b"<urn:room> <urn:name>" not in found
    everything = reached(b"".join(lines), ["urn:role"])  # without `along`: every link
    assert everything is not None and b"<urn:far> <urn:name>" in everything
