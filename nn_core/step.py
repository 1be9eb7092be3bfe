"""One training step of the numpy engine, in its readable form: gradient, weight decay, optimizer, divergence check.

``Trainer`` steps one network ``(P,)`` through ``Stepper``; it also steps a
``(K, P)`` stack (the tests compare stacks with it).  The same rule runs in
two faster forms, each tested against this one: ``nn_core/stack.py`` (sweep's
``(P, K)`` stack) and ``nn_core/compiled.py`` (the numba loops).
"""

from __future__ import annotations

import numpy as np

from .config import TrainConfig
from .methods import get_method
from .network import weight_mask
from .objective import Objective
from .optimizers import get_optimizer

# With an unbounded activation (relu) or weight decay, a step that would take a parameter beyond this
# counts as diverged: such runs can grow geometrically, and finite parameters past it could still give
# an infinite loss or output.  Bounded units without decay grow at most polynomially in the steps, far
# from overflow, and skip the guard (numpy's errstate alone costs about a microsecond a step).
MAX_PARAM = 1e30


class Stepper:
    """Steps ``objective.params`` in place under ``config`` (validated): its method's gradient of
    the loss, plus λW for the weight decay term λ/2 Σ W² (the book's ``weight_decay_lambda``), then
    the optimizer's update, applied only where it is finite.

    One network: ``step()`` returns False, changing nothing (parameters and optimizer state), if
    the update would not be finite, or (with relu or weight decay) would take a parameter beyond
    ``MAX_PARAM``.  A stack: a network whose update fails that is
    frozen at its last parameters from then on (``diverged``), the others go on.
    """

    def __init__(self, config: TrainConfig, objective: Objective):
        self.objective = objective
        method = get_method(config.method)
        self.gradient = method.gradient
        # The step reads the gradient once, before the next is computed: the method's own array will do.
        self.in_place = method.in_place
        self.h = config.h
        self.optimizer = get_optimizer(config.optimizer)(objective.params.shape, config.lr,
                                                        **dict(config.optimizer_options))
        self.stateful = bool(self.optimizer.state_names)
        # None when λ = 0, so the default step does no extra work
        self.decay = config.weight_decay * weight_mask(config.hidden) if config.weight_decay else None
        self.guarded = config.weight_decay > 0 or not objective.activation.bounded
        self.diverged = np.zeros(objective.params.shape[:-1], dtype=bool)  # a stack's frozen rows
        self.single = objective.params.ndim == 1
        self._finite = np.empty(objective.params.shape, dtype=bool)

    def gradient_with_decay(self) -> np.ndarray:
        """dL/dp + λ·W (0 on biases): the gradient of the decayed loss, by the configured method.  With λ = 0
        and backprop it is the objective's own array (``GradientMethod.in_place``), overwritten by the next."""
        grad = self.in_place(self.objective) if self.in_place else self.gradient(self.objective, self.h)
        if self.decay is not None:
            grad = grad + self.decay * self.objective.params
        return grad

    def step(self):
        """One step.  One network: True if it stepped.  A stack: the ``(K,)`` rows not diverged."""
        params = self.objective.params
        saved = self.optimizer.state() if self.stateful else None
        if self.guarded:
            with np.errstate(all="ignore"):  # an overflow is caught below, as divergence, not a warning
                delta = self.optimizer.delta(self.gradient_with_decay())
                ok = (np.abs(params + delta) <= MAX_PARAM).all(axis=-1)  # False for inf and NaN too
        elif self.single:
            grad = self.in_place(self.objective) if self.in_place else self.gradient(self.objective, self.h)
            delta = self.optimizer.delta(grad)
            ok = np.count_nonzero(np.isfinite(delta, self._finite)) == delta.size  # .all() costs more than both
        else:
            delta = self.optimizer.delta(self.gradient_with_decay())  # λ = 0 here: no decay
            ok = np.isfinite(delta).all(axis=-1)
        if self.single:
            if not ok:
                if saved is not None:
                    self.optimizer.restore(saved)
                return False
            np.add(params, delta, params)
            return True
        self.diverged |= ~ok
        if self.diverged.any():
            delta = np.where(self.diverged[..., None], 0.0, delta)
        params += delta
        return ~self.diverged
