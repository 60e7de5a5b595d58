"""Time SHACL validation of a corpus: the build's engine against the pySHACL reference.

Usage: `confgraph generate` a corpus (or take data/), then
`python bench/validation.py DATA [--runs N] [--reference-runs N]` (needs the test extra).
Prints the triples validated, the wall and CPU time of each step (medians) and whether both engines
report the same (focus, path, shape, severity, message) results.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pyshacl
from rdflib import Graph

from confgraph.build import ONTOLOGY_FILE, build_dataset, data_graph
from confgraph.iris import Iris
from confgraph.load import load_catalogue
from confgraph.validate import (
    ENGINE,
    ValidationResult,
    load_shapes,
    run_engine,
    validate_graph,
    with_ontology,
)

T = TypeVar("T")


def timed(runs: int, step: Callable[[], T]) -> tuple[tuple[float, float], T]:
    """Return the median wall and CPU seconds of runs calls of step, and its last result."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = step()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return (statistics.median(walls), statistics.median(cpus)), result  # type: ignore[return-value]


def results(result: ValidationResult) -> Counter[tuple[str, str | None, str, str, str]]:
    """Count a result's (focus, path, shape, severity, message) tuples."""
    return Counter((v.focus, v.path, v.shape, v.severity, v.message) for v in result.violations)


def main() -> None:
    """Load and build the corpus once, then time each engine on it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--runs", type=int, default=3, help="runs of the build's engine")
    parser.add_argument("--reference-runs", type=int, default=1, help="runs of pySHACL (0: none)")
    args = parser.parse_args()
    ontology = Graph().parse(ONTOLOGY_FILE, format="turtle")
    shapes = load_shapes()
    dataset = build_dataset(load_catalogue(args.data), Iris(), ontology)
    union_time, union = timed(1, lambda: data_graph(dataset))
    merge_time, merged = timed(1, lambda: with_ontology(union, ontology))
    print(f"{len(merged)} triples with the ontology")
    print(f"union of the graphs {union_time[0]:.2f} s, merge with ontology {merge_time[0]:.2f} s")
    seconds, fast = timed(args.runs, lambda: validate_graph(union, shapes, ontology))
    report(f"{ENGINE} (validate_graph, merge included)", seconds, args.runs, fast)
    seconds, fast = timed(args.runs, lambda: validate_graph(merged, shapes))
    report(f"{ENGINE} (on the merged graph)", seconds, args.runs, fast)
    if not args.reference_runs:
        return
    seconds, slow = timed(
        args.reference_runs, lambda: run_engine(pyshacl.validate, merged, shapes, "pyshacl")
    )
    report("pyshacl (reference)", seconds, args.reference_runs, slow)
    same = results(fast) == results(slow) and fast.conforms is slow.conforms
    print("same results" if same else "RESULTS DIFFER")


def report(name: str, seconds: tuple[float, float], runs: int, result: ValidationResult) -> None:
    """Print one engine's time (wall, CPU) and verdict."""
    print(
        f"{name:42} {seconds[0]:7.2f} s wall {seconds[1]:7.2f} s CPU (median of {runs})"
        f"  conforms={result.conforms} results={len(result.violations)}"
    )


if __name__ == "__main__":
    main()
