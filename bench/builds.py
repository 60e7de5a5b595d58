"""Generate a corpus and time `confgraph build` on it: from scratch, unchanged, one file changed."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from servers import BIN, BenchError, MemorySampler, tree_pss

TRIPLES_PER_MEETING = 1334  # measured: 75 generated meetings give 100,035 triples
PROGRESS = re.compile(r"^\[\s*([0-9.]+)s\]\s+(\S+)")


@dataclass
class BuildRun:
    """One `confgraph build`: wall time, peak memory (with children), phases from its progress."""

    seconds: float
    peak: int
    phases: dict[str, float] = field(default_factory=dict)


def meetings_for(triples: int) -> int:
    """Return how many generated meetings give about TRIPLES triples."""
    return max(1, round(triples / TRIPLES_PER_MEETING))


def generate(data: Path, meetings: int, seed: int) -> None:
    """Write a synthetic corpus with `confgraph generate`."""
    command = [str(BIN / "confgraph"), "generate", "--meetings", str(meetings),
               "--out", str(data), "--seed", str(seed)]  # fmt: skip
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def build(data: Path, out: Path, log: Path, sample: bool = True) -> BuildRun:
    """Run `confgraph build` once, sampling the memory of it and its children (PSS: the
    build forks its workers and its validation, which share pages with it) unless told
    not to (the peak is then 0)."""
    command = [str(BIN / "confgraph"), "build", "--data", str(data), "--out", str(out)]
    started = time.perf_counter()
    with log.open("w") as handle:
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT)
        # Reading a process's PSS takes ~7 ms: sampled as often as RSS, it took 60% of a core.
        sampler = MemorySampler(process.pid, interval=0.5, measure=tree_pss) if sample else None
        code = process.wait()
    seconds = time.perf_counter() - started
    peak = sampler.stop() if sampler else 0
    if code != 0:
        raise BenchError(f"confgraph build failed with exit code {code}; see {log}")
    return BuildRun(seconds, peak, phases(log.read_text(errors="replace"), seconds))


def phases(progress: str, total: float) -> dict[str, float]:
    """Return seconds per phase from the build's '[  1.23s] verb ...' progress lines."""
    marks = [(float(m[1]), m[2]) for m in map(PROGRESS.match, progress.splitlines()) if m]
    ends = [t for t, _ in marks[1:]] + [total]
    result: dict[str, float] = {}
    for (start, name), end in zip(marks, ends, strict=True):
        result[name] = result.get(name, 0.0) + max(0.0, end - start)
    return result


def change_one_programme(data: Path) -> Path:
    """Correct one statement's listing in the last programme, as a curator would."""
    path = sorted((data / "programmes").glob("*.yaml"))[-1]
    text = path.read_text(encoding="utf-8")
    changed = text.replace('listed_as: "', 'listed_as: "Corrected: ', 1)
    if changed == text:
        raise BenchError(f"{path}: no listing to change")
    path.write_text(changed, encoding="utf-8")
    return path


def three_builds(data: Path, out: Path, logs: Path) -> dict[str, BuildRun]:
    """Build from scratch, again with nothing changed, and after one programme changed:
    timed without sampling memory, then the same again on a copy of the corpus, sampled
    for the peaks (sampling PSS slowed a build by a quarter at 1M triples, measured)."""
    copy = logs / "data-sampled"
    shutil.copytree(data, copy)
    timed = _scenario(data, out, logs, sample=False)
    sampled = _scenario(copy, logs / "build-sampled", logs, sample=True)
    return {name: BuildRun(t.seconds, sampled[name].peak, t.phases) for name, t in timed.items()}


def _scenario(data: Path, out: Path, logs: Path, sample: bool) -> dict[str, BuildRun]:
    """Build from scratch, with nothing changed, and after one programme changed."""
    suffix = "-sampled" if sample else ""
    runs = {"from scratch": build(data, out, logs / f"build-full{suffix}.log", sample)}
    runs["nothing changed"] = build(data, out, logs / f"build-unchanged{suffix}.log", sample)
    change_one_programme(data)
    changed = logs / f"build-one-changed{suffix}.log"
    runs["one programme changed"] = build(data, out, changed, sample)
    return runs


def release_ntriples(release: Path, target: Path) -> int:
    """Decompress the release's N-Triples dump to TARGET and return its number of triples."""
    with gzip.open(release / "confgraph.nt.gz", "rb") as source, target.open("wb") as sink:
        shutil.copyfileobj(source, sink, 1 << 20)
    with target.open("rb") as handle:
        return sum(1 for line in handle if line.strip() and not line.startswith(b"#"))


def base_of(release: Path) -> str:
    """Return the base IRI recorded in the release."""
    return json.loads((release / "release.json").read_text())["base"].rstrip("/")


def well_known_person(data: Path) -> str:
    """Return the key of the first meeting's first co-facilitator (the most recurring people)."""
    first = sorted((data / "programmes").glob("*.yaml"))[0]
    match = re.search(r'person: "([a-z0-9-]+)"', first.read_text(encoding="utf-8"))
    if not match:
        raise BenchError(f"{first}: no person to DESCRIBE")
    return match[1]


def first_meeting(data: Path) -> str:
    """Return the key of the first generated meeting."""
    first = sorted((data / "programmes").glob("*.yaml"))[0]
    return first.stem
