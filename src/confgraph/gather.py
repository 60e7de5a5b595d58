"""Gather every programme's part: taken from the build cache, or built now in a pool."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from confgraph.cache import BuildCache, files_digest
from confgraph.errors import DataError
from confgraph.iris import Iris
from confgraph.load import (
    Counter,
    Reference,
    available_cores,
    check_claims,
    load_reference,
    programme_files,
)
from confgraph.parts import Part, build_all
from confgraph.yamlmap import display_path


@dataclass(frozen=True)
class Gathered:
    """Every programme file in order, built now or reused from the cache, claims checked."""

    reference: Reference
    files: tuple[Path, ...]
    parts: tuple[Part, ...]
    reused: int  # how many parts came from the cache

    @property
    def sources(self) -> tuple[str, ...]:
        """Return every source file: the two registries, then the programmes."""
        return tuple(map(str, (*self.reference.paths, *self.files)))

    @property
    def warnings(self) -> tuple[str, ...]:
        """Return the warnings of every programme, built now or remembered by the cache."""
        return tuple(w for part in self.parts for w in part.warnings)


def gather(
    data_dir: Path,
    iris: Iris,
    cache: BuildCache | None = None,
    counter: Counter | None = None,
    workers: int | None = None,
) -> Gathered:
    """Build the programme files the cache lacks (every file, without a cache), take the
    others from it and check every file's claims, in file order; cache what was built.

    Files are built in a pool of `workers` processes (default: one per core). Every
    file's error is reported, not only the first file's.
    """
    reference = load_reference(data_dir)
    files = programme_files(data_dir)
    if counter:
        counter.total = len(files)
    registries = files_digest(reference.paths)
    keys = [cache.key(registries, path) for path in files] if cache else [""] * len(files)
    cached = [_cached(cache, key, path) for key, path in zip(keys, files, strict=True)]
    missing = [path for path, part in zip(files, cached, strict=True) if part is None]
    built = build_all(missing, reference, iris, workers or available_cores())
    outcomes = list(_counted(_in_order(cached, built), counter))
    parts = check_claims(outcomes, lambda part: part.source)
    if cache:
        _remember(cache, registries, files, keys, cached, parts)
    reused = sum(part is not None for part in cached)
    return Gathered(reference, tuple(files), tuple(parts), reused)


def _cached(cache: BuildCache | None, key: str, path: Path) -> Part | None:
    return cache.get(key, display_path(path)) if cache else None


def _in_order(
    cached: Sequence[Part | None], built: Iterator[Part | DataError]
) -> Iterator[Part | DataError]:
    """Yield the cached part of each file, or else the next one built."""
    for part in cached:
        yield part if part is not None else next(built)


def _counted(outcomes: Iterable[Part | DataError], counter: Counter | None) -> Iterator:
    for outcome in outcomes:
        if counter:
            counter.advance(1)
        yield outcome


def _remember(
    cache: BuildCache,
    registries: str,
    files: Sequence[Path],
    keys: Sequence[str],
    cached: Sequence[Part | None],
    parts: Sequence[Part],
) -> None:
    """Put each part built now into the cache, if its file is still what was read."""
    cache.used.update(keys)
    for path, key, old, part in zip(files, keys, cached, parts, strict=True):
        if old is None and cache.key(registries, path) == key:  # an editor may have saved
            cache.put(key, part)
