"""Many seeds trained at once as one stacked computation.

The K networks' parameters are the rows of one ``(K, P)`` array and the
gradient methods work on the whole stack, so a step is a handful of numpy
calls for all seeds, not K Python loops.  Row s starts from the same
parameters as ``train --seed s``.

Every ``check_every`` steps (and after the last) one forward pass of the whole
stack says which seeds are solved, so each seed's first solved step is known
to that resolution at the price of one forward pass per ``check_every`` steps.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

import numpy as np

from .config import CHECK_EVERY, SEEDS, TrainConfig
from .gates import INPUTS, is_solved, targets
from .network import bce_from_logits, init_params, logits, sigmoid
from .objective import Objective
from .step import Stepper

# Steps between two solved checks.  A check is one forward pass of the stack: for 100 seeds of XOR, 4 hidden,
# 70-80 µs against 80-130 µs for a backprop step (a busy machine: more), so checking every 10 steps added 2-8%
# to the sweeps we timed and gives "solved by step N" to 10 steps (the fast settings solve XOR within 50).
DEFAULT_CHECK_EVERY = 10


@dataclass(frozen=True)
class SweepResult:
    config: TrainConfig
    seeds: int
    params: np.ndarray  # (K, P) final parameters
    outputs: np.ndarray  # (K, 4)
    solved: np.ndarray  # (K,) bool, at the last step
    diverged: np.ndarray  # (K,) bool
    seconds: float  # the training steps only, the checks excluded
    check_every: int
    # (K,) int: the first checked step (0, check_every, 2·check_every, ..., iterations) at which the seed
    # was solved, -1 if it never was at a check
    first_solved: np.ndarray
    losses: np.ndarray  # (K,) final cross-entropy, without the weight decay term

    @property
    def failed_seeds(self) -> list[int]:
        return [int(s) for s in np.flatnonzero(~self.solved)]

    @property
    def steps_to_solved(self) -> list[int | None]:
        """Per seed, the first checked step at which it was solved, or None for a seed not solved at the end."""
        return [int(step) if ok else None for step, ok in zip(self.first_solved, self.solved, strict=True)]

    @property
    def median_steps_to_solved(self) -> float | int | None:
        """The median of ``steps_to_solved`` over the seeds solved at the end (an int unless it falls between
        two steps); None if there are none."""
        steps = [step for step in self.steps_to_solved if step is not None]
        if not steps:
            return None
        median = statistics.median(steps)
        return int(median) if median == int(median) else median

    @property
    def solved_then_lost_seeds(self) -> list[int]:
        """Seeds solved at some check but not at the end (they un-learned, or diverged after)."""
        return [int(s) for s in np.flatnonzero((self.first_solved >= 0) & ~self.solved)]


def _solved_now(objective: Objective, target: np.ndarray, diverged: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(outputs (K, 4), solved (K,))`` of the stack as it is: one forward pass.  A diverged row is never solved."""
    with np.errstate(all="ignore"):  # relu rows near the divergence guard may overflow; NaN is simply not solved
        outputs = sigmoid(logits(objective.layers, INPUTS, activation=objective.f))[..., 0]
    return outputs, is_solved(outputs, target) & ~diverged


def sweep(config: TrainConfig, seeds: int, check_every: int = DEFAULT_CHECK_EVERY) -> SweepResult:
    """Train seeds 0..seeds-1 with ``config`` (its ``seed`` is ignored), checking which are solved at step 0,
    every ``check_every`` steps and after the last step.

    ValueError if ``config`` is invalid, ``seeds`` < 1 or ``check_every`` < 1 (or not whole numbers).
    """
    config = config.validated()
    SEEDS.check(seeds)
    CHECK_EVERY.check(check_every)
    target = targets(config.gate)
    params = np.stack([init_params(config.hidden, s, config.init) for s in range(seeds)])
    objective = Objective(params, config.hidden, target, activation=config.activation)
    stepper = Stepper(config, objective)  # optimizer state per network: (K, P) like params
    first_solved = np.full(seeds, -1, dtype=np.int64)

    def check(step: int) -> tuple[np.ndarray, np.ndarray]:
        outputs, solved = _solved_now(objective, target, stepper.diverged)
        first_solved[solved & (first_solved < 0)] = step
        return outputs, solved

    outputs, solved = check(0)
    seconds, done = 0.0, 0
    while done < config.iterations:
        chunk = min(check_every, config.iterations - done)
        start = time.perf_counter()
        for _ in range(chunk):
            stepper.step()  # a diverged seed keeps its last finite parameters
        seconds += time.perf_counter() - start
        done += chunk
        outputs, solved = check(done)
    with np.errstate(all="ignore"):
        losses = bce_from_logits(logits(objective.layers, INPUTS, activation=objective.f), target)
    return SweepResult(config, seeds, params.copy(), outputs, solved, stepper.diverged.copy(), seconds,
                       check_every, first_solved, losses)
