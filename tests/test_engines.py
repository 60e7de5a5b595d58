"""The real engines the tests start: on loopback, writable with credentials, restartable."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
from engines import Engine, ask, count_in, open_url, put_graph

NT = b'<http://example.org/s> <http://example.org/p> "o" .\n'


def test_each_engine_answers_on_loopback(remote_engine: Engine) -> None:
    for url in (remote_engine.query_url, remote_engine.update_url, remote_engine.graph_store_url):
        assert url.startswith("http://127.0.0.1:")
    assert json.loads(ask(remote_engine))["boolean"] is True


def test_each_engine_takes_a_graph_through_the_graph_store_protocol(
    remote_engine: Engine,
) -> None:
    graph = "http://example.org/test/engines/put"
    assert put_graph(remote_engine, graph, NT).status in (200, 201, 204)
    assert count_in(remote_engine, graph) == 1


def test_virtuoso_refuses_anonymous_and_wrong_password_writes(virtuoso_engine: Engine) -> None:
    url = virtuoso_engine.graph_store_url + "?graph=http://example.org/test/engines/anon"
    request = urllib.request.Request(url, data=NT, method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
    with pytest.raises(urllib.error.HTTPError) as anonymous:
        urllib.request.urlopen(request, timeout=30)
    anonymous.value.close()
    assert anonymous.value.code == 401
    assert virtuoso_engine.password != "dba"
    with pytest.raises(urllib.error.HTTPError) as default_password:
        wrong = Engine(**{**vars(virtuoso_engine), "password": "dba"})
        open_url(wrong, request)
    default_password.value.close()
    assert default_password.value.code == 401


def test_a_fresh_engine_survives_a_kill_and_keeps_its_data(fresh_engine) -> None:
    with fresh_engine("oxigraph-server") as engine:
        graph = "http://example.org/test/engines/kept"
        put_graph(engine, graph, NT)
        engine.kill()
        with pytest.raises(OSError):
            ask(engine, timeout=2)
        engine.restart()
        assert count_in(engine, graph) == 1
