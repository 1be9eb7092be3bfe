"""The compiled engine (nn_core/compiled.py) against the numpy engine it spells out: the same parameters after
thousands of steps for every method, activation and optimizer; the same divergence; a stack that moves as its
single runs; ``Trainer.run`` in chunks that still stops, snapshots and keeps its loss history; and, without
numba, one clear line instead."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from nn_core.activations import ACTIVATIONS
from nn_core.config import TrainConfig
from nn_core.engines import MISSING, compiled_missing
from nn_core.methods import METHODS, GradientMethod
from nn_core.network import init_params
from nn_core.optimizers import OPTIMIZERS
from nn_core.trainer import Trainer

ROOT = Path(__file__).resolve().parents[1]
needs_numba = pytest.mark.skipif(compiled_missing() is not None, reason="numba is not installed (the compiled extra)")

# A learning rate at which each optimizer learns XOR steadily.  Where a run bounces without settling (RMSprop at
# 0.1 with relu), last-bit differences between the engines (BLAS's fused multiply-add, numpy's own tanh) grow
# like any perturbation of a chaotic orbit, and no engine could match another to 1e-9.
LR = {"sgd": 1.0, "momentum": 0.1, "nesterov": 0.1, "adagrad": 0.1, "rmsprop": 0.01, "adam": 0.01}
RTOL = 1e-9
# RMSprop on a finite difference, one step from the same state: the difference's rounding noise (ε·L/h, about
# 1e-12, and different in each engine) divided by √h, which shrinks with the gradient.  Measured: at most
# 2.3e-9 (forward, sigmoid) over the 2,000 steps; held to 1e-8.


def both(config: TrainConfig) -> tuple[Trainer, Trainer]:
    """The same run on each engine."""
    numpy_run, compiled_run = Trainer(config), Trainer(replace(config, engine="compiled"))
    numpy_run.run()
    compiled_run.run()
    return numpy_run, compiled_run


def assert_same_params(a: np.ndarray, b: np.ndarray) -> None:
    """Equal to RTOL relative to the network's largest parameter (a bias near 0 is judged at that scale)."""
    np.testing.assert_allclose(b, a, rtol=RTOL, atol=RTOL * np.abs(a).max())


def sensitive(config: TrainConfig) -> bool:
    """A run whose path a last-bit change moves by more than RTOL: finite differences across relu's kink (a
    bias starts at exactly 0, and row 00 sees only the bias), or RMSprop dividing their rounding noise by √h
    as the gradient shrinks (with tanh, whose last bit numba's and numpy's tanh may round apart).  Each step is
    still held to RTOL from the same state (``step_by_step``).  With relu the numpy engine itself, nudged by 1e-14,
    moves so
    (``test_the_sensitive_runs_are_so_on_numpy_alone``)."""
    numerical = config.method != "backprop"
    return numerical and (config.activation == "relu" or (config.optimizer, config.activation) == ("rmsprop", "tanh"))


def step_tolerance(config: TrainConfig) -> float:
    return RTOL


def step_by_step(config: TrainConfig) -> float:
    """Both engines step from the numpy run's own state at each of its ``iterations`` steps; the largest
    difference of the parameters after a step, relative to the largest parameter."""
    numpy_run, compiled_run = Trainer(config), Trainer(replace(config, engine="compiled"))
    worst = 0.0
    for _ in range(config.iterations):
        compiled_run.network.params[:] = numpy_run.network.params
        compiled_run.optimizer.restore({k: np.copy(v) for k, v in numpy_run.optimizer.state().items()})
        assert numpy_run.step() and compiled_run.step()
        p = numpy_run.network.params
        worst = max(worst, float(np.abs(compiled_run.network.params - p).max() / np.abs(p).max()))
    return worst


@needs_numba
@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("method", list(METHODS))
def test_compiled_gives_the_numpy_engines_parameters(method, activation, optimizer):
    config = TrainConfig(method=method, activation=activation, optimizer=optimizer, lr=LR[optimizer],
                         iterations=2000)
    if sensitive(config):  # each of the 2,000 steps from the same state, rather than the two paths
        assert step_by_step(config) <= step_tolerance(config)
        return
    numpy_run, compiled_run = both(config)
    assert compiled_run.iteration == numpy_run.iteration == 2000
    assert_same_params(numpy_run.network.params, compiled_run.network.params)
    # the optimizer's state too (momentum's v, Adam's m, v and step count): a saved run goes on the same
    for name, value in numpy_run.optimizer.state().items():
        np.testing.assert_allclose(compiled_run.optimizer.state()[name], value, rtol=1e-6, atol=1e-12)
    assert compiled_run.objective.loss_evals == numpy_run.objective.loss_evals
    assert compiled_run.loss() == pytest.approx(numpy_run.loss(), rel=1e-6)


@pytest.mark.parametrize(("activation", "optimizer"), [("relu", "sgd")])
def test_the_sensitive_runs_are_so_on_numpy_alone(activation, optimizer):
    config = TrainConfig(method="forward", activation=activation, optimizer=optimizer, lr=LR[optimizer],
                         iterations=2000)
    assert sensitive(config)
    run, nudged = Trainer(config), Trainer(config)
    nudged.network.params[0] += 1e-14
    run.run()
    nudged.run()
    assert np.abs(run.network.params - nudged.network.params).max() > 10 * RTOL * np.abs(run.network.params).max()


@needs_numba
@pytest.mark.parametrize("hidden", [(8, 4), (3, 5, 2)])
@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("method", list(METHODS))
def test_deeper_networks_with_weight_decay_and_options(method, activation, hidden):
    # The numerical methods are slow on numpy at these sizes: fewer steps for them, 2,000 for backprop.  Not an
    # adaptive optimizer: on this gate some units stay mirror images, their gradients cancel to rounding noise,
    # and Adam's or RMSprop's division by √v makes that noise a full step (either engine, nudged, moves so).
    config = TrainConfig(gate="1101", method=method, activation=activation, hidden=hidden, optimizer="nesterov",
                         optimizer_options=(("momentum", 0.8),), lr=0.1, weight_decay=1e-3,
                         seed=3, iterations=2000 if method == "backprop" else 300)
    if sensitive(config):
        assert step_by_step(config) <= step_tolerance(config)
        return
    numpy_run, compiled_run = both(config)
    assert compiled_run.iteration == numpy_run.iteration == config.iterations
    assert_same_params(numpy_run.network.params, compiled_run.network.params)


@needs_numba
@pytest.mark.parametrize("optimizer", ["nesterov", "rmsprop"])
def test_the_options_of_an_optimizer_reach_the_loops(optimizer):
    option = OPTIMIZERS[optimizer].options[0].name
    config = TrainConfig(optimizer=optimizer, lr=0.05, iterations=500, optimizer_options=((option, 0.5),))
    numpy_run, compiled_run = both(config)
    assert_same_params(numpy_run.network.params, compiled_run.network.params)
    default, _ = both(replace(config, optimizer_options=()))
    assert not np.allclose(default.network.params, compiled_run.network.params)  # the option changed the run


@needs_numba
@pytest.mark.parametrize("settings", [
    {"weight_decay": 1e6, "lr": 1e6},
    {"activation": "tanh", "optimizer": "momentum", "weight_decay": 1e6, "lr": 1e6},
    {"activation": "relu", "optimizer": "nesterov", "weight_decay": 1e6, "lr": 1e6},
], ids=["sgd", "momentum", "relu-nesterov"])
def test_a_refused_step_diverges_at_the_same_step_and_changes_nothing(settings):
    config = TrainConfig(iterations=500, **settings)
    numpy_run, compiled_run = both(config)
    assert numpy_run.diverged_at is not None
    assert compiled_run.diverged_at == numpy_run.diverged_at
    assert compiled_run.iteration == numpy_run.iteration == numpy_run.diverged_at - 1
    assert_same_params(numpy_run.network.params, compiled_run.network.params)
    assert np.isfinite(compiled_run.network.params).all()
    # a further step is refused again, with nothing changed (parameters and optimizer state)
    before = compiled_run.network.params.copy()
    state = {k: np.copy(v) for k, v in compiled_run.optimizer.state().items()}
    assert compiled_run.stepper.step() is False
    np.testing.assert_array_equal(compiled_run.network.params, before)
    for name, value in compiled_run.optimizer.state().items():
        np.testing.assert_array_equal(value, state[name])


@needs_numba
@pytest.mark.parametrize(("method", "activation"), [("backprop", "relu"), ("staged", "tanh")])
def test_a_compiled_stack_moves_each_row_as_its_single_run(method, activation):
    from nn_core.compiled import make_compiled_stack

    config = TrainConfig(method=method, activation=activation, optimizer="momentum", lr=0.1,
                         iterations=600).validated()
    seeds = 5
    stack = make_compiled_stack(config, np.stack([init_params(config.hidden, s) for s in range(seeds)]))
    assert stack.params.shape == (seeds, 17) and stack.diverged.shape == (seeds,)
    stack.advance(250)
    stack.advance(350)  # in two calls: each network's optimizer state carries over
    for seed in range(seeds):
        single = Trainer(replace(config, seed=seed))  # the numpy engine
        single.run()
        assert_same_params(single.network.params, stack.params[seed])
    assert not stack.diverged.any()


@needs_numba
def test_a_diverging_row_of_a_stack_freezes_and_the_others_go_on():
    from nn_core.compiled import make_compiled_stack

    config = TrainConfig(activation="relu", lr=30.0).validated()
    params = np.stack([init_params(config.hidden, s) for s in range(4)])
    params[2] *= 1e29 / np.abs(params[2]).max()  # relu passes such sizes on: its first update goes beyond 1e30
    stack = make_compiled_stack(config, params)
    alive = stack.advance(200)
    assert list(stack.diverged) == [False, False, True, False] and list(alive) == [True, True, False, True]
    frozen = stack.params[2].copy()
    stack.advance(10)
    np.testing.assert_array_equal(stack.params[2], frozen)
    assert np.isfinite(stack.params).all()


@needs_numba
def test_a_method_without_a_compiled_loop_is_refused_in_one_line(monkeypatch):
    monkeypatch.setitem(METHODS, "newton", GradientMethod("newton", "Newton", "", "", lambda p: 1, lambda o, h: 0))
    with pytest.raises(ValueError, match="the compiled engine has no loop for the method 'newton'"):
        Trainer(TrainConfig(method="newton", engine="compiled"))


@needs_numba
def test_a_stack_refuses_parameters_of_another_shape():
    from nn_core.compiled import make_compiled_stack

    with pytest.raises(ValueError, match=r"\(K, 17\)"):
        make_compiled_stack(TrainConfig(), np.zeros((3, 9)))


@needs_numba
def test_run_in_chunks_keeps_snapshots_stops_and_history():
    config = TrainConfig(iterations=5000, engine="compiled")
    trainer = Trainer(config)
    seen = []

    def on_snapshot(snapshot):
        seen.append(snapshot.iteration)
        if snapshot.iteration == 3500:
            trainer.request_stop()

    trainer.run(on_snapshot=on_snapshot, every_steps=700, grid=None)
    assert seen == [700, 1400, 2100, 2800, 3500, 3500]  # every 700 steps, the stop, then the final one
    assert trainer.iteration == 3500
    trainer.clear_stop()
    trainer.run(until=4321)
    assert trainer.iteration == 4321
    # the loss history has the numpy engine's points, and their losses
    reference = Trainer(replace(config, engine="numpy"))
    reference.run(until=4321)
    steps, losses = trainer.history.arrays()
    ref_steps, ref_losses = reference.history.arrays()
    np.testing.assert_array_equal(steps, ref_steps)
    np.testing.assert_allclose(losses, ref_losses, rtol=1e-9)
    assert trainer.compile_seconds is not None  # measured (or 0.0: compiled earlier in this process) ...
    assert trainer.compute_seconds > 0  # ... and kept apart from the steps' time


@needs_numba
@pytest.mark.parametrize("method", ["backprop", "staged"])
def test_advance_gives_the_losses_where_the_run_count_is_a_multiple_of_stride(method):
    # The losses are computed after the steps, from the parameters kept at those counts (outside the clock).
    config = TrainConfig(method=method, iterations=10, engine="compiled")
    reference = Trainer(replace(config, engine="numpy"))
    expected = np.full(10, np.nan)
    for s in range(10):
        assert reference.step()
        if (2 + s + 1) % 3 == 0:  # the run had taken 2 steps before the call
            expected[s] = reference.loss()
    taken, losses = Trainer(config).stepper.advance(10, stride=3, done=2)
    assert taken == 10
    assert np.isnan(losses).sum() == 6  # kept at counts 3, 6, 9 and 12
    np.testing.assert_allclose(losses, expected, rtol=1e-9)  # NaN where nothing was kept


@needs_numba
def test_a_pause_takes_effect_between_chunks():
    trainer = Trainer(TrainConfig(iterations=10**9, engine="compiled"))
    paused_at = []

    def on_pause():
        paused_at.append(trainer.iteration)
        trainer.request_stop()  # wakes the paused loop, which then ends

    def on_snapshot(snapshot):
        if snapshot.iteration >= 20_000 and not paused_at:
            trainer.pause()

    trainer.run(on_snapshot=on_snapshot, every_steps=10_000, grid=None, on_pause=on_pause)
    assert paused_at == [20_000] and trainer.iteration == 20_000


# --- the command line -----------------------------------------------------------------------------------------

def run_cli(*args: str, code: str = "") -> subprocess.CompletedProcess:
    """``python -m nn_core args``, after ``code`` (say, one that hides numba)."""
    program = f"import sys\n{code}\nfrom nn_core.cli import main\nsys.exit(main({list(args)!r}))"
    return subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=ROOT, timeout=600)


HIDE_NUMBA = "sys.modules['numba'] = None"  # `import numba` raises ImportError, as if it were not installed


@pytest.mark.parametrize("command", [["train", "--gate", "XOR", "--method", "backprop"], ["bench"]])
def test_without_numba_the_compiled_engine_is_one_line_and_status_2(command):
    done = run_cli(*command, "--engine", "compiled", "--iterations", "10", code=HIDE_NUMBA)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and MISSING in done.stderr, done.stderr


def test_without_numba_the_numpy_engine_and_bench_still_run():
    done = run_cli("train", "--gate", "XOR", "--method", "backprop", "--iterations", "50", "--json", code=HIDE_NUMBA)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["engine"] == "numpy"
    done = run_cli("bench", "--iterations", "20", "--sweep-seeds", "2", "--methods", "backprop,central",
                   code=HIDE_NUMBA)
    assert done.returncode == 0, done.stderr
    assert f"compiled engine: not run ({MISSING})" in done.stdout
    assert "compiled backprop" not in done.stdout  # no targets without the engine


def test_an_unknown_engine_is_refused_in_one_line():
    done = run_cli("train", "--gate", "XOR", "--method", "backprop", "--engine", "fortran")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "unknown engine 'fortran'" in done.stderr
    with pytest.raises(ValueError, match="unknown engine"):
        TrainConfig(engine="gpu").validated()


@needs_numba
def test_train_json_gives_the_engine_and_the_same_run():
    args = ["train", "--gate", "OR", "--method", "forward", "--iterations", "300", "--optimizer", "momentum",
            "--lr", "0.1", "--json"]
    numpy_run, compiled_run = (json.loads(run_cli(*args, "--engine", e).stdout) for e in ("numpy", "compiled"))
    assert numpy_run["engine"] == "numpy" and compiled_run["engine"] == "compiled"
    assert compiled_run["final_loss"] == pytest.approx(numpy_run["final_loss"], rel=1e-9)
    assert compiled_run["loss_evals_per_step"] == numpy_run["loss_evals_per_step"] == 18


@needs_numba
def test_bench_prints_the_ladder_and_gives_each_result_its_engine():
    args = ["bench", "--iterations", "200", "--sweep-seeds", "3", "--methods", "backprop,central"]
    report = json.loads(run_cli(*args, "--json").stdout)
    assert [(r["method"], r["engine"]) for r in report["results"]] == [("backprop", "numpy"), ("central", "numpy")]
    rungs = [(r["rung"], r["engine"]) for r in report["ladder"]]
    assert rungs[:5] == [(name, None) for name in ("seed: redraw every step", "seed: redraw every 1,000 steps",
                                                   "seed: forward difference", "seed: staged", "seed: no plotting")]
    assert {("backprop", "compiled"), ("central", "compiled"), ("book's numerical_gradient loop", "numpy")} <= set(
        rungs)
    assert [c["method"] for c in report["targets"]] == ["backprop", "central"]
    assert report["compile_seconds"] >= 0
    compiled = json.loads(run_cli(*args, "--engine", "compiled", "--json").stdout)
    assert {r["engine"] for r in compiled["results"]} == {"compiled"}
    text = run_cli(*args).stdout
    assert "seed: redraw every step" in text and "s to compile or load numba's cache" in text
    assert "compiled backprop vs numpy backprop" in text and "(target ≥ 15×)" in text


@needs_numba
def test_sweep_on_the_compiled_engine_gives_the_numpy_sweeps_report():
    args = ["sweep", "--gate", "XOR", "--seeds", "40", "--iterations", "1500", "--check-every", "100", "--json"]
    numpy_run, compiled_run = (json.loads(run_cli(*args, "--engine", e).stdout) for e in ("numpy", "compiled"))
    assert numpy_run["engine"] == "numpy" and compiled_run["engine"] == "compiled"
    for key in ("solved", "failed_seeds", "diverged_seeds", "steps_to_solved", "solved_then_lost_seeds"):
        assert compiled_run[key] == numpy_run[key], key
