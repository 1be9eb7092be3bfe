"""The race of methods (``--view race``): one lane per method, a bar chart and a table of what each costs.

Each raced method has a lane (its small surface, a progress bar of its steps and its µs/step), fed the
schedule's ``RunStatus`` list; the lanes move at the methods' true relative speeds because the schedule
gives every method equal slices of time.  Below them, a bar chart (log scale) and a table give, per method,
µs per step, loss evaluations per step, the time for the run and for 20,000 steps, the speed relative to
``central``, the loss and whether the gate is solved.  The seed experiment's own table (the blog post
GateLab comes from: 20,000 steps timed on its author's machine) follows as reference rows, then the
drawing cost measured live (one method with the surface redrawn every step), so the whole ladder shows,
from the seed's three hours to the fastest method here.  The table exports as Markdown and CSV.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QModelIndex,
    QSaveFile,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGraphicsItem,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from nn_core.schedule import RunStatus

from . import formatting as fmt
from .panels import SOLVED_MARK, UNSOLVED_MARK, ProgressStrip

translate = QCoreApplication.translate
CONTEXT = "RaceView"

SEED_STEPS = 20_000  # the seed's runs; the table's "time for 20,000 steps" column compares every row at it
REFERENCE_METHOD = "central"  # "× central": speeds are relative to the book's numerical_gradient


@dataclass(frozen=True)
class SeedRow:
    """One line of the seed's own table: its change (``label`` in the table, ``short`` beside its bar,
    ``detail`` in the tooltip) and the seconds its author measured for 20,000 steps on his machine."""

    label: str
    short: str
    detail: str
    seconds: float
    projected: bool = False  # the author projected it from a shorter run


# The seed's measurements (20,000 steps of a 2-input network with numerical differentiation, matplotlib
# drawing the output as a 3D surface), translated; the two rows its author found within noise (removing only
# the plotted artists, ~96 s; np.nditer, ~99 s) are left out.  Texts translated when shown.
SEED_ROWS = (
    SeedRow(QT_TRANSLATE_NOOP("RaceView", "seed: redraw every step"),
            QT_TRANSLATE_NOOP("RaceView", "seed: every step"),
            QT_TRANSLATE_NOOP("RaceView", "The seed's first program: central difference, the 3D plot cleared and "
                              "redrawn every step. Its author timed 111 s for 200 steps and projected 11,100 s "
                              "(about 3 hours) for 20,000."),
            11_100.0, projected=True),
    SeedRow(QT_TRANSLATE_NOOP("RaceView", "seed: redraw every 1,000 steps"),
            QT_TRANSLATE_NOOP("RaceView", "seed: every 1,000"),
            QT_TRANSLATE_NOOP("RaceView", "The same program drawing the 3D plot only every 1,000 steps."),
            160.0),
    SeedRow(QT_TRANSLATE_NOOP("RaceView", "seed: forward difference [IX-4]"),
            QT_TRANSLATE_NOOP("RaceView", "seed: forward"),
            QT_TRANSLATE_NOOP("RaceView", "Forward difference reusing the base loss, (L(p+h) − L(p)) / h, eq. "
                              "[IX-4]: what GateLab calls forward."),
            104.0),
    SeedRow(QT_TRANSLATE_NOOP("RaceView", "seed: staged pass [IX-5]"),
            QT_TRANSLATE_NOOP("RaceView", "seed: staged"),
            QT_TRANSLATE_NOOP("RaceView", "A perturbed layer-2 parameter recomputes only what follows it, eq. "
                              "[IX-5]: what GateLab calls staged."),
            89.0),
    SeedRow(QT_TRANSLATE_NOOP("RaceView", "seed: no plotting"),
            QT_TRANSLATE_NOOP("RaceView", "seed: no plotting"),
            QT_TRANSLATE_NOOP("RaceView", "The staged program with no 3D plot during training."),
            86.0),
)

# Row kinds, also the CSV's "row" column.
RACE, SEED, DRAWING = "race", "seed", "drawing"

# (key, header, header tooltip): translated when shown.  "run_time" is hidden when the run is 20,000 steps.
COLUMNS = (
    ("method", QT_TRANSLATE_NOOP("RaceView", "method"),
     QT_TRANSLATE_NOOP("RaceView", "The gradient methods raced, from the same seed and settings; then the seed's "
                       "own measurements and the cost of drawing the surface every step")),
    ("us_per_step", QT_TRANSLATE_NOOP("RaceView", "µs/step"),
     QT_TRANSLATE_NOOP("RaceView", "Gradient and update only, per step, in microseconds (the seed rows: his "
                       "time for 20,000 steps ÷ 20,000)")),
    ("loss_evals", QT_TRANSLATE_NOOP("RaceView", "loss\nevaluations\nper step"),
     QT_TRANSLATE_NOOP("RaceView", "Loss evaluations per step, counted while training (backprop: 1 forward and "
                       "1 backward pass)")),
    ("run_time", QT_TRANSLATE_NOOP("RaceView", "time for\nthis run"),
     QT_TRANSLATE_NOOP("RaceView", "The time for all of this run's steps: measured when the method has finished, "
                       "else projected from its µs/step")),
    ("time_20000", QT_TRANSLATE_NOOP("RaceView", "time for\n20,000 steps"),
     QT_TRANSLATE_NOOP("RaceView", "Every row at the seed's 20,000 steps, so rows compare. Methods: measured when "
                       "this run is 20,000 steps and finished, else projected from µs/step. Seed rows: the times "
                       "the seed's author measured on his machine, for 20,000 steps.")),
    ("speed", QT_TRANSLATE_NOOP("RaceView", "× central"),
     QT_TRANSLATE_NOOP("RaceView", "How many times faster than central per step: central's µs/step ÷ this row's "
                       "(blank when central is not in the race; the seed rows ran on another machine)")),
    ("final_loss", QT_TRANSLATE_NOOP("RaceView", "final loss"),
     QT_TRANSLATE_NOOP("RaceView", "Binary cross-entropy over the four rows: at the end, or now while the run "
                       "goes")),
    ("solved", QT_TRANSLATE_NOOP("RaceView", "solved"),
     QT_TRANSLATE_NOOP("RaceView", "Every output within 0.1 of its target (now, while the run goes)")),
)
COLUMN_KEYS = tuple(key for key, _title, _tip in COLUMNS)

# The CSV's columns: numbers raw (full precision, no separators), names as bench --json's keys.
CSV_FIELDS = ("row", "method", "us_per_step", "loss_evals_per_step", "steps", "seconds", "projected",
              "seconds_20000", "projected_20000", "times_central", "final_loss", "solved", "diverged_at",
              "us_per_step_headless")

RACE_BRUSH = QColor(90, 170, 255)
SEED_BRUSH = QColor(225, 150, 60)
DRAWING_BRUSH = QColor(200, 90, 170)
SEED_TINT = QColor(225, 150, 60, 40)
DRAWING_TINT = QColor(200, 90, 170, 40)


@dataclass
class Row:
    """One line of the table and one bar of the chart; numbers are None when unknown, never NaN."""

    kind: str
    label: str  # the method key, or the seed row's wording, or the drawing-cost row's
    short: str  # beside its bar
    tooltip: str = ""
    us_per_step: float | None = None
    loss_evals: float | None = None
    steps: int | None = None  # this run's total
    seconds: float | None = None  # for ``steps`` steps
    projected: bool = False
    seconds_20000: float | None = None
    projected_20000: bool = False
    times_central: float | None = None
    final_loss: float | None = None
    solved: bool | None = None
    diverged_at: int | None = None
    us_headless: float | None = None  # the drawing-cost row: the same method without drawing


def finite(value) -> float | None:
    """``value`` as a float, or None if it is missing or not finite (so no NaN reaches a cell)."""
    return float(value) if fmt.is_number(value) else None


def us_text(value) -> str:
    """µs per step: one decimal below 1,000, whole microseconds above ("12.3", "555,000")."""
    return fmt.number(value, ",.1f" if value is not None and abs(value) < 1000 else ",.0f")


def raw(value) -> str:
    """A CSV cell: a number at full precision (Python's shortest round-trip form), a bool as true/false,
    nothing for a missing value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return repr(float(value)) if fmt.is_number(value) else ""


class RaceTableModel(QAbstractTableModel):
    """The rows of the race's table, shown formatted; ``Qt.UserRole`` gives a cell's raw number."""

    LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[Row] = []
        self.texts: list[list[str]] = []  # the cells' texts, formatted once per change (views ask often)
        self.steps: int | None = None

    def set_rows(self, rows: list[Row]) -> None:
        """Show ``rows``; only the cells whose text changed are repainted (and re-measured)."""
        texts = [[cell_text(row, key) for key in COLUMN_KEYS] for row in rows]
        steps = {row.steps for row in rows if row.kind == RACE and row.steps is not None}
        self.steps = steps.pop() if len(steps) == 1 else None
        if [(r.kind, r.label) for r in rows] != [(r.kind, r.label) for r in self.rows]:
            self.beginResetModel()
            self.rows, self.texts = rows, texts
            self.endResetModel()
            return
        old, self.rows, self.texts = self.texts, rows, texts
        changed = [r for r, (before, after) in enumerate(zip(old, texts, strict=True)) if before != after]
        if changed:
            self.dataChanged.emit(self.index(changed[0], 0), self.index(changed[-1], len(COLUMNS) - 1))

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        key, title, tip = COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "run_time" and self.steps is not None:
                return translate("RaceView", "time for\n{steps} steps").format(steps=fmt.count(self.steps))
            return translate(CONTEXT, title)
        if role == Qt.ItemDataRole.ToolTipRole:
            return translate(CONTEXT, tip)
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, key = self.rows[index.row()], COLUMN_KEYS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.texts[index.row()][index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return cell_value(row, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltip or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.LEFT if index.column() == 0 else self.RIGHT
        if role == Qt.ItemDataRole.BackgroundRole:
            return {SEED: SEED_TINT, DRAWING: DRAWING_TINT}.get(row.kind)
        return None


def time_text(seconds: float | None, projected: bool, approximate: bool = False) -> str:
    if seconds is None:
        return fmt.MISSING
    text = fmt.seconds(seconds)
    if approximate:
        text = translate("RaceView", "~{time}").format(time=text)
    return translate("RaceView", "{time} (projected)").format(time=text) if projected else text


def cell_text(row: Row, key: str) -> str:
    """What the table shows in ``row``'s ``key`` column: "—" for a number not known (yet), "" where the
    column does not apply to the row."""
    seed = row.kind == SEED
    if key == "method":
        return row.label
    if key == "us_per_step":
        text = us_text(row.us_per_step)
        return translate("RaceView", "~{value}").format(value=text) if seed else text
    if key == "loss_evals":
        if seed:
            return ""
        whole = row.loss_evals is not None and float(row.loss_evals).is_integer()
        return fmt.number(row.loss_evals, ",.0f" if whole else ",.4g")  # 17,154 rather than 1.715e+04
    if key == "run_time":
        return "" if seed else time_text(row.seconds, row.projected)
    if key == "time_20000":
        return time_text(row.seconds_20000, row.projected_20000, approximate=seed)
    if key == "speed":
        return "" if seed or row.times_central is None else fmt.times(row.times_central)
    if key == "final_loss":
        return "" if row.kind != RACE else fmt.number(row.final_loss, ".3g")
    if key == "solved":
        if row.kind != RACE:
            return ""
        if row.diverged_at is not None:
            return translate("RaceView", "diverged at step {step}").format(step=fmt.count(row.diverged_at))
        return fmt.MISSING if row.solved is None else SOLVED_MARK if row.solved else UNSOLVED_MARK
    raise KeyError(key)


def cell_value(row: Row, key: str):
    """``row``'s raw value in ``key``'s column (None when unknown or not applicable)."""
    return {"method": row.label, "us_per_step": row.us_per_step, "loss_evals": row.loss_evals,
            "run_time": row.seconds, "time_20000": row.seconds_20000, "speed": row.times_central,
            "final_loss": row.final_loss, "solved": row.solved}[key]


def race_row(status: RunStatus, central_us: float | None) -> Row:
    """The table's row for one raced method, from its status."""
    us = finite(status.us_per_step)
    seconds, projected = finite(status.full_run_seconds), status.projected
    if status.diverged_at is not None:  # its measured seconds are for fewer steps than the column's
        seconds, projected = (None if us is None else us * status.until / 1e6), True
    if status.until == SEED_STEPS and status.finished and status.diverged_at is None:
        seconds_20000, projected_20000 = finite(status.seconds), False
    else:
        seconds_20000, projected_20000 = (None if us is None else us * SEED_STEPS / 1e6), True
    return Row(kind=RACE, label=status.key, short=status.key,
               us_per_step=us, loss_evals=finite(status.loss_evals_per_step), steps=status.until,
               seconds=seconds, projected=projected, seconds_20000=seconds_20000,
               projected_20000=projected_20000, times_central=speed(central_us, us),
               final_loss=finite(status.loss), solved=bool(status.solved) if status.iteration else None,
               diverged_at=status.diverged_at)


def blank_row(key: str) -> Row:
    """A raced method with no status yet."""
    return Row(kind=RACE, label=key, short=key)


def seed_row(seed: SeedRow) -> Row:
    return Row(kind=SEED, label=translate(CONTEXT, seed.label), short=translate(CONTEXT, seed.short),
               tooltip=translate("RaceView", "{detail}\nMeasured by the seed's author on his machine, for 20,000 "
                                 "steps.").format(detail=translate(CONTEXT, seed.detail)),
               us_per_step=seed.seconds / SEED_STEPS * 1e6, steps=SEED_STEPS, seconds=seed.seconds,
               projected=seed.projected, seconds_20000=seed.seconds, projected_20000=seed.projected)


def speed(central_us: float | None, us: float | None) -> float | None:
    """How many times faster than central per step (central's µs/step ÷ ``us``)."""
    if central_us is None or us is None or us <= 0:
        return None
    return central_us / us


class DrawingCost:
    """The drawing-cost row's measurements (``RaceView.set_drawing_cost``)."""

    def __init__(self, method: str, drawn: float | None, headless: float | None, steps: int):
        self.method, self.drawn, self.headless, self.steps = method, finite(drawn), finite(headless), int(steps)

    def row(self, central_us: float | None, loss_evals: float | None) -> Row:
        drawn, headless = self.drawn, self.headless
        if drawn is not None and headless is not None and headless > 0:
            tooltip = translate("RaceView", "Measured live: {drawn} µs/step with the surface redrawn every step, "
                                "{headless} µs/step without; drawing makes a step {ratio} as long.").format(
                drawn=us_text(drawn), headless=us_text(headless), ratio=fmt.times(drawn / headless))
        else:
            tooltip = translate("RaceView", "Measured live: {method} with the surface redrawn every step.").format(
                method=self.method)
        return Row(kind=DRAWING,
                   label=translate("RaceView", "{method}, surface redrawn every step").format(method=self.method),
                   short=translate("RaceView", "{method}, drawn every step").format(method=self.method),
                   tooltip=tooltip,
                   us_per_step=drawn, loss_evals=loss_evals, steps=self.steps,
                   seconds=None if drawn is None else drawn * self.steps / 1e6, projected=True,
                   seconds_20000=None if drawn is None else drawn * SEED_STEPS / 1e6, projected_20000=True,
                   times_central=speed(central_us, drawn), us_headless=headless)


class RaceChart(pg.PlotWidget):
    """Horizontal bars of the time for 20,000 steps, on a log scale: the seed's rows at the top, then the
    drawing cost, then the raced methods, so the ladder reads from the slowest down.

    pyqtgraph's log mode does not transform a BarGraphItem (pyqtgraph issue #2535), so the bars are drawn at
    log10(seconds) on a linear axis whose ticks are labelled as seconds."""

    BAR_HEIGHT = 0.7
    KIND_BRUSHES = {RACE: RACE_BRUSH, SEED: SEED_BRUSH, DRAWING: DRAWING_BRUSH}

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setBackground(None)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.showGrid(x=True, y=False, alpha=0.25)
        self.setLabel("bottom", translate("RaceView", "time for 20,000 steps (pale: projected)"))
        for name in ("left", "bottom"):
            self.getAxis(name).setTextPen(self.palette().text().color())
            # Drawn once per range and ticks, then blitted: the bars change with every status, the axes seldom.
            self.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.getAxis("bottom").enableAutoSIPrefix(False)
        self.bars = pg.BarGraphItem(x0=[], x1=[], y=[], height=self.BAR_HEIGHT)
        self.addItem(self.bars)
        self.texts: list[pg.TextItem] = []
        self.rows: list[Row] = []
        self.base, self.top = 0, 1  # the decades shown: the bars start at base, a whole decade below the shortest
        self._shown = None  # what was last drawn, to skip identical redraws
        self._fitted = None  # the range and ticks last set
        self._bar_count = 0
        self.getViewBox().sigResized.connect(self._resized)  # as many decade labels as fit

    def ladder(self, rows: list[Row]) -> list[Row]:
        """``rows`` in the chart's order, top to bottom."""
        order = {SEED: 0, DRAWING: 1, RACE: 2}
        return sorted(rows, key=lambda row: order[row.kind])  # stable: the race keeps its order

    def set_rows(self, rows: list[Row]) -> None:
        rows = self.ladder(rows)
        shown = [(row.kind, row.short, row.seconds_20000, row.projected_20000) for row in rows]
        if shown == self._shown:
            return
        self._shown = shown
        self.rows = rows
        logs = [math.log10(r.seconds_20000) if r.seconds_20000 and r.seconds_20000 > 0 else None for r in rows]
        known = [v for v in logs if v is not None] or [0.0]
        low, high = min(known), max(known)
        self.base = math.floor(low - 0.3)  # every bar at least 0.3 decade long
        self.top = max(math.ceil(high - 0.1), self.base + 1)  # 11,100 s ends just past the 10,000 s label
        n = len(rows)
        y = np.arange(n - 1, -1, -1, dtype=float)  # the first row at the top
        ends = np.array([self.base if v is None else v for v in logs])
        brushes = [self.brush(row) for row in rows]
        self.bars.setOpts(x0=np.full(n, self.base), x1=ends, y=y, height=self.BAR_HEIGHT, brushes=brushes,
                          pens=[pg.mkPen(None)] * n)
        while len(self.texts) < n:
            text = pg.TextItem(anchor=(0.0, 0.5), color=self.palette().text().color())
            self.addItem(text)
            self.texts.append(text)
        for extra in self.texts[n:]:
            extra.setText("")
        for text, row, end, y_row in zip(self.texts, rows, ends, y, strict=False):
            # The time only: a projected bar is paler, and the table says "(projected)".
            text.setText(fmt.MISSING if row.seconds_20000 is None
                         else time_text(row.seconds_20000, False, approximate=row.kind == SEED))
            text.setPos(end, y_row)
        axis = self.getAxis("left")
        axis.setTicks([[(float(y_row), row.short) for y_row, row in zip(y, rows, strict=True)], []])
        # Wide enough for the longest label: pyqtgraph leaves out a label that does not fit the axis.
        metrics = QFontMetrics(axis.style.get("tickFont") or self.font())
        axis.setWidth(max(metrics.horizontalAdvance(row.short) for row in rows) + 16 if rows else None)
        if n != self._bar_count:
            self._bar_count = n
            self.setYRange(-0.6, n - 0.4, padding=0)
        self._fit_x()

    def _fit_x(self) -> None:
        """The decades from ``base`` to ``top``, with room on the right for the longest bar's text, and as many
        decade labels as fit side by side."""
        width = max(self.getViewBox().width(), 1.0)
        metrics = self.fontMetrics()
        text_px = max((metrics.horizontalAdvance(t.toPlainText()) for t in self.texts[:len(self.rows)]), default=0)
        fitted = (self.base, self.top, round(width), text_px)
        if fitted == self._fitted:  # each change re-lays out the axis: not on every status
            return
        self._fitted = fitted
        span = self.top - self.base
        px_per_decade = max(width - text_px - 8, width / 2) / span
        self.setXRange(self.base, self.top + (text_px + 8) / px_per_decade, padding=0)
        labels = {d: self.seconds_label(d) for d in range(self.base, self.top + 1)}
        label_px = max(metrics.horizontalAdvance(label) for label in labels.values()) + 10
        stride = next((k for k in (1, 2, 3, 5) if k * px_per_decade >= label_px), 10)
        major = [(float(d), label) for d, label in labels.items() if d % stride == 0]
        minor = [(float(d), "") for d in labels if d % stride] + [
            (d + math.log10(m), "") for d in range(self.base, self.top) for m in range(2, 10)]
        self.getAxis("bottom").setTicks([major, minor])

    @staticmethod
    def seconds_label(decade: int) -> str:
        """10**decade seconds as an axis label: "0.01 s", "1 s", "1,000 s", "1e5 s"."""
        value = 10.0 ** decade
        text = f"{value:,.0f}" if 0 <= decade <= 4 else fmt.decade(decade)
        return translate("RaceView", "{value} s").format(value=text)

    def _resized(self, *_args) -> None:
        if self.rows:
            self._fit_x()

    def brush(self, row: Row) -> QColor:
        colour = QColor(self.KIND_BRUSHES[row.kind])
        if row.projected_20000:
            colour.setAlpha(150)  # projected bars paler
        return colour

    # --- read back (tests) ---------------------------------------------------------------------

    def bar_labels(self) -> list[str]:
        """The bars' labels, top to bottom."""
        return [row.short for row in self.rows]

    def bar_ends(self) -> list[float]:
        """Where each bar ends, top to bottom: log10 of its seconds (``base`` when unknown)."""
        return [float(v) for v in np.atleast_1d(self.bars.opts["x1"])]

    def bar_texts(self) -> list[str]:
        return [text.toPlainText() for text in self.texts[:len(self.rows)]]


class Lane(QWidget):
    """One raced method: its small surface, a progress bar of its steps and its µs/step."""

    def __init__(self, key: str, surface: QWidget, parent=None):
        super().__init__(parent)
        self.key = key
        self.surface = surface
        self.targets = None
        surface.set_title(key)
        surface.set_subtitle(fmt.MISSING)
        self.progress = ProgressStrip()
        self.speed = QLabel(translate("RaceView", "{us} µs/step").format(us=fmt.MISSING))
        self.speed.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress.setToolTip(translate("RaceView", "Steps done of the run's total"))
        self.speed.setToolTip(translate("RaceView", "Gradient and update only, per step, measured in the training "
                                        "thread"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        layout.addWidget(surface, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.speed)
        self.reset()

    def reset(self) -> None:
        self.progress.set_fraction(0.0, fmt.MISSING)
        self.speed.setText(translate("RaceView", "{us} µs/step").format(us=fmt.MISSING))
        self.surface.set_subtitle(fmt.MISSING)

    def show_status(self, status: RunStatus, timing: bool = True) -> None:
        """``status`` on the lane; without ``timing`` the µs/step label stays (replay, the drawing-cost run)."""
        if status.surface is not None:
            self.surface.set_surface(status.surface)
        targets = np.ravel(status.targets)
        if self.targets is None or not np.array_equal(targets, self.targets):
            self.targets = targets.copy()
            self.surface.set_targets(targets)
        if status.diverged_at is not None:
            text = translate("RaceView", "diverged at step {step}").format(step=fmt.count(status.diverged_at))
        else:
            text = translate("RaceView", "{done} / {total} steps").format(done=fmt.count(status.iteration),
                                                                           total=fmt.count(status.until))
        self.progress.set_fraction(status.iteration / status.until if status.until else 1.0, text)
        if timing:
            self.speed.setText(translate("RaceView", "{us} µs/step").format(us=us_text(finite(status.us_per_step))))
        loss = translate("RaceView", "loss {loss}").format(loss=fmt.number(finite(status.loss), ".3g"))
        if status.iteration and status.solved:
            loss = translate("RaceView", "{loss}, solved").format(loss=loss)
        self.surface.set_subtitle(loss)


class RaceView(QWidget):
    """The race: a lane per method, a bar chart and a table (see the module's docstring).

    ``surface_factory()`` returns a new QWidget with ``set_surface(z) -> bool`` (z: ``(n, n)`` outputs over
    the unit square), ``set_targets(targets)`` (``(4,)``), ``set_title(text)`` and ``set_subtitle(text)``:
    the lanes' small surfaces.  ``choices``: the methods the learner may race, a check box each;
    ``chosen_changed`` gives the ticked ones, in ``choices``' order, when a box is clicked."""

    chosen_changed = Signal(list)

    def __init__(self, surface_factory: Callable[[], QWidget], methods: Sequence[str] = (),
                 choices: Sequence[str] = (), parent=None):
        super().__init__(parent)
        self.choice_boxes: dict[str, QCheckBox] = {}
        self._choices_enabled = True
        choice_bar = QHBoxLayout()
        if choices:
            label = QLabel(translate("RaceView", "Race:"))
            label.setToolTip(translate("RaceView", "The methods that race when you press Start"))
            choice_bar.addWidget(label)
        for key in choices:
            box = QCheckBox(key)
            box.setChecked(True)
            box.setToolTip(translate("RaceView", "Race {method} (at least one method races)").format(method=key))
            box.toggled.connect(self._choice_toggled)
            self.choice_boxes[key] = box
            choice_bar.addWidget(box)
        choice_bar.addStretch(1)
        self.surface_factory = surface_factory
        self.lanes: dict[str, Lane] = {}
        self.statuses: dict[str, RunStatus] = {}
        self.drawing: DrawingCost | None = None
        self._run_steps = None
        self._lengths = None  # the longest text of each column, when the columns were last sized

        self.lanes_box = QWidget()
        self.lanes_layout = QHBoxLayout(self.lanes_box)
        self.lanes_layout.setContentsMargins(0, 0, 0, 0)

        self.chart = RaceChart()
        self.chart.setMinimumWidth(260)
        self.model = RaceTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        # Sized to the contents when a column's longest text changes length (refresh), not on every status:
        # ResizeToContents re-measures every cell of a column at each change.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)

        self.copy_markdown_button = QPushButton(translate("RaceView", "Copy as Markdown"))
        self.copy_csv_button = QPushButton(translate("RaceView", "Copy as CSV"))
        self.copy_markdown_button.setToolTip(translate("RaceView", "Copy the table to the clipboard as Markdown"))
        self.copy_csv_button.setToolTip(translate("RaceView", "Copy the table to the clipboard as CSV, numbers at "
                                                  "full precision"))
        self.copy_markdown_button.clicked.connect(self.copy_markdown)
        self.copy_csv_button.clicked.connect(self.copy_csv)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for text, slot in ((translate("RaceView", "Copy as Markdown"), self.copy_markdown),
                           (translate("RaceView", "Copy as CSV"), self.copy_csv)):
            action = QAction(text, self.table)
            action.triggered.connect(slot)
            self.table.addAction(action)
        self.note = QLabel(self.seed_note())
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        buttons = QHBoxLayout()
        buttons.addWidget(self.note, 1)
        buttons.addWidget(self.copy_markdown_button)
        buttons.addWidget(self.copy_csv_button)
        table_box = QVBoxLayout()
        table_box.addWidget(self.table, 1)
        table_box.addLayout(buttons)
        bottom = QHBoxLayout()
        bottom.addWidget(self.chart, 3)
        bottom.addLayout(table_box, 5)
        layout = QVBoxLayout(self)
        layout.addLayout(choice_bar)
        layout.addWidget(self.lanes_box, 4)
        layout.addLayout(bottom, 5)

        self.set_methods(methods)

    @staticmethod
    def seed_note() -> str:
        return translate("RaceView", "Seed rows: timed by the author of the blog post GateLab grew from.")

    # --- what the integrator calls -------------------------------------------------------------

    def chosen(self) -> list[str]:
        """The ticked methods, in ``choices``' order."""
        return [key for key, box in self.choice_boxes.items() if box.isChecked()]

    def set_chosen(self, keys: Sequence[str]) -> None:
        """Tick exactly ``keys`` (no ``chosen_changed``)."""
        for key, box in self.choice_boxes.items():
            blocked = box.blockSignals(True)
            box.setChecked(key in keys)
            box.blockSignals(blocked)
        self._lock_last_choice()

    def set_choices_enabled(self, enabled: bool) -> None:
        """The boxes are locked while a race runs."""
        self._choices_enabled = enabled
        self._lock_last_choice()

    def _choice_toggled(self) -> None:
        self._lock_last_choice()
        self.chosen_changed.emit(self.chosen())

    def _lock_last_choice(self) -> None:
        """The last ticked box cannot be unticked: a race of no method is not a race."""
        chosen = self.chosen()
        for key, box in self.choice_boxes.items():
            box.setEnabled(self._choices_enabled and not (len(chosen) == 1 and key in chosen))

    def set_methods(self, keys: Sequence[str]) -> None:
        """One lane per method key, in this order (the old lanes are removed, their surfaces with them);
        the table's race rows follow.  Statuses of methods no longer raced are forgotten."""
        for lane in self.lanes.values():
            self.lanes_layout.removeWidget(lane)
            lane.hide()  # not reparented: a GL surface's native window would be recreated for nothing
            lane.deleteLater()
        self.lanes = {}
        for key in keys:
            lane = Lane(key, self.surface_factory())
            self.lanes[key] = lane
            self.lanes_layout.addWidget(lane, 1)
        self.statuses = {key: s for key, s in self.statuses.items() if key in self.lanes}
        self.refresh()

    def show(self, statuses: Sequence[RunStatus] | None = None) -> None:
        """Show the race's statuses (one per method; a method without a lane gets one, added after the
        others).  ``show()`` with no argument shows the widget, as QWidget.show does."""
        if statuses is None:
            super().show()
            return
        new = [s.key for s in statuses if s.key not in self.lanes]
        if new:
            self.set_methods([*self.lanes, *dict.fromkeys(new)])
        for status in statuses:
            self.statuses[status.key] = status
            self.lanes[status.key].show_status(status)
        self.refresh()

    def show_lanes(self, statuses: Sequence[RunStatus]) -> None:
        """Only the lanes' surfaces, steps and losses (replay, the drawing-cost run): the table, the chart and
        the µs/step labels keep the race's own results."""
        for status in statuses:
            lane = self.lanes.get(status.key)
            if lane is not None:
                lane.show_status(status, timing=False)

    def show_drawing(self, status: RunStatus) -> None:
        """A step of the drawing-cost run, drawn on its method's lane."""
        self.show_lanes([status])

    def surface_of(self, key: str) -> QWidget:
        """The small surface of ``key``'s lane.  KeyError if it has none."""
        return self.lanes[key].surface

    def set_drawing_cost(self, method: str, us_per_step_drawn: float | None, us_per_step_headless: float | None,
                         steps: int) -> None:
        """The drawing-cost row: ``method`` measured live with the surface redrawn every step
        (``us_per_step_drawn``, µs) and without (``us_per_step_headless``, µs; None or NaN: not measured yet),
        projected to ``steps`` steps (the run's total) and to 20,000."""
        self.drawing = DrawingCost(method, us_per_step_drawn, us_per_step_headless, steps)
        self.refresh()

    def clear(self) -> None:
        """Forget the statuses and the drawing cost; the lanes stay, back at step 0 (a surface keeps its last
        picture until the next status: a new race from the same seed starts from the same one)."""
        self.statuses.clear()
        self.drawing = None
        for lane in self.lanes.values():
            lane.reset()
        self.refresh()

    # --- the rows ------------------------------------------------------------------------------

    def central_us(self) -> float | None:
        status = self.statuses.get(REFERENCE_METHOD)
        return None if status is None else finite(status.us_per_step)

    def rows(self) -> list[Row]:
        """The table's rows: the raced methods (lane order), the seed's rows, the drawing cost."""
        central = self.central_us()
        rows = [race_row(self.statuses[key], central) if key in self.statuses else blank_row(key)
                for key in self.lanes]
        rows += [seed_row(seed) for seed in SEED_ROWS]
        if self.drawing is not None:
            status = self.statuses.get(self.drawing.method)
            rows.append(self.drawing.row(central, None if status is None else finite(status.loss_evals_per_step)))
        return rows

    def refresh(self) -> None:
        rows = self.rows()
        self.model.set_rows(rows)
        steps = self.model.steps
        if steps != self._run_steps:  # the header names the run's steps
            self._run_steps = steps
            run_time = COLUMN_KEYS.index("run_time")
            # "time for this run" repeats "time for 20,000 steps" when the run is 20,000 steps.
            self.table.setColumnHidden(run_time, steps == SEED_STEPS)
            self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, run_time, run_time)
        lengths = [max(len(line) for row in self.model.texts for line in row[c].split("\n"))
                   for c in range(len(COLUMNS))]
        if lengths != self._lengths:
            self._lengths = lengths
            self.table.resizeColumnsToContents()
        self.chart.set_rows(rows)

    # --- read back and export ------------------------------------------------------------------

    def visible_columns(self) -> list[int]:
        return [c for c in range(len(COLUMNS)) if not self.table.isColumnHidden(c)]

    def headers(self) -> list[str]:
        """The shown columns' headers, each on one line."""
        return [self.model.headerData(c, Qt.Orientation.Horizontal).replace("\n", " ")
                for c in self.visible_columns()]

    def cells(self) -> list[list[str]]:
        """The shown cells' texts, top to bottom."""
        model = self.model
        return [[model.data(model.index(r, c)) for c in self.visible_columns()] for r in range(model.rowCount())]

    def column(self, key: str) -> list[str]:
        """One column's texts, top to bottom; ``key`` is one of COLUMN_KEYS (ValueError otherwise)."""
        col = COLUMN_KEYS.index(key)
        return [self.model.data(self.model.index(r, col)) for r in range(self.model.rowCount())]

    def to_markdown(self) -> str:
        """The table as shown, as a Markdown (GitHub) table, numbers formatted as on screen ("—": not known),
        followed by a note on the seed's rows."""
        def line(cells):
            return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"
        headers = self.headers()
        lines = [line(headers), "|" + "|".join("---" for _ in headers) + "|"]
        lines += [line(cells) for cells in self.cells()]
        return "\n".join(lines) + "\n\n" + self.seed_note() + "\n"

    def to_csv(self) -> str:
        """The table as CSV text: a header line (CSV_FIELDS, bench --json's names), then one line per row, the
        numbers raw (full precision, no thousands separators), empty where unknown or not applicable."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_FIELDS)
        for row in self.model.rows:
            writer.writerow([row.kind, row.label, raw(row.us_per_step), raw(row.loss_evals), raw(row.steps),
                             raw(row.seconds), raw(row.projected if row.seconds is not None else None),
                             raw(row.seconds_20000), raw(row.projected_20000 if row.seconds_20000 is not None
                                                         else None),
                             raw(row.times_central), raw(row.final_loss), raw(row.solved), raw(row.diverged_at),
                             raw(row.us_headless)])
        return out.getvalue()

    def copy_markdown(self) -> None:
        QGuiApplication.clipboard().setText(self.to_markdown())

    def copy_csv(self) -> None:
        QGuiApplication.clipboard().setText(self.to_csv())

    def save(self, path, fmt: str) -> None:
        """Write the table to ``path`` as ``fmt`` ("markdown" or "csv"), UTF-8, atomically (QSaveFile: the
        old file stays whole if writing fails).  ValueError for another format; OSError, with the path and
        Qt's reason, if the file cannot be written."""
        texts = {"markdown": self.to_markdown, "md": self.to_markdown, "csv": self.to_csv}
        if fmt not in texts:
            raise ValueError(f"unknown table format {fmt!r} (markdown or csv)")
        data = texts[fmt]().encode("utf-8")
        out = QSaveFile(str(path))
        failed = None
        if not out.open(QIODevice.OpenModeFlag.WriteOnly):
            failed = out.errorString()
        elif out.write(QByteArray(data)) != len(data):
            failed = out.errorString()
            out.cancelWriting()
            out.commit()
        elif not out.commit():
            failed = out.errorString()
        if failed is not None:
            raise OSError(translate("RaceView", "{path} could not be written: {reason}.").format(
                path=path, reason=failed))
