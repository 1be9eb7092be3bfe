"""Replay: a run keeps its parameters, loss and outputs at a bounded set of steps, so that its surface, truth table
and loss-curve marker can be shown again at any of them, during a pause or after the run.

``KeptSteps`` says which steps are kept; ``ReplayLog`` holds what was recorded at them, in arrays allocated once.
The surface at a kept step is computed from the recorded parameters by the trainer's own forward pass
(``Network.predict`` over ``grid_inputs``, as ``Trainer.surface``), so a replayed surface is exactly the one the
engine gives for those parameters.

Which steps are kept (``budget`` B steps at most):

* dense: every step from 0 to D = min(20, B // 8): the first steps change the network fastest;
* geometric: ⌊D · 2^(j/k)⌋ for j = 1, 2, ... up to the total, k per doubling (8, or fewer, halving, until these
  are at most B // 3 steps);
* regular: every multiple of ``stride``, a power of two, the smallest that keeps the whole set within B;
* anchors: the total, the step a run started from (a loaded run), the totals a run was extended from and steps
  kept on request (where a run paused), the most recent max(1, min(16, B // 8)) of them.

When the set changes (``extend``, ``anchor``) the geometric steps and the stride only ever thin (k halves, the
stride doubles, and each thinner set is a subset of the one before), so a change never makes a step kept that
lies before the current position (the old total, or the step anchored): such a step has passed and cannot be
recorded any more.  Recorded steps that stop being kept are dropped (``ReplayLog`` compacts itself), which keeps
memory bounded for a run extended or paused any number of times.
"""

from __future__ import annotations

import math

import numpy as np

from .config import TrainConfig
from .gates import INPUTS
from .network import Network
from .trainer import Trainer, grid_inputs

DEFAULT_BUDGET = 600  # kept steps; the default network's log then takes 600 × (17 + 5) × 8 B ≈ 106 kB
MIN_BUDGET = 16
DENSE = 20  # every step up to here (when the budget allows: D = min(DENSE, budget // 8))
PER_DOUBLING_EXPONENT = 3  # at most 2^3 = 8 geometric steps per doubling of the step number
MAX_ANCHORS = 16
# A log's size limit: the largest network (3 hidden layers of 64, P = 8577) keeps 122 steps in it, and a stack of
# 6 of them (the gates view) the minimum, 16 steps, 6.6 MB.
MAX_BYTES = 8 * 2**20
OUTPUTS = INPUTS.shape[0]  # the truth table's 4 rows


def replay_budget(param_count: int, networks: int = 1, max_bytes: int = MAX_BYTES,
                  most: int = DEFAULT_BUDGET) -> int:
    """Kept steps for a log of ``networks`` networks of ``param_count`` parameters within ``max_bytes``:
    ``max_bytes // record_bytes``, clamped to ``MIN_BUDGET .. most`` (so at the minimum a log may exceed
    ``max_bytes``: ``MIN_BUDGET × record_bytes``).  ``record_bytes`` as ``ReplayLog.record_bytes``."""
    return max(MIN_BUDGET, min(most, max_bytes // ReplayLog.record_bytes(param_count, networks)))


def _geometric(dense: int, exponent: int, total: int) -> np.ndarray:
    """⌊dense · 2^(j/k)⌋ for j ≥ 1, k = 2^exponent, in (dense, total], sorted, unique.

    j/k is exact (k a power of two), so the steps for exponent e − 1 are a subset of those for e."""
    if total <= dense:
        return np.empty(0, dtype=np.int64)
    k = 2.0**exponent
    j = np.arange(1, math.floor(k * math.log2(total / dense)) + 2)
    steps = np.floor(dense * np.exp2(j / k)).astype(np.int64)
    return np.unique(steps[(steps > dense) & (steps <= total)])


class KeptSteps:
    """The steps of a run of ``total`` steps whose state a ``ReplayLog`` keeps: at most ``budget`` of them,
    dense early (see the module's docstring for the rule).

    ``start``: the step the run starts from (a loaded run), kept as an anchor.  ``steps`` is sorted, read-only.
    ``is_kept`` and ``next_kept`` cost O(log budget) (a binary search).  ValueError for a total below 0, a
    budget below ``MIN_BUDGET`` or a start outside 0..total.
    """

    def __init__(self, total: int, budget: int = DEFAULT_BUDGET, start: int = 0):
        total, budget, start = int(total), int(budget), int(start)
        if total < 0:
            raise ValueError(f"total must be at least 0, got {total}")
        if budget < MIN_BUDGET:
            raise ValueError(f"budget must be at least {MIN_BUDGET} kept steps, got {budget}")
        if not 0 <= start <= total:
            raise ValueError(f"start must be from 0 to the total {total}, got {start}")
        self.total = total
        self.budget = budget
        self.dense = min(DENSE, budget // 8)
        self.max_anchors = max(1, min(MAX_ANCHORS, budget // 8))
        self.exponent = PER_DOUBLING_EXPONENT
        self.stride = 1
        self._anchors = [start] if start > self.dense else []  # besides the total; oldest first
        self._rebuild()

    def _rebuild(self) -> None:
        total, budget = self.total, self.budget
        geometric = _geometric(self.dense, self.exponent, total)
        while len(geometric) > budget // 3:
            self.exponent -= 1
            geometric = _geometric(self.dense, self.exponent, total)
        del self._anchors[:-self.max_anchors]
        anchors = np.array([*self._anchors, total], dtype=np.int64)
        room = budget - (self.dense + 1) - len(geometric) - len(anchors)  # >= 4 for any budget >= MIN_BUDGET
        while total // self.stride + 1 > room:
            self.stride *= 2
        regular = np.arange(0, total + 1, self.stride, dtype=np.int64)
        steps = np.unique(np.concatenate([np.arange(min(self.dense, total) + 1), geometric, regular, anchors]))
        steps.flags.writeable = False
        self.steps = steps
        assert len(steps) <= budget

    def __len__(self) -> int:
        return len(self.steps)

    def is_kept(self, step: int) -> bool:
        i = np.searchsorted(self.steps, step)
        return bool(i < len(self.steps) and self.steps[i] == step)

    def next_kept(self, after_step: int) -> int | None:
        """The first kept step after ``after_step``, or None past the last (the total)."""
        i = np.searchsorted(self.steps, after_step, side="right")
        return int(self.steps[i]) if i < len(self.steps) else None

    def extend(self, new_total: int) -> None:
        """The run goes on to ``new_total`` steps.  The old total stays kept as an anchor (while it is among the
        most recent ones); other steps may thin (module docstring), none is added at or before the old total.
        ValueError if ``new_total`` is below the total."""
        new_total = int(new_total)
        if new_total < self.total:
            raise ValueError(f"a run's total can only grow: {new_total} is below {self.total}")
        if new_total == self.total:
            return
        if self.total > self.dense:
            self._anchors.append(self.total)
        self.total = new_total
        self._rebuild()

    def anchor(self, step: int) -> None:
        """Keep ``step`` too (where a run paused, stopped or diverged), as one of the most recent anchors.
        Other steps may thin (module docstring); none is added before ``step``.  Nothing if it is kept already.
        ValueError outside 0..total."""
        step = int(step)
        if not 0 <= step <= self.total:
            raise ValueError(f"an anchored step must be from 0 to the total {self.total}, got {step}")
        if not self.is_kept(step):
            self._anchors.append(step)
            self._rebuild()


class ReplayLog:
    """What a run was at its kept steps: step number, parameters, loss and the 4 outputs of each of ``networks``
    networks of ``param_count`` parameters (one run, or a stack trained as one, such as the gates view).

    Arrays are allocated once for ``kept.budget`` records, so memory is bounded:
    ``nbytes = budget × record_bytes``, ``record_bytes = 8 × (1 + networks × (P + 1 + 4))``; e.g. 600 × 8 × 23 B
    ≈ 110 kB for the default network (P = 17), 600 × 8 × (1 + 6 × 22) B ≈ 638 kB for the six gates
    (``replay_budget`` picks the budget for a size limit).  Change the kept steps through the log (``extend``,
    ``record(anchor=True)``), so that records no longer kept are dropped with them.  A log is for one run from
    one start: after a reset, make a new one.
    """

    def __init__(self, kept: KeptSteps, param_count: int, networks: int = 1):
        if param_count < 1 or networks < 1:
            raise ValueError(f"a log needs at least 1 parameter and 1 network, got {param_count} and {networks}")
        self.kept = kept
        self.param_count = int(param_count)
        self.networks = int(networks)
        capacity = kept.budget
        self._steps = np.zeros(capacity, dtype=np.int64)
        self._params = np.zeros((capacity, self.networks, self.param_count))
        self._losses = np.zeros((capacity, self.networks))
        self._outputs = np.zeros((capacity, self.networks, OUTPUTS))
        self.count = 0

    @staticmethod
    def record_bytes(param_count: int, networks: int = 1) -> int:
        """Bytes a log holds per kept step: the step number and each network's P parameters, loss and 4 outputs."""
        return 8 * (1 + networks * (param_count + 1 + OUTPUTS))

    @classmethod
    def for_trainer(cls, trainer: Trainer, max_bytes: int = MAX_BYTES) -> ReplayLog:
        """A log for ``trainer``'s run: its configured total, a budget within ``max_bytes`` (``replay_budget``),
        its present step anchored (0, or a loaded run's step)."""
        params = trainer.network.params.size
        kept = KeptSteps(max(trainer.config.iterations, trainer.iteration), replay_budget(params, 1, max_bytes),
                         start=trainer.iteration)
        return cls(kept, params)

    @property
    def nbytes(self) -> int:
        return self._steps.nbytes + self._params.nbytes + self._losses.nbytes + self._outputs.nbytes

    def __len__(self) -> int:
        return self.count

    @property
    def steps(self) -> np.ndarray:
        """``(count,)`` int64: the recorded steps, increasing (a copy)."""
        return self._steps[:self.count].copy()

    @property
    def last_step(self) -> int | None:
        return int(self._steps[self.count - 1]) if self.count else None

    def record(self, step: int, params, losses, outputs, anchor: bool = False) -> bool:
        """Record the state at ``step``: ``params`` ``(P,)`` or ``(networks, P)``, ``losses`` a float or
        ``(networks,)``, ``outputs`` ``(4,)`` or ``(networks, 4)`` (copied).  ``anchor``: keep ``step`` first
        (``KeptSteps.anchor``), e.g. where a run paused.  False, nothing changed, for a step not kept or already
        recorded; True when recorded.  ValueError for a step before the last recorded one that was not recorded,
        or arrays of other shapes."""
        step = int(step)
        last = self.last_step
        if last is not None and step <= last:
            if self._recorded_index(step) is not None:
                return False
            raise ValueError(f"steps must be recorded in increasing order: {step} comes after {last}")
        params = np.asarray(params, dtype=float).reshape(self.networks, self.param_count)
        losses = np.asarray(losses, dtype=float).reshape(self.networks)
        outputs = np.asarray(outputs, dtype=float).reshape(self.networks, OUTPUTS)
        if anchor and not self.kept.is_kept(step):
            self.kept.anchor(step)
            self._compact()
        if not self.kept.is_kept(step):
            return False
        i = self.count
        self._steps[i] = step
        self._params[i] = params
        self._losses[i] = losses
        self._outputs[i] = outputs
        self.count += 1
        return True

    def record_trainer(self, trainer: Trainer, anchor: bool = False) -> bool:
        """``record`` of ``trainer``'s present state (``iteration``, parameters, ``loss()``, ``outputs()``) if its
        step is kept (or ``anchor``); as ``record`` otherwise."""
        if not anchor and not self.kept.is_kept(trainer.iteration):
            return False  # the usual case while training: nothing to compute
        return self.record(trainer.iteration, trainer.network.params, trainer.loss(), trainer.outputs(),
                           anchor=anchor)

    def extend(self, new_total: int) -> None:
        """``KeptSteps.extend``, dropping the records no longer kept."""
        self.kept.extend(new_total)
        self._compact()

    def _compact(self) -> None:
        n = self.count
        keep = np.flatnonzero(np.isin(self._steps[:n], self.kept.steps))
        if len(keep) == n:
            return
        m = len(keep)
        for array in (self._steps, self._params, self._losses, self._outputs):
            array[:m] = array[keep]
        self.count = m

    def _recorded_index(self, step: int) -> int | None:
        i = int(np.searchsorted(self._steps[:self.count], step))
        return i if i < self.count and self._steps[i] == step else None

    def nearest(self, step: int) -> int:
        """Index of the largest recorded step at or before ``step``.  ValueError if there is none."""
        i = int(np.searchsorted(self._steps[:self.count], step, side="right")) - 1
        if i < 0:
            raise ValueError(f"no step recorded at or before {step}")
        return i

    def _index(self, index: int) -> int:
        if not -self.count <= index < self.count:
            raise IndexError(f"record {index} of {self.count}")
        return index % self.count

    def step_at(self, index: int) -> int:
        return int(self._steps[self._index(index)])

    def params_at(self, index: int, network: int = 0) -> np.ndarray:
        """``(P,)``: a copy of network ``network``'s parameters at record ``index``."""
        return self._params[self._index(index), network].copy()

    def loss_at(self, index: int, network: int = 0) -> float:
        return float(self._losses[self._index(index), network])

    def outputs_at(self, index: int, network: int = 0) -> np.ndarray:
        """``(4,)``: the outputs on the truth table's rows at record ``index`` (a copy)."""
        return self._outputs[self._index(index), network].copy()

    def losses(self, network: int = 0) -> np.ndarray:
        """``(count,)``: the recorded losses of one network (a copy), for a loss curve of the log itself."""
        return self._losses[:self.count, network].copy()

    def all_params(self, network: int = 0) -> np.ndarray:
        """``(count, P)``: the recorded parameters of one network, oldest first (a copy), for a path through them."""
        return self._params[:self.count, network].copy()

    def surface_at(self, index: int, config: TrainConfig, grid: int, network: int = 0) -> np.ndarray:
        """``(grid, grid)``: the output over the grid of the unit square (``grid_inputs``) of the recorded
        parameters, by ``Trainer.surface``'s own code (``Network.predict``), so equal to what the trainer gave at
        that step.  ``config`` gives the architecture (hidden layers, activation); IndexError for a bad index."""
        network_at = Network(config.hidden, params=self._params[self._index(index), network],
                             activation=config.activation)
        return network_at.predict(grid_inputs(grid)).reshape(grid, grid)
