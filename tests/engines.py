"""Real SPARQL engines for the tests: Oxigraph server and Virtuoso 7, started on loopback.

Each engine runs once per session, with its data directory under pytest's tmp dir and its
ports the first free ones of a range (CONFGRAPH_TEST_PORTS, "low-high", default 20100-20999).
A missing tool skips the tests that need it, except under CI=true, where it fails them.
"""

from __future__ import annotations

import ctypes
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

START_TIMEOUT = 120.0
PR_SET_PDEATHSIG = 1
STOP_TIMEOUT = 60.0
VIRTUOSO_ROOT = Path("/usr/share/virtuoso-opensource-7")
VIRTUOSO_VSP = Path("/var/lib/virtuoso-opensource-7/vsp")
# The environment variables a remote store reads its credentials from.
USER_VARIABLE = "CONFGRAPH_SPARQL_USER"
PASSWORD_VARIABLE = "CONFGRAPH_SPARQL_PASSWORD"
JSON = "application/sparql-results+json"
# Debian's virtuoso.ini caps every result at 10000 rows, as confgraph's default row_limit.
DEBIAN_MAX_ROWS = 10_000


@dataclass
class Engine:
    """A running SPARQL engine: its protocol addresses, credentials and process."""

    name: str
    query_url: str
    update_url: str
    graph_store_url: str
    data_dir: Path
    user: str | None = None
    password: str | None = None
    start: Callable[[], subprocess.Popen[bytes]] = field(repr=False, default=None)  # type: ignore[assignment]
    process: subprocess.Popen[bytes] | None = field(repr=False, default=None)

    def env(self) -> dict[str, str]:
        """Return the environment that passes the engine's credentials (empty without any)."""
        if self.user is None or self.password is None:
            return {}
        return {USER_VARIABLE: self.user, PASSWORD_VARIABLE: self.password}

    def options(self) -> list[str]:
        """Return the command-line options that select this engine (credentials excluded)."""
        return [
            "--engine",
            "sparql",
            "--query-url",
            self.query_url,
            "--update-url",
            self.update_url,
            "--graph-store-url",
            self.graph_store_url,
        ]

    def kill(self) -> None:
        """Kill the engine at once (SIGKILL), as a crash would."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=STOP_TIMEOUT)

    def stop(self) -> None:
        """Stop the engine cleanly, killing it if it does not stop in time."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()

    def restart(self) -> None:
        """Start the engine again on the same ports and data directory (after kill or stop)."""
        self.stop()
        self.process = self.start()
        wait_until_answers(self)

    def is_running(self) -> bool:
        """Tell whether the engine's process is alive."""
        return self.process is not None and self.process.poll() is None


def open_url(
    engine: Engine, request: urllib.request.Request, timeout: float = 60.0
) -> http.client.HTTPResponse:
    """Open a request, answering one digest challenge with the engine's credentials."""
    try:
        return urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        challenge = error.headers.get("WWW-Authenticate", "")
        if error.code != 401 or engine.user is None or not challenge.startswith("Digest "):
            raise
        error.close()
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, request.full_url, engine.user, engine.password)
    handler = urllib.request.HTTPDigestAuthHandler(passwords)
    fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(challenge[7:]))
    request.add_unredirected_header("Authorization", "Digest " + handler.get_authorization(
        request, fields))
    return urllib.request.urlopen(request, timeout=timeout)


@dataclass(frozen=True)
class Reply:
    """An engine's HTTP response, read whole."""

    status: int
    headers: Message
    body: bytes

    def json(self) -> Any:
        """Return the body read as JSON."""
        return json.loads(self.body)


def call(
    engine: Engine,
    method: str,
    url: str,
    params: dict[str, str] | None = None,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    """Send one request to the engine (answering a digest challenge); return its response."""
    query = "?" + urllib.parse.urlencode(params) if params else ""
    request = urllib.request.Request(url + query, data=body, method=method, headers=headers or {})
    try:
        with open_url(engine, request) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Reply(error.code, error.headers, error.read())


def query(engine: Engine, text: str, accept: str = JSON, **params: str) -> Reply:
    """Send a query by GET to the engine's (anonymous) query URL."""
    params = {"query": text, **params}
    return call(engine, "GET", engine.query_url, params, headers={"Accept": accept})


def rows(engine: Engine, text: str, **params: str) -> list[dict[str, dict[str, str]]]:
    """Return a SELECT's JSON bindings, failing on any status but 200."""
    reply = query(engine, text, **params)
    assert reply.status == 200, reply.body.decode(errors="replace")
    return reply.json()["results"]["bindings"]


def put_graph(
    engine: Engine, graph: str, body: bytes, content_type: str = "application/n-triples"
) -> Reply:
    """Replace a graph through the engine's Graph Store endpoint."""
    headers = {"Content-Type": content_type, "Accept": "*/*"}
    return call(engine, "PUT", engine.graph_store_url, {"graph": graph}, body, headers)


def count_in(engine: Engine, graph: str) -> int:
    """Count the triples of a named graph through the engine's query URL."""
    found = rows(engine, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(found[0]["n"]["value"])


def require(tool: str, found: str | None) -> str:
    """Return the tool's path; skip without it, or fail under CI=true."""
    if found:
        return found
    reason = f"{tool} is not installed (see the Makefile's APT_PACKAGES and the test extra)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


def port_range() -> range:
    """Return the port range the engines take their ports from."""
    low, _, high = os.environ.get("CONFGRAPH_TEST_PORTS", "20100-20999").partition("-")
    return range(int(low), int(high) + 1)


_taken: set[int] = set()


def free_ports(count: int) -> list[int]:
    """Return count loopback ports of the range that nothing listens on and no engine took."""
    found: list[int] = []
    for port in port_range():
        if port in _taken:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        _taken.add(port)
        if len(found) == count:
            return found
    raise RuntimeError(f"fewer than {count} free loopback ports in {port_range()}")


def ask(engine: Engine, text: str = "ASK {}", timeout: float = 5.0) -> bytes:
    """Send a query to the engine's query URL by GET; return the response body."""
    url = engine.query_url + "?" + urllib.parse.urlencode({"query": text})
    request = urllib.request.Request(url, headers={"Accept": JSON})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read()


def wait_until_answers(engine: Engine) -> None:
    """Wait until the engine answers a query, or fail with its log."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if not engine.is_running():
            raise RuntimeError(f"{engine.name} exited at start:\n{log_tail(engine)}")
        try:
            ask(engine)
            return
        except urllib.error.HTTPError as error:
            error.close()
            time.sleep(0.2)
        except OSError:
            time.sleep(0.2)
    engine.kill()
    raise RuntimeError(f"{engine.name} did not answer in {START_TIMEOUT}s:\n{log_tail(engine)}")


def log_tail(engine: Engine, lines: int = 30) -> str:
    """Return the end of the engine's log file."""
    log = engine.data_dir / "engine.log"
    virtuoso_log = engine.data_dir / "virtuoso.log"
    text = "".join(
        path.read_text(errors="replace") for path in (log, virtuoso_log) if path.exists()
    )
    return "\n".join(text.splitlines()[-lines:])


def _die_with_parent() -> None:
    """Have the kernel stop the engine if the test run dies without stopping it (Linux)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _spawn(command: list[str], data_dir: Path) -> Callable[[], subprocess.Popen[bytes]]:
    def start() -> subprocess.Popen[bytes]:
        with (data_dir / "engine.log").open("ab") as log:
            return subprocess.Popen(
                command,
                cwd=data_dir,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )

    return start


def oxigraph_command() -> str | None:
    """Return the `oxigraph` command of this Python's environment, or on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


@contextmanager
def oxigraph_server(data_dir: Path, *extra: str) -> Iterator[Engine]:
    """Run `oxigraph serve` on a free loopback port with its store in data_dir."""
    command = require("oxigraph (the oxigraph package of the test extra)", oxigraph_command())
    data_dir.mkdir(parents=True, exist_ok=True)
    (port,) = free_ports(1)
    root = f"http://127.0.0.1:{port}"
    store = data_dir / "store"
    start = _spawn(
        [command, "serve", "--location", str(store), "--bind", f"127.0.0.1:{port}", *extra],
        data_dir,
    )
    engine = Engine("oxigraph-server", root + "/query", root + "/update", root + "/store",
                    data_dir, start=start)
    with _running(engine):
        yield engine


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {dir}, {vad}
VADInstallDir = {vad}/
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4
MaxQueryMem = 1G

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {vsp}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledDavVSP = 0
HTTPProxyEnabled = 0
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 60
"""


def virtuoso_ini(
    data_dir: Path, sql_port: int, http_port: int, max_rows: int = DEBIAN_MAX_ROWS
) -> str:
    """Return a virtuoso.ini with every file in data_dir and both ports on 127.0.0.1."""
    return VIRTUOSO_INI.format(
        dir=data_dir,
        sql_port=sql_port,
        http_port=http_port,
        vad=VIRTUOSO_ROOT / "vad",
        vsp=VIRTUOSO_VSP,
        buffers=34_000,
        dirty=25_000,
        max_rows=max_rows,
    )


def isql(sql_port: int, password: str, statement: str) -> str:
    """Run one SQL statement through Virtuoso's isql as dba; return its output."""
    command = require("isql-vt (Debian package virtuoso-opensource)", shutil.which("isql-vt"))
    done = subprocess.run(
        [command, f"127.0.0.1:{sql_port}", "dba", password, f"exec={statement}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise RuntimeError(f"isql {statement!r} failed: {done.stdout}{done.stderr}")
    return done.stdout


@contextmanager
def virtuoso(data_dir: Path, max_rows: int = DEBIAN_MAX_ROWS) -> Iterator[Engine]:
    """Run Virtuoso 7 with its database in data_dir, SQL and HTTP on loopback ports.

    Reading is anonymous on /sparql; writing goes through the digest-authenticated
    /sparql-auth and /sparql-graph-crud-auth as dba, whose password is made new each run.
    """
    command = require("virtuoso-t (Debian package virtuoso-opensource)", shutil.which("virtuoso-t"))
    data_dir.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_ports(2)
    ini = data_dir / "virtuoso.ini"
    ini.write_text(virtuoso_ini(data_dir, sql_port, http_port, max_rows))
    root = f"http://127.0.0.1:{http_port}"
    start = _spawn([command, "+configfile", str(ini), "+foreground"], data_dir)
    engine = Engine("virtuoso", root + "/sparql", root + "/sparql-auth",
                    root + "/sparql-graph-crud-auth", data_dir, user="dba", password="dba",
                    start=start)
    with _running(engine):
        password = secrets.token_urlsafe(16)
        isql(sql_port, "dba", f"USER_SET_PASSWORD('dba', '{password}')")
        engine.password = password
        yield engine


@contextmanager
def _running(engine: Engine) -> Iterator[Engine]:
    engine.process = engine.start()
    try:
        wait_until_answers(engine)
        yield engine
    finally:
        engine.stop()


@pytest.fixture(scope="session")
def oxigraph_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """Yield an Oxigraph server for the whole session (plain default graph, no union)."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-server")) as engine:
        yield engine


@pytest.fixture(scope="session")
def virtuoso_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """Yield a Virtuoso 7 server for the whole session."""
    with virtuoso(tmp_path_factory.mktemp("virtuoso")) as engine:
        yield engine


@pytest.fixture(scope="session", params=["oxigraph-server", "virtuoso"])
def remote_engine(request: pytest.FixtureRequest) -> Engine:
    """Yield each real engine in turn (the session's instances)."""
    name = "oxigraph_engine" if request.param == "oxigraph-server" else "virtuoso_engine"
    return request.getfixturevalue(name)


@pytest.fixture(scope="session")
def fresh_engine(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[str], AbstractContextManager[Engine]]:
    """Return a starter of a new engine of its own (for tests that kill or fill one)."""

    def start(name: str) -> AbstractContextManager[Engine]:
        data_dir = tmp_path_factory.mktemp(name)
        return virtuoso(data_dir) if name == "virtuoso" else oxigraph_server(data_dir)

    return start
