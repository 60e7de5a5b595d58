"""The release's CSV tables and data package, read back against the dataset they come from."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import frictionless
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, VOID

from confgraph.iris import Iris
from confgraph.pipeline import run_build
from confgraph.settings import Settings
from confgraph.store.registry import open_store
from confgraph.store.release import Release
from confgraph.tables import TABLES
from confgraph.web.app import create_app

DATA = Path(__file__).resolve().parents[1] / "data"
PREFIXES = """PREFIX cg: <https://w3id.org/confgraph/ontology#>
PREFIX conf: <https://w3id.org/scholarlydata/ontology/conference-ontology.owl#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""
WRITTEN = ("statements.csv", "people.csv", "items.csv", "datapackage.json", "search.sqlite")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the repository's data once."""
    return run_build(DATA, tmp_path_factory.mktemp("tables"), Iris())


@pytest.fixture(scope="module")
def data(built: Path) -> Graph:
    return Graph().parse(built / "confgraph.ttl")


def rows(built: Path, name: str) -> list[dict[str, str]]:
    text = (built / name).read_bytes().decode("utf-8")
    assert text.endswith("\r\n")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def select(graph: Graph, query: str) -> set[tuple[str, ...]]:
    return {
        tuple("" if v is None else str(v) for v in row) for row in graph.query(PREFIXES + query)
    }


def test_statements_table_holds_every_statement_and_agent(built: Path, data: Graph) -> None:
    expected = select(
        data,
        """SELECT ?s ?m ?item ?group ?listed ?agent ?code WHERE {
          ?s a cg:Statement ; cg:atMeeting ?m ; cg:deliveredBy ?agent .
          OPTIONAL { ?s cg:deliveredAt ?item } OPTIONAL { ?s cg:listedUnder ?group }
          OPTIONAL { ?s cg:listedAs ?listed } OPTIONAL { ?agent cg:isoAlpha3 ?code } }""",
    )
    table = rows(built, "statements.csv")
    found = {
        (r["statement"], r["meeting"], r["item"], r["group"], r["listed_as"], r["agent"],
         r["agent_country_code"])
        for r in table
    }  # fmt: skip
    assert found == expected and len(table) == len(expected)
    germany = next(r for r in table if r["statement"].endswith("/statement/deu-at-panel-1"))
    assert (germany["agent_name"], germany["agent_country_code"]) == ("Germany", "DEU")
    assert germany["item_name"] == "Panel 1: Smuggling of migrants"
    assert germany["group_name"] == "Member States" and germany["position"] == "12"


def test_statements_table_gives_language_and_behalf(built: Path, data: Graph) -> None:
    table = rows(built, "statements.csv")
    behalf = [r for r in table if r["on_behalf_of"]]
    expected = select(data, "SELECT ?s ?o WHERE { ?s cg:onBehalfOf ?o }")
    assert {(r["statement"], r["on_behalf_of"]) for r in behalf} == expected
    assert behalf[0]["on_behalf_of_name"] == "Caritas Internationalis"
    languages = {(r["statement"], r["language"]) for r in table if r["language"]}
    stated = select(data, "SELECT ?s ?l WHERE { ?s dcterms:language ?l }")
    assert languages == {(s, language.rsplit("/", 1)[1]) for s, language in stated}


def test_people_table_holds_every_role(built: Path, data: Graph) -> None:
    expected = select(
        data,
        """SELECT ?person ?role ?type ?item WHERE {
          ?role conf:isHeldBy ?person ; conf:withRole ?type ; conf:during ?item }""",
    )
    table = rows(built, "people.csv")
    found = {(r["person"], r["role"], r["role_type"], r["item"]) for r in table if r["role"]}
    assert found == {(p, r, t.rsplit("#", 1)[1], i) for p, r, t, i in expected}
    people = select(data, "SELECT ?p WHERE { ?p a foaf:Person }")
    assert {(r["person"],) for r in table} == people
    shaw = next(r for r in table if r["person"].endswith("/person/mark-shaw"))
    assert (shaw["name"], shaw["honorific"], shaw["job_title"]) == ("Mark Shaw", "Mr.", "Director")
    assert shaw["affiliation_name"] == "Global Initiative against Transnational Organized Crime"


def test_items_table_holds_every_item(built: Path, data: Graph) -> None:
    expected = select(
        data,
        """SELECT ?item ?start ?end WHERE { ?item a cg:ProgrammeItem ;
          schema:startDate ?start ; schema:endDate ?end }""",
    )
    table = rows(built, "items.csv")
    assert {(r["item"], r["start"], r["end"]) for r in table} == expected
    panel = next(r for r in table if r["item"].endswith("/session/panel-1"))
    assert (panel["kind"], panel["panel_number"]) == ("Panel", "1")
    assert panel["meeting"].endswith("/meeting/2017-09-vienna-smuggling-trafficking")
    assert panel["place_name"] == "Plenary Room" and panel["description"].startswith("This panel")


def test_datapackage_is_valid_by_the_reference_implementation(built: Path) -> None:
    report = frictionless.validate(str(built / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((built / "datapackage.json").read_text("utf-8"))
    assert [r["path"] for r in package["resources"]] == [t.path for t in TABLES]
    for resource in package["resources"]:
        header = (built / resource["path"]).read_text("utf-8").splitlines()[0].split(",")
        assert header == [f["name"] for f in resource["schema"]["fields"]]


def test_tables_are_listed_and_described(built: Path) -> None:
    manifest = json.loads((built / "release.json").read_text())
    for name in WRITTEN:
        assert name in manifest["files"], name
    assert manifest["files"]["statements.csv"]["media_type"] == "text/csv"
    void = Graph().parse(built / "void.ttl")
    dataset = Iris().dataset()
    table = URIRef(f"{Iris().base}/dumps/statements.csv")
    assert (dataset, DCAT.distribution, table) in void
    assert (dataset, VOID.dataDump, table) not in void
    assert str(void.value(table, DCAT.mediaType)).endswith("/text/csv")


def test_dumps_page_and_served_description_list_the_tables(built: Path) -> None:
    release = Release.open(built)
    store = open_store("oxigraph", release.source("oxigraph"))
    try:
        settings = Settings(release=str(built), query_workers=0)
        client = create_app(settings, store, release).test_client()
        listing = client.get("/dumps/").get_data(as_text=True)
        for name in WRITTEN:
            assert f'href="/dumps/{name}"' in listing, name
        with client.get("/dumps/statements.csv") as csv_file:
            assert csv_file.status_code == 200 and csv_file.mimetype == "text/csv"
            assert csv_file.get_data() == (built / "statements.csv").read_bytes()
        served = Graph().parse(data=client.get("/dataset.ttl").get_data(as_text=True))
        table = URIRef(f"{Iris().base}/dumps/statements.csv")
        assert str(served.value(table, DCAT.downloadURL)) == "http://localhost/dumps/statements.csv"
        statements = client.get("/statements/").get_data(as_text=True)
        assert 'href="/dumps/statements.csv"' in statements
    finally:
        store.close()


@pytest.fixture(scope="module")
def twice(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """Build the same data twice at the same fixed build time."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1500000000")
        first = run_build(DATA, tmp_path_factory.mktemp("first"), Iris())
        second = run_build(DATA, tmp_path_factory.mktemp("second"), Iris())
    yield first, second


@pytest.mark.parametrize("name", WRITTEN)
def test_same_input_same_bytes(twice: tuple[Path, Path], name: str) -> None:
    first, second = twice
    assert (first / name).read_bytes() == (second / name).read_bytes()
