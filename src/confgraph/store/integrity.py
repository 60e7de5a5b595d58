"""Check a release before it is served: every listed file as recorded, each kind readable.

`verify_release` checks what release.json records (presence, size, SHA-256) for every
file it lists, then runs the check of the file's kind from VERIFIERS. `verify_store`
checks the store opened from the release. Each failure is one ReleaseError naming the file.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from confgraph.errors import ReleaseError
from confgraph.store.base import Store
from confgraph.store.release import QUADS, PublishedFile, Release
from confgraph.store.search import SEARCH_FILE, check_search_index

# Directives and comments of a TriG file's head: a file with nothing else holds no data.
HEAD_PREFIXES = (b"@prefix", b"@base", b"prefix ", b"base ", b"#")
HEAD_BYTES = 1 << 20
HASH_THREADS = min(4, os.cpu_count() or 1)
# A triple in the default graph (the merge), else in a named graph: asked in one query, the
# named graphs' half took Oxigraph 0.3 s at a million triples (measured), the first none.
ANY_TRIPLE = ("ASK { ?s ?p ?o }", "ASK { GRAPH ?g { ?s ?p ?o } }")


def verify_release(release: Release) -> None:
    """Raise ReleaseError naming the first listed file that is missing, altered or unreadable."""
    listed = [(release.path / f.name, f) for f in sorted(release.files.values(), key=_name)]
    for path, info in listed:
        check_size(path, info)
    # hashlib lets go of the interpreter lock: the files are hashed side by side.
    with ThreadPoolExecutor(HASH_THREADS) as pool:
        digests = pool.map(sha256_of, [path for path, _ in listed])
        for (path, info), digest in zip(listed, digests, strict=True):
            check_digest(path, info, digest)
    for path, info in listed:
        verify = VERIFIERS.get(info.name)
        if verify is not None:
            verify(release, path)


def check_size(path: Path, info: PublishedFile) -> None:
    """Check a file's presence and size against release.json."""
    try:
        facts = path.stat()
    except FileNotFoundError:
        raise ReleaseError(f"{path}: missing (release.json lists it)") from None
    if not stat.S_ISREG(facts.st_mode):
        raise ReleaseError(f"{path}: not a regular file")
    if facts.st_size != info.size:
        raise ReleaseError(
            f"{path}: {facts.st_size} bytes where release.json records {info.size}"
            " (truncated or altered)"
        )


def sha256_of(path: Path) -> str:
    """Return a file's SHA-256, read as a stream."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def check_digest(path: Path, info: PublishedFile, digest: str) -> None:
    """Check a file's SHA-256 against release.json."""
    if digest != info.sha256:
        raise ReleaseError(
            f"{path}: SHA-256 {digest} differs from the {info.sha256} that release.json"
            " records (altered)"
        )


def verify_store(release: Release, store: Store) -> None:
    """Check the store opened from a release: it must hold the release's data."""
    if not any(store.lookup(query).boolean for query in ANY_TRIPLE):
        raise ReleaseError(f"{release.quads}: the release holds no triples")


def _name(info: PublishedFile) -> str:
    return info.name


def _holds_statements(release: Release, path: Path) -> None:
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if len(head) == HEAD_BYTES:
        return  # a megabyte of prefixes and comments is no empty release
    lines = (line.strip() for line in head.splitlines())
    if all(not line or line.lower().startswith(HEAD_PREFIXES) for line in lines):
        raise ReleaseError(f"{path}: empty (no quads, only prefixes or comments)")


def _parses_as_turtle(release: Release, path: Path) -> None:
    release.turtle(path.name)  # parsed only: the site makes the rdflib graphs it needs


def _opens_as_search_index(release: Release, path: Path) -> None:
    check_search_index(path)


def _parses_as_json(release: Release, path: Path) -> None:
    try:
        json.loads(path.read_bytes())
    except ValueError as error:
        raise ReleaseError(f"{path}: not valid JSON: {error}") from None


VERIFIERS: dict[str, Callable[[Release, Path], None]] = {
    QUADS: _holds_statements,
    "void.ttl": _parses_as_turtle,
    "ontology.ttl": _parses_as_turtle,
    "shapes.ttl": _parses_as_turtle,
    SEARCH_FILE: _opens_as_search_index,
    "datapackage.json": _parses_as_json,
}
