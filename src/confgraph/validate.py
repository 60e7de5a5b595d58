"""Validate a graph against the SHACL shapes; non-conformance is a result, not an exception."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pyshacl_turbo import validate as turbo_validate
from pyshacl_turbo.rdf import Input as TurboInput
from rdflib import BNode, ConjunctiveGraph, Graph, Literal, URIRef
from rdflib.namespace import SH

from confgraph.errors import ConfgraphError

# The bundled shapes ship inside the package, so an installed confgraph finds them.
SHAPES_DIR = Path(__file__).resolve().parent / "shapes"
ENGINE = "pyshacl-turbo"
# The call both engines get (pyshacl-turbo here, pySHACL as the tests' reference).
ENGINE_OPTIONS: dict[str, Any] = {"inference": "none", "advanced": True, "allow_warnings": True}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# Severities that leave a graph conforming (allow_warnings above).
ALLOWED = frozenset({"Warning"})

Engine = Callable[..., tuple[Any, Any, Any]]


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


ShapesDirs = Path | Sequence[Path]


def shape_files(shapes_dirs: ShapesDirs) -> list[Path]:
    """Return the Turtle files of one or several shapes directories, directory by directory;
    a directory without any is an error."""
    files: list[Path] = []
    for directory in [shapes_dirs] if isinstance(shapes_dirs, Path) else shapes_dirs:
        found = sorted(directory.glob("*.ttl"))
        if not found:
            raise ConfgraphError(f"{directory}: no SHACL shapes (*.ttl) to validate against")
        files += found
    return files


def load_shapes(shapes_dirs: ShapesDirs = SHAPES_DIR) -> Graph:
    """Read every Turtle file of the shapes directories into one graph."""
    shapes = Graph()
    for path in shape_files(shapes_dirs):
        try:
            shapes.parse(path, format="turtle")
        except (SyntaxError, ValueError) as error:  # rdflib's BadSyntax is a SyntaxError
            first = str(error).strip().splitlines()[0][:300] if str(error).strip() else ""
            raise ConfgraphError(f"{path}: the shapes are not valid Turtle: {first}") from None
    return shapes


def validate_graph(data: Graph, shapes: Graph, ontology: Graph | None = None) -> ValidationResult:
    """Validate data, together with the ontology it refers to (role types), against shapes.

    The graph goes to the engine as N-Triples, as a build's data does (validate_ntriples).
    """
    graph = with_ontology(data, ontology)
    return validate_ntriples(shapes, graph.serialize(format="nt", encoding="utf-8"))


def validate_ntriples(
    shapes: Graph, *data: bytes, focus: Sequence[str] | None = None
) -> ValidationResult:
    """Validate a graph given as N-Triples, in one or more parts, against shapes: every
    node the shapes target or, given `focus`, those of these nodes they target.

    Oxigraph parses the text, keeping every literal exactly as written, into the typed
    terms the engine reads (its "terms" input, as it makes from an rdflib graph): no rdflib
    graph of the data is made, which at a million triples costs more than validating.
    """
    return run_engine(turbo_validate, terms_input(*data), shapes, ENGINE, focus)


def terms_input(*data: bytes) -> TurboInput:
    """Return N-Triples as the engine's typed terms: a table of terms and a list of triples.

    A literal of xsd:string is given without a datatype, as the engine's own conversion of
    an rdflib graph gives it (rdflib's plain literals).
    """
    records: list[tuple[int, str, str | None, str | None]] = []
    blank: dict[str, BNode] = {}
    index: dict[ox.Term, int] = {}

    def term(node: ox.Term) -> int:
        found = index.get(node)
        if found is None:
            found = index[node] = len(records)
            records.append(_record(node, blank))
        return found

    triples = [
        (term(t.subject), term(t.predicate), term(t.object), None)
        for part in data
        for t in ox.parse(part, format=ox.RdfFormat.N_TRIPLES)
    ]
    return TurboInput((records, triples), "terms", None, blank, {})


def _record(node: ox.Term, blank: dict[str, BNode]) -> tuple[int, str, str | None, str | None]:
    if isinstance(node, ox.NamedNode):
        return (0, node.value, None, None)
    if isinstance(node, ox.BlankNode):
        blank[node.value] = BNode(node.value)
        return (1, node.value, None, None)
    datatype = node.datatype.value  # type: ignore[union-attr]
    plain = node.language or datatype == XSD_STRING  # type: ignore[union-attr]
    return (2, node.value, None if plain else datatype, node.language)  # type: ignore[union-attr]


def with_ontology(data: Graph, ontology: Graph | None) -> Graph:
    """Return one plain rdflib Graph of the data and the ontology (the data itself if none)."""
    for graph in (data, ontology):
        # A pyoxigraph Store rewrites literals (the engine then reports false violations), and
        # copying an rdflib Dataset would keep only its default graph: refuse both.
        plain = isinstance(graph, Graph) and not isinstance(graph, ConjunctiveGraph)
        if graph is not None and not plain:
            raise TypeError(f"SHACL validation takes a plain rdflib Graph, not {type(graph)}")
    if ontology is None:
        return data  # the engines only read it (ENGINE_OPTIONS: no inference, not in place)
    combined = Graph()
    combined += data
    combined += ontology
    return combined


def run_engine(
    engine: Engine, data: Any, shapes: Graph, name: str, focus: Sequence[str] | None = None
) -> ValidationResult:
    """Run a pySHACL-compatible engine; any failure of the engine raises, never passes."""
    nodes = None if focus is None else [URIRef(node) for node in focus]
    try:
        conforms, report, _ = engine(data, shacl_graph=shapes, focus_nodes=nodes, **ENGINE_OPTIONS)
    except Exception as error:  # a native engine's failures are not ours to sort: fail closed
        raise ConfgraphError(f"SHACL engine {_named(name)} failed: {error}") from error
    if not isinstance(report, Graph):
        raise ConfgraphError(f"SHACL engine {_named(name)} failed: {report}")
    result = ValidationResult(bool(conforms), report, _violations(report))
    _check_verdict(result, name)
    return result


def _check_verdict(result: ValidationResult, name: str) -> None:
    """Refuse a report whose verdict contradicts its own results."""
    stated = next(result.report.objects(predicate=SH.conforms), None)
    blocking = any(v.severity not in ALLOWED for v in result.violations)
    if result.conforms is blocking or stated != Literal(result.conforms):
        raise ConfgraphError(
            f"SHACL engine {_named(name)} gave an inconsistent report: conforms={result.conforms}"
            f" (report says {stated}) with {len(result.violations)} result(s)"
        )


def _named(name: str) -> str:
    """Return an engine's name with its installed version."""
    return f"{name} {version(name)}"


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
    return tuple(sorted(found, key=_order))


def _order(violation: Violation) -> tuple[str, ...]:
    """Sort results by node, path and message (shape and severity break ties)."""
    v = violation
    return (v.focus, v.path or "", v.message, v.shape, v.severity)
