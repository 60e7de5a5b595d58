"""A published release directory as the server reads it (release.json and its files)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from confgraph.errors import ReleaseError
from confgraph.iris import Iris
from confgraph.release import MANIFEST
from confgraph.store.disk import STORE_DIR, open_read_only, rebuild_store, store_release

QUADS = "confgraph.trig"


@dataclass(frozen=True)
class PublishedFile:
    """One file of a release with the facts release.json records about it."""

    name: str
    media_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Release:
    """A release: its directory, base IRI, id, build time and files."""

    path: Path
    base: str
    release_id: str
    built: str
    version: str
    files: dict[str, PublishedFile]

    @classmethod
    def open(cls, path: str | Path) -> Release:
        """Read a release from its directory, a build directory or a `current` link."""
        directory = Path(path)
        if not (directory / MANIFEST).is_file() and (directory / "current" / MANIFEST).is_file():
            directory = directory / "current"
        manifest = directory / MANIFEST
        if not manifest.is_file():
            raise ReleaseError(f"{path}: no {MANIFEST} here (run `confgraph build` first)")
        data = json.loads(manifest.read_text("utf-8"))
        files = {
            name: PublishedFile(name, info["media_type"], int(info["bytes"]), info["sha256"])
            for name, info in data["files"].items()
        }
        if QUADS not in files:
            raise ReleaseError(f"{manifest}: the release lists no {QUADS}")
        return cls(
            directory.resolve(),
            data["base"].rstrip("/"),
            data["release"],
            data["built"],
            data.get("version", ""),
            files,
        )

    def file_path(self, name: str) -> Path | None:
        """Return the path of a file the release lists, or None for any other name."""
        return self.path / name if name in self.files else None

    @property
    def quads(self) -> Path:
        """Return the path of the TriG file with every quad of the release."""
        return self.path / QUADS

    @property
    def store(self) -> Path:
        """Return the directory of the release's on-disk Oxigraph store."""
        return self.path / STORE_DIR

    def source(self, engine: str) -> Path:
        """Return what an engine opens: Oxigraph the on-disk store, any other the TriG dump."""
        return self.store if engine == "oxigraph" else self.quads

    def graph(self, name: str) -> Graph:
        """Parse one of the release's Turtle files (empty if the release lacks it)."""
        graph = Graph()
        path = self.file_path(name)
        if path is not None and path.is_file():
            graph.parse(path, format="turtle")
        return graph


def store_problem(release: Release) -> str | None:
    """Say what is wrong with a release's store: missing, unreadable or another release's."""
    if not (release.store / "CURRENT").is_file():
        return f"{release.path}: the release has no Oxigraph store ({STORE_DIR}/)"
    try:
        store = open_read_only(release.store)
    except ReleaseError as error:
        return str(error)
    iris = Iris(release.base)
    recorded = store_release(store, str(iris.void_graph()), str(iris.dataset()))
    if recorded != release.release_id:
        return (
            f"{release.store}: the store holds release {recorded or '(none)'}, "
            f"not {release.release_id}"
        )
    return None


def ensure_store(release: Release, say: Callable[[str], None]) -> Path:
    """Return the release's store, loaded once from its dumps if it is missing or not its own."""
    problem = store_problem(release)
    if problem is None:
        return release.store
    say(f"{problem}; loading a store from {QUADS} and void.ttl (once)")
    void_graph = str(Iris(release.base).void_graph())
    rebuild_store(release.store, release.quads, release.path / "void.ttl", void_graph)
    problem = store_problem(release)
    if problem is not None:
        raise ReleaseError(problem)
    return release.store
