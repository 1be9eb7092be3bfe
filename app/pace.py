"""The pace: at most a chosen number of training steps a second of wall time, so a fast run can be watched.

The waiting happens between chunks, outside every step's clock, so a method's
µs per step stays its compute time whatever the pace.  No Qt: both training
workers use it.
"""

from __future__ import annotations

import threading
import time

FRAMES_PER_SECOND = 60  # a paced chunk is about 1/60 s of the pace: smooth motion at any pace


class Pace:
    """``steps_per_second`` steps per second of wall time at most, or no limit (None)."""

    def __init__(self, steps_per_second: float | None):
        self.steps_per_second = steps_per_second
        self._origin: tuple[float, int] | None = None

    def restart(self, step: int | None) -> None:
        """Count from ``step`` now (None: from the next ``wait``'s step, after a pause)."""
        self._origin = None if step is None else (time.perf_counter(), step)

    def chunk_limit(self) -> int | None:
        """The most steps a chunk may take, or None at full speed."""
        if self.steps_per_second is None:
            return None
        return max(1, int(self.steps_per_second / FRAMES_PER_SECOND))

    def wait(self, step: int, stop: threading.Event) -> None:
        """Sleep until ``step`` is due at the pace; at once when ``stop`` is set (or at full speed)."""
        if self.steps_per_second is None:
            return
        if self._origin is None:
            self.restart(step)
            return
        started, first = self._origin
        delay = started + (step - first) / self.steps_per_second - time.perf_counter()
        if delay > 0:
            stop.wait(delay)
