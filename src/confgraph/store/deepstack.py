"""Run engine calls on a thread with a large stack: Oxigraph's parser and planner recurse.

A long chain of `||`, UNION or OPTIONAL (thousands of operands) overflows the usual
8 MiB stack inside Oxigraph's native code and kills the process. The stack reserved
here is virtual memory: only a query that recurses that deep touches it, and the
query-length limit bounds how deep any query can recurse.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

STACK_BYTES = 512 * 1024 * 1024
T = TypeVar("T")
_local = threading.local()
_spawn = threading.Lock()  # threading.stack_size is process-wide


def start_deep_thread(target: Callable[[], Any], name: str = "deep-stack") -> threading.Thread:
    """Start a thread with a large stack that runs target."""

    def run() -> None:
        _local.deep = True
        target()

    with _spawn:
        previous = threading.stack_size(STACK_BYTES)
        try:
            thread = threading.Thread(target=run, name=name, daemon=True)
            thread.start()
        finally:
            threading.stack_size(previous)
    return thread


def on_deep_stack(function: Callable[..., T], *args: Any) -> T:
    """Call function(*args) on a large stack (this thread if it has one); re-raise its error."""
    if getattr(_local, "deep", False):
        return function(*args)
    outcome: list[Any] = []

    def call() -> None:
        try:
            outcome.append((True, function(*args)))
        except BaseException as error:  # handed back to the caller's thread
            outcome.append((False, error))

    start_deep_thread(call).join()
    ok, value = outcome[0]
    if not ok:
        raise value
    return value
