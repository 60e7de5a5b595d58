"""confgraph in front of a real SPARQL engine: Oxigraph server or Virtuoso 7, on loopback.

The engine is started by the tests' own starter (tests/engines.py: its data directory in
the work folder, its ports the first free ones of CONFGRAPH_TEST_PORTS), the release is
loaded with `confgraph publish` (timed), and `confgraph serve --engine sparql` answers.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

from servers import BIN, BenchError, Confgraph

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import engines

# Virtuoso's result cap well above the row limit, as docs/engines.md advises (V4).
VIRTUOSO_MAX_ROWS = 2_000_000


class ConfgraphRemote(Confgraph):
    """`confgraph serve --engine sparql` in front of an engine the release was published to."""

    def __init__(self, kind: str, release: Path, port: int, work: Path) -> None:
        super().__init__(release, port, work / f"confgraph-{kind}-serve.log")
        self.kind = kind
        self.name = f"confgraph+{kind}"
        self.work = work
        self.engine: engines.Engine | None = None
        self.running: contextlib.ExitStack | None = None
        self.publish_seconds = 0.0

    def prepare(self) -> float:
        """Start the engine and publish the release into it; return the publish seconds."""
        self.running = contextlib.ExitStack()
        folder = self.work / f"engine-{self.kind}"
        starter = (
            engines.virtuoso(folder, max_rows=VIRTUOSO_MAX_ROWS)
            if self.kind == "virtuoso"
            else engines.oxigraph_server(folder)
        )
        try:
            self.engine = self.running.enter_context(starter)
        except BaseException as error:  # pytest's skip when the engine is not installed
            self.running.close()
            raise BenchError(f"{self.name}: the engine did not start: {error}") from None
        command = [str(BIN / "confgraph"), "publish", "--release", str(self.release),
                   *self.engine.options(), "--keep", "1"]  # fmt: skip
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=self.environment())
        self.publish_seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise BenchError(f"{self.name}: publish failed: {done.stderr[-2000:]}")
        return self.publish_seconds

    def environment(self) -> dict[str, str]:
        """Return this process's environment with the engine's credentials."""
        return {**os.environ, **(self.engine.env() if self.engine else {})}

    def command(self) -> list[str]:
        """Return the serve command in front of the engine, on loopback."""
        assert self.engine is not None
        return [*super().command(), "--engine", "sparql", "--query-url", self.engine.query_url]

    def stop(self) -> None:
        """Stop confgraph, then the engine."""
        super().stop()
        if self.running is not None:
            self.running.close()
            self.running = None
