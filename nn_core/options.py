"""The declaration of a registry entry's option: name, range, default and help, written once.

The CLI builds its flags from these declarations and ``TrainConfig.validated``
checks values with them, so a range is stated in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from .ranges import Range


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

    @property
    def range(self) -> Range:
        return Range(self.name, self.low, self.high, integer=self.type is int, low_open=self.low_open,
                     high_open=self.high_open)

    def check(self, value):
        """``value`` as this option's type; ValueError with the range's one line if it is not a number in range."""
        return self.range.check(value)
