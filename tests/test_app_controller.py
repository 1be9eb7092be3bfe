"""The controller and worker: pause latency, divergence, a failing method, snapshot coalescing, quick cycles."""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6.QtWidgets import QMessageBox

from app.controller import State, TrainingController
from app.worker import TrainingWorker, UpdateRate, WallClock, _Job
from nn_core import methods
from nn_core.config import TrainConfig
from nn_core.methods import METHODS, GradientMethod
from nn_core.trainer import Trainer


@pytest.fixture
def controller(gui):
    made = []

    def make(config=None, rate=None):
        c = TrainingController(config or TrainConfig(iterations=10_000_000), rate)
        made.append(c)
        return c

    yield make
    for c in made:
        c.shutdown()
        assert c.thread_finished


def method_failing_at(call: int, how: str) -> GradientMethod:
    """backprop, until its ``call``-th gradient, which is non-finite (``how="inf"``) or raises."""
    calls = {"n": 0}

    def gradient(objective, h):
        calls["n"] += 1
        if calls["n"] >= call:
            if how == "raise":
                raise ArithmeticError("the test method gave up")
            return np.full_like(objective.params, np.inf)
        return methods.backprop(objective, h)

    return GradientMethod("failing", "Fails on purpose", "-", "-", lambda p: 1, gradient)


def test_pause_stops_the_steps_and_resume_continues(controller, gui, note_pauses):
    c = controller()
    pauses = note_pauses(c.trainer)
    c.start()
    gui.waitUntil(lambda: c.trainer.iteration > 1000, timeout=30_000)
    c.pause()
    gui.waitUntil(lambda: len(pauses) > 0, timeout=30_000)  # the worker stopped stepping, at pauses[-1]
    paused_at = pauses[-1]
    time.sleep(0.2)  # nothing moves while paused
    assert c.trainer.iteration == paused_at and c.state == State.PAUSED
    c.resume()
    gui.waitUntil(lambda: c.trainer.iteration > paused_at, timeout=30_000)
    c.stop()
    assert c.state == State.READY and c.worker.idle


def test_divergence_says_the_step_and_keeps_the_last_finite_surface(make_window, gui, monkeypatch):
    monkeypatch.setitem(METHODS, "failing", method_failing_at(40, "inf"))
    window = make_window(TrainConfig(method="failing", iterations=1000), UpdateRate(every_steps=10))
    with gui.waitSignal(window.controller.run_finished, timeout=30_000) as finished:
        window.start()
    assert finished.args[0].diverged_at == 40 and finished.args[0].iterations == 39
    assert window.controller.state == State.FINISHED
    assert "diverged at step 40" in window.status_text()
    assert window.history.column("result")[0] == "diverged at 40"
    z = window.surface_view.surface_z()
    assert np.isfinite(z).all()
    np.testing.assert_allclose(z, window.controller.trainer.surface(window.surface_view.grid), atol=1e-6)
    assert window.surface_view.set_surface(np.full_like(z, np.nan)) is False  # a NaN surface is never drawn
    np.testing.assert_array_equal(window.surface_view.surface_z(), z)
    texts = [window.readout.text(key) for key, _t, _d in window.readout.FIELDS] + window.truth_table.marks()
    assert not any("nan" in t.lower() for t in texts)


def test_a_method_that_raises_is_reported_and_the_next_start_works(make_window, gui, monkeypatch):
    monkeypatch.setitem(METHODS, "failing", method_failing_at(25, "raise"))
    window = make_window(TrainConfig(method="failing", iterations=1000))
    with gui.waitSignal(window.controller.error, timeout=30_000) as failed:
        window.start()
    assert "ArithmeticError: the test method gave up" in failed.args[0]
    gui.waitUntil(lambda: window.controller.state == State.READY, timeout=30_000)
    assert window.controller.trainer.iteration == 0  # back to the seeded network
    box = window.findChild(QMessageBox, "training-error")
    assert box is not None and "the test method gave up" in box.text()
    assert "Training failed" in window.status_label.text()
    box.close()

    controls = window.controls
    assert controls.start_button.isEnabled() and controls.method_combo.isEnabled()
    controls.method_combo.setCurrentIndex(controls.method_combo.findData("backprop"))
    controls.steps_spin.setValue(500)
    with gui.waitSignal(window.controller.run_finished, timeout=30_000) as finished:
        window.start()
    assert finished.args[0].iterations == 500 and finished.args[0].method == "backprop"


def test_snapshots_are_coalesced_so_the_queue_never_floods(qapp):
    worker = TrainingWorker(grid=11)  # left in this thread: _publish emits directly
    notified = []
    worker.progress_ready.connect(lambda: notified.append(1))
    trainer = Trainer(TrainConfig(iterations=100))
    job = _Job(1, trainer, 100, UpdateRate(), WallClock())
    for _ in range(50):
        trainer.step()
        worker._publish(job)
    assert len(notified) == 1  # one notification waits, whatever the number of snapshots
    latest = worker.take_latest()
    assert latest.snapshot.iteration == 50 and worker.take_latest() is None
    trainer.step()
    worker._publish(job)
    assert len(notified) == 2 and worker.take_latest().snapshot.iteration == 51


def test_surface_snapshots_come_by_the_clock_in_order(controller, gui):
    c = controller(TrainConfig(iterations=10_000_000))
    progress = []
    c.progress.connect(progress.append)
    started = time.perf_counter()
    c.start()
    gui.waitUntil(lambda: len(progress) >= 3, timeout=30_000)
    c.stop()
    seconds = time.perf_counter() - started
    assert len(progress) <= 30 * seconds + 3  # ~30 a second at most (plus the first, the last, stop's own)
    steps = [p.snapshot.iteration for p in progress]
    assert steps == sorted(steps)


def test_rapid_start_stop_reset_and_pause_cycles_end_consistent(make_window, gui):
    window = make_window(TrainConfig(iterations=10_000_000))
    c = window.controller
    for i in range(40):
        window.start()
        if i % 2:
            gui.wait(1)
        c.stop() if i % 3 else window.reset()
        assert c.state == State.READY and c.worker.idle
    window.start()
    for _ in range(40):
        window.toggle_pause()
    assert c.state == State.TRAINING
    c.stop()
    gui.wait(50)
    assert window.readout.text("steps").startswith(f"{c.trainer.iteration:,} /")
    seeded = Trainer(TrainConfig(iterations=10_000_000)).network.params
    window.reset()
    np.testing.assert_array_equal(c.trainer.network.params, seeded)


def test_with_drawing_off_snapshots_are_dropped_and_every_n_steps_runs_on(controller, gui, monkeypatch):
    """app.bench switches drawing off and on within a run: off, nothing reaches the views, and a run that
    waits for each drawing (every N steps) is not held up."""
    import app.worker

    monkeypatch.setattr(app.worker, "MAX_DRAW_WAIT_SECONDS", 60.0)  # a starved GUI still draws every one
    c = controller(TrainConfig(iterations=400), UpdateRate(every_steps=1))
    shown = []
    c.progress.connect(shown.append)
    c.drawing = False
    with gui.waitSignal(c.run_finished, timeout=60_000) as finished:
        c.start()
    assert finished.args[0].iterations == 400
    assert c.frames == 0 and all(p.snapshot.iteration != 200 for p in shown)
    c.drawing = True
    c.reset(TrainConfig(iterations=50))
    with gui.waitSignal(c.run_finished, timeout=60_000):
        c.start()
    assert c.frames == 50  # every step drawn, as before
