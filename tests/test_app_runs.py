"""Runs as a learner makes them: what trains is what the controls show, stepping from a pause, training a
finished run further, stopping when solved, asking before a long run is closed, a window that fits the screen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.controller import Ended, StartAction, State, TrainingController
from nn_core.config import TrainConfig
from nn_core.trainer import Trainer

WAIT_MS = 60_000


def click(gui, button):
    assert button.isEnabled(), button.text()
    gui.mouseClick(button, Qt.MouseButton.LeftButton)


def ended_runs(window) -> list:
    runs = []
    window.controller.run_ended.connect(runs.append)
    return runs


def test_a_changed_method_trains_as_a_new_run_and_the_old_one_is_listed_as_stopped(make_window, gui):
    window = make_window(TrainConfig(method="backprop", iterations=20_000))
    runs = ended_runs(window)
    window.controls.step_count_spin.setValue(100)
    click(gui, window.controls.step_button)
    gui.waitUntil(lambda: window.controller.state == State.READY and window.controller.trainer.iteration == 100,
                  timeout=WAIT_MS)
    window.controls.method_combo.setCurrentIndex(window.controls.method_combo.findData("central"))
    assert window.controller.config.method == "backprop"  # nothing changed yet...
    assert "new run" in window.status_text() and window.controls.start_button.text() == "New run"  # ...and it says so

    window.controls.step_count_spin.setValue(50)
    click(gui, window.controls.step_button)
    gui.waitUntil(lambda: window.controller.state == State.READY and window.controller.trainer.iteration == 50,
                  timeout=WAIT_MS)
    trainer = window.controller.trainer
    assert trainer.config.method == "central" == window.controls.method_combo.currentData()
    assert trainer.loss_evals_per_step == 2 * trainer.network.size  # central's cost, not backprop's
    assert [(r.method, r.iterations, r.ended) for r in runs] == [("backprop", 100, Ended.STOPPED)]


def test_reset_mid_run_lists_the_run_as_stopped(make_window, gui):
    window = make_window(TrainConfig(iterations=10_000_000))
    runs = ended_runs(window)
    click(gui, window.controls.start_button)
    gui.waitUntil(lambda: window.controller.trainer.iteration > 0, timeout=WAIT_MS)
    click(gui, window.controls.reset_button)
    assert len(runs) == 1 and runs[0].ended == Ended.STOPPED and runs[0].iterations > 0
    assert window.history.column("result") == ["stopped"]
    click(gui, window.controls.reset_button)  # nothing trained since: no second row
    assert len(runs) == 1


def test_step_from_a_pause_then_continue(make_window, gui, note_pauses):
    window = make_window(TrainConfig(iterations=10_000_000))
    c = window.controller
    pauses = note_pauses(c.trainer)
    click(gui, window.controls.start_button)
    gui.waitUntil(lambda: c.trainer.iteration > 0, timeout=WAIT_MS)
    click(gui, window.controls.pause_button)
    gui.waitUntil(lambda: len(pauses) > 0, timeout=WAIT_MS)  # the worker stopped stepping, at pauses[-1]
    paused_at = pauses[-1]
    window.controls.step_count_spin.setValue(7)
    click(gui, window.controls.step_button)
    gui.waitUntil(lambda: c.state == State.READY, timeout=WAIT_MS)
    assert c.trainer.iteration == paused_at + 7
    assert window.controls.start_button.text() == "Continue"
    click(gui, window.controls.start_button)
    gui.waitUntil(lambda: c.trainer.iteration > paused_at + 7, timeout=WAIT_MS)
    assert c.state == State.TRAINING


def test_a_finished_run_trains_further_to_a_larger_step_count(make_window, gui):
    window = make_window(TrainConfig(iterations=200))
    c = window.controller
    runs = ended_runs(window)
    click(gui, window.controls.start_button)
    gui.waitUntil(lambda: c.state == State.FINISHED, timeout=WAIT_MS)
    assert window.controls.start_button.text() == "Start again"
    window.controls.steps_spin.setValue(300)
    assert c.start_action(window.controls.config()) == StartAction.FURTHER
    assert window.controls.start_button.text() == "Train on" and "on to step 300" in window.status_text()
    click(gui, window.controls.start_button)
    gui.waitUntil(lambda: c.state == State.FINISHED and c.trainer.iteration == 300, timeout=WAIT_MS)
    straight = Trainer(TrainConfig(iterations=300))
    straight.run()
    np.testing.assert_array_equal(c.trainer.network.params, straight.network.params)  # as if never stopped
    assert [(r.iterations, r.ended) for r in runs] == [(200, Ended.DONE), (300, Ended.DONE)]

    click(gui, window.controls.step_button)  # Step past the end: one more step, the total grows with it
    gui.waitUntil(lambda: c.state == State.FINISHED and c.trainer.iteration == 301, timeout=WAIT_MS)
    assert c.config.iterations == 301 == window.controls.config().iterations  # the Steps box shows the new total
    assert window.controls.start_button.text() == "Start again"  # nothing changed: not "New run"
    window.controls.method_combo.setCurrentIndex(window.controls.method_combo.findData("central"))
    assert window.controls.start_button.text() == "New run" and "begins a new run" in window.status_text()


def test_stop_when_solved_ends_the_run_solved_before_its_total(gui):
    controller = TrainingController(TrainConfig(gate="XOR", iterations=1_000_000))
    runs = []
    controller.run_finished.connect(runs.append)
    try:
        controller.start(stop_when_solved=True)
        gui.waitUntil(lambda: controller.state == State.FINISHED, timeout=WAIT_MS)
        assert controller.trainer.solved() and controller.trainer.iteration < 1_000_000
        assert len(runs) == 1 and runs[0].ended == Ended.SOLVED and runs[0].solved
        alone = Trainer(TrainConfig(gate="XOR"))
        while not alone.solved():
            alone.step()
        # Checked between chunks (a chunk is at most 100,000 steps): it stops in the chunk where it was solved.
        assert alone.iteration <= controller.trainer.iteration <= alone.iteration + 100_000
    finally:
        controller.shutdown()


@pytest.mark.parametrize("answer", [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Close])
def test_closing_a_long_run_asks_first(make_window, gui, monkeypatch, answer):
    window = make_window(TrainConfig(iterations=10_000_000))
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: asked.append(args) or answer)
    monkeypatch.setattr(window, "ASK_AFTER_SECONDS", 0.0)
    click(gui, window.controls.start_button)
    gui.waitUntil(lambda: window._latest_progress.wall_seconds > 0, timeout=WAIT_MS)
    window.close()
    assert len(asked) == 1
    assert window.controller.closed == (answer == QMessageBox.StandardButton.Close)
    if answer == QMessageBox.StandardButton.Cancel:
        assert window.isVisible() and window.controller.state == State.TRAINING
        window.close_now()  # Ctrl+C's way: no question
        assert len(asked) == 1 and window.controller.closed


def test_a_short_run_closes_without_asking(make_window, gui, monkeypatch):
    window = make_window(TrainConfig(iterations=10_000_000))
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: pytest.fail("asked"))
    click(gui, window.controls.start_button)
    gui.waitUntil(lambda: window.controller.trainer.iteration > 0, timeout=WAIT_MS)
    window.close()
    assert window.controller.closed


GEOMETRY = textwrap.dedent("""
    import json
    from app.qt import make_application
    from app.window import MainWindow
    app = make_application()
    window = MainWindow()
    window.show()
    for _ in range(20):
        app.processEvents()
    room = window.screen().availableGeometry()
    frame, minimum = window.frameGeometry(), window.minimumSizeHint()
    print(json.dumps({"room": [room.x(), room.y(), room.width(), room.height()],
                      "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
                      "minimum": [minimum.width(), minimum.height()]}))
    window.close_now()
""")


@pytest.mark.parametrize(("screen", "scale"), [("1366x768", "1"), ("1920x1080", "2"), ("3840x2160", "1")])
def test_the_window_opens_within_the_screen(screen, scale):
    env = {**os.environ, "QT_SCALE_FACTOR": scale}
    env.pop("DISPLAY", None)
    result = subprocess.run(["xvfb-run", "-a", "-s", f"-screen 0 {screen}x24", sys.executable, "-c", GEOMETRY],
                            capture_output=True, text=True, env=env, timeout=180)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    x, y, width, height = shown["frame"]
    rx, ry, room_width, room_height = shown["room"]
    assert rx <= x and ry <= y and x + width <= rx + room_width and y + height <= ry + room_height, shown
    # The smallest the window can be fits 1920×1080 at scale 2 (960×540) with a title bar: every panel reachable.
    assert shown["minimum"][0] <= 960 and shown["minimum"][1] <= 540 - 40, shown


def test_the_status_line_never_reports_a_run_above_a_3d_view_that_is_not_drawn(make_window, gui):
    window = make_window(TrainConfig(iterations=300))
    with gui.waitSignal(window.surface_view.gl_failed_changed):
        window.surface_view.view.fail("the context was lost")
    click(gui, window.controls.start_button)
    gui.waitUntil(lambda: window.controller.state == State.FINISHED, timeout=WAIT_MS)
    assert window.status_label.text().endswith("— 3D view off: the context was lost")


def test_reset_view_is_an_action_of_the_window(make_window, gui):
    window = make_window()
    view = window.surface_view.view
    framed = view.cameraParams()
    view.setCameraPosition(distance=framed["distance"] * 2, azimuth=framed["azimuth"] + 40)
    assert view.cameraParams() != framed
    gui.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.cameraParams() == framed


def test_a_run_stopped_when_solved_reads_as_over_in_the_timing_panel(make_window, gui):
    window = make_window(TrainConfig(gate="XOR", iterations=1_000_000))
    window.controls.set_stop_when_solved(True)
    click(gui, window.controls.start_button)
    gui.waitUntil(lambda: window.controller.state == State.FINISHED, timeout=WAIT_MS)
    steps = window.controller.trainer.iteration
    assert steps < 1_000_000
    assert window.readout.text("eta") == "0.00 s" and window.readout.text("total") != "—"
    assert window.readout.progress_bar.fraction == 1.0
    assert window.readout.progress_bar.text == f"solved early, at step {steps:,}"


def test_a_target_clicked_after_some_steps_starts_that_gate_from_the_seed(make_window, gui):
    window = make_window(TrainConfig(gate="XOR", iterations=20_000))
    runs = ended_runs(window)
    window.controls.step_count_spin.setValue(50)
    click(gui, window.controls.step_button)
    gui.waitUntil(lambda: window.controller.state == State.READY and window.controller.trainer.iteration == 50,
                  timeout=WAIT_MS)
    window.truth_table.target_toggled.emit(3)  # row 11: XOR's 0 becomes 1, so OR
    c = window.controller
    assert c.config.gate == "OR" and c.trainer.iteration == 0  # every view now shows what will train
    assert window.truth_table.table.item(3, window.truth_table.TARGET).text() == "1"
    assert window.status_text().startswith("Ready: OR with backprop")
    assert [(r.gate, r.iterations, r.ended) for r in runs] == [("XOR", 50, Ended.STOPPED)]
