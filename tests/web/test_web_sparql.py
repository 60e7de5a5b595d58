"""The SPARQL endpoint through the Flask test client: methods, formats, errors, refusals."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from flask.testing import FlaskClient
from htmlparse import parse_html
from loopback import listener
from rdflib import URIRef
from rdfparse import parse_rdf
from webfixture import GRAPH, ID, ONTOLOGY, M

SELECT = (
    "PREFIX cg: <https://w3id.org/confgraph/ontology#> "
    "SELECT ?c ?code WHERE { ?c cg:isoAlpha3 ?code } ORDER BY ?code"
)
ASK = "ASK { ?s a <https://w3id.org/confgraph/ontology#Meeting> }"
CONSTRUCT = f"CONSTRUCT {{ <{M}> ?p ?o }} WHERE {{ <{M}> ?p ?o }}"
DESCRIBE = f"DESCRIBE <{ID}/country/bra>"
SPARQL_JSON = "application/sparql-results+json"


def get(client: FlaskClient, query: str, accept: str = "*/*", **params: str):
    return client.get(
        "/sparql", query_string={"query": query, **params}, headers={"Accept": accept}
    )


def test_select_by_get_post_form_and_post_direct_agree(client: FlaskClient) -> None:
    by_get = get(client, SELECT, SPARQL_JSON).get_json()
    by_form = client.post("/sparql", data={"query": SELECT}, headers={"Accept": SPARQL_JSON})
    direct = client.post(
        "/sparql",
        data=SELECT.encode(),
        content_type="application/sparql-query",
        headers={"Accept": SPARQL_JSON},
    )
    assert by_form.get_json() == by_get == direct.get_json()
    codes = [b["code"]["value"] for b in by_get["results"]["bindings"]]
    assert codes == ["AFG", "BRA"]
    assert by_get["head"]["vars"] == ["c", "code"]


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("*/*", "application/sparql-results+json"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("text/html", "text/html"),
    ],
)
def test_select_negotiates_every_result_format(
    client: FlaskClient, accept: str, media_type: str
) -> None:
    response = get(client, SELECT, accept)
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert "Accept" in response.headers["Vary"]
    body = response.get_data(as_text=True)
    if media_type.endswith("json"):
        assert len(json.loads(body)["results"]["bindings"]) == 2
    elif media_type.endswith("xml"):
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        assert len(ET.fromstring(body).findall(".//r:result", ns)) == 2
    elif media_type == "text/csv":
        rows = list(csv.reader(io.StringIO(body)))
        assert rows == [["c", "code"], [f"{ID}/country/afg", "AFG"], [f"{ID}/country/bra", "BRA"]]
    elif media_type == "text/tab-separated-values":
        assert body.splitlines() == [
            "?c\t?code",
            f'<{ID}/country/afg>\t"AFG"',
            f'<{ID}/country/bra>\t"BRA"',
        ]
    else:
        table = parse_html(body).by_id("results-table")
        assert table is not None and len(table.iter("tr")) == 3


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_ask_in_every_result_format(client: FlaskClient, fmt: str) -> None:
    body = get(client, ASK, format=fmt).get_data(as_text=True)
    assert "true" in body


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("*/*", "turtle"),
    ],
)
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE])
def test_graph_results_in_every_rdf_format(
    client: FlaskClient, query: str, accept: str, rdflib_format: str
) -> None:
    response = get(client, query, accept)
    assert response.status_code == 200, response.get_data(as_text=True)
    graph = parse_rdf(response.get_data(), rdflib_format)
    assert len(graph) > 3
    assert any(s in (URIRef(M), URIRef(f"{ID}/country/bra")) for s in graph.subjects())


def test_format_parameter_beats_accept(client: FlaskClient) -> None:
    response = get(client, SELECT, "application/sparql-results+json", format="csv")
    assert response.mimetype == "text/csv"


def test_unmet_accept_is_406(client: FlaskClient) -> None:
    assert get(client, SELECT, "image/png").status_code == 406
    assert get(client, CONSTRUCT, "application/sparql-results+json").status_code == 406
    assert get(client, SELECT, format="yaml").status_code == 406


def test_syntax_error_is_400_with_the_parsers_message(client: FlaskClient) -> None:
    # The engine parses the query (in a worker): an Accept that no format meets is a 406
    # first, so this asks for any format.
    response = get(client, "SELECT * WHERE { ?s ?p ")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "syntax error" in text and "line 1, column" in text


@pytest.mark.parametrize(
    ("query", "why"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "read-only"),
        ("LOAD <http://example.org/data.ttl>", "read-only"),
        ("CLEAR ALL", "read-only"),
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    ],
)
def test_refused_queries_say_why(client: FlaskClient, query: str, why: str) -> None:
    response = get(client, query, "text/plain")
    assert response.status_code == 400
    assert why in response.get_data(as_text=True)


def test_update_posts_are_refused(client: FlaskClient) -> None:
    direct = client.post("/sparql", data=b"CLEAR ALL", content_type="application/sparql-update")
    form = client.post("/sparql", data={"update": "CLEAR ALL"})
    assert direct.status_code == form.status_code == 400
    assert "read-only" in direct.get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM <http://example.org/other> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "PREFIX x: <file:///etc/> SELECT * FROM x:passwd WHERE { ?s ?p ?o }",
    ],
)
def test_graphs_the_dataset_lacks_in_from_are_empty_never_fetched(
    client: FlaskClient, query: str
) -> None:
    response = get(client, query, SPARQL_JSON)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["results"]["bindings"] == []


def test_graph_parameters_outside_the_dataset_name_empty_graphs(client: FlaskClient) -> None:
    with listener() as found:
        elsewhere = {"default-graph-uri": found.url, "named-graph-uri": "file:///etc/passwd"}
        outside = get(client, "SELECT * { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
                      SPARQL_JSON, **elsewhere)  # fmt: skip
    assert outside.status_code == 200, outside.get_data(as_text=True)
    assert outside.get_json()["results"]["bindings"] == []
    assert found.connections == []
    inside = get(client, ASK, SPARQL_JSON, **{"default-graph-uri": GRAPH})
    assert inside.get_json()["boolean"] is True


def test_from_inside_the_dataset_is_allowed_and_makes_the_dataset(client: FlaskClient) -> None:
    query = f"ASK FROM <{GRAPH}> {{ <{M}> ?p ?o }}"
    assert get(client, query, SPARQL_JSON).get_json()["boolean"] is True
    only_ontology = f"ASK FROM <{ONTOLOGY}> {{ <{M}> ?p ?o }}"
    assert get(client, only_ontology, SPARQL_JSON).get_json()["boolean"] is False
    named_only = f"ASK FROM NAMED <{GRAPH}> {{ <{M}> ?p ?o }}"
    assert get(client, named_only, SPARQL_JSON).get_json()["boolean"] is False


def test_service_hidden_behind_an_escape_is_never_called(client: FlaskClient) -> None:
    with listener() as found:
        query = (
            f'SELECT * WHERE {{ OPTIONAL {{ ?s ?p "\\u005c" }} '
            f'SERVICE <{found.url}> {{ ?s ?p ?o }} }} #" }} }}'
        )
        response = get(client, query, SPARQL_JSON)
        escaped = get(client, f"ASK {{ \\u0053ERVICE <{found.url}> {{ ?s ?p ?o }} }}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert escaped.status_code == 400 and "SERVICE" in escaped.get_data(as_text=True)
    assert found.connections == []


def test_row_limit_is_a_clear_400(client: FlaskClient) -> None:
    response = get(client, "SELECT * WHERE { ?s ?p ?o }")
    assert response.status_code == 400
    assert "row limit" in response.get_data(as_text=True)
    assert get(client, "SELECT * WHERE { ?s ?p ?o } LIMIT 10").status_code == 200


def test_protocol_errors(client: FlaskClient) -> None:
    assert client.put("/sparql", query_string={"query": ASK}).status_code == 405
    two = client.get("/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D")
    assert two.status_code == 400
    plain = client.post("/sparql", data=b"ASK {}", content_type="text/plain")
    assert plain.status_code == 415
    utf16 = client.post(
        "/sparql",
        data="ASK {}".encode("utf-16"),
        content_type="application/sparql-query; charset=UTF-16",
    )
    assert utf16.status_code == 415
    bad_bytes = client.post("/sparql", data=b"ASK {\xff}", content_type="application/sparql-query")
    assert bad_bytes.status_code == 400
    missing = client.post("/sparql", data={"default-graph-uri": GRAPH})
    assert missing.status_code == 400
    assert "no query" in missing.get_data(as_text=True)


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/n-triples", "nt"),
    ],
)
def test_service_description_for_machines(
    client: FlaskClient, accept: str, rdflib_format: str
) -> None:
    response = client.get("/sparql", headers={"Accept": accept})
    graph = parse_rdf(response.get_data(), rdflib_format)
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (
        URIRef("http://localhost/sparql"),
        URIRef(sd + "endpoint"),
        URIRef("http://localhost/sparql"),
    ) in graph
    assert URIRef(GRAPH) in set(graph.objects(None, URIRef(sd + "name")))


def test_query_page_for_browsers(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    )
    page = parse_html(response.get_data(as_text=True))
    editor = page.by_id("query")
    assert editor is not None and "PREFIX cg:" in editor.text
    examples = [a for a in page.iter("a") if "example" in a.attrs.get("class", "")]
    assert len(examples) >= 4


def test_results_table_links_iris_to_local_pages_and_offers_downloads(client: FlaskClient) -> None:
    page = parse_html(get(client, SELECT, "text/html").get_data(as_text=True))
    links = dict(page.by_id("results-table").links())
    assert links["/id/country/bra"] == "Brazil"
    downloads = page.iter("a")
    formats = {a.attrs.get("download") for a in downloads if a.attrs.get("download")}
    assert formats == {"results.srj", "results.srx", "results.csv", "results.tsv"}


def test_download_links_keep_the_protocol_dataset(client: FlaskClient) -> None:
    response = client.get(
        "/sparql",
        query_string={"query": SELECT, "default-graph-uri": GRAPH},
        headers={"Accept": "text/html"},
    )
    page = parse_html(response.get_data(as_text=True))
    downloads = [a.attrs["href"] for a in page.iter("a") if a.attrs.get("download")]
    assert len(downloads) == 4
    for href in downloads:
        followed = client.get(href)
        assert followed.status_code == 200
        assert "default-graph-uri=" in href


def test_cors_is_open(client: FlaskClient) -> None:
    response = client.options("/sparql", headers={"Origin": "https://example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
