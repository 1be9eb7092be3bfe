"""The training loop: step a network with one gradient method, time it, snapshot it.

``Trainer.run`` is the loop that both the CLI and the GUI's worker thread
drive.  Stop and pause are thread-safe flags, so another thread can control
a run that is blocking in ``run``.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .config import TrainConfig
from .engines import make_stepper
from .gates import INPUTS, is_solved, targets
from .methods import get_method
from .network import Network, bce_from_logits, logits
from .objective import Objective

if TYPE_CHECKING:
    from .runfile import SavedRun

DEFAULT_GRID = 50
CHUNK_SECONDS = 0.01  # compiled engine: a call's length, so pause, stop and snapshots still come within ~10 ms

log = logging.getLogger(__name__)


@functools.cache
def grid_inputs(n: int) -> np.ndarray:
    """The n×n grid over the unit square as ``(n*n, 2)`` rows; x1 varies along the first axis."""
    axis = np.linspace(0.0, 1.0, n)
    x1, x2 = np.meshgrid(axis, axis, indexing="ij")
    return np.column_stack([x1.ravel(), x2.ravel()])


def us_per_step(seconds: float, steps: int) -> float:
    return 1e6 * seconds / steps if steps else float("nan")


class LossHistory:
    """(step, loss) pairs kept bounded: when full, every other point is dropped
    and points are then taken half as often, so a run of any length keeps its
    shape in at most ``capacity`` points."""

    def __init__(self, capacity: int = 2048):
        self.capacity = capacity
        self.stride = 1
        self.steps: list[int] = []
        self.losses: list[float] = []

    def wants(self, step: int) -> bool:
        return step % self.stride == 0

    def add(self, step: int, loss: float) -> None:
        self.steps.append(step)
        self.losses.append(loss)
        if len(self.steps) >= self.capacity:
            del self.steps[1::2], self.losses[1::2]
            self.stride *= 2

    def arrays(self, now: tuple[int, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Copies of the kept points, ending with ``now`` (step, loss) if it is newer."""
        steps, losses = list(self.steps), list(self.losses)
        if now is not None and now[0] > steps[-1]:
            steps.append(now[0])
            losses.append(now[1])
        return np.array(steps), np.array(losses)


@dataclass(frozen=True)
class Snapshot:
    """What the view needs of a run at one moment; arrays are copies."""

    iteration: int
    total: int
    loss: float
    outputs: np.ndarray  # the 4 truth-table outputs
    targets: np.ndarray
    solved: bool
    surface: np.ndarray | None  # output over the grid, (n, n)
    history_steps: np.ndarray
    history_losses: np.ndarray
    compute_seconds: float  # gradient and update only
    elapsed_seconds: float  # wall time spent running, pauses excluded
    diverged_at: int | None
    first_iteration: int = 0  # where this session started (a restored run's step count); timing is since then
    params: np.ndarray | None = None  # (P,) the flat parameters (nn_core.network.param_layout), a copy

    @property
    def us_per_step(self) -> float:
        return us_per_step(self.compute_seconds, self.iteration - self.first_iteration)

    @property
    def finished(self) -> bool:
        """The run is over: every step done, or diverged."""
        return self.iteration >= self.total or self.diverged_at is not None


class Trainer:
    def __init__(self, config: TrainConfig = TrainConfig()):
        self.config = config.validated()
        self.method = get_method(self.config.method)
        self.targets = targets(self.config.gate)
        self.compiled = self.config.engine == "compiled"  # run() advances in chunks (``advance``)
        self._stop = threading.Event()
        self._unpaused = threading.Event()
        self._unpaused.set()
        self.reset()

    def reset(self) -> None:
        """Back to the seeded starting network."""
        config = self.config
        self.network = Network(config.hidden, config.seed, init=config.init, activation=config.activation)
        self.objective = Objective(self.network.params, config.hidden, self.targets, activation=config.activation)
        self.stepper = make_stepper(config, self.objective)  # a new optimizer, its state at zero
        self.chunk = 1  # compiled engine: steps per call, sized by advance() to ~CHUNK_SECONDS
        self.compile_seconds: float | None = None  # compiled engine: this process's first compile, when it ran
        self.iteration = 0
        self.first_iteration = 0  # the step this session's timing and counters start from (see restore)
        self.compute_seconds = 0.0
        self.elapsed_seconds = 0.0
        self.diverged_at: int | None = None
        self.history = LossHistory()
        self.history.add(0, self.loss())
        self.clear_stop()

    # --- the state of the network -------------------------------------------------

    @property
    def optimizer(self):
        """The run's optimizer (``OPTIMIZERS``), its state included."""
        return self.stepper.optimizer

    def loss(self) -> float:
        """The exact cross-entropy now (without the weight decay term); not counted as the method's work."""
        return float(bce_from_logits(logits(self.network.layers, INPUTS, activation=self.network.activation.f),
                                     self.targets))

    def outputs(self) -> np.ndarray:
        return self.network.predict(INPUTS)

    def solved(self) -> bool:
        return bool(is_solved(self.outputs(), self.targets))

    def surface(self, n: int = DEFAULT_GRID) -> np.ndarray:
        return self.network.predict(grid_inputs(n)).reshape(n, n)

    def snapshot(self, grid: int | None = DEFAULT_GRID) -> Snapshot:
        loss = self.loss()
        steps, losses = self.history.arrays(now=(self.iteration, loss))
        outputs = self.outputs()
        return Snapshot(
            iteration=self.iteration, total=self.config.iterations, loss=loss,
            outputs=outputs, targets=self.targets.ravel().copy(),
            solved=bool(is_solved(outputs, self.targets)),
            surface=None if grid is None else self.surface(grid),
            history_steps=steps, history_losses=losses,
            compute_seconds=self.compute_seconds, elapsed_seconds=self.elapsed_seconds,
            diverged_at=self.diverged_at, first_iteration=self.first_iteration,
            params=self.network.params.copy())

    @property
    def us_per_step(self) -> float:
        return us_per_step(self.compute_seconds, self.iteration - self.first_iteration)

    @property
    def loss_evals_per_step(self) -> float:
        """Loss evaluations per step, as counted while training (NaN before any step)."""
        steps = self.iteration - self.first_iteration
        return self.objective.loss_evals / steps if steps else float("nan")

    @property
    def finished(self) -> bool:
        return self.iteration >= self.config.iterations or self.diverged_at is not None

    # --- saved runs -----------------------------------------------------------------

    def restore(self, run: SavedRun) -> None:
        """Goes on from ``run`` (a ``runfile.SavedRun``): its parameters, step count and optimizer state, so
        that training continues bit for bit as if it had never stopped.  Timing, loss history and counters
        start afresh at ``run.iteration``.  ValueError, nothing changed, unless ``run.config == self.config``."""
        if run.config != self.config:
            raise ValueError("the saved run's config differs from this trainer's")
        self.reset()
        self.stepper.optimizer.load_state(run.optimizer_state)  # a copy: the run's arrays are read-only
        self.network.params[...] = run.params  # in place: the objective and the layer views share this array
        self.iteration = self.first_iteration = run.iteration
        self.history = LossHistory()
        self.history.add(run.iteration, self.loss())

    @classmethod
    def from_saved(cls, run: SavedRun) -> Trainer:
        """A trainer going on from ``run`` (``restore``)."""
        trainer = cls(run.config)
        trainer.restore(run)
        return trainer

    # --- training -------------------------------------------------------------------

    def step(self) -> bool:
        """One step of the optimizer (p -= lr * dL/dp for sgd).  False, with nothing changed, if it would
        not be finite (``Stepper.step``)."""
        start = time.perf_counter()
        if not self.stepper.step():
            self.diverged_at = self.iteration + 1
            return False
        self.compute_seconds += time.perf_counter() - start
        self.iteration += 1
        if self.history.wants(self.iteration):
            self.history.add(self.iteration, self.loss())
        return True

    def warm_up(self) -> None:
        """Compiled engine: compile (or load numba's cache) now, once, into ``compile_seconds``, so that no run's
        clock holds it.  Nothing on the numpy engine."""
        if self.config.engine == "compiled" and self.compile_seconds is None:
            self.compile_seconds = self.stepper.warm_up()

    def advance(self, until: int, every_steps: int | None = None) -> bool:
        """Compiled engine: up to ``self.chunk`` steps in one call, stopping at ``until`` and at a multiple of
        ``every_steps``; the loss history gets its points as ``step`` gives them, their losses computed after
        the timed call (``CompiledStepper.kept_losses``).  False if a step was refused
        (``diverged_at`` set), as ``step``.  The first call compiles (or loads the cache) outside the clock:
        its seconds go to ``compile_seconds``, never into ``compute_seconds``."""
        if self.compile_seconds is None:
            self.compile_seconds = self.stepper.warm_up()
        n = min(until - self.iteration, self.chunk)
        if every_steps:
            n = min(n, every_steps - self.iteration % every_steps)
        stride = self.history.stride
        start = time.perf_counter()
        taken = self.stepper.steps(n, stride, self.iteration)
        seconds = time.perf_counter() - start
        self.compute_seconds += seconds
        losses = self.stepper.kept_losses()  # outside the clock, as ``step``'s history points
        for step in range((self.iteration // stride + 1) * stride, self.iteration + taken + 1, stride):
            if self.history.wants(step):  # the history may thin itself as it fills
                self.history.add(step, float(losses[step - self.iteration - 1]))
        self.iteration += taken
        if taken < n:
            self.diverged_at = self.iteration + 1
            return False
        self.chunk = max(1, min(1_000_000, int(CHUNK_SECONDS * taken / max(seconds, 1e-9))))
        return True

    def run(self, until: int | None = None, on_snapshot: Callable[[Snapshot], None] | None = None,
            every_seconds: float | None = None, every_steps: int | None = None,
            grid: int | None = DEFAULT_GRID, on_pause: Callable[[], None] | None = None) -> None:
        """Step until iteration ``until`` (default: the configured total), a stop
        request, or divergence.  ``on_snapshot`` gets a snapshot every
        ``every_seconds`` of wall time or every ``every_steps`` steps, and one at the end.
        ``on_pause`` is called in this thread when a pause takes effect, before it waits."""
        until = self.config.iterations if until is None else until
        log.debug("run %s from step %d to %d", self.config, self.iteration, until)
        started = time.perf_counter()
        next_time = started + (every_seconds or 0.0)
        try:
            while self.iteration < until and self.diverged_at is None and not self._stop.is_set():
                if not self._unpaused.is_set():
                    self.elapsed_seconds += time.perf_counter() - started
                    if on_pause is not None:
                        on_pause()
                    self._unpaused.wait()
                    started = time.perf_counter()
                    continue
                if not (self.advance(until, every_steps) if self.compiled else self.step()):
                    break
                if on_snapshot is None:
                    continue
                if every_steps and self.iteration % every_steps == 0:
                    on_snapshot(self.snapshot(grid))
                elif every_seconds and time.perf_counter() >= next_time:
                    on_snapshot(self.snapshot(grid))
                    # On the clock's grid, as the app's worker does; never in a burst to catch up.
                    next_time = max(next_time + every_seconds, time.perf_counter())
        finally:
            self.elapsed_seconds += time.perf_counter() - started
        if self.diverged_at is not None:
            log.info("diverged at step %d: the update was not finite", self.diverged_at)
        log.debug("stopped at step %d after %.3f s (%.1f µs/step)", self.iteration, self.elapsed_seconds,
                  self.us_per_step)
        if on_snapshot is not None:
            on_snapshot(self.snapshot(grid))

    # --- control from another thread --------------------------------------------------

    def clear_stop(self) -> None:
        """Before a run: a stop requested after this ends it, even if it has not started yet."""
        self._stop.clear()

    def request_stop(self) -> None:
        self._stop.set()
        self._unpaused.set()  # a paused loop must wake up to see the stop

    def pause(self) -> None:
        self._unpaused.clear()

    def resume(self) -> None:
        self._unpaused.set()

    @property
    def paused(self) -> bool:
        return not self._unpaused.is_set()
