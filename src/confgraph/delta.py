"""What changed between the published release and a new build, graph by graph.

The manifest of a release lists the SHA-256 of each graph's sorted N-Quads lines and where
they lie in its N-Quads dump. A build with a cache compares its own graphs with them: when
few changed, the new release's store is the published one's with those graphs replaced
(confgraph.store.update), and only what the change can reach is validated again
(confgraph.validate_delta) and made again in the tables (confgraph.rows_delta). The dumps
copy the published release's unchanged chunks (confgraph.chunks), so a build from a delta
and one from scratch give the same files.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from dataclasses import dataclass
from pathlib import Path

from confgraph.chunks import read_bodies
from confgraph.quads import ReleaseQuads, without_graph
from confgraph.store.disk import MANIFEST, STORE_DIR

NQUADS_DUMP = "confgraph.nq.gz"
# Replacing a graph costs what loading it costs (removing its old quads, loading the new):
# beyond this share of the quads removed and loaded, a new store is loaded instead.
MAX_CHANGED_SHARE = 0.5


@dataclass(frozen=True)
class Delta:
    """The graphs that differ between the published release and the new build."""

    base: Path  # the published release's directory
    old: dict[str, bytes]  # each changed graph's lines in the published release (b"": new)
    new: dict[str, bytes]  # and in the new build (b"": gone)

    @property
    def base_store(self) -> Path:
        """Return the published release's store."""
        return self.base / STORE_DIR

    def changed_triples(self) -> set[bytes]:
        """Return the N-Triples lines that one of the changed graphs gained or lost."""
        changed: set[bytes] = set()
        for name in self.old:
            old = set(without_graph(self.old[name], name).splitlines(keepends=True))
            new = set(without_graph(self.new[name], name).splitlines(keepends=True))
            changed |= old ^ new
        return changed


def graph_entries(quads: ReleaseQuads) -> dict[str, dict[str, int | str]]:
    """Return, for the manifest, each graph's digest and place in the N-Quads dump."""
    digests = quads.digests
    return {
        name: {"sha256": digests[name], "offset": start, "bytes": end - start}
        for name, start, end in quads.spans
    }


def delta_from(out_dir: Path, quads: ReleaseQuads, build_key: str) -> Delta | None:
    """Return how the quads differ from the published release's, or None when that release
    was built otherwise (another build key), lacks what a delta needs, or changed too much."""
    base = (out_dir / "current").resolve()
    entries = _entries(base, build_key)
    if entries is None or not (base / STORE_DIR / "CURRENT").is_file():
        return None
    spans = {name: (start, end) for name, start, end in quads.spans}
    changed = _changed(entries, quads.digests)
    sizes = [entries.get(n, {}).get("bytes", 0) + _size(spans.get(n)) for n in changed]
    if sum(sizes) > MAX_CHANGED_SHARE * len(quads.nquads):
        return None
    old = _old_lines(base, entries, changed)
    if old is None:
        return None
    new = {name: quads.nquads[slice(*spans[name])] if name in spans else b"" for name in changed}
    return Delta(base, old, new)


def _size(span: tuple[int, int] | None) -> int:
    return span[1] - span[0] if span else 0


def _entries(base: Path, build_key: str) -> dict[str, dict] | None:
    """Return the published release's graph entries, if built with this build key."""
    try:
        manifest = json.loads((base / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("build_key") != build_key:
        return None
    entries = manifest.get("graphs")
    return entries if isinstance(entries, dict) else None


def _changed(entries: dict[str, dict], digests: dict[str, str]) -> list[str]:
    """Return the graphs added, removed or changed, by name."""
    names = sorted(set(entries) | set(digests))
    return [n for n in names if entries.get(n, {}).get("sha256") != digests.get(n, "")]


def _old_lines(base: Path, entries: dict[str, dict], changed: list[str]) -> dict | None:
    """Return the published lines of the changed graphs, each read from its own gzip member
    of the N-Quads dump (see confgraph.chunks); None when one is missing, unreadable or
    not what the manifest says (the chunk index of a release of this build key has them)."""
    digests = [entries[name]["sha256"] for name in changed if name in entries]
    members = read_bodies(base, NQUADS_DUMP, digests)
    old = {}
    for name in changed:
        entry = entries.get(name)
        lines = b"" if entry is None else _decompressed(members.get(entry["sha256"]))
        if lines is None or (entry is not None and _digest(lines) != entry["sha256"]):
            return None
        old[name] = lines
    return old


def _decompressed(member: bytes | None) -> bytes | None:
    """Return a gzip member's lines (None for none, or one that does not decompress)."""
    try:
        return gzip.decompress(member) if member is not None else None
    except (OSError, EOFError, zlib.error):
        return None


def _digest(lines: bytes) -> str:
    return hashlib.sha256(lines).hexdigest() if lines else ""
