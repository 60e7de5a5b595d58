"""Locks on release directories: a release that a server holds is never pruned under it.

A server (and each `confgraph query`) holds a shared flock on the release directory it
reads; pruning removes a directory only while it holds the exclusive lock. flock belongs
to the open directory, so the kernel drops it when the holder exits, even when killed:
a killed server never leaves a release that can never be pruned.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from confgraph.errors import ReleaseError


class ReleaseHold:
    """A shared lock on one release directory, kept until close()."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        try:
            self._fd: int | None = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        except OSError as error:
            raise ReleaseError(f"{directory}: cannot open the release ({error.strerror})") from None
        try:
            fcntl.flock(self._fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            self.close()
            raise ReleaseError(f"{directory}: the release is being deleted") from None

    def close(self) -> None:
        """Release the lock (closing the directory drops it)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


@contextmanager
def claimed(directory: Path) -> Iterator[bool]:
    """Hold the exclusive lock of a directory if nobody holds it; yield whether it was free."""
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)
