"""Training settings and their validation, shared by the CLI and the GUI."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, replace

from .gates import canonical_gate
from .methods import DEFAULT_H, get_method
from .network import DEFAULT_HIDDEN

DEFAULT_LR = 2.0
DEFAULT_ITERATIONS = 20_000
MAX_HIDDEN = 64  # per layer; the largest the GUI offers
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

    def validated(self) -> TrainConfig:
        """This config with canonical names; ValueError with one clear line if any value is bad."""
        hidden = tuple(self.hidden) if isinstance(self.hidden, (tuple, list)) else (self.hidden,)
        check_hidden(hidden)
        check_lr(self.lr)
        check_h(self.h)
        check_count("seed", self.seed, minimum=0)
        check_count("iterations", self.iterations, minimum=0, maximum=MAX_ITERATIONS)
        return replace(self, gate=canonical_gate(self.gate), method=get_method(self.method).key,
                       hidden=tuple(int(n) for n in hidden), lr=float(self.lr), h=float(self.h),
                       seed=int(self.seed), iterations=int(self.iterations))


def check_hidden(hidden) -> None:
    if not hidden:
        raise ValueError("the network needs at least one hidden layer")
    for n in hidden:
        check_count("hidden size", n, minimum=1, maximum=MAX_HIDDEN)


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
