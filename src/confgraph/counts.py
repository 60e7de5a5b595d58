"""What VoID counts of the data (triples, subjects, entities, classes, properties), made
chunk by chunk (see confgraph.chunks) and kept beside the release for the next build.

A chunk holds every line of its subjects, so the counts of the data are the sums of its
chunks' counts; a build from the published release counts only the chunks that release
does not hold (`.chunks/counts.json`, keyed like the dumps' chunks by their lines' SHA-256).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from confgraph.chunks import CHUNKS_DIR
from confgraph.quads import ReleaseQuads

COUNTS_FILE = "counts.json"
COUNTS_VERSION = "counts/1"  # what the file holds; another version is not read
RDF_TYPE = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


@dataclass
class Counts:
    """How many subjects and entities some lines have, and triples of each class and
    property."""

    subjects: int = 0
    entities: int = 0  # subjects with a type
    classes: Counter[str] = field(default_factory=Counter)
    properties: Counter[str] = field(default_factory=Counter)

    @property
    def triples(self) -> int:
        """Return the number of triples."""
        return self.properties.total()

    @classmethod
    def of_lines(cls, ntriples: bytes) -> Counts:
        """Count sorted N-Triples lines.

        A line is `subject predicate object .`, and neither a subject nor a predicate
        holds a space: splitting twice finds them without parsing the objects.
        """
        classes: Counter[bytes] = Counter()
        properties: Counter[bytes] = Counter()
        subjects, entities = set(), set()
        for line in ntriples.splitlines():
            node, predicate, rest = line.split(b" ", 2)
            subjects.add(node)
            properties[predicate] += 1
            if predicate == RDF_TYPE:
                classes[rest[: rest.rindex(b">") + 1]] += 1
                entities.add(node)
        return cls(len(subjects), len(entities), _iris(classes), _iris(properties))

    def add(self, other: Counts) -> None:
        """Add the counts of lines whose subjects these lack."""
        self.subjects += other.subjects
        self.entities += other.entities
        self.classes.update(other.classes)
        self.properties.update(other.properties)

    def to_json(self) -> list[object]:
        """Return the counts as JSON values."""
        return [self.subjects, self.entities, self.classes, self.properties]

    @classmethod
    def from_json(cls, value: list) -> Counts:
        """Return the counts to_json gave."""
        subjects, entities, classes, properties = value
        return cls(int(subjects), int(entities), Counter(classes), Counter(properties))


def data_counts(quads: ReleaseQuads, staging: Path, previous: Path | None = None) -> Counts:
    """Count the merge of the data graphs chunk by chunk, taking from the previous release
    the counts of the chunks it holds; keep every chunk's counts in staging."""
    known = _known(previous) if previous is not None else {}
    total, chunks = Counts(), {}
    for key, start, end in quads.subject_chunks:
        counts = known.get(key) or Counts.of_lines(quads.ntriples[start:end])
        chunks[key] = counts.to_json()
        total.add(counts)
    (staging / CHUNKS_DIR).mkdir(exist_ok=True)
    text = json.dumps({"version": COUNTS_VERSION, "chunks": chunks}, separators=(",", ":"))
    (staging / CHUNKS_DIR / COUNTS_FILE).write_text(text, "utf-8")
    return total


def _known(release: Path) -> dict[str, Counts]:
    """Return the counts of a release's chunks by key (none when it has none readable)."""
    try:
        index = json.loads((release / CHUNKS_DIR / COUNTS_FILE).read_text("utf-8"))
        if index["version"] != COUNTS_VERSION:
            return {}
        return {key: Counts.from_json(value) for key, value in index["chunks"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}


def _iris(counts: Counter[bytes]) -> Counter[str]:
    """Return counts keyed by IRIs written <...> as the IRIs themselves."""
    return Counter({term[1:-1].decode("utf-8"): n for term, n in counts.items()})
