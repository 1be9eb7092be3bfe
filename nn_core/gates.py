"""Logic gates as data: a gate is its truth table over the rows of ``INPUTS``.

Any of the 16 two-input Boolean functions is a gate.  ``--gate`` takes its four
target bits in row order (``0110`` is XOR) or its name (case-insensitive);
``canonical_gate`` turns either into the function's name, which is what a
config, a report and the window carry.
"""

from __future__ import annotations

import re

import numpy as np

# Truth-table rows in this order: (0,0), (0,1), (1,0), (1,1).
INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])

# Every two-input Boolean function: its name and its targets on the rows of INPUTS, in bit order 0000 .. 1111.
TRUTH_TABLES: dict[str, tuple[int, int, int, int]] = {
    "FALSE": (0, 0, 0, 0),
    "AND": (0, 0, 0, 1),
    "x1 AND NOT x2": (0, 0, 1, 0),
    "x1": (0, 0, 1, 1),
    "NOT x1 AND x2": (0, 1, 0, 0),
    "x2": (0, 1, 0, 1),
    "XOR": (0, 1, 1, 0),
    "OR": (0, 1, 1, 1),
    "NOR": (1, 0, 0, 0),
    "XNOR": (1, 0, 0, 1),
    "NOT x2": (1, 0, 1, 0),
    "x1 OR NOT x2": (1, 0, 1, 1),
    "NOT x1": (1, 1, 0, 0),
    "IMPLY": (1, 1, 0, 1),  # x1 → x2, i.e. NOT x1 OR x2
    "NAND": (1, 1, 1, 0),
    "TRUE": (1, 1, 1, 1),
}

# The six classic gates (the names the window lists); each is also a TRUTH_TABLES entry.
GATES: dict[str, tuple[int, int, int, int]] = {
    name: TRUTH_TABLES[name] for name in ("AND", "OR", "NAND", "NOR", "XOR", "XNOR")}

SOLVED_TOLERANCE = 0.1

_BY_BITS = {"".join(map(str, bits)): name for name, bits in TRUTH_TABLES.items()}
_BY_NAME = {" ".join(name.upper().split()): name for name in TRUTH_TABLES}


def gate_names() -> list[str]:
    return list(GATES)


def gate_bits(name: str) -> str:
    """The four target bits of gate ``name`` (any spelling ``canonical_gate`` takes) as ``"0110"``."""
    return "".join(map(str, TRUTH_TABLES[canonical_gate(name)]))


def canonical_gate(name: str) -> str:
    """The function's name for ``name``: four target bits in row order (``"0110"``) or a
    name of ``TRUTH_TABLES`` in any case and spacing.  ValueError with one line otherwise."""
    text = str(name).strip()
    if re.fullmatch(r"[01]{4}", text):
        return _BY_BITS[text]
    found = _BY_NAME.get(" ".join(text.upper().split()))
    if found is None:
        raise ValueError(f"unknown gate {name!r}; give four target bits for rows 00, 01, 10, 11 (0110 is XOR) "
                         f"or a name: {', '.join(TRUTH_TABLES)}")
    return found


def targets(name: str) -> np.ndarray:
    """Targets as a ``(4, 1)`` column, the shape of the network's output."""
    return np.array(TRUTH_TABLES[canonical_gate(name)], dtype=float)[:, None]


def is_solved(outputs: np.ndarray, target: np.ndarray):
    """Every one of the 4 outputs (last axis) within SOLVED_TOLERANCE of its target."""
    return np.all(np.abs(outputs - np.ravel(target)) < SOLVED_TOLERANCE, axis=-1)
