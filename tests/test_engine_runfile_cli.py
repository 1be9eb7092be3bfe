"""``python -m nn_core train --save/--load/--export-npz`` as a user runs it (subprocess): a loaded run goes
on bit for bit, flags given override the saved config, and a bad file or an override the saved run cannot
take exits 2 with one line on stderr, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nn_core import runfile
from nn_core.config import TrainConfig
from nn_core.trainer import Trainer

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "nn_core", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=300, env={**os.environ, "COLUMNS": "300"})


def run_json(*args) -> dict:
    done = run_cli(*args, "--json")
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and done.stdout.count("\n") == 1
    return json.loads(done.stdout)


def refused(*args, match: str) -> str:
    """Exit 2, nothing on stdout, one line on stderr containing ``match``; with --json too."""
    for extra in ((), ("--json",)):
        done = run_cli(*args, *extra)
        assert done.returncode == 2, (done.stdout, done.stderr)
        assert done.stdout == "" and "Traceback" not in done.stderr
        lines = done.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("python -m nn_core: error: "), done.stderr
        assert match in lines[0], lines[0]
    return lines[0]


TRAIN = ["train", "--gate", "xor", "--method", "backprop", "--lr", "0.05", "--hidden", "3,2", "--seed", "4"]


@pytest.mark.parametrize("optimizer", ["adam", "momentum", "sgd"])
def test_save_then_load_goes_on_exactly_as_one_long_run(tmp_path, optimizer):
    first, resumed, straight = tmp_path / "first.json", tmp_path / "resumed.json", tmp_path / "straight.json"
    run_json(*TRAIN, "--optimizer", optimizer, "--iterations", 150, "--save", first)
    report = run_json("train", "--load", first, "--iterations", 100, "--save", resumed)
    long = run_json(*TRAIN, "--optimizer", optimizer, "--iterations", 250, "--save", straight)
    assert resumed.read_bytes() == straight.read_bytes()
    assert report["iterations"] == 250 and report["start_iteration"] == 150 and long["start_iteration"] == 0
    assert report["outputs"] == long["outputs"] and report["final_loss"] == long["final_loss"]
    assert report["optimizer"] == optimizer and report["hidden"] == [3, 2]


def test_without_iterations_a_loaded_run_goes_on_to_its_saved_total(tmp_path):
    config = TrainConfig(gate="NAND", hidden=(2,), optimizer="nesterov", lr=0.3, iterations=240).validated()
    part = Trainer(config)
    part.run(until=90)  # stopped early, as the window's Stop does
    runfile.save(tmp_path / "part.json", runfile.from_trainer(part))
    report = run_json("train", "--load", tmp_path / "part.json", "--save", tmp_path / "done.json")
    whole = Trainer(config)
    whole.run()
    assert report["iterations"] == 240 and report["start_iteration"] == 90
    assert runfile.load(tmp_path / "done.json") == runfile.from_trainer(whole)


def test_flags_given_override_the_saved_config_and_the_rest_is_kept(tmp_path):
    saved = tmp_path / "saved.json"
    run_json("train", "--gate", "and", "--method", "forward", "--hidden", "3", "--activation", "tanh", "--seed", 7,
             "--lr", "0.5", "--optimizer", "momentum", "--momentum", "0.8", "--weight-decay", "0.01",
             "--iterations", 40, "--save", saved)
    # --lr 2 is the default value, but written out: it overrides the saved 0.5
    report = run_json("train", "--load", saved, "--lr", "2", "--gate", "or", "--iterations", 10,
                      "--save", tmp_path / "next.json")
    assert report["lr"] == 2.0 and report["gate"] == "OR"
    assert (report["method"], report["hidden"], report["activation"], report["seed"]) == ("forward", 3, "tanh", 7)
    assert report["optimizer_options"] == {"momentum": 0.8} and report["weight_decay"] == 0.01
    assert report["iterations"] == 50
    config = runfile.load(tmp_path / "next.json").config
    assert config == TrainConfig(gate="OR", method="forward", hidden=(3,), activation="tanh", seed=7, lr=2.0,
                                 optimizer="momentum", optimizer_options={"momentum": 0.8}, weight_decay=0.01,
                                 iterations=50).validated()
    # an optimizer whose state is the same (Nesterov's v) may take over; its momentum kept unless given
    report = run_json("train", "--load", saved, "--optimizer", "nesterov", "--iterations", 5)
    assert report["optimizer"] == "nesterov" and report["optimizer_options"] == {"momentum": 0.8}
    assert run_json("train", "--load", saved, "--momentum", "0.5", "--iterations", 0)["optimizer_options"] == {
        "momentum": 0.5}


def test_an_override_the_saved_run_cannot_take_is_refused(tmp_path):
    saved = tmp_path / "saved.json"
    run_json(*TRAIN, "--optimizer", "adam", "--iterations", 5, "--save", saved)
    refused("train", "--load", saved, "--hidden", "8",
            match=f"--load {saved}: hidden 8 does not fit the saved run's parameters (hidden 3,2)")
    refused("train", "--load", saved, "--optimizer", "sgd",
            match="the sgd optimizer (state: none) cannot go on from the saved adam state ('m', 'v', 'iter')")
    refused("train", "--load", saved, "--momentum", "0.5", match="momentum is not an option of the adam optimizer")
    refused("train", "--load", saved, "--iterations", 999_999_999,
            match="iterations must be a whole number from 0 to 1000000000, got 1000000004")


def test_a_bad_file_exits_2_with_one_line(tmp_path):
    good = tmp_path / "good.json"
    run_json(*TRAIN, "--optimizer", "adam", "--iterations", 5, "--save", good)
    text = good.read_text()
    cases = {
        "not json": ("hello", "not a GateLab run: not JSON"),
        "cut short": (text[: len(text) // 2], "the JSON ends too early"),
        "nan": (text.replace('"lr": 0.05', '"lr": NaN'), "NaN is not a number JSON allows"),
        "format": (text.replace("gatelab-run", "other"), "its format is 'other'"),
        "shape": (text.replace('"hidden": [\n   3,', '"hidden": [\n   4,'),
                  "params.W1 has shape (2, 3), the config needs (2, 4)"),
        "huge hidden": (text.replace('"hidden": [\n   3,', '"hidden": [\n   1000000000,'), "hidden units must be"),
        "iteration": (text.replace('"iteration": 5', '"iteration": -5'), "iteration must be a whole number"),
    }
    for name, (content, match) in cases.items():
        assert content != text, name
        bad = tmp_path / f"{name}.json"
        bad.write_text(content)
        line = refused("train", "--load", bad, match=match)
        assert line.startswith(f"python -m nn_core: error: {bad}: "), line
    refused("train", "--load", tmp_path / "missing.json",
            match=f"cannot read {tmp_path / 'missing.json'}: No such file or directory")
    refused("train", "--load", tmp_path, match="Is a directory")
    big = tmp_path / "big.json"
    with open(big, "wb") as file:
        file.truncate(runfile.MAX_BYTES + 1)
    refused("train", "--load", big, match="larger than 16 MB")


def test_gate_and_method_are_required_without_load_and_outputs_need_a_folder(tmp_path):
    refused("train", "--method", "backprop", match="the following arguments are required: --gate (or --load FILE)")
    refused("train", match="required: --gate, --method")
    refused(*TRAIN, "--save", tmp_path / "no" / "run.json", match=f"--save {tmp_path / 'no' / 'run.json'}: no folder")
    refused(*TRAIN, "--export-npz", tmp_path, match="is a folder")
    refused(*TRAIN, "--save", "", match="--save needs a file name")


def test_given_flags_tells_written_flags_from_defaults():
    from nn_core.cli import given_flags

    given = given_flags(["train", "--load", "x.json", "--lr=2", "--hid", "8", "--iterations", "20000", "--beta1",
                         "0.5", "--json"])
    assert given == {"command", "load", "lr", "hidden", "iterations", "beta1", "json"}
    assert given_flags(["train", "--load", "x.json"]) == {"command", "load"}


def test_a_write_that_fails_after_training_exits_1_with_one_line(tmp_path):
    path = tmp_path / ("x" * 300)  # the folder exists, but no file may have this long a name
    done = run_cli(*TRAIN, "--iterations", 5, "--save", path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [f"python -m nn_core: error: cannot write {path}: File name too long"]
    assert sorted(tmp_path.iterdir()) == []


def test_export_npz_from_the_command_line(tmp_path):
    run_json(*TRAIN, "--iterations", 30, "--save", tmp_path / "run.json", "--export-npz", tmp_path / "run.npz")
    run = runfile.load(tmp_path / "run.json")
    with np.load(tmp_path / "run.npz") as arrays:
        assert sorted(arrays) == ["W1", "W2", "W3", "b1", "b2", "b3"]
        for name, array in run.named_params().items():
            assert arrays[name].tobytes() == array.tobytes() and arrays[name].shape == array.shape


def test_help_says_what_load_and_iterations_mean():
    help_text = " ".join(run_cli("train", "--help").stdout.split())
    assert "--iterations N then means N more steps" in help_text
    assert "--save FILE" in help_text and "--export-npz FILE" in help_text
    assert "(required unless --load)" in help_text


def test_load_refuses_a_seed_or_init_other_than_the_saved_ones(tmp_path):
    saved = tmp_path / "run.json"
    run_json("train", "--gate", "XOR", "--method", "backprop", "--iterations", "20", "--save", saved)
    refused("train", "--load", saved, "--seed", "5", match="the seed and the initialisation choose a starting")
    refused("train", "--load", saved, "--init", "he", match="the seed and the initialisation choose a starting")
    assert run_json("train", "--load", saved, "--seed", "0", "--iterations", "5")["iterations"] == 25
