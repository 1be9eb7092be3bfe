"""``sweep``'s steps to solved: each seed's first solved check, against single runs checked at the same steps,
the median, the unsolved, and the command line's report of them."""

import json
import statistics
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import nn_core.sweep as sweep_module
from nn_core.config import TrainConfig
from nn_core.sweep import DEFAULT_CHECK_EVERY, SweepResult, sweep
from nn_core.trainer import Trainer

ROOT = Path(__file__).resolve().parents[1]


def first_solved_single(config: TrainConfig, check_every: int) -> int | None:
    """A single ``Trainer`` run, checked at step 0, every ``check_every`` steps and after the last: the first
    step at which it is solved, or None if it never is."""
    trainer = Trainer(config)
    if trainer.solved():
        return 0
    for step in range(1, config.iterations + 1):
        assert trainer.step(), "these settings must not diverge"
        if (step % check_every == 0 or step == config.iterations) and trainer.solved():
            return step
    return None


CASES = {
    # width 2: some seeds never solve XOR; 130 is not a multiple of 20, so the last check is a partial chunk
    "sgd width 2": (TrainConfig(gate="XOR", hidden=(2,), iterations=1300), 20, 8),
    "adam relu": (TrainConfig(gate="XOR", activation="relu", optimizer="adam", lr=0.05, iterations=400), 10, 6),
    "momentum tanh 3x3": (TrainConfig(gate="XNOR", hidden=(3, 3), activation="tanh", optimizer="momentum", lr=0.1,
                                      iterations=330), 50, 5),
}


@pytest.mark.parametrize("case", list(CASES))
def test_steps_to_solved_are_the_single_runs_first_solved_checks(case):
    config, check_every, seeds = CASES[case]
    result = sweep(replace(config, seed=77), seeds, check_every=check_every)  # sweep ignores config.seed
    singles = [first_solved_single(replace(config, seed=s), check_every) for s in range(seeds)]
    assert result.check_every == check_every
    for s in range(seeds):
        # A seed solved at the end was solved first where its single run first was; one not solved is None.
        assert result.steps_to_solved[s] == (singles[s] if result.solved[s] else None)
        assert (result.first_solved[s] >= 0) == (singles[s] is not None)
    assert any(step is not None for step in result.steps_to_solved)


def test_width_2_has_unsolved_seeds_and_they_are_null():
    result = sweep(TrainConfig(gate="XOR", hidden=(2,), iterations=1500), 20, check_every=50)
    assert 0 < len(result.failed_seeds) < 20
    for s, step in enumerate(result.steps_to_solved):
        if s in result.failed_seeds:
            assert step is None
        else:
            assert isinstance(step, int) and 0 < step <= 1500 and step % 50 == 0


def test_the_median_is_the_median_of_the_solved_seeds():
    result = sweep(TrainConfig(gate="XOR", hidden=(2,), iterations=1500), 20, check_every=10)
    steps = sorted(step for step in result.steps_to_solved if step is not None)
    assert len(steps) >= 2
    middle = len(steps) // 2
    expected = steps[middle] if len(steps) % 2 else (steps[middle - 1] + steps[middle]) / 2
    assert result.median_steps_to_solved == expected


def test_no_solved_seed_has_no_median():
    result = sweep(TrainConfig(gate="XOR", iterations=0), 4)
    assert result.steps_to_solved == [None] * 4 and result.median_steps_to_solved is None


def test_a_seed_solved_then_lost_is_null_and_listed():
    empty = np.zeros((3, 1))
    result = SweepResult(TrainConfig(), 3, empty, empty, solved=np.array([True, False, False]),
                         diverged=np.zeros(3, bool), seconds=0.0, check_every=50,
                         first_solved=np.array([150, 100, -1]), losses=np.zeros(3))
    assert result.steps_to_solved == [150, None, None]
    assert result.solved_then_lost_seeds == [1]
    assert result.median_steps_to_solved == 150


def test_the_check_runs_once_per_check_every_steps(monkeypatch):
    calls = []
    real = sweep_module._solved_now
    monkeypatch.setattr(sweep_module, "_solved_now", lambda *a: calls.append(1) or real(*a))
    sweep(TrainConfig(iterations=1030), 3, check_every=100)
    assert len(calls) == 1 + 10 + 1  # step 0, steps 100..1000, and the last step 1030
    calls.clear()
    sweep(TrainConfig(iterations=1000), 3)
    assert len(calls) == 1 + 1000 // DEFAULT_CHECK_EVERY


@pytest.mark.parametrize("bad", [0, -5, 2.5])
def test_check_every_must_be_a_whole_number_from_1(bad):
    with pytest.raises(ValueError, match="check every must be a whole number from 1"):
        sweep(TrainConfig(iterations=10), 2, check_every=bad)


# --- the command line -------------------------------------------------------------------------

def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "nn_core", "sweep", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def test_json_carries_steps_to_solved_and_its_median():
    done = run_cli("--gate", "xor", "--hidden", "2", "--seeds", "12", "--iterations", "1500", "--json")
    assert done.returncode == 0 and done.stderr == ""
    report = json.loads(done.stdout)
    result = sweep(TrainConfig(gate="XOR", hidden=(2,), iterations=1500), 12)
    assert report["check_every"] == DEFAULT_CHECK_EVERY
    assert report["steps_to_solved"] == result.steps_to_solved
    assert report["median_steps_to_solved"] == statistics.median(s for s in report["steps_to_solved"] if s is not None)
    assert [s for s, step in enumerate(report["steps_to_solved"]) if step is None] == report["failed_seeds"]
    assert report["solved_then_lost_seeds"] == result.solved_then_lost_seeds
    assert {"gate", "method", "hidden", "iterations", "seeds", "solved", "failed_seeds", "seconds",
            "diverged_seeds"} <= set(report)


def test_text_gives_the_median_and_its_resolution():
    done = run_cli("--gate", "xor", "--hidden", "2", "--seeds", "12", "--iterations", "1500")
    assert done.returncode == 0, done.stderr
    median = sweep(TrainConfig(gate="XOR", hidden=(2,), iterations=1500), 12).median_steps_to_solved
    assert f"median steps to solved: {median:,g} (checked every {DEFAULT_CHECK_EVERY} steps" in done.stdout


def test_relu_adam_at_lr_2_reports_no_nan():
    done = run_cli("--activation", "relu", "--optimizer", "adam", "--lr", "2", "--seeds", "20", "--iterations",
                   "3000", "--json")
    assert done.returncode == 0 and done.stderr == ""
    report = json.loads(done.stdout, parse_constant=lambda name: pytest.fail(f"{name} in the report"))
    assert report["solved"] + len(report["failed_seeds"]) == 20
    assert report["median_steps_to_solved"] is None or report["median_steps_to_solved"] > 0
    text = run_cli("--activation", "relu", "--optimizer", "adam", "--lr", "2", "--seeds", "20", "--iterations", "3000")
    assert text.returncode == 0 and text.stderr == "" and "nan" not in text.stdout.lower()


def test_a_seed_solved_early_then_lost_is_reported():
    # relu with momentum at lr 2: seed 52 is solved by step 20, then its units die and it ends at 0.5 everywhere
    args = ("--activation", "relu", "--optimizer", "momentum", "--lr", "2", "--seeds", "53", "--iterations", "100")
    report = json.loads(run_cli(*args, "--json").stdout)
    assert 52 in report["solved_then_lost_seeds"] and 52 in report["failed_seeds"]
    assert report["steps_to_solved"][52] is None
    assert first_solved_single(TrainConfig(gate="XOR", activation="relu", optimizer="momentum", lr=2, seed=52,
                                           iterations=100), 10) == 20
    text = run_cli(*args).stdout
    lost = report["solved_then_lost_seeds"]
    assert f"solved at a check but not at the end ({len(lost)}): {' '.join(map(str, lost))}" in text


def test_the_check_interval_is_a_command_line_option_with_its_range():
    run = [sys.executable, "-m", "nn_core", "sweep", "--seeds", "3", "--iterations", "200"]
    good = subprocess.run([*run, "--check-every", "50", "--json"], capture_output=True, text=True, timeout=180)
    assert good.returncode == 0, good.stderr
    report = json.loads(good.stdout)
    assert report["check_every"] == 50
    assert all(step is None or step % 50 == 0 for step in report["steps_to_solved"])
    bad = subprocess.run([*run, "--check-every", "0"], capture_output=True, text=True, timeout=180)
    assert bad.returncode == 2 and bad.stderr.strip().splitlines() == [
        "python -m nn_core sweep: error: argument --check-every: check every must be a whole number from 1 to "
        "1000000000, got 0"]
