"""Validate in a child process, beside the release writer.

The SHACL engine keeps Python's interpreter lock for most of its run: in a thread it left
the writing thread a quarter of its speed (measured at a million triples), so the two took
as long as one after the other. In a process of its own it runs on the other core.
"""

from __future__ import annotations

from multiprocessing.connection import Connection

from rdflib import Graph

from confgraph.errors import ConfgraphError
from confgraph.load import paused_gc, pool_context
from confgraph.validate import ValidationResult, validate_ntriples


class ValidationAside:
    """A validation running in a child process; `result()` waits for its verdict."""

    def __init__(self, shapes: Graph, *data: bytes) -> None:
        context = pool_context()  # fork: the child shares the data instead of a copy
        self._verdict, sender = context.Pipe(duplex=False)
        self._child = context.Process(
            target=_validate_and_send, args=(sender, shapes, *data), daemon=True
        )
        self._child.start()
        sender.close()

    def result(self) -> ValidationResult:
        """Wait for the verdict; an engine failure is raised here, as validate_ntriples would."""
        try:
            kind, value = self._verdict.recv()
        except EOFError:
            self._child.join()
            code = self._child.exitcode
            raise ConfgraphError(
                f"the SHACL validation process stopped without a verdict (exit code {code})"
            ) from None
        finally:
            self._verdict.close()
        self._child.join()
        if kind == "error":
            raise value
        return value

    @property
    def running(self) -> bool:
        """Tell whether the child still validates."""
        return self._child.is_alive()

    def cancel(self) -> None:
        """Stop the validation (the build failed otherwise): nothing waits for it any more."""
        if self._child.is_alive():
            self._child.kill()
        self._child.join()
        self._verdict.close()


def _validate_and_send(sender: Connection, shapes: Graph, *data: bytes) -> None:
    with paused_gc():
        try:
            outcome: tuple[str, object] = ("result", validate_ntriples(shapes, *data))
        except ConfgraphError as error:
            outcome = ("error", error)
    try:
        sender.send(outcome)
    except OSError:  # the build stopped waiting (it failed or was killed)
        pass
    finally:
        sender.close()
