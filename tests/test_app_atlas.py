"""The seed atlas in the window: its figures are sweep's, Cancel stops it at once, the GUI keeps going while 10,000
seeds train, a click on a cell replays that seed, and its command line."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import replace

import numpy as np
import pytest
from gui_helpers import type_into
from PySide6.QtCore import Qt, QTimer

from app.atlas_view import DIVERGED_RGB, FAILED_RGB, SOLVED_RGB
from app.session import ATLAS_SEEDS, Session, State, View
from nn_core.atlas import WIDTHS
from nn_core.config import TrainConfig
from nn_core.sweep import sweep

WAIT = 300_000  # ms: only a process that never gets there hits this


@pytest.fixture
def atlas_window(make_window):
    def make(config, seeds):
        window = make_window(config)
        window.view_tabs.setCurrentIndex(3)  # "Seed atlas", as a click on its tab
        assert window.session.view == View.ATLAS
        window.atlas_view.seeds_spin.setValue(seeds)  # as the learner types it
        assert window.session.atlas_seeds == seeds
        return window
    return make


def finish(gui, window) -> None:
    with gui.waitSignal(window.schedules.finished, timeout=WAIT):
        window.controls.start_button.click()
    assert window.session.runs(View.ATLAS).state == State.FINISHED


def test_the_session_holds_the_atlas_seeds_and_refuses_bad_ones():
    session = Session()
    seen = []
    session.atlas_seeds_changed.connect(seen.append)
    session.atlas_seeds = 10_000
    for bad in (0, ATLAS_SEEDS.high + 1, 2.5, True):
        with pytest.raises(ValueError):
            session.atlas_seeds = bad
    assert session.atlas_seeds == 10_000 and seen == [10_000]


def test_the_seeds_box_reads_any_notation_and_refuses_the_rest_visibly(gui, atlas_window):
    """As every number box of the window: 1e3 is 1000; out of range, not whole or not a number is refused with a
    red frame and a note that gives the range, and the box and the session keep the last good value."""
    window = atlas_window(TrainConfig(gate="XOR", hidden=(2,), iterations=100), 400)
    view = window.atlas_view
    box = view.seeds_spin
    type_into(gui, box, "1e3")
    assert window.session.atlas_seeds == 1000 and box.value() == 1000 and box.lineEdit().text() == "1000"
    assert not box.refused() and box.note() == "" and view.seeds_note.isHidden()
    assert view.summary.text() == "Seeds 0 to 999: press Start to train them all at once"
    for bad, shown in (("10001", "10001"), ("2.5", "2.5"), ("0", "0"), ("abc", "'abc'")):
        type_into(gui, box, bad)
        assert window.session.atlas_seeds == 1000 and box.value() == 1000, bad
        assert box.lineEdit().text() == "1000" and box.refused(), bad
        assert box.note() == f"seeds must be a whole number from 1 to 10000, got {shown}; kept 1000", box.note()
        assert view.seeds_note.isVisible() and view.seeds_note.text() == box.note()
        assert view.summary.text() == "Seeds 0 to 999: press Start to train them all at once"
    type_into(gui, box, "20")  # a good value clears the refusal
    assert window.session.atlas_seeds == 20 and not box.refused() and view.seeds_note.isHidden()


def test_the_atlas_shows_sweeps_figures_and_the_width_series(gui, atlas_window):
    config = TrainConfig(gate="XOR", hidden=(2,), iterations=600)
    window = atlas_window(config, 40)
    finish(gui, window)
    expected = sweep(config, 40)
    report = window.schedules.job.report()
    assert report["seeds"] == 40 and report["solved"] == int(expected.solved.sum())
    assert report["failed_seeds"] == expected.failed_seeds and expected.failed_seeds  # width 2: some fail
    assert report["steps_to_solved"] == expected.steps_to_solved
    view = window.atlas_view
    status = view.status
    assert np.array_equal(status.solved, expected.solved) and np.array_equal(status.losses, expected.losses)
    solved = int(expected.solved.sum())
    assert view.summary.text() == f"{solved} of 40 seeds solved ({100 * solved / 40:.0f}%)"
    colours = view.cell_colours()
    assert (colours[expected.solved] == (92, 200, 120)).all() and (colours[~expected.solved] == (235, 106, 90)).all()
    # The width chart: eight points, each sweep's share at that width; the settings' width marked.
    assert sorted(view.rates) == list(WIDTHS)
    for width in WIDTHS:
        alone = sweep(replace(config, hidden=(width,)), 40)
        assert view.rates[width] == alone.solved.sum() / 40, width
        assert [point["solved"] for point in report["widths"] if point["width"] == width] == [alone.solved.sum()]
    assert view.bars.opts["height"][1] == pytest.approx(100 * solved / 40)
    assert view.current_width == 2
    failed = expected.failed_seeds[0]
    assert view.cell_text(failed).startswith(f"seed {failed}: failed, final loss ")
    assert not expected.diverged.any() and "diverged" not in view.legend.text() + view.summary.text()
    # Colouring by the final loss: a failed seed (loss near ln 2) and a solved one differ.
    view.loss_check.setChecked(True)
    colours = view.cell_colours()
    assert not np.array_equal(colours[failed], colours[int(np.flatnonzero(expected.solved)[0])])
    assert "Finished the atlas" in window.status_label.text() and f"{solved} of 40" in window.status_label.text()


def test_diverged_seeds_are_named_and_coloured_apart_from_failed_ones(gui, atlas_window):
    """relu at learning rate 1e6: some seeds' updates stop being finite (nn_core's diverged_seeds), others fail."""
    config = TrainConfig(gate="XOR", activation="relu", lr=1e6, hidden=(16, 16), iterations=200)
    window = atlas_window(config, 12)
    finish(gui, window)
    expected = sweep(config, 12)
    diverged = [int(s) for s in np.flatnonzero(expected.diverged)]
    failed = [s for s in expected.failed_seeds if s not in diverged]
    assert diverged and failed  # both kinds, to tell apart
    assert window.schedules.job.report()["diverged_seeds"] == diverged
    view = window.atlas_view
    assert np.array_equal(view.status.diverged, expected.diverged)
    colours = view.cell_colours()
    assert (colours[diverged] == DIVERGED_RGB).all() and (colours[failed] == FAILED_RGB).all()
    assert (colours[expected.solved] == SOLVED_RGB).all()
    # Hovering a diverged cell names it so.
    where = view.grid_plot.mapFromScene(view.cells.mapToScene(view.cell_center(diverged[0])))
    gui.mouseMove(view.grid_plot.viewport(), where)
    gui.waitUntil(lambda: view.cells.toolTip() != "", timeout=30_000)
    assert view.cells.toolTip().split("\n")[0] == f"seed {diverged[0]}: diverged, its update stopped being finite"
    assert view.cell_text(failed[0]).startswith(f"seed {failed[0]}: failed, final loss ")
    solved = int(expected.solved.sum())
    assert view.summary.text() == f"{solved} of 12 seeds solved ({100 * solved / 12:.0f}%), {len(diverged)} diverged"
    assert "#703e8c\">■</span> diverged" in view.legend.text()  # DIVERGED_RGB's swatch, named
    assert "failed" in view.legend.text() and "solved" in view.legend.text()


def test_a_click_on_a_cell_loads_that_seed_into_the_single_run(gui, atlas_window):
    config = TrainConfig(gate="XOR", hidden=(2,), iterations=500)
    window = atlas_window(config, 60)
    finish(gui, window)
    view = window.atlas_view
    failed = int(np.flatnonzero(~view.status.solved)[0])
    where = view.grid_plot.mapFromScene(view.cells.mapToScene(view.cell_center(failed)))
    assert view.seed_at(view.cell_center(failed)) == failed
    gui.mouseMove(view.grid_plot.viewport(), where)
    gui.mouseClick(view.grid_plot.viewport(), Qt.MouseButton.LeftButton, pos=where)
    gui.waitUntil(lambda: window.session.view == View.SINGLE, timeout=30_000)
    assert window.view_tabs.currentIndex() == 0
    assert window.session.settings == replace(config, seed=failed).validated()
    assert window.controller.config.seed == failed and window.controller.trainer.iteration == 0
    assert window.controls.seed_spin.value() == failed
    assert f"seed {failed}: failed" in window.shell.notice_text
    # Start replays it: the same failure as the atlas found.
    with gui.waitSignal(window.controller.run_finished, timeout=WAIT):
        window.controls.start_button.click()
    assert not window.controller.trainer.solved()


def test_cancel_stops_ten_thousand_seeds_within_a_second_and_the_gui_keeps_going(gui, atlas_window):
    window = atlas_window(TrainConfig(gate="XOR", iterations=1_000_000), 10_000)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(5)
    window.controls.start_button.click()
    runs = window.session.runs(View.ATLAS)
    gui.waitUntil(lambda: runs.statuses and runs.statuses[0].step > 0, timeout=WAIT)
    first_step, ticks_then = runs.statuses[0].step, len(ticks)
    summary_then = window.atlas_view.summary.text()  # "Step 12 of 1,000,000: ..."
    # While 300 more steps of 10,000 networks train (thousands of ms of work), the GUI thread keeps handling
    # its timer and showing the step: far more than 10 ticks of a 5 ms timer, however slow the machine.
    gui.waitUntil(lambda: runs.statuses[0].step >= first_step + 300, timeout=WAIT)
    assert len(ticks) - ticks_then > 10
    assert window.atlas_view.summary.text() != summary_then
    assert runs.state == State.TRAINING and window.atlas_view.cancel_button.isEnabled()
    window.atlas_view.cancel_button.click()
    assert runs.state == State.FINISHED  # at once in the window
    gui.waitUntil(lambda: window.schedules.worker.idle, timeout=1_000)  # the worker has stopped within the second
    timer.stop()
    status = window.session.runs(View.ATLAS).statuses[0]
    assert 0 < status.step < 1_000_000 and not status.finished
    assert "Stopped the atlas" in window.status_label.text()
    # The bar says where it stopped, and no time left: nothing trains any more.
    shown = window.atlas_view.status
    assert not shown.finished and shown.progress > 0
    assert window.atlas_view.progress_bar.format() == f"Stopped at {100 * shown.progress:.0f}%"
    assert not window.atlas_view.cancel_button.isEnabled() and window.atlas_view.seeds_spin.isEnabled()


def test_view_seed_atlas_is_ctrl_4_without_timeline_or_pace(gui, make_window):
    window = make_window(TrainConfig(iterations=100))
    gui.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.session.view == View.ATLAS and window.view_tabs.currentIndex() == 3
    assert window.shell.view_actions["atlas"].isChecked()
    assert window.atlas_view.summary.text() == "Seeds 0 to 399: press Start to train them all at once"
    assert not window.timeline.isVisible() and not window.pace_combo.isVisible()  # no steps kept, no pace
    assert not window.controls.step_button.isEnabled()
    gui.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.timeline.isVisible() and window.pace_combo.isVisible()


def run_app(*args, timeout=600):
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=timeout)


def test_atlas_report_json_equals_sweep_json(tmp_path):
    report = tmp_path / "atlas.json"
    flags = ["--seeds", "50", "--iterations", "500", "--hidden", "2", "--gate", "XOR"]
    result = run_app("--view", "atlas", *flags, "--autostart", "--exit-when-done", "--report-json", str(report))
    assert result.returncode == 0, result.stderr
    data = json.loads(report.read_text())
    swept = json.loads(subprocess.run([sys.executable, "-m", "nn_core", "sweep", *flags, "--json"],
                                      capture_output=True, text=True, check=True).stdout)
    assert data["view"] == "atlas"
    for key in ("seeds", "solved", "failed_seeds", "diverged_seeds", "steps_to_solved", "median_steps_to_solved",
                "solved_then_lost_seeds", "check_every", "gate", "method", "iterations", "lr"):
        assert data[key] == swept[key], key
    assert data["failed_seeds"]  # width 2 on XOR: some seeds fail
    assert [point["width"] for point in data["widths"]] == list(WIDTHS)
    assert [point["solved"] for point in data["widths"] if point["width"] == 2] == [swept["solved"]]


@pytest.mark.parametrize("seeds", ["0", "10001", "many", "2.5"])
def test_a_bad_seeds_exits_2_with_one_line(seeds):
    result = run_app("--view", "atlas", "--seeds", seeds, timeout=120)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--seeds" in lines[0] and "Traceback" not in result.stderr
