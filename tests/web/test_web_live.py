"""The real server process (waitress) on a free loopback port, talked to with real clients."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import URIRef
from rdfparse import parse_rdf
from SPARQLWrapper import CSV, JSON, JSONLD, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from webfixture import ID, M

from confgraph.web.commands import query as query_command

SELECT = (
    "PREFIX cg: <https://w3id.org/confgraph/ontology#> "
    "SELECT ?country ?code WHERE { ?country cg:isoAlpha3 ?code } ORDER BY ?code"
)
CONSTRUCT = f"CONSTRUCT {{ <{M}> ?p ?o }} WHERE {{ <{M}> ?p ?o }}"


def sparql(server: str, query: str, fmt: str, method: str | None = None) -> SPARQLWrapper:
    client = SPARQLWrapper(server + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    if method:
        client.setMethod(method)
    return client


def raw(client: SPARQLWrapper) -> tuple[str, bytes]:
    result = client.query()
    try:
        return result.response.headers["Content-Type"], result.response.read()
    finally:
        result.response.close()


@pytest.mark.parametrize("method", [None, POST])
def test_sparqlwrapper_select_json(server: str, method: str | None) -> None:
    result = sparql(server, SELECT, JSON, method).queryAndConvert()
    assert [b["code"]["value"] for b in result["results"]["bindings"]] == ["AFG", "BRA"]


@pytest.mark.parametrize(
    ("fmt", "media_type", "marker"),
    [
        (XML, "application/sparql-results+xml", b"<literal>BRA</literal>"),
        (CSV, "text/csv", b"BRA"),
        (TSV, "text/tab-separated-values", b'"BRA"'),
    ],
)
def test_sparqlwrapper_select_other_formats(
    server: str, fmt: str, media_type: str, marker: bytes
) -> None:
    content_type, body = raw(sparql(server, SELECT, fmt))
    assert content_type.startswith(media_type)
    assert marker in body


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(server: str, fmt: str) -> None:
    _, body = raw(sparql(server, f"ASK {{ <{M}> ?p ?o }}", fmt))
    assert b"true" in body


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"), [(TURTLE, "turtle"), (JSONLD, "json-ld"), (RDFXML, "xml")]
)
def test_sparqlwrapper_construct(server: str, fmt: str, rdflib_format: str) -> None:
    _, body = raw(sparql(server, CONSTRUCT, fmt))
    graph = parse_rdf(body, rdflib_format)
    assert (URIRef(M), URIRef("https://w3id.org/confgraph/ontology#timeZone"), None) in graph


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_303_see_other_with_plain_http(server: str) -> None:
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(
        server + "/id/country/bra", headers={"Accept": "application/ld+json"}
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        opener.open(request, timeout=10)
    error = caught.value
    assert error.code == 303
    assert error.headers["Location"].endswith("/id/country/bra.jsonld")
    assert "Accept" in error.headers["Vary"]
    error.close()
    with urllib.request.urlopen(server + "/id/country/bra.jsonld", timeout=10) as response:
        data = json.loads(response.read())
    assert ID + "/country/bra" in json.dumps(data)


def test_conditional_and_range_gets_with_plain_http(server: str) -> None:
    url = server + "/dumps/confgraph.ttl"
    with urllib.request.urlopen(url, timeout=10) as response:
        etag, modified = response.headers["ETag"], response.headers["Last-Modified"]
        length = int(response.headers["Content-Length"])
        assert len(response.read()) == length
    for header, value in (("If-None-Match", etag), ("If-Modified-Since", modified)):
        request = urllib.request.Request(url, headers={header: value})
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(request, timeout=10)
        assert caught.value.code == 304
        caught.value.close()
    request = urllib.request.Request(url, headers={"Range": "bytes=10-19"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 206 and len(response.read()) == 10


def test_query_command_against_the_endpoint(server: str) -> None:
    runner = CliRunner()
    table = runner.invoke(query_command, ["--endpoint", server + "/sparql", SELECT])
    assert table.exit_code == 0, table.output
    assert table.output.splitlines()[0].split() == ["country", "code"]
    assert "BRA" in table.output
    as_json = runner.invoke(
        query_command, ["--endpoint", server + "/sparql", "--output", "json", SELECT]
    )
    assert json.loads(as_json.output)["head"]["vars"] == ["country", "code"]


def test_query_command_against_a_release(release_dir: Path) -> None:
    runner = CliRunner()
    as_csv = runner.invoke(
        query_command, ["--release", str(release_dir), "--output", "csv", SELECT]
    )
    assert as_csv.output.splitlines() == [
        "country,code",
        f"{ID}/country/afg,AFG",
        f"{ID}/country/bra,BRA",
    ]
    bad = runner.invoke(query_command, ["--release", str(release_dir), "SELECT * {"])
    assert bad.exit_code == 5 and "syntax error" in bad.output
