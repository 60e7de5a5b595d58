"""The validation boundary fails closed: an engine that errs or contradicts itself stops a build."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal
from rdflib.namespace import SH

from confgraph.cli import main
from confgraph.errors import ConfgraphError
from confgraph.validate import ENGINE, run_engine, validate_graph

PERSON_SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<urn:x:PersonShape> a sh:NodeShape ; sh:targetClass foaf:Person ;
    sh:property [ sh:path foaf:name ; sh:minCount 1 ; sh:message "A person has a name." ] .
"""
# A SPARQL constraint that does not parse: the engine cannot run it.
BROKEN_SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<urn:x:PersonShape> a sh:NodeShape ; sh:targetClass foaf:Person ;
    sh:sparql [ sh:select "SELECT $this WHERE { $this ?p " ; sh:message "Never run." ] .
"""
NAMELESS = "<urn:x:ada> a <http://xmlns.com/foaf/0.1/Person> ."


def turtle(text: str) -> Graph:
    """Parse a Turtle snippet."""
    return Graph().parse(data=text, format="turtle")


def test_a_violation_is_a_result() -> None:
    result = validate_graph(turtle(NAMELESS), turtle(PERSON_SHAPE))
    assert not result.conforms
    assert [(v.focus, v.message) for v in result.violations] == [
        ("urn:x:ada", "A person has a name.")
    ]


def test_an_engine_error_fails_with_the_engines_name_and_reason() -> None:
    with pytest.raises(ConfgraphError, match=rf"SHACL engine {ENGINE} [\d.]+ failed: .*SPARQL"):
        validate_graph(turtle(NAMELESS), turtle(BROKEN_SHAPE))


@pytest.mark.parametrize("data", [pyoxigraph.Store(), Dataset()], ids=["oxigraph-store", "dataset"])
def test_only_a_plain_rdflib_graph_is_validated(data: object) -> None:
    with pytest.raises(TypeError, match="plain rdflib Graph"):
        validate_graph(data, turtle(PERSON_SHAPE))  # type: ignore[arg-type]


def test_a_failure_returned_instead_of_a_report_raises() -> None:
    def engine(*_: object, **__: object) -> tuple[bool, Exception, str]:
        return False, RuntimeError("shapes graph is malformed"), "Validation Failure"

    with pytest.raises(ConfgraphError, match="shapes graph is malformed"):
        run_engine(engine, turtle(NAMELESS), turtle(PERSON_SHAPE), ENGINE)


def test_a_verdict_that_contradicts_its_results_raises() -> None:
    def engine(data: Graph, **_: object) -> tuple[bool, Graph, str]:
        report = validate_graph(data, turtle(PERSON_SHAPE)).report  # one violation
        report.set((next(report.subjects(SH.conforms)), SH.conforms, Literal(True)))
        return True, report, ""

    with pytest.raises(ConfgraphError, match="inconsistent report: conforms=True"):
        run_engine(engine, turtle(NAMELESS), turtle(PERSON_SHAPE), ENGINE)


def test_cli_reports_an_engine_error_without_a_traceback(
    runner: CliRunner, mini_data: Path, tmp_path: Path
) -> None:
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    (shapes / "broken.ttl").write_text(BROKEN_SHAPE, encoding="utf-8")
    result = runner.invoke(main, ["validate", "--data", str(mini_data), "--shapes", str(shapes)])
    assert result.exit_code == 1
    assert f"error: SHACL engine {ENGINE}" in result.stderr
    assert "Traceback" not in result.output


def test_validation_reads_the_data_without_changing_it() -> None:
    data = turtle(NAMELESS)
    before = set(data)
    validate_graph(data, turtle(PERSON_SHAPE))
    validate_graph(data, turtle(PERSON_SHAPE), turtle("<urn:x:a> <urn:x:b> <urn:x:c> ."))
    assert set(data) == before
