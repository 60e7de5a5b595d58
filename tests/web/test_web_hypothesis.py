"""Random requests, as a hostile client sends them: never a 5xx, never a traceback in the log."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import quote, urlencode

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from webfixture import BASE, GRAPH, ID, M

from confgraph.settings import Settings
from confgraph.store.base import Store
from confgraph.store.release import Release
from confgraph.web.app import create_app

# Bounded so that the file runs in seconds; a deadline per request catches a hang.
EXAMPLES = settings(
    max_examples=250,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

ROOTS = ("/", "/sparql", "/sparql/", "/id/", "/graph/", "/dumps/", "/programme/",
         "/dataset", "/ontology", "/shapes", "/.well-known/void", "/search", "/browse/",
         "/statements/", "/countries/", "/items/", "/id/country/", "/id/meeting/")  # fmt: skip
KNOWN = (
    M.removeprefix(BASE),
    M.removeprefix(BASE) + "/session/panel-1.html",
    M.removeprefix(BASE) + "/session/panel-1.ttl",
    ID.removeprefix(BASE) + "/person/ana-lima.jsonld",
    GRAPH.removeprefix(BASE) + ".nt",
    "/dumps/confgraph.ttl",
    "/dumps/confgraph.nt.gz",
    "/programme/2030-01-test",
    "/dataset.ttl",
    "/ontology.rdf",
)
METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "BREW")
TOKENS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", "[", "]",
          "?s", "?p", "?o", "*", ".", ";", ",", "a", "FILTER", "OPTIONAL", "UNION", "GRAPH",
          "FROM", "NAMED", f"<{M}>", f"<{GRAPH}>", "<http://example.org/x>", '"x"@en', "1",
          "LIMIT", "OFFSET", "COUNT", "AS", "||", "&&", "=", "!", "INSERT", "DATA", "DELETE",
          "LOAD", "CLEAR", "SERVICE", "BIND", "VALUES", "PREFIX", "ex:", "rdfs:label",
          "ORDER", "BY", "DESC", "GROUP", "REGEX", "STR", "'''", "\\", "#", "\x00",
          "é")  # fmt: skip
MEDIA = ("text/html", "text/turtle", "application/n-triples", "application/ld+json",
         "application/rdf+xml", "application/sparql-results+json", "application/sparql-query",
         "application/x-www-form-urlencoded", "text/csv", "*/*", "text/*", "image/png",
         "application/json")  # fmt: skip
VALID = ("ASK {}", "SELECT * WHERE { ?s ?p ?o } LIMIT 3", f"DESCRIBE <{M}>",
         "CONSTRUCT WHERE { ?s a ?o } LIMIT 5",
         "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")  # fmt: skip
LANGUAGES = ("fr", "en;q=0.1, fr", "*", "zz-ZZ", "fr-CH, fr;q=0.9, en;q=0.8")
PARAMS = ("query", "format", "default-graph-uri", "named-graph-uri", "page", "update",
          "q", "sort", "kind", "country", "meeting")  # fmt: skip

junk = st.text(max_size=40)
# What a header value can hold on the wire (waitress decodes it as Latin-1); no CR, LF or NUL.
wire = st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f")
header_junk = st.text(wire, max_size=40)
sparql = st.one_of(
    st.lists(st.sampled_from(TOKENS), max_size=30).map(" ".join),
    st.sampled_from(VALID),
    st.integers(1, 400).map(lambda depth: "ASK {" + "(" * depth + "1" + ")" * depth + "}"),
    st.integers(1, 400).map(lambda depth: "ASK " + "{" * depth + "}" * depth),
    junk,
)
media_range = st.builds(
    lambda media, q, charset: media + (f";q={q}" if q else "") + (";charset=" + charset),
    st.sampled_from(MEDIA),
    st.sampled_from(("", "0", "0.5", "1", "2", "x")),
    st.sampled_from(("utf-8", "latin-1", "", "\u00e9", '"x"')),
)
headers = st.fixed_dictionaries(
    {},
    optional={
        "Accept": st.one_of(st.lists(media_range, max_size=4).map(", ".join), header_junk),
        "Accept-Language": st.one_of(st.sampled_from(LANGUAGES), header_junk),
        "Range": st.one_of(
            st.builds("bytes={}-{}".format, st.integers(-5, 10**6), st.integers(-5, 10**6)),
            st.sampled_from(("bytes=abc", "bytes=-0", "lines=1-2", "bytes=0-1,5-9", "bytes=")),
            header_junk,
        ),
        "If-None-Match": st.one_of(st.sampled_from(('"x"', "*", 'W/"1"', '"')), header_junk),
        "Content-Type": st.one_of(media_range, header_junk),
    },
)
path = st.one_of(
    st.sampled_from(KNOWN),
    st.builds(lambda root, rest: root + quote(rest, safe="/.%~"), st.sampled_from(ROOTS), junk),
)
query_string = st.one_of(
    st.lists(st.tuples(st.sampled_from(PARAMS), sparql), max_size=4).map(urlencode),
    st.lists(st.tuples(junk, junk), max_size=3).map(urlencode),
    st.sampled_from(("query=%ff%fe", "query=%zz", "query=", "query", "&&", "format=%00")),
)
body = st.one_of(
    st.binary(max_size=200),
    sparql.map(str.encode),
    st.lists(st.tuples(st.sampled_from(PARAMS), sparql), max_size=3).map(
        lambda pairs: urlencode(pairs).encode()
    ),
    st.just(b"query=%ff%fe"),
)


class Errors(logging.Handler):
    """Collect every log record at ERROR or above, and every one that carries a traceback."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.exc_info or "Traceback" in record.getMessage():
            self.records.append(record)


@contextmanager
def logged_errors() -> Iterator[Errors]:
    """Listen to the root logger (where Flask, waitress and confgraph log) for the block."""
    handler = Errors()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


@pytest.fixture(scope="module")
def hostile_app(release_dir: object, store: Store, release: Release) -> Flask:
    """Return the application over the fixture release (module-wide: Hypothesis reuses it)."""
    served = Settings(release=str(release_dir), query_workers=0, row_limit=50)
    app = create_app(served, store, release)
    app.config["TESTING"] = True
    return app


def answer(app: Flask, method: str, path: str, query: str, head: dict[str, str],
           data: bytes) -> None:  # fmt: skip
    """Send one request; check that it is answered below 500 without a traceback anywhere."""
    with logged_errors() as errors:
        response = app.test_client().open(
            path, method=method, query_string=query, headers=head, data=data
        )
        text = response.get_data()
        response.close()
    where = f"{method} {path}?{query} {head} {data[:80]!r}"
    assert response.status_code < 500, f"{where}: {response.status_code} {text[:300]!r}"
    assert b"Traceback" not in text, where
    assert not errors.records, f"{where}: logged {errors.records[0].getMessage()[:300]}"


@EXAMPLES
@given(method=st.sampled_from(METHODS), path=path, query=query_string, head=headers, data=body)
def test_any_request_is_answered_below_500(
    hostile_app: Flask, method: str, path: str, query: str, head: dict[str, str], data: bytes
) -> None:
    answer(hostile_app, method, path, query, head, data)


@EXAMPLES
@given(
    method=st.sampled_from(("GET", "POST")),
    query=sparql,
    accept=st.one_of(st.none(), st.lists(media_range, min_size=1, max_size=3).map(", ".join)),
    as_form=st.booleans(),
)
def test_any_sparql_query_is_answered_below_500(
    hostile_app: Flask, method: str, query: str, accept: str | None, as_form: bool
) -> None:
    head = {"Accept": accept} if accept else {}
    if method == "GET":
        answer(hostile_app, "GET", "/sparql", urlencode({"query": query}), head, b"")
    elif as_form:
        head["Content-Type"] = "application/x-www-form-urlencoded"
        answer(hostile_app, "POST", "/sparql", "", head, urlencode({"query": query}).encode())
    else:
        head["Content-Type"] = "application/sparql-query"
        answer(hostile_app, "POST", "/sparql", "", head, query.encode())
