"""Chapter 6 on ``python -m nn_core``: one declaration of the network and training options for
train, bench, gradcheck and sweep, built from the registries; the new report fields; any truth
table; and bad values, each refused with status 2 and one line."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nn_core import cli
from nn_core.activations import ACTIVATIONS
from nn_core.gates import GATES, TRUTH_TABLES
from nn_core.initializers import INITIALIZERS
from nn_core.methods import METHODS
from nn_core.network import Network, init_params
from nn_core.objective import Objective
from nn_core.optimizers import OPTIMIZERS

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {"train": ["train", "--gate", "xor", "--method", "backprop", "--iterations", "20"],
            "bench": ["bench", "--iterations", "20", "--sweep-seeds", "2", "--methods", "backprop,central"],
            "gradcheck": ["gradcheck"],
            "sweep": ["sweep", "--seeds", "3", "--iterations", "20"]}
TIMING = {"seconds", "us_per_step"}


def run(capsys, *argv):
    """``python -m nn_core ... --json`` in process: the report."""
    assert cli.main([*argv, "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.count("\n") == 1
    return json.loads(out)


def refused(capsys, *argv):
    """The one line a bad argument gets, after checking status 2 and nothing on stdout."""
    with pytest.raises(SystemExit) as exit_:
        cli.main(list(argv))
    out, err = capsys.readouterr()
    assert exit_.value.code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and "error" in lines[0], err
    return lines[0]


def every_option_flag():
    return {option.flag: (option, key) for key, cls in OPTIMIZERS.items() for option in cls.options}


# --- one declaration for every subcommand --------------------------------------------------------

@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_subcommand_takes_the_network_and_training_options(command):
    parser = cli.build_parser()
    for activation in ACTIVATIONS:
        for init in INITIALIZERS:
            for optimizer in OPTIMIZERS:
                args = parser.parse_args([*COMMANDS[command], "--hidden", "8,4", "--activation", activation.upper(),
                                          "--init", init, "--optimizer", optimizer, "--weight-decay", "0.01",
                                          "--lr", "0.5", "--h", "1e-3"])
                config = cli.run_config(args)
                assert (config.hidden, config.activation, config.init, config.optimizer) == \
                    ((8, 4), activation, init, optimizer)
                assert config.weight_decay == 0.01 and config.lr == 0.5 and config.h == 1e-3
    for flag, (option, _key) in every_option_flag().items():
        args = parser.parse_args([*COMMANDS[command], flag, str(option.default)])
        assert getattr(args, option.name) == option.default


@pytest.mark.parametrize("command", ["train", "sweep"])
def test_help_lists_every_registry_entry_and_option(command):
    done = subprocess.run([sys.executable, "-m", "nn_core", command, "--help"], capture_output=True, text=True,
                          cwd=ROOT, timeout=60, env={"COLUMNS": "200", "PATH": ""})
    assert done.returncode == 0
    for key in [*ACTIVATIONS, *INITIALIZERS, *OPTIMIZERS, *every_option_flag(), "--weight-decay", "--hidden"]:
        assert key in done.stdout, key


# --- train --json ----------------------------------------------------------------------------------

def test_train_json_carries_the_new_fields(capsys):
    report = run(capsys, "train", "--gate", "and", "--method", "backprop", "--iterations", "30")
    assert report["activation"] == "sigmoid" and report["init"] == "xavier" and report["optimizer"] == "sgd"
    assert report["weight_decay"] == 0.0 and report["optimizer_options"] == {} and report["hidden"] == 4
    assert report["gate"] == "AND" and report["gate_bits"] == "0001"


@pytest.mark.parametrize("key", list(OPTIMIZERS))
def test_each_optimizer_option_reaches_the_run(key, capsys):
    cls = OPTIMIZERS[key]
    argv = ["train", "--gate", "0110", "--method", "backprop", "--iterations", "30", "--optimizer", key,
            "--activation", "tanh", "--init", "he", "--hidden", "3,2", "--weight-decay", "0.001", "--lr", "0.05"]
    report = run(capsys, *argv)
    assert report["optimizer"] == key and report["optimizer_options"] == {o.name: o.default for o in cls.options}
    assert report["hidden"] == [3, 2] and report["activation"] == "tanh" and report["init"] == "he"
    assert report["weight_decay"] == 0.001 and report["lr"] == 0.05 and report["gate"] == "XOR"
    changed = {o.name: (o.low + o.high) / 2 for o in cls.options}
    flags = [str(part) for o in cls.options for part in (o.flag, changed[o.name])]
    other = run(capsys, *argv, *flags)
    assert other["optimizer_options"] == changed
    if cls.options:  # a different hyper-parameter, a different run
        assert other["final_loss"] != report["final_loss"]


def test_a_gate_as_bits_is_the_gate_by_name_to_the_bit(capsys):
    for name, bits in GATES.items():
        by_bits = run(capsys, "train", "--gate", "".join(map(str, bits)), "--method", "backprop", "--iterations", "500")
        by_name = run(capsys, "train", "--gate", name.lower(), "--method", "backprop", "--iterations", "500")
        assert {k: v for k, v in by_bits.items() if k not in TIMING} == \
            {k: v for k, v in by_name.items() if k not in TIMING}
        assert by_bits["gate"] == name


def test_all_sixteen_truth_tables_train_and_report_their_name(capsys):
    for name, bits in TRUTH_TABLES.items():
        report = run(capsys, "train", "--gate", "".join(map(str, bits)), "--method", "backprop")
        assert report["gate"] == name and report["targets"] == list(bits)
        assert report["solved"] is True, name
    done = subprocess.run([sys.executable, "-m", "nn_core", "train", "--gate", "0010", "--method", "backprop",
                           "--iterations", "3000"], capture_output=True, text=True, cwd=ROOT, timeout=180)
    assert done.returncode == 0 and done.stdout.startswith("x1 AND NOT x2 with backprop") and "solved" in done.stdout


# --- the other subcommands -------------------------------------------------------------------------

def test_gradcheck_checks_the_network_of_the_options(capsys):
    report = run(capsys, "gradcheck", "--activation", "tanh", "--init", "he", "--hidden", "3,2", "--seed", "4")
    assert report["hidden"] == [3, 2] and set(report["params"]) == {"W1", "b1", "W2", "b2", "W3", "b3"}
    params = init_params((3, 2), 4, "he")
    assert np.array_equal(np.concatenate([np.ravel(report["params"][k]) for k in report["params"]]), params)
    objective = Objective(params.copy(), (3, 2), np.array([[0.0], [1.0], [1.0], [0.0]]), activation="tanh")
    backprop = METHODS["backprop"].gradient(objective, 1e-4)
    assert np.allclose(np.concatenate([np.ravel(report["gradients"]["backprop"][k]) for k in report["params"]]),
                       backprop, rtol=1e-12, atol=0)
    assert report["max_rel_error"]["central"] < 1e-6
    sigmoid = Network((3, 2), 4, init="he").params
    assert report["loss"] != Objective(sigmoid, (3, 2), np.array([[0.0], [1.0], [1.0], [0.0]])).loss()


def test_sweep_and_bench_train_with_the_options(capsys):
    options = ["--optimizer", "momentum", "--momentum", "0.5", "--activation", "relu", "--hidden", "4,4",
               "--lr", "0.1", "--weight-decay", "0.0001"]
    report = run(capsys, "sweep", "--gate", "1101", "--seeds", "4", "--iterations", "2000", *options)
    assert report["gate"] == "IMPLY" and report["hidden"] == [4, 4] and report["optimizer"] == "momentum"
    assert report["optimizer_options"] == {"momentum": 0.5} and report["activation"] == "relu"
    single = run(capsys, "train", "--gate", "IMPLY", "--method", "backprop", "--seed", "2", "--iterations", "2000",
                 *options)
    assert single["solved"] == (2 not in report["failed_seeds"])
    bench = run(capsys, "bench", "--iterations", "50", "--sweep-seeds", "2", "--methods", "backprop,staged",
                *options)
    assert bench["optimizer"] == "momentum" and bench["hidden"] == [4, 4] and bench["activation"] == "relu"
    assert [r["method"] for r in bench["results"]] == ["backprop", "staged"]


# --- bad values: status 2, one line -----------------------------------------------------------------

BAD = {
    "unknown activation": (["--activation", "softplus"], "unknown activation"),
    "unknown init": (["--init", "zeros"], "unknown initialisation"),
    "unknown optimizer": (["--optimizer", "lbfgs"], "unknown optimizer"),
    "negative decay": (["--weight-decay", "-0.01"], "weight decay"),
    "nan decay": (["--weight-decay", "nan"], "weight decay"),
    "text decay": (["--weight-decay", "lots"], "weight decay must be a number from 0"),
    "empty hidden": (["--hidden", ""], "hidden layers"),
    "hidden trailing comma": (["--hidden", "4,"], "hidden layers"),
    "hidden double comma": (["--hidden", "4,,4"], "hidden layers"),
    "hidden not a number": (["--hidden", "4,x"], "hidden layers"),
    "four hidden layers": (["--hidden", "2,2,2,2"], "at most 3 hidden layers"),
    "hidden layer of 0": (["--hidden", "4,0"], "hidden units must be"),
    "hidden layer of 65": (["--hidden", "65,4"], "hidden units must be"),
    "gate of 3 bits": (["--gate", "011"], "unknown gate '011'"),
    "gate of 5 bits": (["--gate", "01101"], "unknown gate"),
    "gate not bits": (["--gate", "0120"], "unknown gate"),
}


def bad_option_values():
    """Out-of-range values of every declared optimizer option, and an option of another optimizer."""
    cases = {}
    for flag, (option, key) in every_option_flag().items():
        cases[f"{flag} above"] = (["--optimizer", key, flag, str(option.high + 1)], option.name)
        cases[f"{flag} below"] = (["--optimizer", key, flag, str(option.low - 1)], option.name)
        cases[f"{flag} nan"] = (["--optimizer", key, flag, "nan"], option.name)
        if option.high_open:
            cases[f"{flag} at its open end"] = (["--optimizer", key, flag, str(option.high)], option.name)
        other = next((k for k, cls in OPTIMIZERS.items() if option not in cls.options), None)
        if other is not None:
            cases[f"{flag} of another optimizer"] = (["--optimizer", other, flag, str(option.default)],
                                                     f"{option.name} is not an option of the {other} optimizer")
    return cases


ALL_BAD = {**BAD, **bad_option_values()}


@pytest.mark.parametrize("case", list(ALL_BAD))
def test_a_bad_value_exits_2_with_one_line(case, capsys):
    extra, words = ALL_BAD[case]
    line = refused(capsys, *COMMANDS["train"], *extra)
    assert words in line


@pytest.mark.parametrize("command", ["bench", "gradcheck", "sweep"])
def test_the_other_subcommands_refuse_them_too(command, capsys):
    for case in ["unknown activation", "negative decay", "empty hidden", "gate of 3 bits"]:
        extra, words = BAD[case]
        assert words in refused(capsys, *COMMANDS[command], *extra)
    for case, (extra, words) in bad_option_values().items():
        if "another" in case:
            assert words in refused(capsys, *COMMANDS[command], *extra)


def test_as_a_process_too():
    for extra in (["--hidden", "4,,4"], ["--optimizer", "adam", "--beta2", "1"], ["--gate", "01101"]):
        done = subprocess.run([sys.executable, "-m", "nn_core", *COMMANDS["train"], *extra, "--json"],
                              capture_output=True, text=True, cwd=ROOT, timeout=180)
        assert done.returncode == 2 and done.stdout == "" and "Traceback" not in done.stderr
        assert len(done.stderr.splitlines()) == 1
