"""Progress of a build, phase by phase: bars on a terminal, plain timed lines elsewhere."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Protocol, Self, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as Bars
from rich.text import Text

Clock = Callable[[], float]
# Plain lines: one when a phase starts and ends, between them one per tenth done,
# at most one a second.
STEPS = 10
QUIET_SECONDS = 1.0


class Phase:
    """One phase of a build (files loaded, dumps written): done out of total, as it advances."""

    def __init__(self, name: str, total: int | None, view: View) -> None:
        self.name = name
        self.done = 0
        self._total = total
        self._view = view
        self._lock = threading.Lock()  # advance() may be called from a pool's callback threads
        self.started = view.clock()
        view.start(self)

    @property
    def total(self) -> int | None:
        """Return how much there is to do, or None while that is not known."""
        return self._total

    @total.setter
    def total(self, total: int | None) -> None:
        with self._lock:
            self._total = total
            self._view.update(self)

    def advance(self, n: int = 1) -> None:
        """Count n more units of this phase as done."""
        with self._lock:
            self.done += n
            self._view.update(self)

    def complete(self, total: int) -> None:
        """Count the whole phase as done at once: total units (for a step that is one call)."""
        with self._lock:
            self._total, self.done = total, total
            self._view.update(self)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, _: TracebackType | None
    ) -> None:
        self._view.finish(self, ok=error is None)


class View(Protocol):
    """Where a build's progress goes."""

    clock: Clock

    def start(self, phase: Phase) -> None: ...
    def update(self, phase: Phase) -> None: ...
    def finish(self, phase: Phase, ok: bool) -> None: ...
    def note(self, message: str) -> None: ...
    def close(self) -> None: ...


class Progress:
    """A build's progress: `phase(name, total)` per phase, `note(text)` for a one-off line."""

    def __init__(self, view: View) -> None:
        self.view = view

    @classmethod
    def to(cls, stream: TextIO, clock: Clock = time.perf_counter) -> Progress:
        """Report to a stream: bars if it is an interactive terminal, plain lines if not."""
        console = Console(file=stream)
        if console.is_terminal and not console.is_dumb_terminal:
            return cls(BarView(console, clock))
        return cls(LineView(stream, clock))

    @classmethod
    def silent(cls) -> Progress:
        """Report nothing."""
        return cls(SilentView())

    def phase(self, name: str, total: int | None = None) -> Phase:
        """Start a phase; use it as a context manager, which ends it."""
        return Phase(name, total, self.view)

    def note(self, message: str) -> None:
        """Report a one-off line (what is being done, with what)."""
        self.view.note(message)

    # A Progress can stand where a plain callable of a message was expected.
    __call__ = note

    def close(self) -> None:
        """Stop the display (leaves the bars drawn)."""
        self.view.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def summary(phase: Phase) -> str:
    """Return a phase's count: 12/40 when the total is known, 12 when not."""
    return f"{phase.done}/{phase.total}" if phase.total is not None else str(phase.done)


def estimate(phase: Phase, now: float) -> str:
    """Return the share done and the time left at the rate so far, when that is known."""
    if not phase.total or not phase.done:
        return ""
    left = (now - phase.started) / phase.done * max(phase.total - phase.done, 0)
    return f" ({phase.done / phase.total:.0%}, about {left:.0f} s left)"


class LineView:
    """Plain lines with elapsed time and counts, for logs and CI."""

    def __init__(self, stream: TextIO, clock: Clock) -> None:
        self.stream, self.clock = stream, clock
        self.began = clock()
        self._shown: dict[int, tuple[int, float]] = {}

    def _line(self, text: str) -> None:
        print(f"[{self.clock() - self.began:6.2f}s] {text}", file=self.stream, flush=True)

    def start(self, phase: Phase) -> None:
        self._shown[id(phase)] = (0, phase.started)
        self._line(f"{phase.name}: {summary(phase) if phase.total is not None else 'started'}")

    def update(self, phase: Phase) -> None:
        step, last = self._shown[id(phase)]
        now = self.clock()
        reached = phase.done * STEPS // phase.total if phase.total else 0
        if reached > step and phase.done < (phase.total or 0) and now - last >= QUIET_SECONDS:
            self._shown[id(phase)] = (reached, now)
            self._line(f"{phase.name}: {summary(phase)}{estimate(phase, now)}")

    def finish(self, phase: Phase, ok: bool) -> None:
        del self._shown[id(phase)]
        took = self.clock() - phase.started
        ending = f"in {took:.2f} s" if ok else "stopped"
        self._line(f"{phase.name}: {summary(phase)} {ending}")

    def note(self, message: str) -> None:
        self._line(message)

    def close(self) -> None:
        """Nothing to stop: every line is already written."""


class EstimateColumn(TimeRemainingColumn):
    """The time left at the rate so far, while a phase with a known total runs."""

    def render(self, task: Task) -> Text:
        """Return `eta 0:01:23`, or nothing once done or while the total is unknown."""
        if task.finished or task.total is None:
            return Text("")
        return Text("eta ") + super().render(task)


class BarView:
    """One bar per phase, redrawn several times a second (so a long step shows its time)."""

    def __init__(self, console: Console, clock: Clock) -> None:
        self.clock = clock
        self.bars = Bars(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            EstimateColumn(),
            console=console,
        )
        self._tasks: dict[int, TaskID] = {}

    def start(self, phase: Phase) -> None:
        self.bars.start()
        self._tasks[id(phase)] = self.bars.add_task(phase.name, total=phase.total)

    def update(self, phase: Phase) -> None:
        self.bars.update(self._tasks[id(phase)], completed=phase.done, total=phase.total)

    def finish(self, phase: Phase, ok: bool) -> None:
        task = self._tasks.pop(id(phase))
        name = phase.name if ok else f"{phase.name} (stopped)"
        total = phase.done if ok and phase.total is None else phase.total
        self.bars.update(task, completed=phase.done, total=total, description=name)
        self.bars.stop_task(task)

    def note(self, message: str) -> None:
        self.bars.console.print(message, markup=False, highlight=False)

    def close(self) -> None:
        self.bars.stop()


class SilentView:
    """Nowhere: for library calls and tests."""

    clock: Clock = staticmethod(time.perf_counter)

    def start(self, phase: Phase) -> None:
        """Show nothing."""

    def update(self, phase: Phase) -> None:
        """Show nothing."""

    def finish(self, phase: Phase, ok: bool) -> None:
        """Show nothing."""

    def note(self, message: str) -> None:
        """Show nothing."""

    def close(self) -> None:
        """Show nothing."""
