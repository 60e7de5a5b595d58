"""The build cache: what building each programme produced, keyed by the hashes of its inputs.

A programme's triples depend on its own file, the shared registries (the names of agents),
the base IRI and confgraph's code, and on nothing else: an entry is keyed by the hashes of
all four, so an unchanged programme is neither read nor built again. An entry holds the
claims that the loader's cross-file check needs (the check always runs over every file)
and the quads built, as sorted N-Quads under a checksum; an entry that does not verify is
ignored, with a message, and its programme rebuilt. The shapes and the ontology are not
in a programme's key: they never change what it builds, and the whole graph is validated
on every build that is not skipped as unchanged (see `unchanged_release`).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict
from importlib.metadata import version
from pathlib import Path

from confgraph import __version__
from confgraph.build import ONTOLOGY_FILE
from confgraph.dataset_file import dataset_file
from confgraph.dumps import sha256_file
from confgraph.errors import ConfgraphError
from confgraph.iris import Iris
from confgraph.link.graphs import linked_paths
from confgraph.load import REFERENCE_FILES, data_root, inside, programme_files
from confgraph.parts import Part
from confgraph.programme import Claim
from confgraph.release import CURRENT, source_infos
from confgraph.store.disk import MANIFEST
from confgraph.validate import ShapesDirs, shape_files

# Bump when an entry's layout or meaning changes: every older entry then misses.
FORMAT = 3  # 2: entries remember the warnings of their programme; 3: and their graphs apart
ENTRIES = "programmes"
SUFFIX = ".nq"
# A temporary entry this old was left by a killed build (a live one renames it in ms).
STALE_SECONDS = 600
Say = Callable[[str], None]
# What a programme's triples or the verdict on them could change with (tzdata: UTC offsets).
LIBRARIES = ("PyYAML", "rdflib", "pyoxigraph", "tzdata", "pyshacl-turbo")


class CorruptEntry(ValueError):
    """A cache entry that cannot be trusted: unreadable, truncated or tampered with."""


def digest(*parts: str) -> str:
    """Return the SHA-256 of several strings, kept apart (no two lists give one input)."""
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode("utf-8"))
        hasher.update(b"\0")
    return hasher.hexdigest()


def code_digest() -> str:
    """Return the hash of confgraph's version, of its modules that load, build and write,
    and of the versions of the libraries that parse, build and validate.

    The version alone would miss an edit in a source checkout, where it stays the same.
    """
    package = Path(__file__).resolve().parent
    parts = [__version__, *(f"{name} {version(name)}" for name in LIBRARIES)]
    for module in sorted(package.glob("*.py")):
        parts += [module.name, sha256_file(module)]
    return digest(*parts)


def files_digest(paths: Iterable[Path]) -> str:
    """Return the hash of files by name and content."""
    parts: list[str] = []
    for path in paths:
        parts += [path.name, sha256_file(path)]
    return digest(*parts)


def build_key(iris: Iris, shapes_dir: ShapesDirs) -> str:
    """Return the key of what a release depends on besides its source files (release.json
    records the sources): confgraph's code, the base IRI, the shapes and the ontology."""
    shapes = files_digest(shape_files(shapes_dir))
    return digest(f"build/{FORMAT}", code_digest(), iris.base, shapes, sha256_file(ONTOLOGY_FILE))


def unchanged_release(data_dir: Path, out_dir: Path, key: str) -> Path | None:
    """Return the published release when it was built from exactly these sources with this
    build key (nothing to do), else None; any doubt (unreadable input, odd manifest) is None."""
    current = out_dir / CURRENT
    try:
        manifest = json.loads((current / MANIFEST).read_text("utf-8"))
        described = dataset_file(data_dir)  # dataset.yaml: a source like the others
        paths = (*([described] if described else []), *reference_paths(data_dir))
        paths += (*programme_files(data_dir), *linked_paths(data_dir))
        sources = source_infos(tuple(map(str, paths)), data_dir)
    except (OSError, ValueError, ConfgraphError):  # a real error is the full build's to report
        return None
    if not isinstance(manifest, dict) or manifest.get("build_key") != key:
        return None
    if manifest.get("sources") != [asdict(source) for source in sources]:
        return None
    return current.resolve()


def reference_paths(data_dir: Path) -> tuple[Path, Path]:
    """Return the two registry files of a data directory, each checked to lie within it."""
    root = data_root(data_dir)
    countries, organisations = REFERENCE_FILES
    return inside(root, data_dir / countries), inside(root, data_dir / organisations)


def encode(key: str, part: Part) -> bytes:
    """Return an entry as one JSON header line (claims, graphs, checksum) and its quads:
    each graph's sorted N-Quads lines, graph after graph."""
    claims = [[c.kind, c.key, c.meaning, c.line] for c in part.claims]
    graphs = [[name, len(lines)] for name, lines in part.graphs]
    body = part.body
    header = {
        "format": FORMAT,
        "key": key,
        "claims": claims,
        "warnings": list(part.warnings),
        "graphs": graphs,
        "sha256": entry_checksum([claims, list(part.warnings), graphs], body),
    }
    return json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n" + body


def entry_checksum(head: list, body: bytes) -> str:
    """Return the SHA-256 of an entry's header fields and quads."""
    encoded = json.dumps(head, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(encoded + b"\n" + body).hexdigest()


def decode(data: bytes, key: str, source: str) -> Part:
    """Read back the entry of a source file, or raise CorruptEntry when it does not verify."""
    head, _, body = data.partition(b"\n")
    try:
        header = json.loads(head)
        if header["format"] != FORMAT or header["key"] != key:
            raise CorruptEntry("it belongs to another key or format")
        fields = [header["claims"], header["warnings"], header["graphs"]]
        if entry_checksum(fields, body) != header["sha256"]:
            raise CorruptEntry("its checksum differs")
        claims = tuple(
            Claim(str(k), str(n), str(m), int(line)) for k, n, m, line in header["claims"]
        )
        warnings = tuple(str(text) for text in header["warnings"])
        graphs = _graphs(header["graphs"], body)
    except CorruptEntry:
        raise
    except (ValueError, KeyError, TypeError) as error:
        raise CorruptEntry(f"it is unreadable: {error}") from error
    return Part(source, claims, warnings, graphs)


def _graphs(sizes: list, body: bytes) -> tuple[tuple[str, bytes], ...]:
    """Cut an entry's body into its graphs by their recorded sizes."""
    graphs, start = [], 0
    for name, size in sizes:
        graphs.append((str(name), body[start : start + int(size)]))
        start += int(size)
    if start != len(body):
        raise CorruptEntry("its graphs do not add up to its quads")
    return tuple(graphs)


class BuildCache:
    """Entries on disk, one file each, written atomically; any of them may vanish at any time."""

    def __init__(self, directory: Path, iris: Iris, say: Say) -> None:
        self.directory = directory
        self.iris = iris
        self.say = say
        self.code = code_digest()
        self.used: set[str] = set()  # the keys of this build's programmes: what prune keeps

    def key(self, registries: str, path: Path) -> str:
        """Return the key of a programme file: its content, the registries, base and code."""
        return digest(
            f"programme/{FORMAT}", self.code, self.iris.base, registries, sha256_file(path)
        )

    def path(self, key: str) -> Path:
        """Return where the entry of a key is kept."""
        return self.directory / ENTRIES / f"{key}{SUFFIX}"

    def get(self, key: str, source: str) -> Part | None:
        """Return the entry of a key, or None when there is none or it does not verify."""
        path = self.path(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            self.say(f"warning: cannot read the cache entry {path} ({error}); rebuilding {source}")
            return None
        try:
            return decode(data, key, source)
        except CorruptEntry as error:
            self.say(f"warning: ignoring the cache entry {path}: {error}; rebuilding {source}")
            return None

    def put(self, key: str, part: Part) -> None:
        """Store an entry (atomically: a reader sees all of it or nothing); failing only warns."""
        path = self.path(key)
        temporary = path.with_name(f".{key}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(encode(key, part))
            os.replace(temporary, path)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            self.say(f"warning: cannot write the cache entry {path} ({error}); continuing without")

    def prune(self) -> None:
        """Delete the entries no programme of this build used, and stale temporary files."""
        folder = self.directory / ENTRIES
        if not folder.is_dir():
            return
        for path in folder.iterdir():
            stale = path.name.startswith(".") and _age(path) > STALE_SECONDS
            unused = path.suffix == SUFFIX and path.stem not in self.used
            if stale or unused:
                path.unlink(missing_ok=True)


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0
