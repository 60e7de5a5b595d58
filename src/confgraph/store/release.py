"""A published release directory as the server reads it (release.json and its files)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from confgraph.errors import ReleaseError
from confgraph.iris import Iris
from confgraph.metadata import DatasetMetadata
from confgraph.store.convert import rdflib_triple
from confgraph.store.disk import MANIFEST, STORE_DIR, open_read_only, rebuild_store, store_release

QUADS = "confgraph.trig"
# The files the server reads itself; every other file listed is checked, but optional.
REQUIRED_FILES = (QUADS, "void.ttl", "ontology.ttl", "shapes.ttl")
SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class PublishedFile:
    """One file of a release with the facts release.json records about it."""

    name: str
    media_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Release:
    """A release: its directory, base IRI, id, build time and files, and its dataset's
    metadata (`metadata`: title, licence, publisher, contact, citation; see DatasetMetadata;
    the defaults for a release built before dataset.yaml existed)."""

    path: Path
    base: str
    release_id: str
    built: str
    version: str
    files: dict[str, PublishedFile]
    metadata: DatasetMetadata = field(default_factory=DatasetMetadata)

    @classmethod
    def open(cls, path: str | Path) -> Release:
        """Read a release from its directory, a build directory or a `current` link."""
        directory = locate_release(path)
        data = read_manifest(directory / MANIFEST)
        files = {
            name: PublishedFile(name, info["media_type"], info["bytes"], info["sha256"])
            for name, info in data["files"].items()
        }
        return cls(
            directory,
            data["base"].rstrip("/"),
            data["release"],
            data["built"],
            data.get("version", ""),
            files,
            DatasetMetadata.from_json(data.get("dataset")),
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
        """Parse one of the release's Turtle files into rdflib (empty if the release lacks it)."""
        graph = Graph()
        for quad in self.turtle(name):
            graph.add(rdflib_triple(quad))
        return graph

    def turtle(self, name: str) -> list[ox.Quad]:
        """Parse one of the release's Turtle files with Oxigraph, several times faster than
        rdflib (none if the release lacks it); ReleaseError when it is not valid Turtle."""
        path = self.file_path(name)
        if path is None or not path.is_file():
            return []
        try:
            return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        except (SyntaxError, ValueError) as error:  # a syntax error, bad UTF-8
            raise ReleaseError(f"{path}: not valid Turtle: {_first_line(error)}") from None


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
    try:
        rebuild_store(release.store, release.quads, release.path / "void.ttl", void_graph)
    except (OSError, SyntaxError, ValueError) as error:
        message = f"{release.path}: no store could be loaded from its dumps: {error}"
        raise ReleaseError(message) from None
    problem = store_problem(release)
    if problem is not None:
        raise ReleaseError(problem)
    return release.store


def locate_release(path: str | Path) -> Path:
    """Return the release directory that a path names (itself, or its `current` link's target)."""
    directory = Path(path)
    if not (directory / MANIFEST).is_file() and (directory / "current" / MANIFEST).is_file():
        directory = directory / "current"
    if not (directory / MANIFEST).is_file():
        raise ReleaseError(f"{path}: no {MANIFEST} here (run `confgraph build` first)")
    return directory.resolve()


def read_manifest(manifest: Path) -> dict[str, Any]:
    """Read release.json, checking that it holds every key the server relies on."""
    try:
        data = json.loads(manifest.read_bytes().decode("utf-8"))
    except OSError as error:
        raise ReleaseError(f"{manifest}: cannot be read ({error.strerror})") from None
    except UnicodeDecodeError as error:
        raise ReleaseError(f"{manifest}: not UTF-8 (byte {error.start})") from None
    except json.JSONDecodeError as error:
        raise ReleaseError(
            f"{manifest}:{error.lineno}: not well-formed JSON: {error.msg} (column {error.colno})"
        ) from None
    problem = _manifest_problem(data)
    if problem:
        raise ReleaseError(f"{manifest}: {problem}")
    return data


def _manifest_problem(data: Any) -> str | None:
    if not isinstance(data, dict):
        return "not a JSON object"
    for key in ("base", "release", "built"):
        if not isinstance(data.get(key), str) or not data[key]:
            return f'no "{key}" (a string) in it'
    files = data.get("files")
    if not isinstance(files, dict):
        return 'no "files" (an object) in it'
    for name, info in files.items():
        problem = _file_problem(name, info)
        if problem:
            return f'"files" entry {name!r}: {problem}'
    missing = [name for name in REQUIRED_FILES if name not in files]
    return f"the release lists no {', '.join(missing)}" if missing else None


def _file_problem(name: str, info: Any) -> str | None:
    if "/" in name or name.startswith(".") or not name:
        return "not a plain file name"
    if not isinstance(info, dict):
        return "not an object"
    if not isinstance(info.get("media_type"), str):
        return 'no "media_type" (a string)'
    size = info.get("bytes")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        return 'no "bytes" (a whole number)'
    if not isinstance(info.get("sha256"), str) or not SHA256.fullmatch(info["sha256"]):
        return 'no "sha256" (64 hexadecimal digits)'
    return None


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0][:300] if text else type(error).__name__
