"""confgraph link import: a researcher's CSV of links, checked whole, published as a linkset."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import URIRef
from rdflib.namespace import FOAF, PROV, SKOS

from confgraph.build import build_dataset
from confgraph.cli import main
from confgraph.errors import DataError
from confgraph.iris import Iris
from confgraph.link.graphs import add_linked_graphs
from confgraph.load import load_catalogue
from confgraph.pipeline import publish

TEST_DATA = Path(__file__).resolve().parent / "data" / "linking"
HEADER = "local,relation,external,note,contributor\n"
IRIS = Iris()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(TEST_DATA, target)
    return target


def run_import(data: Path, rows: str, *options: str) -> tuple[int, str, Path]:
    csv_file = data.parent / "mine.csv"
    csv_file.write_text(HEADER + rows, "utf-8")
    arguments = ["link", "import", str(csv_file), "--data", str(data), *options]
    result = CliRunner().invoke(main, arguments)
    return result.exit_code, result.output, data / "links" / "contributed-mine.yaml"


def test_good_rows_become_a_linkset_of_their_own_with_the_contributors(data: Path) -> None:
    rows = (
        "organisation/nobody,skos:closeMatch,https://ror.org/00test000,a test note,A. Researcher\n"
        "https://w3id.org/confgraph/id/meeting/linktest/session/panel-1,dcterms:subject,"
        "https://metadata.un.org/thesaurus/test,,B. Researcher\n"
    )
    code, output, written = run_import(data, rows)
    assert code == 0, output
    text = written.read_text("utf-8")
    assert "session/linktest/panel-1" in text and "A. Researcher" in text
    dataset = build_dataset(load_catalogue(data), IRIS)
    description = add_linked_graphs(dataset, data, IRIS).description
    graph = dataset.graph(IRIS.link_graph("contributed-mine"))
    nobody = IRIS.organisation("nobody")
    assert (nobody, SKOS.closeMatch, URIRef("https://ror.org/00test000")) in graph
    activity = description.value(IRIS.link_graph("contributed-mine"), PROV.wasGeneratedBy)
    names = {
        str(description.value(a, FOAF.name))
        for a in description.objects(activity, PROV.wasAssociatedWith)
    }
    assert names == {"A. Researcher", "B. Researcher"}


def test_bad_rows_are_named_by_line_and_nothing_is_imported(data: Path) -> None:
    rows = (
        "organisation/nobody,skos:closeMatch,https://ror.org/00test000,,A. Researcher\n"  # 2: good
        "organisation/unknown,skos:closeMatch,https://ror.org/1,,A. Researcher\n"  # 3
        "organisation/nobody,owl:sameAs,https://ror.org/2,,A. Researcher\n"  # 4
        "organisation/nobody,skos:exactMatch,not an iri,,A. Researcher\n"  # 5
        "organisation/nobody,skos:exactMatch,https://ror.org/00test000,,A. Researcher\n"  # 6
        "organisation/nobody,skos:closeMatch,https://ror.org/00test000,,A. Researcher\n"  # 7
        "organisation/university,skos:closeMatch,http://www.wikidata.org/entity/Q990000001,,X\n"
        "person/ann,skos:exactMatch,https://orcid.org/0000,,\n"  # 9: no contributor
        "nonsense,skos:exactMatch,https://example.org/x,,A. Researcher\n"  # 10
        "person/ann,skos:exactMatch\n"  # 11: too few columns
    )
    code, output, written = run_import(data, rows)
    assert code == 2 and "Traceback" not in output
    found = [re.search(r"mine\.csv:(\d+): ", line) for line in output.splitlines()]
    lines = {int(match.group(1)) for match in found if match}
    assert lines == {3, 4, 5, 6, 7, 8, 9, 10, 11}
    assert "names no resource" in output and "is not one of" in output
    assert "well-formed" in output and "contradicts (skos:closeMatch)" in output
    assert "repeats the link of" in output and "the registries" in output
    assert not written.exists()


def test_a_contradiction_with_an_existing_linkset_names_its_file_and_line(data: Path) -> None:
    first = "organisation/nobody,skos:closeMatch,https://ror.org/00test000,,A. Researcher\n"
    assert run_import(data, first, "--name", "first")[0] == 0
    code, output, _ = run_import(
        data, first.replace("closeMatch", "relatedMatch"), "--name", "second"
    )
    assert code == 2 and "first.yaml:" in output and "contradicts" in output
    assert not (data / "links" / "second.yaml").exists()


def test_a_missing_column_is_named(data: Path) -> None:
    csv_file = data.parent / "mine.csv"
    csv_file.write_text("local,relation,external\n", "utf-8")
    result = CliRunner().invoke(main, ["link", "import", str(csv_file), "--data", str(data)])
    assert (
        result.exit_code == 2
        and "mine.csv:1: missing column(s): note, contributor" in result.output
    )


def test_a_linkset_naming_an_unknown_resource_stops_the_build_at_its_line(
    data: Path, tmp_path: Path
) -> None:
    good = "organisation/nobody,skos:closeMatch,https://ror.org/00test000,,A. Researcher\n"
    written = run_import(data, good)[2]
    out = tmp_path / "out"
    first = publish(data, out, IRIS, cache_dir=out / "cache")
    assert publish(data, out, IRIS, cache_dir=out / "cache").changed is False
    text = written.read_text("utf-8").replace("organisation/nobody", "organisation/no-such")
    written.write_text(text, "utf-8")
    with pytest.raises(DataError) as caught:
        publish(data, out, IRIS, cache_dir=out / "cache")
    line = text.splitlines().index('  - local: "organisation/no-such"') + 1
    assert (caught.value.line, caught.value.path.endswith("contributed-mine.yaml")) == (line, True)
    assert "names no resource" in caught.value.message
    assert (out / "current").resolve() == first.release  # the published release stays
