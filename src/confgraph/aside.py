"""Work done in a child process beside the release writer: validation, tables, search.

Much of a build holds Python's interpreter lock (the SHACL engine, the tables): in a
thread, such work left the writing thread a quarter of its speed (measured at a million
triples), so the two took as long as one after the other. In a process of its own it
runs on another core. The child is forked, so it shares the build's data instead of a
copy; it sends back its result, or its error, through a pipe.
"""

from __future__ import annotations

from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

from confgraph import load
from confgraph.errors import ConfgraphError

T = TypeVar("T")


class Aside(Generic[T]):
    """A function running in a child process; `result()` waits for what it returns."""

    what, gives = "the child process", "result"  # how errors name the work and its result

    def __init__(self, work: Callable[..., T], *args: Any) -> None:
        context = load.pool_context()  # fork: the child shares the data instead of a copy
        self._result, sender = context.Pipe(duplex=False)
        self._child = context.Process(target=_run_and_send, args=(sender, work, args), daemon=True)
        self._child.start()
        sender.close()

    def result(self) -> T:
        """Wait for the result; an error in the child is raised here."""
        try:
            kind, value = self._result.recv()
        except EOFError:
            self._child.join()
            code = self._child.exitcode
            raise ConfgraphError(
                f"{self.what} stopped without a verdict (exit code {code})"
            ) from None
        finally:
            self._result.close()
        self._child.join()
        if kind == "error":
            raise value
        return value

    @property
    def running(self) -> bool:
        """Tell whether the child still works."""
        return self._child.is_alive()

    def cancel(self) -> None:
        """Stop the child (the build failed otherwise): nothing waits for it any more."""
        if self._child.is_alive():
            self._child.kill()
        self._child.join()
        self._result.close()


def _run_and_send(sender: Connection, work: Callable[..., Any], args: tuple) -> None:
    with load.paused_gc():
        try:
            outcome: tuple[str, object] = ("result", work(*args))
        except ConfgraphError as error:
            outcome = ("error", error)
        except OSError as error:  # a full disk, a removed directory: say what, not how
            outcome = ("error", ConfgraphError(f"{error.filename or ''}: {error.strerror}"))
    try:
        sender.send(outcome)
    except OSError:  # the build stopped waiting (it failed or was killed)
        pass
    finally:
        sender.close()
