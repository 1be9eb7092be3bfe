"""Logic gates as data: a gate is its truth table over the rows of ``INPUTS``."""

from __future__ import annotations

import numpy as np

# Truth-table rows in DESIGN.md order: (0,0), (0,1), (1,0), (1,1).
INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])

GATES: dict[str, tuple[int, int, int, int]] = {
    "AND": (0, 0, 0, 1),
    "OR": (0, 1, 1, 1),
    "NAND": (1, 1, 1, 0),
    "NOR": (1, 0, 0, 0),
    "XOR": (0, 1, 1, 0),
    "XNOR": (1, 0, 0, 1),
}

SOLVED_TOLERANCE = 0.1


def gate_names() -> list[str]:
    return list(GATES)


def canonical_gate(name: str) -> str:
    """The registered name for ``name`` (case-insensitive); ValueError if unknown."""
    key = str(name).strip().upper()
    if key not in GATES:
        raise ValueError(f"unknown gate {name!r}; choose one of {', '.join(GATES)}")
    return key


def targets(name: str) -> np.ndarray:
    """Targets as a ``(4, 1)`` column, the shape of the network's output."""
    return np.array(GATES[canonical_gate(name)], dtype=float)[:, None]


def is_solved(outputs: np.ndarray, target: np.ndarray):
    """Every one of the 4 outputs (last axis) within SOLVED_TOLERANCE of its target."""
    return np.all(np.abs(outputs - np.ravel(target)) < SOLVED_TOLERANCE, axis=-1)
