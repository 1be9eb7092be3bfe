"""Many seeds trained at once as one stacked computation.

The K networks are one stack engine (``nn_core.stack.make_stack``): each
layer of a step is a few whole-array numpy operations over all K networks,
not K Python loops or K small matrix products.  Row s starts from the same
parameters as ``train --seed s`` and moves as that run does.

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
from .gates import is_solved, targets
from .network import bce_from_logits, init_params, param_count, sigmoid
from .stack import make_stack, stack_logits

# Steps between two solved checks.  A check is one forward pass of the stack, about half a backprop step's time,
# so checking every 10 steps adds a few percent to a sweep and gives "solved by step N" to 10 steps (the fast
# settings solve XOR within 50).
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


def _solved_now(config: TrainConfig, params: np.ndarray, target: np.ndarray,
                diverged: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(outputs (K, 4), solved (K,))`` of the stack's ``params`` ``(K, P)``: one forward pass.  A diverged
    row is never solved."""
    with np.errstate(all="ignore"):  # relu rows near the divergence guard may overflow; NaN is simply not solved
        outputs = sigmoid(stack_logits(config, params))
    return outputs, is_solved(outputs, target) & ~diverged


# A stack's parameters are held a few times over (the seeds' starts, the stack, its optimizer state): at most
# this many numbers in each copy (1 GiB of float64), so that a sweep fits in an ordinary machine's memory.
MAX_STACK_NUMBERS = 2**27


def check_size(config: TrainConfig, seeds: int) -> None:
    """ValueError with one line if ``seeds`` networks of ``config``'s architecture exceed ``MAX_STACK_NUMBERS``."""
    numbers = seeds * param_count(config.hidden)
    if numbers > MAX_STACK_NUMBERS:
        raise ValueError(f"a sweep of {seeds:,} seeds × {param_count(config.hidden):,} parameters holds "
                         f"{numbers * 8 / 2**30:.1f} GiB in each copy of the stack, more than "
                         f"{MAX_STACK_NUMBERS * 8 // 2**30} GiB: use fewer seeds or smaller hidden layers")


class Sweep:
    """``sweep`` a piece at a time, so that a caller (the app's seed atlas) can show its progress and stop it.

    ``Sweep(config, seeds, check_every)`` builds the stack of seeds 0..seeds-1 and checks step 0;
    ``advance(steps)`` trains at most ``steps`` steps (never past the next check, which it then runs);
    ``done`` says whether all ``config.iterations`` steps are trained; ``result()`` gives the ``SweepResult``
    of the steps trained so far (after the last step: exactly ``sweep``'s).  The pieces change nothing: the
    networks are independent, so n steps in any split are the same n steps.

    ValueError as ``sweep``.
    """

    def __init__(self, config: TrainConfig, seeds: int, check_every: int = DEFAULT_CHECK_EVERY):
        config = config.validated()
        SEEDS.check(seeds)
        check_size(config, seeds)
        CHECK_EVERY.check(check_every)
        self.config, self.seeds, self.check_every = config, seeds, check_every
        self._target = targets(config.gate)
        self._stack = make_stack(config, np.stack([init_params(config.hidden, s, config.init)
                                                   for s in range(seeds)]))
        self.first_solved = np.full(seeds, -1, dtype=np.int64)
        self.iteration = 0  # steps trained
        self.seconds = 0.0  # the training steps only, the checks excluded
        self._check()

    def _check(self) -> None:
        self.outputs, self.solved = _solved_now(self.config, self._stack.params, self._target, self._stack.diverged)
        self.first_solved[self.solved & (self.first_solved < 0)] = self.iteration

    @property
    def done(self) -> bool:
        return self.iteration >= self.config.iterations

    def advance(self, steps: int) -> int:
        """At most ``steps`` steps (at least 1 unless ``done``), stopping at the next check and running it
        there.  Returns the steps trained."""
        remaining = min(self.config.iterations, (self.iteration // self.check_every + 1) * self.check_every)
        n = min(max(1, int(steps)), remaining - self.iteration)
        if n <= 0:
            return 0
        start = time.perf_counter()
        self._stack.advance(n)  # a diverged seed keeps its last finite parameters
        self.seconds += time.perf_counter() - start
        self.iteration += n
        if self.iteration == remaining:
            self._check()
        return n

    def result(self) -> SweepResult:
        """The sweep as it stands: final parameters, outputs and solved flags at the last check (after the last
        step, every field as ``sweep`` returns it); ``losses`` from the parameters now."""
        params = self._stack.params
        with np.errstate(all="ignore"):
            losses = bce_from_logits(stack_logits(self.config, params)[:, :, None], self._target)
        return SweepResult(self.config, self.seeds, params, self.outputs, self.solved, self._stack.diverged,
                           self.seconds, self.check_every, self.first_solved.copy(), losses)


def sweep(config: TrainConfig, seeds: int, check_every: int = DEFAULT_CHECK_EVERY) -> SweepResult:
    """Train seeds 0..seeds-1 with ``config`` (its ``seed`` is ignored), checking which are solved at step 0,
    every ``check_every`` steps and after the last step.

    ValueError if ``config`` is invalid, ``seeds`` < 1 or ``check_every`` < 1 (or not whole numbers), or the
    stack too large (``check_size``).
    """
    run = Sweep(config, seeds, check_every)
    while not run.done:
        run.advance(check_every)
    return run.result()
