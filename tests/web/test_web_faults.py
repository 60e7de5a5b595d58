"""Faults against the real server on loopback: builds killed or run under load, workers killed,
half-open connections, SIGTERM. Bounded: about a minute in all on a busy machine."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

import pytest
from engines import port_range
from loopback import free_port_in

from confgraph.store.integrity import verify_release
from confgraph.store.release import Release

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "mini"
PORTS = port_range()  # CONFGRAPH_TEST_PORTS, as the engines take theirs
ASK = "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D"
EXPENSIVE = (
    "/sparql?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%3Fa%20%3Fb%20%3Fc%20.%20"
    "%3Fd%20%3Fe%20%3Ff%20.%20%3Fg%20%3Fh%20%3Fi%20.%20%3Fj%20%3Fk%20%3Fl%7D"
)


def get(url: str, timeout: float = 30) -> tuple[int, Message, bytes]:
    """GET a URL; return status, headers (any case) and body, for errors too."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        body = error.read()
        error.close()
        return error.code, error.headers, body


@dataclass
class Live:
    """A build directory, its data and the server that follows its `current` link."""

    data: Path
    out: Path
    root: str
    process: subprocess.Popen[bytes]
    builds: int = 0

    def build(self, kill_after: float | None = None) -> subprocess.CompletedProcess[bytes] | None:
        """Change the data (a new title), then build; kill the build after kill_after seconds."""
        self.builds += 1
        programme = self.data / "programmes" / "mini.yaml"
        text = programme.read_text("utf-8").split("\n", 4)
        text[3] = f"  title: A minimal meeting, build {self.builds}"
        programme.write_text("\n".join(text), "utf-8")
        command = [sys.executable, "-m", "confgraph.cli", "build"]
        command += ["--data", str(self.data), "--out", str(self.out)]
        if kill_after is None:
            return subprocess.run(command, capture_output=True, timeout=120, check=True)
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(kill_after)
        process.send_signal(signal.SIGKILL)
        process.wait()
        return None

    def published(self) -> Release:
        """Return the release `current` names, checked as the server checks it."""
        release = Release.open(self.out)
        verify_release(release)
        return release

    def served_etag(self) -> str:
        """Return the ETag of the TriG dump the server serves now."""
        status, headers, _ = get(self.root + "/dumps/confgraph.trig")
        assert status == 200
        return headers["ETag"].strip('"')

    def wait_until_served(self, release: Release, seconds: float = 60) -> None:
        """Wait until the server serves this release's TriG."""
        expected = release.files["confgraph.trig"].sha256
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.served_etag() == expected:
                return
            time.sleep(0.2)
        pytest.fail(f"release {release.release_id} was not served within {seconds} s")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """Build the small golden data once and serve it, following `current`."""
    base = tmp_path_factory.mktemp("faults")
    data = base / "data"
    shutil.copytree(GOLDEN, data, ignore=shutil.ignore_patterns("expected.ttl"))
    port = free_port_in(PORTS)
    process: subprocess.Popen[bytes] | None = None
    found = Live(data, base / "out", f"http://127.0.0.1:{port}", process)  # type: ignore[arg-type]
    found.build()
    command = [sys.executable, "-m", "confgraph.cli", "serve", "--release", str(found.out)]
    command += ["--port", str(port), "--query-workers", "1", "--query-timeout", "5"]
    found.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and found.process.poll() is None:
            try:
                if get(found.root + ASK, timeout=5)[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        yield found
    finally:
        if found.process.poll() is None:
            found.process.terminate()
        found.process.communicate(timeout=30)


def test_a_build_killed_at_any_moment_leaves_the_published_release_serving(live: Live) -> None:
    chance = random.Random(7)
    for _ in range(4):
        live.build(kill_after=chance.uniform(0.3, 4.0))
        published = live.published()  # raises unless every file is as release.json records
        live.wait_until_served(published)
        assert get(live.root + ASK)[0] == 200
    long_ago = time.time() - 3600
    for staging in (live.out / "releases").glob(".staging-*"):
        os.utime(staging, (long_ago, long_ago))  # what the killed builds left, as if old
    live.build()
    assert not list((live.out / "releases").glob(".staging-*"))


@dataclass
class Load:
    """Client threads that query pages, dumps and the endpoint until stopped."""

    root: str
    served: int = 0
    failures: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self, path: str) -> None:
        while not self.stop.is_set():
            try:
                status, headers, body = get(self.root + path)
                if status != 200 or len(body) != int(headers.get("Content-Length", len(body))):
                    self.failures.append(f"{path}: {status} {body[:200]!r}")
            except OSError as error:
                self.failures.append(f"{path}: {error}")
            self.served += 1


def test_six_builds_under_load_fail_no_request_and_the_newest_is_served(live: Live) -> None:
    load = Load(live.root)
    paths = (ASK, "/", "/dumps/confgraph.trig", "/dumps/", "/dataset.ttl")
    threads = [threading.Thread(target=load.run, args=(p,), daemon=True) for p in paths]
    for thread in threads:
        thread.start()
    seen = []
    try:
        for _ in range(6):
            live.build()
            release = live.published()
            live.wait_until_served(release)
            seen.append(release.release_id)
    finally:
        load.stop.set()
        for thread in threads:
            thread.join(60)
    assert load.failures == [], load.failures[:5]
    assert load.served > 50 and len(set(seen)) == 6
    assert live.served_etag() == live.published().files["confgraph.trig"].sha256
    kept = [p for p in (live.out / "releases").iterdir() if not p.name.startswith(".")]
    assert len(kept) <= 6


def test_a_killed_query_worker_is_replaced(live: Live) -> None:
    workers = children(live.process.pid)
    assert workers
    os.kill(workers[0], signal.SIGKILL)
    # Distinct texts: a repeated query is answered from the result cache, not a worker.
    statuses = [get(f"{live.root}{ASK}%20%23{i}")[0] for i in range(3)]
    assert statuses.count(200) >= 2, statuses
    assert all(get(f"{live.root}{ASK}%20%23more{i}")[0] == 200 for i in range(20))
    assert len(children(live.process.pid)) == len(workers)


def children(pid: int) -> list[int]:
    """Return the query workers of a process (spawned by it, or forked by its fork server)."""
    processes = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        processes[int(entry.name)] = (int(stat.rsplit(")", 1)[1].split()[1]), command)
    servers = {p for p, (up, cmd) in processes.items() if up == pid and b"forkserver" in cmd}
    return sorted(
        p
        for p, (parent, command) in processes.items()
        if parent in servers or (parent == pid and b"spawn_main" in command)
    )


def test_half_open_connections_do_not_lock_clients_out(live: Live) -> None:
    port = int(live.root.rsplit(":", 1)[1])
    idle = []
    try:
        for number in range(150):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            if number % 2:
                sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # headers never finished
            idle.append(sock)
        started = time.monotonic()
        assert get(live.root + ASK, timeout=10)[0] == 200
        assert time.monotonic() - started < 5
    finally:
        for sock in idle:
            sock.close()


def test_sigterm_stops_the_server_at_once_even_mid_query(live: Live) -> None:
    running = threading.Thread(target=lambda: _ignore(get, live.root + EXPENSIVE), daemon=True)
    running.start()
    time.sleep(1.0)
    started = time.monotonic()
    live.process.send_signal(signal.SIGTERM)
    live.process.wait(timeout=10)
    assert time.monotonic() - started < 2.0
    assert live.process.returncode == 0
    running.join(10)


def _ignore(function, *args) -> None:  # type: ignore[no-untyped-def]
    with contextlib.suppress(OSError):
        function(*args)
