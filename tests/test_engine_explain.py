"""nn_core.explain and ``python -m nn_core explain``: each unit named by the two-input gate it computes."""

import itertools
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nn_core.activations import ACTIVATIONS, sigmoid
from nn_core.config import TrainConfig
from nn_core.explain import UNCLEAR, UNCLEAR_MARGIN, compose, explain, function_name, gate_name, readable, unit_names
from nn_core.gates import INPUTS, TRUTH_TABLES
from nn_core.network import Network, param_layout
from nn_core.sweep import sweep
from nn_core.trainer import Trainer

ROOT = Path(__file__).resolve().parents[1]

# Every one of the 16 functions, rows 00, 01, 10, 11, and its name with the operands written out.
NAMES = {
    "0000": "FALSE", "0001": "x1 AND x2", "0010": "x1 AND NOT x2", "0011": "x1", "0100": "NOT x1 AND x2",
    "0101": "x2", "0110": "x1 XOR x2", "0111": "x1 OR x2", "1000": "x1 NOR x2", "1001": "x1 XNOR x2",
    "1010": "NOT x2", "1011": "x1 OR NOT x2", "1100": "NOT x1", "1101": "x1 IMPLY x2", "1110": "x1 NAND x2",
    "1111": "TRUE",
}


def network(hidden, activation="sigmoid", **arrays) -> Network:
    """A network with the book's W1, b1, ... set by hand."""
    params = np.zeros(param_layout(hidden)[-1][2].stop)
    for name, shape, cut in param_layout(hidden):
        params[cut] = np.asarray(arrays[name], dtype=float).reshape(shape).ravel()
    return Network(hidden, params=params, activation=activation)


def bits_of(column) -> str:
    return "".join(str(int(v)) for v in column)


# --- naming four bits -----------------------------------------------------------------------------------------


def test_every_function_has_its_name():
    assert {bits: function_name(bits) for bits in NAMES} == NAMES
    for name, bits in TRUTH_TABLES.items():  # the gate names --gate takes, one per function
        assert gate_name(bits) == name


def test_names_of_other_inputs_put_them_in_place_of_x1_and_x2():
    assert function_name("0001", ("h1", "h2")) == "h1 AND h2"
    assert function_name("0010", ("h1", "h2")) == "h1 AND NOT h2"
    assert function_name("1101", ("g", "k")) == "g IMPLY k"
    assert function_name("0101", ("h2.1", "h2.2")) == "h2.2"
    assert function_name("1111", ("h1", "h2")) == "TRUE"
    # no name stays in terms of x1 or x2
    assert not any("x" in function_name(bits, ("h1", "h2")) for bits in NAMES)


@pytest.mark.parametrize("bad", ["011", "01102", "abcd", (0, 1, 2, 0), ""])
def test_four_bits_or_a_value_error(bad):
    with pytest.raises(ValueError, match="four bits"):
        function_name(bad)


def test_compose_applies_a_gate_to_two_units_bits():
    assert compose("0001", "0111", "1110") == "0110"  # AND(OR, NAND) is XOR, the book's composition
    assert compose("1110", "0111", "1110") == "1001"  # NAND(OR, NAND) is XNOR
    assert compose("0101", "0011", "0101") == "0101"  # the second unit alone


# --- hand-built networks ----------------------------------------------------------------------------------------


def separable_weights(bits: str):
    """(w1, w2, b) with sigmoid(w1 x1 + w2 x2 + b) > 0.5 exactly on the rows where ``bits`` has 1, or None."""
    for w1, w2, b in itertools.product((-2, -1, 0, 1, 2), (-2, -1, 0, 1, 2), (-2.5, -1.5, -0.5, 0.5, 1.5, 2.5)):
        if all((w1 * x1 + w2 * x2 + b > 0) == (t == "1") for (x1, x2), t in zip(INPUTS, bits, strict=True)):
            return w1, w2, b
    return None


SEPARABLE = [bits for bits in NAMES if bits not in ("0110", "1001")]


def test_fourteen_functions_are_one_unit_and_xor_xnor_are_not():
    assert all(separable_weights(bits) is not None for bits in SEPARABLE) and len(SEPARABLE) == 14
    assert separable_weights("0110") is None and separable_weights("1001") is None


@pytest.mark.parametrize("bits", SEPARABLE)
def test_an_output_unit_of_each_separable_function_is_named(bits):
    """Hidden units copying x1 and x2 (h1 ≈ x1, h2 ≈ x2), and an output realising the function on them."""
    w1, w2, b = separable_weights(bits)
    net = network((2,), W1=[[20, 0], [0, 20]], b1=[-10, -10], W2=[[10 * w1], [10 * w2]], b2=[10 * b])
    h1, h2, out = explain(net)
    assert (h1.function, h2.function) == ("x1", "x2")
    assert out.is_output and (out.layer, out.index, out.name) == (2, 1, "output")
    assert out.bits == bits and out.of_inputs == NAMES[bits] and out.gate == gate_name(bits)
    assert out.of_units == function_name(bits, ("h1", "h2")) == out.function
    assert out.margin >= 0.49  # |w·x + b| >= 5 on every row: sigmoid within 0.007 of 0 or 1
    assert out.margin == pytest.approx(np.min(np.abs(np.array(out.activations) - 0.5)))


def hand_xor(output="AND", activation="sigmoid"):
    """The book's XOR: h1 = OR(x1, x2), h2 = NAND(x1, x2), output = AND(h1, h2) (NAND(h1, h2) gives XNOR)."""
    w2, b2 = {"AND": ([[20], [20]], [-30]), "NAND": ([[-20], [-20]], [30])}[output]
    if activation == "tanh":  # inputs to the output are -1 or 1: AND needs both on
        b2 = [-10] if output == "AND" else [10]
    return network((2,), activation, W1=[[20, -20], [20, -20]], b1=[-10, 30], W2=w2, b2=b2)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_the_books_xor_reads_as_or_nand_then_and(activation):
    h1, h2, out = explain(hand_xor("AND", activation))
    assert (h1.name, h1.layer, h1.index, h1.function, h1.gate) == ("h1", 1, 1, "x1 OR x2", "OR")
    assert (h2.name, h2.layer, h2.index, h2.function, h2.gate) == ("h2", 1, 2, "x1 NAND x2", "NAND")
    assert h1.of_units is None and h2.of_units is None  # layer 1 is read in x1, x2 only
    assert out.function == out.of_units == "h1 AND h2"
    assert out.of_inputs == "x1 XOR x2" and out.gate == "XOR"
    assert compose(out.of_units_bits, h1.bits, h2.bits) == out.bits == "0110"
    # every pre-activation is ±10 on the rows: the margin is sigmoid(10) − 0.5 (tanh(10)/2, the same scale)
    expected = sigmoid(np.array(10.0)) - 0.5 if activation == "sigmoid" else np.tanh(10.0) / 2
    assert h1.margin == pytest.approx(expected) and h2.margin == pytest.approx(expected)


def test_the_books_xnor_reads_as_nand_of_or_and_nand():
    h1, h2, out = explain(hand_xor("NAND"))
    assert (h1.function, h2.function, out.function, out.of_inputs) == (
        "x1 OR x2", "x1 NAND x2", "h1 NAND h2", "x1 XNOR x2")


def test_relu_units_read_by_half_their_largest_output():
    """relu(x1 − x2) + relu(x2 − x1), the relu XOR: each unit is 0 on three rows and 1 on one."""
    net = network((2,), "relu", W1=[[1, -1], [-1, 1]], b1=[0, 0], W2=[[20], [20]], b2=[-10])
    h1, h2, out = explain(net)
    assert (h1.function, h2.function) == ("x1 AND NOT x2", "NOT x1 AND x2")
    assert h1.margin == h2.margin == 0.5  # outputs exactly 0 or the largest
    assert out.function == "h1 OR h2" and out.of_inputs == "x1 XOR x2"
    # scaled: the same unit with outputs 0 or 3 reads the same, and its "on" corner is 3
    h1, h2, out = explain(network((2,), "relu", W1=[[3, -1], [-3, 1]], b1=[0, 0], W2=[[20 / 3], [20]], b2=[-10]))
    assert (h1.function, h2.function, out.function) == ("x1 AND NOT x2", "NOT x1 AND x2", "h1 OR h2")


def test_a_dead_relu_unit_is_false():
    h1, h2, _ = explain(network((2,), "relu", W1=[[-1, 1], [-1, 1]], b1=[0, 0], W2=[[1], [1]], b2=[0]))
    assert (h1.function, h1.bits, h1.margin) == ("FALSE", "0000", 0.5)
    # relu(x1 + x2) is 0, 1, 1, 2: graded, rows 01 and 10 exactly at half its largest output
    assert h2.function == UNCLEAR and h2.margin == 0.0


def test_an_output_near_half_is_unclear():
    # all parameters 0: every unit gives 0.5 on every row
    units = explain(network((2,), W1=np.zeros((2, 2)), b1=[0, 0], W2=[[0], [0]], b2=[0]))
    assert [(u.function, u.of_inputs, u.gate, u.margin) for u in units] == [(UNCLEAR, UNCLEAR, None, 0.0)] * 3
    assert units[2].of_units is None  # the units before it are unclear: no reading in their terms
    # one row in the middle makes the unit unclear; just outside the middle it is named
    for a01, clear in ((0.2, False), (-0.2, False), (0.5, True), (-0.5, True)):
        # h1's pre-activation on rows 00, 01, 10, 11: -10, a01, 10, 10 + a01 + 10
        (h1, _out) = explain(network((1,), W1=[[20], [10 + a01]], b1=[-10], W2=[[1]], b2=[0]))
        assert h1.clear is clear
        assert h1.bits == ("0111" if a01 > 0 else "0011")  # an unclear unit's bits still split at 0.5
        assert h1.margin == pytest.approx(abs(sigmoid(np.array(a01)) - 0.5))
        assert h1.function == (("x1 OR x2" if a01 > 0 else "x1") if clear else UNCLEAR)
    assert abs(sigmoid(np.array(0.5)) - 0.5) > UNCLEAR_MARGIN > abs(sigmoid(np.array(0.2)) - 0.5)


def test_a_unit_after_more_than_two_units_is_read_in_x1_and_x2():
    net = network((3,), W1=[[20, -20, 20], [20, -20, 20]], b1=[-10, 30, -30], W2=[[20], [20], [0]], b2=[-30])
    h1, h2, h3, out = explain(net)
    assert (h1.function, h2.function, h3.function) == ("x1 OR x2", "x1 NAND x2", "x1 AND x2")
    assert out.of_units is None and out.function == "x1 XOR x2"


def test_deeper_layers_name_their_own_units():
    assert unit_names((2,)) == [["h1", "h2"], ["output"]]
    assert unit_names((2, 3)) == [["h1.1", "h1.2"], ["h2.1", "h2.2", "h2.3"], ["output"]]
    # layer 1 the book's OR and NAND, layer 2 copies them (h2.1 = h1.1, h2.2 = h1.2), the output ANDs those
    net = network((2, 2), W1=[[20, -20], [20, -20]], b1=[-10, 30], W2=[[20, 0], [0, 20]], b2=[-10, -10],
                  W3=[[20], [20]], b3=[-30])
    units = explain(net)
    assert [(u.name, u.layer, u.index, u.function) for u in units] == [
        ("h1.1", 1, 1, "x1 OR x2"), ("h1.2", 1, 2, "x1 NAND x2"), ("h2.1", 2, 1, "h1.1"), ("h2.2", 2, 2, "h1.2"),
        ("output", 3, 1, "h2.1 AND h2.2")]
    assert [u.of_inputs for u in units[2:]] == ["x1 OR x2", "x1 NAND x2", "x1 XOR x2"]


def test_every_activation_has_a_reading():
    assert all(readable(key) for key in ACTIVATIONS)


# --- trained networks -----------------------------------------------------------------------------------------


def test_trained_xor_networks_read_as_a_composition_that_gives_xor():
    """Seeds 0..99 of the 2-2-1 XOR (backprop, the default learning rate): every one that solves it has two
    clearly named hidden units whose composition by the output's gate of them is XOR."""
    result = sweep(TrainConfig(gate="XOR", hidden=(2,), iterations=5000), 100)
    assert result.solved.sum() >= 50
    for seed in np.flatnonzero(result.solved):
        h1, h2, out = explain(Network((2,), params=result.params[seed]))
        assert h1.clear and h2.clear, seed
        assert out.of_inputs == "x1 XOR x2" and out.margin >= 0.4, seed  # solved: within 0.1 of each target
        assert out.of_units not in (None, UNCLEAR), seed
        assert out.function == function_name(out.of_units_bits, ("h1", "h2"))
        assert compose(out.of_units_bits, h1.bits, h2.bits) == "0110", seed
        assert bits_of(np.array(out.activations) > 0.5) == "0110"


# --- the command line ---------------------------------------------------------------------------------------


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "nn_core", "explain", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def test_explain_json():
    done = run_cli("--gate", "XOR", "--hidden", "2", "--iterations", "3000", "--json")
    assert done.returncode == 0 and done.stderr == "" and done.stdout.count("\n") == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["gate"] == "XOR" and report["hidden"] == 2 and report["iterations"] == 3000
    assert report["method"] == "backprop" and report["seed"] == 0
    units = report["units"]
    assert [(u["layer"], u["index"]) for u in units] == [(1, 1), (1, 2), (2, 1)]
    assert all({"layer", "index", "function", "margin"} <= set(u) and 0 <= u["margin"] <= 0.5 for u in units)
    # the same reading as the engine's of the same run
    trainer = Trainer(TrainConfig(gate="XOR", hidden=(2,), iterations=3000))
    trainer.run(grid=None)
    assert report["final_loss"] == trainer.loss()
    assert units == [unit.as_dict() for unit in explain(trainer.network)]
    h1, h2, out = units
    assert report["solved"] and out["of_inputs"] == "x1 XOR x2"
    assert out["function"] == out["of_units"] == function_name(out["of_units_bits"], ("h1", "h2"))
    assert compose(out["of_units_bits"], h1["bits"], h2["bits"]) == "0110"


def test_explain_text_has_one_line_per_unit():
    done = run_cli("--gate", "XOR", "--hidden", "2", "--iterations", "3000")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("XOR with backprop, 2 hidden") and "3,000 steps" in lines[0]
    units = [line for line in lines if "≈" in line]
    assert [line.split()[0] for line in units] == ["h1", "h2", "output"]
    assert all("margin 0." in line for line in units)
    assert "(of x1, x2: x1 XOR x2)" in units[2]


def test_explain_load_reads_the_saved_network(tmp_path):
    path = tmp_path / "run.json"
    saved = subprocess.run([sys.executable, "-m", "nn_core", "train", "--gate", "or", "--method", "backprop",
                            "--hidden", "2", "--iterations", "300", "--save", str(path)], capture_output=True,
                           text=True, cwd=ROOT, timeout=300)
    assert saved.returncode == 0, saved.stderr
    done = run_cli("--load", str(path), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["gate"] == "OR" and report["iterations"] == report["start_iteration"] == 300
    trainer = Trainer(TrainConfig(gate="OR", hidden=(2,), iterations=300))
    trainer.run(grid=None)
    assert report["units"] == [unit.as_dict() for unit in explain(trainer.network)]
    assert report["units"][2]["of_inputs"] == "x1 OR x2"


@pytest.mark.parametrize("argv", [
    ["--hidden", "0"], ["--gate", "xand"], ["--activation", "softplus"], ["--iterations", "-1"],
    ["--load", "no such file.json"], ["--lr", "nan", "--json"], ["--momentum", "0.9"],
])
def test_bad_argument_exits_2_with_one_line(argv):
    done = run_cli(*argv)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == "" and "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "error" in lines[0], done.stderr
