"""Schedules of runs on one training thread: the race of methods and the stacked gates.

A schedule is advanced in turns by the training thread (``turn``) and read by
the views (``status``).  Both kinds share ``RunStatus``: what a view shows of
one run of the schedule.

* ``Race``: one Trainer per method, from the same seed and settings.  Each turn
  gives every unfinished method an equal slice of time, each slice timed on its
  own, so a method's distance run is its speed and its µs per step is its own.
* ``GateStack``: one network per gate, from the same seed and settings, trained
  as one stacked computation (``stack.py``): a step of six networks costs about
  what a step of one costs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .config import TrainConfig


@dataclass(frozen=True)
class RunStatus:
    """One run of a schedule as the views show it; arrays are copies.

    ``key``: the method key (race) or the gate's name (gates).  ``outputs``, ``targets``: ``(4,)`` in
    truth-table order.  ``surface``: the output over an ``(n, n)`` grid of the unit square (``grid_inputs``),
    or None when not asked for.  ``seconds``: compute time of its steps so far (gradient and update only, as
    ``train`` measures), in seconds.
    """

    key: str
    config: TrainConfig
    iteration: int
    until: int
    loss: float
    outputs: np.ndarray
    targets: np.ndarray
    surface: np.ndarray | None
    seconds: float
    loss_evals_per_step: float
    solved: bool
    diverged_at: int | None

    @property
    def us_per_step(self) -> float:
        return self.seconds / self.iteration * 1e6 if self.iteration else float("nan")

    @property
    def finished(self) -> bool:
        return self.iteration >= self.until or self.diverged_at is not None

    @property
    def full_run_seconds(self) -> float:
        """The time for all ``until`` steps: measured when finished, else projected from µs/step."""
        if self.finished:
            return self.seconds
        return self.us_per_step * self.until / 1e6

    @property
    def projected(self) -> bool:
        """``full_run_seconds`` is a projection (the run has not finished)."""
        return not self.finished
