"""The Trainer: the update rule, run/until, snapshots, stop and pause from another thread,
the work counter over a run, divergence and exceptions (issue 4), and the bounded loss history."""

import json
import threading

import numpy as np
import pytest

from nn_core import cli
from nn_core.config import TrainConfig
from nn_core.gates import targets
from nn_core.methods import METHODS, register
from nn_core.network import Network
from nn_core.objective import Objective
from nn_core.sweep import sweep
from nn_core.trainer import LossHistory, Trainer

PATIENCE = 30.0  # seconds: only a hang waits this long; each wait ends as soon as its condition holds


def backprop_params_after(config, steps):
    trainer = Trainer(TrainConfig(**{**config.__dict__, "method": "backprop"}))
    for _ in range(steps):
        assert trainer.step()
    return trainer.network.params.copy()


# --- stepping and running -------------------------------------------------------------------

@pytest.mark.parametrize("key", list(METHODS))
def test_step_is_plain_gradient_descent(key):
    config = TrainConfig(gate="NAND", method=key, hidden=(3,), lr=1.7, h=1e-4, seed=5)
    trainer = Trainer(config)
    for _ in range(3):
        before = trainer.network.params.copy()
        expected_gradient = METHODS[key].gradient(Objective(before.copy(), (3,), targets("NAND")), config.h)
        assert trainer.step()
        assert np.array_equal(trainer.network.params, before - config.lr * expected_gradient)
    assert trainer.iteration == 3
    # the named views still look at the live vector after updates (in place, one vector op)
    assert np.array_equal(trainer.network.named()["W1"].ravel(), trainer.network.params[:6])


@pytest.mark.parametrize("key", list(METHODS))
def test_work_counter_over_a_run(key):
    trainer = Trainer(TrainConfig(method=key, hidden=(4,), iterations=25))
    trainer.run(on_snapshot=lambda s: None, every_steps=5)
    trainer.loss(), trainer.outputs(), trainer.snapshot()  # looking is not the method's work
    assert trainer.objective.loss_evals == 25 * METHODS[key].loss_evals(17)


def test_run_until_and_snapshot_cadence():
    trainer = Trainer(TrainConfig(iterations=100))
    seen = []
    trainer.run(until=35, on_snapshot=seen.append, every_steps=10, grid=None)
    assert trainer.iteration == 35 and not trainer.finished
    assert [s.iteration for s in seen] == [10, 20, 30, 35]  # and one at the end
    assert all(s.surface is None and s.total == 100 for s in seen)
    trainer.run(on_snapshot=seen.append, every_steps=50, grid=4)
    assert trainer.iteration == 100 and trainer.finished
    assert [s.iteration for s in seen[4:]] == [50, 100, 100]
    assert seen[-1].surface.shape == (4, 4)
    assert 0 <= trainer.compute_seconds <= trainer.elapsed_seconds


def test_surface_is_only_computed_for_snapshots(monkeypatch):
    trainer = Trainer(TrainConfig(iterations=200))
    calls = []
    real = Trainer.surface
    monkeypatch.setattr(Trainer, "surface", lambda self, n=50: calls.append(n) or real(self, n))
    snapshots = []
    trainer.run(on_snapshot=snapshots.append, every_steps=40, grid=9)
    assert len(snapshots) == 6 and calls == [9] * 6
    calls.clear()
    Trainer(TrainConfig(iterations=200)).run()
    assert calls == []


def test_stop_requested_before_run_ends_it_at_once():
    trainer = Trainer(TrainConfig(iterations=1000))
    trainer.clear_stop()
    trainer.request_stop()
    trainer.run()
    assert trainer.iteration == 0
    trainer.clear_stop()
    trainer.run(until=10)
    assert trainer.iteration == 10


def pausing_run(trainer: Trainer) -> tuple[threading.Thread, list[int], threading.Event]:
    """``trainer.run`` in a thread; each pause that takes effect (``on_pause``) appends the step it stopped at
    and sets the event."""
    pauses, paused = [], threading.Event()

    def on_pause():
        pauses.append(trainer.iteration)
        paused.set()

    return threading.Thread(target=lambda: trainer.run(on_pause=on_pause), daemon=True), pauses, paused


def test_stop_and_pause_from_another_thread():
    trainer = Trainer(TrainConfig(iterations=10**9))
    trainer.pause()
    assert trainer.paused
    worker, pauses, paused = pausing_run(trainer)
    worker.start()
    assert paused.wait(PATIENCE) and pauses == [0]  # paused before the first step
    worker.join(0.2)
    assert worker.is_alive() and trainer.iteration == 0  # and it stays there
    paused.clear()
    trainer.resume()
    while trainer.iteration < 50:
        assert worker.is_alive()
        worker.join(0.01)
    trainer.pause()
    assert paused.wait(PATIENCE)  # a step already under way has finished; no other starts
    paused_at = pauses[-1]
    assert paused_at >= 50
    worker.join(0.2)
    assert trainer.iteration == paused_at  # nothing happens while paused
    trainer.request_stop()  # wakes the paused loop so that it can see the stop
    worker.join(PATIENCE)
    assert not worker.is_alive()
    assert trainer.iteration == paused_at and pauses == [0, paused_at]
    assert np.isfinite(trainer.loss())


def test_reset_goes_back_to_the_seeded_start():
    trainer = Trainer(TrainConfig(seed=3, iterations=20))
    trainer.run()
    trainer.reset()
    assert trainer.iteration == 0 and trainer.diverged_at is None and trainer.objective.loss_evals == 0
    assert np.array_equal(trainer.network.params, Network((4,), 3).params)
    assert trainer.history.steps == [0]


# --- divergence and failures (issue 4) ----------------------------------------------------------

@pytest.fixture
def temporary_method():
    """Registers gradient methods for one test, and removes them afterwards."""
    added = []

    def add(key, gradient):
        register(key, key, "a test method", "1 loss evaluation", lambda p: 1)(gradient)
        added.append(key)
        return key

    yield add
    for key in added:
        METHODS.pop(key, None)


def poisoned_backprop(at_call, value=np.nan, row=None):
    """Backprop, except that call number ``at_call`` returns ``value`` in one entry (of ``row`` if stacked)."""
    calls = [0]

    def gradient(objective, h):
        calls[0] += 1
        grad = METHODS["backprop"].gradient(objective, h)
        if calls[0] == at_call:
            grad[(row, 3) if row is not None else 3] = value
        return grad
    return gradient


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_trainer_stops_at_the_first_non_finite_step(temporary_method, value):
    key = temporary_method("poisoned", poisoned_backprop(at_call=7, value=value))
    config = TrainConfig(method=key, iterations=50)
    trainer = Trainer(config)
    snapshots = []
    trainer.run(on_snapshot=snapshots.append, every_steps=1)
    assert trainer.diverged_at == 7
    assert trainer.iteration == 6 and trainer.finished
    # the parameters of the last finite step, bit for bit
    assert np.array_equal(trainer.network.params, backprop_params_after(config, 6))
    assert np.isfinite(trainer.loss()) and np.all(np.isfinite(trainer.surface(10)))
    assert snapshots[-1].diverged_at == 7 and snapshots[-1].iteration == 6
    assert np.all(np.isfinite(snapshots[-1].surface))
    assert max(trainer.history.steps) == 6


def test_step_reports_divergence(temporary_method):
    key = temporary_method("poisoned", poisoned_backprop(at_call=1))
    trainer = Trainer(TrainConfig(method=key))
    before = trainer.network.params.copy()
    assert trainer.step() is False
    assert trainer.diverged_at == 1 and trainer.iteration == 0
    assert np.array_equal(trainer.network.params, before)


def test_train_cli_reports_divergence_and_the_step(temporary_method, capsys):
    key = temporary_method("poisoned", poisoned_backprop(at_call=12))
    assert cli.main(["train", "--gate", "xor", "--method", key, "--iterations", "40", "--json"]) == 0
    out, _ = capsys.readouterr()
    report = json.loads(out)
    assert report["diverged"] is True and report["diverged_at"] == 12
    assert report["iterations"] == 11 and report["method"] == key
    assert np.isfinite(report["final_loss"])


def test_train_cli_says_diverged_in_text(temporary_method, capsys):
    key = temporary_method("poisoned", poisoned_backprop(at_call=3))
    assert cli.main(["train", "--gate", "and", "--method", key, "--iterations", "40"]) == 0
    out, _ = capsys.readouterr()
    assert "diverged at step 3" in out


def test_sweep_freezes_only_the_seed_that_diverged(temporary_method):
    key = temporary_method("poisoned", poisoned_backprop(at_call=9, row=2))
    config = TrainConfig(gate="XOR", method=key, iterations=30)
    result = sweep(config, 4)
    assert result.diverged.tolist() == [False, False, True, False]
    assert not result.solved[2]
    reference = sweep(TrainConfig(gate="XOR", iterations=30), 4).params
    frozen = sweep(TrainConfig(gate="XOR", iterations=8), 4).params
    # the registered method runs on an Objective, sweep's backprop on the stack's own pass: equal to rounding
    np.testing.assert_allclose(result.params[[0, 1, 3]], reference[[0, 1, 3]], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(result.params[2], frozen[2], rtol=1e-12, atol=1e-12)
    assert not np.allclose(result.params[2], reference[2], rtol=1e-6)  # frozen: not where the clean run went


def test_an_exception_in_a_method_propagates_out_of_run(temporary_method):
    calls = [0]

    def failing(objective, h):
        calls[0] += 1
        if calls[0] == 3:
            raise RuntimeError("the method broke")
        return METHODS["backprop"].gradient(objective, h)

    key = temporary_method("failing", failing)
    config = TrainConfig(method=key, iterations=10)
    trainer = Trainer(config)
    with pytest.raises(RuntimeError, match="the method broke"):
        trainer.run(on_snapshot=lambda s: None, every_steps=1)
    assert trainer.iteration == 2 and trainer.diverged_at is None
    assert np.array_equal(trainer.network.params, backprop_params_after(config, 2))


# --- the loss history (issue 4: long runs) --------------------------------------------------

def test_loss_history_stays_bounded_over_two_million_adds():
    history = LossHistory()
    n = 2_000_000
    for step in range(n):
        history.add(step, 1.0 / (1.0 + step))
    steps, losses = history.arrays()
    assert len(steps) <= history.capacity
    assert steps[0] == 0 and losses[0] == 1.0  # the first point
    assert steps[-1] >= n - 2  # the latest point (or the one before it, if it was just thinned)
    assert np.all(np.diff(steps) > 0)
    np.testing.assert_array_equal(losses, 1.0 / (1.0 + steps))  # pairs stay together


def test_loss_history_as_the_trainer_feeds_it_keeps_the_shape():
    history = LossHistory()
    n = 2_000_000

    def curve(step):
        return np.exp(-step / 3e5) + 0.1 * np.sin(step / 5e4)

    for step in range(n + 1):
        if history.wants(step):
            history.add(step, float(curve(step)))
    steps, losses = history.arrays()
    assert history.capacity // 2 <= len(steps) <= history.capacity
    assert steps[0] == 0 and steps[-1] > n - history.stride
    gaps = np.diff(steps)
    assert np.all(gaps == gaps[0])  # evenly spaced: thinning keeps the shape, not a random subset
    everywhere = np.arange(0, n + 1, 997)
    assert np.abs(np.interp(everywhere, steps, losses) - curve(everywhere)).max() < 1e-3


def test_trainer_history_over_a_long_run():
    trainer = Trainer(TrainConfig(iterations=20_000))
    trainer.run()
    steps, losses = trainer.history.arrays()
    assert len(steps) <= trainer.history.capacity
    assert steps[0] == 0 and steps[-1] > 20_000 - trainer.history.stride
    assert np.all(np.diff(steps) > 0) and np.all(np.isfinite(losses))
    assert losses[-1] < losses[0]


def test_snapshot_history_ends_at_the_current_step():
    # Thinning may drop the newest kept point; the curve a snapshot carries still ends now.
    trainer = Trainer(TrainConfig(iterations=5_000))
    trainer.history.capacity = 64  # thin many times within a short run
    trainer.run()
    snapshot = trainer.snapshot(grid=None)
    assert snapshot.history_steps[-1] == trainer.iteration == 5_000
    assert snapshot.history_losses[-1] == snapshot.loss == trainer.loss()
    assert len(trainer.history.steps) < 64


def test_run_after_divergence_does_not_step_again(temporary_method):
    calls = []

    def always_nan(objective, h):
        calls.append(1)
        return np.full_like(objective.params, np.nan)

    trainer = Trainer(TrainConfig(method=temporary_method("always_nan", always_nan), iterations=10))
    trainer.run()
    assert trainer.diverged_at == 1 and len(calls) == 1
    trainer.run()
    assert trainer.diverged_at == 1 and len(calls) == 1 and trainer.iteration == 0


def test_on_pause_is_called_in_the_run_thread_when_the_pause_takes_effect():
    trainer = Trainer(TrainConfig(iterations=10**9))
    seen = []

    def on_pause():
        seen.append((threading.current_thread(), trainer.iteration))
        trainer.request_stop()

    runner = threading.Thread(target=lambda: trainer.run(on_pause=on_pause), daemon=True)
    runner.start()
    while trainer.iteration < 50:
        assert runner.is_alive()
        runner.join(0.001)
    trainer.pause()
    runner.join(PATIENCE)
    assert not runner.is_alive()
    assert len(seen) == 1 and seen[0][0] is runner and seen[0][1] == trainer.iteration
