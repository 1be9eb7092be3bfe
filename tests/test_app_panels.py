"""The panels beside the 3D view, built directly and fed Progress values made up for the case."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QWheelEvent
from PySide6.QtWidgets import QApplication

from app.controller import Ended, RunSummary
from app.formatting import MISSING
from app.panels import LossCurve, ProgressStrip, RunHistoryTable, TimingReadout
from app.worker import Progress, UpdateRate
from nn_core.config import TrainConfig
from nn_core.methods import DEFAULT_H
from nn_core.trainer import Snapshot


def snapshot(iteration=0, total=20_000, losses=None, steps=None, compute=0.0, diverged_at=None) -> Snapshot:
    losses = np.array([0.7] if losses is None else losses, dtype=float)
    steps = np.linspace(0, max(iteration, 1), len(losses)).round() if steps is None else np.asarray(steps)
    return Snapshot(iteration=iteration, total=total, loss=float(losses[-1]), outputs=np.full(4, 0.5),
                    targets=np.array([0.0, 1.0, 1.0, 0.0]), solved=False, surface=None, history_steps=steps,
                    history_losses=losses, compute_seconds=compute, elapsed_seconds=compute, diverged_at=diverged_at)


def progress(run_id=1, wall=0.0, start_step=0, until=None, **kw) -> Progress:
    return Progress(run_id, snapshot(**kw), loss_evals=kw.get("iteration", 0), wall_seconds=wall,
                    start_step=start_step, until=until)


def summary(method="backprop", us=10.0, ended=Ended.DONE, solved=True, diverged_at=None, lr=2.0, seed=0,
            steps=1000, rate=UpdateRate()) -> RunSummary:
    config = TrainConfig(method=method, lr=lr, seed=seed, iterations=steps)
    seconds = us * steps / 1e6
    return RunSummary(config=config, rate=rate, ended=ended, iterations=steps, seconds=seconds,
                      wall_seconds=2 * seconds, us_per_step=us, loss_evals_per_step=1.0, final_loss=1e-3,
                      solved=solved, diverged_at=diverged_at, frames=10, fps=30.0)


def shown(gui, widget):
    gui.addWidget(widget)
    widget.resize(320, 480)
    with gui.waitExposed(widget):
        widget.show()
    return widget


# --- 1. the progress bar -------------------------------------------------------------------------


def test_the_progress_bar_fills_from_the_left(gui):
    strip = shown(gui, ProgressStrip())
    strip.resize(400, strip.minimumHeight())
    strip.set_fraction(0.4, "")  # no text over the bar
    image = strip.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    w, h = image.width(), image.height()
    filled = image.pixelColor(int(0.2 * w), h // 2)
    groove = image.pixelColor(int(0.8 * w), h // 2)

    def near(a, b):
        return max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue())) < 30

    assert not near(filled, groove)
    for y in (int(0.3 * h), h // 2, int(0.7 * h)):  # the whole height of the left part
        for x in (int(0.05 * w), int(0.2 * w), int(0.35 * w)):
            assert near(image.pixelColor(x, y), filled), (x, y)
        for x in (int(0.45 * w), int(0.65 * w), int(0.95 * w)):  # and none of the right part, bottom included
            assert not near(image.pixelColor(x, y), filled), (x, y)


# --- 2. compute and wall time per step ------------------------------------------------------------


def test_the_readout_shows_compute_and_wall_time_per_step_and_the_drawing_share(gui):
    readout = shown(gui, TimingReadout())
    # The seed's finding: 1,000 steps of 10 µs compute took 0.7 s of wall time when drawn every step.
    readout.show_progress(progress(iteration=1000, compute=0.01, wall=0.7, until=20_000))
    assert readout.text("us_per_step") == "10.0"
    assert readout.text("wall_us_per_step") == "700.0"
    assert readout.text("drawing_share") == "98.6 % (70×)"
    assert "1 − compute ÷ wall" in readout.labels["drawing_share"].toolTip()
    assert "Gradient and update only" in readout.labels["us_per_step"].toolTip()
    assert "Elapsed wall time ÷ steps" in readout.labels["wall_us_per_step"].toolTip()


@pytest.mark.parametrize("case", [
    dict(iteration=0, compute=0.0, wall=0.0),  # nothing trained yet
    dict(iteration=10, compute=0.0, wall=0.0),  # a clock too coarse to see the steps
    dict(iteration=10, compute=float("nan"), wall=float("nan")),
    dict(iteration=10, compute=1.0, wall=float("inf")),
    dict(iteration=10, compute=0.0, wall=1.0, losses=[float("nan")]),
])
def test_the_readout_never_shows_nan(gui, case):
    readout = shown(gui, TimingReadout())
    readout.show_progress(progress(**case))
    texts = [readout.text(key) for key, _title, _tip in readout.FIELDS] + [readout.progress_bar.text]
    assert not any(word in text.lower() for text in texts for word in ("nan", "inf")), texts
    assert readout.text("wall_us_per_step") == MISSING or case["wall"] > 0
    if not case["compute"] > 0:
        assert "×" not in readout.text("drawing_share")


# --- 3. the steps under way ------------------------------------------------------------------------


def test_during_a_step_the_bar_and_time_left_describe_the_steps_under_way(gui):
    readout = shown(gui, TimingReadout())
    # Step ×7,000 from step 3,000 of 20,000, at 1,000 steps/s: 2,800 of the 7,000 done.
    readout.show_progress(progress(iteration=5800, compute=1.0, wall=5.8, start_step=3000, until=10_000))
    bar = readout.progress_bar
    assert bar.fraction == pytest.approx(0.4)
    assert bar.text == "Steps 3,000–10,000: 40.0 %"
    assert readout.text("eta") == "4.20 s"  # 4,200 steps to 10,000, not 14,200 to the run's end
    assert readout.text("steps") == "5,800 / 20,000"
    assert "Step ×N" in readout.labels["eta"].toolTip()

    # A full run is described by the run.
    readout.show_progress(progress(iteration=5000, compute=1.0, wall=5.0, until=20_000))
    assert bar.fraction == pytest.approx(0.25) and bar.text == "25.0 %"
    assert readout.text("eta") == "15.00 s"
    # Idle after the step: the run.
    readout.show_progress(progress(iteration=10_000, compute=1.0, wall=10.0))
    assert bar.fraction == pytest.approx(0.5) and bar.text == "50.0 %"


@pytest.mark.parametrize("case", [dict(until=20_000), dict(start_step=15_000, until=20_000), dict()])
def test_a_finished_run_fills_the_bar(gui, case):
    readout = shown(gui, TimingReadout())
    readout.show_progress(progress(iteration=20_000, compute=1.0, wall=2.0, **case))
    assert readout.progress_bar.fraction == 1.0 and readout.progress_bar.text == "100.0 %"
    assert readout.text("eta") == "0.00 s"


def test_a_diverged_run_fills_the_bar_and_says_where(gui):
    readout = shown(gui, TimingReadout())
    readout.show_progress(progress(iteration=1234, compute=1.0, wall=2.0, diverged_at=1235, until=20_000))
    assert readout.progress_bar.fraction == 1.0
    assert readout.progress_bar.text == "diverged at step 1,235"


# --- 4. the loss axis -----------------------------------------------------------------------------


def loss_curve(gui) -> LossCurve:
    curve = shown(gui, LossCurve())
    curve.resize(600, 200)
    return curve


@pytest.mark.parametrize("losses", [
    [0.7, 0.1, 0.0],  # an exact zero: it was floored at 1e-300 and drew ~300 labels
    [0.7, 0.0, 0.0, 0.0],
    [0.0],
    [1e-300, 0.5],
    [5e-324, 0.5],  # a denormal
    [np.finfo(float).tiny, 1.0],
    [1e300, 0.5],
    [np.finfo(float).max, 1e-300],
    [-1.0, 0.5],  # not a loss, but finite
    [0.7],  # a single point
    [0.3] * 50,  # constant
    [1.0] * 5,
    [float("nan"), float("inf"), 0.7, 1e-5],
])
def test_the_loss_axis_keeps_a_readable_range_and_few_labels(gui, losses):
    curve = loss_curve(gui)
    curve.show_progress(progress(iteration=100, losses=losses))
    labels = curve.tick_labels()
    assert 2 <= len(labels) <= 10, labels
    (_x0, _x1), (y0, y1) = curve.shown_range()
    assert 1e-36 <= y0 < y1 <= 1e36  # the floor and ceiling, and the padding for the end labels
    assert math.log10(y1) - math.log10(y0) <= 61 * 1.2
    finite = np.array([v for v in losses if math.isfinite(v)])
    shown_low = min(max(finite.min(), 1e-30), 1e30)
    shown_high = max(min(finite.max(), 1e30), 1e-30)
    assert y0 <= shown_low * 1.0001 and shown_high <= y1 * 1.0001  # every point is on screen
    if (finite <= 1e-30).any():
        assert labels[0] == "≤1e-30"  # zeros are drawn at the floor, and it says so
    if (finite >= 1e30).any():
        assert labels[-1] == "≥1e30"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(losses=arrays(float, st.integers(1, 40), elements=st.floats(allow_nan=True, allow_infinity=True, width=64)))
def test_any_loss_history_keeps_the_axis_readable(gui, losses):
    curve = LossCurve()
    curve.show_progress(progress(iteration=100, losses=losses))
    if np.isfinite(losses).any():
        assert 2 <= len(curve.tick_labels()) <= 10
        _x, (y0, y1) = curve.shown_range()
        assert 1e-36 <= y0 < y1 <= 1e36
    curve.deleteLater()


def test_a_loss_that_reaches_the_floor_later_is_marked(gui):
    curve = loss_curve(gui)
    curve.show_progress(progress(iteration=100, losses=[0.5, 1e-29]))
    assert curve.tick_labels()[0] == "1e-30"
    curve.show_progress(progress(iteration=200, losses=[0.5, 1e-29, 0.0]))  # the same decades shown
    assert curve.tick_labels()[0] == "≤1e-30"


def test_an_ordinary_run_is_labelled_on_every_decade(gui):
    curve = loss_curve(gui)
    curve.show_progress(progress(iteration=100, losses=[0.7, 0.01, 2e-5]))
    assert curve.tick_labels() == ["1e-5", "0.0001", "0.001", "0.01", "0.1", "1"]


# --- 5. the zoom and the step axis ----------------------------------------------------------------


def wheel(curve: LossCurve, notches: int = 3) -> None:
    viewport = curve.viewport()
    centre = QPointF(viewport.rect().center())
    event = QWheelEvent(centre, QPointF(viewport.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 * notches), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(viewport, event)


@pytest.mark.parametrize("how", ["new run", "clear_curve"])
def test_a_zoom_lasts_until_a_new_run_or_reset(gui, how):
    curve = loss_curve(gui)
    losses = np.geomspace(0.7, 1e-4, 50)
    curve.show_progress(progress(run_id=1, iteration=20_000, until=20_000, losses=losses))
    whole = curve.shown_range()
    wheel(curve)
    zoomed = curve.shown_range()
    assert zoomed[0][1] - zoomed[0][0] < 0.9 * (whole[0][1] - whole[0][0])  # the wheel zoomed in
    curve.show_progress(progress(run_id=1, iteration=20_000, until=20_000, losses=losses))
    assert curve.shown_range() == zoomed  # the user's zoom stays while the run goes on

    if how == "clear_curve":
        curve.clear_curve()
        assert curve.following and curve.curve.xData is None  # no curve
        curve.show_progress(progress(run_id=1, iteration=0, losses=[0.7]))
        curve.show_progress(progress(run_id=1, iteration=20_000, until=20_000, losses=losses))
    else:
        curve.show_progress(progress(run_id=2, iteration=20_000, until=20_000, losses=losses))
    assert curve.following
    (x0, x1), (y0, y1) = curve.shown_range()
    assert x0 <= 0 and x1 >= 20_000 and y0 <= 1e-4 and y1 >= 0.7


@pytest.mark.parametrize("how", ["A button", "View All"])
def test_the_a_button_or_view_all_follows_the_curve_again(gui, how):
    curve = loss_curve(gui)
    losses = np.geomspace(0.7, 1e-4, 50)
    curve.show_progress(progress(run_id=1, iteration=20_000, until=20_000, losses=losses))
    whole = curve.shown_range()
    wheel(curve)
    assert not curve.following
    if how == "A button":
        button = curve.getPlotItem().autoBtn
        button.clicked.emit(button)  # what a click does
    else:
        curve.getViewBox().menu.viewAll.trigger()
    assert curve.following
    assert curve.shown_range()[0] == pytest.approx(whole[0])


def test_the_step_axis_follows_what_is_trained_or_under_way(gui):
    curve = loss_curve(gui)
    curve.show_progress(progress(run_id=1, iteration=0, losses=[0.7]))
    # Step ×100 of a 20,000-step run: the axis shows 0..100, not 0..20,000.
    curve.show_progress(progress(run_id=2, iteration=30, start_step=0, until=100, losses=[0.7, 0.6]))
    (x0, x1), _ = curve.shown_range()
    assert x0 <= 0 and 100 <= x1 < 150
    curve.show_progress(progress(run_id=2, iteration=100, start_step=0, until=100, losses=[0.7, 0.5]))
    assert curve.shown_range()[0] == ((x0, x1))
    # Another Step ×100: grows to the next nice number, and not again until it is passed.
    curve.show_progress(progress(run_id=3, iteration=130, start_step=100, until=200, losses=[0.7, 0.4]))
    assert 200 <= curve.shown_range()[0][1] < 250
    curve.show_progress(progress(run_id=4, iteration=230, start_step=200, until=300, losses=[0.7, 0.3]))
    assert 500 <= curve.shown_range()[0][1] < 550
    x_range = curve.shown_range()[0]
    for step in (310, 350, 400, 450):
        curve.show_progress(progress(run_id=5, iteration=step, start_step=300, until=500, losses=[0.7, 0.3]))
        assert curve.shown_range()[0] == x_range  # not re-laid out frame by frame
    # Start: what has been trained so far, growing with the run up to its total, not beyond it.
    curve.show_progress(progress(run_id=6, iteration=600, start_step=500, until=15_000, total=15_000,
                                 losses=[0.7, 0.3]))
    assert 600 <= curve.shown_range()[0][1] < 1_100
    curve.show_progress(progress(run_id=6, iteration=14_000, start_step=500, until=15_000, total=15_000,
                                 losses=[0.7, 0.3]))
    assert 15_000 <= curve.shown_range()[0][1] < 16_000


# --- 6, 7. the finished runs --------------------------------------------------------------------


def history(gui) -> RunHistoryTable:
    table = shown(gui, RunHistoryTable())
    table.resize(900, 300)
    return table


def test_the_finished_runs_show_settings_result_and_relative_speed(gui):
    table = history(gui)
    assert "H" not in table.headers() and "hidden" in table.headers()
    table.add_run(summary("backprop", us=4.0, lr=0.5, seed=3))
    table.add_run(summary("central", us=100.0, rate=UpdateRate(every_steps=1)))
    table.add_run(summary("forward", us=10.0, ended=Ended.STOPPED, solved=False))
    table.add_run(summary("vectorized", us=8.0, ended=Ended.SOLVED))
    table.add_run(summary("staged", us=float("nan"), ended=Ended.DIVERGED, solved=False, diverged_at=1234))
    assert table.column("method") == ["staged", "vectorized", "forward", "central", "backprop"]  # newest first
    assert table.column("result") == ["diverged at 1,234", "solved early", "stopped", "solved", "solved"]
    assert table.column("speed") == [MISSING, "2×", "2.5×", "25×", "1×"]
    assert table.column("surface")[3:] == ["every step", "~30/s"]
    assert table.column("lr")[-1] == "0.5" and table.column("seed")[-1] == "3"
    assert table.column("h")[-1] == f"{DEFAULT_H:g}"
    assert table.column("final_loss")[0] == "0.001" and table.column("run") == ["5", "4", "3", "2", "1"]
    assert table.table.horizontalHeaderItem(table.keys.index("speed")).toolTip().startswith("µs/step ÷")


def test_the_finished_runs_sort_numbers_as_numbers(gui):
    table = history(gui)
    for us in (100.0, 9.5, 1000.0, 20.0):
        table.add_run(summary(us=us))
    col = table.keys.index("us_per_step")
    table.table.horizontalHeader().sectionClicked.emit(col)  # what a click on the header does
    table.table.sortByColumn(col, Qt.SortOrder.AscendingOrder)
    assert table.column("us_per_step") == ["9.5", "20.0", "100.0", "1,000.0"]  # as text "1,000.0" < "100.0"
    table.table.sortByColumn(col, Qt.SortOrder.DescendingOrder)
    assert table.column("us_per_step") == ["1,000.0", "100.0", "20.0", "9.5"]
    table.add_run(summary(us=50.0))  # a new run goes where the chosen order puts it
    assert table.column("us_per_step") == ["1,000.0", "100.0", "50.0", "20.0", "9.5"]


def test_clicking_a_header_sorts(gui):
    table = history(gui)
    for us in (100.0, 9.5, 1000.0):
        table.add_run(summary(us=us))
    header = table.table.horizontalHeader()
    col = table.keys.index("us_per_step")
    x = header.sectionViewportPosition(col) + header.sectionSize(col) // 2
    gui.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    first = table.column("us_per_step")
    assert first in (["9.5", "100.0", "1,000.0"], ["1,000.0", "100.0", "9.5"])


def test_the_finished_runs_can_be_cleared(gui):
    table = history(gui)
    assert not table.clear_button.isEnabled()
    table.add_run(summary(us=4.0))
    table.add_run(summary(us=8.0))
    assert table.clear_button.isEnabled()
    gui.mouseClick(table.clear_button, Qt.MouseButton.LeftButton)
    assert table.rows() == [] and not table.clear_button.isEnabled()
    table.add_run(summary(us=8.0))
    assert table.column("run") == ["1"] and table.column("speed") == ["1×"]  # compared with what is left
    assert [action.text() for action in table.table.actions()] == ["Copy as CSV", "Copy as Markdown", "Clear"]


def test_the_finished_runs_export_as_csv_and_markdown(gui):
    table = history(gui)
    table.add_run(summary("backprop", us=4.0))
    table.add_run(summary("central", us=1234.5, ended=Ended.STOPPED, solved=False, steps=100_000))
    csv_lines = table.to_csv().splitlines()
    assert csv_lines[0] == ",".join(table.headers())
    assert csv_lines[1].startswith('XOR,central,4,"100,000",stopped,')
    assert len(csv_lines) == 3
    md = table.to_markdown().splitlines()
    assert md[0] == "| " + " | ".join(table.headers()) + " |"
    assert set(md[1]) == {"|", "-"} and md[1].count("|") == len(table.headers()) + 1
    assert md[2].startswith("| XOR | central | 4 | 100,000 | stopped |")


def test_the_finished_runs_headers_are_whole_at_the_windows_minimum_width(make_window, gui):
    window = make_window()
    for method, us in (("vectorized", 754.3), ("backprop", 6.92)):
        window.history.add_run(summary(method, us=us, steps=1_000_000, ended=Ended.DIVERGED, diverged_at=999_999,
                                       solved=False))
    window.resize(window.minimumSizeHint().width(), window.height())
    gui.wait(50)
    table = window.history.table
    header = table.horizontalHeader()
    metrics = header.fontMetrics()
    for col in range(table.columnCount()):
        text = table.horizontalHeaderItem(col).text()
        assert header.sectionSize(col) >= metrics.horizontalAdvance(text), text
        widest = max(metrics.horizontalAdvance(table.item(row, col).text()) for row in range(table.rowCount()))
        assert header.sectionSize(col) >= widest, text
    assert table.horizontalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert window.history.column("result")[0] == "diverged at 999,999"


def test_the_step_axis_follows_a_long_run_as_it_trains(gui):
    curve = shown(gui, LossCurve())
    curve.show_progress(progress(iteration=5_000, total=1_000_000_000, until=1_000_000_000,
                                 losses=[0.7, 0.5, 0.3]))
    low, high = curve.shown_range()[0]
    assert low <= 0 and 5_000 <= high <= 12_000  # not 0..1e9, where the curve would be a line at x = 0
    curve.show_progress(progress(iteration=300_000, total=1_000_000_000, until=1_000_000_000,
                                 losses=[0.7, 0.5, 0.3, 0.1]))
    assert 300_000 <= curve.shown_range()[0][1] <= 600_000  # it grows with the run
