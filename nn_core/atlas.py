"""The seed atlas: which of seeds 0..K-1 learn the gate at the current settings, and how that rate moves with the
hidden layer's width.

An ``Atlas`` is a queue of ``Sweep``s trained a piece at a time: first the
sweep at the settings themselves (its result stands alone: every seed solved
or failed, its final loss), then the width series, the same K seeds at hidden
widths 1..8 (``WIDTHS``).  For a one-hidden-layer network width w means
``hidden=(w,)``; for a deeper one every hidden layer becomes w wide
(``(8, 4)`` at width 2 is ``(2, 2)``), so the series keeps the depth and
changes only the width.  A width whose settings equal the main sweep's reuses
its result rather than training it twice.

Each figure is exactly ``sweep``'s for the same settings and seeds (``Sweep``
trains in pieces that change nothing).  The time left is the measured wall
time per step of the sweep under way (its checks included) times its steps
left, plus, for each sweep not started, the same time per step scaled by its
parameter count against the current one's (a step's cost grows about with
the parameters), times its steps.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from .config import SEEDS, TrainConfig
from .network import param_count
from .sweep import DEFAULT_CHECK_EVERY, Sweep, SweepResult, check_size

WIDTHS = tuple(range(1, 9))  # the width series: hidden widths 1..8


def at_width(config: TrainConfig, width: int) -> TrainConfig:
    """``config`` with every hidden layer ``width`` units wide (its depth kept).  ValueError if the result is
    invalid (``TrainConfig.validated``)."""
    return replace(config, hidden=(int(width),) * len(config.validated().hidden)).validated()


@dataclass(frozen=True)
class WidthPoint:
    """One point of the width series: ``solved`` of ``seeds`` seeds at ``width`` units a hidden layer."""

    width: int
    hidden: tuple[int, ...]
    seeds: int
    solved: int

    @property
    def rate(self) -> float:
        return self.solved / self.seeds


class Atlas:
    """The main sweep of seeds 0..seeds-1 at ``config``, then (with ``widths``) the width series, trained a piece
    at a time by ``advance``.

    ``config``'s ``seed`` is ignored (the seeds are 0..seeds-1).  ValueError (one line) if the config is invalid,
    ``seeds`` out of ``SEEDS``' range, or a stack too large (``sweep.check_size``) at ``config`` or any width.
    Nothing is built until the first ``advance``: a caller may make an Atlas in one thread and train it in
    another.
    """

    def __init__(self, config: TrainConfig, seeds: int, check_every: int = DEFAULT_CHECK_EVERY,
                 widths=WIDTHS):
        config = config.validated()
        SEEDS.check(seeds)
        check_size(config, seeds)
        self.configs = [config] + [at_width(config, w) for w in widths]
        for run in self.configs[1:]:
            check_size(run, seeds)
        self.config, self.seeds, self.check_every, self.widths = config, seeds, check_every, tuple(widths)
        # Widths at the main settings reuse the main sweep: only the others train.
        self._todo = [0] + [i for i, run in enumerate(self.configs) if i and run != config]
        self._results: dict[int, SweepResult] = {}
        self._current: Sweep | None = None
        self._position = 0  # index into _todo of the sweep under way
        self._wall = 0.0  # wall time of the sweep under way
        self.wall_seconds = 0.0  # every sweep's, checks and set-up included

    # --- stepping ----------------------------------------------------------------------------

    @property
    def done(self) -> bool:
        return self._position >= len(self._todo)

    @property
    def sweep(self) -> Sweep | None:
        """The sweep under way (None before the first ``advance`` and after the last)."""
        return self._current

    def advance(self, steps: int) -> int:
        """Build the next sweep if none is under way (its seeded networks: about 20 µs a seed), then train it at
        most ``steps`` steps (``Sweep.advance``); a sweep that ends is kept and the next one follows at the next
        call.  Returns the steps trained (0 for a call that only built a sweep, or when ``done``)."""
        if self.done:
            return 0
        started = time.perf_counter()
        if self._current is None:
            self._current = Sweep(self.configs[self._todo[self._position]], self.seeds, self.check_every)
            self._wall = 0.0  # the time per step counts steps and checks, not the seeding
            self.wall_seconds += time.perf_counter() - started
            return 0
        n = self._current.advance(steps)
        self._tick(started)
        if self._current.done:
            self._results[self._todo[self._position]] = self._current.result()
            self._current = None
            self._position += 1
        return n

    def _tick(self, started: float) -> None:
        spent = time.perf_counter() - started
        self._wall += spent
        self.wall_seconds += spent

    # --- what it has found -----------------------------------------------------------------------

    @property
    def main(self) -> SweepResult | None:
        """The main sweep's result, once it has ended."""
        return self._results.get(0)

    def result_at(self, width: int) -> SweepResult | None:
        """The width series' result at ``width``, once its sweep has ended (the main one's if they agree)."""
        index = 1 + self.widths.index(width)
        key = 0 if self.configs[index] == self.config else index
        return self._results.get(key)

    def series(self) -> list[WidthPoint]:
        """The widths whose sweeps have ended, in order."""
        points = []
        for width, run in zip(self.widths, self.configs[1:], strict=True):
            result = self.result_at(width)
            if result is not None:
                points.append(WidthPoint(width, run.hidden, self.seeds, int(result.solved.sum())))
        return points

    # --- progress ------------------------------------------------------------------------------

    @property
    def steps_total(self) -> int:
        return len(self._todo) * self.config.iterations

    @property
    def steps_done(self) -> int:
        under_way = self._current.iteration if self._current is not None else 0
        return self._position * self.config.iterations + under_way

    @property
    def progress(self) -> float:
        """The fraction of all the steps trained, 0 to 1."""
        return self.steps_done / self.steps_total if self.steps_total else 1.0

    def seconds_left(self) -> float | None:
        """The estimated wall seconds to the end (module docstring), or None before a step has been timed."""
        if self.done:
            return 0.0
        run = self._current
        if run is None or run.iteration == 0:
            return None
        per_step = self._wall / run.iteration
        own = param_count(run.config.hidden)
        left = (run.config.iterations - run.iteration) * per_step
        for index in self._todo[self._position + 1:]:
            later = self.configs[index]
            left += later.iterations * per_step * param_count(later.hidden) / own
        return left
