"""Optimizers, the book's ``common/optimizer.py``: one class per rule, registered under stable keys.

As in the book, an optimizer is built once per run, keeps its state per
parameter vector (momentum's ``v``, Adam's ``m``, ``v`` and step count) and
``update(params, grads)`` changes ``params`` in place.  Here the parameters
are one vector ``(P,)``, or a stack ``(K, P)`` of K networks, and the state
has the same shape, so a stack's row k follows exactly the rule one network
would.  The rule itself is ``delta(grads)``: the change the book's update adds
to ``params``, with the state advanced.  The step function (``nn_core.step``)
checks that change before applying it, so a step that would not be finite
changes nothing.

The learning rate is the run's ``TrainConfig.lr`` for every optimizer (the
book's own defaults are in ``book_lr``); each optimizer's other
hyper-parameters are declared in ``options`` with the book's defaults.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import ClassVar

import numpy as np

from .options import Option
from .registry import lookup

DEFAULT_OPTIMIZER = "sgd"
EPS = 1e-7  # the book's constant in AdaGrad, RMSprop and Adam

MOMENTUM = Option("momentum", float, 0.0, 1.0, 0.9, "momentum α: the share of the last step kept",
                  high_open=True)


class Optimizer:
    """Base of every optimizer; a subclass sets the class attributes and writes ``delta``.

    Rules never write into a state array: they assign new ones.  So ``state()``
    (a dict of references, no copy) is a snapshot that ``restore`` can put back.
    """

    key: ClassVar[str]
    title: ClassVar[str]
    rule: ClassVar[str]
    book_lr: ClassVar[float]  # the book's default learning rate, for reference
    options: ClassVar[tuple[Option, ...]] = ()
    state_names: ClassVar[tuple[str, ...]] = ()
    squared_state: ClassVar[tuple[str, ...]] = ()  # state that sums squared gradients: never negative

    def __init__(self, shape: tuple[int, ...], lr: float, **options):
        """``shape``: that of the parameters, ``(P,)`` or ``(K, P)``.  ``options``: any of
        ``self.options`` by name, the rest at their defaults.  ValueError for an unknown
        name or a value out of range."""
        for name in options:
            if name not in {o.name for o in self.options}:
                raise ValueError(f"{self.key} has no option {name!r}" + (
                    f"; its options: {', '.join(o.name for o in self.options)}" if self.options else ""))
        self.lr = lr
        for option in self.options:
            setattr(self, option.name, option.check(options.get(option.name, option.default)))
        self.restore(self.initial_state(shape))

    def initial_state(self, shape: tuple[int, ...]) -> dict:
        return {name: np.zeros(shape) for name in self.state_names}

    def state(self) -> dict:
        """``{name: array or count}``, references to the current state (see the class docstring)."""
        return {name: getattr(self, name) for name in self.state_names}

    def restore(self, state: dict) -> None:
        """Puts back a ``state()`` of this optimizer as it is: no copy, no checks."""
        for name in self.state_names:
            setattr(self, name, state[name])

    def load_state(self, state: Mapping) -> None:
        """Sets the state from values of ``state()``'s form, say a saved run's (arrays may be nested
        lists): copied after checking that every name is there, each array has the current shape and
        is finite, and a count is a whole number ≥ 0.  ValueError with one line, the state unchanged."""
        loaded = {}
        for name, current in self.state().items():
            if name not in state:
                raise ValueError(f"the {self.key} optimizer's state lacks {name!r}")
            value = state[name]
            if isinstance(current, np.ndarray):
                try:
                    value = np.array(value, dtype=float)
                except (TypeError, ValueError):
                    raise ValueError(f"the {self.key} optimizer's {name!r} is not an array of numbers") from None
                if value.shape != current.shape or not np.isfinite(value).all():
                    raise ValueError(f"the {self.key} optimizer's {name!r} must be finite numbers of shape "
                                     f"{current.shape}, got shape {value.shape}")
            elif not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 0:
                raise ValueError(f"the {self.key} optimizer's {name!r} must be a whole number ≥ 0, got {value!r}")
            loaded[name] = value if isinstance(current, np.ndarray) else int(value)
        self.restore(loaded)

    def delta(self, grads: np.ndarray) -> np.ndarray:
        """The change to the parameters for gradient ``grads``; advances the state.  The result
        may be a state array or an array the next call reuses: read it, do not write into it or keep it."""
        raise NotImplementedError

    def update(self, params: np.ndarray, grads: np.ndarray) -> None:
        """The book's interface: one step of the rule on ``params``, in place."""
        params += self.delta(grads)


OPTIMIZERS: dict[str, type[Optimizer]] = {}


def register(cls: type[Optimizer]) -> type[Optimizer]:
    OPTIMIZERS[cls.key] = cls
    return cls


def get_optimizer(key: str) -> type[Optimizer]:
    """The optimizer class registered as ``key`` (case-insensitive); ValueError if unknown."""
    return lookup(OPTIMIZERS, key, "optimizer")


@register
class SGD(Optimizer):
    key, title, book_lr = "sgd", "SGD", 0.01
    rule = "p ← p − η ∇L"

    def __init__(self, shape, lr, **options):
        super().__init__(shape, lr, **options)
        self._delta = np.empty(shape)  # SGD has no state: its delta can go into the same array each step
        self._minus_lr = np.array(-lr)  # a 0-d array: numpy converts a Python float at every call

    def delta(self, grads):
        return np.multiply(grads, self._minus_lr, self._delta)  # p + (−η g) is bit for bit p − η g


@register
class Momentum(Optimizer):
    key, title, book_lr = "momentum", "Momentum", 0.01
    rule = "v ← α v − η ∇L;  p ← p + v"
    options = (MOMENTUM,)
    state_names = ("v",)

    def delta(self, grads):
        self.v = self.momentum * self.v - self.lr * grads
        return self.v


@register
class Nesterov(Optimizer):
    key, title, book_lr = "nesterov", "Nesterov's accelerated gradient", 0.01
    rule = "p ← p + α² v − (1 + α) η ∇L;  v ← α v − η ∇L"
    options = (MOMENTUM,)
    state_names = ("v",)

    def delta(self, grads):
        step = (self.momentum * self.momentum) * self.v - ((1 + self.momentum) * self.lr) * grads
        self.v = self.momentum * self.v - self.lr * grads
        return step


@register
class AdaGrad(Optimizer):
    key, title, book_lr = "adagrad", "AdaGrad", 0.01
    rule = "h ← h + ∇L ⊙ ∇L;  p ← p − η ∇L / (√h + 1e−7)"
    state_names = squared_state = ("h",)

    def delta(self, grads):
        self.h = self.h + grads * grads
        return (-self.lr) * grads / (np.sqrt(self.h) + EPS)


@register
class RMSprop(Optimizer):
    key, title, book_lr = "rmsprop", "RMSprop", 0.01
    rule = "h ← ρ h + (1 − ρ) ∇L ⊙ ∇L;  p ← p − η ∇L / (√h + 1e−7)"
    options = (Option("decay_rate", float, 0.0, 1.0, 0.99, "ρ: how slowly RMSprop forgets past squared gradients",
                      high_open=True),)
    state_names = squared_state = ("h",)

    def delta(self, grads):
        self.h = self.decay_rate * self.h + (1 - self.decay_rate) * grads * grads
        return (-self.lr) * grads / (np.sqrt(self.h) + EPS)


@register
class Adam(Optimizer):
    key, title, book_lr = "adam", "Adam", 0.001
    rule = ("t ← t + 1;  m ← m + (1 − β1)(∇L − m);  v ← v + (1 − β2)(∇L² − v);  "
            "p ← p − η √(1 − β2^t) / (1 − β1^t) · m / (√v + 1e−7)")
    options = (Option("beta1", float, 0.0, 1.0, 0.9, "Adam's β1: decay of the gradient's running mean",
                      high_open=True),
               Option("beta2", float, 0.0, 1.0, 0.999, "Adam's β2: decay of the squared gradient's running mean",
                      high_open=True))
    state_names = ("m", "v", "iter")
    squared_state = ("v",)

    def initial_state(self, shape):
        return {"m": np.zeros(shape), "v": np.zeros(shape), "iter": 0}

    def delta(self, grads):
        self.iter += 1
        # the book's bias correction folded into the step size, as in its optimizer.py
        lr_t = self.lr * math.sqrt(1.0 - self.beta2 ** self.iter) / (1.0 - self.beta1 ** self.iter)
        self.m = self.m + (1 - self.beta1) * (grads - self.m)
        self.v = self.v + (1 - self.beta2) * (grads ** 2 - self.v)
        return (-lr_t) * self.m / (np.sqrt(self.v) + EPS)
