"""Training settings, their ranges and their validation, shared by both command lines and the GUI.

Each number setting has one ``Range``: the validator (``TrainConfig.validated``), the argparse types of
``python -m nn_core`` and ``python -m app`` and the window's number boxes all read it, so a value one of
them accepts the others accept too, and a bad value gets the same one-line message everywhere.
"""

from __future__ import annotations

import decimal
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
MAX_SEED = 2**63 - 1  # numpy's default_rng takes any int >= 0; this bound fits a signed 64-bit int everywhere
MAX_EVERY_STEPS = 1_000_000


def format_number(value) -> str:
    """The shortest text that reads back as exactly ``value``: ``2``, ``0.0001``, ``1e-10``, ``9223372036854775807``.

    Floats use Python's round-tripping repr (``float(format_number(x)) == x``), without a trailing ``.0``.
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return str(int(value))
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


@dataclass(frozen=True)
class Range:
    """The values one number setting takes: ``low`` to ``high`` (``high`` None: no upper bound).

    ``integer``: whole numbers only (text like ``1e3`` is read exactly as 1000).  ``low_open``: the
    value must be greater than ``low`` (a learning rate of 0 learns nothing).  ``log_scale``: the
    window's arrows step ×10 / ÷10 instead of ± ``step``.
    """

    name: str  # as the messages say it
    low: float
    high: float | None
    integer: bool = False
    low_open: bool = False
    log_scale: bool = False
    step: int = 1  # the arrows' step for a linear setting

    def describe(self) -> str:
        """``a whole number from 1 to 64``, ``a number greater than 0 and at most 1000000``."""
        kind = "a whole number" if self.integer else "a number"
        low, high = format_number(self.low), None if self.high is None else format_number(self.high)
        if self.high is None:
            return f"{kind} {'greater than' if self.low_open else 'at least'} {low}"
        if self.low_open:
            return f"{kind} greater than {low} and at most {high}"
        return f"{kind} from {low} to {high}"

    def message(self, got) -> str:
        """The one line for a bad value, ``got`` as given (a number or the text typed)."""
        if isinstance(got, str):
            shown = got.strip() if _reads_as_number(got) else repr(got)
        elif isinstance(got, numbers.Real) and not isinstance(got, bool):
            shown = format_number(got)
        else:
            shown = repr(got)
        return f"{self.name} must be {self.describe()}, got {shown}"

    def contains(self, value) -> bool:
        """True if ``value`` (a number, ints of any size) lies in the range."""
        if self.low_open and not value > self.low or not self.low_open and not value >= self.low:
            return False
        return self.high is None or value <= self.high

    def check(self, value):
        """``value`` as an int (``integer``) or a float, exactly; ValueError with ``message`` if it is out of range,
        not a number, not finite or (``integer``) not whole."""
        if not isinstance(value, numbers.Real) or isinstance(value, bool):
            raise ValueError(self.message(value))
        if isinstance(value, numbers.Integral):
            value = int(value)
        elif not math.isfinite(value) or (self.integer and not float(value).is_integer()):
            raise ValueError(self.message(value))
        if not self.contains(value):
            raise ValueError(self.message(value))
        return int(value) if self.integer else float(value)

    def parse(self, text: str):
        """The value ``text`` spells, in any notation Python reads (``1e-10``, ``2000``, ``2e3``, ``1_000``);
        ValueError with ``message`` otherwise.  Whole numbers are read exactly (no float rounding)."""
        if not isinstance(text, str):
            raise ValueError(self.message(text))
        try:
            if not self.integer:
                value = float(text)
                if not math.isfinite(value):
                    raise ValueError
            else:
                exact = decimal.Decimal(text.strip())
                if not exact.is_finite():
                    raise ValueError
                if not self.contains(exact) or exact != exact.to_integral_value():
                    raise ValueError  # checked as a Decimal first: 1e999999999 is never expanded
                value = int(exact)
        except (ValueError, ArithmeticError):
            raise ValueError(self.message(text)) from None
        if not self.contains(value):
            raise ValueError(self.message(text))
        return value

    def clamp(self, value):
        """The nearest value in the range (for a low_open range, never below ``low``'s next float)."""
        if self.high is not None and value > self.high:
            return self.high
        if self.low_open and value <= self.low:
            return math.nextafter(self.low, math.inf)
        return max(value, self.low)


def _reads_as_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# The table: one rule and one message per setting.
HIDDEN = Range("hidden units", 1, MAX_HIDDEN, integer=True)
LR = Range("learning rate", 0.0, MAX_LR, low_open=True, log_scale=True)
H = Range("h", *H_RANGE, log_scale=True)
SEED = Range("seed", 0, MAX_SEED, integer=True)
# The engine trains 0 steps fine (``train --iterations 0`` shows the seeded network; sweep starts from it) ...
ITERATIONS = Range("iterations", 0, MAX_ITERATIONS, integer=True, step=1000)
# ... a run in the window is at least one step (Start must do something), stated the same way.
RUN_ITERATIONS = Range("iterations", 1, MAX_ITERATIONS, integer=True, step=1000)
EVERY_STEPS = Range("surface redraw interval (every N steps)", 1, MAX_EVERY_STEPS, integer=True)
SEEDS = Range("seeds", 1, None, integer=True)


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
        """This config with canonical names and exact ints/floats; ValueError with one clear line if any value
        is outside its Range (HIDDEN, LR, H, SEED, ITERATIONS) or names no gate or method."""
        hidden = tuple(self.hidden) if isinstance(self.hidden, (tuple, list)) else (self.hidden,)
        check_hidden(hidden)
        return replace(self, gate=canonical_gate(self.gate), method=get_method(self.method).key,
                       hidden=tuple(HIDDEN.check(n) for n in hidden), lr=LR.check(self.lr), h=H.check(self.h),
                       seed=SEED.check(self.seed), iterations=ITERATIONS.check(self.iterations))


def check_hidden(hidden) -> None:
    """ValueError unless ``hidden`` is a non-empty sequence of sizes in HIDDEN."""
    if not hidden:
        raise ValueError("the network needs at least one hidden layer")
    for n in hidden:
        HIDDEN.check(n)


def check_lr(lr) -> None:
    LR.check(lr)


def check_h(h) -> None:
    H.check(h)


def check_count(name: str, value, minimum: int, maximum: int | None = None) -> None:
    """ValueError unless ``value`` is a whole number from ``minimum`` to ``maximum`` (None: no bound)."""
    Range(name, minimum, maximum, integer=True).check(value)


def arg_type(setting: Range):
    """An argparse ``type`` for ``setting``: the value, or the setting's one-line message (status 2)."""
    import argparse

    def parse(text: str):
        try:
            return setting.parse(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    parse.__name__ = setting.name  # argparse names the type in some messages
    return parse
