"""The build pipeline: load -> build -> validate -> release, one step after another."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from rdflib import Graph

from confgraph.assemble import assemble
from confgraph.build import ONTOLOGY_FILE
from confgraph.cache import BuildCache, build_key, unchanged_release
from confgraph.dataset_file import dataset_file, missing_message, read_metadata
from confgraph.delta import Delta, delta_from
from confgraph.errors import ValidationFailed
from confgraph.gather import gather
from confgraph.iris import Iris
from confgraph.load import paused_gc
from confgraph.metadata import DatasetMetadata
from confgraph.progress import Phase, Progress
from confgraph.quads import ReleaseQuads, nquads_lines, without_graph
from confgraph.release import (
    ReleaseContent,
    build_time,
    source_infos,
    write_release,
)
from confgraph.validate import (
    SHAPES_DIR,
    ShapesDirs,
    ValidationResult,
    load_shapes,
    validate_ntriples,
)
from confgraph.validate_delta import looks_forward
from confgraph.validation_child import ValidationAside
from confgraph.vocab import ONTOLOGY_IRI


@dataclass(frozen=True)
class Prepared:
    """A dataset built and assembled, not yet validated, with what it was made from."""

    sources: tuple[str, ...]
    quads: ReleaseQuads
    ontology: Graph
    shapes: Graph
    description: Graph  # of the reference and link graphs, for the release's VoID
    metadata: DatasetMetadata
    warnings: tuple[str, ...]  # what the loader found legal but suspicious
    programmes: int


@dataclass(frozen=True)
class Built(Prepared):
    """A built and validated dataset with what it was made from."""

    validation: ValidationResult


def build_and_validate(
    data_dir: Path,
    iris: Iris,
    progress: Progress | None = None,
    shapes_dir: ShapesDirs = SHAPES_DIR,
    cache: BuildCache | None = None,
) -> Built:
    """Load every programme, build the dataset and validate it against the shapes."""
    progress = progress or Progress.silent()
    prepared = prepare(data_dir, iris, progress, shapes_dir, cache)
    with progress.phase("programmes validated", total=prepared.programmes) as phase:
        validation = validate_prepared(prepared, phase)
    return Built(**vars(prepared), validation=validation)


def prepare(
    data_dir: Path,
    iris: Iris,
    progress: Progress,
    shapes_dir: ShapesDirs = SHAPES_DIR,
    cache: BuildCache | None = None,
) -> Prepared:
    """Read and build every programme (or take it from the cache) and assemble the release's
    quads; the loader's cross-file checks cover every programme."""
    # Millions of small tuples and terms, no cycles worth collecting: the collector's
    # passes over the growing heap tripled the time of building 1M triples (measured).
    with paused_gc():
        metadata = _metadata(data_dir, progress)
        shapes = load_shapes(shapes_dir)  # a bad shapes file is an error before any work
        progress(f"reading and building the programmes of {data_dir}")
        with progress.phase("programmes built") as phase:
            gathered = gather(data_dir, iris, cache, phase)
        if cache is not None:
            progress(f"unchanged programmes taken from {cache.directory}: {gathered.reused}")
        for warning in gathered.warnings:
            progress(warning)
        ontology = Graph().parse(ONTOLOGY_FILE, format="turtle")
        assembled = assemble(gathered.parts, ontology, data_dir, iris)
    sources = (*gathered.sources, *map(str, assembled.linked.paths))
    described = dataset_file(data_dir)
    sources = (str(described), *sources) if described else sources
    return Prepared(
        sources,
        assembled.quads,
        ontology,
        shapes,
        assembled.linked.description,
        metadata,
        gathered.warnings,
        len(gathered.parts),
    )


def validate_prepared(prepared: Prepared, phase: Phase | None = None) -> ValidationResult:
    """Validate the merge of the data graphs, with the ontology, against the shapes."""
    result = validate_ntriples(prepared.shapes, *_validated(prepared))
    if phase is not None:
        phase.complete(prepared.programmes)
    return result


def _validated(prepared: Prepared) -> tuple[bytes, bytes]:
    """Return what is validated: the data graphs' merge and the ontology, as N-Triples."""
    ontology = nquads_lines(ONTOLOGY_IRI, prepared.ontology)
    return prepared.quads.ntriples, without_graph(ontology, str(ONTOLOGY_IRI))


def _metadata(data_dir: Path, progress: Progress) -> DatasetMetadata:
    """Read dataset.yaml; without one, say so and use the defaults."""
    metadata = read_metadata(data_dir)
    if metadata is None:
        progress(missing_message(data_dir))
        return DatasetMetadata()
    return metadata


def run_build(
    data_dir: Path,
    out_dir: Path,
    iris: Iris,
    progress: Progress | None = None,
    shapes_dir: ShapesDirs = SHAPES_DIR,
    cache_dir: Path | None = None,
) -> Path:
    """Build, validate and publish a release; a failure leaves the published one untouched.

    The release is written while it is validated (the engine runs in a child process, see
    confgraph.validation_child) and published only if it conforms. With a cache
    directory, programmes built before are taken from it (see confgraph.cache).
    """
    progress = progress or Progress.silent()
    started = build_time()
    cache = BuildCache(cache_dir, iris, progress) if cache_dir else None
    prepared = prepare(data_dir, iris, progress, shapes_dir, cache)
    key = build_key(iris, shapes_dir)
    delta = _delta(out_dir, prepared.quads, key, progress) if cache else None
    progress(f"validating the data and writing the release under {out_dir}")
    content = ReleaseContent(
        prepared.quads,
        prepared.ontology,
        prepared.shapes,
        iris,
        source_infos(prepared.sources, data_dir),
        started,
        key,
        prepared.metadata,
        prepared.description,
        delta,
    )
    with progress.phase("programmes validated", total=prepared.programmes) as validated:
        # Started before the writer's threads: the child is forked from one thread.
        aside = _validation(prepared, delta if looks_forward(shapes_dir) else None, progress)
        try:
            with progress.phase("dumps written") as written, paused_gc():
                check = partial(_conforms, aside, validated, prepared.programmes)
                release = write_release(content, out_dir, check, written)
        finally:
            aside.cancel()
    if cache:
        cache.prune()
    return release


def _delta(out_dir: Path, quads: ReleaseQuads, key: str, progress: Progress) -> Delta | None:
    """Return how the quads differ from the published release's, if it can be built on."""
    delta = delta_from(out_dir, quads, key)
    if delta is not None:
        progress(f"graphs changed since the published release: {len(delta.old)}")
    return delta


def _validation(prepared: Prepared, delta: Delta | None, progress: Progress) -> ValidationAside:
    """Start validating the prepared data in a child process; with a delta, what it reaches
    first (see confgraph.validate_delta)."""
    if delta is not None:
        progress("validating first the nodes that reach a changed triple")
    return ValidationAside(prepared.shapes, *_validated(prepared), delta=delta)


def _conforms(aside: ValidationAside, phase: Phase, programmes: int) -> None:
    """Wait for the validation; raise if the data does not conform (nothing is published)."""
    result = aside.result()
    phase.complete(programmes)
    if not result.conforms:
        raise ValidationFailed(result.text())


def published_unchanged(
    data_dir: Path, out_dir: Path, iris: Iris, shapes_dir: ShapesDirs = SHAPES_DIR
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
    shapes_dir: ShapesDirs = SHAPES_DIR,
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
