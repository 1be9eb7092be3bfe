"""Training settings and their validation, shared by the CLI and the GUI."""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, replace

from .activations import DEFAULT_ACTIVATION, get_activation
from .gates import canonical_gate
from .initializers import DEFAULT_INIT, get_initializer
from .methods import DEFAULT_H, get_method
from .network import DEFAULT_HIDDEN
from .optimizers import DEFAULT_OPTIMIZER, get_optimizer

DEFAULT_LR = 2.0
DEFAULT_ITERATIONS = 20_000
MAX_HIDDEN = 64  # per layer; the largest the GUI offers
MAX_LAYERS = 3  # hidden layers
MAX_WEIGHT_DECAY = 1e6
MAX_LR = 1e6
H_RANGE = (1e-12, 1e-1)
MAX_ITERATIONS = 1_000_000_000


@dataclass(frozen=True)
class TrainConfig:
    gate: str = "XOR"
    method: str = "backprop"
    hidden: tuple[int, ...] = DEFAULT_HIDDEN
    lr: float = DEFAULT_LR
    h: float = DEFAULT_H
    seed: int = 0
    iterations: int = DEFAULT_ITERATIONS
    activation: str = DEFAULT_ACTIVATION  # hidden layers', a key of ACTIVATIONS
    init: str = DEFAULT_INIT  # a key of INITIALIZERS
    optimizer: str = DEFAULT_OPTIMIZER  # a key of OPTIMIZERS; it steps with ``lr``
    # The optimizer's own options as (name, value) pairs (a dict is accepted); validated() lists every one
    # the optimizer declares, in its order, defaults filled in.
    optimizer_options: tuple[tuple[str, float], ...] = ()
    weight_decay: float = 0.0  # λ of the L2 term λ/2 Σ W² (weights only), the book's weight_decay_lambda

    def validated(self) -> TrainConfig:
        """This config with canonical names; ValueError with one clear line if any value is bad."""
        hidden = tuple(self.hidden) if isinstance(self.hidden, (tuple, list)) else (self.hidden,)
        check_hidden(hidden)
        check_lr(self.lr)
        check_h(self.h)
        check_count("seed", self.seed, minimum=0)
        check_count("iterations", self.iterations, minimum=0, maximum=MAX_ITERATIONS)
        check_weight_decay(self.weight_decay)
        optimizer = get_optimizer(self.optimizer)
        return replace(self, gate=canonical_gate(self.gate), method=get_method(self.method).key,
                       hidden=tuple(int(n) for n in hidden), lr=float(self.lr), h=float(self.h),
                       seed=int(self.seed), iterations=int(self.iterations),
                       activation=get_activation(self.activation).key, init=get_initializer(self.init).key,
                       optimizer=optimizer.key, optimizer_options=optimizer_options(optimizer, self.optimizer_options),
                       weight_decay=float(self.weight_decay))


def optimizer_options(optimizer, given) -> tuple[tuple[str, float], ...]:
    """Every option ``optimizer`` (a class of OPTIMIZERS) declares, as checked (name, value) pairs in
    declaration order: ``given`` (pairs or a mapping) where set, the declared default elsewhere."""
    try:
        given = dict(given.items() if isinstance(given, Mapping) else given)
    except (TypeError, ValueError):
        raise ValueError(f"optimizer options must be (name, value) pairs, got {given!r}") from None
    declared = {option.name: option for option in optimizer.options}
    for name in given:
        if name not in declared:
            raise ValueError(f"{name} is not an option of the {optimizer.key} optimizer" + (
                f" (its options: {', '.join(declared)})" if declared else " (it has none)"))
    return tuple((name, option.check(given.get(name, option.default))) for name, option in declared.items())


def check_hidden(hidden) -> None:
    if not hidden:
        raise ValueError("the network needs at least one hidden layer")
    if len(hidden) > MAX_LAYERS:
        raise ValueError(f"at most {MAX_LAYERS} hidden layers, got {len(hidden)}")
    for n in hidden:
        check_count("hidden size", n, minimum=1, maximum=MAX_HIDDEN)


def parse_hidden(text: str) -> tuple[int, ...]:
    """``"8,4"`` -> ``(8, 4)``: comma-separated layer widths, checked.  ValueError with one line otherwise."""
    parts = str(text).split(",")
    if not all(part.strip().isdecimal() for part in parts):
        raise ValueError(f"hidden layers must be widths separated by commas, such as 4 or 8,4; got {text!r}")
    hidden = tuple(int(part) for part in parts)
    check_hidden(hidden)
    return hidden


def check_weight_decay(value) -> None:
    if not _is_number(value) or not math.isfinite(value) or not 0 <= value <= MAX_WEIGHT_DECAY:
        raise ValueError(f"weight decay must be a number from 0 to {MAX_WEIGHT_DECAY:g}, got {value!r}")


def check_lr(lr) -> None:
    if not _is_number(lr) or not math.isfinite(lr) or lr <= 0 or lr > MAX_LR:
        raise ValueError(f"learning rate must be a positive finite number up to {MAX_LR:g}, got {lr!r}")


def check_h(h) -> None:
    low, high = H_RANGE
    if not _is_number(h) or not math.isfinite(h) or not low <= h <= high:
        raise ValueError(f"h must be a number from {low:g} to {high:g}, got {h!r}")


def check_count(name: str, value, minimum: int, maximum: int | None = None) -> None:
    if not _is_number(value) or not math.isfinite(value) or not float(value).is_integer():
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"from {minimum} to {maximum}" if maximum is not None else f"at least {minimum}"
        raise ValueError(f"{name} must be {bound}, got {value!r}")


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)
