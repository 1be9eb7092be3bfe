"""``python -m nn_core``: the command-line contracts, run as a user runs them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nn_core.cli import norm_relative_error
from nn_core.config import TrainConfig
from nn_core.gates import GATES, targets
from nn_core.methods import METHODS
from nn_core.network import init_params
from nn_core.objective import Objective
from nn_core.sweep import sweep

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "nn_core", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def run_json(*args):
    """Runs with --json; stdout must be exactly one JSON object and nothing else."""
    done = run_cli(*args, "--json")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.endswith("\n") and done.stdout.count("\n") == 1
    report = json.loads(done.stdout)  # raises on any extra text
    assert isinstance(report, dict)
    return report


def param_count(hidden):
    return 2 * hidden + hidden + hidden + 1


TRAIN_FIELDS = {"gate", "method", "hidden", "lr", "seed", "iterations", "final_loss", "seconds", "us_per_step",
                "loss_evals_per_step", "diverged", "solved", "outputs", "targets"}
BENCH_FIELDS = {"gate", "iterations", "seed", "hidden", "results"}
BENCH_RESULT_FIELDS = {"method", "seconds", "us_per_step", "loss_evals_per_step", "final_loss", "solved"}
GRADCHECK_FIELDS = {"gate", "seed", "hidden", "params", "loss", "gradients", "max_rel_error", "norm_rel_error"}
SWEEP_FIELDS = {"gate", "method", "hidden", "iterations", "seeds", "solved", "failed_seeds", "seconds"}


# --- train -----------------------------------------------------------------------------------

@pytest.mark.parametrize("key", list(METHODS))
def test_train_json(key):
    report = run_json("train", "--gate", "nand", "--method", key, "--iterations", "60", "--seed", "3",
                      "--hidden", "5", "--lr", "1.5", "--h", "1e-3")
    assert TRAIN_FIELDS <= set(report)
    assert report["gate"] == "NAND" and report["method"] == key
    assert report["hidden"] == 5 and report["lr"] == 1.5 and report["seed"] == 3 and report["iterations"] == 60
    assert report["loss_evals_per_step"] == METHODS[key].loss_evals(param_count(5))
    assert report["diverged"] is False and isinstance(report["solved"], bool)
    assert report["seconds"] >= 0 and report["us_per_step"] > 0
    assert 0 <= report["final_loss"] < 10
    assert len(report["outputs"]) == 4 and all(0 <= y <= 1 for y in report["outputs"])
    assert report["targets"] == [1, 1, 1, 0]  # truth-table order


def test_train_defaults_follow_the_contract():
    report = run_json("train", "--gate", "AND", "--method", "backprop")
    assert report["iterations"] == 20_000 and report["seed"] == 0
    assert report["hidden"] == TrainConfig().hidden[0] and report["lr"] == TrainConfig().lr
    assert report["solved"] is True


@pytest.mark.parametrize("spelling", ["xor", "Xor", "XOR", "xOr"])
def test_gate_names_are_case_insensitive(spelling):
    report = run_json("train", "--gate", spelling, "--method", "backprop", "--iterations", "5")
    assert report["gate"] == "XOR" and report["targets"] == [0, 1, 1, 0]


def test_every_gate_trains_with_its_truth_table():
    for gate, table in GATES.items():
        report = run_json("train", "--gate", gate.lower(), "--method", "Backprop", "--iterations", "0")
        assert report["gate"] == gate and report["targets"] == list(table)
        assert report["iterations"] == 0 and report["diverged"] is False


def test_train_text_output():
    done = run_cli("train", "--gate", "or", "--method", "backprop", "--iterations", "3000")
    assert done.returncode == 0, done.stderr
    assert "OR with backprop" in done.stdout and "1 1 -> " in done.stdout
    assert "solved" in done.stdout
    with pytest.raises(json.JSONDecodeError):
        json.loads(done.stdout)


def test_verbose_logs_on_stderr_and_keeps_stdout_json():
    done = run_cli("train", "--gate", "xor", "--method", "backprop", "--iterations", "10", "--json", "--verbose")
    assert done.returncode == 0
    assert json.loads(done.stdout)["iterations"] == 10
    assert "DEBUG" in done.stderr


# --- bench ------------------------------------------------------------------------------------

def test_bench_json_has_every_method_by_default():
    report = run_json("bench", "--gate", "and", "--iterations", "200", "--sweep-seeds", "5")
    assert BENCH_FIELDS <= set(report)
    assert report["gate"] == "AND" and report["iterations"] == 200 and report["seed"] == 0
    assert report["hidden"] == TrainConfig().hidden[0]
    assert [r["method"] for r in report["results"]] == list(METHODS)
    for r in report["results"]:
        assert BENCH_RESULT_FIELDS <= set(r)
        assert r["loss_evals_per_step"] == METHODS[r["method"]].loss_evals(param_count(report["hidden"]))
        assert r["seconds"] > 0 and r["us_per_step"] > 0
        assert np.isfinite(r["final_loss"]) and isinstance(r["solved"], bool)


def test_bench_methods_subset_in_the_given_order():
    report = run_json("bench", "--iterations", "200", "--sweep-seeds", "5", "--methods", "Backprop,staged",
                      "--hidden", "3", "--seed", "2")
    assert [r["method"] for r in report["results"]] == ["backprop", "staged"]
    assert report["hidden"] == 3 and report["seed"] == 2 and report["gate"] == "XOR"


def test_bench_text_table():
    done = run_cli("bench", "--iterations", "200", "--sweep-seeds", "5")
    assert done.returncode == 0, done.stderr
    for key in METHODS:
        assert key in done.stdout
    assert "sweep of 5 seeds" in done.stdout


# --- gradcheck --------------------------------------------------------------------------------

def shape_of(nested):
    shape = []
    while isinstance(nested, list):
        shape.append(len(nested))
        nested = nested[0]
    return tuple(shape)


@pytest.mark.parametrize("hidden", [1, 4, 9])
def test_gradcheck_json(hidden):
    report = run_json("gradcheck", "--gate", "xor", "--seed", "5", "--hidden", str(hidden))
    assert GRADCHECK_FIELDS <= set(report)
    assert report["gate"] == "XOR" and report["seed"] == 5 and report["hidden"] == hidden
    shapes = {"W1": (2, hidden), "b1": (hidden,), "W2": (hidden, 1), "b2": (1,)}
    assert {k: shape_of(v) for k, v in report["params"].items()} == shapes
    assert set(report["gradients"]) == set(report["max_rel_error"]) == set(report["norm_rel_error"]) == set(METHODS)
    for key, grads in report["gradients"].items():
        assert {k: shape_of(v) for k, v in grads.items()} == shapes, key

    # the seeded initial parameters, and the same numbers this process computes
    flat = np.concatenate([np.ravel(report["params"][k]) for k in ("W1", "b1", "W2", "b2")])
    assert np.array_equal(flat, init_params((hidden,), 5))
    objective = Objective(flat.copy(), (hidden,), targets("XOR"))
    assert report["loss"] == float(objective.loss())
    backprop = np.concatenate([np.ravel(report["gradients"]["backprop"][k]) for k in ("W1", "b1", "W2", "b2")])
    assert np.array_equal(backprop, METHODS["backprop"].gradient(objective, 1e-4))

    errors = report["max_rel_error"]
    assert errors["backprop"] == 0
    assert errors["central"] < 1e-6 and errors["vectorized"] < 1e-6
    assert errors["forward"] < 1e-2 and errors["staged"] < 1e-2
    assert report["norm_rel_error"]["backprop"] == 0


def flat_gradient(report, key):
    return np.concatenate([np.ravel(report["gradients"][key][k]) for k in ("W1", "b1", "W2", "b2")])


def test_gradcheck_norm_wise_error_is_not_alarmed_by_a_near_zero_component():
    # Seed 6: one component of the gradient is ~4e-5, so forward's O(h) error is 0.1 of it,
    # while over the whole gradient forward is off by about 1e-3 of its length.
    report = run_json("gradcheck", "--seed", "6")
    largest, norm_wise = report["max_rel_error"], report["norm_rel_error"]
    for key in ("forward", "staged"):
        assert largest[key] > 0.1, key
        assert norm_wise[key] < 2e-3 and largest[key] > 50 * norm_wise[key], key
    for key in ("central", "vectorized"):
        assert norm_wise[key] < 1e-8, key
    assert norm_wise["backprop"] == 0

    # the formula, recomputed from the gradients the report carries
    backprop = flat_gradient(report, "backprop")
    for key in METHODS:
        g = flat_gradient(report, key)
        expected = np.linalg.norm(g - backprop) / max(np.linalg.norm(g), np.linalg.norm(backprop))
        assert norm_wise[key] == pytest.approx(expected, rel=1e-12), key

    # forward's error is of order h: a ten times smaller h makes it about ten times smaller
    finer = run_json("gradcheck", "--seed", "6", "--h", "1e-5")["norm_rel_error"]
    assert 5 < norm_wise["forward"] / finer["forward"] < 20


def test_norm_relative_error_of_equal_and_zero_gradients():
    g = np.array([3.0, -4.0])
    assert norm_relative_error(g, g) == 0
    assert norm_relative_error(np.zeros(3), np.zeros(3)) == 0
    assert norm_relative_error(g, np.zeros(2)) == 1  # a gradient that is all wrong
    assert norm_relative_error(g, g * 1.01) == pytest.approx(0.01 / 1.01)


def test_gradcheck_shows_what_a_tiny_h_does():
    default = run_json("gradcheck", "--hidden", "4")["max_rel_error"]
    tiny = run_json("gradcheck", "--hidden", "4", "--h", "1e-12")["max_rel_error"]
    assert tiny["forward"] > 10 * default["forward"]
    assert tiny["central"] > 10 * default["central"]


def test_gradcheck_text():
    done = run_cli("gradcheck", "--seed", "6")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "max relative error" in lines[1] and "norm-wise relative error" in lines[1]
    rows = {line.split()[0]: line.split()[1:] for line in lines[2:2 + len(METHODS)]}
    assert set(rows) == set(METHODS)
    report = run_json("gradcheck", "--seed", "6")
    for key, (largest, norm_wise) in rows.items():
        assert float(largest) == pytest.approx(report["max_rel_error"][key], rel=0.01, abs=1e-300)
        assert float(norm_wise) == pytest.approx(report["norm_rel_error"][key], rel=0.01, abs=1e-300)
    assert lines[-1].startswith("Read the norm-wise column")


# --- sweep ------------------------------------------------------------------------------------

def test_sweep_json_matches_the_engine():
    report = run_json("sweep", "--gate", "Xor", "--method", "backprop", "--seeds", "12", "--iterations", "2000",
                      "--hidden", "2")
    assert SWEEP_FIELDS <= set(report)
    assert report["gate"] == "XOR" and report["method"] == "backprop" and report["hidden"] == 2
    assert report["iterations"] == 2000 and report["seeds"] == 12
    result = sweep(TrainConfig(gate="XOR", hidden=(2,), iterations=2000), 12)
    assert report["solved"] == int(result.solved.sum())
    assert report["failed_seeds"] == result.failed_seeds
    assert report["solved"] + len(report["failed_seeds"]) == 12
    assert report["seconds"] >= 0


def test_sweep_seed_s_is_train_seed_s():
    report = run_json("sweep", "--gate", "xor", "--seeds", "6", "--iterations", "1500", "--hidden", "2")
    for seed in range(6):
        single = run_json("train", "--gate", "xor", "--method", "backprop", "--seed", str(seed), "--iterations",
                          "1500", "--hidden", "2")
        assert single["solved"] == (seed not in report["failed_seeds"])


def test_sweep_text():
    done = run_cli("sweep", "--seeds", "3", "--iterations", "100")
    assert done.returncode == 0, done.stderr
    assert "of 3 seeds solved" in done.stdout


# --- bad arguments: status 2, one line, no traceback ---------------------------------------------

TRAIN = ["train", "--gate", "xor", "--method", "backprop", "--iterations", "5"]
BAD = {
    "unknown gate": ["train", "--gate", "xand", "--method", "backprop"],
    "unknown method": ["train", "--gate", "xor", "--method", "newton"],
    "lr 0": [*TRAIN, "--lr", "0"],
    "lr -1": [*TRAIN, "--lr", "-1"],
    "lr nan": [*TRAIN, "--lr", "nan"],
    "lr inf": [*TRAIN, "--lr", "inf"],
    "lr -inf": [*TRAIN, "--lr=-inf"],
    "lr abc": [*TRAIN, "--lr", "abc"],
    "lr empty": [*TRAIN, "--lr", ""],
    "lr above max": [*TRAIN, "--lr", "1e7"],
    "hidden 0": [*TRAIN, "--hidden", "0"],
    "hidden -2": [*TRAIN, "--hidden", "-2"],
    "hidden 1.5": [*TRAIN, "--hidden", "1.5"],
    "hidden above max": [*TRAIN, "--hidden", "65"],
    "iterations -1": [*TRAIN, "--iterations", "-1"],
    "iterations abc": [*TRAIN, "--iterations", "abc"],
    "iterations above max": [*TRAIN, "--iterations", "2000000000"],
    "h 0": [*TRAIN, "--h", "0"],
    "h negative": [*TRAIN, "--h=-1e-4"],
    "h nan": [*TRAIN, "--h", "nan"],
    "h too big": [*TRAIN, "--h", "1"],
    "h too small": [*TRAIN, "--h", "1e-13"],
    "seed -1": [*TRAIN, "--seed", "-1"],
    "train without gate": ["train", "--method", "backprop"],
    "train without method": ["train", "--gate", "xor"],
    "sweep seeds 0": ["sweep", "--seeds", "0", "--iterations", "5"],
    "sweep seeds -3": ["sweep", "--seeds", "-3", "--iterations", "5"],
    "sweep seeds abc": ["sweep", "--seeds", "abc"],
    "sweep unknown method": ["sweep", "--method", "sgd"],
    "sweep unknown gate": ["sweep", "--gate", "maybe"],
    "bench unknown method": ["bench", "--methods", "backprop,newton", "--iterations", "5"],
    "bench no methods": ["bench", "--methods", ",", "--iterations", "5"],
    "bench empty methods": ["bench", "--methods", "", "--iterations", "5"],
    "bench zero iterations": ["bench", "--iterations", "0"],
    "bench sweep seeds 0": ["bench", "--sweep-seeds", "0", "--iterations", "5"],
    "bench unknown gate": ["bench", "--gate", "nand3"],
    "gradcheck h 0": ["gradcheck", "--h", "0"],
    "gradcheck hidden 0": ["gradcheck", "--hidden", "0"],
    "gradcheck unknown gate": ["gradcheck", "--gate", "nope"],
    "no command": [],
    "unknown command": ["fly"],
    "unknown option": [*TRAIN, "--momentum", "0.9"],
}


# with --json too: a script gets the same one line on stderr and nothing on stdout
JSON_CASES = ["unknown gate", "lr nan", "hidden 0", "iterations -1", "h 0", "sweep seeds 0", "bench unknown method",
              "bench zero iterations", "gradcheck h 0"]


@pytest.mark.parametrize("argv", [*BAD.values(), *([*BAD[k], "--json"] for k in JSON_CASES)],
                         ids=[*BAD, *(f"{k} --json" for k in JSON_CASES)])
def test_bad_argument_exits_2_with_one_line(argv):
    done = run_cli(*argv)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].strip(), done.stderr
    assert "error" in lines[0]


def test_bad_value_is_named_in_the_message():
    assert "learning rate" in run_cli(*TRAIN, "--lr", "nan").stderr
    assert "'xand'" in run_cli("train", "--gate", "xand", "--method", "backprop").stderr
    assert "newton" in run_cli("bench", "--methods", "newton").stderr


def test_help_gives_each_number_setting_its_range():
    result = subprocess.run([sys.executable, "-m", "nn_core", "train", "--help"], capture_output=True, text=True,
                            timeout=180, env={**os.environ, "COLUMNS": "300"})
    from nn_core import config

    for setting in (config.LR, config.H, config.SEED, config.ITERATIONS, config.WEIGHT_DECAY):
        assert setting.describe() in result.stdout, setting.name


def test_a_sweep_has_a_largest_stack():
    result = subprocess.run([sys.executable, "-m", "nn_core", "sweep", "--seeds", "1000000000"], capture_output=True,
                            text=True, timeout=180)
    assert result.returncode == 2 and result.stderr.strip().splitlines() == [
        "python -m nn_core sweep: error: argument --seeds: seeds must be a whole number from 1 to 100000, "
        "got 1000000000"]


def test_a_sweep_too_large_for_memory_is_refused_before_any_allocation():
    for args in (("sweep", "--seeds", "100000", "--hidden", "64,64,64"),
                 ("bench", "--sweep-seeds", "100000", "--hidden", "64,64,64", "--iterations", "1")):
        done = run_cli(*args)
        assert done.returncode == 2 and done.stdout == "" and done.stderr.count("\n") == 1, done.stderr
        assert "GiB in each copy of the stack" in done.stderr and "use fewer seeds" in done.stderr
