"""Pruning spares every release someone holds, even across a killed holder, and staged leftovers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from confgraph import release as writer
from confgraph.errors import ReleaseError
from confgraph.iris import Iris
from confgraph.pipeline import run_build
from confgraph.release_lock import ReleaseHold, claimed

HOLDER = (
    "import sys, time; from pathlib import Path; from confgraph.release_lock import ReleaseHold;"
    "ReleaseHold(Path(sys.argv[1])); print('held', flush=True); time.sleep(60)"
)


def old_releases(releases: Path, count: int) -> list[Path]:
    made = [releases / f"2000010{n}T000000Z-old" for n in range(count)]
    for path in made:
        path.mkdir(parents=True)
        (path / "release.json").write_text("{}")
    return made


def test_a_held_release_survives_pruning(tmp_path: Path) -> None:
    releases = tmp_path / "releases"
    held, *others = old_releases(releases, 8)
    hold = ReleaseHold(held)
    writer._prune(releases, keep=others[-1])
    assert held.is_dir() and (held / "release.json").is_file()
    assert sorted(p.name for p in releases.iterdir()) == [held.name] + [
        p.name for p in others[-writer.KEEP_RELEASES :]
    ]
    hold.close()
    writer._prune(releases, keep=others[-1])
    assert not held.exists()


def test_a_killed_holder_leaves_nothing_held(tmp_path: Path) -> None:
    releases = tmp_path / "releases"
    held, *others = old_releases(releases, 6)
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(held)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout and process.stdout.readline() == "held\n"
        writer._prune(releases, keep=others[-1])
        assert held.is_dir()
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stdout.close() if process.stdout else None
    writer._prune(releases, keep=others[-1])
    assert not held.exists()


def test_a_release_being_deleted_cannot_be_held(tmp_path: Path) -> None:
    with claimed(tmp_path) as free:
        assert free
        with pytest.raises(ReleaseError, match="being deleted"):
            ReleaseHold(tmp_path)
    with pytest.raises(ReleaseError, match="cannot open the release"):
        ReleaseHold(tmp_path / "gone")


def test_a_build_clears_what_killed_builds_staged_but_not_a_live_one(
    mini_data: Path, tmp_path: Path
) -> None:
    releases = tmp_path / "releases"
    dead, live, fresh = (releases / f".staging-{n}" for n in (999991, 999992, 999993))
    for staging in (dead, live, fresh):
        staging.mkdir(parents=True)
        (staging / "confgraph.trig").write_text("half written")
    long_ago = time.time() - 3600
    for staging in (dead, live):
        os.utime(staging, (long_ago, long_ago))
    with claimed(live) as free:
        assert free
        run_build(mini_data, tmp_path, Iris())
    assert not dead.exists()
    assert live.is_dir() and fresh.is_dir()  # one is being written; one may just have begun
