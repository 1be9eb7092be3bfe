"""Numbers as the window shows them: a missing or non-finite value is "—", never NaN."""

from __future__ import annotations

import math

MISSING = "—"


def is_number(value) -> bool:
    return value is not None and isinstance(value, (int, float)) and math.isfinite(value)


def number(value, spec: str = ".4g") -> str:
    return format(value, spec) if is_number(value) else MISSING


def seconds(value) -> str:
    """A duration: "0.84 s", "2 min 05 s", "1 h 02 min"."""
    if not is_number(value) or value < 0:
        return MISSING
    if value < 60:
        return f"{value:.2f} s"
    minutes, secs = divmod(int(round(value)), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def count(value) -> str:
    return f"{int(value):,}" if is_number(value) else MISSING


def percent(fraction, spec: str = ".1f") -> str:
    """A fraction as a percentage: 0.986 -> "98.6 %"."""
    return f"{format(100 * fraction, spec)} %" if is_number(fraction) else MISSING


def times(value) -> str:
    """A ratio as a multiple: 1 -> "1×", 8.25 -> "8.3×", 70.4 -> "70×", 1234 -> "1,234×"."""
    if not is_number(value):
        return MISSING
    return f"{value:.2g}×" if value < 10 else f"{value:,.0f}×"


def decade(exponent: int) -> str:
    """10**exponent as an axis label: "0.001", "1", "100", "1e-30", "1e30"."""
    return f"{10.0 ** exponent:g}" if -4 <= exponent <= 4 else f"1e{exponent}"
