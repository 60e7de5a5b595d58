"""Slow queries step aside (issue 7): a cheap query never waits for a worker held by a slow one."""

from __future__ import annotations

import os
import time
from contextlib import closing

import pytest
from busyworker import busy_worker

from confgraph.errors import EndpointBusy
from confgraph.store.release import Release
from confgraph.store.sandbox import SLOW_NICE, SandboxedStore

CHEAP = "ASK { ?s ?p ?o }"
# Counts the pairs of triples: slower than slow_after below, far quicker than the limit.
PAIRS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"
TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c }"


def pids(store: SandboxedStore) -> set[int]:
    """Return the process ids of the store's workers."""
    return {w.process.pid for w in store._all if w.process.pid is not None}


def idle_pids(store: SandboxedStore) -> set[int]:
    """Return the process ids of the pool's idle workers (not the spare's)."""
    return {w.process.pid for w in list(store._idle.queue) if w and w.process.pid is not None}


def demoted(pid: int) -> bool:
    """Wait (two seconds at most) until the process has the least CPU priority."""
    deadline = time.monotonic() + 2
    while os.getpriority(os.PRIO_PROCESS, pid) != SLOW_NICE:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def settled(store: SandboxedStore, count: int) -> bool:
    """Wait (a few seconds at most) for count idle loaded workers, and the loaded spares."""
    spare = store.spares
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        idle = list(store._idle.queue)
        loaded = all(w is not None and w.ready for w in idle) and store._spare.qsize() == spare
        if len(store._all) == count + spare and len(idle) == count and loaded:
            return True
        time.sleep(0.05)
    return False


def test_a_slow_query_gives_its_slot_to_a_fresh_worker_at_the_least_priority(
    release: Release,
) -> None:
    with closing(
        SandboxedStore(
            "oxigraph", release.quads, workers=1, timeout=5.0, wait=2.0, slow_after=0.1, spares=1
        )
    ) as store:
        assert store.query("ASK {}").boolean is True
        assert settled(store, 1)  # the worker and the spare have loaded
        (slow_pid,) = idle_pids(store)
        with busy_worker(store) as stopped:  # SLOW runs past slow_after, then the limit
            assert demoted(slow_pid)
            started = time.monotonic()
            assert store.query(CHEAP).boolean is True  # in the spare, not after SLOW
            assert time.monotonic() - started < 1.5
            assert slow_pid in pids(store) and len(pids(store)) == 3  # with the next spare
        assert len(stopped) == 1  # SLOW was still stopped at the time limit
        assert settled(store, 1) and slow_pid not in pids(store)
        assert {os.getpriority(os.PRIO_PROCESS, pid) for pid in pids(store)} == {0}


def test_a_slow_query_that_ends_in_time_is_answered_and_its_worker_stopped(
    release: Release,
) -> None:
    with closing(
        SandboxedStore(
            "oxigraph", release.quads, workers=1, timeout=30.0, slow_after=0.001, spares=1
        )
    ) as store:
        (triples,) = store.query(TRIPLES).rows  # (slow too, maybe: its worker then retires)
        assert settled(store, 1)
        (first,) = idle_pids(store)
        (pairs,) = store.query(PAIRS).rows
        assert int(pairs[0]) == int(triples[0]) ** 2
        assert settled(store, 1) and first not in pids(store)  # the pool keeps its size


def test_without_spares_a_slow_query_keeps_its_slot(release: Release) -> None:
    with closing(
        SandboxedStore(
            "oxigraph", release.quads, workers=1, timeout=3.0, wait=0.5, slow_after=0.1, spares=0
        )
    ) as store:
        assert store.query("ASK {}").boolean is True
        (pid,) = pids(store)
        with busy_worker(store):
            with pytest.raises(EndpointBusy, match="worker_wait"):
                store.query(CHEAP)  # the one worker is the slow query's
            assert os.getpriority(os.PRIO_PROCESS, pid) == 0 and pids(store) == {pid}


def test_spares_are_bounded(release: Release) -> None:
    with closing(
        SandboxedStore(
            "oxigraph", release.quads, workers=1, timeout=3.0, wait=5.0, slow_after=0.1, spares=1
        )
    ) as store:
        assert store.query("ASK {}").boolean is True
        with busy_worker(store) as first, busy_worker(store) as second:
            time.sleep(1.5)  # the first gave its slot to the spare; the second keeps its own
            assert len(pids(store)) == 3  # the two, and the next spare
        assert len(first) == len(second) == 1
        assert settled(store, 1)
