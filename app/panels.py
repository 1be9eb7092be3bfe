"""The read-outs beside the 3D view: timing, truth table, loss curve, run history.

Each is a plain widget with a ``show_*`` method the window connects to the
controller's signals; none of them knows about threads.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGraphicsItem,
    QGroupBox,
    QHeaderView,
    QLabel,
    QProgressBar,
    QStyle,
    QStyleOptionProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nn_core.gates import INPUTS, SOLVED_TOLERANCE
from nn_core.methods import get_method
from nn_core.trainer import Trainer

from . import formatting as fmt
from .controller import RunSummary
from .worker import Progress

SOLVED_MARK = "✓"
UNSOLVED_MARK = "✗"
GOOD = QColor(40, 150, 70)
BAD = QColor(190, 60, 50)


def read_only_table(rows: int, columns: tuple[str, ...]) -> QTableWidget:
    """A table the user reads but does not edit, with column headers and no row numbers."""
    table = QTableWidget(rows, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    return table


class ProgressStrip(QWidget):
    """A progress bar drawn like QProgressBar, but repainted with the next frame: QProgressBar.setValue
    repaints at once, and in a window holding a GL view that re-composes the whole window (~20 ms)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.fraction = 0.0
        self.text = "0.0 %"
        self.setMinimumHeight(QProgressBar().sizeHint().height())

    def set_fraction(self, fraction: float) -> None:
        fraction = min(max(fraction, 0.0), 1.0)
        if fraction != self.fraction:
            self.fraction = fraction
            self.text = f"{100 * fraction:.1f} %"
            self.update()

    def paintEvent(self, event):
        option = QStyleOptionProgressBar()
        option.initFrom(self)
        option.minimum, option.maximum = 0, 1000
        option.progress = round(1000 * self.fraction)
        option.text = self.text
        option.textVisible = True
        option.textAlignment = Qt.AlignmentFlag.AlignCenter
        painter = QPainter(self)
        self.style().drawControl(QStyle.ControlElement.CE_ProgressBar, option, painter, self)
        painter.end()


class TimingReadout(QGroupBox):
    """The seed's experiment, live: how long, how many steps, and what a step costs."""

    FIELDS = (
        ("elapsed", "Elapsed", "Wall time spent training, drawing included, pauses excluded"),
        ("steps", "Steps", "Steps done of the total"),
        ("steps_per_s", "Steps/s", "Steps per second of wall time, drawing included"),
        ("us_per_step", "µs/step", "Gradient and update only, measured in the worker thread"),
        ("loss_evals", "Loss evals/step", "Loss evaluations the method made per step (counted by the engine)"),
        ("eta", "Time left", "Estimated from the steps per second so far"),
        ("loss", "Loss", "Binary cross-entropy over the four rows"),
        ("total", "Total time", "Wall time of the finished run"),
    )

    def __init__(self, parent=None):
        super().__init__("Timing", parent)
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        value_font = QFont()
        value_font.setBold(True)
        self.labels: dict[str, QLabel] = {}
        for key, title, tip in self.FIELDS:
            label = QLabel(fmt.MISSING)
            label.setFont(value_font)
            label.setToolTip(tip)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            name = QLabel(title)
            name.setToolTip(tip)
            layout.addRow(name, label)
            self.labels[key] = label
            if key == "steps":
                self.progress_bar = ProgressStrip()
                layout.addRow(self.progress_bar)

    def text(self, key: str) -> str:
        return self.labels[key].text()

    def show_progress(self, progress: Progress) -> None:
        s = progress.snapshot
        wall = progress.wall_seconds
        steps_per_s = s.iteration / wall if wall > 0 else None
        left = (s.total - s.iteration) / steps_per_s if steps_per_s else None
        done = s.finished
        self.labels["elapsed"].setText(fmt.seconds(wall))
        self.labels["steps"].setText(f"{fmt.count(s.iteration)} / {fmt.count(s.total)}")
        self.labels["steps_per_s"].setText(fmt.number(steps_per_s, ",.0f"))
        self.labels["us_per_step"].setText(fmt.number(s.us_per_step, ".1f"))
        self.labels["loss_evals"].setText(fmt.number(progress.loss_evals / s.iteration if s.iteration else None, ".4g"))
        self.labels["eta"].setText(fmt.seconds(0.0 if done else left))
        self.labels["loss"].setText(fmt.number(s.loss, ".4g"))
        self.labels["total"].setText(fmt.seconds(wall) if done else fmt.MISSING)
        self.progress_bar.set_fraction(s.iteration / s.total if s.total else 1.0)

    def show_trainer(self, trainer: Trainer) -> None:
        """A new network: its method's nominal cost until the first step measures it."""
        method = get_method(trainer.config.method)
        self.labels["loss_evals"].setToolTip(f"{method.title}: {method.cost}")


class TruthTablePanel(QGroupBox):
    """The four rows: inputs, target, the network's output, and whether it is within 0.1."""

    COLUMNS = ("x1", "x2", "target", "output", "ok")

    def __init__(self, parent=None):
        super().__init__("Truth table", parent)
        self.table = read_only_table(4, self.COLUMNS)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setToolTip(f"{SOLVED_MARK}: the output is within {SOLVED_TOLERANCE:g} of its target")
        for row, (x1, x2) in enumerate(INPUTS):
            for col, value in enumerate((f"{x1:g}", f"{x2:g}", fmt.MISSING, fmt.MISSING, "")):
                item = QTableWidgetItem(value)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, col, item)
        header_height = self.table.horizontalHeader().sizeHint().height()
        self.table.setFixedHeight(header_height + 4 * self.table.verticalHeader().defaultSectionSize() + 4)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)

    def marks(self) -> list[str]:
        return [self.table.item(row, 4).text() for row in range(4)]

    def show_progress(self, progress: Progress) -> None:
        s = progress.snapshot
        for row, (output, target) in enumerate(zip(s.outputs, s.targets, strict=True)):
            ok = bool(np.isfinite(output) and abs(output - target) < SOLVED_TOLERANCE)
            self.table.item(row, 2).setText(fmt.number(target, "g"))
            self.table.item(row, 3).setText(fmt.number(output, ".3f"))
            mark = self.table.item(row, 4)
            mark.setText(SOLVED_MARK if ok else UNSOLVED_MARK)
            mark.setForeground(GOOD if ok else BAD)


class LossCurve(pg.PlotWidget):
    """The loss against the step, on a log scale, growing as the run goes."""

    FLOOR = 1e-300  # a loss of exactly 0 has no logarithm

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setLogMode(x=False, y=True)
        self.setLabel("bottom", "step")
        self.setLabel("left", "loss")
        self.showGrid(x=True, y=True, alpha=0.25)
        self.getAxis("left").enableAutoSIPrefix(False)
        self.setMinimumHeight(140)
        self.curve = self.plot(pen=pg.mkPen((90, 170, 255), width=1))
        for name in ("left", "bottom"):  # axes and grid are drawn once per range, then blitted
            self.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._x_total = None
        self._decades = None

    def show_progress(self, progress: Progress) -> None:
        s = progress.snapshot
        if self._x_total != s.total:  # a fixed step axis: it is not re-laid out (costly) on every redraw
            self._x_total = s.total
            self.setXRange(0, max(s.total, 1), padding=0.02)
        losses = np.asarray(s.history_losses, dtype=float)
        keep = np.isfinite(losses)
        losses = np.maximum(losses[keep], self.FLOOR)
        self.curve.setData(np.asarray(s.history_steps)[keep], losses)
        if losses.size:  # whole decades: the loss axis changes (and is redrawn) only when the loss crosses one
            top = math.ceil(math.log10(losses.max()) + 1e-9)
            decades = (min(math.floor(math.log10(losses.min())), top - 2), top)  # 2 at least: 1 crowds its labels
            if decades != self._decades:
                self._decades = decades
                self.setYRange(*decades, padding=0.08)  # room for the end labels
                # Labels on the decades only; pyqtgraph's own log ticks crowd a range of a decade or two.
                low, high = decades
                major = [(d, f"{10.0 ** d:g}") for d in range(low, high + 1)]
                minor = [(d + math.log10(m), "") for d in range(low, high) for m in range(2, 10)]
                self.getAxis("left").setTicks([major, minor])

    def clear_curve(self) -> None:
        self.curve.setData([], [])


class RunHistoryTable(QGroupBox):
    """Finished runs, newest first, to compare methods side by side."""

    COLUMNS = ("gate", "method", "H", "steps", "time", "µs/step", "solved")

    def __init__(self, parent=None):
        super().__init__("Finished runs", parent)
        self.table = read_only_table(0, self.COLUMNS)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # "solved" takes the width left: as the stretched last section it kept the default 100 px and scrolled.
        header.setSectionResizeMode(len(self.COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(24)
        self.table.setToolTip("time: wall time of the run; µs/step: gradient and update only")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)

    def rows(self) -> list[list[str]]:
        return [[self.table.item(r, c).text() for c in range(self.table.columnCount())]
                for r in range(self.table.rowCount())]

    def add_run(self, run: RunSummary) -> None:
        solved = "yes" if run.solved else "no"
        if run.diverged_at is not None:
            solved = f"diverged at {run.diverged_at:,}"
        values = (run.gate, run.method, "×".join(map(str, run.hidden)), fmt.count(run.iterations),
                  fmt.seconds(run.wall_seconds), fmt.number(run.us_per_step, ".1f"), solved)
        self.table.insertRow(0)
        for col, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            if col == len(values) - 1:
                item.setForeground(GOOD if run.solved else BAD)
            self.table.setItem(0, col, item)
