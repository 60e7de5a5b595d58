"""Fair use of the query workers: a bound on each client's concurrent queries."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from confgraph.errors import EndpointBusy


class QueryGate:
    """Let each client run at most per_client queries at once; bound the requests waiting.

    A request waiting here holds a request thread, so at most max_waiting wait at once:
    pages always find a free thread.
    """

    def __init__(self, per_client: int, max_waiting: int, wait: float) -> None:
        self.per_client, self.max_waiting, self.wait = per_client, max_waiting, wait
        self._running: Counter[str] = Counter()
        self._waiting = 0
        self._changed = threading.Condition()

    @contextmanager
    def slot(self, client: str) -> Iterator[None]:
        """Hold one of client's query slots for the block; 503 if none frees in time."""
        self._acquire(client)
        try:
            yield
        finally:
            with self._changed:
                self._running[client] -= 1
                if self._running[client] <= 0:
                    del self._running[client]
                self._changed.notify_all()

    def _acquire(self, client: str) -> None:
        with self._changed:
            if self._running[client] < self.per_client:
                self._running[client] += 1
                return
            if self._waiting >= self.max_waiting:
                raise EndpointBusy(self._busy(client))
            self._waiting += 1
            try:
                free = self._changed.wait_for(
                    lambda: self._running[client] < self.per_client, timeout=self.wait
                )
            finally:
                self._waiting -= 1
            if not free:
                raise EndpointBusy(self._busy(client))
            self._running[client] += 1

    def _busy(self, client: str) -> str:
        return (
            f"this client ({client}) already runs {self._running[client]} SPARQL queries, "
            f"the most one client may run at once (setting client_queries); try again later"
        )
