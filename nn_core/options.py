"""The declaration of a registry entry's option: name, type, range, default and help, written once.

The CLI builds its flags from these declarations and ``TrainConfig.validated``
checks values with them, so a range is stated in exactly one place.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass


@dataclass(frozen=True)
class Option:
    """One setting of a registry entry (say Adam's ``beta1``).

    ``low``/``high`` bound the value; ``low_open``/``high_open`` exclude the bound
    itself (momentum may be 0 but not 1).  ``type`` is ``float`` or ``int``.
    """

    name: str  # a Python identifier; the CLI flag is --name with "_" as "-"
    type: type
    low: float
    high: float
    default: float
    help: str
    low_open: bool = False
    high_open: bool = False

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    def range_text(self) -> str:
        """``0 ≤ momentum < 1``: the range, for messages and help."""
        return (f"{self.low:g} {'<' if self.low_open else '≤'} {self.name} "
                f"{'<' if self.high_open else '≤'} {self.high:g}")

    def check(self, value):
        """``value`` as this option's type; ValueError with one line if it is not a number in range."""
        number = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)
        if not (number and (self.type is not int or float(value).is_integer()) and self.low <= value <= self.high
                and not (self.low_open and value == self.low) and not (self.high_open and value == self.high)):
            kind = "a whole number" if self.type is int else "a number"
            raise ValueError(f"{self.name} must be {kind} with {self.range_text()}, got {value!r}")
        return self.type(value)
