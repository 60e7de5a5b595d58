"""Where Virtuoso 7 and Oxigraph server depart from the standards: each deviation that
confgraph works around (docs/engines.md, "Deviations"), shown on the real engine.

Each test pins the engine's behaviour as it is; one that starts failing after an engine
upgrade means the deviation is gone and the workaround in docs/engines.md can be revisited.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from engines import (
    JSON,
    Engine,
    call,
    count_in,
    oxigraph_server,
    put_graph,
    query,
    rows,
)

XSD = "http://www.w3.org/2001/XMLSchema#"
G = "http://example.org/deviations"
EX = "http://example.org/"
SYSTEM_GRAPH = "http://www.openlinksw.com/schemas/virtrdf#"
LITERALS = f"""\
<{EX}s> <{EX}integer> "01"^^<{XSD}integer> .
<{EX}s> <{EX}bad-integer> "many"^^<{XSD}integer> .
<{EX}s> <{EX}boolean> "1"^^<{XSD}boolean> .
<{EX}s> <{EX}duration> "PT1H30M"^^<{XSD}duration> .
<{EX}s> <{EX}date-time> "2017-09-04T10:00:00+02:00"^^<{XSD}dateTime> .
<{EX}s> <{EX}date> "2017-09-04"^^<{XSD}date> .
<{EX}s> <{EX}count> "42"^^<{XSD}integer> .
<{EX}s> <{EX}typed-string> "typed"^^<{XSD}string> .
<{EX}s> <{EX}simple> "simple" .
<{EX}s> <{EX}lang> "colour"@en-GB .
<{EX}s> <{EX}blank> _:b .
_:b <{EX}name> "inner" .
<{EX}other> <{EX}knows> <{EX}s> .
""".encode()


@pytest.fixture(scope="module")
def virtuoso(virtuoso_engine: Engine) -> Engine:
    """Return the session's Virtuoso with the literals of this module in graph G."""
    assert put_graph(virtuoso_engine, G, LITERALS).status == 201
    return virtuoso_engine


@pytest.fixture(scope="module")
def oxigraph(oxigraph_engine: Engine) -> Engine:
    """Return the session's Oxigraph server with the literals of this module in graph G."""
    assert put_graph(oxigraph_engine, G, LITERALS).status in (201, 204)
    return oxigraph_engine


def objects(engine: Engine, predicate: str) -> list[dict[str, str]]:
    """Return the JSON terms of the objects of predicate in graph G."""
    found = rows(engine, f"SELECT ?o WHERE {{ GRAPH <{G}> {{ ?s <{EX}{predicate}> ?o }} }}")
    return [row["o"] for row in found]


def header(engine: Engine, text: str, name: str, **params: str) -> str | None:
    """Return one response header of a query."""
    return query(engine, text, **params).headers.get(name)


# Virtuoso


def test_virtuoso_default_graph_holds_its_system_graphs(virtuoso: Engine) -> None:
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert int(rows(virtuoso, everything)[0]["n"]["value"]) > 2000
    graphs = rows(virtuoso, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert SYSTEM_GRAPH in {row["g"]["value"] for row in graphs}
    confined = rows(virtuoso, everything, **{"default-graph-uri": G})
    assert int(confined[0]["n"]["value"]) == count_in(virtuoso, G)


def test_virtuoso_json_results_say_typed_literal(virtuoso: Engine) -> None:
    assert objects(virtuoso, "count") == [
        {"type": "typed-literal", "datatype": XSD + "integer", "value": "42"}
    ]


def test_virtuoso_keeps_xsd_string_apart_from_the_simple_literal(virtuoso: Engine) -> None:
    assert objects(virtuoso, "typed-string") == [
        {"type": "typed-literal", "datatype": XSD + "string", "value": "typed"}
    ]
    simple = f'ASK {{ GRAPH <{G}> {{ ?s ?p "typed" }} }}'
    assert query(virtuoso, simple).json()["boolean"] is False


def test_virtuoso_rewrites_lexical_forms(virtuoso: Engine) -> None:
    assert objects(virtuoso, "duration")[0]["value"] == "5400.0"
    assert objects(virtuoso, "bad-integer")[0]["value"] == "0"
    assert objects(virtuoso, "boolean")[0]["value"] == "1"
    kept = [objects(virtuoso, name)[0]["value"] for name in ("date-time", "date", "count")]
    assert kept == ["2017-09-04T10:00:00+02:00", "2017-09-04", "42"]


def test_virtuoso_datatype_of_a_tagged_literal_is_unbound(virtuoso: Engine) -> None:
    text = f"SELECT (DATATYPE(?o) AS ?d) WHERE {{ GRAPH <{G}> {{ ?s <{EX}lang> ?o }} }}"
    assert rows(virtuoso, text) == [{}]


def test_virtuoso_blank_nodes_are_nodeid_iris(virtuoso: Engine) -> None:
    (blank,) = objects(virtuoso, "blank")
    assert blank["type"] == "bnode" and blank["value"].startswith("nodeID://")
    again = f"SELECT ?n WHERE {{ GRAPH <{G}> {{ <{blank['value']}> <{EX}name> ?n }} }}"
    assert [row["n"]["value"] for row in rows(virtuoso, again)] == ["inner"]


def test_virtuoso_tsv_is_not_sparql_tsv(virtuoso: Engine) -> None:
    text = f"SELECT ?o WHERE {{ GRAPH <{G}> {{ ?s <{EX}lang> ?o }} }}"
    reply = query(virtuoso, text, accept="text/tab-separated-values")
    assert reply.body.split(b"\n")[:2] == [b'"o"', b'"colour"']


@pytest.mark.parametrize(
    ("form", "accept", "answered"),
    [
        ("SELECT", "*/*", "application/sparql-results+xml"),
        ("SELECT", "text/html", "text/html"),
        ("CONSTRUCT", "*/*", "text/turtle"),
        ("CONSTRUCT", JSON, JSON),
        ("CONSTRUCT", "application/n-quads", "text/html"),
    ],
)
def test_virtuoso_negotiates_its_own_way(
    virtuoso: Engine, form: str, accept: str, answered: str
) -> None:
    text = (
        f"SELECT * WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}"
        if form == "SELECT"
        else f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}"
    )
    reply = query(virtuoso, text, accept=accept)
    assert reply.headers.get_content_type() == answered
    assert reply.status == (406 if accept == "application/n-quads" else 200)


def test_virtuoso_cuts_results_at_its_row_cap_and_says_so_only_in_a_header(
    virtuoso: Engine,
) -> None:
    text = "SELECT ?s ?x WHERE { ?s ?p ?o VALUES ?x { 1 2 3 4 5 6 } } LIMIT 10001"
    reply = query(virtuoso, text)
    assert reply.status == 200
    assert len(reply.json()["results"]["bindings"]) == 10000
    assert reply.headers.get("X-SPARQL-MaxRows") == "10000"


def test_virtuoso_timeout_answers_200_with_partial_results(virtuoso: Engine) -> None:
    slow = (
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f"
        " FILTER(STRLEN(CONCAT(STR(?c), STR(?f))) = 7) }"
    )
    started = time.monotonic()
    reply = query(virtuoso, slow, timeout="300")
    assert reply.status == 200
    assert reply.headers.get("X-SQL-State") == "S1TAT"
    assert "incomplete results" in reply.headers.get("X-SQL-Message", "")
    # A well-formed result, empty or with a partial count (0 seen): only the header tells.
    assert reply.json()["head"]["vars"] == ["n"]
    assert time.monotonic() - started < 30


def test_virtuoso_refuses_a_query_it_estimates_too_long_with_a_500(virtuoso: Engine) -> None:
    huge = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    reply = query(virtuoso, huge)
    assert reply.status == 500
    assert b"estimated execution time" in reply.body and b"exceeds the limit" in reply.body


def test_virtuoso_named_graphs_are_every_graph_unless_named(virtuoso: Engine) -> None:
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    other = "http://example.org/other"
    found = {row["g"]["value"] for row in rows(virtuoso, graphs, **{"default-graph-uri": other})}
    assert {G, SYSTEM_GRAPH} <= found
    named = {"default-graph-uri": other, "named-graph-uri": other}
    assert rows(virtuoso, graphs, **named) == []


def test_virtuoso_graph_outside_the_dataset_is_not_quite_empty(virtuoso: Engine) -> None:
    named = {"default-graph-uri": EX + "other", "named-graph-uri": EX + "other"}
    in_g = f"GRAPH <{G}> {{ ?s ?p ?o }}"
    assert query(virtuoso, f"ASK {{ {in_g} }}", **named).json()["boolean"] is True
    assert rows(virtuoso, f"SELECT (COUNT(*) AS ?n) WHERE {{ {in_g} }}", **named) == [
        {"n": {"type": "typed-literal", "datatype": XSD + "integer", "value": "1"}}
    ]
    assert rows(virtuoso, f"SELECT ?s WHERE {{ {in_g} }}", **named) == []  # yet no row


def test_virtuoso_runs_updates_sent_as_queries(virtuoso: Engine) -> None:
    insert = f"INSERT DATA {{ GRAPH <{G}/update> {{ <{EX}a> <{EX}b> <{EX}c> }} }}"
    anonymous = query(virtuoso, insert)
    assert anonymous.status == 500 and b"SR186" in anonymous.body
    authenticated = call(
        virtuoso, "GET", virtuoso.update_url, {"query": insert}, headers={"Accept": JSON}
    )
    assert authenticated.status == 200
    assert count_in(virtuoso, G + "/update") == 1


def test_virtuoso_describe_has_incoming_links_but_no_blank_nodes(virtuoso: Engine) -> None:
    reply = query(virtuoso, f"DESCRIBE <{EX}s>", accept="application/n-triples",
                  **{"default-graph-uri": G})
    lines = reply.body.decode().splitlines()
    assert any(line.startswith(f"<{EX}other>") for line in lines)
    assert not any(line.startswith("_:") for line in lines)


def test_virtuoso_graph_store_quirks(virtuoso: Engine) -> None:
    url = virtuoso.graph_store_url
    assert call(virtuoso, "HEAD", url, {"graph": G}).status == 501
    assert call(virtuoso, "GET", url, {"default": ""}, headers={"Accept": "*/*"}).status == 500
    graph = G + "/post"
    put_graph(virtuoso, graph, b"")
    assert call(virtuoso, "GET", url, {"graph": graph}, headers={"Accept": "*/*"}).status == 404
    put_graph(virtuoso, graph, f"<{EX}a> <{EX}b> <{EX}c> .\n".encode())
    added = f"<{EX}a> <{EX}b> <{EX}d> .\n".encode()
    post = call(virtuoso, "POST", url, {"graph": graph}, added,
                {"Content-Type": "application/n-triples", "Accept": JSON})
    assert post.status == 406 and count_in(virtuoso, graph) == 2
    broken = put_graph(virtuoso, G + "/broken", b'<http://example.org/a> <b> "c .\n')
    assert broken.status == 500 and b"unsupported type text/plain" in broken.body


def test_virtuoso_graph_with_an_empty_pattern_leaves_the_graph_unbound(virtuoso: Engine) -> None:
    assert rows(virtuoso, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }") == [{}]


# Oxigraph server


def test_oxigraph_server_default_graph_is_not_the_union(oxigraph: Engine) -> None:
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert rows(oxigraph, everything)[0]["n"]["value"] == "0"
    union = rows(oxigraph, everything, **{"union-default-graph": ""})
    assert int(union[0]["n"]["value"]) >= count_in(oxigraph, G)
    confined = rows(oxigraph, everything, **{"default-graph-uri": G})
    assert int(confined[0]["n"]["value"]) == count_in(oxigraph, G)


def test_oxigraph_server_canonicalises_lexical_forms(oxigraph: Engine) -> None:
    assert objects(oxigraph, "integer")[0]["value"] == "1"
    assert objects(oxigraph, "boolean")[0]["value"] == "true"
    assert objects(oxigraph, "bad-integer")[0]["value"] == "many"
    assert objects(oxigraph, "typed-string") == [{"type": "literal", "value": "typed"}]


def test_both_lower_case_language_tags(oxigraph: Engine, virtuoso: Engine) -> None:
    for engine in (oxigraph, virtuoso):
        assert objects(engine, "lang")[0]["xml:lang"] == "en-gb"
        exact = f'ASK {{ GRAPH <{G}> {{ ?s ?p ?o FILTER(LANG(?o) = "en-GB") }} }}'
        assert query(engine, exact).json()["boolean"] is False


def test_oxigraph_server_describe_has_blank_nodes_but_no_incoming_links(
    oxigraph: Engine,
) -> None:
    reply = query(oxigraph, f"DESCRIBE <{EX}s>", accept="application/n-triples",
                  **{"default-graph-uri": G})
    lines = reply.body.decode().splitlines()
    assert not any(line.startswith(f"<{EX}other>") for line in lines)
    assert any(line.startswith("_:") for line in lines)


def test_oxigraph_server_graph_store_keeps_empty_graphs(oxigraph: Engine) -> None:
    graph = G + "/empty"
    put_graph(oxigraph, graph, b"")
    reply = call(oxigraph, "GET", oxigraph.graph_store_url, {"graph": graph},
                 headers={"Accept": "application/n-triples"})
    assert reply.status == 200 and reply.body == b""
    found = rows(oxigraph, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
    assert graph in {row["g"]["value"] for row in found}


@pytest.fixture(scope="module")
def oxigraph_with_time_limit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """Start an Oxigraph server of its own with a one-second time limit and 3000 triples."""
    with oxigraph_server(Path(tmp_path_factory.mktemp("oxigraph-1s")), "--timeout-s", "1") as e:
        body = "".join(f'<{EX}s{i}> <{EX}p> "{i}" .\n' for i in range(3000)).encode()
        put_graph(e, G, body)
        yield e


def test_oxigraph_server_time_limit_cuts_a_200_body(oxigraph_with_time_limit: Engine) -> None:
    many = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f }"
    reply = query(oxigraph_with_time_limit, many, accept="text/csv", **{"default-graph-uri": G})
    assert reply.status == 200
    lines = reply.body.splitlines()
    assert 1 < len(lines) < 3000 * 3000
    assert lines[-1] == b"The SPARQL operation has been cancelled"


def test_oxigraph_server_ignores_a_per_request_timeout(oxigraph_with_time_limit: Engine) -> None:
    reply = query(oxigraph_with_time_limit, "ASK { ?s ?p ?o }", timeout="1",
                  **{"default-graph-uri": G})
    assert reply.status == 200 and reply.json()["boolean"] is True
