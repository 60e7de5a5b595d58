"""A published release directory as the server reads it (release.json and its files)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from confgraph.errors import ReleaseError
from confgraph.release import MANIFEST

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

    def graph(self, name: str) -> Graph:
        """Parse one of the release's Turtle files (empty if the release lacks it)."""
        graph = Graph()
        path = self.file_path(name)
        if path is not None and path.is_file():
            graph.parse(path, format="turtle")
        return graph
