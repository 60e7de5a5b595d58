"""The UN M49 graph: regions as a SKOS scheme, the countries' codes and regions, its licence."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from confgraph.build import build_dataset
from confgraph.errors import DataError
from confgraph.iris import Iris
from confgraph.link.graphs import add_linked_graphs
from confgraph.link.regions import load_m49
from confgraph.load import load_catalogue
from confgraph.model import Catalogue
from confgraph.vocab import CG

DATA = Path(__file__).resolve().parents[1] / "data"
IRIS = Iris()


@pytest.fixture(scope="module")
def linked(catalogue: Catalogue) -> tuple[Graph, Graph]:
    dataset = build_dataset(catalogue, IRIS)
    description = add_linked_graphs(dataset, DATA, IRIS).description
    return dataset.graph(IRIS.m49_graph()), description


def test_a_country_has_its_codes_and_every_region_it_lies_in(linked: tuple[Graph, Graph]) -> None:
    m49, _ = linked
    austria = IRIS.country("AUT")
    assert m49.value(austria, CG.isoAlpha2) == Literal("AT")
    assert m49.value(austria, CG.isoNumeric) == Literal("040")
    regions = {str(r).rsplit("/", 1)[-1] for r in m49.objects(austria, CG.inRegion)}
    assert regions == {"001", "150", "155"}  # World, Europe, Western Europe


def test_regions_form_a_scheme_up_to_world(linked: tuple[Graph, Graph]) -> None:
    m49, _ = linked
    world = IRIS.region("001")
    concepts = set(m49.subjects(SKOS.inScheme, IRIS.region_scheme()))
    assert len(concepts) > 25
    for concept in concepts - {world}:
        chain = list(m49.transitive_objects(concept, SKOS.broader))
        assert chain[-1] == world, concept
    caribbean = IRIS.region("029")
    assert m49.value(caribbean, SKOS.prefLabel) == Literal("Caribbean", lang="en")
    assert m49.value(caribbean, SKOS.broader) == IRIS.region("419")


def test_only_the_countries_of_the_data_get_codes(linked: tuple[Graph, Graph]) -> None:
    m49, _ = linked
    countries = set(m49.subjects(CG.isoAlpha2, None))
    assert IRIS.country("AUT") in countries and IRIS.country("ATA") not in countries
    assert len(countries) == 26


def test_the_graph_carries_its_source_and_licence(linked: tuple[Graph, Graph]) -> None:
    _, description = linked
    graph = IRIS.m49_graph()
    assert description.value(graph, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by-sa/4.0/"
    )
    assert "lukes/ISO-3166" in str(description.value(graph, DCTERMS.source))
    assert "CC BY-SA 4.0" in str(description.value(graph, DCTERMS.rights))


def test_a_bad_row_names_its_line(tmp_path: Path) -> None:
    rows = (DATA / "reference" / "iso3166-m49.csv").read_text("utf-8").splitlines()
    rows[3] = rows[3].replace(",150,", ",15,")
    path = tmp_path / "m49.csv"
    path.write_text("\n".join(rows) + "\n", "utf-8")
    with pytest.raises(DataError) as caught:
        load_m49(path)
    assert caught.value.line == 4 and "three-digit code" in caught.value.message


def test_a_data_directory_without_the_table_builds_without_the_graph(mini_data: Path) -> None:
    dataset = build_dataset(load_catalogue(mini_data), IRIS)
    add_linked_graphs(dataset, mini_data, IRIS)
    assert IRIS.m49_graph() not in dataset.graphs
    shutil.copy(DATA / "reference" / "iso3166-m49.csv", mini_data / "reference")
    add_linked_graphs(dataset, mini_data, IRIS)
    assert dataset.graphs[IRIS.m49_graph()]
