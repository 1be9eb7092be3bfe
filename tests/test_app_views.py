"""The race and all-gates views, replay and pace in the window, as a learner uses them."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest
from close_driver import assert_closed_cleanly, close_mid_run

from app.session import State, View
from nn_core.config import TrainConfig
from nn_core.gates import GATES
from nn_core.methods import METHODS
from nn_core.trainer import Trainer

WAIT = 120_000  # ms: only a process that never gets there hits this


@pytest.fixture
def view_window(make_window):
    def make(view, config=None, pace=None):
        window = make_window(config or TrainConfig(iterations=300))
        window.set_view(view)
        if pace is not None:
            window.session.pace = pace
        return window
    return make


def finish(gui, window, view):
    with gui.waitSignal(window.schedules.finished, timeout=WAIT):
        window.controls.start_button.click()
    assert window.session.runs(view).state == State.FINISHED


def test_the_race_trains_each_method_exactly_as_train_does(gui, view_window):
    config = TrainConfig(gate="XOR", hidden=(3,), iterations=200, seed=4)
    window = view_window(View.RACE, config)
    finish(gui, window, View.RACE)
    race = window.schedules.job.race
    assert list(race.trainers) == list(METHODS)
    for method, trainer in race.trainers.items():
        alone = Trainer(replace(config, method=method))
        alone.run()
        assert trainer.iteration == 200
        assert np.array_equal(trainer.network.params, alone.network.params), method
    results = {entry["method"]: entry for entry in race.results()}
    assert set(results) == set(METHODS)
    assert all(entry["us_per_step"] > 0 and not entry["projected"] for entry in results.values())
    # The table shows every method, and the drawing cost was measured on the drawn surface.
    assert window.session.runs(View.RACE).extra["drawing_cost"]["us_per_step_drawn"] > 0


def test_all_gates_train_as_one_computation_and_match_train(gui, view_window):
    config = TrainConfig(method="backprop", hidden=(4,), iterations=300, seed=2)
    window = view_window(View.GATES, config)
    finish(gui, window, View.GATES)
    stack = window.schedules.job.stack
    statuses = window.session.runs(View.GATES).statuses
    assert [s.key for s in statuses] == list(GATES)
    for i, gate in enumerate(GATES):
        alone = Trainer(replace(config, gate=gate))
        alone.run()
        assert np.allclose(stack.params_of(i), alone.network.params, rtol=0, atol=1e-9), gate
        assert statuses[i].iteration == 300
    assert window.session.runs(View.GATES).extra["single_network_us"] > 0


def test_replay_shows_exactly_the_surface_of_the_kept_step(gui, make_window):
    config = TrainConfig(gate="XOR", method="backprop", iterations=400)
    window = make_window(config)
    with gui.waitSignal(window.controller.run_finished, timeout=WAIT):
        window.controls.start_button.click()
    log = window.controller.replay
    assert log.steps[0] == 0 and log.steps[-1] == 400 and len(log.steps) > 20
    assert window.timeline.isEnabled()
    for step in (int(log.steps[3]), int(log.steps[len(log.steps) // 2])):
        window.timeline.moved.emit(step)
        again = Trainer(config)
        again.run(until=step)
        assert np.array_equal(window.surface_view.surface_z(), again.surface(window.controller.grid).astype(np.float32))
        shown = [float(window.truth_table.table.item(row, 3).text()) for row in range(4)]
        assert np.allclose(shown, again.outputs(), atol=5e-4)
        assert window.loss_curve.marker()[0] == step
    window.controls.start_button.click()  # a new run: live again, no marker
    gui.waitUntil(lambda: window.session.replay_step is None, timeout=WAIT)
    assert window.loss_curve.marker() is None


def test_the_race_replays_every_lane_at_the_chosen_step(gui, view_window):
    config = TrainConfig(gate="OR", iterations=150)
    window = view_window(View.RACE, config)
    finish(gui, window, View.RACE)
    runs = window.session.runs(View.RACE)
    step = int(runs.logs["backprop"].steps[5])
    window.timeline.moved.emit(step)
    for method in METHODS:
        again = Trainer(replace(config, method=method))
        again.run(until=step)
        lane = window.race_view.surface_of(method)
        assert np.array_equal(lane.surface_z(), again.surface(lane.grid).astype(np.float32)), method


def test_a_paced_run_never_gets_ahead_of_its_pace(gui, make_window):
    window = make_window(TrainConfig(method="backprop", iterations=1_000_000))
    window.session.pace = 300.0
    window.controls.start_button.click()
    gui.waitUntil(lambda: window.controller.trainer.iteration >= 30, timeout=WAIT)
    window.controls.pause_button.click()
    gui.waitUntil(lambda: window.controller.state == State.PAUSED, timeout=WAIT)
    progress = window._latest_progress
    # Wall time includes every wait; at 300 steps/s the steps cannot outrun it (a slow machine only lags).
    assert progress.snapshot.iteration <= 300 * progress.wall_seconds + 300 / 60 + 1


def test_choosing_another_view_stops_the_run_under_way(gui, view_window):
    window = view_window(View.SINGLE, TrainConfig(iterations=10_000_000))
    window.controls.start_button.click()
    gui.waitUntil(lambda: window.controller.state == State.TRAINING, timeout=WAIT)
    window.view_tabs.setCurrentIndex(2)  # "All gates", as a click on its tab
    assert window.session.view == View.GATES
    assert window.controller.state == State.READY and window.controller.worker.idle
    window.controls.start_button.click()
    gui.waitUntil(lambda: window.session.runs(View.GATES).state == State.TRAINING, timeout=WAIT)
    window.set_view(View.SINGLE)
    assert window.session.runs(View.GATES).state == State.FINISHED and not window.schedules.running


def run_app(*args, timeout=600):
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=timeout)


def test_race_report_json_gives_a_bench_entry_per_method(tmp_path):
    report = tmp_path / "race.json"
    result = run_app("--view", "race", "--iterations", "200", "--hidden", "3", "--autostart", "--exit-when-done",
                     "--report-json", str(report))
    assert result.returncode == 0, result.stderr
    data = json.loads(report.read_text())
    bench = json.loads(subprocess.run([sys.executable, "-m", "nn_core", "bench", "--iterations", "200", "--hidden",
                                       "3", "--json"], capture_output=True, text=True, check=True).stdout)
    assert data["view"] == "race" and data["iterations"] == 200
    assert [entry["method"] for entry in data["results"]] == [entry["method"] for entry in bench["results"]]
    for ours, theirs in zip(data["results"], bench["results"], strict=True):
        assert set(theirs) <= set(ours)
        assert ours["final_loss"] == theirs["final_loss"] and ours["solved"] == theirs["solved"]
        assert ours["loss_evals_per_step"] == theirs["loss_evals_per_step"]
    assert data["frames"] > 0 and data["fps"] > 0


def test_gates_report_json_gives_one_entry_per_gate(tmp_path):
    report = tmp_path / "gates.json"
    result = run_app("--view", "gates", "--iterations", "500", "--autostart", "--exit-when-done",
                     "--report-json", str(report))
    assert result.returncode == 0, result.stderr
    data = json.loads(report.read_text())
    assert [entry["gate"] for entry in data["results"]] == list(GATES)
    for entry in data["results"]:
        alone = json.loads(subprocess.run([sys.executable, "-m", "nn_core", "train", "--gate", entry["gate"],
                                           "--method", "backprop", "--iterations", "500", "--json"],
                                          capture_output=True, text=True, check=True).stdout)
        assert entry["final_loss"] == pytest.approx(alone["final_loss"], rel=0, abs=1e-9)
        assert entry["solved"] == alone["solved"]
    assert data["us_per_step"] > 0 and data["single_network_us_per_step"] > 0


@pytest.mark.parametrize("args, words", [
    (["--view", "atlas-of-nothing"], "--view"),
    (["--pace", "0"], "--pace"),
    (["--pace", "nan"], "--pace"),
    (["--pace", "fast"], "--pace"),
])
def test_bad_view_or_pace_exits_2_with_one_line(args, words):
    result = run_app(*args, timeout=120)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in result.stderr


@pytest.mark.parametrize("paused", [False, True], ids=["training", "paused"])
@pytest.mark.parametrize("view", ["race", "gates", "atlas"])
def test_closing_a_view_mid_run_exits_cleanly_ten_times_in_a_row(view, paused):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2) as pool:  # before the first publication, and later
        results = list(pool.map(lambda i: close_mid_run(["--view", view], (i * 11) % 120, paused), range(10)))
    assert_closed_cleanly(results, paused, view)


def test_the_learner_chooses_which_methods_race(gui, view_window):
    config = TrainConfig(gate="AND", iterations=120)
    window = view_window(View.RACE, config)
    boxes = window.race_view.choice_boxes
    for key in ("central", "forward", "staged"):
        boxes[key].click()
    assert window.session.race_methods == ("vectorized", "backprop")
    assert list(window.race_view.lanes) == ["vectorized", "backprop"]  # the preview follows
    boxes["vectorized"].click()
    assert not boxes["backprop"].isEnabled()  # the last one cannot be unticked: a race needs a method
    finish(gui, window, View.RACE)
    assert [entry["method"] for entry in window.schedules.job.race.results()] == ["backprop"]
    with pytest.raises(ValueError):
        window.session.race_methods = ()


def test_a_schedule_that_cannot_start_says_why_and_changes_nothing(gui, view_window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    window = view_window(View.GATES, TrainConfig(iterations=50))

    def refuse(*_args, **_kwargs):
        raise ValueError("a stack's parameters must have shape (K, 17)")

    monkeypatch.setattr("app.schedule_worker.GateStack", refuse)
    window.controls.start_button.click()
    box = window.findChild(QMessageBox, "training-error")
    assert box is not None and "shape (K, 17)" in box.text()
    assert window.session.runs(View.GATES).state == State.READY and not window.schedules.running
    box.close()


def test_a_pause_takes_effect_at_once_even_at_a_very_slow_pace(gui, make_window, note_pauses):
    window = make_window(TrainConfig(method="backprop", iterations=1_000))
    window.session.pace = 0.1  # the slowest pace: a step every 10 s (the pause wakes the wait for it)
    taken = note_pauses(window.controller.trainer)  # before Start: the worker calls the wrapped run
    window.controls.start_button.click()
    gui.waitUntil(lambda: window.controller.state == State.TRAINING, timeout=WAIT)
    window.controls.pause_button.click()
    gui.waitUntil(lambda: bool(taken), timeout=WAIT)
    assert window.controller.trainer.iteration <= 2
    window.session.pace = None  # full speed: Resume goes on at once
    with gui.waitSignal(window.controller.run_finished, timeout=WAIT):
        window.controls.pause_button.click()


def test_a_paused_run_can_be_replayed_up_to_where_it_paused(gui, make_window, note_pauses):
    window = make_window(TrainConfig(method="central", hidden=(8,), iterations=1_000_000))
    taken = note_pauses(window.controller.trainer)  # before Start: the worker calls the wrapped run
    window.controls.start_button.click()
    gui.waitUntil(lambda: window.controller.trainer.iteration > 50, timeout=WAIT)
    window.controls.pause_button.click()
    gui.waitUntil(lambda: bool(taken), timeout=WAIT)
    gui.waitUntil(lambda: window.timeline.steps[-1] == taken[0], timeout=WAIT)
    assert window.timeline.isEnabled()


def test_a_race_at_a_slow_pace_keeps_to_it_in_slow_motion():
    """The leader keeps to the pace and no method runs ahead of it (the pace is a cap: a slow machine lags)."""
    import threading
    import time

    from app.pace import Pace
    from app.schedule_worker import RaceJob

    job = RaceJob(TrainConfig(iterations=1_000), ["central", "backprop"])
    pace, wake = Pace(20.0), threading.Event()
    started = time.perf_counter()
    while job.race.trainers["backprop"].iteration < 6:
        job.run_chunk(0.001, pace)
        job.keep_pace(pace, wake)
    elapsed = time.perf_counter() - started
    backprop, central = (job.race.trainers[key].iteration for key in ("backprop", "central"))
    assert backprop <= 20.0 * (elapsed + 0.1) + 1  # first steps untimed: one turn's grace
    assert central <= backprop


def test_a_stopped_schedule_shows_its_last_step_everywhere(gui, view_window):
    window = view_window(View.GATES, TrainConfig(iterations=10_000_000))
    window.controls.start_button.click()
    gui.waitUntil(lambda: window.session.runs(View.GATES).statuses[0].iteration > 100, timeout=WAIT)
    job = window.schedules.job
    window.set_view(View.SINGLE)  # stops the gates without waiting for the worker
    gui.waitUntil(lambda: window.schedules.worker.idle, timeout=WAIT)
    gui.waitUntil(lambda: window.session.runs(View.GATES).statuses[0].iteration == job.stack.iteration,
                  timeout=WAIT)
    runs = window.session.runs(View.GATES)
    assert runs.state == State.FINISHED
    assert all(log.steps[-1] == job.stack.iteration for log in runs.logs.values())  # kept where it stopped
    window.set_view(View.GATES)
    assert "Stopped" in window.status_text()


@pytest.mark.parametrize("view", [View.RACE, View.GATES])
def test_reset_mid_run_gives_back_the_controls(gui, view_window, view):
    window = view_window(view, TrainConfig(hidden=(8, 4), iterations=10_000_000))
    window.controls.start_button.click()
    gui.waitUntil(lambda: window.session.runs(view).state == State.TRAINING, timeout=WAIT)
    window.controls.reset_button.click()
    assert window.session.runs(view).state == State.READY
    assert window.controls.start_button.isEnabled() and not window.controls.pause_button.isEnabled()
    assert window.controls.seed_spin.isEnabled()
    assert "Ready" in window.status_text()
    window.controls.start_button.click()  # and it starts again
    gui.waitUntil(lambda: window.session.runs(view).state == State.TRAINING, timeout=WAIT)


def test_a_race_stopped_after_some_methods_finished_says_stopped(gui, view_window):
    window = view_window(View.RACE, TrainConfig(method="backprop", iterations=3_000))
    window.controls.start_button.click()
    gui.waitUntil(lambda: any(s.key == "backprop" and s.finished for s in window.session.runs(View.RACE).statuses)
                  and not all(s.finished for s in window.session.runs(View.RACE).statuses), timeout=WAIT)
    window.set_view(View.SINGLE)
    window.set_view(View.RACE)
    gui.waitUntil(lambda: window.schedules.worker.idle, timeout=WAIT)
    text = window.status_text()
    assert text.startswith("Stopped at step") and "finished" in text, text
