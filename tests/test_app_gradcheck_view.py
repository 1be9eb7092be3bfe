"""The gradient-check view: the numbers of ``python -m nn_core gradcheck`` for the network shown, parameter by
parameter, and the error-versus-h curve the engine computes; computed off the GUI thread, newest first, never
NaN on screen, and ended cleanly."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel

from app.gradcheck_view import (
    REGIME_BRUSHES,
    GradientCheckView,
    error_text,
    gradient_text,
    h_text,
    parameter_names,
    slope_text,
)
from app.inside import NetworkAt
from nn_core import gradcheck
from nn_core.config import TrainConfig
from nn_core.gates import targets
from nn_core.methods import METHODS
from nn_core.network import init_params
from nn_core.objective import Objective
from nn_core.trainer import Trainer

ROOT = Path(__file__).resolve().parents[1]
WAIT_MS = 60_000
NUMERICAL = [key for key in METHODS if key != "backprop"]


def seeded(config: TrainConfig, step: int = 0, live: bool = False) -> NetworkAt:
    params = init_params(config.hidden, config.seed, config.init)
    loss = float(Objective(params.copy(), config.hidden, targets(config.gate), activation=config.activation).loss())
    return NetworkAt(config, params, step, loss, live=live)


def trained(config: TrainConfig, iterations: int) -> NetworkAt:
    trainer = Trainer(replace(config, iterations=iterations))
    trainer.run()
    return NetworkAt(trainer.config, trainer.network.params.copy(), trainer.iteration, trainer.loss())


def wait_shown(gui, view: GradientCheckView, curve: bool = True) -> None:
    """Until the table (and the curve) of the newest network given are on screen."""
    def done():
        table = view.table_shown is not None and view.table_shown.serial == view.serial
        return table and (not curve or (view.curve_shown is not None and view.curve_shown.serial == view.serial))
    gui.waitUntil(done, timeout=WAIT_MS)


@pytest.fixture
def view(gui):
    view = GradientCheckView()
    gui.addWidget(view)
    view.resize(1280, 720)
    with gui.waitExposed(view):
        view.show()
    yield view
    worker = view.worker
    view.shutdown()
    assert worker is None or not worker.alive


@pytest.fixture(scope="module")
def xor_trained() -> NetworkAt:
    return trained(TrainConfig(gate="XOR", engine="numpy", lr=2.0).validated(), 400)


def all_texts(view: GradientCheckView) -> list[str]:
    texts = [label.text() for label in view.findChildren(QLabel)]
    texts += [cell for row in view.row_texts() for cell in row]
    texts += [cell for pair in view.summary_texts().values() for cell in pair]
    texts += [item.toPlainText() for item in view.plot.region_labels.values()] + [view.plot.h_line.label.toPlainText()]
    return texts


# --- the numbers ------------------------------------------------------------------------------------------


def test_the_numbers_at_the_seeded_parameters_are_gradchecks(view, gui):
    """The CLI, run as a user runs it, and the view at the same gate, seed and hidden layer agree exactly."""
    done = subprocess.run([sys.executable, "-m", "nn_core", "gradcheck", "--gate", "OR", "--seed", "5", "--hidden",
                           "3", "--json"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    config = TrainConfig(gate="OR", seed=5, hidden=(3,)).validated()
    view.show_network(seeded(config))
    wait_shown(gui, view)
    check = view.table_shown.check
    assert check["loss"] == report["loss"]
    for key in METHODS:
        assert check["max_rel_error"][key] == report["max_rel_error"][key], key
        assert check["norm_rel_error"][key] == report["norm_rel_error"][key], key
    assert view.summary_texts() == {key: (error_text(report["max_rel_error"][key]),
                                          error_text(report["norm_rel_error"][key])) for key in NUMERICAL}
    # the rows: the book's names and the report's parameters and backprop gradient, in its layout
    names = ["W1[0,0]", "W1[0,1]", "W1[0,2]", "W1[1,0]", "W1[1,1]", "W1[1,2]", "b1[0]", "b1[1]", "b1[2]",
             "W2[0,0]", "W2[1,0]", "W2[2,0]", "b2[0]"]
    rows = view.row_texts()
    assert [row[0] for row in rows] == names
    flat = {part: np.concatenate([np.ravel(report[part][k]) if part == "params" else
                                  np.ravel(report[part]["backprop"][k]) for k in ("W1", "b1", "W2", "b2")])
            for part in ("params", "gradients")}
    assert [row[2] for row in rows] == [gradient_text(g) for g in flat["gradients"]]
    assert np.array_equal(check["params"], flat["params"])
    assert "OR" in view.title.text() and "step 0" in view.title.text() and "h 1e-4" in view.title.text()


def test_the_rows_are_the_engines_at_a_trained_network(view, gui, xor_trained):
    view.show_network(xor_trained)
    wait_shown(gui, view, curve=False)
    expected = gradcheck.check_gradients(xor_trained.config, xor_trained.params)
    rows = view.row_texts()
    assert [row[0] for row in rows] == parameter_names((4,)) and len(rows) == 17
    for i, row in enumerate(rows):
        assert row[1] == format(expected["params"][i], ".4g")
        assert row[2] == gradient_text(expected["gradients"]["backprop"][i])
        assert row[3:] == [error_text(expected["relative_errors"][key][i]) for key in NUMERICAL]
    assert view.summary_texts() == {key: (error_text(expected["max_rel_error"][key]),
                                          error_text(expected["norm_rel_error"][key])) for key in NUMERICAL}
    # each column's largest error is bold, and the summary's "largest" is it
    model = view.model
    for column, key in enumerate(NUMERICAL, start=3):
        worst = int(np.argmax(expected["relative_errors"][key]))
        bold = [r for r in range(17) if model.data(model.index(r, column), Qt.ItemDataRole.FontRole) is not None]
        assert bold == [worst], key
        assert rows[worst][column] == view.summary_texts()[key][0]
    # sorting by a column (as a click on its header does) puts its largest error first, and keeps the rows
    view.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)  # forward
    shown_first = view.sorted_rows.index(0, 0).data()
    assert shown_first == parameter_names((4,))[int(np.argmax(expected["relative_errors"]["forward"]))]
    assert view.row_texts() == rows


def test_another_h_is_used_and_marked(view, gui):
    config = TrainConfig(activation="tanh", seed=3, h=1e-2).validated()
    view.show_network(seeded(config))
    wait_shown(gui, view)
    expected = gradcheck.check_gradients(config)
    assert view.table_shown.check["norm_rel_error"] == expected["norm_rel_error"]
    assert view.plot.h_line.isVisible() and view.plot.h_line.value() == pytest.approx(-2)
    assert view.plot.h_line.label.toPlainText().strip() == "h = 1e-2, this run's"
    view.show_network(seeded(TrainConfig(activation="tanh", seed=3).validated()))
    wait_shown(gui, view)
    assert view.plot.h_line.value() == pytest.approx(-4)
    assert view.plot.h_line.label.toPlainText().strip() == "h = 1e-4, the book's"


# --- the curve --------------------------------------------------------------------------------------------


def test_the_curve_is_the_engines_with_slopes_two_and_minus_one(view, gui):
    config = TrainConfig(activation="tanh", seed=3).validated()  # the engine's curve tests' network
    at = seeded(config)
    view.show_network(at)
    wait_shown(gui, view)
    expected = gradcheck.error_vs_h(config, at.params)
    for key in ("forward", "central"):
        hs, errors = view.plot.plotted[key]
        assert hs.tolist() == gradcheck.DEFAULT_HS.tolist()
        assert errors.tolist() == expected["norm_rel_error"][key].tolist(), key  # all positive: none left out
        item = view.plot.curves[key]
        assert item.xData.tolist() == hs.tolist() and item.yData.tolist() == errors.tolist()
    hs, central = view.plot.plotted["central"]
    truncation = gradcheck.fitted_slope(hs, central, *gradcheck.REGIMES["truncation"])
    rounding = gradcheck.fitted_slope(hs, central, *gradcheck.REGIMES["rounding"])
    assert 1.6 < truncation < 2.4 and -1.4 < rounding < -0.6
    assert (f"central: slope {slope_text(truncation)} where truncation wins, {slope_text(rounding)} where "
            f"rounding wins") in view.slopes.toolTip()
    assert f"central {slope_text(truncation)} / {slope_text(rounding)}" in view.slopes.text()
    forward = gradcheck.fitted_slopes(*view.plot.plotted["forward"])
    assert 0.8 < forward["truncation"] < 1.2
    assert f"forward: slope {slope_text(forward['truncation'])} where truncation wins" in view.slopes.toolTip()
    assert set(view.plot.regions) == set(REGIME_BRUSHES) == set(gradcheck.REGIMES)
    assert [region.getRegion() for region in view.plot.regions.values()] == [
        pytest.approx((math.log10(low), math.log10(high))) for low, high in gradcheck.REGIMES.values()]
    view.grab()  # drawn: a paint error would fail the test (the gui fixture)


def test_formats():
    assert error_text(3.21e-9) == "3.2e-09" and error_text(0.0) == "0"
    assert error_text(math.nan) == error_text(math.inf) == error_text(None) == "—"
    assert gradient_text(-3.049e-5) == "-3.049e-05" and gradient_text(math.nan) == "—"
    assert slope_text(2.04) == "+2.0" and slope_text(-0.98) == "−1.0" and slope_text(math.nan) == "—"
    assert h_text(1e-4) == "1e-4" and h_text(2.5e-6) == "2.5e-6" and h_text(0.01) == "1e-2"
    assert parameter_names((2, 1))[:6] == ["W1[0,0]", "W1[0,1]", "W1[1,0]", "W1[1,1]", "b1[0]", "b1[1]"]
    assert parameter_names((2, 1))[6:] == ["W2[0,0]", "W2[1,0]", "b2[0]", "W3[0,0]", "b3[0]"]


# --- a diverged network ------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["nan params", "inf params", "nan loss"])
def test_a_diverged_network_shows_dashes_and_a_note(view, gui, xor_trained, bad):
    view.show_network(xor_trained)
    wait_shown(gui, view)
    params = xor_trained.params.copy()
    loss = xor_trained.loss
    if bad == "nan loss":
        loss = math.nan
    else:
        params[[2, 16]] = np.nan if bad == "nan params" else np.inf
    view.show_network(NetworkAt(xor_trained.config, params, xor_trained.step + 1, loss))
    wait_shown(gui, view)
    assert view.note.isVisible() and "diverged" in view.note.text()
    assert all(text == "—" for row in view.row_texts() for text in row[2:])
    assert all(pair == ("—", "—") for pair in view.summary_texts().values())
    assert view.plot.plotted == {} and "central — / —" in view.slopes.text() and "slope —" in view.slopes.toolTip()
    for text in all_texts(view):
        assert "nan" not in text.lower() and "inf" not in text.lower().replace("information", ""), text
    view.grab()
    # and the next finite network is shown again, the note gone
    view.show_network(xor_trained)
    wait_shown(gui, view)
    assert not view.note.isVisible() and view.plot.plotted


def test_huge_finite_parameters_show_no_nan(view, gui, xor_trained):
    params = xor_trained.params.copy()
    params[16] = 1e300  # b2: a finite loss of 1e299, every finite difference rounds to nothing
    params[0] = -1e300
    view.show_network(NetworkAt(xor_trained.config, params, 7, 1e299))
    wait_shown(gui, view)
    for text in all_texts(view):
        assert "nan" not in text.lower(), text
    view.grab()


# --- the thread ---------------------------------------------------------------------------------------------


def test_a_hidden_view_computes_nothing_until_shown(gui, xor_trained):
    view = GradientCheckView()
    gui.addWidget(view)
    view.show_network(xor_trained)
    assert view.worker is None and view.table_shown is None
    with gui.waitExposed(view):
        view.show()
    wait_shown(gui, view)
    assert view.table_shown.at.step == xor_trained.step
    view.shutdown()


def big_network(seed: int = 0) -> NetworkAt:
    """1,185 parameters: a curve takes about a second, so a test can act while it is computed."""
    return seeded(TrainConfig(hidden=(32, 32), seed=seed).validated())


def test_shutdown_while_the_curve_is_computed_ends_cleanly(view, gui):
    view.show_network(big_network())
    worker = view.worker
    gui.waitUntil(lambda: worker.state == "curve", timeout=WAIT_MS)
    view.shutdown()
    assert not worker.alive and view.worker is None
    assert worker.curves == 0  # abandoned, or killed within SHUTDOWN_WAIT_SECONDS: never delivered
    assert view.curve_shown is None
    gui.wait(50)  # any result still queued would now be delivered: none is
    assert view.curve_shown is None


def test_a_new_paused_network_abandons_the_stale_curve(view, gui):
    view.show_network(big_network(0))
    worker = view.worker
    gui.waitUntil(lambda: worker.state == "curve", timeout=WAIT_MS)
    assert view.plot.waiting.isVisible()  # the plot says its curve is coming
    newest = big_network(1)
    view.show_network(newest)  # a replayed step, say: the curve of seed 0 would be stale
    assert view.status.text() == "Computing…"
    between = []  # the status while the newest table is shown with the old curve (the curve takes a second)

    def table_first():
        if view.table_shown is not None and view.table_shown.serial == view.serial and (
                view.curve_shown is None or view.curve_shown.serial != view.serial):
            between.append(view.status.text())
            return True
        return False
    gui.waitUntil(table_first, timeout=WAIT_MS)
    assert between == ["Computing the error against h…"]
    wait_shown(gui, view)
    assert view.status.text() == ""
    assert worker.abandoned == 1 and worker.curves == 1
    assert view.curve_shown.at.params.tolist() == newest.params.tolist()
    assert not view.plot.waiting.isVisible()
    assert view.table_shown.at.params.tolist() == newest.params.tolist()


def test_live_networks_are_coalesced_and_shown(view, gui, xor_trained):
    """Twenty snapshots posted at once while training: far fewer tables are computed, the newest is shown, and
    when the run pauses the paused network's table and curve follow."""
    config = xor_trained.config
    for step in range(20):
        params = xor_trained.params * (1 + step / 100)
        view.show_network(NetworkAt(config, params, step, xor_trained.loss, live=True))
    worker = view.worker
    gui.waitUntil(lambda: view.table_shown is not None and view.curve_shown is not None, timeout=WAIT_MS)
    assert worker.tables < 20
    paused = NetworkAt(config, xor_trained.params * 1.5, 20, xor_trained.loss, live=False)
    view.show_network(paused)
    wait_shown(gui, view)
    assert view.table_shown.at.step == 20 and view.curve_shown.at.step == 20
    assert worker.tables < 21
    assert view.table_shown.check["norm_rel_error"] == gradcheck.check_gradients(config, paused.params)[
        "norm_rel_error"]


def test_show_network_copies_the_parameters(view, gui, xor_trained):
    params = xor_trained.params.copy()
    view.show_network(NetworkAt(xor_trained.config, params, 1, xor_trained.loss))
    params[:] = 0  # the caller's array changes after the call
    wait_shown(gui, view)
    assert view.table_shown.check["params"].tolist() == xor_trained.params.tolist()


CLOSE_WHILE_COMPUTING = """
import sys
from PySide6.QtCore import QTimer
from app.qt import make_application
app = make_application(["test"])
from app.gradcheck_view import GradientCheckView
from tests.test_app_gradcheck_view import big_network
view = GradientCheckView()
view.show()
view.show_network(big_network())
def check():
    if view.worker is not None and view.worker.state == "curve":
        if sys.argv[1] == "shutdown":
            view.shutdown()  # as the window does when it closes
        view.close()
        app.quit()
    else:
        QTimer.singleShot(10, check)
check()
app.exec()
print("exited")
"""


@pytest.mark.parametrize("how", ["shutdown", "no shutdown"])
def test_closing_while_the_curve_is_computed_exits_cleanly(how):
    """The whole process: closed while its curve is computed, it exits with status 0 and prints no error (without
    shutdown(), the daemon process is ended at exit)."""
    done = subprocess.run([sys.executable, "-c", CLOSE_WHILE_COMPUTING, how], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "exited" and done.stderr == ""


# --- the layout in the window's room -----------------------------------------------------------------------

LENS_SIZE = (570, 410)  # the lens's tab in the window at its default 1300 × 720


@pytest.fixture
def small_view(gui, xor_trained):
    view = GradientCheckView()
    gui.addWidget(view)
    view.resize(*LENS_SIZE)
    with gui.waitExposed(view):
        view.show()
    view.show_network(xor_trained)
    wait_shown(gui, view)
    yield view
    view.shutdown()


def headers_fit(table) -> list[str]:
    """The headers whose text is wider than their section (drawn elided)."""
    metrics, header, model = table.fontMetrics(), table.horizontalHeader(), table.model()
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(header.count())
            if metrics.horizontalAdvance(model.headerData(c, Qt.Orientation.Horizontal)) > header.sectionSize(c)]


def test_at_the_windows_size_nothing_is_elided_and_the_table_needs_no_horizontal_scroll(small_view, gui):
    view = small_view
    assert view.splitter.orientation() == Qt.Orientation.Vertical  # the plot under the tables
    assert headers_fit(view.table) == [] and headers_fit(view.summary) == []
    rows = view.summary.verticalHeader()
    for row in range(2):
        text = view.summary.verticalHeaderItem(row).text()
        assert view.summary.fontMetrics().horizontalAdvance(text) <= rows.width(), text
        assert view.summary.verticalHeaderItem(row).toolTip()  # the whole name
    for column in range(view.summary.columnCount()):  # every number whole
        for row in range(2):
            text = view.summary.item(row, column).text()
            assert view.summary.fontMetrics().horizontalAdvance(text) < view.summary.columnWidth(column), text
    bold = QFontMetrics(view.model.bold)
    for row in range(view.model.rowCount()):
        for column in range(3, view.model.columnCount()):  # a bold error fits its column
            assert bold.horizontalAdvance(view.model.text(row, column)) < view.table.columnWidth(column)
    assert not view.table.horizontalScrollBar().isVisible()
    assert view.table.viewport().height() >= 3 * view.table.rowHeight(0)
    # the column sorted by gets room for its arrow
    view.table.sortByColumn(6, Qt.SortOrder.DescendingOrder)
    header = view.table.horizontalHeader()
    assert header.sectionSize(6) >= header.sectionSizeFromContents(6).width()
    assert headers_fit(view.table) == []
    view.grab()


def test_the_h_axis_labels_do_not_touch(small_view, gui):
    for width in (LENS_SIZE[0], 1200):
        small_view.resize(width, LENS_SIZE[1] if width < 1000 else 700)
        gui.waitUntil(lambda w=width: small_view.width() == w, timeout=WAIT_MS)
        plot = small_view.plot
        metrics = QFontMetrics(plot.font())
        labels = plot.x_tick_labels()
        assert len(labels) >= 4
        for (x0, t0), (x1, t1) in zip(labels, labels[1:], strict=False):
            assert x1 - x0 >= (metrics.horizontalAdvance(t0) + metrics.horizontalAdvance(t1)) / 2 + 6, (t0, t1)
    assert plot.x_stride == 1  # wide: every decade
    small_view.resize(*LENS_SIZE)
    gui.waitUntil(lambda: plot.x_stride > 1, timeout=WAIT_MS)


def test_the_regime_labels_are_inside_their_regions_and_apart(small_view, gui):
    plot = small_view.plot
    scene = {name: item.sceneBoundingRect() for name, item in plot.region_labels.items()}
    assert not scene["rounding"].intersects(scene["truncation"])
    box = plot.getViewBox().sceneBoundingRect().adjusted(-1, -1, 1, 1)
    for rect in scene.values():
        assert box.contains(rect)
    # above the highest decade of the curve: the labels cover no point of it
    for key in ("forward", "central"):
        hs, errors = plot.plotted[key]
        for h, error in zip(hs, errors, strict=True):
            point = plot.getViewBox().mapViewToScene(pg.Point(math.log10(h), math.log10(error)))
            assert not any(rect.contains(point) for rect in scene.values()), (key, h)


def test_the_explanation_is_short_and_whole_in_its_tooltip(small_view):
    view = small_view
    assert view.explanation.height() <= 3 * view.explanation.fontMetrics().lineSpacing()
    assert "Truncation" in view.explanation.toolTip() and "1e-16" in view.explanation.toolTip()
    assert view.slopes.height() <= 2 * view.slopes.fontMetrics().lineSpacing() + 4
