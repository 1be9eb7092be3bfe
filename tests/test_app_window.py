"""The window as a learner uses it: real clicks, the 3D view's pixels, pause/resume/step/reset, closing mid-run."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from app.controller import State
from app.formatting import MISSING
from app.panels import SOLVED_MARK
from app.worker import UpdateRate
from nn_core.config import TrainConfig
from nn_core.trainer import Trainer

FINISH_MS = 30_000


def click(gui, button):
    assert button.isEnabled(), button.text()
    gui.mouseClick(button, Qt.MouseButton.LeftButton)


def wait_state(gui, window, state, timeout=FINISH_MS):
    gui.waitUntil(lambda: window.controller.state == state, timeout=timeout)


def shown_steps(window) -> int:
    return int(window.readout.text("steps").split("/")[0].replace(",", ""))


def framebuffer(view) -> np.ndarray:
    image = view.grabFramebuffer().convertToFormat(QImage.Format.Format_RGBA8888)
    array = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    return array.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width()].copy()


def test_start_click_trains_xor_with_backprop_to_the_engine_result(make_window, gui):
    window = make_window(TrainConfig(gate="AND", method="central", iterations=1500))
    controls = window.controls
    controls.gate_combo.setCurrentText("XOR")
    controls.method_combo.setCurrentIndex(controls.method_combo.findData("backprop"))
    controls.steps_spin.setValue(3000)
    with gui.waitSignal(window.controller.run_finished, timeout=FINISH_MS) as finished:
        click(gui, controls.start_button)
    summary = finished.args[0]

    assert window.controller.state == State.FINISHED
    assert window.truth_table.marks() == [SOLVED_MARK] * 4
    assert shown_steps(window) == 3000 == summary.iterations
    assert summary.solved and (summary.gate, summary.method) == ("XOR", "backprop")
    headless = Trainer(TrainConfig(gate="XOR", method="backprop", iterations=3000))
    headless.run()
    np.testing.assert_array_equal(window.controller.trainer.network.params, headless.network.params)
    np.testing.assert_allclose(window.surface_view.surface_z(), headless.surface(window.surface_view.grid), atol=1e-6)
    assert window.history.rows()[0][:4] == ["XOR", "backprop", "4", "3,000"]
    assert "solved" in window.status_text() and "Finished" in window.status_text()
    assert all(MISSING != window.readout.text(key) for key in ("elapsed", "us_per_step", "total", "loss"))
    assert not any("nan" in window.readout.text(key).lower() for key, _t, _d in window.readout.FIELDS)


def test_surface_is_rendered_and_its_items_are_built_once(make_window, gui):
    window = make_window(TrainConfig(iterations=1500))
    view = window.surface_view
    items_before = list(view.items)
    parts_before = (view.surface, view.floor, view.targets, view.legend, *view.axes)
    click(gui, window.controls.start_button)
    wait_state(gui, window, State.FINISHED)
    gui.wait(50)

    pixels = framebuffer(view)
    colours = np.unique(pixels[..., :3].reshape(-1, 3), axis=0)
    assert len(colours) > 200, f"only {len(colours)} distinct colours: blank or flat"
    assert view.items == items_before and all(a is b for a, b in zip(view.items, items_before, strict=True))
    assert (view.surface, view.floor, view.targets, view.legend, *view.axes) == parts_before
    assert window.controller.frames >= 1 and view.frames >= window.controller.frames


def test_pause_stops_the_count_resume_continues(make_window, gui, note_pauses):
    # Two snapshots a second: when Pause is clicked, the last one is well behind the trainer.
    window = make_window(TrainConfig(iterations=10_000_000), UpdateRate(per_second=2))
    trainer = window.controller.trainer
    pauses = note_pauses(trainer)
    click(gui, window.controls.start_button)
    assert window.controller.trainer is trainer
    gui.waitUntil(lambda: shown_steps(window) > 0, timeout=30_000)
    shown = shown_steps(window)
    gui.waitUntil(lambda: window.controller.trainer.iteration > shown, timeout=30_000)  # trains past the frame
    click(gui, window.controls.pause_button)
    assert window.controller.state == State.PAUSED and window.controls.pause_button.text() == "Resume"
    gui.waitUntil(lambda: len(pauses) > 0, timeout=30_000)  # the worker stopped stepping, at pauses[-1]
    paused_at = pauses[-1]
    gui.waitUntil(lambda: shown_steps(window) == paused_at, timeout=30_000)  # and sent where it stopped
    assert paused_at == window.controller.trainer.iteration  # exact, not the last frame's count
    assert window.status_label.text().startswith(f"Paused at step {paused_at:,} ")  # the status line agrees
    gui.wait(300)
    assert shown_steps(window) == paused_at
    assert window.controller.trainer.iteration == paused_at
    assert all(not w.isEnabled() for w in window.controls.network_settings)

    click(gui, window.controls.pause_button)
    assert window.controller.state == State.TRAINING
    gui.waitUntil(lambda: shown_steps(window) > paused_at, timeout=30_000)


def test_step_advances_exactly_the_chosen_count(make_window, gui):
    window = make_window(TrainConfig(iterations=5000))
    window.controls.step_count_spin.setValue(7)
    click(gui, window.controls.step_button)
    wait_state(gui, window, State.READY)
    gui.waitUntil(lambda: shown_steps(window) == 7, timeout=30_000)
    assert window.controller.trainer.iteration == 7
    window.controls.step_count_spin.setValue(250)
    click(gui, window.controls.step_button)
    gui.waitUntil(lambda: window.controller.state == State.READY and shown_steps(window) == 257, timeout=30_000)
    assert window.controller.trainer.iteration == 257
    headless = Trainer(TrainConfig(iterations=5000))
    for _ in range(257):
        headless.step()
    np.testing.assert_array_equal(window.controller.trainer.network.params, headless.network.params)


def test_reset_restores_the_seeded_network_with_the_new_settings(make_window, gui):
    window = make_window(TrainConfig(iterations=10_000_000, seed=3))
    seeded = window.controller.trainer.network.params.copy()
    click(gui, window.controls.start_button)
    gui.waitUntil(lambda: shown_steps(window) > 100, timeout=30_000)
    assert not window.controls.seed_spin.isEnabled()  # network settings are locked mid-run
    click(gui, window.controls.reset_button)
    assert window.controller.state == State.READY and window.controller.trainer.iteration == 0
    np.testing.assert_array_equal(window.controller.trainer.network.params, seeded)
    assert shown_steps(window) == 0 and window.controls.seed_spin.isEnabled()

    window.controls.step_count_spin.setValue(10)
    click(gui, window.controls.step_button)
    gui.waitUntil(lambda: window.controller.state == State.READY and window.controller.trainer.iteration == 10,
                  timeout=30_000)
    window.controls.seed_spin.setValue(5)
    window.controls.hidden_edit.setValue((6,))
    assert window.controller.config.seed == 3  # a network with steps done keeps its settings until a new run
    assert "begins a new run" in window.status_text()
    gui.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert window.controller.config.seed == 5 and window.controller.config.hidden == (6,)
    assert window.controller.trainer.iteration == 0
    np.testing.assert_array_equal(window.controller.trainer.network.params,
                                  Trainer(TrainConfig(seed=5, hidden=(6,))).network.params)


def test_space_starts_and_pauses(make_window, gui):
    window = make_window(TrainConfig(iterations=10_000_000))
    window.surface_view.setFocus()
    gui.keyClick(window.surface_view, Qt.Key.Key_Space)
    assert window.controller.state == State.TRAINING
    gui.keyClick(window.surface_view, Qt.Key.Key_Space)
    assert window.controller.state == State.PAUSED
    gui.keyClick(window.surface_view, Qt.Key.Key_Space)
    assert window.controller.state == State.TRAINING


@pytest.mark.parametrize("when", ["training", "paused", "stepping", "finished"])
def test_closing_mid_run_ends_the_worker_thread(make_window, gui, when):
    window = make_window(TrainConfig(iterations=10_000_000 if when != "finished" else 300))
    controller = window.controller
    if when == "stepping":
        window.controls.step_count_spin.setValue(1_000_000)
        click(gui, window.controls.step_button)
    else:
        click(gui, window.controls.start_button)
    if when == "finished":
        wait_state(gui, window, State.FINISHED)
    else:
        gui.waitUntil(lambda: controller.trainer.iteration > 0, timeout=30_000)
    if when == "paused":
        click(gui, window.controls.pause_button)
    gui.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()
    assert controller.closed and controller.thread_finished and controller.worker.idle
    assert controller.worker.take_latest() is None


def test_every_n_steps_draws_each_nth_step(make_window, gui, monkeypatch):
    import app.worker

    monkeypatch.setattr(app.worker, "MAX_DRAW_WAIT_SECONDS", 60.0)  # a starved GUI still draws every one
    window = make_window(TrainConfig(iterations=600), UpdateRate(every_steps=50))
    assert window.controls.rate_steps_spin.isEnabled()
    with gui.waitSignal(window.controller.run_finished, timeout=FINISH_MS) as finished:
        click(gui, window.controls.start_button)
    assert finished.args[0].frames == 600 // 50  # waits for each drawing; the last one is step 600


def test_the_loss_axis_is_labelled_on_whole_decades_and_moves_only_when_the_loss_crosses_one(gui):
    from app.panels import LossCurve
    from app.worker import Progress

    curve = LossCurve()
    gui.addWidget(curve)
    trainer = Trainer(TrainConfig(iterations=3000))
    trainer.run()
    snapshot = trainer.snapshot(grid=None)
    curve.show_progress(Progress(1, snapshot, 0, 1.0))
    low = int(np.floor(np.log10(snapshot.history_losses.min())))
    assert curve._decades == (low, 0)  # the loss falls from ~0.7 (below 1) past 10**low
    major, minor = curve.getAxis("left")._tickLevels
    assert [value for value, _ in major] == list(range(low, 1))
    assert [label for _, label in major][-2:] == ["0.1", "1"] and all(label == "" for _, label in minor)
    y_low, y_high = curve.getViewBox().viewRange()[1]
    assert y_low < low and y_high > 0  # every labelled decade is on screen


def test_a_snapshot_is_on_screen_when_set_surface_returns_and_is_drawn_once(make_window, gui, monkeypatch):
    """The surface is drawn inside set_surface (app/liveview.py: not on Qt's update timer, when the worker trains)."""
    from app.surface_view import GLView

    window = make_window(TrainConfig())
    view = window.surface_view
    gui.waitUntil(view.view.isValid, timeout=30_000)
    paints, scheduled = [], []
    paint = GLView.paint  # what paintGL calls: Qt's own calls of paintGL do not see a patched paintGL
    monkeypatch.setattr(GLView, "paint", lambda self, **kw: (paints.append(1), paint(self, **kw)))
    update = GLView.update  # a repaint requested for later, on Qt's update timer
    monkeypatch.setattr(GLView, "update", lambda self: (None if self._drawing_now else scheduled.append(1),
                                                        update(self)))
    bottom, top = np.array(view.color_table[0][:3]) * 255, np.array(view.color_table[-1][:3]) * 255

    def share_of_screen_near(colour) -> float:
        image = view.view.screen().grabWindow(view.view.winId()).toImage()
        image = image.convertToFormat(QImage.Format.Format_RGBA8888)
        pixels = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
        pixels = pixels.reshape(-1, 4)[:, :3].astype(float)
        return float((np.abs(pixels - colour).max(axis=1) < 40).mean())

    for height, colour, other in ((1.0, top, bottom), (0.0, bottom, top), (1.0, top, bottom)):
        assert view.set_surface(np.full((view.grid, view.grid), height))
        assert len(paints) == 1  # drawn in the call, before any event was handled
        assert scheduled == []  # and no repaint asked of the update timer
        assert share_of_screen_near(colour) > 0.05 > share_of_screen_near(other)
        paints.clear()


def test_the_finished_runs_table_shows_every_header_whole(make_window, gui):
    from app.controller import Ended, RunSummary
    from app.worker import UpdateRate
    from nn_core.config import TrainConfig

    window = make_window()
    for method, steps, seconds in (("vectorized", 1_000_000, 754.3), ("backprop", 100_000, 6.92)):
        config = TrainConfig(gate="NAND", method=method, hidden=(64,), iterations=steps)
        window.history.add_run(RunSummary(config=config, rate=UpdateRate(), ended=Ended.DONE, iterations=steps,
                                          seconds=seconds, wall_seconds=seconds, us_per_step=754.3,
                                          loss_evals_per_step=1.0, final_loss=1e-4, solved=False, diverged_at=None,
                                          frames=0, fps=0.0))
    table = window.history.table
    gui.waitUntil(lambda: table.horizontalHeader().sectionSize(0) > 0, timeout=30_000)  # laid out
    header = table.horizontalHeader()
    for col in range(table.columnCount()):  # the first columns show; the rest scroll, never clipped to "olve"
        text = table.horizontalHeaderItem(col).text()
        assert header.sectionSize(col) >= header.fontMetrics().horizontalAdvance(text), text


def test_after_a_step_and_a_reset_start_says_start(make_window, gui):
    window = make_window(TrainConfig(iterations=2000))
    window.controls.step_count_spin.setValue(1)
    click(gui, window.controls.step_button)
    gui.waitUntil(lambda: window.controller.state == State.READY and window.controller.trainer.iteration == 1)
    assert window.controls.start_button.text() == "Continue"
    click(gui, window.controls.reset_button)  # READY to READY: no state change, but a new network
    assert window.controller.trainer.iteration == 0 and window.controls.start_button.text() == "Start"


def test_space_on_a_focused_check_box_ticks_it_and_does_not_start(make_window, gui):
    window = make_window(TrainConfig(iterations=10_000))
    for button in (window.controls.stop_when_solved_check, window.controls.chapter6_button):
        was = button.isChecked()
        button.setFocus()
        gui.waitUntil(button.hasFocus, timeout=5000)
        gui.keyClick(button, Qt.Key.Key_Space)
        assert button.isChecked() != was
        assert window.controller.state == State.READY and window.controller.trainer.iteration == 0
    window.controls.start_button.setFocus()
    gui.keyClick(window, Qt.Key.Key_Space)  # elsewhere Space is still Start/Pause
    gui.waitUntil(lambda: window.controller.state != State.READY, timeout=5000)


def test_space_pauses_a_run_started_with_space_even_when_the_focus_fell_to_the_fold_button(make_window, gui):
    window = make_window(TrainConfig(iterations=10_000_000))
    fold = window.controls.chapter6_button
    fold.setFocus()  # where the focus lands once starting disables every setting
    gui.waitUntil(fold.hasFocus, timeout=5000)
    window.start()
    gui.waitUntil(lambda: window.controller.state == State.TRAINING, timeout=5000)
    was = fold.isChecked()
    gui.keyClick(fold, Qt.Key.Key_Space)
    gui.waitUntil(lambda: window.controller.state == State.PAUSED, timeout=5000)
    assert fold.isChecked() == was


def test_reset_after_a_finished_run_shows_a_fresh_readout(gui, make_window):
    from app.controller import State

    window = make_window(TrainConfig(iterations=300))
    with gui.waitSignal(window.controller.run_finished, timeout=60_000):
        window.controls.start_button.click()
    assert window.readout.progress_bar.fraction == 1.0
    window.reset()
    assert window.controller.state == State.READY
    bar = window.readout.progress_bar
    assert bar.fraction == 0.0 and "solved early" not in bar.text  # not the finished run's "solved early, at step 0"
    assert window.readout.text("total") == "—" and window.readout.text("steps") == "0 / 300"
