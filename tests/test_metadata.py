"""dataset.yaml: read with file:line errors, published in VoID/DCAT, release.json and Release."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF

from confgraph.cli import main
from confgraph.dataset_file import read_metadata
from confgraph.errors import DataError
from confgraph.iris import Iris
from confgraph.metadata import DatasetMetadata, Licence
from confgraph.pipeline import run_build
from confgraph.progress import Progress
from confgraph.store.release import Release

ROOT = Path(__file__).resolve().parents[1]
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
CC0 = URIRef("https://spdx.org/licenses/CC0-1.0")
DATASET = """\
title: Programmes of a test series
description: A small dataset for the tests.
licence: CC-BY-4.0
publisher:
  name: Test Publisher
  url: https://publisher.example.org/
contact:
  name: Data desk
  email: data@example.org
keywords: [meetings, tests]
citation:
  authors: [Ada Lovelace, Charles Babbage]
  year: 2024
"""
SOURCES = """\
sources:
  reference/countries.csv: {licence: MIT}
  reference/nothing.csv: {licence: MIT}
"""


@pytest.fixture(autouse=True)
def fixed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fix the build time (2023-11-14): the year of a citation without one."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def write_dataset(data: Path, text: str) -> Path:
    """Write a data directory's dataset.yaml."""
    path = data / "dataset.yaml"
    path.write_text(text, "utf-8")
    return path


def metadata_error(data: Path, text: str) -> DataError:
    """Return the error that reading a dataset.yaml of this text raises."""
    write_dataset(data, text)
    with pytest.raises(DataError) as caught:
        read_metadata(data)
    return caught.value


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Build the bundled data, with its dataset.yaml, once (in 2023, as the other builds)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        yield run_build(ROOT / "data", tmp_path_factory.mktemp("out"), Iris())


def test_the_bundled_dataset_is_described_in_dcat(bundled: Path) -> None:
    void = Graph().parse(bundled / "void.ttl")
    dataset = Iris().dataset()
    assert void.value(dataset, DCTERMS.license) == CC0
    assert void.value(dataset, DCTERMS.title) == Literal(
        "confgraph: meeting and conference programmes", lang="en"
    )
    assert "Vienna International Centre" in str(void.value(dataset, DCTERMS.description))
    publisher = void.value(dataset, DCTERMS.publisher)
    assert void.value(publisher, FOAF.name) == Literal("The confgraph project")
    contact = void.value(dataset, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Kind) in void
    assert void.value(contact, VCARD.hasURL) == URIRef("https://w3id.org/confgraph")
    assert Literal("linked data", lang="en") in set(void.objects(dataset, DCAT.keyword))
    citation = str(void.value(dataset, DCTERMS.bibliographicCitation))
    assert citation.startswith("The confgraph project (2023). confgraph: meeting and conference")
    assert bundled.name in citation and str(dataset) in citation
    for distribution in void.objects(dataset, DCAT.distribution):
        assert void.value(distribution, DCTERMS.license) == CC0


def test_a_reference_table_keeps_its_own_licence(bundled: Path) -> None:
    void = Graph().parse(bundled / "void.ttl")
    countries = URIRef(f"{Iris().base}/dataset/source/reference/countries.csv")
    assert (Iris().dataset(), PROV.wasDerivedFrom, countries) in void
    assert void.value(countries, DCTERMS.license) == URIRef("https://spdx.org/licenses/MIT")
    assert "owid/owid-grapher" in str(void.value(countries, DCTERMS.source))
    assert "Our World in Data" in str(void.value(countries, DCTERMS.bibliographicCitation))
    organisations = URIRef(f"{Iris().base}/dataset/source/organisations.yaml")
    assert void.value(organisations, DCTERMS.license) is None


def test_release_json_and_the_release_object_carry_the_metadata(bundled: Path) -> None:
    manifest = json.loads((bundled / "release.json").read_text("utf-8"))
    assert manifest["dataset"]["licence"]["iri"] == str(CC0)
    assert manifest["dataset"]["version"] == manifest["release"]
    assert "dataset.yaml" in [source["name"] for source in manifest["sources"]]
    metadata = Release.open(bundled).metadata
    assert metadata.licence == Licence(str(CC0), "CC0-1.0", "Creative Commons Zero v1.0 Universal")
    assert metadata.title == "confgraph: meeting and conference programmes"
    assert metadata.version == manifest["release"] and metadata.year == 2023
    assert metadata.authors == ("The confgraph project",) and metadata.source == "dataset.yaml"
    assert DatasetMetadata.from_json(metadata.to_json()) == metadata


def test_every_field_reaches_the_description(mini_data: Path, tmp_path: Path) -> None:
    write_dataset(mini_data, DATASET)
    release = run_build(mini_data, tmp_path / "out", Iris("https://data.example.org"))
    void = Graph().parse(release / "void.ttl")
    dataset = URIRef("https://data.example.org/dataset")
    assert void.value(dataset, DCTERMS.license) == URIRef("https://spdx.org/licenses/CC-BY-4.0")
    contact = void.value(dataset, DCAT.contactPoint)
    assert void.value(contact, VCARD.hasEmail) == URIRef("mailto:data@example.org")
    assert void.value(contact, VCARD.fn) == Literal("Data desk")
    homepage = void.value(void.value(dataset, DCTERMS.publisher), FOAF.homepage)
    assert homepage == URIRef("https://publisher.example.org/")
    creators = {void.value(node, FOAF.name) for node in void.objects(dataset, DCTERMS.creator)}
    assert creators == {Literal("Ada Lovelace"), Literal("Charles Babbage")}
    citation = Release.open(release).metadata.citation
    assert citation == (
        f"Ada Lovelace; Charles Babbage (2024). Programmes of a test series. "
        f"Version {release.name}. https://data.example.org/dataset"
    )


def test_a_citation_text_and_an_iri_licence_are_kept_as_written(mini_data: Path) -> None:
    text = DATASET.replace("licence: CC-BY-4.0", "licence: https://example.org/our-licence")
    write_dataset(mini_data, text + "  text: Cite us as the test series.\n")
    metadata = read_metadata(mini_data)
    assert metadata is not None and metadata.licence == Licence("https://example.org/our-licence")
    released = metadata.for_release("r1", "https://example.org/dataset", 2030)
    assert released.citation == "Cite us as the test series." and released.year == 2024


def test_an_spdx_page_iri_is_the_spdx_licence(mini_data: Path) -> None:
    write_dataset(mini_data, DATASET.replace("CC-BY-4.0", "https://spdx.org/licenses/CC0-1.0.html"))
    metadata = read_metadata(mini_data)
    assert metadata is not None and metadata.licence is not None
    assert metadata.licence.spdx_id == "CC0-1.0" and metadata.licence.iri == str(CC0)


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("licence: CC-BY-4.0", "licence: CC-BY4.0", 3, "did you mean CC-BY-4.0?"),
        ("licence: CC-BY-4.0", "licence: cc0-1.0", 3, "did you mean CC0-1.0?"),
        ("licence: CC-BY-4.0", "licence: 'http://'", 3, "licence 'http://' is not"),
        ("title: Programmes of a test series\n", "", 1, "missing required field 'title'"),
        ("  email: data@example.org", "  email: data-at-example", 9, "not an e-mail address"),
        ("  email: data@example.org", "  phone: 123", 9, "unknown field 'phone'"),
        ("  email: data@example.org\n", "", 7, "a contact needs an 'email' or a 'url'"),
        ("  url: https://publisher.example.org/", "  url: ftp://x.org", 6, "not an http(s) URL"),
        ("  year: 2024", "  year: 24", 13, "year 24 is not a year"),
        ("  year: 2024", "  year: '2024'", 13, "'year' must be a whole number"),
        ("keywords: [meetings, tests]", "keywords: meetings", 10, "'keywords' must be a list"),
        ("keywords: [meetings, tests]", "keyword: [a]", 10, "unknown field 'keyword'"),
        ("licence: CC-BY-4.0", "licence: CC-BY-4.0\ntitle: again", 4, "key 'title': on line 1"),
        ("licence: CC-BY-4.0", f"licence: CC0-1.0\n{SOURCES}", 6, "source 'reference/nothing.csv'"),
        ("licence: CC-BY-4.0", f"licence: CC0-1.0\n{SOURCES}".replace(": MIT", ": MTI"), 5, "MIT?"),
    ],
)
def test_a_bad_dataset_file_is_named_with_its_line(
    mini_data: Path, old: str, new: str, line: int, message: str
) -> None:
    assert old in DATASET
    error = metadata_error(mini_data, DATASET.replace(old, new, 1))
    assert error.path.endswith("dataset.yaml") and error.line == line, str(error)
    assert message in error.message


def test_a_bad_dataset_file_stops_the_build_with_exit_code_2(
    mini_data: Path, tmp_path: Path
) -> None:
    write_dataset(mini_data, DATASET.replace("licence: CC-BY-4.0", "licence: CC-BY"))
    result = CliRunner().invoke(
        main, ["build", "--data", str(mini_data), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 2
    assert "dataset.yaml:3: licence 'CC-BY' is not an SPDX id" in result.output
    assert not (tmp_path / "out" / "current").exists()


def test_without_a_dataset_file_the_build_warns_and_uses_defaults(
    mini_data: Path, tmp_path: Path
) -> None:
    said = io.StringIO()
    release = run_build(mini_data, tmp_path / "out", Iris(), Progress.to(said))
    assert "dataset.yaml not found" in said.getvalue()
    metadata = Release.open(release).metadata
    assert metadata.licence is None and metadata.source == ""
    assert metadata.title == DatasetMetadata().title and release.name in metadata.citation
    void = Graph().parse(release / "void.ttl")
    assert void.value(Iris().dataset(), DCTERMS.license) is None


def test_a_changed_dataset_file_is_a_change(mini_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    arguments = ["build", "--data", str(mini_data), "--out", str(out)]
    runner = CliRunner()
    assert "release written" in runner.invoke(main, arguments).output
    write_dataset(mini_data, DATASET)
    assert "release written" in runner.invoke(main, arguments).output
    assert "nothing changed" in runner.invoke(main, arguments).output
    write_dataset(mini_data, DATASET.replace("Test Publisher", "Another Publisher"))
    assert "release written" in runner.invoke(main, arguments).output
    publisher = Release.open(out).metadata.publisher
    assert publisher is not None and publisher.name == "Another Publisher"


def test_an_old_release_without_metadata_opens_with_the_defaults(bundled: Path) -> None:
    copy = bundled.parent / "old"
    shutil.copytree(bundled, copy, ignore=shutil.ignore_patterns("store"))
    manifest = json.loads((copy / "release.json").read_text("utf-8"))
    del manifest["dataset"]
    (copy / "release.json").write_text(json.dumps(manifest), "utf-8")
    assert Release.open(copy).metadata == DatasetMetadata()
