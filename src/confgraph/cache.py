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
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from confgraph import __version__
from confgraph.build import ONTOLOGY_FILE, BuiltDataset, Triple, build_dataset
from confgraph.dataset_file import dataset_file
from confgraph.dumps import sha256_file
from confgraph.errors import ConfgraphError
from confgraph.iris import Iris
from confgraph.load import (
    REFERENCE_FILES,
    Reference,
    available_cores,
    check_claims,
    data_root,
    inside,
    load_reference,
    programme_files,
    read_all,
)
from confgraph.model import Catalogue
from confgraph.programme import Claim, ReadProgramme
from confgraph.quads import to_oxigraph
from confgraph.release import CURRENT, source_infos
from confgraph.store.convert import to_rdflib  # an unexpected term: TypeError, unreadable
from confgraph.store.disk import MANIFEST
from confgraph.validate import ShapesDirs, shape_files
from confgraph.vocab import ONTOLOGY_IRI
from confgraph.yamlmap import display_path

# Bump when an entry's layout or meaning changes: every older entry then misses.
FORMAT = 2  # 2: entries remember the warnings of their programme
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
        paths += tuple(programme_files(data_dir))
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


@dataclass(frozen=True)
class Entry:
    """What building one programme produced: its claims and its quads, graph by graph."""

    claims: tuple[Claim, ...]
    graphs: dict[URIRef, set[Triple]]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reused:
    """A programme file whose entry the cache holds: it is not read again."""

    source: str
    claims: tuple[Claim, ...]
    entry: Entry


def encode(key: str, entry: Entry) -> bytes:
    """Return an entry as one JSON header line (claims, checksum) and sorted N-Quads lines."""
    seen: dict[Node, ox.Term] = {}

    def term(node: Node) -> ox.Term:
        found = seen.get(node)
        if found is None:
            found = seen[node] = to_oxigraph(node)
        return found

    quads = (
        ox.Quad(term(s), term(p), term(o), term(name))
        for name, triples in entry.graphs.items()
        for s, p, o in triples
    )
    lines = ox.serialize(quads, format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)
    body = b"".join(sorted(lines))  # one line per quad: the same entry gives the same bytes
    claims = [[c.kind, c.key, c.meaning, c.line] for c in entry.claims]
    sha = hashlib.sha256(body).hexdigest()
    header = {
        "format": FORMAT,
        "key": key,
        "claims": claims,
        "warnings": list(entry.warnings),
        "sha256": sha,
    }
    return json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n" + body


def decode(data: bytes, key: str, terms: Terms) -> Entry:
    """Read an entry back, or raise CorruptEntry when it does not verify."""
    head, _, body = data.partition(b"\n")
    try:
        header = json.loads(head)
        if header["format"] != FORMAT or header["key"] != key:
            raise CorruptEntry("it belongs to another key or format")
        if hashlib.sha256(body).hexdigest() != header["sha256"]:
            raise CorruptEntry("its checksum differs")
        claims = tuple(
            Claim(str(k), str(n), str(m), int(line)) for k, n, m, line in header["claims"]
        )
        warnings = tuple(str(text) for text in header.get("warnings", ()))
        graphs = terms.graphs(ox.parse(body, format=ox.RdfFormat.N_QUADS))
    except CorruptEntry:
        raise
    except (ValueError, KeyError, TypeError, SyntaxError) as error:
        raise CorruptEntry(f"it is unreadable: {error}") from error
    return Entry(claims, graphs, warnings)


class Terms:
    """Turn pyoxigraph quads into rdflib triples by graph, converting each distinct term once."""

    def __init__(self) -> None:
        self._seen: dict[ox.Term, Node] = {}

    def graphs(self, quads: Iterable[ox.Quad]) -> dict[URIRef, set[Triple]]:
        """Return the triples of each graph (the hot loop of reading the cache)."""
        graphs: dict[URIRef, set[Triple]] = {}
        seen = self._seen
        last, add = None, None
        for s, p, o, g in quads:
            if g != last:
                last = g
                add = graphs.setdefault(URIRef(g.value), set()).add
            subject = seen.get(s) or seen.setdefault(s, to_rdflib(s))
            predicate = seen.get(p) or seen.setdefault(p, to_rdflib(p))
            obj = seen.get(o)
            if obj is None:  # not `or`: a literal such as "0" is false
                obj = seen.setdefault(o, to_rdflib(o))
            add((subject, predicate, obj))  # type: ignore[misc]
        return graphs


class BuildCache:
    """Entries on disk, one file each, written atomically; any of them may vanish at any time."""

    def __init__(self, directory: Path, iris: Iris, say: Say) -> None:
        self.directory = directory
        self.iris = iris
        self.say = say
        self.code = code_digest()
        self.terms = Terms()
        self.used: set[str] = set()  # the keys of this build's programmes: what prune keeps

    def key(self, registries: str, path: Path) -> str:
        """Return the key of a programme file: its content, the registries, base and code."""
        return digest(
            f"programme/{FORMAT}", self.code, self.iris.base, registries, sha256_file(path)
        )

    def path(self, key: str) -> Path:
        """Return where the entry of a key is kept."""
        return self.directory / ENTRIES / f"{key}{SUFFIX}"

    def get(self, key: str, source: str) -> Entry | None:
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
            return decode(data, key, self.terms)
        except CorruptEntry as error:
            self.say(f"warning: ignoring the cache entry {path}: {error}; rebuilding {source}")
            return None

    def put(self, key: str, entry: Entry) -> None:
        """Store an entry (atomically: a reader sees all of it or nothing); failing only warns."""
        path = self.path(key)
        temporary = path.with_name(f".{key}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(encode(key, entry))
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


@dataclass(frozen=True)
class Loaded:
    """Every programme file in order, as read now or reused from the cache, with its key."""

    reference: Reference
    registries: str
    files: tuple[Path, ...]
    keys: tuple[str, ...]
    reads: tuple[ReadProgramme | Reused, ...]

    @property
    def sources(self) -> tuple[str, ...]:
        """Return every source file: the two registries, then the programmes."""
        return tuple(map(str, (*self.reference.paths, *self.files)))

    @property
    def warnings(self) -> tuple[str, ...]:
        """Return the warnings of every programme, read now or remembered by the cache."""
        return tuple(
            w
            for r in self.reads
            for w in (r.entry.warnings if isinstance(r, Reused) else r.warnings)
        )

    @property
    def reused(self) -> int:
        """Return how many programmes came from the cache."""
        return sum(isinstance(read, Reused) for read in self.reads)


def load(cache: BuildCache, data_dir: Path, workers: int | None = None) -> Loaded:
    """Load the registries, read the programme files the cache lacks, check every file's claims."""
    reference = load_reference(data_dir)
    files = programme_files(data_dir)
    registries = files_digest(reference.paths)
    keys = [cache.key(registries, path) for path in files]
    cache.used.update(keys)
    entries = [cache.get(key, display_path(path)) for key, path in zip(keys, files, strict=True)]
    missing = [path for path, entry in zip(files, entries, strict=True) if entry is None]
    cores = workers or available_cores()
    fresh = iter(read_all(missing, reference.countries, reference.organisations, cores))
    outcomes = [
        Reused(display_path(path), entry.claims, entry) if entry else next(fresh)
        for path, entry in zip(files, entries, strict=True)
    ]
    cache.terms = Terms()  # let go of the terms seen while reading entries
    reads = check_claims(outcomes, _source)
    return Loaded(reference, registries, tuple(files), tuple(keys), tuple(reads))


def _source(read: ReadProgramme | Reused) -> str:
    return read.source if isinstance(read, Reused) else read.programme.source


def build(cache: BuildCache, loaded: Loaded, ontology: Graph) -> BuiltDataset:
    """Build the programmes read now (storing each in the cache) and merge in the reused ones.

    The result equals build_dataset over all programmes: a programme's triples depend on
    its file and the registries only, so the union of per-programme builds is the build.
    """
    shared_iri = cache.iris.shared_graph()
    shared: set[Triple] = set()
    graphs: dict[URIRef, set[Triple]] = {shared_iri: shared}
    for key, path, read in zip(loaded.keys, loaded.files, loaded.reads, strict=True):
        entry = read.entry if isinstance(read, Reused) else _build_one(cache, loaded, read)
        if isinstance(read, ReadProgramme) and cache.key(loaded.registries, path) == key:
            cache.put(key, entry)  # only if the file is still what was read (an editor may save)
        for name, triples in entry.graphs.items():
            if name == shared_iri:
                shared |= triples
            else:
                graphs[name] = triples
    graphs[ONTOLOGY_IRI] = set(ontology)
    return BuiltDataset(graphs)


def _build_one(cache: BuildCache, loaded: Loaded, read: ReadProgramme) -> Entry:
    reference = loaded.reference
    alone = Catalogue((read.programme,), reference.countries, reference.organisations)
    return Entry(read.claims, build_dataset(alone, cache.iris).graphs, read.warnings)
