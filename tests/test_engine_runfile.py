"""Saved runs (nn_core/runfile.py, Trainer.restore): a loaded run goes on bit for bit as if it had never
stopped, for every optimizer; a bad file is refused whole with one line (RunFileError), never another
exception; writes are atomic; the .npz export is the book's layout and gives the Trainer's outputs."""

from __future__ import annotations

import copy
import dataclasses
import io
import json
import os
import tracemalloc
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nn_core import runfile
from nn_core.config import TrainConfig
from nn_core.gates import INPUTS
from nn_core.network import param_count
from nn_core.optimizers import OPTIMIZERS
from nn_core.runfile import RunFileError, SavedRun
from nn_core.trainer import Trainer


def trained(config: TrainConfig, steps: int) -> Trainer:
    trainer = Trainer(config)
    trainer.run(until=steps)
    assert trainer.iteration == steps
    return trainer


def good_object(optimizer="adam", hidden=(3,), steps=7) -> dict:
    config = TrainConfig(hidden=hidden, optimizer=optimizer, lr=0.3, iterations=50, weight_decay=0.01)
    return json.loads(runfile.dumps(runfile.from_trainer(trained(config, steps))))


def refused(obj_or_text, match: str):
    text = obj_or_text if isinstance(obj_or_text, (str, bytes)) else json.dumps(obj_or_text)
    with pytest.raises(RunFileError, match=match) as caught:
        runfile.loads(text)
    assert "\n" not in str(caught.value)
    return str(caught.value)


# --- going on exactly ------------------------------------------------------------------------------------

@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize(("hidden", "activation", "decay"), [((4,), "sigmoid", 0.0), ((3, 2), "relu", 1e-3)])
def test_train_save_load_train_equals_one_long_run_bit_for_bit(tmp_path, optimizer, hidden, activation, decay):
    config = TrainConfig(gate="XOR", hidden=hidden, activation=activation, optimizer=optimizer, lr=0.2,
                         weight_decay=decay, iterations=90, seed=3)
    straight = trained(config, 90)

    first = trained(config, 35)
    runfile.save(tmp_path / "run.json", runfile.from_trainer(first))
    loaded = runfile.load(tmp_path / "run.json")
    assert loaded == runfile.from_trainer(first)
    resumed = Trainer.from_saved(loaded)
    assert resumed.iteration == 35
    resumed.run()

    assert resumed.iteration == straight.iteration == 90
    assert resumed.network.params.tobytes() == straight.network.params.tobytes()
    assert runfile.from_trainer(resumed) == runfile.from_trainer(straight)  # the optimizer's state too
    assert resumed.loss() == straight.loss()


@settings(max_examples=30, deadline=None)
@given(hidden=st.lists(st.integers(1, 5), min_size=1, max_size=3), optimizer=st.sampled_from(list(OPTIMIZERS)),
       activation=st.sampled_from(["sigmoid", "tanh", "relu"]), seed=st.integers(0, 2**63 - 1),
       lr=st.floats(1e-3, 5.0), steps=st.integers(0, 12), more=st.integers(1, 12),
       gate=st.sampled_from(["XOR", "AND", "0110", "1011"]))
def test_any_config_round_trips_and_goes_on_exactly(hidden, optimizer, activation, seed, lr, steps, more, gate):
    config = TrainConfig(gate=gate, hidden=tuple(hidden), optimizer=optimizer, activation=activation, seed=seed,
                         lr=lr, iterations=steps + more)
    first = trained(config, steps)
    run = runfile.from_trainer(first)
    text = runfile.dumps(run)
    assert runfile.loads(text) == run and runfile.loads(text.encode()) == run
    resumed = Trainer.from_saved(runfile.loads(text))
    first.run()
    resumed.run()
    assert runfile.from_trainer(resumed) == runfile.from_trainer(first)


def test_restore_on_a_used_trainer_and_its_own_timing():
    config = TrainConfig(optimizer="momentum", lr=0.5, iterations=60)
    run = runfile.from_trainer(trained(config, 20))
    other = trained(config, 50)  # state to be replaced
    other.restore(run)
    assert other.iteration == other.first_iteration == 20
    assert np.isnan(other.us_per_step)  # no step timed yet in this session
    other.run()
    assert other.network.params.tobytes() == trained(config, 60).network.params.tobytes()
    assert other.snapshot(grid=None).first_iteration == 20
    assert other.history.steps[0] == 20
    assert other.loss_evals_per_step == 1.0  # backprop's one forward pass per step, counted over 40 steps


def test_restore_refuses_another_config_and_changes_nothing():
    trainer = trained(TrainConfig(optimizer="adam", iterations=30), 10)
    before = runfile.from_trainer(trainer)
    run = runfile.from_trainer(trained(TrainConfig(optimizer="adam", iterations=30, lr=0.1), 5))
    with pytest.raises(ValueError, match="config differs"):
        trainer.restore(run)
    assert runfile.from_trainer(trainer) == before


def test_a_saved_run_is_a_frozen_copy():
    trainer = trained(TrainConfig(optimizer="adam", iterations=30), 10)
    run = runfile.from_trainer(trainer)
    trainer.run()
    assert run.iteration == 10 and run != runfile.from_trainer(trainer)
    assert not run.params.flags.writeable and not run.optimizer_state["m"].flags.writeable
    assert run.optimizer_state["iter"] == 10
    resumed = Trainer.from_saved(run)
    resumed.run()  # the trainer works on its own copies: the run's arrays are untouched
    assert run == runfile.from_trainer(trained(TrainConfig(optimizer="adam", iterations=30), 10))


def test_the_file_holds_every_config_field_and_the_books_names():
    obj = good_object(optimizer="momentum", hidden=(3, 2))
    assert list(obj) == ["format", "version", "config", "iteration", "params", "optimizer_state"]
    assert obj["format"] == "gatelab-run" and obj["version"] == 1
    assert set(obj["config"]) == {f.name for f in dataclasses.fields(TrainConfig)}
    assert obj["config"]["hidden"] == [3, 2] and obj["config"]["optimizer_options"] == {"momentum": 0.9}
    assert list(obj["params"]) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert np.array(obj["params"]["W2"]).shape == (3, 2) and np.array(obj["params"]["b3"]).shape == (1,)
    assert list(obj["optimizer_state"]) == ["v"] and list(obj["optimizer_state"]["v"]) == list(obj["params"])


def test_floats_round_trip_exactly():
    config = TrainConfig(hidden=(2,), lr=0.1 + 0.2)
    values = [-0.0, 5e-324, 1.7976931348623157e308, 0.1, -2.2250738585072014e-308, 1 / 3, 7.0, -1e-300, 2**-1074]
    params = np.resize(np.array(values), param_count(config.hidden))
    run = SavedRun(config=config.validated(), iteration=3, params=params, optimizer_state={})
    back = runfile.loads(runfile.dumps(run))
    assert back == run and back.params.tobytes() == params.tobytes()
    assert back.config.lr == 0.1 + 0.2


def test_a_saved_run_checks_its_parts_fit():
    config = TrainConfig(hidden=(2,), optimizer="momentum").validated()
    p = param_count(config.hidden)
    with pytest.raises(ValueError, match=r"must be 9 finite numbers for hidden 2, got shape \(10,\)"):
        SavedRun(config=config, iteration=0, params=np.zeros(p + 1), optimizer_state={"v": np.zeros(p)})
    with pytest.raises(ValueError, match="state is 'v'"):
        SavedRun(config=config, iteration=0, params=np.zeros(p), optimizer_state={})
    with pytest.raises(ValueError, match="iteration"):
        SavedRun(config=config, iteration=-1, params=np.zeros(p), optimizer_state={"v": np.zeros(p)})
    with pytest.raises(ValueError, match="validated"):
        SavedRun(config=TrainConfig(hidden=2), iteration=0, params=np.zeros(p), optimizer_state={"v": np.zeros(p)})


def test_fits_tells_which_overrides_the_saved_state_takes():
    run = runfile.from_trainer(trained(TrainConfig(optimizer="momentum", hidden=(4,)), 3))
    runfile.fits(run, TrainConfig(optimizer="nesterov", hidden=(4,), lr=0.1).validated())  # the same v
    with pytest.raises(ValueError, match=r"hidden 8 does not fit the saved run's parameters \(hidden 4\)"):
        runfile.fits(run, TrainConfig(optimizer="momentum", hidden=(8,)).validated())
    with pytest.raises(ValueError, match="adam optimizer .* cannot go on from the saved momentum state"):
        runfile.fits(run, TrainConfig(optimizer="adam", hidden=(4,)).validated())
    with pytest.raises(ValueError, match="sgd optimizer"):
        runfile.fits(run, TrainConfig(optimizer="sgd", hidden=(4,)).validated())


# --- refusals: one line each ------------------------------------------------------------------------------

def test_not_json_not_an_object_not_utf8():
    refused("hello", r"^not a GateLab run: not JSON \(line 1, column 1: Expecting value\)$")
    refused('{"format": "gatelab-run",\n "version" 1}',
            r"^not a GateLab run: not JSON \(line 2, column 12: Expecting ':' delimiter\)$")
    refused("[1, 2]", "^not a GateLab run: the file holds a list, not a JSON object$")
    refused("3", "holds 3, not a JSON object")
    refused(b"\xff\xfe\x00garbage", "not UTF-8")
    refused("[" * 100_000, "nested too deeply|ends too early")
    refused("{}", "^not a GateLab run: it has no 'format' key")


def test_format_and_version():
    obj = good_object()
    refused({**obj, "format": "gatelab-runs"}, r"^not a GateLab run: its format is 'gatelab-runs', expected")
    refused({**obj, "version": 2}, "^a GateLab run of version 2; this GateLab reads version 1$")
    refused({**obj, "version": True}, "^not a GateLab run: its version is true, expected 1$")
    refused({**obj, "version": "1"}, "^not a GateLab run: its version is a string, expected 1$")
    refused({**obj, "version": 1.0}, "^not a GateLab run: its version is 1.0, expected 1$")
    refused({k: v for k, v in obj.items() if k != "version"}, "^not a GateLab run: it has no 'version' key$")


@pytest.mark.parametrize("key", ["config", "iteration", "params", "optimizer_state"])
def test_missing_and_extra_top_level_keys(key):
    obj = good_object()
    refused({k: v for k, v in obj.items() if k != key}, f"^the run file lacks '{key}'$")
    refused({**obj, "comment": "hi"}, "^the run file has an unknown key 'comment'$")


def test_missing_and_extra_config_keys_and_options():
    obj = good_object()
    config = obj["config"]
    refused({**obj, "config": {k: v for k, v in config.items() if k != "lr"}}, "^config lacks 'lr'$")
    refused({**obj, "config": {**config, "colour": "red"}}, "^config has an unknown key 'colour'$")
    refused({**obj, "config": [1]}, "^config must be a JSON object, got a list$")
    options = config["optimizer_options"]
    refused({**obj, "config": {**config, "optimizer_options": {"beta1": options["beta1"]}}},
            "^config.optimizer_options lacks 'beta2'$")
    refused({**obj, "config": {**config, "optimizer_options": {**options, "momentum": 0.5}}},
            "momentum is not an option of the adam optimizer")
    refused({**obj, "config": {**config, "optimizer_options": [["beta1", 0.9]]}}, "must be a JSON object")


@pytest.mark.parametrize(("field", "value", "match"), [
    ("hidden", [10**9], "hidden units must be a whole number from 1 to 64, got 1000000000"),
    ("hidden", [4, 4, 4, 4], "at most 3 hidden layers"),
    ("hidden", [], "at least one hidden layer"),
    ("hidden", [True], "hidden units must be"),
    ("lr", -1, "learning rate must be"),
    ("lr", True, "learning rate must be a number .*, got True"),
    ("lr", "2", "learning rate must be"),
    ("lr", None, "learning rate must be"),
    ("seed", 2**64, "seed must be"),
    ("iterations", 1.5, "iterations must be"),
    ("gate", "XAND", "unknown gate 'XAND'"),
    ("method", 3, "unknown method"),
    ("optimizer", "adamw", "unknown optimizer 'adamw'"),
    ("weight_decay", -0.1, "weight decay must be"),
])
def test_config_values_are_checked_by_the_config_validator(field, value, match):
    obj = good_object(optimizer="sgd")
    message = refused({**obj, "config": {**obj["config"], field: value}}, match)
    assert message.startswith("config: ")


def test_a_huge_hidden_size_is_refused_before_any_allocation():
    obj = good_object(optimizer="sgd")
    text = json.dumps({**obj, "config": {**obj["config"], "hidden": [10**9, 10**9]}})
    tracemalloc.start()
    try:
        refused(text, "hidden units must be")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000  # a layer of 10^9 units would need gigabytes


def test_shapes_that_do_not_match_the_config():
    obj = good_object(hidden=(4,))
    params = obj["params"]
    w1 = [row[:3] for row in params["W1"]]
    message = refused({**obj, "params": {**params, "W1": w1}}, "W1")
    assert message == "params.W1 has shape (2, 3), the config needs (2, 4)"
    refused({**obj, "params": {**params, "b1": [params["b1"]]}},
            r"^params.b1 has shape \(1, 4\), the config needs \(4,\)$")
    refused({**obj, "params": {**params, "W1": [params["W1"][0], params["W1"][1][:2]]}},
            r"^params.W1 has no regular shape \(a ragged or deeply nested list\), the config needs \(2, 4\)$")
    refused({**obj, "params": {**params, "b2": 0.5}}, r"^params.b2 has 0.5, the config needs \(1,\)$")
    refused({**obj, "params": {k: v for k, v in params.items() if k != "b2"}}, "^params lacks 'b2'$")
    refused({**obj, "params": {**params, "W3": [[0.0]]}}, "^params has an unknown key 'W3'$")
    refused({**obj, "params": [1.0]}, "^params must be a JSON object, got a list$")


@pytest.mark.parametrize(("token", "match"), [("NaN", "NaN is not a number JSON allows"),
                                              ("Infinity", "Infinity is not a number JSON allows"),
                                              ("-Infinity", "-Infinity is not a number JSON allows"),
                                              ("1e400", r"params.W1 holds a number that is not finite at \[0\]\[1\]"),
                                              ("1" * 400, r"params.W1 holds a number that is not finite at \[0\]\[1\]"),
                                              ("true", r"params.W1 holds true at \[0\]\[1\], not a number"),
                                              ('"0.5"', r"params.W1 holds a string at \[0\]\[1\], not a number"),
                                              ("null", r"params.W1 holds null at \[0\]\[1\], not a number")])
def test_non_finite_numbers_and_non_numbers_in_params(token, match):
    obj = good_object()
    obj["params"]["W1"][0][1] = 123.25
    text = json.dumps(obj)
    assert text.count("123.25") == 1
    refused(text.replace("123.25", token), match)


def test_non_finite_numbers_elsewhere():
    obj = good_object()
    obj["optimizer_state"]["m"]["b1"][2] = 123.25
    refused(json.dumps(obj).replace("123.25", "1e999"), r"^optimizer_state.m.b1 holds a number that is not finite")
    obj = good_object()
    obj["config"]["lr"] = 123.25
    refused(json.dumps(obj).replace("123.25", "1e999"), "^config: learning rate must be")
    refused(json.dumps(obj).replace("123.25", "NaN"), "NaN is not a number")


@pytest.mark.parametrize(("value", "match"), [(-1, "iteration must be a whole number from 0 to 1000000000, got -1"),
                                              (1.5, "got 1.5"), (True, "got True"), ("3", "got a string"),
                                              (None, "got None"), (10**10, "got 10000000000")])
def test_iteration_must_be_a_whole_number_in_range(value, match):
    refused({**good_object(), "iteration": value}, match)


def test_optimizer_state_is_checked():
    obj = good_object(optimizer="adam")
    state = obj["optimizer_state"]
    refused({**obj, "optimizer_state": {k: v for k, v in state.items() if k != "m"}},
            r"^optimizer_state \(of adam\) lacks 'm'$")
    refused({**obj, "optimizer_state": {**state, "h": state["m"]}}, "unknown key 'h'")
    refused({**obj, "optimizer_state": {**state, "iter": -1}}, "optimizer_state.iter must be a whole number")
    refused({**obj, "optimizer_state": {**state, "iter": False}}, "optimizer_state.iter must be")
    refused({**obj, "optimizer_state": {**state, "iter": 2.5}}, "optimizer_state.iter must be")
    refused({**obj, "optimizer_state": {**state, "m": state["m"]["W1"]}}, "optimizer_state.m must be a JSON object")
    refused({**obj, "optimizer_state": {**state, "v": {**state["v"], "b1": [0.0]}}},
            r"optimizer_state.v.b1 has shape \(1,\), the config needs \(3,\)")
    sgd = good_object(optimizer="sgd")
    refused({**sgd, "optimizer_state": {"v": state["v"]}}, r"optimizer_state \(of sgd\) has an unknown key 'v'")
    assert sgd["optimizer_state"] == {}


def test_a_truncated_file():
    text = runfile.dumps(runfile.from_trainer(trained(TrainConfig(optimizer="adam"), 3)))
    inside_a_string = text.index('"gate"') + 3
    for cut in (1, len(text) // 3, len(text) // 2, len(text) - 3, inside_a_string):
        refused(text[:cut], r"^not a GateLab run: the JSON ends too early \(is the file cut short\?\)$")
    refused(text[: len(text) // 2].encode(), "the JSON ends too early")


def test_duplicate_keys_are_refused():
    text = runfile.dumps(runfile.from_trainer(trained(TrainConfig(), 3)))
    refused(text.replace('"iteration": 3', '"iteration": 3, "iteration": 4'), "the key 'iteration' appears twice")


def test_absurd_sizes_are_refused_before_reading(tmp_path, monkeypatch):
    refused(" " * (runfile.MAX_BYTES + 1), "larger than 16 MB")
    refused(b" " * (runfile.MAX_BYTES + 1), "larger than 16 MB")
    big = tmp_path / "big.json"
    with open(big, "wb") as file:
        file.truncate(runfile.MAX_BYTES + 1)  # sparse: costs no disk
    monkeypatch.setattr(runfile, "loads", lambda text: pytest.fail("read a file over the limit"))
    with pytest.raises(RunFileError, match=f"^{big}: not a GateLab run: larger than 16 MB$"):
        runfile.load(big)


def test_a_number_with_thousands_of_digits():
    obj = good_object()
    obj["config"]["seed"] = 424242
    refused(json.dumps(obj).replace("424242", "9" * 5000), "not a GateLab run: .*digits")


def test_deeply_nested_values_take_linear_time_and_one_short_line(monkeypatch):
    obj = good_object()
    calls = []
    real_shape = runfile._shape
    monkeypatch.setattr(runfile, "_shape", lambda *args: calls.append(1) or real_shape(*args))
    runfile.loads(json.dumps(obj))
    good_calls = len(calls)  # one per list and number of every array
    for depth in (2, 3, 12, 60, 900):
        nested = "[" * depth + "0.5" + "]" * depth
        for path, named in ((("params", "W1"), "W1"), (("params", "b1"), "b1"), (("optimizer_state", "iter"), "iter"),
                            (("config", "lr"), "learning rate")):
            tree = copy.deepcopy(obj)
            tree[path[0]][path[1]] = "HERE"
            calls.clear()
            message = refused(json.dumps(tree).replace('"HERE"', nested), named)
            # at most a few more calls than a good file takes, at any depth (once 2**depth)
            assert len(calls) <= good_calls + 5 and len(message) <= runfile.MAX_MESSAGE
    refused("[" * 100_000 + "]" * 100_000, "nested too deeply")


def test_a_message_quoting_a_long_value_stays_short():
    obj = good_object()
    message = refused({**obj, "config": {**obj["config"], "gate": "AND\n" * 100_000}}, "^config: unknown gate 'AND")
    assert len(message) == runfile.MAX_MESSAGE and message.endswith("…")
    message = refused({**obj, "config": {**obj["config"], "lr": list(range(100_000))}}, "^config: learning rate")
    assert len(message) == runfile.MAX_MESSAGE


def test_load_names_the_file_and_turns_system_errors_into_one_line(tmp_path):
    with pytest.raises(RunFileError, match=f"^cannot read {tmp_path / 'nope.json'}: No such file or directory$"):
        runfile.load(tmp_path / "nope.json")
    with pytest.raises(RunFileError, match="^cannot read .*: Is a directory$"):
        runfile.load(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "other"}')
    with pytest.raises(RunFileError, match=f"^{bad}: not a GateLab run: its format is 'other'"):
        runfile.load(bad)


# --- any mutation: loaded correctly or refused with RunFileError ------------------------------------------

GOOD = good_object(optimizer="adam", hidden=(2,), steps=4)
GOOD_TEXT = json.dumps(GOOD)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**30), 10**30) | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=6) | st.sampled_from(["XOR", "adam", "sgd", "relu", "he", "0110", "backprop"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8)


def _locations(value, path=()):
    """Every (path, value) in a JSON tree."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _locations(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _locations(item, (*path, index))


def _set(tree, path, value):
    if not path:
        return value
    node = tree
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return tree


@st.composite
def mutated_texts(draw):
    kind = draw(st.sampled_from(["delete", "replace", "insert", "number", "truncate", "byte"]))
    if kind == "truncate":
        return GOOD_TEXT[: draw(st.integers(0, len(GOOD_TEXT) - 1))]
    if kind == "byte":
        at = draw(st.integers(0, len(GOOD_TEXT) - 1))
        return GOOD_TEXT.encode()[:at] + bytes([draw(st.integers(0, 255))]) + GOOD_TEXT.encode()[at + 1:]
    tree = copy.deepcopy(GOOD)
    locations = list(_locations(tree))
    if kind == "number":
        locations = [loc for loc in locations if isinstance(loc[1], (int, float))] or locations
    path, value = draw(st.sampled_from(locations))
    if kind == "delete" and path:
        parent = _locations_get(tree, path[:-1])
        del parent[path[-1]]
    elif kind == "insert" and isinstance(value, (dict, list)):
        new = draw(json_values)
        if isinstance(value, dict):
            value[draw(st.sampled_from([*value, "extra", "W1", "lr", "v"]) if value else st.just("extra"))] = new
        else:
            value.insert(draw(st.integers(0, len(value))), new)
    elif kind == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
        tree = _set(tree, path, draw(st.sampled_from([
            value + 1, -value, value * 1e300, value / 3, 0, -0.0, 64, 65, 10**9, float("nan"), float("inf"),
            int(value) if abs(value) < 1e18 else 0, float(value) + 0.5])))
    else:
        tree = _set(tree, path, draw(json_values))
    return json.dumps(tree)  # NaN and Infinity come out as tokens, as Python's json writes them


def _locations_get(tree, path):
    for key in path:
        tree = tree[key]
    return tree


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mutated_texts())
def test_any_mutation_is_loaded_correctly_or_refused_with_one_line(text):
    try:
        run = runfile.loads(text)
    except RunFileError as error:
        assert str(error) and "\n" not in str(error)
        return
    assert isinstance(run, SavedRun)
    assert runfile.loads(runfile.dumps(run)) == run
    assert Trainer.from_saved(run).iteration == run.iteration


def test_the_good_file_loads_and_small_changes_still_do():
    assert runfile.loads(GOOD_TEXT).config.optimizer == "adam"
    obj = copy.deepcopy(GOOD)
    obj["params"]["W1"][0][0] = 5  # an integer where a float was: still a number
    obj["config"]["gate"] = "0110"  # any spelling the config takes, read as its canonical name
    run = runfile.loads(json.dumps(obj))
    assert run.params[0] == 5.0 and run.config.gate == "XOR"


# --- atomic writes ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("failing", ["replace", "fsync", "dumps", "write"])
def test_a_failed_save_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch, failing):
    path = tmp_path / "run.json"
    old = runfile.from_trainer(trained(TrainConfig(), 2))
    runfile.save(path, old)
    before = path.read_bytes()
    new = runfile.from_trainer(trained(TrainConfig(), 5))

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    if failing == "replace":
        monkeypatch.setattr(runfile.os, "replace", boom)
    elif failing == "fsync":
        monkeypatch.setattr(runfile.os, "fsync", boom)
    elif failing == "dumps":
        monkeypatch.setattr(runfile.json, "dumps", boom)
    else:
        monkeypatch.setattr(runfile, "dumps", lambda run: "x" * 10_000)  # written partly, then the disk fills
        real_fdopen = os.fdopen

        class Failing(io.RawIOBase):
            def __init__(self, fd):
                self.file = real_fdopen(fd, "wb")

            def write(self, data):
                self.file.write(bytes(data)[:100])
                raise OSError(28, "No space left on device")

            def fileno(self):
                return self.file.fileno()

            def close(self):
                self.file.close()
                super().close()

        monkeypatch.setattr(runfile.os, "fdopen", lambda fd, mode: Failing(fd))
    with pytest.raises(OSError, match="No space left"):
        runfile.save(path, new)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.json"]
    monkeypatch.undo()
    runfile.save(path, new)
    assert runfile.load(path) == new and sorted(p.name for p in tmp_path.iterdir()) == ["run.json"]


def test_a_saved_file_gets_the_usual_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        runfile.save(tmp_path / "run.json", runfile.from_trainer(trained(TrainConfig(), 1)))
    finally:
        os.umask(old)
    assert (tmp_path / "run.json").stat().st_mode & 0o777 == 0o644


# --- the book's .npz ----------------------------------------------------------------------------------------

def sigmoid(x):
    return 1 / (1 + np.exp(-x))


@pytest.mark.parametrize("gate", ["XOR", "AND", "NAND"])
def test_the_npz_export_is_the_books_layout_and_gives_the_trainers_outputs(tmp_path, gate):
    trainer = trained(TrainConfig(gate=gate, hidden=(4,), iterations=3000), 3000)
    path = tmp_path / "net.weights"  # any name: written exactly there, no .npz added
    runfile.export_npz(path, runfile.from_trainer(trainer))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.weights"]
    with np.load(path) as arrays:
        params = dict(arrays)
    assert sorted(params) == ["W1", "W2", "b1", "b2"]
    assert params["W1"].shape == (2, 4) and params["b1"].shape == (4,)
    assert params["W2"].shape == (4, 1) and params["b2"].shape == (1,)

    # The book's TwoLayerNet.predict, with a sigmoid output for one logical output
    W1, W2 = params["W1"], params["W2"]
    b1, b2 = params["b1"], params["b2"]
    a1 = np.dot(INPUTS, W1) + b1
    z1 = sigmoid(a1)
    a2 = np.dot(z1, W2) + b2
    y = sigmoid(a2)
    np.testing.assert_allclose(y[:, 0], trainer.outputs(), rtol=1e-12, atol=1e-15)
    assert trainer.solved() and np.all(np.abs(y[:, 0] - trainer.targets[:, 0]) < 0.1)


def test_the_npz_export_to_a_file_object_and_deeper_networks():
    trainer = trained(TrainConfig(hidden=(3, 2), activation="tanh"), 50)
    buffer = io.BytesIO()
    runfile.export_npz(buffer, runfile.from_trainer(trainer))
    buffer.seek(0)
    with np.load(buffer) as arrays:
        params = dict(arrays)
    assert {k: v.shape for k, v in params.items()} == {"W1": (2, 3), "b1": (3,), "W2": (3, 2), "b2": (2,),
                                                       "W3": (2, 1), "b3": (1,)}
    z = np.tanh(np.tanh(INPUTS @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"])
    np.testing.assert_allclose(sigmoid(z @ params["W3"] + params["b3"])[:, 0], trainer.outputs(), rtol=1e-12)


def test_a_failed_npz_export_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "net.npz"
    runfile.export_npz(path, runfile.from_trainer(trained(TrainConfig(), 1)))
    before = path.read_bytes()
    monkeypatch.setattr(runfile.np, "savez", lambda file, **arrays: (file.write(b"PK"), 1 / 0))
    with pytest.raises(ZeroDivisionError):
        runfile.export_npz(path, runfile.from_trainer(trained(TrainConfig(), 9)))
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["net.npz"]


def test_replace_keeps_a_run_consistent():
    run = runfile.from_trainer(trained(TrainConfig(optimizer="momentum"), 3))
    longer = replace(run, config=replace(run.config, iterations=run.config.iterations + 5))
    assert longer.params.tobytes() == run.params.tobytes()
    with pytest.raises(ValueError, match="adam optimizer's state is 'm', 'v', 'iter', got 'v'"):
        replace(run, config=replace(run.config, optimizer="adam", optimizer_options=()).validated())


@pytest.mark.parametrize(("optimizer", "name"), [("adagrad", "h"), ("rmsprop", "h"), ("adam", "v")])
def test_a_negative_sum_of_squares_in_the_optimizer_state_is_refused(optimizer, name):
    obj = good_object(optimizer)
    obj["optimizer_state"][name]["W1"][0][0] = -1.0
    refused(obj, f"optimizer_state.{name} has a negative number")
    obj["optimizer_state"][name]["W1"][0][0] = 0.0  # zero is a sum of squares
    runfile.loads(json.dumps(obj))


def test_a_loaded_run_keeps_its_seed_and_initialisation():
    run = runfile.loads(json.dumps(good_object("sgd")))
    runfile.fits(run, run.config)
    for change in ({"seed": run.config.seed + 1}, {"init": "he"}):
        with pytest.raises(ValueError, match="the seed and the initialisation choose a starting network"):
            runfile.fits(run, replace(run.config, **change))
