"""Write a release: dumps, description and manifest, staged and then swapped into place."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from confgraph import __version__
from confgraph.aside import Aside
from confgraph.chunks import write_index
from confgraph.counts import data_counts
from confgraph.delta import Delta, graph_entries
from confgraph.describe import (
    BuildInfo,
    FileInfo,
    describe_release,
    description_turtle,
    release_statistics,
)
from confgraph.dumps import DUMP_FORMATS, DumpFormat, sha256_file, turtle_text
from confgraph.errors import ReleaseError
from confgraph.iris import Iris, first_free
from confgraph.load import Counter
from confgraph.metadata import DatasetMetadata
from confgraph.quads import ReleaseQuads
from confgraph.records import Records
from confgraph.release_lock import claimed
from confgraph.rows_delta import remade
from confgraph.searchdocs import search_documents
from confgraph.store.disk import MANIFEST, STORE_DIR, finish_store, load_store
from confgraph.store.search import SEARCH_FILE, SEARCH_MEDIA_TYPE, write_search_index
from confgraph.store.update import updated_store
from confgraph.tables import write_table_files, write_tables

CURRENT = "current"
RELEASES = "releases"
KEEP_RELEASES = 5
# A staging directory this old, whose lock nobody holds, was left by a killed build.
STALE_STAGING_SECONDS = 10
SOURCE_MEDIA_TYPES = {".yaml": "application/yaml", ".csv": "text/csv"}


def build_time() -> dt.datetime:
    """Return now, or SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def source_infos(sources: tuple[str, ...], data_dir: Path) -> tuple[FileInfo, ...]:
    """Describe source files by their path under the data directory."""
    infos = []
    for source in sources:
        path = Path(source)
        name = path.resolve().relative_to(data_dir.resolve()).as_posix()
        media = SOURCE_MEDIA_TYPES.get(path.suffix, "application/octet-stream")
        infos.append(FileInfo(name, media, path.stat().st_size, sha256_file(path)))
    return tuple(infos)


@dataclass(frozen=True)
class ReleaseContent:
    """What a release is written from."""

    quads: ReleaseQuads
    ontology: Graph
    shapes: Graph
    iris: Iris
    sources: tuple[FileInfo, ...]
    started: dt.datetime
    build_key: str = ""  # what the build depended on besides the sources (confgraph.cache)
    metadata: DatasetMetadata = field(default_factory=DatasetMetadata)  # from dataset.yaml
    description: Graph | None = None  # of the reference and link graphs (confgraph.link)
    delta: Delta | None = None  # how the data differs from the published release's


def write_release(
    content: ReleaseContent,
    out_dir: Path,
    check: Callable[[], None] = lambda: None,
    counter: Counter | None = None,
) -> Path:
    """Stage a complete release beside the published one, then point `current` at it.

    `check` runs once the release is staged and may refuse it by raising: nothing is then
    published. The counter, if given, counts the files written.
    """
    releases = out_dir / RELEASES
    releases.mkdir(parents=True, exist_ok=True)
    staging = releases / f".staging-{os.getpid()}"
    _remove_stale_staging(releases)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        # Held while writing: a later build's clean-up leaves a live build's staging alone.
        with claimed(staging):
            release_id = write_files(content, staging, counter)
            check()
            final = releases / first_free(release_id, lambda name: (releases / name).exists())
            staging.rename(final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _point_current(out_dir, final)
    _prune(releases, keep=final)
    return final


def _prune(releases: Path, keep: Path) -> None:
    """Delete all but the newest KEEP_RELEASES releases: never the one just published,
    nor one that a running server or query holds (see release_lock)."""
    published = sorted(p for p in releases.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in published[:-KEEP_RELEASES]:
        if old != keep:
            _remove_unless_held(old)


def _remove_unless_held(directory: Path) -> None:
    with claimed(directory) as free:
        if free:
            shutil.rmtree(directory, ignore_errors=True)


def _remove_stale_staging(releases: Path) -> None:
    """Delete what killed builds left staged (a live build holds its staging's lock)."""
    for staging in releases.glob(".staging-*"):
        if staging.is_dir() and time.time() - staging.stat().st_mtime > STALE_STAGING_SECONDS:
            _remove_unless_held(staging)


def write_files(content: ReleaseContent, staging: Path, counter: Counter | None = None) -> str:
    """Write every file of a release into staging and return the release's id.

    The store is loaded, and the gzipped dumps compressed, in threads of their own while
    this one writes the rest: Oxigraph and zlib run outside the interpreter's lock. A build
    from the published release validates little, which leaves a core free: the tables and
    the search index are then written in a child process (see confgraph.aside). A build
    from scratch keeps both cores busy without it (measured at a million triples).
    """
    count = counter.advance if counter else lambda n=1: None
    delta = content.delta
    tables = Aside(_write_tables_and_index, content.quads, staging, delta) if delta else None
    try:
        return _write_files(content, staging, count, tables)
    finally:
        if tables is not None:
            tables.cancel()


def _write_files(
    content: ReleaseContent,
    staging: Path,
    count: Callable[..., None],
    tables: Aside[list[FileInfo]] | None,
) -> str:
    """Write the files of write_files; the tables come from `tables` if written aside."""
    quads, iris = content.quads, content.iris
    quads.subject_chunks  # noqa: B018 - cut once, before the threads that share the chunks
    with ThreadPoolExecutor(2, thread_name_prefix="release") as background:
        store = background.submit(_store, content, staging / STORE_DIR)
        base = content.delta.base if content.delta is not None else None
        dumps = write_dumps(quads, staging, background, count, base)
        (staging / "ontology.ttl").write_text(turtle_text(content.ontology), "utf-8")
        (staging / "shapes.ttl").write_text(turtle_text(content.shapes), "utf-8")
        counts = data_counts(quads, staging, base)  # while the tables are written aside
        statistics = release_statistics(quads, iris, counts)
        ended = build_time()
        release_id = f"{ended:%Y%m%dT%H%M%SZ}-{dumps[-1].sha256[:8]}"
        dumps += tables.result() if tables else _write_tables_and_index(quads, staging)
        count(len(dumps) - len(DUMP_FORMATS))
        metadata = content.metadata.for_release(release_id, str(iris.dataset()), ended.year)
        sources = content.sources
        build = BuildInfo(release_id, content.started, ended, sources, tuple(dumps), metadata)
        description = describe_release(quads, iris, build, statistics)
        if content.description is not None:
            description += content.description
        (staging / "void.ttl").write_bytes(description_turtle(description))
        finish_store(store.result(), staging / "void.ttl", str(iris.void_graph()))
        del store  # the store's last reference: its database closes, readers may open it
        count()
    _write_manifest(staging, content, build)
    return release_id


def _store(content: ReleaseContent, directory: Path) -> ox.Store:
    """Return the release's store: the published one changed by the delta, or a new one."""
    quads = content.quads
    if content.delta is not None:
        return updated_store(directory, content.delta, quads.ntriples)
    return load_store(directory, quads.nquads, quads.ntriples)


def write_dumps(
    quads: ReleaseQuads,
    staging: Path,
    background: Executor,
    count: Callable[..., None],
    previous: Path | None = None,
) -> list[FileInfo]:
    """Write every dump, those whose writer leaves the interpreter's lock in background,
    copying from the previous release the chunks it holds (see confgraph.chunks)."""
    written = []
    for dump in DUMP_FORMATS:
        path = staging / dump.name
        if dump.background:
            written.append(background.submit(_write_dump, dump, quads, path, previous))
        else:
            written.append(_done(_write_dump(dump, quads, path, previous)))
        written[-1].add_done_callback(lambda _: count())
    return [future.result() for future in written]


def _write_dump(
    dump: DumpFormat, quads: ReleaseQuads, path: Path, previous: Path | None
) -> FileInfo:
    placed = dump.write(quads, path, previous)
    size, digest = path.stat().st_size, sha256_file(path)
    write_index(path.parent, dump.name, placed, digest)
    return FileInfo(dump.name, dump.media_type, size, digest, dump.title)


def _done(info: FileInfo) -> Future[FileInfo]:
    future: Future[FileInfo] = Future()
    future.set_result(info)
    return future


def _write_tables_and_index(
    quads: ReleaseQuads, staging: Path, delta: Delta | None = None
) -> list[FileInfo]:
    """Write the CSV tables, their datapackage.json and the search index, from the data,
    or from the published release and what a delta changes in them (see rows_delta)."""
    again = remade(delta, quads) if delta is not None else None
    if again is None:
        records = Records.from_triples(quads.data())
        files = write_tables(records, staging)
        documents = search_documents(records)
    else:
        files = write_table_files(again.table_bytes, staging)
        documents = again.documents()
    path = staging / SEARCH_FILE
    write_search_index(documents, path)
    title = "full-text search index (SQLite FTS5)"
    size, digest = path.stat().st_size, sha256_file(path)
    return [*files, FileInfo(SEARCH_FILE, SEARCH_MEDIA_TYPE, size, digest, title)]


def _write_manifest(staging: Path, content: ReleaseContent, build: BuildInfo) -> None:
    files = {}
    for path in sorted(p for p in staging.iterdir() if p.is_file()):
        info = next((d for d in build.dumps if d.name == path.name), None)
        files[path.name] = {  # a dump's digest is known: the file is not read again
            "media_type": info.media_type if info else "text/turtle",
            "bytes": info.size if info else path.stat().st_size,
            "sha256": info.sha256 if info else sha256_file(path),
        }
    manifest = {
        "base": content.iris.base,
        "release": build.release,
        "built": build.ended.isoformat(),
        "version": __version__,
        "files": files,
        "store": {"directory": STORE_DIR, "engine": "oxigraph", "release": build.release},
        "sources": [asdict(source) for source in build.sources],
        "build_key": content.build_key,
        "dataset": build.metadata.to_json(),
        "graphs": graph_entries(content.quads),
    }
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")


def _point_current(out_dir: Path, target: Path) -> None:
    """Atomically replace the `current` symlink (rename over the old link)."""
    link = out_dir / CURRENT
    temporary = out_dir / f".{CURRENT}-{os.getpid()}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(Path(RELEASES) / target.name)
    os.replace(temporary, link)


def current_release(out_dir: Path) -> Path:
    """Return the published release directory, or raise if there is none."""
    candidate = out_dir / CURRENT if (out_dir / CURRENT).exists() else out_dir
    if not (candidate / MANIFEST).is_file():
        raise ReleaseError(f"{out_dir}: no release found (run `confgraph build` first)")
    return candidate.resolve()
