"""Many seeds trained at once as one stacked computation.

The K networks' parameters are the rows of one ``(K, P)`` array and the
gradient methods work on the whole stack, so a step is a handful of numpy
calls for all seeds, not K Python loops.  Row s starts from the same
parameters as ``train --seed s``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .config import TrainConfig, check_count
from .gates import INPUTS, is_solved, targets
from .network import init_params, layer_views, logits, sigmoid
from .objective import Objective
from .step import Stepper


@dataclass(frozen=True)
class SweepResult:
    config: TrainConfig
    seeds: int
    params: np.ndarray  # (K, P) final parameters
    outputs: np.ndarray  # (K, 4)
    solved: np.ndarray  # (K,) bool
    diverged: np.ndarray  # (K,) bool
    seconds: float

    @property
    def failed_seeds(self) -> list[int]:
        return [int(s) for s in np.flatnonzero(~self.solved)]


def sweep(config: TrainConfig, seeds: int) -> SweepResult:
    """Train seeds 0..seeds-1 with ``config`` (its ``seed`` is ignored)."""
    config = config.validated()
    check_count("seeds", seeds, minimum=1)
    target = targets(config.gate)
    params = np.stack([init_params(config.hidden, s, config.init) for s in range(seeds)])
    objective = Objective(params, config.hidden, target, activation=config.activation)
    stepper = Stepper(config, objective)  # optimizer state per network: (K, P) like params
    start = time.perf_counter()
    for _ in range(config.iterations):
        stepper.step()  # a diverged seed keeps its last finite parameters
    seconds = time.perf_counter() - start
    diverged = stepper.diverged
    outputs = sigmoid(logits(layer_views(params, config.hidden), INPUTS, activation=objective.f))[..., 0]
    solved = is_solved(outputs, target) & ~diverged
    return SweepResult(config, seeds, params.copy(), outputs, solved, diverged, seconds)
