"""Programmes built one by one in a pool and assembled: the release of building them together."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from test_load_parallel import ONE_MEANING, many_programmes, spoil

from confgraph.assemble import assemble
from confgraph.build import ONTOLOGY_FILE, build_dataset
from confgraph.errors import DataError, DataErrors
from confgraph.gather import gather
from confgraph.generate import generate_corpus
from confgraph.iris import Iris
from confgraph.link.graphs import add_linked_graphs
from confgraph.load import PARALLEL_FROM, load_catalogue
from confgraph.quads import ReleaseQuads, nquads_lines, to_oxigraph

IRIS = Iris()
DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    """Return the ontology graph, parsed once."""
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def together(data: Path, ontology: Graph) -> ReleaseQuads:
    """Return the quads of every programme built together, as the reference builder does."""
    dataset = build_dataset(load_catalogue(data, workers=1), IRIS, ontology)
    add_linked_graphs(dataset, data, IRIS)
    return ReleaseQuads.from_graphs(dataset.graphs)


def assembled(data: Path, ontology: Graph, workers: int) -> ReleaseQuads:
    """Return the quads of the programmes built one by one with `workers` processes."""
    parts = gather(data, IRIS, workers=workers).parts
    return assemble(parts, ontology, data, IRIS).quads


def test_the_bundled_data_assembles_to_what_building_it_together_gives(ontology: Graph) -> None:
    # The bundled data has the M49 graph and linksets: the link step runs on both paths.
    expected = together(DATA, ontology)
    found = assembled(DATA, ontology, workers=1)
    assert found == expected
    sizes = found.graph_sizes()
    assert sizes["https://w3id.org/confgraph/graph/links/wikidata"] > 0
    assert sizes["https://w3id.org/confgraph/graph/m49"] > 0


def test_a_pool_builds_what_one_process_builds(
    tmp_path: Path, ontology: Graph, pools: list[int]
) -> None:
    data = tmp_path / "data"
    generate_corpus(PARALLEL_FROM + 5, data)
    alone = assembled(data, ontology, workers=1)
    assert pools == []
    found = assembled(data, ontology, workers=2)
    assert pools == [2]
    assert found == alone == together(data, ontology)
    # The programmes share agents: the shared graph holds each of their triples once.
    assert found.ntriples.count(b"\n") == len(set(found.ntriples.splitlines()))


def test_two_bad_files_built_in_a_pool_are_both_reported_with_file_and_line(
    mini_data: Path, pools: list[int]
) -> None:
    paths = many_programmes(mini_data)
    first = spoil(paths[2], "role: moderator}", "role: chair}")
    second = spoil(paths[7], "  room: Hall A\n", "  room: Hall: A\n")
    with pytest.raises(DataErrors) as caught:
        gather(mini_data, IRIS, workers=2)
    assert pools == [2]
    errors = caught.value.errors
    assert [(Path(e.path).name, e.line) for e in errors] == [
        ("p02.yaml", first),
        ("p07.yaml", second),
    ]
    assert "role 'chair' is not one of" in errors[0].message
    assert errors[1].message.startswith("malformed YAML")


def test_clashes_between_files_built_in_a_pool_are_found_in_file_order(
    mini_data: Path, pools: list[int]
) -> None:
    paths = many_programmes(mini_data)
    clash = spoil(paths[8], "key: meeting-8", "key: meeting-1")
    person = spoil(paths[9], "name: Bob Example", "name: Robert Example")
    with pytest.raises(DataErrors) as caught:
        gather(mini_data, IRIS, workers=2)
    found = [(Path(e.path).name, e.line, e.message) for e in caught.value.errors]
    assert found == [
        ("p08.yaml", clash, f"meeting key 'meeting-1' is also used by {paths[1]}"),
        ("p09.yaml", person - 1, f"person 'bob' is 'Bob Example' in {paths[0]}; {ONE_MEANING}"),
    ]


def test_one_bad_file_built_in_a_pool_is_a_plain_data_error(mini_data: Path) -> None:
    paths = many_programmes(mini_data)
    line = spoil(paths[5], "number: 1", "number: 0")
    with pytest.raises(DataError) as caught:
        gather(mini_data, IRIS, workers=2)
    assert not isinstance(caught.value, DataErrors)
    assert (Path(caught.value.path).name, caught.value.line) == ("p05.yaml", line)


def test_nquads_lines_are_what_oxigraph_serializes_of_any_term() -> None:
    """The lines are joined as text from each term's N-Triples form: the bytes must be
    those Oxigraph's serializer writes, sorted, for every kind of term and literal."""
    texts = ['plain "quoted" \\ back', "tab\there\nline\r\x01\x7f", "\u2028 é 中 😀", ""]
    objects = [Literal(t) for t in texts] + [Literal(t, lang="en-GB") for t in texts]
    objects += [Literal("01", datatype=XSD.integer), Literal("x", datatype=XSD.string)]
    objects += [URIRef("http://example.org/a!b"), BNode("b1")]
    subjects = [URIRef("http://example.org/s"), BNode("s2")]
    triples = {(s, URIRef("http://example.org/p"), o) for s in subjects for o in objects}
    graph = ox.NamedNode("http://example.org/g")
    quads = [ox.Quad(*(to_oxigraph(term) for term in t), graph) for t in triples]
    lines = ox.serialize(quads, format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)
    assert nquads_lines("http://example.org/g", triples) == b"".join(sorted(lines))
