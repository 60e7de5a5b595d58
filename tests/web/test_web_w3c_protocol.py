"""The W3C SPARQL 1.1 Protocol manifest, run through the Flask test client on both engines.

The manifest assumes a writable endpoint whose dataset includes data0.rdf. This endpoint
is read-only by design, so the update cases must be refused (400, saying so) where the
manifest expects success. data0.rdf is not in the test dataset (the suite does not ship
it): the endpoint reads a graph it does not hold as an empty graph, as the cases expect.
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.query import Result
from rdfparse import parse_rdf

from confgraph.settings import Settings
from confgraph.store.base import Store
from confgraph.store.oxigraph_engine import OxigraphStore
from confgraph.store.rdflib_engine import RdflibStore
from confgraph.store.release import Release
from confgraph.web.app import create_app

HERE = Path(__file__).resolve().parent / "w3c"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
DATA0 = "http://kasei.us/2009/09/sparql/data/data0.rdf"
RESULT_TYPES = ("application/sparql-results+json", "application/sparql-results+xml")
TABULAR_TYPES = (*RESULT_TYPES, "text/csv", "text/tab-separated-values")
RESULT_PARSERS = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
# The manifest gives no result files; the bindings its tabular queries must return.
EXPECTED_BINDINGS = {"query_content_type_select": [{"value": "1"}]}
DATA = "http://kasei.us/2009/09/sparql/data/"
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


@dataclass(frozen=True)
class Case:
    """One manifest entry: its first HTTP request and what the response must be."""

    name: str
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[URIRef]
    boolean: bool | None
    result_format: str | None

    @property
    def is_update(self) -> bool:
        """Tell whether the case asks the endpoint to change its data."""
        return "update" in self.name and not self.name.startswith("bad_")


def read_manifest() -> list[Case]:
    """Read every entry of the manifest in its listed order."""
    manifest = Graph().parse(HERE / "manifest.ttl", format="turtle", publicID="http://example/")
    head = next(manifest.subjects(RDF.type, MF.Manifest))
    entries = Collection(manifest, manifest.value(head, MF.entries))
    return [_case(manifest, entry) for entry in entries]


def _case(manifest: Graph, entry: URIRef) -> Case:
    action = manifest.value(entry, MF.action)
    request = next(iter(Collection(manifest, manifest.value(action, HT.requests))))
    headers = {}
    if (header_list := manifest.value(request, HT.headers)) is not None:
        for header in Collection(manifest, header_list):
            headers[str(manifest.value(header, HT.fieldName))] = str(
                manifest.value(header, HT.fieldValue)
            )
    body = manifest.value(request, HT.body)
    chars = manifest.value(body, CNT.chars) if body is not None else None
    response = manifest.value(request, HT.resp)
    boolean = manifest.value(response, MF.expectedBoolean)
    result_format = manifest.value(response, MF.expectedFormat)
    return Case(
        name=str(entry).rsplit("#", 1)[-1],
        method=str(manifest.value(request, HT.methodName)),
        path=str(manifest.value(request, HT.absolutePath)),
        headers=headers,
        body=None if chars is None else str(chars).encode("utf-8"),
        statuses=frozenset(manifest.objects(response, MF.expectedStatus)),
        boolean=None if boolean is None else bool(boolean.toPython()),
        result_format=None if result_format is None else str(result_format),
    )


CASES = read_manifest()


def _oxigraph() -> Store:
    store = ox.Store()
    store.load(path=str(HERE / "data-as-named-graphs.trig"), format=ox.RdfFormat.TRIG)
    return OxigraphStore(store)


def _rdflib() -> Store:
    return RdflibStore.from_file(HERE / "data-as-named-graphs.trig")


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def protocol_app(request: pytest.FixtureRequest, release: Release) -> Iterator[Flask]:
    """Return an app over the protocol suite's data with each engine."""
    store = _oxigraph() if request.param == "oxigraph" else _rdflib()
    yield create_app(Settings(query_workers=0), store, release)
    store.close()


def test_the_graph_the_cases_name_is_not_in_the_dataset() -> None:
    for store in (_oxigraph(), _rdflib()):
        assert URIRef(DATA0) not in store.graphs()
        store.close()


def test_manifest_lists_every_case() -> None:
    assert len(CASES) == 34
    assert sum(case.is_update for case in CASES) == 7


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_protocol_case(protocol_app: Flask, case: Case) -> None:
    check_case(protocol_app, case)


def check_case(app: Flask, case: Case) -> None:
    """Send a manifest case's request to the app; check its response as the manifest says."""
    client = app.test_client()
    response = client.open(
        case.path,
        method=case.method,
        data=case.body,
        headers={k: v for k, v in case.headers.items() if k.lower() != "content-type"},
        content_type=case.headers.get("content-type"),
    )
    text = response.get_data(as_text=True)
    if case.is_update:
        assert response.status_code == 400, text
        assert "read-only" in text
        return
    assert _status_class(response.status_code) in case.statuses, (response.status_code, text)
    if case.result_format == "boolean":
        assert response.mimetype in RESULT_TYPES
        assert _boolean(response.mimetype, text) is (True if case.boolean is None else case.boolean)
    elif case.result_format == "tabular":
        assert response.mimetype in TABULAR_TYPES
        assert _bindings(response.mimetype, response.get_data()) == EXPECTED_BINDINGS[case.name]
    elif case.result_format == "RDF":
        assert response.mimetype in RDF_TYPES
        parse_rdf(response.get_data(), RDF_TYPES[response.mimetype], base="http://localhost/sparql")


def _status_class(status: int) -> URIRef:
    return HTS[f"StatusCode{status // 100}xx"]


def _boolean(mimetype: str, text: str) -> bool:
    if mimetype.endswith("json"):
        return json.loads(text)["boolean"]
    ns = "{http://www.w3.org/2005/sparql-results#}"
    return ET.fromstring(text).find(f"{ns}boolean").text == "true"


def _bindings(mimetype: str, body: bytes) -> list[dict[str, str]]:
    """Parse tabular results into rows of variable -> lexical value."""
    result = Result.parse(io.BytesIO(body), format=RESULT_PARSERS[mimetype])
    return [{str(k): str(v) for k, v in row.asdict().items()} for row in result]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            f"SELECT ?doc FROM <{DATA}data1.rdf> WHERE {{ ?doc a ?type }}",
            [{"doc": f"{DATA}data1.rdf"}],
        ),
        (
            f"SELECT ?g ?doc FROM NAMED <{DATA}data2.rdf> WHERE {{ GRAPH ?g {{ ?doc a ?type }} }}",
            [{"g": f"{DATA}data2.rdf", "doc": f"{DATA}data2.rdf"}],
        ),
        (f"SELECT ?doc FROM NAMED <{DATA}data2.rdf> WHERE {{ ?doc a ?type }}", []),
        (
            f"SELECT ?doc FROM <{DATA}data3.rdf> FROM NAMED <{DATA}data1.rdf> "
            "WHERE { ?doc a ?type } ",
            [{"doc": f"{DATA}data3.rdf"}],
        ),
    ],
)
def test_from_clauses_in_the_query_text(
    protocol_app: Flask, query: str, expected: list[dict[str, str]]
) -> None:
    response = protocol_app.test_client().get(
        "/sparql", query_string={"query": query}, headers={"Accept": RESULT_TYPES[0]}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert _bindings(response.mimetype, response.get_data()) == expected
