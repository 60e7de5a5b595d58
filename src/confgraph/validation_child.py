"""Validate in a child process, beside the release writer (see confgraph.aside)."""

from __future__ import annotations

from rdflib import Graph

from confgraph.aside import Aside
from confgraph.delta import Delta
from confgraph.reach import affected_nodes, reached
from confgraph.validate import ValidationResult, validate_ntriples


class ValidationAside(Aside[ValidationResult]):
    """A validation running in a child process; `result()` waits for its verdict."""

    what, gives = "the SHACL validation process", "verdict"

    def __init__(self, shapes: Graph, *data: bytes, delta: Delta | None = None) -> None:
        """Start validating the data (N-Triples in parts); with a delta, first only what it
        can reach (see validate_delta): the data is then the merge and the ontology."""
        super().__init__(validate, shapes, data, delta)


def validate(shapes: Graph, data: tuple[bytes, ...], delta: Delta | None) -> ValidationResult:
    """Validate the data (the merge, the ontology): with a delta, first only the nodes that
    reach a changed triple, given what they reach; when that finds anything, or reaches too
    much, everything is validated, for the whole report."""
    focus = affected_nodes(delta) if delta is not None else None
    if focus:  # none reached (nothing changed) or too many: everything
        merged, ontology = data
        reach = reached(merged, focus)
        given = merged if reach is None else reach
        result = validate_ntriples(shapes, given, ontology, focus=focus)
        if result.conforms:
            return result
    return validate_ntriples(shapes, *data)
