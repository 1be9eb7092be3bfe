"""Which gate each unit computes: a network read as a circuit of two-input Boolean functions.

Every unit (each hidden unit and the output) is evaluated on the four truth-table rows of ``INPUTS``, and
its output z is put on the sigmoid's 0..1 scale, its **level**:

* sigmoid (every hidden sigmoid unit, and the output): the output itself, z;
* tanh: (z + 1) / 2, its range −1..1 mapped to 0..1;
* relu: z / (its largest z on the four rows).  relu has no midpoint of its own (its range has no top), so it
  is read on the range it spans here: on above half its largest output.  A unit at 0 on all four rows (a dead
  one) reads as FALSE.

A unit's bit on a row is 1 where its level is above 0.5 (sigmoid: z > 0.5, i.e. a pre-activation above 0;
tanh: z > 0) and 0 elsewhere.

The four bits (rows 00, 01, 10, 11) are one of the 16 two-input Boolean functions of x1 and x2, named as
``gates.TRUTH_TABLES`` names them with the operands written out ("x1 OR x2", "x1 NAND x2", "x1 AND NOT x2",
"x1 IMPLY x2" for NOT x1 OR x2).

How clear a reading is, its **margin**: the smallest |level − 0.5| over the four rows, in [0, 0.5] (for a
sigmoid, how far its least clear output is from 0.5).  A reading whose margin is below ``UNCLEAR_MARGIN`` (a
sigmoid output between 0.4 and 0.6) is ``"unclear"``.

A unit of layer k ≥ 2 whose previous layer has exactly two units, both read clearly, is also read as a gate
of those units (``of_units``: "h1 AND h2"): the unit is fed the four corners of its inputs, each previous
unit off or on — sigmoid 0 or 1, tanh −1 or 1, relu 0 or its largest output on the four rows — and its bits
there name the function, with its own margin (a relu unit's level at the corners on the scale of its
four rows).  So an XOR network reads as the book's composition
(Saito, *Deep Learning from Scratch*, section 2.5: XOR = AND(NAND, OR)): h1 ≈ x1 OR x2, h2 ≈ x1 NAND x2,
output ≈ h1 AND h2.  With more than two units before it, a unit is read only as a function of x1 and x2.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .activations import sigmoid
from .gates import INPUTS, TRUTH_TABLES
from .network import Network

UNCLEAR_MARGIN = 0.1  # on the sigmoid's scale: an output in (0.4, 0.6) is read as neither 0 nor 1
UNCLEAR = "unclear"

_CONSTANTS = ("FALSE", "TRUE")


def function_name(bits, inputs: tuple[str, str] = ("x1", "x2")) -> str:
    """The name of the two-input Boolean function with ``bits`` on the rows 00, 01, 10, 11 (four 0/1 values
    or a string like ``"0110"``), its operands written as ``inputs``: ``function_name("0111")`` is
    ``"x1 OR x2"``, ``function_name("0001", ("h1", "h2"))`` is ``"h1 AND h2"``, ``"0010"`` is
    ``"x1 AND NOT x2"``.  The names are ``gates.TRUTH_TABLES``'s, a bare operator (AND, IMPLY, …) put between
    the operands.  ValueError unless ``bits`` is four 0/1 values."""
    return _named(inputs)[_bit_string(bits)]


def gate_name(bits) -> str:
    """``gates.TRUTH_TABLES``'s own name for ``bits`` (what ``--gate`` takes): ``"0111"`` is ``"OR"``."""
    return _BY_BITS[_bit_string(bits)]


def _bit_string(bits) -> str:
    text = bits if isinstance(bits, str) else "".join(str(int(b)) for b in bits)
    if not re.fullmatch(r"[01]{4}", text):
        raise ValueError(f"a two-input function has four bits of 0 or 1, got {bits!r}")
    return text


_BY_BITS = {"".join(map(str, bits)): name for name, bits in TRUTH_TABLES.items()}


def _named(inputs: tuple[str, str]) -> dict[str, str]:
    a, b = inputs
    names = {}
    for bits, name in _BY_BITS.items():
        if name in _CONSTANTS:
            names[bits] = name
        elif " " not in name and not name.startswith("x"):  # a bare operator: AND, OR, XOR, IMPLY, ...
            names[bits] = f"{a} {name} {b}"
        else:
            names[bits] = re.sub(r"\bx[12]\b", lambda m: a if m.group() == "x1" else b, name)
    return names


def compose(outer, first, second) -> str:
    """The bits on the rows 00, 01, 10, 11 of ``outer(first, second)``: the function ``outer`` of two units
    applied to the units' own bits (each as ``function_name`` takes them).  ``compose("0001", "0111", "1110")``
    (AND of OR and NAND) is ``"0110"``, XOR."""
    outer, first, second = _bit_string(outer), _bit_string(first), _bit_string(second)
    return "".join(outer[2 * int(p) + int(q)] for p, q in zip(first, second, strict=True))


# --- reading a unit ----------------------------------------------------------------------------------------


def _relu_level(z: np.ndarray, rows: np.ndarray) -> np.ndarray:
    scale = np.max(rows, axis=0)  # per unit, its largest output on the four truth-table rows
    safe = np.where(scale > 0.0, scale, 1.0)
    return np.where(scale > 0.0, np.clip(z / safe, 0.0, 1.0), (z > 0.0) * 1.0)


@dataclass(frozen=True)
class _Reading:
    # (z, z on the four rows) -> level in [0, 1]: z for the rows or the corners, scaled as on the four rows
    level: Callable[[np.ndarray, np.ndarray], np.ndarray]
    off: Callable[[np.ndarray], float]  # the unit's z on the four rows -> its output when off
    on: Callable[[np.ndarray], float]  # ... and when on (module docstring: the corners)


# Per activation key; a new activation needs its entry here (``readable`` says which have one).
READINGS: dict[str, _Reading] = {
    "sigmoid": _Reading(lambda z, rows: z, lambda rows: 0.0, lambda rows: 1.0),
    "tanh": _Reading(lambda z, rows: (z + 1.0) / 2.0, lambda rows: -1.0, lambda rows: 1.0),
    "relu": _Reading(_relu_level, lambda rows: 0.0, lambda rows: float(np.max(rows))),
}


def readable(activation: str) -> bool:
    return activation in READINGS


@dataclass(frozen=True)
class Unit:
    """One unit's reading.  ``layer`` counts from 1 (layer k's weights are the book's Wk; the output is layer
    len(hidden) + 1); ``index`` from 1 within its layer."""

    layer: int
    index: int
    name: str  # "h1", "h2", ... (one hidden layer); "h2.1" is layer 2's first unit with several; "output"
    is_output: bool
    activations: tuple[float, float, float, float]  # the unit's output z on rows 00, 01, 10, 11
    bits: str  # [level > 0.5] on the four rows, e.g. "0111"
    margin: float  # min over the four rows, in [0, 0.5] (module docstring)
    of_inputs: str  # the function of x1, x2 the bits form ("x1 OR x2"), or "unclear"
    of_units: str | None  # layer ≥ 2 with two clear units before it: the gate of them ("h1 AND h2"), or "unclear"
    of_units_bits: str | None  # the unit's bits on its inputs' four corners (off/on), as ``of_units`` reads them
    of_units_margin: float | None

    @property
    def clear(self) -> bool:
        return self.margin >= UNCLEAR_MARGIN

    @property
    def gate(self) -> str | None:
        """``gates.TRUTH_TABLES``'s name of the four-row function ("OR"), None when unclear."""
        return gate_name(self.bits) if self.clear else None

    @property
    def function(self) -> str:
        """What the unit computes: ``"unclear"`` if its four-row reading is; else the gate of the two units
        before it when that reading exists and is clear; else its function of x1 and x2."""
        if not self.clear:
            return UNCLEAR
        if self.of_units is not None and self.of_units != UNCLEAR:
            return self.of_units
        return self.of_inputs

    def as_dict(self) -> dict:
        """The JSON object: ``layer, index, function, margin`` (the contract) and ``name, output, gate,
        of_inputs, of_units, of_units_bits, of_units_margin, bits, activations``."""
        return {"layer": self.layer, "index": self.index, "function": self.function, "margin": self.margin,
                "name": self.name, "output": self.is_output, "gate": self.gate, "of_inputs": self.of_inputs,
                "of_units": self.of_units, "of_units_bits": self.of_units_bits,
                "of_units_margin": self.of_units_margin, "bits": self.bits,
                "activations": list(self.activations)}


def unit_names(hidden) -> list[list[str]]:
    """The names of every unit, layer by layer: ``[["h1", "h2"], ["output"]]`` for one hidden layer of 2;
    ``"hk.i"`` for layer k's unit i when there are several hidden layers."""
    hidden = tuple(hidden)
    names = [[f"h{i}" if len(hidden) == 1 else f"h{k}.{i}" for i in range(1, n + 1)]
             for k, n in enumerate(hidden, start=1)]
    return [*names, ["output"]]


def explain(network: Network) -> list[Unit]:
    """Every unit of ``network`` read as a two-input Boolean function (module docstring), layer by layer,
    the output last: sum(hidden) + 1 ``Unit``s.  ValueError for a hidden activation without a reading
    (``READINGS``)."""
    key = network.activation.key
    if not readable(key):
        raise ValueError(f"no reading of a {key} unit as a gate; readable: {', '.join(READINGS)}")
    layers = network.layers
    names = unit_names(network.hidden)
    last = len(layers) - 1
    units: list[Unit] = []
    z_prev, prev = INPUTS, None  # prev: the previous layer's units and their (off, on) values
    for k, (w, b) in enumerate(layers):
        reading = READINGS["sigmoid"] if k == last else READINGS[key]
        f = sigmoid if k == last else network.activation.f
        z = f(z_prev @ w + b)  # (4, n)
        levels = reading.level(z, z)
        layer_units = []
        for j in range(w.shape[1]):
            bits = _bits(levels[:, j])
            margin = float(np.min(np.abs(levels[:, j] - 0.5)))
            of_inputs = function_name(bits) if margin >= UNCLEAR_MARGIN else UNCLEAR
            of_units = of_units_bits = of_units_margin = None
            if prev is not None and len(prev) == 2 and all(u.clear for u, _ in prev):
                (u1, (off1, on1)), (u2, (off2, on2)) = prev
                corners = np.array([[off1, off2], [off1, on2], [on1, off2], [on1, on2]])
                level = reading.level(f(corners @ w[:, j] + b[0, j]), z[:, j])
                of_units_bits = _bits(level)
                of_units_margin = float(np.min(np.abs(level - 0.5)))
                of_units = (function_name(of_units_bits, (u1.name, u2.name))
                            if of_units_margin >= UNCLEAR_MARGIN else UNCLEAR)
            layer_units.append(Unit(layer=k + 1, index=j + 1, name=names[k][j], is_output=k == last,
                                    activations=tuple(float(v) for v in z[:, j]), bits=bits, margin=margin,
                                    of_inputs=of_inputs, of_units=of_units, of_units_bits=of_units_bits,
                                    of_units_margin=of_units_margin))
        units += layer_units
        prev = [(u, (reading.off(z[:, j]), reading.on(z[:, j]))) for j, u in enumerate(layer_units)]
        z_prev = z
    return units


def _bits(levels: np.ndarray) -> str:
    return "".join("1" if v > 0.5 else "0" for v in levels)
