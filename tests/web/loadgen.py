"""Load on loopback: a real `confgraph serve` to measure, wrk runs of request mixes, memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engines import port_range
from loopback import free_port_in

SCRIPT = Path(__file__).with_name("loadmix.lua")
# The tag wrk replaces with a number unique to each request (see loadmix.lua).
COUNTER = "COUNTER"
# Ports tried in turn, so that runs on one machine can be kept to a range of their own
# (CONFGRAPH_TEST_PORTS, as the engines' tests take theirs).
PORTS = port_range()
# The README: SIGTERM stops the server within a second; this leaves room for a busy machine.
STOP_SECONDS = 10
CLI = (sys.executable, "-c", "from confgraph.cli import main; main()")


@dataclass(frozen=True)
class Call:
    """One request of a mix, as wrk sends it."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None


def sparql_get(query: str, accept: str) -> Call:
    """GET /sparql with the query (tagged, so that no two are the same text) in the URL."""
    text = urllib.parse.urlencode({"query": f"{query}\n# {COUNTER}"})
    return Call("GET", f"/sparql?{text}", {"Accept": accept})


def sparql_form(query: str, accept: str) -> Call:
    """POST /sparql with the query (tagged) as a form."""
    body = urllib.parse.urlencode({"query": f"{query}\n# {COUNTER}"})
    headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}
    return Call("POST", "/sparql", headers, body)


def sparql_direct(query: str, accept: str) -> Call:
    """POST /sparql with the query (tagged) as the body."""
    headers = {"Accept": accept, "Content-Type": "application/sparql-query"}
    return Call("POST", "/sparql", headers, f"{query}\n# {COUNTER}")


def lua_string(text: str) -> str:
    """Quote text as a Lua string literal, every byte but letters and digits escaped."""
    return '"' + "".join(chr(b) if chr(b).isalnum() else f"\\{b:03d}" for b in text.encode()) + '"'


def lua_calls(calls: list[Call]) -> str:
    """Return a Lua chunk that returns the calls as a table of tables."""
    rows = []
    for call in calls:
        headers = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in call.headers.items())
        body = f", body = {lua_string(call.body)}" if call.body is not None else ""
        rows.append(
            f"  {{method = {lua_string(call.method)}, path = {lua_string(call.path)}, "
            f"headers = {{{headers}}}{body}}},"
        )
    return "return {\n" + "\n".join(rows) + "\n}\n"


@dataclass
class Load:
    """A wrk run of one mix: its process, and what it printed once done."""

    name: str
    connections: int
    process: subprocess.Popen[str]
    result: dict[str, Any] = field(default_factory=dict)

    def finish(self, seconds: float) -> dict[str, Any]:
        """Wait for wrk; return its WRKJSON line as a dict."""
        out, err = self.process.communicate(timeout=seconds + 60)
        lines = [line for line in out.splitlines() if line.startswith("WRKJSON ")]
        assert self.process.returncode == 0 and lines, f"wrk {self.name} failed: {out}{err}"
        self.result = json.loads(lines[-1].removeprefix("WRKJSON "))
        return self.result


def start_wrk(
    root: str, name: str, calls: list[Call], connections: int, seconds: int, scratch: Path
) -> Load:
    """Start wrk: `connections` connections sending the calls in turn for `seconds` seconds."""
    calls_file = scratch / f"{name}.lua"
    calls_file.write_text(lua_calls(calls))
    command = [
        "wrk", "--threads", str(min(connections, 2)), "--connections", str(connections),
        "--duration", f"{seconds}s", "--timeout", "30s", "--script", str(SCRIPT),
        root + "/", "--", str(calls_file),
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return Load(name, connections, process)


def family(pid: int) -> list[int]:
    """Return the process and every process below it (its query workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        found.append(todo.pop())
        todo.extend(children.get(found[-1], []))
    return found


def rss_kib(pid: int) -> dict[str, int]:
    """Return the resident memory (VmRSS, KiB) of the process and each process below it."""
    sizes = {}
    for member in family(pid):
        try:
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                sizes[str(member)] = int(line.split()[1])
    return sizes


def cpu_seconds(pid: int) -> float:
    """Return the CPU time of the process and its descendants, ended ones included."""
    ticks = 0
    for member in family(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime, stime, and cutime, cstime: the children it reaped (stopped query workers).
        ticks += sum(int(f) for f in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    """A running `confgraph serve`: its root URL, process and log file."""

    root: str
    process: subprocess.Popen[bytes]
    log: Path


@contextmanager
def serving(release: Path, log: Path, *options: str) -> Iterator[Server]:
    """Run `confgraph serve` on the release on a free loopback port; stop it with SIGTERM."""
    port = free_port_in(PORTS)
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [*CLI, "serve", "--release", str(release), "--port", str(port), *options],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        _wait_for(server)
        yield server
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server; kill it (and fail) if it is still running STOP_SECONDS later."""
    process.terminate()
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        message = f"the server did not stop within {STOP_SECONDS} s of SIGTERM"
        raise AssertionError(message) from None


def _wait_for(server: Server) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited: {server.log.read_text()}")
        try:
            with urllib.request.urlopen(server.root + "/sparql?query=ASK%7B%7D", timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def select(root: str, query: str) -> list[dict[str, str]]:
    """Run a SELECT on the server; return its rows as variable -> value."""
    url = root + "/sparql?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        bindings = json.load(response)["results"]["bindings"]
    return [{name: cell["value"] for name, cell in row.items()} for row in bindings]
