"""The read-outs beside the 3D view: timing, truth table, loss curve, run history.

Each is a plain widget with a ``show_*`` method the window connects to the
controller's signals; none of them knows about threads.
"""

from __future__ import annotations

import csv
import io
import math
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFormLayout,
    QGraphicsItem,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QStyle,
    QStyleOptionProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nn_core.gates import INPUTS, SOLVED_TOLERANCE, canonical_gate, gate_bits
from nn_core.methods import get_method
from nn_core.trainer import Trainer

from . import engine_texts
from . import formatting as fmt
from .controls import locked_note

if TYPE_CHECKING:  # a view does not import the training thread's machinery (tests/test_layering.py)
    from .controller import RunSummary
    from .worker import Progress

translate = QCoreApplication.translate

SOLVED_MARK = "✓"
UNSOLVED_MARK = "✗"
GOOD = QColor(40, 150, 70)
BAD = QColor(190, 60, 50)


def optimizer_text(config) -> str:
    """``adam (beta1 0.8, beta2 0.999)``, ``sgd``: the optimizer and its own options."""
    options = ", ".join(f"{name} {value:g}" for name, value in config.optimizer_options)
    return f"{config.optimizer} ({options})" if options else config.optimizer


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
        self.text = fmt.percent(0.0)
        self.setMinimumHeight(QProgressBar().sizeHint().height())

    def set_fraction(self, fraction: float, text: str | None = None) -> None:
        """Fill ``fraction`` (clamped to 0..1; not finite: empty) of the bar; ``text`` defaults to the percentage."""
        fraction = min(max(fraction, 0.0), 1.0) if fmt.is_number(fraction) else 0.0
        text = fmt.percent(fraction) if text is None else text
        if (fraction, text) != (self.fraction, self.text):
            self.fraction, self.text = fraction, text
            self.update()

    def paintEvent(self, event):
        option = QStyleOptionProgressBar()
        option.initFrom(self)
        # Qt 6 has no orientation member: without State_Horizontal the style fills the bar from the bottom up.
        option.state |= QStyle.StateFlag.State_Horizontal
        option.minimum, option.maximum = 0, 1000
        option.progress = round(1000 * self.fraction)
        option.text = self.text
        option.textVisible = True
        option.textAlignment = Qt.AlignmentFlag.AlignCenter
        painter = QPainter(self)
        self.style().drawControl(QStyle.ControlElement.CE_ProgressBar, option, painter, self)
        painter.end()


class TimingReadout(QGroupBox):
    """The seed's experiment, live: how long, how many steps, and what a step costs, in compute and in wall time."""

    # (key, title, tooltip): translated when shown (the class is built before any translator is installed).
    FIELDS = (
        ("elapsed", QT_TRANSLATE_NOOP("TimingReadout", "Elapsed"),
         QT_TRANSLATE_NOOP("TimingReadout", "Wall time spent training, drawing included, pauses excluded")),
        ("steps", QT_TRANSLATE_NOOP("TimingReadout", "Steps"),
         QT_TRANSLATE_NOOP("TimingReadout", "Steps done of the run's total")),
        ("eta", QT_TRANSLATE_NOOP("TimingReadout", "Time left"),
         QT_TRANSLATE_NOOP("TimingReadout", "To the end of the run, at the steps per second so far")),
        ("steps_per_s", QT_TRANSLATE_NOOP("TimingReadout", "Steps/s"),
         QT_TRANSLATE_NOOP("TimingReadout", "Steps per second of wall time, drawing included")),
        ("us_per_step", QT_TRANSLATE_NOOP("TimingReadout", "Compute µs/step"),
         QT_TRANSLATE_NOOP("TimingReadout", "Gradient and update only, per step, measured in the worker thread "
                           "(what `nn_core train` reports)")),
        ("wall_us_per_step", QT_TRANSLATE_NOOP("TimingReadout", "Wall µs/step"),
         QT_TRANSLATE_NOOP("TimingReadout", "Elapsed wall time ÷ steps: the step plus everything the live view costs "
                           "(loss history, snapshots, drawing, waiting for the window); pauses excluded")),
        ("drawing_share", QT_TRANSLATE_NOOP("TimingReadout", "Drawing share"),
         QT_TRANSLATE_NOOP("TimingReadout", "1 − compute ÷ wall: the share of the wall time not spent on gradient and "
                           "update, i.e. on the live view (drawing, snapshots, waiting for the window) and the loss "
                           "history. In brackets: wall time per step as a multiple of the compute time per step (the "
                           "seed's drawing every step made it about 70×)")),
        ("loss_evals", QT_TRANSLATE_NOOP("TimingReadout", "Loss evals/step"),
         QT_TRANSLATE_NOOP("TimingReadout", "Loss evaluations the method made per step (counted by the engine)")),
        ("loss", QT_TRANSLATE_NOOP("TimingReadout", "Loss"),
         QT_TRANSLATE_NOOP("TimingReadout", "Binary cross-entropy over the four rows")),
        ("total", QT_TRANSLATE_NOOP("TimingReadout", "Total time"),
         QT_TRANSLATE_NOOP("TimingReadout", "Wall time of the finished run")),
    )
    ETA_TIPS = (QT_TRANSLATE_NOOP("TimingReadout", "To the end of the run, at the steps per second so far"),
                QT_TRANSLATE_NOOP("TimingReadout", "To the end of the steps under way (Step ×N), at the steps per "
                                  "second so far"))

    def __init__(self, parent=None):
        super().__init__(translate("TimingReadout", "Timing"), parent)
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        value_font = QFont()
        value_font.setBold(True)
        self.labels: dict[str, QLabel] = {}
        self.names: dict[str, QLabel] = {}
        for key, title, tip in self.FIELDS:
            title, tip = translate("TimingReadout", title), translate("TimingReadout", tip)
            label = QLabel(fmt.MISSING)
            label.setFont(value_font)
            label.setToolTip(tip)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            name = QLabel(title)
            name.setToolTip(tip)
            layout.addRow(name, label)
            self.labels[key], self.names[key] = label, name
            if key == "steps":
                self.progress_bar = ProgressStrip()
                layout.addRow(self.progress_bar)

    def text(self, key: str) -> str:
        """What field ``key`` (one of FIELDS' keys) shows; KeyError for another key."""
        return self.labels[key].text()

    def show_progress(self, progress: Progress) -> None:
        s = progress.snapshot
        wall, compute, done = progress.wall_seconds, s.compute_seconds, s.finished or progress.run_over
        trained = s.iteration - s.first_iteration  # this session's steps: a run opened from a file had some before
        steps_per_s = trained / wall if fmt.is_number(wall) and wall > 0 else None
        # A Step ×N (or a Start from mid-run) is described by the steps under way, not by the whole run.
        start, end = 0, s.total
        stepping = progress.until is not None and (progress.start_step > 0 or progress.until < s.total)
        if stepping:
            start, end = progress.start_step, progress.until
        left = (end - s.iteration) / steps_per_s if steps_per_s else None
        wall_per_step = wall / trained if trained and fmt.is_number(wall) else None
        share = ratio = None
        # A paced run waits for its pace and for the GUI's turn every few steps: its wall time says nothing of
        # what drawing costs, so no share is shown.
        if wall_per_step and fmt.is_number(compute) and wall > 0 and not progress.paced_seconds:
            share = min(max(1.0 - compute / wall, 0.0), 1.0)
            ratio = wall / compute if compute > 0 else None
        self.labels["elapsed"].setText(fmt.seconds(wall))
        self.labels["steps"].setText(f"{fmt.count(s.iteration)} / {fmt.count(s.total)}")
        self.labels["steps_per_s"].setText(fmt.number(steps_per_s, ",.0f"))
        self.labels["us_per_step"].setText(fmt.number(s.us_per_step, ",.1f"))
        self.labels["wall_us_per_step"].setText(fmt.number(1e6 * wall_per_step if wall_per_step else None, ",.1f"))
        drawing = fmt.percent(share)
        if share is not None and ratio is not None:
            drawing += f" ({fmt.times(ratio)})"  # wall time as a multiple of compute (the tooltip says)
        self.labels["drawing_share"].setText(drawing)
        self.labels["loss_evals"].setText(fmt.number(progress.loss_evals / trained if trained else None, ".4g"))
        self.labels["eta"].setText(fmt.seconds(0.0 if done else left))
        eta_tip = translate("TimingReadout", self.ETA_TIPS[stepping])
        self.labels["eta"].setToolTip(eta_tip)
        self.names["eta"].setToolTip(eta_tip)
        self.labels["loss"].setText(fmt.number(s.loss, ".4g"))
        self.labels["total"].setText(fmt.seconds(wall) if done else fmt.MISSING)
        if s.diverged_at is not None:
            self.progress_bar.set_fraction(1.0, translate("TimingReadout", "diverged at step {step}").format(
                step=f"{s.diverged_at:,}"))
        elif done and not s.finished:
            self.progress_bar.set_fraction(1.0, translate("TimingReadout", "solved early, at step {step}").format(
                step=f"{s.iteration:,}"))
        elif done:
            self.progress_bar.set_fraction(1.0)
        elif stepping:
            fraction = (s.iteration - start) / (end - start) if end > start else 1.0
            text = translate("TimingReadout", "Steps {start}–{end}: {percent}")
            self.progress_bar.set_fraction(fraction, text.format(start=f"{start:,}", end=f"{end:,}",
                                                                 percent=fmt.percent(fraction)))
        else:
            self.progress_bar.set_fraction(s.iteration / s.total if s.total else 1.0)
        self.progress_bar.setToolTip(
            translate("TimingReadout", "This Step: from step {start} to {end}").format(start=f"{start:,}",
                                                                                       end=f"{end:,}")
            if stepping and not done else translate("TimingReadout", "The run's steps done of its total"))

    def show_trainer(self, trainer: Trainer) -> None:
        """A new network: its method's nominal cost until the first step measures it."""
        method = get_method(trainer.config.method)
        self.labels["loss_evals"].setToolTip(translate("TimingReadout", "{method}: {cost}").format(
            method=engine_texts.text(method.title), cost=engine_texts.text(method.cost)))


class TruthTablePanel(QGroupBox):
    """The four rows: inputs, target, the network's output, and whether it is within 0.1.

    The title names the function of the targets and its bits ("Truth table: IMPLY (1101)").  Clicking a
    target emits ``target_toggled(row)`` (0 to 3) while ``set_editable(True)``: the window then picks the gate
    with that bit flipped and shows it with ``show_gate``.  The targets shown are those of the last snapshot
    or the last ``show_gate``, whichever came later; the marks compare the outputs with the targets shown.
    """

    COLUMNS = ("x1", "x2", "target", "output", "ok")
    COLUMN_TITLES = ("x1", "x2", QT_TRANSLATE_NOOP("TruthTablePanel", "target"),
                     QT_TRANSLATE_NOOP("TruthTablePanel", "output"), QT_TRANSLATE_NOOP("TruthTablePanel", "ok"))
    TARGET = COLUMNS.index("target")
    target_toggled = Signal(int)

    def __init__(self, parent=None):
        super().__init__(translate("TruthTablePanel", "Truth table"), parent)
        self.bits: str | None = None  # the targets shown, "0110"
        self.outputs: list[float] | None = None  # the network's, from the last snapshot
        self._progress: Progress | None = None
        self._editable = True
        self.table = read_only_table(4, tuple(translate("TruthTablePanel", column) for column in self.COLUMN_TITLES))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setToolTip(translate("TruthTablePanel", "{mark}: the output is within {tolerance} of its target")
                              .format(mark=SOLVED_MARK, tolerance=f"{SOLVED_TOLERANCE:g}"))
        for row, (x1, x2) in enumerate(INPUTS):
            for col, value in enumerate((f"{x1:g}", f"{x2:g}", fmt.MISSING, fmt.MISSING, "")):
                item = QTableWidgetItem(value)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, col, item)
        header_height = self.table.horizontalHeader().sizeHint().height()
        self.table.setFixedHeight(header_height + 4 * self.table.verticalHeader().defaultSectionSize() + 4)
        self.table.horizontalHeaderItem(self.TARGET).setToolTip(translate(
            "TruthTablePanel", "Click a target to toggle it (0 ↔ 1): the gate becomes the function with those targets"))
        self.table.cellClicked.connect(self._on_cell_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)

    def marks(self) -> list[str]:
        return [self.table.item(row, 4).text() for row in range(4)]

    def targets(self) -> list[str]:
        """The target column as shown, "0" or "1" per row (or the missing mark before anything is shown)."""
        return [self.table.item(row, self.TARGET).text() for row in range(4)]

    def editable(self) -> bool:
        return self._editable

    def set_editable(self, editable: bool) -> None:
        """Whether a click on a target toggles it: not while a run is under way (the tooltip then says why)."""
        self._editable = editable
        self._show_targets()

    def show_gate(self, name: str) -> None:
        """Show the targets of gate ``name`` (any spelling ``canonical_gate`` takes; '' is ignored), until the
        next new snapshot."""
        if name:
            self.bits = gate_bits(name)
            self._show_targets()

    def show_progress(self, progress: Progress) -> None:
        s = progress.snapshot
        self.outputs = [float(output) for output in s.outputs]
        if progress is not self._progress:  # the same snapshot again (a state change) keeps a gate shown since
            self._progress = progress
            self.bits = "".join("1" if target else "0" for target in s.targets)
        for row, output in enumerate(self.outputs):
            self.table.item(row, 3).setText(fmt.number(output, ".3f"))
        self._show_targets()

    def _show_targets(self) -> None:
        """The target column, the title, the targets' tooltips and the marks, from ``bits`` and ``outputs``."""
        if self.bits is None:
            return
        name = canonical_gate(self.bits)
        self.setTitle(translate("TruthTablePanel", "Truth table: {gate} ({bits})").format(gate=name, bits=self.bits))
        for row, bit in enumerate(self.bits):
            item = self.table.item(row, self.TARGET)
            item.setText(bit)
            flipped = self.bits[:row] + ("1" if bit == "0" else "0") + self.bits[row + 1:]
            other = f"{canonical_gate(flipped)} ({flipped})"
            item.setToolTip(translate("TruthTablePanel", "Click to make this target {bit}: the gate becomes {gate}\n"
                                      "(a network with steps trained starts again from its seed; its run goes into "
                                      "Finished runs as stopped)").format(bit=flipped[row], gate=other)
                            if self._editable
                            else translate("TruthTablePanel", "{locked} (a click here would make the gate {gate})")
                            .format(locked=locked_note(), gate=other))
            if self.outputs is None:
                continue
            output, target = self.outputs[row], float(bit)
            ok = bool(np.isfinite(output) and abs(output - target) < SOLVED_TOLERANCE)
            mark = self.table.item(row, 4)
            mark.setText(SOLVED_MARK if ok else UNSOLVED_MARK)
            mark.setForeground(GOOD if ok else BAD)

    def _on_cell_clicked(self, row: int, column: int) -> None:
        if column == self.TARGET and self._editable and self.bits is not None:
            self.target_toggled.emit(row)


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 5 × 10**k that is at least ``value`` (> 0): 130 -> 200, 20_000 -> 20_000."""
    power = 10.0 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= value * (1 - 1e-12))


class LossCurve(pg.PlotWidget):
    """The loss against the step, on a log scale, growing as the run goes.

    The view follows the run (the step axis to what is trained or under way, the loss axis to whole decades)
    until the user zooms or pans; a new run, Reset, the plot's "A" button or "View All" makes it follow again.
    """

    FLOOR_DECADE, CEILING_DECADE = -30, 30  # losses beyond are drawn at these and their labels say "≤"/"≥"
    MAX_LABEL_GAPS = 8  # at most 9 labelled decades on the loss axis
    STRIDES = (1, 2, 3, 5, 6, 10, 15, 30)  # labelled every k-th decade; each divides the floor and the ceiling

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setLogMode(x=False, y=True)
        self.setLabel("bottom", translate("LossCurve", "step"))
        self.setLabel("left", translate("LossCurve", "loss"))
        self.showGrid(x=True, y=True, alpha=0.25)
        self.getAxis("left").enableAutoSIPrefix(False)
        self.setMinimumHeight(140)
        self.curve = self.plot(pen=pg.mkPen((90, 170, 255), width=1))
        # Replay's marker: the step shown, and its loss (hidden while the run is shown live).
        self.marker_line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen((255, 200, 80), width=1))
        self.marker_point = pg.ScatterPlotItem(size=8, brush=pg.mkBrush(255, 200, 80), pen=None)
        for item in (self.marker_line, self.marker_point):
            self.addItem(item, ignoreBounds=True)
            item.hide()
        for name in ("left", "bottom"):  # axes and grid are drawn once per range, then blitted
            self.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._run_id = None
        self._x_max = None
        self._decades = None
        self._floored = self._ceilinged = False  # losses drawn at the floor / the ceiling
        self._until, self._total = 0, 1  # the last snapshot's step range, for follow()
        self.following = True  # False once the user zooms or pans, until a new run or Reset
        self.getPlotItem().sigRangeChangedManually.connect(self._zoomed_by_user)
        # Connected after pyqtgraph's own slot (which zooms to the data), so ours has the last word.
        self.getPlotItem().autoBtn.clicked.connect(lambda _button: self.follow())
        self.getViewBox().menu.viewAll.triggered.connect(self.follow)  # the right-click menu's "View All"

    def _zoomed_by_user(self, *_mask) -> None:
        self.following = False

    def follow(self) -> None:
        """Show the whole curve again and keep following it (a new run, Reset, the "A" button)."""
        self.following = True
        self._x_max = self._decades = None
        if self.curve.xData is not None and len(self.curve.xData):
            self._fit(self._until, self._total, self.curve.xData, self.curve.yData)

    def show_progress(self, progress: Progress) -> None:
        """Draw ``progress``'s loss history: NaN and ±inf are left out, other values clamped to 1e-30..1e30."""
        s = progress.snapshot
        if progress.run_id != self._run_id:  # a new run (or a stop/reset's snapshot) shows its whole range
            self._run_id = progress.run_id
            self.following = True
            self._x_max = self._decades = None
        losses = np.asarray(s.history_losses, dtype=float)
        keep = np.isfinite(losses)
        steps = np.asarray(s.history_steps)[keep]
        losses = np.clip(losses[keep], 10.0 ** self.FLOOR_DECADE, 10.0 ** self.CEILING_DECADE)
        self.curve.setData(steps, losses)
        # The axis follows what has been trained; a Step ×N shows the steps under way (a full run's total may be
        # 1e9: the curve would be a line at x = 0).
        ahead = progress.until if progress.until is not None and progress.until < s.total else 0
        self._until, self._total = max(s.iteration, ahead), s.total
        if self.following:
            self._fit(self._until, self._total, steps, losses)

    def _fit(self, until: int, total: int, steps: np.ndarray, losses: np.ndarray) -> None:
        """Set the range only when it must grow or a decade is crossed: each change re-lays out the axes."""
        needed = max(until, int(steps.max()) if steps.size else 0, 1)
        if self._x_max is None or needed > self._x_max:
            self._x_max = max(min(nice_ceiling(needed), total), needed)
            self.setXRange(0, self._x_max, padding=0.02)
        if not losses.size:
            return
        low_loss, high_loss = float(losses.min()), float(losses.max())
        top = min(math.ceil(math.log10(high_loss) + 1e-9), self.CEILING_DECADE)
        bottom = max(min(math.floor(math.log10(low_loss)), top - 2), self.FLOOR_DECADE)  # 2 at least: 1 crowds
        stride = next(k for k in self.STRIDES if (math.ceil(top / k) - math.floor(bottom / k)) <= self.MAX_LABEL_GAPS)
        decades = (stride * math.floor(bottom / stride), stride * math.ceil(top / stride))
        floored, ceilinged = low_loss <= 10.0 ** self.FLOOR_DECADE, high_loss >= 10.0 ** self.CEILING_DECADE
        if (decades, floored, ceilinged) == (self._decades, self._floored, self._ceilinged):
            return
        self._decades, self._floored, self._ceilinged = decades, floored, ceilinged
        low, high = decades
        self.setYRange(low, high, padding=0.08)  # room for the end labels
        # Labels on whole decades only (pyqtgraph's own log ticks crowd a range of a decade or two).
        labels = {d: fmt.decade(d) for d in range(low, high + 1, stride)}
        if floored:
            labels[self.FLOOR_DECADE] = "≤" + labels[self.FLOOR_DECADE]  # zeros and tinier losses are drawn here
        if ceilinged:
            labels[self.CEILING_DECADE] = "≥" + labels[self.CEILING_DECADE]
        major = sorted(labels.items())
        if stride == 1:
            minor = [(d + math.log10(m), "") for d in range(low, high) for m in range(2, 10)]
        else:
            minor = [(d, "") for d in range(low, high + 1) if d % stride]
        self.getAxis("left").setTicks([major, minor])

    def set_marker(self, step: int | None, loss: float | None = None) -> None:
        """Mark ``step`` (and its ``loss``, if finite) on the curve; None hides the marker."""
        shown = step is not None
        self.marker_line.setVisible(shown)
        if shown:
            self.marker_line.setValue(step)
        finite = shown and loss is not None and math.isfinite(loss) and loss > 0
        if finite:
            value = min(max(loss, 10.0 ** self.FLOOR_DECADE), 10.0 ** self.CEILING_DECADE)
            self.marker_point.setData([step], [math.log10(value)])  # the item is in the log-y view's coordinates
        self.marker_point.setVisible(finite)

    def marker(self) -> tuple[float, float] | None:
        """(step, loss) of the marker shown, or None."""
        if not self.marker_line.isVisible():
            return None
        x, y = self.marker_point.getData()
        return float(self.marker_line.value()), (10.0 ** float(y[0]) if len(y) else float("nan"))

    def tick_labels(self) -> list[str]:
        """The labels on the loss axis, bottom to top."""
        return [label for _value, label in self.getAxis("left")._tickLevels[0]]

    def shown_range(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """((first step, last step), (lowest loss, highest loss)) on screen."""
        (x0, x1), (y0, y1) = self.getViewBox().viewRange()
        return (x0, x1), (10.0 ** y0, 10.0 ** y1)

    def clear_curve(self) -> None:
        """A new network: no curve, and the next one is shown whole."""
        self.curve.setData([], [])
        self._run_id = None
        self.following = True
        self._x_max = self._decades = None


class SortableItem(QTableWidgetItem):
    """A cell that sorts by its SORT_ROLE value (a number, or text for the text columns), not by its text."""

    def __lt__(self, other):
        mine, theirs = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if isinstance(mine, str) != isinstance(theirs, str):
            return isinstance(mine, str)
        return mine < theirs


SORT_ROLE = Qt.ItemDataRole.UserRole
MISSING_LAST = math.inf  # a missing number sorts after every number (ascending)


class RunHistoryTable(QGroupBox):
    """Finished runs, newest first, to compare methods side by side; click a header to sort by it."""

    COLUMNS = (  # key, header, header tooltip: translated when shown
        ("gate", QT_TRANSLATE_NOOP("RunHistoryTable", "gate"),
         QT_TRANSLATE_NOOP("RunHistoryTable", "The logic gate learned")),
        ("method", QT_TRANSLATE_NOOP("RunHistoryTable", "method"),
         QT_TRANSLATE_NOOP("RunHistoryTable", "How the gradient was computed")),
        ("hidden", QT_TRANSLATE_NOOP("RunHistoryTable", "hidden"),
         QT_TRANSLATE_NOOP("RunHistoryTable", "Hidden units per layer")),
        ("steps", QT_TRANSLATE_NOOP("RunHistoryTable", "steps"),
         QT_TRANSLATE_NOOP("RunHistoryTable", "Steps trained")),
        ("result", QT_TRANSLATE_NOOP("RunHistoryTable", "result"),
         QT_TRANSLATE_NOOP("RunHistoryTable", "solved / not solved at the end; solved early (stopped when solved); "
                           "diverged at step N (the update stopped being finite); stopped (by Reset)")),
        ("engine", QT_TRANSLATE_NOOP("RunHistoryTable", "engine"),
         QT_TRANSLATE_NOOP("RunHistoryTable", "numpy, or compiled (the same steps as numba loops)")),
        ("time", QT_TRANSLATE_NOOP("RunHistoryTable", "time"),
         QT_TRANSLATE_NOOP("RunHistoryTable", "Wall time of the run: the steps and the live view, pauses excluded")),
        ("us_per_step", QT_TRANSLATE_NOOP("RunHistoryTable", "µs/step"),
         QT_TRANSLATE_NOOP("RunHistoryTable", "Gradient and update only, per step, measured in the worker thread")),
        ("speed", QT_TRANSLATE_NOOP("RunHistoryTable", "× fastest"),
         QT_TRANSLATE_NOOP("RunHistoryTable", "µs/step ÷ the µs/step of the fastest run in this table: 1× is the "
                           "fastest, 10× takes ten times as long per step")),
        ("final_loss", QT_TRANSLATE_NOOP("RunHistoryTable", "final loss"),
         QT_TRANSLATE_NOOP("RunHistoryTable", "Binary cross-entropy over the four rows when the run ended")),
        ("activation", QT_TRANSLATE_NOOP("RunHistoryTable", "activation"),
         QT_TRANSLATE_NOOP("RunHistoryTable", "Hidden activation")),
        ("init", QT_TRANSLATE_NOOP("RunHistoryTable", "init"),
         QT_TRANSLATE_NOOP("RunHistoryTable", "Initialisation of the weights")),
        ("optimizer", QT_TRANSLATE_NOOP("RunHistoryTable", "optimizer"),
         QT_TRANSLATE_NOOP("RunHistoryTable", "Optimizer, with its own options")),
        ("weight_decay", "λ",
         QT_TRANSLATE_NOOP("RunHistoryTable", "Weight decay λ (L2 on the weights)")),
        ("lr", "lr",
         QT_TRANSLATE_NOOP("RunHistoryTable", "Learning rate")),
        ("h", "h",
         QT_TRANSLATE_NOOP("RunHistoryTable", "Finite-difference step (backprop does not use it)")),
        ("seed", QT_TRANSLATE_NOOP("RunHistoryTable", "seed"),
         QT_TRANSLATE_NOOP("RunHistoryTable", "Seed of the starting weights")),
        ("surface", QT_TRANSLATE_NOOP("RunHistoryTable", "surface"),
         QT_TRANSLATE_NOOP("RunHistoryTable", "How often the 3D surface was redrawn during the run")),
        ("run", "#",
         QT_TRANSLATE_NOOP("RunHistoryTable", "The order the runs finished in")),
    )

    def __init__(self, parent=None):
        super().__init__(translate("RunHistoryTable", "Finished runs"), parent)
        titles = tuple(translate("RunHistoryTable", title) for _key, title, _tip in self.COLUMNS)
        self.table = read_only_table(0, titles)
        self.keys = [key for key, _title, _tip in self.COLUMNS]
        for col, (_key, _title, tip) in enumerate(self.COLUMNS):
            self.table.horizontalHeaderItem(col).setToolTip(translate("RunHistoryTable", tip))
        header = self.table.horizontalHeader()
        # Every column as wide as its contents and its header (a stretched "solved" was squeezed to "olve");
        # what does not fit scrolls.
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)  # more rows shown
        header.setSortIndicator(self.keys.index("run"), Qt.SortOrder.DescendingOrder)  # newest first
        self.table.setSortingEnabled(True)
        self.runs: dict[int, RunSummary] = {}  # by run number, the "#" column

        self.clear_button = QPushButton(translate("RunHistoryTable", "Clear"))
        self.clear_button.setToolTip(translate("RunHistoryTable", "Remove every finished run from the table"))
        self.clear_button.clicked.connect(self.clear)
        self.clear_button.setEnabled(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for text, slot in ((translate("RunHistoryTable", "Copy as CSV"),
                            lambda: QApplication.clipboard().setText(self.to_csv())),
                           (translate("RunHistoryTable", "Copy as Markdown"),
                            lambda: QApplication.clipboard().setText(self.to_markdown())),
                           (translate("RunHistoryTable", "Clear"), self.clear)):
            action = QAction(text, self.table)
            action.triggered.connect(slot)
            self.table.addAction(action)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    # --- what is shown ------------------------------------------------------------------------

    def headers(self) -> list[str]:
        return [self.table.horizontalHeaderItem(c).text() for c in range(self.table.columnCount())]

    def rows(self) -> list[list[str]]:
        """The cells' texts, top to bottom as shown (sorted as the user chose)."""
        return [[self.table.item(r, c).text() for c in range(self.table.columnCount())]
                for r in range(self.table.rowCount())]

    def column(self, key: str) -> list[str]:
        """One column's texts, top to bottom; ``key`` is one of COLUMNS' keys (ValueError otherwise)."""
        col = self.keys.index(key)
        return [row[col] for row in self.rows()]

    def to_csv(self) -> str:
        """The table as shown, as CSV text with a header line."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.headers())
        writer.writerows(self.rows())
        return out.getvalue()

    def to_markdown(self) -> str:
        """The table as shown, as a Markdown (GitHub) table."""
        def line(cells):
            return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"
        lines = [line(self.headers()), "|" + "|".join("---" for _ in self.keys) + "|"]
        return "\n".join(lines + [line(row) for row in self.rows()]) + "\n"

    # --- changes --------------------------------------------------------------------------------

    def add_run(self, run: RunSummary) -> None:
        number = max(self.runs, default=0) + 1
        self.runs[number] = run
        result, colour = self.result(run)
        config = run.config
        cells = {
            "gate": (run.gate, run.gate),
            "method": (run.method, run.method),
            "hidden": ("×".join(map(str, run.hidden)), tuple(run.hidden)),
            "steps": (fmt.count(run.iterations), run.iterations),
            "result": (result, result),
            "engine": (config.engine, config.engine),
            "time": (fmt.seconds(run.wall_seconds), self._key(run.wall_seconds)),
            "us_per_step": (fmt.number(run.us_per_step, ",.1f"), self._key(run.us_per_step)),
            "speed": (fmt.MISSING, MISSING_LAST),  # filled in by _compare_speeds
            "final_loss": (fmt.number(run.final_loss, ".3g"), self._key(run.final_loss)),
            "activation": (config.activation, config.activation),
            "init": (config.init, config.init),
            "optimizer": (optimizer_text(config), optimizer_text(config)),
            "weight_decay": (fmt.number(config.weight_decay, "g"), config.weight_decay),
            "lr": (fmt.number(config.lr, "g"), config.lr),
            "h": (fmt.number(config.h, "g"), config.h),
            "seed": (str(config.seed), config.seed),
            "surface": (run.rate.describe(), run.rate.every_steps or 0),
            "run": (str(number), number),
        }
        self.table.setSortingEnabled(False)  # else a row moves as its cells are set
        self.table.insertRow(0)
        for col, key in enumerate(self.keys):
            text, sort_key = cells[key]
            item = SortableItem(text)
            item.setData(SORT_ROLE, sort_key if not isinstance(sort_key, tuple) else list(sort_key))
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            if key == "result" and colour is not None:
                item.setForeground(colour)
            self.table.setItem(0, col, item)
        self._compare_speeds()
        self.table.setSortingEnabled(True)  # sorts again by the header the user chose
        self.clear_button.setEnabled(True)

    def clear(self) -> None:
        """Remove every run; the next one is #1."""
        self.table.setRowCount(0)
        self.runs.clear()
        self.clear_button.setEnabled(False)

    @staticmethod
    def result(run: RunSummary) -> tuple[str, QColor | None]:
        """The "result" cell of ``run`` and its colour (None: the default)."""
        if run.diverged_at is not None:
            return translate("RunHistoryTable", "diverged at {step}").format(step=f"{run.diverged_at:,}"), BAD
        # run.ended is a controller.Ended, a StrEnum: equal to its value.
        if run.ended == "diverged":
            return translate("RunHistoryTable", "diverged"), BAD
        if run.ended == "stopped":
            return translate("RunHistoryTable", "stopped"), None
        if run.ended == "solved":
            return translate("RunHistoryTable", "solved early"), GOOD
        if run.solved:
            return translate("RunHistoryTable", "solved"), GOOD
        return translate("RunHistoryTable", "not solved"), BAD

    @staticmethod
    def _key(value) -> float:
        return float(value) if fmt.is_number(value) else MISSING_LAST

    def _compare_speeds(self) -> None:
        """Each run's µs/step relative to the fastest in the table (sorting off: cells change)."""
        speeds = [run.us_per_step for run in self.runs.values() if fmt.is_number(run.us_per_step)
                  and run.us_per_step > 0]
        fastest = min(speeds, default=None)
        number_col, speed_col = self.keys.index("run"), self.keys.index("speed")
        for row in range(self.table.rowCount()):
            run = self.runs[self.table.item(row, number_col).data(SORT_ROLE)]
            ratio = run.us_per_step / fastest if fastest and fmt.is_number(run.us_per_step) else None
            item = self.table.item(row, speed_col)
            item.setText(fmt.times(ratio))
            item.setData(SORT_ROLE, self._key(ratio))
