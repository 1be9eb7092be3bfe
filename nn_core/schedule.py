"""Schedules of runs on one training thread: the race of methods and the stacked gates.

A schedule is advanced in turns by the training thread (``turn``) and read by
the views (``status``).  Both kinds share ``RunStatus``: what a view shows of
one run of the schedule.

* ``Race``: one Trainer per method, from the same seed and settings.  Each turn
  gives every unfinished method an equal slice of time, each slice timed on its
  own, so a method's distance run is its speed and its µs per step is its own.
* ``GateStack``: one network per gate, from the same seed and settings, trained
  as one stacked computation (``stack.py``): on the numpy engine a step of the
  six costs a few single steps, not six (the compiled engine steps them one
  after another, in one call).  ``gates_vs_one`` measures it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from .config import TrainConfig
from .gates import INPUTS, canonical_gate, gate_names, is_solved, targets
from .methods import get_method, method_keys
from .network import Network, bce_from_logits, init_params, logits, param_count
from .stack import make_stack
from .trainer import Trainer, grid_inputs

DEFAULT_SLICE_SECONDS = 0.002
MAX_SLICE_STEPS = 100_000
# A slice is at most this many times the run's last one, so that one short measurement (a step timed while the
# caches were warm, a coarse clock) cannot hand a run a slice far longer than the others'.
SLICE_GROWTH = 10
CLASSIC_GATES = tuple(gate_names())  # AND, OR, NAND, NOR, XOR, XNOR


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


MAX_CREDIT_SLICES = 4  # unspent credit carried over is capped: a run that stopped at a limit does not bank time


def slice_steps(seconds_per_step: float | None, slice_seconds: float, last_steps: int) -> int:
    """Steps that fill ``slice_seconds`` at ``seconds_per_step`` (None before any step was timed: 1), at least 1,
    at most ``MAX_SLICE_STEPS`` and ``SLICE_GROWTH`` × ``last_steps``."""
    if not seconds_per_step or seconds_per_step <= 0:
        return 1
    wanted = int(min(slice_seconds / seconds_per_step, MAX_SLICE_STEPS))
    return max(1, min(wanted, SLICE_GROWTH * max(last_steps, 1)))


def trainer_status(key: str, trainer: Trainer, grid: int | None) -> RunStatus:
    """``trainer``'s run as a ``RunStatus`` under ``key``; its surface over a ``grid``-sided grid, or None."""
    outputs = trainer.outputs()
    return RunStatus(key=key, config=trainer.config, iteration=trainer.iteration, until=trainer.config.iterations,
                     loss=trainer.loss(), outputs=outputs, targets=trainer.targets.ravel().copy(),
                     surface=None if grid is None else trainer.surface(grid), seconds=trainer.compute_seconds,
                     loss_evals_per_step=trainer.loss_evals_per_step,
                     solved=bool(is_solved(outputs, trainer.targets)), diverged_at=trainer.diverged_at)


class Race:
    """The race of methods: one ``Trainer`` per method, each ``replace(config, method=m)`` (the same seed,
    settings and engine), advanced in turns of equal slices of compute time.

    ``methods``: keys of ``METHODS`` (any case), every one in registry order by default.  ValueError, with the
    registry's message, for an unknown method or an invalid ``config``; ValueError for no method or one listed
    twice.  ``trainers``: method key -> its ``Trainer``.  A method's run is exactly its single run:
    ``Trainer.run`` steps it, in pieces, as ``train`` does (and times each step as ``train`` does).
    """

    def __init__(self, config: TrainConfig, methods: Sequence[str] | None = None):
        self.config = config.validated()
        keys = [get_method(m).key for m in (method_keys() if methods is None else methods)]
        if not keys:
            raise ValueError("a race needs at least one method")
        if len(set(keys)) < len(keys):
            raise ValueError(f"a race lists each method once, got {', '.join(keys)}")
        self.trainers: dict[str, Trainer] = {key: Trainer(replace(self.config, method=key)) for key in keys}
        self._last_steps = dict.fromkeys(keys, 1)
        self.credit = dict.fromkeys(keys, 0.0)  # s of compute each run may still spend; negative: it overspent

    @property
    def done(self) -> bool:
        """Every run finished: all its iterations done, or diverged."""
        return all(trainer.finished for trainer in self.trainers.values())

    def turn(self, slice_seconds: float = DEFAULT_SLICE_SECONDS,
             stop_at: Callable[[str, int], int | None] | None = None,
             after_run: Callable[[str, Trainer], None] | None = None) -> None:
        """One turn: every unfinished run is given ``slice_seconds`` (s, > 0) more of compute time, and each
        run whose credit is then positive steps until it has spent it (as ``Trainer.compute_seconds`` counts
        it), in runs sized from its µs/step so far (``slice_steps``; its first run is 1 step).  A step that
        overspends is paid back from later turns, so a method whose step is longer than a slice steps once in
        several turns: over a race every method gets the same compute time, and in wall time the methods move
        at their true relative speeds.  A run's first step is its first turn, and is not charged (it runs
        cold, and its debt could hold a method back for minutes in a slow-motion race).  A finished run does not move.
        ``stop_at(key, step)``: a step the run must stop at (at or before ``step``: it stops for this turn,
        keeping its credit), or None;
        ``after_run(key, trainer)`` is called after each run (the app keeps replay steps there).  ValueError
        for a ``slice_seconds`` that is not a positive finite number."""
        if not (isinstance(slice_seconds, (int, float)) and math.isfinite(slice_seconds) and slice_seconds > 0):
            raise ValueError(f"a slice must be a positive number of seconds, got {slice_seconds!r}")
        for key, trainer in self.trainers.items():
            if trainer.finished:
                continue
            self.credit[key] = min(self.credit[key] + slice_seconds, MAX_CREDIT_SLICES * slice_seconds)
            while not trainer.finished and self.credit[key] > 0:
                start, before = trainer.iteration, trainer.compute_seconds
                limit = None if stop_at is None else stop_at(key, start)
                if limit is not None and limit <= start:
                    break
                done = start - trainer.first_iteration
                steps = slice_steps(trainer.compute_seconds / done if done else None, self.credit[key],
                                    self._last_steps[key])
                until = min(start + steps, trainer.config.iterations)
                if limit is not None:
                    until = min(until, limit)
                trainer.run(until=until, grid=None)
                if not done:  # the first step is its first turn, not charged: cold, it may take 100 steps' time
                    if after_run is not None:
                        after_run(key, trainer)
                    break
                self.credit[key] -= trainer.compute_seconds - before
                self._last_steps[key] = max(trainer.iteration - start, 1)
                if after_run is not None:
                    after_run(key, trainer)
                if trainer.iteration == start:  # diverged, or a step refused: nothing more this turn
                    break

    def status(self, grid: int | None = None) -> list[RunStatus]:
        """One ``RunStatus`` per method, in race order; ``surface`` ``(grid, grid)`` when ``grid`` is given."""
        return [trainer_status(key, trainer, grid) for key, trainer in self.trainers.items()]

    def results(self) -> list[dict]:
        """One entry per method as ``bench --json``'s ``results`` list gives it (``method, engine, seconds,
        us_per_step, loss_evals_per_step, final_loss, solved, speedup_vs_central``; seconds in s, the steps
        so far), plus ``projected`` (the run has not finished) and ``full_run_seconds`` (measured when
        finished, else µs/step × iterations).  ``speedup_vs_central`` is None without ``central``."""
        statuses = self.status()
        central = next((s.us_per_step for s in statuses if s.key == "central"), None)
        return [{"method": s.key, "engine": self.config.engine, "seconds": s.seconds, "us_per_step": s.us_per_step,
                 "loss_evals_per_step": s.loss_evals_per_step, "final_loss": s.loss, "solved": s.solved,
                 "speedup_vs_central": central / s.us_per_step if central is not None else None,
                 "projected": s.projected, "full_run_seconds": s.full_run_seconds} for s in statuses]


class GateStack:
    """Every gate at once: one network per gate, each from ``config.seed`` (the same start as
    ``Trainer(replace(config, gate=g))``), trained as ONE stacked computation (``stack.make_stack`` of
    ``config.engine``, each network with its own targets).  Network i moves as that single run does, to
    rounding (the stack's sums run in another order).

    ``gates``: names or four target bits (``"0110"``), any case; each is known by its canonical name
    (``gates``, a tuple), its targets are row i of ``targets`` ``(K, 4)``.
    ValueError, with the gate registry's message, for an unknown gate; ValueError for none or an invalid
    ``config`` (or the compiled engine without numba).  A network whose update fails is frozen at its last
    parameters (``stack.py``'s divergence rule); its ``diverged_at`` is the stack's iteration at the end of the
    ``advance`` call in which it froze: the very step when advanced one step at a time, else an upper bound
    within that call's steps.
    """

    def __init__(self, config: TrainConfig, gates: Sequence[str] = CLASSIC_GATES):
        self.config = config.validated()
        self.gates = tuple(canonical_gate(g) for g in gates)
        if not self.gates:
            raise ValueError("a stack of gates needs at least one gate")
        self.configs = tuple(replace(self.config, gate=g) for g in self.gates)
        self.targets = np.stack([targets(g).ravel() for g in self.gates])  # (K, 4)
        start = init_params(self.config.hidden, self.config.seed, self.config.init)
        self.stack = make_stack(self.config, np.tile(start, (len(self.gates), 1)), self.targets)
        self.iteration = 0
        self.seconds = 0.0  # s: the stack's advance calls only
        self.diverged_at: list[int | None] = [None] * len(self.gates)
        self.loss_evals_per_step = float(get_method(self.config.method).loss_evals(param_count(self.config.hidden)))

    @property
    def until(self) -> int:
        return self.config.iterations

    @property
    def done(self) -> bool:
        return self.iteration >= self.until or all(d is not None for d in self.diverged_at)

    @property
    def us_per_step(self) -> float:
        """µs per step of all the networks together (NaN before any step)."""
        return 1e6 * self.seconds / self.iteration if self.iteration else float("nan")

    def advance(self, n: int) -> int:
        """Up to ``n`` (≥ 0) steps of every network not diverged, stopping at ``until``; returns the steps
        taken.  Timed into ``seconds``.  ValueError for a negative or non-integer ``n``."""
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"steps must be a whole number ≥ 0, got {n!r}")
        n = min(int(n), self.until - self.iteration)
        if n <= 0:
            return 0
        start = time.perf_counter()
        self.stack.advance(n)
        self.seconds += time.perf_counter() - start
        self.iteration += n
        for k in np.flatnonzero(self.stack.diverged):
            if self.diverged_at[k] is None:
                self.diverged_at[k] = self.iteration
        return n

    def params_of(self, i: int) -> np.ndarray:
        """``(P,)``: a copy of network i's parameters in the book's vector layout (W1, b1, W2, b2, ...)."""
        return np.array(self.stack.params[i])

    def _network(self, params: np.ndarray) -> Network:
        return Network(self.config.hidden, params=params, activation=self.config.activation)

    def status(self, grid: int | None = None) -> list[RunStatus]:
        """One ``RunStatus`` per gate, in order; ``seconds`` is the stack's (they share one computation),
        ``surface`` ``(grid, grid)`` from the network's forward pass over ``grid_inputs(grid)`` when asked."""
        params, out = np.array(self.stack.params), []
        with np.errstate(all="ignore"):  # a frozen relu network may overflow: inf or NaN, then not solved
            for k, gate in enumerate(self.gates):
                network = self._network(params[k])
                target = self.targets[k]
                outputs = network.predict(INPUTS)
                loss = float(bce_from_logits(logits(network.layers, INPUTS, activation=network.activation.f),
                                             target[:, None]))
                surface = None if grid is None else network.predict(grid_inputs(grid)).reshape(grid, grid)
                out.append(RunStatus(key=gate, config=self.configs[k], iteration=self.iteration, until=self.until,
                                     loss=loss, outputs=outputs, targets=target.copy(), surface=surface,
                                     seconds=self.seconds, loss_evals_per_step=self.loss_evals_per_step,
                                     solved=bool(is_solved(outputs, target)), diverged_at=self.diverged_at[k]))
        return out

    def results(self) -> list[dict]:
        """One ``{gate, solved, final_loss, iterations}`` per gate (``--view gates``'s report), ``iterations``
        the stack's steps so far."""
        return [{"gate": s.key, "solved": s.solved, "final_loss": s.loss, "iterations": s.iteration}
                for s in self.status()]


GATES_VS_ONE_REPEATS = 3


def gates_vs_one(config: TrainConfig, iterations: int) -> dict:
    """µs per step of the six classic gates as one ``GateStack`` against one network's ``Trainer`` (``config``'s
    gate), same settings, ``iterations`` (≥ 1) steps each, the best of ``GATES_VS_ONE_REPEATS`` runs each,
    interleaved, in one process.  Returns ``{gates, method, engine, iterations, stack_us_per_step,
    one_us_per_step, stack_vs_one}`` (``stack_vs_one``: a step of all six over a step of one).  ValueError for
    an invalid config or ``iterations`` < 1."""
    if isinstance(iterations, bool) or not isinstance(iterations, (int, np.integer)) or iterations < 1:
        raise ValueError(f"iterations must be a whole number ≥ 1, got {iterations!r}")
    config = replace(config, iterations=int(iterations)).validated()
    stack_us, one_us = [], []
    for _ in range(GATES_VS_ONE_REPEATS):
        gates = GateStack(config)
        gates.advance(config.iterations)
        stack_us.append(gates.us_per_step)
        one = Trainer(config)
        one.run(grid=None)
        one_us.append(one.us_per_step)
    return {"gates": len(gates.gates), "method": config.method, "engine": config.engine,
            "iterations": config.iterations, "stack_us_per_step": min(stack_us), "one_us_per_step": min(one_us),
            "stack_vs_one": min(stack_us) / min(one_us)}
