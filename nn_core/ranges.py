"""A number setting's range, its one-line message and its parsing: one rule per setting, shared by the
validator, both command lines, the window's number boxes and the registries' declared options."""

from __future__ import annotations

import decimal
import math
import numbers
from dataclasses import dataclass


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
    value must be greater than ``low`` (a learning rate of 0 learns nothing); ``high_open``: less than
    ``high`` (a momentum of 1 never forgets).  ``log_scale``: the window's arrows step ×10 / ÷10 instead
    of ± ``step``.
    """

    name: str  # as the messages say it
    low: float
    high: float | None
    integer: bool = False
    low_open: bool = False
    log_scale: bool = False
    step: int = 1  # the arrows' step for a linear setting
    high_open: bool = False

    def describe(self) -> str:
        """``a whole number from 1 to 64``, ``a number greater than 0 and at most 1000000``."""
        kind = "a whole number" if self.integer else "a number"
        low, high = format_number(self.low), None if self.high is None else format_number(self.high)
        if self.high is None:
            return f"{kind} {'greater than' if self.low_open else 'at least'} {low}"
        if self.high_open:
            return f"{kind} {'greater than' if self.low_open else 'at least'} {low} and below {high}"
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
        return self.high is None or value < self.high or not self.high_open and value == self.high

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
                float(text)  # Python's own number syntax: Decimal alone also takes "1_"
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
        if self.high is not None and value >= self.high and (self.high_open or value > self.high):
            return math.nextafter(self.high, -math.inf) if self.high_open else self.high
        if self.low_open and value <= self.low:
            return math.nextafter(self.low, math.inf)
        return max(value, self.low)


def _reads_as_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


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
