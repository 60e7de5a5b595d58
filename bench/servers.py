"""The contenders: confgraph, bare pyoxigraph, rdflib-endpoint and Virtuoso, one interface."""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import psutil
from queries import Answer, Query, answer_from_json, answer_from_triples

PROBE = "ASK { ?s ?p ?o }"
RESULTS_JSON = "application/sparql-results+json"
TRIPLES = "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8"
VIRTUOSO_GRAPH = "urn:bench:data"
BIN = Path(sys.executable).parent


class BenchError(RuntimeError):
    """A contender could not be started, loaded or queried."""


Measure = Callable[[psutil.Process], int]


class MemorySampler:
    """Sample the resident memory of a process and all its children; keep the peak."""

    def __init__(self, pid: int, interval: float = 0.05, measure: Measure | None = None) -> None:
        self.process = psutil.Process(pid)
        self.measure = measure or tree_rss
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.measure(self.process))
            self._stop.wait(self.interval)

    def stop(self) -> int:
        """Stop sampling and return the peak in bytes."""
        self._stop.set()
        self._thread.join()
        return self.peak


def tree_rss(process: psutil.Process) -> int:
    """Return the resident bytes of a process plus its descendants (0 once it is gone)."""
    return tree_total(process, lambda member: member.memory_info().rss)


def tree_pss(process: psutil.Process) -> int:
    """Return the proportional set size of a process plus its descendants: a page that a
    forked child shares with its parent counts once, split between them (0 once gone)."""
    return tree_total(process, lambda member: member.memory_full_info().pss)


def tree_total(process: psutil.Process, measure: Measure) -> int:
    """Return the sum of one measure over a process and its descendants (0 once gone)."""
    try:
        tree = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for member in tree:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            total += measure(member)
    return total


class Contender:
    """Something that answers SPARQL: started once per size, queried, stopped."""

    name = ""
    http = True

    def start(self) -> float:
        """Start (or load) and return the seconds until the first query is answered."""
        raise NotImplementedError

    def run(self, query: Query, text: str) -> tuple[float, Answer | None, bytes]:
        """Run one query text; return its seconds, and the raw answer for checking."""
        raise NotImplementedError

    def peak_memory(self) -> int | None:
        """Return the peak resident bytes of the server and its children, if measured."""
        return None

    def stop(self) -> None:
        """Stop whatever was started."""


class HttpEndpoint(Contender):
    """A SPARQL endpoint run as a child process, queried over one keep-alive connection."""

    graph_accept = TRIPLES

    def __init__(self, port: int, path: str = "/sparql", extra: dict[str, str] | None = None):
        self.port = port
        self.path = path
        self.extra = extra or {}
        self.process: subprocess.Popen[bytes] | None = None
        self.sampler: MemorySampler | None = None
        self.connection: http.client.HTTPConnection | None = None
        self.log: Path | None = None

    def command(self) -> list[str]:
        """Return the command line that starts the server."""
        raise NotImplementedError

    def launch(self, log: Path, cwd: Path | None = None) -> float:
        """Start the server, sample its memory and return seconds until it answers."""
        self.log = log
        started = time.perf_counter()
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                self.command(), stdout=out, stderr=subprocess.STDOUT, cwd=cwd
            )
        self.sampler = MemorySampler(self.process.pid)
        self.wait_ready(started)
        return time.perf_counter() - started

    def wait_ready(self, started: float, limit: float = 1800) -> None:
        """Send the probe query until it is answered; fail if the server exits first."""
        while time.perf_counter() - started < limit:
            if self.process and self.process.poll() is not None:
                raise BenchError(
                    f"{self.name} exited with {self.process.returncode}; see {self.log}"
                )
            try:
                status, _, body = self.get(self.sparql_path(PROBE), RESULTS_JSON, timeout=5)
                if status == 200:
                    return
                if 400 <= status < 500:
                    raise BenchError(f"{self.name}: HTTP {status} for the probe: {body[:200]!r}")
            except (OSError, http.client.HTTPException):
                self.connection = None
            time.sleep(0.05)
        raise BenchError(f"{self.name} did not answer within {limit:.0f} s; see {self.log}")

    def sparql_path(self, text: str) -> str:
        """Return the request path of a GET query."""
        return f"{self.path}?{urllib.parse.urlencode({'query': text, **self.extra})}"

    def get(self, path: str, accept: str, timeout: float = 3600) -> tuple[int, str, bytes]:
        """GET a path and return status, content type and body (reconnecting when needed)."""
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=timeout
                )
            self.connection.timeout = timeout
            try:
                self.connection.request("GET", path, headers={"Accept": accept})
                response = self.connection.getresponse()
                body = response.read()
                return response.status, response.getheader("Content-Type", ""), body
            except (OSError, http.client.HTTPException):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def run(self, query: Query, text: str) -> tuple[float, Answer | None, bytes]:
        """Time one GET of the query, body read; check the status."""
        accept = self.graph_accept if query.graph else RESULTS_JSON
        path = self.sparql_path(self.prologue(query) + text)
        started = time.perf_counter()
        status, media_type, body = self.get(path, accept)
        seconds = time.perf_counter() - started
        if status != 200:
            raise BenchError(f"{self.name}: HTTP {status} for {query.name}: {body[:300]!r}")
        return seconds, self.read_answer(query, body, media_type), body

    def prologue(self, query: Query) -> str:
        """Return what this server needs before a query to answer as the others do."""
        return ""

    def read_answer(self, query: Query, body: bytes, media_type: str) -> Answer:
        """Read an answer; an unreadable one fails the contender."""
        try:
            if query.graph:
                return answer_from_triples(body, media_type)
            return answer_from_json(body)
        except Exception as error:  # whatever the parser raises, the answer is unreadable
            raise BenchError(f"{self.name}: unreadable answer to {query.name}: {error}") from error

    def time_page(self, path: str) -> float:
        """Return the seconds one GET of an HTML page takes; fail on any status but 200."""
        started = time.perf_counter()
        status, _, body = self.get(path, "text/html")
        if status != 200:
            raise BenchError(f"{self.name}: HTTP {status} for {path}: {body[:200]!r}")
        return time.perf_counter() - started

    def peak_memory(self) -> int | None:
        """Return the peak resident memory of the server and its children."""
        return self.sampler.peak if self.sampler else None

    def stop(self) -> None:
        """Stop the server: SIGTERM, then SIGKILL after ten seconds."""
        if self.connection:
            self.connection.close()
            self.connection = None
        if self.sampler:
            self.sampler.stop()
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Confgraph(HttpEndpoint):
    """`confgraph serve` on a built release."""

    name = "confgraph"

    def __init__(self, release: Path, port: int, log: Path) -> None:
        super().__init__(port)
        self.release = release
        self.log_path = log

    def command(self) -> list[str]:
        """Return the serve command on loopback."""
        return [str(BIN / "confgraph"), "serve", "--release", str(self.release),
                "--host", "127.0.0.1", "--port", str(self.port)]  # fmt: skip

    def start(self) -> float:
        """Start the server on the release."""
        return self.launch(self.log_path)


class RdflibEndpoint(HttpEndpoint):
    """rdflib-endpoint (FastAPI on uvicorn) over the N-Triples dump, in memory."""

    name = "rdflib-endpoint"
    graph_accept = "text/turtle"  # it answers a weighted Accept with RDF/XML

    def __init__(self, ntriples: Path, port: int, log: Path) -> None:
        super().__init__(port, path="/")
        self.ntriples = ntriples
        self.log_path = log

    def command(self) -> list[str]:
        """Return the rdflib-endpoint command on loopback."""
        return [str(BIN / "rdflib-endpoint"), "serve", str(self.ntriples),
                "--host", "127.0.0.1", "--port", str(self.port)]  # fmt: skip

    def start(self) -> float:
        """Start the server; it parses the dump before it answers."""
        return self.launch(self.log_path)


class BareOxigraph(Contender):
    """pyoxigraph in this process, in memory, on the N-Triples dump: the engine alone."""

    name = "pyoxigraph"
    http = False

    def __init__(self, ntriples: Path) -> None:
        self.ntriples = ntriples
        self.store = None

    def start(self) -> float:
        """Bulk-load the dump and answer the probe."""
        import pyoxigraph

        started = time.perf_counter()
        self.store = pyoxigraph.Store()
        self.store.bulk_load(path=str(self.ntriples), format=pyoxigraph.RdfFormat.N_TRIPLES)
        bool(self.store.query(PROBE))
        return time.perf_counter() - started

    def run(self, query: Query, text: str) -> tuple[float, Answer | None, bytes]:
        """Evaluate the query and read every row or triple out of the engine."""
        started = time.perf_counter()
        result = self.store.query(text)
        rows = list(result)
        seconds = time.perf_counter() - started
        if query.graph:
            return seconds, Answer(len(rows)), b""
        named = [v.value for v in result.variables]
        counts = sorted(float(row["n"].value) for row in rows if "n" in named and row["n"])
        return seconds, Answer(len(rows), tuple(counts)), b""

    def stop(self) -> None:
        """Drop the store."""
        self.store = None


class Virtuoso(HttpEndpoint):
    """OpenLink Virtuoso 7 (Debian's virtuoso-opensource) on loopback, bulk-loaded with ld_dir."""

    name = "virtuoso"

    def __init__(self, ntriples: Path, workdir: Path, sql_port: int, http_port: int) -> None:
        super().__init__(http_port, extra={"default-graph-uri": VIRTUOSO_GRAPH})
        self.ntriples = ntriples
        self.workdir = workdir
        self.sql_port = sql_port
        self.load_seconds = 0.0

    def command(self) -> list[str]:
        """Return the server command, in the foreground, with this run's own ini."""
        return [virtuoso_binary(), "+foreground", "+configfile", str(self.workdir / "virtuoso.ini")]

    def prologue(self, query: Query) -> str:
        """Ask for the concise bounded description, as Oxigraph and rdflib give, not SPO+OPS."""
        return 'define sql:describe-mode "CBD"\n' if query.graph else ""

    def prepare(self) -> float:
        """Create a database, bulk-load the dump, checkpoint and stop; return the load time."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        (self.workdir / "virtuoso.ini").write_text(virtuoso_ini(self), encoding="utf-8")
        self.launch(self.workdir / "virtuoso.out", cwd=self.workdir)
        started = time.perf_counter()
        folder = str(self.ntriples.parent).replace("'", "''")
        self.isql(f"ld_dir('{folder}', '{self.ntriples.name}', '{VIRTUOSO_GRAPH}');",
                  "rdf_loader_run();", "checkpoint;")  # fmt: skip
        self.load_seconds = time.perf_counter() - started
        self.stop()
        return self.load_seconds

    def start(self) -> float:
        """Restart on the loaded database (as confgraph restarts on a built release)."""
        return self.launch(self.workdir / "virtuoso.out", cwd=self.workdir)

    def isql(self, *statements: str) -> str:
        """Run SQL statements with isql as dba; fail with isql's output on an error."""
        script = "\n".join(statements) + "\n"
        command = [isql_binary(), f"127.0.0.1:{self.sql_port}", "dba", "dba", "VERBOSE=OFF"]
        done = subprocess.run(command, input=script.encode(), capture_output=True, timeout=7200)
        output = done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
        if done.returncode != 0 or "*** Error" in output:
            raise BenchError(f"virtuoso: isql failed:\n{output}")
        return output

    def stop(self) -> None:
        """Shut the server down cleanly (checkpoint), or terminate it."""
        if self.process and self.process.poll() is None:
            with contextlib.suppress(BenchError, subprocess.TimeoutExpired):
                self.isql("shutdown;")
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(30)
        super().stop()


def virtuoso_binary() -> str:
    """Return the Virtuoso server binary, installing Debian's package when it is missing."""
    found = shutil.which("virtuoso-t")
    if found:
        return found
    install_virtuoso()
    found = shutil.which("virtuoso-t")
    if not found:
        raise BenchError("virtuoso-t not found after installing virtuoso-opensource")
    return found


def isql_binary() -> str:
    """Return Virtuoso's isql (Debian names it isql-vt)."""
    found = shutil.which("isql-vt") or shutil.which("isql-v")
    if not found:
        raise BenchError("isql-vt not found; install Debian's virtuoso-opensource")
    return found


def install_virtuoso() -> None:
    """Install Debian's virtuoso-opensource with apt-get (with sudo when not root)."""
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print("installing virtuoso-opensource with apt-get", file=sys.stderr)
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "virtuoso-opensource"]
    subprocess.run([*sudo, *install], check=True, env=env)


def virtuoso_ini(server: Virtuoso) -> str:
    """Return a virtuoso.ini that keeps everything in the work folder, on loopback only."""
    db = server.workdir
    return textwrap.dedent(f"""\
        [Database]
        DatabaseFile = {db}/virtuoso.db
        ErrorLogFile = {db}/virtuoso.log
        LockFile = {db}/virtuoso.lck
        TransactionFile = {db}/virtuoso.trx
        xa_persistent_file = {db}/virtuoso.pxa
        MaxCheckpointRemap = 2000
        TempStorage = TempDatabase
        [TempDatabase]
        DatabaseFile = {db}/virtuoso-temp.db
        TransactionFile = {db}/virtuoso-temp.trx
        [Parameters]
        ServerPort = 127.0.0.1:{server.sql_port}
        DisableUnixSocket = 1
        CheckpointInterval = 0
        DirsAllowed = ., {server.ntriples.parent}
        NumberOfBuffers = 170000
        MaxDirtyBuffers = 130000
        MaxQueryMem = 1G
        [HTTPServer]
        ServerPort = 127.0.0.1:{server.port}
        ServerRoot = {db}
        ServerThreads = 10
        MaxKeepAlives = 10
        KeepAliveTimeout = 10
        EnabledGzipContent = 0
        [SPARQL]
        ResultSetMaxRows = 1000000
        MaxQueryCostEstimationTime = 0
        MaxQueryExecutionTime = 0
        """)
