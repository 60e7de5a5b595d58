"""The build pipeline: load -> build -> validate -> release, one step after another."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from confgraph.build import ONTOLOGY_FILE, BuiltDataset, build_dataset, data_graph
from confgraph.cache import BuildCache, build, build_key, load, unchanged_release
from confgraph.errors import ValidationFailed
from confgraph.iris import Iris
from confgraph.load import load_catalogue, paused_gc
from confgraph.progress import Progress
from confgraph.release import (
    ReleaseContent,
    build_time,
    source_infos,
    write_release,
)
from confgraph.validate import SHAPES_DIR, ValidationResult, load_shapes, validate_graph


@dataclass(frozen=True)
class Built:
    """A built and validated dataset with what it was made from."""

    sources: tuple[str, ...]
    dataset: BuiltDataset
    shapes: Graph
    validation: ValidationResult
    warnings: tuple[str, ...] = ()  # what the loader found legal but suspicious


def build_and_validate(
    data_dir: Path,
    iris: Iris,
    progress: Progress | None = None,
    shapes_dir: Path = SHAPES_DIR,
    cache: BuildCache | None = None,
) -> Built:
    """Load every programme, build the dataset and validate it against the shapes.

    With a build cache, only the programmes it lacks are read and built; the loader's
    cross-file checks and the validation still cover every programme.
    """
    # Millions of small tuples and terms, no cycles worth collecting: the collector's
    # passes over the growing heap tripled the time of building 1M triples (measured).
    with paused_gc():
        return _build_and_validate(
            data_dir, iris, progress or Progress.silent(), shapes_dir, cache
        )


def _build_and_validate(
    data_dir: Path, iris: Iris, progress: Progress, shapes_dir: Path, cache: BuildCache | None
) -> Built:
    progress(f"loading programmes from {data_dir}")
    ontology = Graph().parse(ONTOLOGY_FILE, format="turtle")
    if cache is None:
        sources, dataset, count, warnings = _load_and_build(data_dir, iris, ontology, progress)
    else:
        sources, dataset, count, warnings = _load_and_build_cached(
            data_dir, cache, ontology, progress
        )
    for warning in warnings:
        progress(warning)
    shapes = load_shapes(shapes_dir)
    progress(f"validating {len(dataset)} quads against {len(shapes)} shape triples")
    with progress.phase("programmes validated", total=count) as phase:
        merged = data_graph(dataset)
        merged += ontology  # then validate_graph need not copy the data to add it
        validation = validate_graph(merged, shapes)
        phase.complete(count)
    return Built(sources, dataset, shapes, validation, warnings=warnings)


def _load_and_build(
    data_dir: Path, iris: Iris, ontology: Graph, progress: Progress
) -> tuple[tuple[str, ...], BuiltDataset, int, tuple[str, ...]]:
    with progress.phase("files loaded") as phase:
        catalogue = load_catalogue(data_dir)
        phase.complete(len(catalogue.sources))
    count = len(catalogue.programmes)
    progress(f"building the graph of {count} programme(s)")
    with progress.phase("programmes built", total=count) as phase:
        dataset = build_dataset(catalogue, iris, ontology)
        phase.complete(count)
    return catalogue.sources, dataset, count, catalogue.warnings


def _load_and_build_cached(
    data_dir: Path, cache: BuildCache, ontology: Graph, progress: Progress
) -> tuple[tuple[str, ...], BuiltDataset, int, tuple[str, ...]]:
    with progress.phase("files loaded") as phase:
        loaded = load(cache, data_dir)
        phase.complete(len(loaded.sources))
    count = len(loaded.files)
    progress(
        f"building the graph of {count} programme(s):"
        f" {loaded.reused} unchanged, taken from the cache ({cache.directory})"
    )
    with progress.phase("programmes built", total=count) as phase:
        dataset = build(cache, loaded, ontology)
        phase.complete(count)
    return loaded.sources, dataset, count, loaded.warnings


def run_build(
    data_dir: Path,
    out_dir: Path,
    iris: Iris,
    progress: Progress | None = None,
    shapes_dir: Path = SHAPES_DIR,
    cache_dir: Path | None = None,
) -> Path:
    """Build, validate and publish a release; a failure leaves the published one untouched.

    With a cache directory, programmes built before are taken from it (see confgraph.cache).
    """
    progress = progress or Progress.silent()
    started = build_time()
    cache = BuildCache(cache_dir, iris, progress) if cache_dir else None
    built = build_and_validate(data_dir, iris, progress, shapes_dir, cache)
    if not built.validation.conforms:
        raise ValidationFailed(built.validation.text())
    progress(f"writing the release under {out_dir}")
    sources = source_infos(built.sources, data_dir)
    key = build_key(iris, shapes_dir)
    content = ReleaseContent(built.dataset, built.shapes, iris, sources, started, key)
    with progress.phase("release written", total=1) as phase, paused_gc():
        release = write_release(content, out_dir)
        phase.advance()
    if cache:
        cache.prune()
    return release


def published_unchanged(
    data_dir: Path, out_dir: Path, iris: Iris, shapes_dir: Path = SHAPES_DIR
) -> Path | None:
    """Return the published release if nothing it was built from has changed since, else None."""
    return unchanged_release(data_dir, out_dir, build_key(iris, shapes_dir))


@dataclass(frozen=True)
class Published:
    """The release published after a build, and whether the build wrote it."""

    release: Path
    changed: bool


def publish(
    data_dir: Path,
    out_dir: Path,
    iris: Iris,
    progress: Progress | None = None,
    shapes_dir: Path = SHAPES_DIR,
    cache_dir: Path | None = None,
) -> Published:
    """Build and publish a release, unless (with a cache) nothing changed since the last one."""
    progress = progress or Progress.silent()
    if cache_dir is not None:
        unchanged = published_unchanged(data_dir, out_dir, iris, shapes_dir)
        if unchanged is not None:
            progress(f"nothing changed since the published release {unchanged.name}")
            return Published(unchanged, changed=False)
    return Published(run_build(data_dir, out_dir, iris, progress, shapes_dir, cache_dir), True)
