"""Load every programme file of a data directory, in parallel, with file:line in every error."""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from confgraph.errors import DataError, DataErrors
from confgraph.model import Catalogue, Country, Organisation, Programme
from confgraph.programme import Claim, ReadProgramme, read_programme
from confgraph.reference import load_countries, load_organisations
from confgraph.yamlmap import brief, display_path

# Below this many files a pool costs more than it saves: starting it and sending the
# programmes back cost ~0.1 s, a file ~5 ms of CPU (75 generated files: 0.35 s in this
# process, 0.43 s with two workers).
PARALLEL_FROM = 40
# Files a worker reads per task: small enough that results stream back while it reads on.
CHUNK = 16
# The registries every programme refers to, under the data directory.
REFERENCE_FILES = ("reference/countries.csv", "organisations.yaml")
Outcome = ReadProgramme | DataError


class HasClaims(Protocol):
    """What the cross-file check needs of one file: the shared keys it claims."""

    @property
    def claims(self) -> tuple[Claim, ...]: ...


Claimant = TypeVar("Claimant", bound=HasClaims)
T = TypeVar("T")


class Counter(Protocol):
    """What counts files as they are read (a build's progress phase)."""

    total: int | None

    def advance(self, n: int = 1) -> None:
        """Count n more files as read."""


def load_catalogue(
    data_dir: Path, workers: int | None = None, counter: Counter | None = None
) -> Catalogue:
    """Load the reference agents and every programme file under a data directory.

    Programme files are read in a pool of `workers` processes (default: one per core);
    every file's error is reported, in file order, not only the first file's. A counter,
    if given, learns how many programme files there are and counts each one read.
    """
    reference = load_reference(data_dir)
    countries, organisations = reference.countries, reference.organisations
    files = programme_files(data_dir)
    if counter:
        counter.total = len(files)
    with paused_gc():
        cores = workers or available_cores()
        outcomes = list(counted(read_all(files, countries, organisations, cores), counter))
        programmes = check_across_files(outcomes)
    sources = (*reference.paths, *files)
    warnings = tuple(
        w for read in outcomes if isinstance(read, ReadProgramme) for w in read.warnings
    )
    return Catalogue(programmes, countries, organisations, tuple(map(str, sources)), warnings)


@dataclass(frozen=True)
class Reference:
    """The countries and organisations that programmes refer to, and their two files."""

    countries: dict[str, Country]
    organisations: dict[str, Organisation]
    paths: tuple[Path, Path]


def load_reference(data_dir: Path) -> Reference:
    """Load the table of countries and the registry of organisations of a data directory."""
    root = data_root(data_dir)
    countries_path, organisations_path = (inside(root, data_dir / n) for n in REFERENCE_FILES)
    countries = load_countries(countries_path)
    organisations = load_organisations(organisations_path, countries)
    return Reference(countries, organisations, (countries_path, organisations_path))


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cycle collector while reading, as PyYAML-heavy tools do.

    Positioned trees and programmes hold no reference cycles, and the collector's passes
    over the growing heap of programmes cost a third of a 750-file load (4.0 s against
    6.1 s read serially, measured).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def available_cores() -> int:
    """Return how many cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def programme_files(data_dir: Path) -> list[Path]:
    """Return the programme files in name order, each checked to lie in the data directory."""
    folder = data_dir / "programmes"
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise DataError(display_path(folder), None, "no programme files (*.yaml)")
    root = data_root(data_dir)
    errors: list[DataError] = []
    for path in files:
        try:
            inside(root, path)
        except DataError as error:
            errors.append(error)
    raise_all(errors)
    return files


def data_root(data_dir: Path) -> Path:
    """Return the data directory's real path, which every file it holds must lie within."""
    try:
        return data_dir.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        raise DataError(display_path(data_dir), None, "cannot read the data directory") from exc


def inside(root: Path, path: Path) -> Path:
    """Return a path after checking that it is a regular file within the root directory."""
    shown = display_path(path)
    try:
        target = path.resolve(strict=True)
    except RuntimeError as exc:  # Python before 3.13 reports a symbolic link loop so
        raise DataError(shown, None, "symbolic link loop; cannot read file") from exc
    except OSError as exc:
        raise DataError(shown, None, f"cannot read file: {exc.strerror or exc}") from exc
    if not target.is_relative_to(root):
        raise DataError(shown, None, "is a symbolic link to outside the data directory")
    if not target.is_file():
        raise DataError(shown, None, "is not a regular file")
    return path


def read_all(
    files: Sequence[Path],
    countries: dict[str, Country],
    organisations: dict[str, Organisation],
    workers: int,
) -> Iterator[Outcome]:
    """Read every file in order, in a process pool when there are enough files and cores."""
    return map_files(read_one, files, (countries, organisations), workers)


def map_files(
    task: Callable[..., T], files: Sequence[Path], shared: tuple, workers: int, chunk: int = CHUNK
) -> Iterator[T]:
    """Yield task(path, *shared) for every file in order, in a pool of `workers` processes
    when there are enough files and cores; `shared` is sent to each worker once."""
    if workers < 2 or len(files) < PARALLEL_FROM:
        yield from (task(path, *shared) for path in files)
        return
    with ProcessPoolExecutor(
        min(workers, len(files)),
        mp_context=pool_context(),
        initializer=_remember,
        initargs=(task, shared),
    ) as pool:
        chunksize = max(1, min(chunk, len(files) // (workers * 4)))
        yield from pool.map(_run_remembered, files, chunksize=chunksize)


def counted(outcomes: Iterable[Outcome], counter: Counter | None) -> Iterator[Outcome]:
    """Pass outcomes on, counting each one."""
    for outcome in outcomes:
        if counter:
            counter.advance(1)
        yield outcome


def pool_context() -> multiprocessing.context.BaseContext:
    """Fork when this process has one thread (a build, a benchmark), else use a fork server.

    Forking copies the loaded modules and needs no `if __name__ == "__main__"` guard in the
    caller's script; a process with threads is not forked (a lock held by another thread
    would stay locked in the child), and Python deprecates doing so.
    """
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and _one_thread():
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(["confgraph.load"])
    return context


def _one_thread() -> bool:
    try:  # the kernel's count includes threads that native libraries started
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return threading.active_count() == 1


def read_one(
    path: Path, countries: dict[str, Country], organisations: dict[str, Organisation]
) -> Outcome:
    """Read one programme file, returning its error instead of raising it."""
    try:
        return read_programme(path, countries, organisations)
    except DataError as error:
        return error.with_traceback(None)  # the traceback would keep the file's tree alive


_REMEMBERED: dict[str, Any] = {}


def _remember(task: Callable[..., object], shared: tuple) -> None:
    """Keep a worker's task and what every file shares (the registries), sent once."""
    gc.disable()  # as in paused_gc, for the worker's short life
    _REMEMBERED.update(task=task, shared=shared)


def _run_remembered(path: Path) -> object:
    return _REMEMBERED["task"](path, *_REMEMBERED["shared"])


def check_across_files(outcomes: Sequence[Outcome]) -> tuple[Programme, ...]:
    """Check, in file order, that shared keys mean one thing; raise every file's error."""
    reads = check_claims(outcomes, lambda read: read.programme.source)
    return tuple(read.programme for read in reads)


def check_claims(
    outcomes: Sequence[Claimant | DataError], source_of: Callable[[Claimant], str]
) -> list[Claimant]:
    """Check the claims of every file in file order; return the reads, or raise every error.

    A read is anything with the claims of one file (a file read now, or one the build cache
    remembers); `source_of` names its file as the errors show it.
    """
    meanings: dict[tuple[str, str], tuple[str, str]] = {}
    errors: list[DataError] = []
    reads: list[Claimant] = []
    for outcome in outcomes:
        if isinstance(outcome, DataError):
            error: DataError | None = outcome
        else:
            error = first_clash(source_of(outcome), outcome.claims, meanings)
        if error:
            errors.append(error)
        else:
            reads.append(outcome)
    raise_all(errors)
    return reads


def first_clash(
    source: str, claims: Sequence[Claim], meanings: dict[tuple[str, str], tuple[str, str]]
) -> DataError | None:
    """Return the error of the first key another file means otherwise, or record them all."""
    for claim in claims:
        earlier, where = meanings.get((claim.kind, claim.key), (claim.meaning, ""))
        if claim.kind == "meeting" and where:
            message = f"meeting key '{claim.key}' is also used by {where}"
        elif earlier != claim.meaning:
            message = clash_message(claim, earlier, where)
        else:
            continue
        return DataError(source, claim.line, brief(message))
    for claim in claims:
        meanings.setdefault((claim.kind, claim.key), (claim.meaning, source))
    return None


def clash_message(claim: Claim, earlier: str, where: str) -> str:
    """Say that a shared key has another value in an earlier file, and what to do about it."""
    kind, _, field = claim.kind.partition(":")
    if not field:
        return (
            f"{kind} '{claim.key}' is '{earlier}' in {where}; "
            "one key must mean one thing in every file"
        )
    advice = f"give every file the same {field}"
    if field in ("job_title", "affiliations"):
        advice += ", or move what holds for one meeting only under 'this_meeting'"
    said = f"{kind} '{claim.key}' has {field} '{claim.meaning}' here but '{earlier}' in {where}"
    return f"{said}; {advice}"


def raise_all(errors: list[DataError]) -> None:
    """Raise the one error, or all of them together; do nothing when there is none."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise DataErrors(tuple(errors))
