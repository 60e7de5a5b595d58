"""Run SPARQL queries in worker processes that are killed when they pass the time limit.

Neither rdflib (pure Python) nor pyoxigraph (native code) can be interrupted from
another thread, so a runaway query is stopped by ending its process; a fresh worker
replaces it while the other workers go on serving. Workers have no network: Oxigraph
would run a SERVICE call itself, and the query check is the only other guard.

A query still running after `slow_after` seconds is slow: its worker is lowered to the
least CPU priority (so cheap queries and the server get the cores first) and, while fewer
than `spares` slow queries run, leaves the pool for a fresh worker; it is stopped once its
query ends. Cheap queries then never wait for a worker held by an expensive one. As many
spare workers are kept loaded, so that a slow query's slot is filled at once.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import queue
import resource
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef

from confgraph.errors import ConfgraphError, EndpointBusy, QueryTimeout
from confgraph.store.base import DatasetSpec, QueryResult, Store
from confgraph.store.deepstack import start_deep_thread
from confgraph.store.registry import open_store

LOAD_TIMEOUT = 300.0
# What a worker imports to open a store, loaded once by the fork server that starts workers.
ENGINE_MODULES = ("confgraph.store.oxigraph_engine", "confgraph.store.rdflib_engine")
SLOW_NICE = 19  # the least CPU priority; a process may always lower its own
CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000
# One query of each form loads the modules queries need before no file may be opened.
WARM_UP = (
    "ASK {}",
    "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1",
    "DESCRIBE <urn:confgraph:warm-up>",
)
log = logging.getLogger(__name__)


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection
    ready: bool = False
    slow: bool = False  # its query ran past slow_after and a spare took its place


Placer = Callable[[_Worker], None]  # where a loaded worker goes: the idle ones, or the spare


def leave_network() -> bool:
    """Move this process into a new, empty network namespace; tell whether it could."""
    if not sys.platform.startswith("linux"):
        return False
    flags = CLONE_NEWNET if os.geteuid() == 0 else CLONE_NEWUSER | CLONE_NEWNET
    return ctypes.CDLL(None, use_errno=True).unshare(flags) == 0


def forbid_new_descriptors() -> None:
    """Let this process open no file or socket from now on; open descriptors stay usable."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (0, hard))


def _serve(conn: Connection, engine: str, source: str) -> None:
    """Load a store offline and answer query jobs until the pipe closes."""
    offline = leave_network()  # before loading: unshare needs a single-threaded process
    store = open_store(engine, source)
    if not offline:
        for query in WARM_UP:
            store.query(query)
        forbid_new_descriptors()
    # Jobs run on a thread with a large stack: Oxigraph's parser recurses deeply.
    start_deep_thread(lambda: _answer(conn, store), name="query-worker").join()


def _answer(conn: Connection, store: Store) -> None:
    """Answer (method, args, kwargs) jobs: rows are pickled, serialized results sent as bytes."""
    conn.send(("ready", None))
    while True:
        try:
            method, args, kwargs = conn.recv()
        except EOFError:
            return
        try:
            answer = getattr(store, method)(*args, **kwargs)
        except ConfgraphError as error:
            conn.send(("refused", (type(error), str(error))))
        except Exception as error:  # a bug in the engine: report it, keep serving
            conn.send(("failed", f"{type(error).__name__}: {error}"))
        else:
            if isinstance(answer, bytes):
                conn.send(("bytes", len(answer)))
                conn.send_bytes(answer)
            else:
                conn.send(("ok", answer))


class SandboxedStore:
    """A Store whose queries run in worker processes under a time limit.

    describe, exists, graphs, labels and lookup are bounded, answered in this process.
    The pool keeps its size: a slot whose worker could not be started holds None,
    and the next query to take it starts one.
    """

    def __init__(
        self,
        engine: str,
        source: str | Path,
        workers: int,
        timeout: float,
        wait: float | None = None,
        slow_after: float = 0.0,
        spares: int = 0,
    ) -> None:
        self.engine, self.source, self.timeout = engine, str(source), timeout
        self.wait = timeout if wait is None else wait
        self.slow_after, self.spares = slow_after, spares
        self._slow = 0  # workers running a slow query outside the pool
        self._local: Store = open_store(engine, self.source)
        self._context = _worker_context()
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        self._spare: queue.Queue[_Worker] = queue.Queue()  # loaded, for a slow query's slot
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(max(1, workers)):
            self._idle.put(self._start())
        for _ in range(spares):
            self._load(self._spare.put)

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_serve, args=(child, self.engine, self.source), daemon=True
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        with self._lock:
            self._all.add(worker)
        return worker

    def _stop(self, worker: _Worker, wait: bool = False) -> None:
        """Stop a worker once, whichever thread asks first (a query's, or close())."""
        with self._lock:
            if worker not in self._all:
                return
            self._all.discard(worker)
        worker.process.kill()
        worker.conn.close()
        if wait:
            worker.process.join()
            return
        # A process at the least priority may take a second to be scheduled to exit on a
        # busy machine: it is reaped in the background, not by the request that stopped it.
        threading.Thread(target=worker.process.join, daemon=True).start()

    def query(
        self,
        sparql: str,
        dataset: DatasetSpec | None = None,
        row_limit: int | None = None,
        base: str | None = None,
        nesting_limit: int | None = None,
    ) -> QueryResult:
        """Run a query in an idle worker and return its rows."""
        return self._job("query", (sparql, dataset, row_limit, base, nesting_limit))

    def query_serialized(
        self,
        sparql: str,
        media_type: str,
        dataset: DatasetSpec | None = None,
        row_limit: int | None = None,
        base: str | None = None,
        prefixes: dict[str, str] | None = None,
        nesting_limit: int | None = None,
    ) -> bytes:
        """Run a query in an idle worker, which serializes the result and sends its bytes."""
        args = (sparql, media_type, dataset, row_limit, base, prefixes, nesting_limit)
        return self._job("query_serialized", args)

    def _job(self, method: str, args: tuple[Any, ...]) -> Any:
        """Run one job in an idle worker; past the time limit the worker is replaced."""
        try:
            worker = self._idle.get(timeout=self.wait)
        except queue.Empty:
            raise EndpointBusy(
                f"every query worker stayed busy for {self.wait:g} s (setting worker_wait); "
                "try again later"
            ) from None
        try:
            if worker is not None and not worker.process.is_alive():
                self._stop(worker)  # killed while idle: replace it before this job needs it
                worker = None
            worker = worker or self._start()
            status, payload = self._run(worker, (method, args, {}))
        except BaseException:
            if worker is not None:
                self._stop(worker)
            if self._closed:  # the store was closed under this query (the server stops)
                raise EndpointBusy("the server is stopping; try again in a moment") from None
            if worker is None or not self._retire(worker):
                self._replace()
            raise
        if not self._retire(worker):
            self._idle.put(worker)
        return _unwrap(status, payload)

    def _retire(self, worker: _Worker) -> bool:
        """Stop a worker whose slow query ended (a spare took its slot); tell if it was one."""
        if not worker.slow:
            return False
        self._stop(worker)
        with self._lock:
            self._slow -= 1
        return True

    def _replace(self) -> None:
        """Start a worker for a slot; it joins the idle ones once it has loaded the store."""
        self._load(self._idle.put, lambda: self._idle.put(None))

    def _load(self, place: Placer, failed: Callable[[], None] | None = None) -> None:
        """Start a worker and, once it has loaded the store, place it; else call failed."""
        worker = self._replacement()
        if worker is None:
            if failed is not None:
                failed()
            return
        threading.Thread(
            target=self._place_loaded, args=(worker, place, failed), daemon=True
        ).start()

    def _place_loaded(
        self, worker: _Worker, place: Placer, failed: Callable[[], None] | None
    ) -> None:
        try:
            self._await_ready(worker)
        except Exception:  # it could not load: the next query to take the slot retries
            if not self._closed:
                log.exception("a query worker could not load the store")
            self._stop(worker)
            if failed is not None:
                failed()
            return
        place(worker)

    def _replacement(self) -> _Worker | None:
        try:
            return self._start()
        except Exception:  # the slot stays, empty: the next query to take it retries
            log.exception("could not start a query worker")
            return None

    def _run(self, worker: _Worker, job: tuple[Any, ...]) -> tuple[str, Any]:
        try:
            return self._exchange(worker, job)
        except (EOFError, OSError):
            worker.process.join(1)
            raise ConfgraphError(
                f"the query worker stopped (exit code {worker.process.exitcode}) while "
                "running this query; a fresh one replaces it"
            ) from None

    def _await_ready(self, worker: _Worker) -> None:
        if not worker.ready:
            if not worker.conn.poll(LOAD_TIMEOUT):
                raise RuntimeError("a query worker did not load the store in time")
            worker.conn.recv()
            worker.ready = True

    def _exchange(self, worker: _Worker, job: tuple[Any, ...]) -> tuple[str, Any]:
        self._await_ready(worker)
        worker.conn.send(job)
        if not self._answered(worker):
            raise QueryTimeout(
                f"the query ran longer than the time limit of {self.timeout:g} s "
                "(setting query_timeout) and was stopped"
            )
        status, payload = worker.conn.recv()
        if status == "bytes":
            return "ok", worker.conn.recv_bytes()
        return status, payload

    def _answered(self, worker: _Worker) -> bool:
        """Wait for the worker's answer within the time limit; past slow_after, demote it."""
        if not 0 < self.slow_after < self.timeout:
            return worker.conn.poll(self.timeout)
        if worker.conn.poll(self.slow_after):
            return True
        self._demote(worker)
        return worker.conn.poll(self.timeout - self.slow_after)

    def _demote(self, worker: _Worker) -> None:
        """Give a slow query's worker the least CPU priority and, if a spare is left, its slot."""
        with self._lock:
            if self._slow >= self.spares or self._closed:
                return  # it keeps its slot, and its priority: nothing would take its place
            self._slow += 1
        worker.slow = True
        # pid 0 would name this process; a worker that has just ended tells by its answer.
        with contextlib.suppress(OSError):
            if worker.process.pid is not None:
                os.setpriority(os.PRIO_PROCESS, worker.process.pid, SLOW_NICE)
        try:
            spare = self._spare.get_nowait()
        except queue.Empty:  # the spare is still loading (or could not be started)
            self._replace()
            return
        self._idle.put(spare)
        self._load(self._spare.put)

    def lookup(self, sparql: str) -> QueryResult:
        """Run one of the server's own bounded queries here, not in a worker."""
        return self._local.lookup(sparql)

    def describe(self, iri: URIRef) -> Graph:
        """Return the triples about iri."""
        return self._local.describe(iri)

    def exists(self, iri: URIRef) -> bool:
        """Tell whether iri occurs in the dataset."""
        return self._local.exists(iri)

    def graphs(self) -> frozenset[URIRef]:
        """Return the named graphs' IRIs."""
        return self._local.graphs()

    def labels(self, iris: Iterable[URIRef]) -> dict[URIRef, list[Literal]]:
        """Return each IRI's labels."""
        return self._local.labels(iris)

    def close(self) -> None:
        """Stop every worker; a query running now is answered 503."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
        for worker in workers:
            self._stop(worker, wait=True)
        self._local.close()


def _worker_context() -> multiprocessing.context.BaseContext:
    """Start workers from a fork server that has imported the engines (else spawn them).

    A spawned worker starts Python and imports rdflib and pyoxigraph again, about half its
    start; a stopped query's replacement is started often under load. The fork server is a
    fresh single-threaded process, so its children may still leave the network.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__, *ENGINE_MODULES])
    return context


def _unwrap(status: str, payload: Any) -> QueryResult:
    if status == "ok":
        return payload
    if status == "refused":
        error_type, message = payload
        raise error_type(message)
    raise RuntimeError(f"query worker failed: {payload}")
