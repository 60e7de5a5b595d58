"""A query slow enough to outlast the time limit, and a way to keep a worker busy with it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from confgraph.errors import QueryTimeout
from confgraph.store.sandbox import SandboxedStore

SLOW = (
    "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(8)) + " }"
)


@contextmanager
def busy_worker(store: SandboxedStore) -> Iterator[list[QueryTimeout]]:
    """Run SLOW in another thread for the block; yield the timeouts it ended with."""
    stopped: list[QueryTimeout] = []

    def run_slow() -> None:
        try:
            store.query(SLOW)
        except QueryTimeout as error:
            stopped.append(error)

    busy = threading.Thread(target=run_slow)
    busy.start()
    try:
        time.sleep(0.3)  # let the worker take the slow query
        yield stopped
    finally:
        busy.join()
