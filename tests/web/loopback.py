"""A bounded loopback listener that records whether anything connected to it."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Listener:
    """A TCP listener on 127.0.0.1; each connection is recorded and closed at once."""

    port: int
    connections: list[bytes] = field(default_factory=list)

    @property
    def url(self) -> str:
        """Return a SPARQL endpoint address on the listener."""
        return f"http://127.0.0.1:{self.port}/sparql"


@contextmanager
def listener(seconds: float = 20.0) -> Iterator[Listener]:
    """Listen on a free loopback port for at most `seconds`; yield what connected."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.1)
    found = Listener(server.getsockname()[1])
    stop = threading.Event()

    def accept() -> None:
        for _ in range(int(seconds / 0.1)):
            if stop.is_set():
                return
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(0.5)
                try:
                    found.connections.append(conn.recv(200))
                except OSError:
                    found.connections.append(b"")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        stop.set()
        thread.join()
        server.close()


def free_port_in(ports: range) -> int:
    """Return the first port of a range that nothing listens on, on loopback."""
    for port in ports:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free loopback port in {ports.start}-{ports.stop - 1}")
