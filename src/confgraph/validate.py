"""Validate a graph against the SHACL shapes; non-conformance is a result, not an exception."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from confgraph.errors import ConfgraphError

SHAPES_DIR = Path(__file__).resolve().parents[2] / "shapes"


@dataclass(frozen=True)
class Violation:
    """One SHACL result: which node, which path, which shape, what message."""

    focus: str
    path: str | None
    shape: str
    message: str
    severity: str

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        return f"[{self.severity}] {self.focus}{where}: {self.message} ({self.shape})"


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of validating a graph."""

    conforms: bool
    report: Graph
    violations: tuple[Violation, ...]

    def text(self) -> str:
        """Return a readable report, one line per result."""
        if self.conforms:
            return "The graph conforms to the shapes."
        lines = [f"{len(self.violations)} SHACL result(s):", *map(str, self.violations)]
        return "\n".join(lines)


def load_shapes(shapes_dir: Path = SHAPES_DIR) -> Graph:
    """Read every Turtle file of the shapes directory into one graph."""
    paths = sorted(shapes_dir.glob("*.ttl"))
    if not paths:
        raise ConfgraphError(f"{shapes_dir}: no SHACL shapes (*.ttl) to validate against")
    shapes = Graph()
    for path in paths:
        shapes.parse(path, format="turtle")
    return shapes


def validate_graph(data: Graph, shapes: Graph, ontology: Graph | None = None) -> ValidationResult:
    """Validate data, together with the ontology it refers to (role types), against shapes."""
    combined = Graph()
    combined += data
    if ontology is not None:
        combined += ontology
    conforms, report, _ = shacl_validate(
        combined, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    return ValidationResult(bool(conforms), report, _violations(report))


def _violations(report: Graph) -> tuple[Violation, ...]:
    found = []
    for result in report.subjects(predicate=SH.resultSeverity):
        path = report.value(result, SH.resultPath)
        severity = report.value(result, SH.resultSeverity)
        found.append(
            Violation(
                focus=str(report.value(result, SH.focusNode)),
                path=str(path) if isinstance(path, URIRef) else None,
                shape=str(report.value(result, SH.sourceShape)),
                message=str(report.value(result, SH.resultMessage) or "(no message)"),
                severity=str(severity).rsplit("#", 1)[-1],
            )
        )
    return tuple(sorted(found, key=lambda v: (v.focus, v.path or "", v.message)))
