"""Validation in a child process: the same verdict as in the build's own process, or an error."""

from __future__ import annotations

import multiprocessing
import os
import signal

import pytest
from rdflib import Graph
from test_validate import BROKEN_SHAPE, NAMELESS, PERSON_SHAPE, turtle

import confgraph.aside
import confgraph.validation_child
from confgraph.errors import ConfgraphError
from confgraph.validate import validate_ntriples
from confgraph.validation_child import ValidationAside

NAMED = b'<urn:x:ada> <http://xmlns.com/foaf/0.1/name> "Ada" .\n'


def ntriples(text: str) -> bytes:
    """Return a Turtle snippet as N-Triples."""
    return Graph().parse(data=text, format="turtle").serialize(format="nt", encoding="utf-8")


@pytest.mark.parametrize("named", [False, True])
def test_the_child_gives_the_verdict_of_the_build_process(named: bool) -> None:
    data = (ntriples(NAMELESS), NAMED if named else b"")
    shapes = turtle(PERSON_SHAPE)
    found = ValidationAside(shapes, *data).result()
    expected = validate_ntriples(shapes, *data)
    assert found.conforms is named is expected.conforms
    assert found.violations == expected.violations
    assert len(found.violations) == (0 if named else 1)


def test_an_engine_failure_in_the_child_is_raised_in_the_build() -> None:
    with pytest.raises(ConfgraphError, match="SHACL engine pyshacl-turbo"):
        ValidationAside(turtle(BROKEN_SHAPE), ntriples(NAMELESS)).result()


def test_a_child_killed_before_its_verdict_is_an_error_not_a_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def killed(*_: object) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    # Forked, the child runs this module's patched engine (a fork server would import anew).
    fork = multiprocessing.get_context("fork")
    monkeypatch.setattr(confgraph.aside.load, "pool_context", lambda: fork)
    monkeypatch.setattr(confgraph.validation_child, "validate_ntriples", killed)
    with pytest.raises(ConfgraphError, match="without a verdict"):
        ValidationAside(turtle(PERSON_SHAPE), ntriples(NAMELESS)).result()


def test_a_cancelled_validation_stops_its_child() -> None:
    aside = ValidationAside(turtle(PERSON_SHAPE), ntriples(NAMELESS))
    aside.cancel()
    assert not aside.running
