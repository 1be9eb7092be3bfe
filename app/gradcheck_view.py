"""GradientCheckView: the gradient check of the network shown, live, and its error against h.

The window hands it each network it shows (``show_network``, an ``app.inside.NetworkAt``).  The view shows what
``python -m nn_core gradcheck`` computes for that network (``nn_core.gradcheck.check_gradients``): for every
method, its largest and its norm-wise relative error against backprop, and one table row per parameter (W1[0,1],
b2[0] ...) with backprop's gradient and each method's relative error there.  Beside it, the error of forward and
central against h from 1e-12 to 1e-1 (``nn_core.gradcheck.error_vs_h``), on log-log axes, with the fitted slopes
of the two regimes and a line at the run's h.

The numbers are computed in a process of the view's own (``app.gradcheck_worker``), never in the GUI thread,
nor in a thread sharing its GIL: a network of 64 and 64 hidden units takes seconds.  It computes only the newest
network it was given (older requests are dropped unseen), only while the view is visible, and while the run trains
it rests between computations so that training and drawing keep the CPU.  Call ``shutdown()`` before the view
goes (the window does when it closes).
"""

from __future__ import annotations

import logging
import math
import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QGraphicsItem,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nn_core import gradcheck
from nn_core.methods import METHODS
from nn_core.network import param_layout

from . import engine_texts, gradcheck_worker
from . import formatting as fmt
from .gradcheck_worker import CURVE_METHODS, DIVERGED, CurveResult, Request, TableResult
from .inside import NetworkAt

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

REFERENCE = "backprop"
CURVE_COLOURS = {"forward": (240, 150, 60), "central": (80, 160, 255)}
H_LINE_COLOUR = (230, 210, 90)
REGIME_BRUSHES = {"rounding": (200, 90, 90, 40), "truncation": (90, 170, 110, 40)}
BOOK_H = 1e-4
SHUTDOWN_WAIT_SECONDS = 0.2  # then the process is killed: it holds nothing to save, and a chunk of h may take seconds


def parameter_names(hidden) -> list[str]:
    """The book's name of every parameter, in the flat vector's order: ``W1[0,1]``, ``b1[2]``, ``W2[3,0]`` ...
    (``nn_core.network.param_layout``; a weight matrix is (n_in, n_out), laid out row by row)."""
    names = []
    for name, shape, _cut in param_layout(hidden):
        names.extend(f"{name}[{','.join(str(i) for i in index)}]" for index in np.ndindex(*shape))
    return names


def error_text(value) -> str:
    """A relative error as "3.2e-09"; exactly 0 as "0"; NaN, ±inf or None as "—"."""
    if not fmt.is_number(value):
        return fmt.MISSING
    return "0" if value == 0 else f"{value:.1e}"


def gradient_text(value) -> str:
    """A gradient as "-3.049e-05": one width for every row, as the gradients span many decades."""
    return fmt.number(value, ".3e")


def slope_text(value) -> str:
    """A fitted slope with its sign, "+2.0", "−1.0" (a true minus sign); "—" when there is none."""
    if not fmt.is_number(value):
        return fmt.MISSING
    return f"{value:+.1f}".replace("-", "−")


def h_text(h: float) -> str:
    """h as "1e-4", "2.5e-6" (the book's way; Python's "1e-04" and "0.0001" read worse)."""
    mantissa, exponent = f"{h:.6e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"


# --- the process that computes ------------------------------------------------------------------------------


class CheckWorker:
    """The window's end of the process that computes (``app.gradcheck_worker.serve``): ``post`` sends it the
    newest request; a thread reads its results and hands each to ``deliver`` (called on that thread; the view
    gives a queued Qt signal's emit).  ``state``, ``tables``, ``curves``, ``abandoned``: what it reports."""

    def __init__(self, deliver):
        self._deliver = deliver
        self._lock = threading.Lock()
        self._stopping = False
        self.state = "idle"
        self.abandoned = 0
        self.tables = self.curves = 0  # received and delivered
        # The package this module is from, first on the path: the process runs the window's own code.
        root = str(Path(gradcheck_worker.__file__).resolve().parents[1])
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([root, *filter(None, [os.environ.get("PYTHONPATH")])]))
        # Started from the GUI thread, it runs on the GUI's CPUs (liveview.py keeps one for training).
        self._process = subprocess.Popen([sys.executable, "-c", "from app.gradcheck_worker import main; main()"],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self._reader = threading.Thread(target=self._read, name="GradientCheckResults", daemon=True)
        self._reader.start()

    @property
    def alive(self) -> bool:
        return self._process.poll() is None or self._reader.is_alive()

    def post(self, request: Request) -> None:
        self._write(request)

    def _write(self, message) -> bool:
        try:
            pickle.dump(message, self._process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self._process.stdin.flush()
            return True
        except (BrokenPipeError, OSError, ValueError):  # ValueError: stdin closed
            return False

    def stop(self, wait: float = SHUTDOWN_WAIT_SECONDS) -> bool:
        """End the process (it abandons its work at the next chunk of h; after ``wait`` seconds it is killed)
        and deliver nothing more.  True if it ended of itself."""
        with self._lock:
            self._stopping = True
        self._write(None)
        try:
            self._process.stdin.close()
        except OSError:
            pass
        try:
            self._process.wait(wait)
            ended = True
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
            ended = False
        self._reader.join()
        self._process.stdout.close()
        return ended

    def _read(self) -> None:
        while True:
            try:
                result = pickle.load(self._process.stdout)
            except (EOFError, OSError, ValueError):  # the process has ended
                return
            except Exception:  # a message not understood: not shown, never raised in this thread
                log.exception("the gradient check's process sent what could not be read")
                return
            if isinstance(result, gradcheck_worker.State):
                self.state, self.abandoned = result.doing, result.abandoned
                continue
            if isinstance(result, TableResult):
                self.tables += 1
            else:
                self.curves += 1
            with self._lock:  # stop() waits for a delivery under way, and none starts after it
                if not self._stopping:
                    self._deliver(result)


class _Delivery(QObject):
    """Carries results from the worker's thread to the GUI thread (a queued connection: it lives in the GUI
    thread and is emitted from the other)."""

    table = Signal(object)
    curve = Signal(object)

    def deliver(self, result) -> None:
        (self.table if isinstance(result, TableResult) else self.curve).emit(result)


# --- the widgets -------------------------------------------------------------------------------------------


class ParameterModel(QAbstractTableModel):
    """One row per parameter: its name, its value, backprop's dL/dp, then each other method's relative error.

    ``Qt.UserRole`` gives the number itself (for sorting); the largest error of each column is bold."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.methods = [key for key in METHODS if key != REFERENCE]
        self.names: list[str] = []
        self.values = np.zeros(0)
        self.gradient = np.zeros(0)
        self.errors = np.zeros((0, len(self.methods)))
        self.largest: list[int] = [-1] * len(self.methods)
        self.bold = QFont()
        self.bold.setBold(True)

    def headers(self) -> list[str]:
        return [translate("GradientCheckView", "parameter"), translate("GradientCheckView", "value"),
                translate("GradientCheckView", "dL/dp")] + list(self.methods)

    def set_rows(self, names: list[str], check: dict | None) -> None:
        """The rows for ``names``; ``check`` (check_gradients' dict for those parameters) or None ("—")."""
        count = len(names)
        if check is None:
            values, gradient = np.full(count, np.nan), np.full(count, np.nan)
            errors = np.full((count, len(self.methods)), np.nan)
        else:
            values, gradient = check["params"], check["gradients"][REFERENCE]
            errors = np.column_stack([check["relative_errors"][key] for key in self.methods])
        largest = []
        for column in range(errors.shape[1]):
            finite = np.where(np.isfinite(errors[:, column]), errors[:, column], -np.inf)
            largest.append(int(np.argmax(finite)) if count and np.isfinite(finite).any() else -1)
        if names != self.names:
            self.beginResetModel()
            self.names, self.values, self.gradient, self.errors, self.largest = names, values, gradient, errors, largest
            self.endResetModel()
        else:
            self.values, self.gradient, self.errors, self.largest = values, gradient, errors, largest
            if count:
                self.dataChanged.emit(self.index(0, 1), self.index(count - 1, self.columnCount() - 1))

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.names)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3 + len(self.methods)

    def number(self, row: int, column: int) -> float:
        if column == 1:
            return float(self.values[row])
        if column == 2:
            return float(self.gradient[row])
        return float(self.errors[row, column - 3])

    def text(self, row: int, column: int) -> str:
        if column == 0:
            return self.names[row]
        value = self.number(row, column)
        if column == 1:
            return fmt.number(value, ".4g")
        return gradient_text(value) if column == 2 else error_text(value)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.UserRole:  # sort by the number; "—" last
            if column == 0:
                return row
            value = self.number(row, column)
            return value if math.isfinite(value) else math.inf
        if role == Qt.ItemDataRole.TextAlignmentRole and column:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and column >= 3 and self.largest[column - 3] == row:
            return self.bold
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole and section == 2:
            return translate("GradientCheckView", "Backprop's gradient: the loss's derivative with respect to this "
                             "parameter, by the chain rule")
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole and section >= 3:
            key = self.methods[section - 3]
            return translate("GradientCheckView", "{title} ({method}) against backprop, for this parameter: "
                             "|g − g_backprop| / max(|g|, |g_backprop|); bold: the largest in the column").format(
                title=engine_texts.text(METHODS[key].title), method=key)
        return None


class ErrorCurvePlot(pg.PlotWidget):
    """The norm-wise relative error of forward and central against h, both axes logarithmic, with the regimes
    where truncation and rounding error win shaded and a vertical line at the run's h.

    Its ticks and the room above the curves for the regimes' labels follow its size (``relayout``): a labelled
    tick every 1, 2, 3, 4 or 6 decades, as many as fit without touching."""

    X_DECADES = range(-12, 0)  # DEFAULT_HS: 1e-12 .. 1e-1

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setLogMode(x=True, y=True)
        self.setMenuEnabled(False)
        self.showGrid(x=True, y=True, alpha=0.2)
        self.setLabel("bottom", translate("GradientCheckView", "h (the finite-difference step)"))
        self.setLabel("left", translate("GradientCheckView", "norm-wise relative error"))
        self.getAxis("left").setToolTip(translate(
            "GradientCheckView", "The norm-wise relative error against backprop: ‖g − g_backprop‖ / max(‖g‖, "
            "‖g_backprop‖) over all the parameters"))
        for name in ("left", "bottom"):
            axis = self.getAxis(name)
            axis.enableAutoSIPrefix(False)
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        low, high = gradcheck.DEFAULT_HS[0], gradcheck.DEFAULT_HS[-1]
        self.setXRange(math.log10(low), math.log10(high), padding=0.02)
        self.regions = {}
        for regime, (start, stop) in gradcheck.REGIMES.items():
            region = pg.LinearRegionItem((math.log10(start), math.log10(stop)), movable=False,
                                         brush=pg.mkBrush(*REGIME_BRUSHES[regime]), pen=pg.mkPen(None))
            self.addItem(region, ignoreBounds=True)
            self.regions[regime] = region
        # Inside their regions, from the plot's outer edges inwards: they never meet, however narrow the plot.
        self.region_labels = {
            "rounding": pg.TextItem(translate("GradientCheckView", "rounding"), color=(230, 140, 140),
                                    anchor=(0, 0)),
            "truncation": pg.TextItem(translate("GradientCheckView", "truncation"), color=(140, 210, 150),
                                      anchor=(1, 0)),
        }
        self.region_labels["rounding"].setToolTip(translate(
            "GradientCheckView", "Rounding error wins at tiny h: it grows as 1/h (slope −1)"))
        self.region_labels["truncation"].setToolTip(translate(
            "GradientCheckView", "Truncation error wins at large h: it falls as h (forward, slope 1) or h² "
            "(central, slope 2)"))
        for item in self.region_labels.values():
            self.addItem(item, ignoreBounds=True)
        self.legend = self.addLegend(labelTextColor=(220, 220, 220), brush=pg.mkBrush(0, 0, 0, 160))
        self.legend.anchor((0.5, 0), (0.5, 0), (0, 4))  # top middle: between the regimes, the V is low there
        self.curves = {key: self.plot(name=key, pen=pg.mkPen(CURVE_COLOURS[key], width=2), symbol="o",
                                      symbolSize=4, symbolBrush=CURVE_COLOURS[key], symbolPen=None, connect="finite")
                       for key in CURVE_METHODS}
        # Its label runs along the line, low down, on a dark ground: clear of the regimes' labels at the top.
        self.h_line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(H_LINE_COLOUR, width=1.5,
                                                                          style=Qt.PenStyle.DashLine),
                                      label="", labelOpts={"position": 0.04, "color": H_LINE_COLOUR,
                                                           "rotateAxis": (1, 0), "anchors": [(0, 1), (0, 1)],
                                                           "fill": pg.mkBrush(0, 0, 0, 150)})
        self.addItem(self.h_line, ignoreBounds=True)
        self.h_line.hide()
        # Until the first curve comes: for 64,64 hidden units it takes seconds.
        self.waiting = pg.TextItem(translate("GradientCheckView", "Computing the error against h…"),
                                   color=(220, 220, 220), anchor=(0.5, 0.5), fill=pg.mkBrush(0, 0, 0, 170))
        self.addItem(self.waiting, ignoreBounds=True)
        self.waiting.hide()
        self.plotted: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # what the curves were given, in linear units
        self._decades: tuple[int, int] = (-12, 0)  # of the errors shown
        self.x_stride = self.y_stride = 0
        self.getViewBox().sigResized.connect(self.relayout)
        self.relayout()

    def set_h(self, h: float | None) -> None:
        """The vertical line at the run's ``h`` (None hides it)."""
        if h is None or not (math.isfinite(h) and h > 0):
            self.h_line.hide()
            return
        self.h_line.setValue(math.log10(h))
        self.h_line.show()  # first: a hidden line's label ignores its text
        text = (translate("GradientCheckView", "h = {h}, the book's") if h == BOOK_H
                else translate("GradientCheckView", "h = {h}, this run's"))
        self.h_line.label.setFormat(text.format(h=h_text(h)))

    def set_curve(self, curve: dict | None) -> None:
        """Draw ``curve`` (``error_vs_h``'s dict); errors that are not positive and finite are left out (a gap);
        None empties the plot."""
        self.plotted = {}
        finite = []
        for key, item in self.curves.items():
            if curve is None:
                item.setData([], [])
                continue
            hs = np.asarray(curve["h"], dtype=float)
            errors = np.asarray(curve["norm_rel_error"][key], dtype=float)
            shown = np.where(np.isfinite(errors) & (errors > 0), errors, np.nan)
            self.plotted[key] = (hs, shown)
            if np.isfinite(shown).any():
                item.setData(hs, shown)
                finite.append(shown[np.isfinite(shown)])
            else:
                item.setData([], [])
        if finite:
            values = np.concatenate(finite)
            low = max(math.floor(math.log10(values.min())), -20)
            high = min(math.ceil(math.log10(values.max())), 5)
            self._decades = (low, max(high, low + 2))
            self.relayout()

    @staticmethod
    def stride(pixels_per_decade: float, room: float) -> int:
        """The fewest decades between labelled ticks that leaves each label ``room`` pixels."""
        return next((s for s in (1, 2, 3, 4, 6) if s * pixels_per_decade >= room), 12)

    def relayout(self) -> None:
        """The ticks, and the room above the curves for the regimes' labels, for the plot's size now."""
        box = self.getViewBox()
        width, height = max(box.width(), 1.0), max(box.height(), 1.0)
        metrics = QFontMetrics(self.getAxis("bottom").style["tickFont"] or self.font())
        x_low, x_high = self.X_DECADES[0], self.X_DECADES[-1] + 1
        widest = max(metrics.horizontalAdvance(h_text(10.0 ** d)) for d in self.X_DECADES)
        x_stride = self.stride(width / ((x_high - x_low) * 1.04), widest + 12)
        low, high = self._decades
        # room above the highest decade for one line of text: t pixels of a span S = (high - low) / (1 - t / H)
        label = self.region_labels["rounding"].textItem.boundingRect().height() + 2
        span = (high - low) / max(1 - label / height, 0.3)
        y_stride = self.stride(height / (span * 1.04), metrics.height() * 1.6)
        if x_stride != self.x_stride:
            self.x_stride = x_stride
            self.getAxis("bottom").setTicks([
                [(d, h_text(10.0 ** d)) for d in self.X_DECADES if d % x_stride == 0],
                [(d, "") for d in self.X_DECADES if d % x_stride]])
        self.y_stride = y_stride
        self.getAxis("left").setTicks([[(d, fmt.decade(d)) for d in range(low, high + 1) if d % y_stride == 0],
                                       [(d, "") for d in range(low, high + 1) if d % y_stride]])
        self.setYRange(low, low + span, padding=0.02)
        top = low + span * 1.02
        self.region_labels["rounding"].setPos(math.log10(gradcheck.REGIMES["rounding"][0]), top)
        self.region_labels["truncation"].setPos(math.log10(gradcheck.REGIMES["truncation"][1]), top)
        self.waiting.setPos((x_low + x_high) / 2, low + span / 2)

    def set_waiting(self, waiting: bool) -> None:
        """Say in the plot that its curve is being computed (True) or not (False)."""
        self.waiting.setVisible(waiting)

    def x_tick_labels(self) -> list[tuple[float, str]]:
        """The labelled ticks of the h axis: (x in pixels of the widget, text)."""
        box = self.getViewBox()
        ticks = self.getAxis("bottom")._tickLevels[0]
        return [(self.mapFromScene(box.mapViewToScene(pg.Point(value, 0))).x(), text) for value, text in ticks]


class GradientCheckView(QWidget):
    """The gradient check of the network shown, and its error against h (module docstring).

    ``show_network(at)``: cheap in the GUI thread (the numbers come from the view's thread).  ``shutdown()``:
    ends that thread; call it before the view goes."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._delivery = _Delivery()  # no parent: it outlives the widget until the thread has stopped
        self._delivery.table.connect(self._show_table)
        self._delivery.curve.connect(self._show_curve)
        self.worker: CheckWorker | None = None  # started by the first network shown
        self.latest: NetworkAt | None = None
        self._serial = 0
        self._posted = 0  # the serial last posted to the worker
        self.table_shown: TableResult | None = None
        self.curve_shown: CurveResult | None = None
        self._names_hidden: tuple[int, ...] | None = None
        self._names: list[str] = []

        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.status = QLabel()
        self.status.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #b03a2e;")
        self.note.hide()

        # One column per method, in the parameter table's order: its largest and its norm-wise error.
        self.summary_methods = [key for key in METHODS if key != REFERENCE]
        self.summary = QTableWidget(2, len(self.summary_methods))
        self.summary.setHorizontalHeaderLabels(self.summary_methods)
        self.summary.setVerticalHeaderLabels([translate("GradientCheckView", "max rel."),
                                              translate("GradientCheckView", "norm-wise")])
        self.summary.verticalHeaderItem(0).setToolTip(translate(
            "GradientCheckView", "Largest relative error: the worst single parameter. Large when one component "
            "of the gradient is near 0, although the gradient as a whole is right"))
        self.summary.verticalHeaderItem(1).setToolTip(translate(
            "GradientCheckView", "Norm-wise relative error: ‖g − g_backprop‖ / max(‖g‖, ‖g_backprop‖) over all "
            "the parameters, how far the whole gradient is off"))
        for column, key in enumerate(self.summary_methods):
            self.summary.horizontalHeaderItem(column).setToolTip(engine_texts.text(METHODS[key].title))
            for row in (0, 1):
                cell = QTableWidgetItem(fmt.MISSING)
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.summary.setItem(row, column, cell)
        self.summary.setToolTip(translate(
            "GradientCheckView", "Each method's gradient against backprop's (the chain rule's, exact to "
            "rounding), at this network's parameters and the run's h"))
        self.summary.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.summary.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.summary.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.summary.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.summary.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.summary.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.summary.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        metrics = self.summary.fontMetrics()
        header = self.summary.horizontalHeader()
        for column in range(self.summary.columnCount()):  # the widest text each column can hold, or its header
            width = max(metrics.horizontalAdvance("0.0e-00") + 14, header.sectionSizeFromContents(column).width())
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width)
        self.summary.resizeRowsToContents()
        frame = 2 * self.summary.frameWidth()
        self.summary.setFixedSize(self.summary.verticalHeader().sizeHint().width() + header.length() + frame,
                                  header.sizeHint().height() + self.summary.verticalHeader().length() + frame)

        self.model = ParameterModel(self)
        self.sorted_rows = QSortFilterProxyModel(self)
        self.sorted_rows.setSourceModel(self.model)
        self.sorted_rows.setSortRole(Qt.ItemDataRole.UserRole)
        self.table = QTableView()
        self.table.setModel(self.sorted_rows)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the parameters' own order until a click
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        # Widths from the widest text each column can hold: ResizeToContents would read every row (thousands).
        # The sort arrow's room (Fusion draws it right of the text) only for the column sorted by (_fit_sorted).
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        samples = ["W1[64,64]", "-0.0001234", "-0.000e-00"] + ["0.0e-00"] * len(self.model.methods)
        bold = QFontMetrics(self.model.bold)  # each column's largest error is bold
        self.column_widths = [max((bold if column >= 3 else metrics).horizontalAdvance(sample) + 12,
                                  metrics.horizontalAdvance(title) + 14)
                              for column, (sample, title) in enumerate(zip(samples, self.model.headers(),
                                                                            strict=True))]
        for column, width in enumerate(self.column_widths):
            header.resizeSection(column, width)
        header.sortIndicatorChanged.connect(self._fit_sorted)
        self.table.setToolTip(translate("GradientCheckView", "Per parameter: backprop's dL/dp and each method's "
                                        "relative error against it (bold: the largest of its column). Click a "
                                        "column's header to sort by it"))

        self.plot = ErrorCurvePlot()
        self.plot.setMinimumSize(240, 150)
        self.slopes = QLabel()
        self.slopes.setTextFormat(Qt.TextFormat.RichText)
        self.slopes.setWordWrap(True)
        explanation = translate(
            "GradientCheckView",
            "Each difference formula has two errors. Truncation: the formula is only a Taylor approximation, off "
            "by about h (forward) or h² (central), so the error falls as h shrinks: slope 1 or 2 on these axes. "
            "Rounding: L(p+h) − L(p) subtracts two nearly equal losses, each rounded to about 1e-16, and divides by "
            "h, so that error grows as 1/h: slope −1. Central's two errors meet near h ≈ 1e-5; the book's h = 1e-4 "
            "sits just above, where truncation is already tiny and rounding cannot grow.")
        self.explanation = QLabel(translate(
            "GradientCheckView", "Small h: rounding grows as 1/h. Large h: truncation grows as h or h². "
            "(Hover for more.)"))
        self.explanation.setWordWrap(True)
        self.explanation.setStyleSheet("color: palette(placeholder-text);")
        self.explanation.setToolTip(explanation)
        self.explanation.setWhatsThis(explanation)
        self.plot.setWhatsThis(explanation)

        # Tables and plot in a splitter, side by side when the view is wide, else the plot under the tables
        # (``_arrange``): in the window's tab the view is about 570 × 410 pixels.
        self.tables = QWidget()
        self.tables_layout = QBoxLayout(QBoxLayout.Direction.TopToBottom, self.tables)
        self.tables_layout.setContentsMargins(0, 0, 0, 0)
        self.tables_layout.addWidget(self.summary, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.tables_layout.addWidget(self.table, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(2)
        right_layout.addWidget(self.plot, 1)
        right_layout.addWidget(self.slopes)
        right_layout.addWidget(self.explanation)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.tables)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self._arranged: tuple[Qt.Orientation, bool] | None = None  # the splitter's, and the tables side by side

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.splitter, 1)
        self._set_status(translate("GradientCheckView", "No network yet: start or load a run"))
        self.setWhatsThis(translate(
            "GradientCheckView", "The gradient check: every numerical method's gradient of the loss against "
            "backprop's, at the network shown (live while it trains, or the replayed step), for the whole gradient "
            "and parameter by parameter; and, on the right, how the error of forward and central differences "
            "depends on h, from 1e-12 to 0.1. The same numbers as the command line's gradient check prints."))
        self._show_slopes(None)

    # --- what the window calls ------------------------------------------------------------------------------

    @property
    def serial(self) -> int:
        """How many networks the view has been given: the request a result must carry to be the newest's."""
        return self._serial

    def show_network(self, at: NetworkAt) -> None:
        """Check ``at``'s gradients (in the view's thread; the table and curve follow when computed).  Cheap:
        the GUI thread only posts the request, and only while the view is visible."""
        params = np.array(at.params, dtype=float)  # a copy: the caller's array may change after this returns
        self._serial += 1
        self.latest = NetworkAt(at.config, params, at.step, at.loss, live=at.live)
        if self.isVisible():
            self._post()

    def behind(self) -> bool:
        """True while the network last shown has its table or its curve still to come (a script's screenshot
        waits for it)."""
        if self.latest is None or self.worker is None:
            return False
        shown = [result.serial if result is not None else None for result in (self.table_shown, self.curve_shown)]
        return shown != [self._serial, self._serial]

    def shutdown(self) -> None:
        """End the view's thread: work under way is abandoned at its next chunk of h and nothing more is shown.
        Waits for it (at most SHUTDOWN_WAIT_SECONDS; the thread is a daemon, so it never keeps the process)."""
        if self.worker is not None:
            if not self.worker.stop():
                log.debug("the gradient check's process was killed after %.1f s", SHUTDOWN_WAIT_SECONDS)
        self.worker = None

    def _fit_sorted(self, sorted_column: int, _order) -> None:
        """The column sorted by gets room for the sort arrow beside its header; the others their own width."""
        header = self.table.horizontalHeader()
        for column, width in enumerate(self.column_widths):
            if column == sorted_column:
                width = max(width, header.sectionSizeFromContents(column).width())
            header.resizeSection(column, width)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._arrange()

    def _arrange(self) -> None:
        """Tables and plot side by side when the parameter table fits beside a plot of its width; else the plot
        under the tables, which show a few rows (the splitter's handle gives them more), the summary beside the
        parameter table when both fit in the width."""
        header = self.table.horizontalHeader()
        rows = header.height() + 2 * self.table.frameWidth()
        table_width = header.length() + rows - header.height() + self.table.verticalScrollBar().sizeHint().width()
        wide = self.width() >= 2 * table_width and self.width() >= 1.4 * self.height()
        beside = not wide and self.width() >= self.summary.width() + self.tables_layout.spacing() + table_width
        arrangement = (Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical, beside)
        if arrangement == self._arranged:
            return
        self._arranged = arrangement
        self.splitter.setOrientation(arrangement[0])
        self.tables_layout.setDirection(QBoxLayout.Direction.LeftToRight if beside
                                        else QBoxLayout.Direction.TopToBottom)
        row = self.table.verticalHeader().defaultSectionSize()
        if wide:
            self.splitter.setSizes([table_width, max(self.width() - table_width, 1)])
            return
        if beside:
            tables_height = max(self.summary.height(), rows + 6 * row)
        else:
            tables_height = self.summary.height() + self.tables_layout.spacing() + rows + 4 * row
        self.splitter.setSizes([tables_height, max(self.height() - tables_height, 1)])

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.latest is not None and self._posted != self._serial:
            self._post()

    # --- the requests and the results -----------------------------------------------------------------------

    def _post(self) -> None:
        if self.worker is None:
            self.worker = CheckWorker(self._delivery.deliver)
        self._posted = self._serial
        self.worker.post(Request(self._serial, self.latest))
        self.plot.set_waiting(self.curve_shown is None)
        if self.table_shown is None or not self.latest.live:
            self._set_status(translate("GradientCheckView", "Computing…"))

    def _stale(self, serial: int) -> bool:
        """A result for an older network, when the newest is not training: its own result is on its way."""
        return serial != self._serial and self.latest is not None and not self.latest.live

    def _show_table(self, result: TableResult) -> None:
        if self.worker is None or self._stale(result.serial):
            return
        self.table_shown = result
        at = result.at
        self.title.setText(translate(
            "GradientCheckView", "{gate} · hidden units {hidden} · step {step} · loss {loss} · h {h}").format(
            gate=at.config.gate, hidden=",".join(map(str, at.config.hidden)), step=fmt.count(at.step),
            loss=fmt.number(at.loss, ".4g"), h=h_text(at.config.h)))
        hidden = tuple(at.config.hidden)
        if hidden != self._names_hidden:
            self._names_hidden, self._names = hidden, parameter_names(hidden)
        self.model.set_rows(self._names, result.check)
        check = result.check
        for column, key in enumerate(self.summary_methods):
            self.summary.item(0, column).setText(error_text(None if check is None else check["max_rel_error"][key]))
            self.summary.item(1, column).setText(error_text(None if check is None else check["norm_rel_error"][key]))
        self.plot.set_h(at.config.h)
        self._set_note(result.failure, check)
        if at.live:
            self._set_status("")
        elif result.serial != self._serial:
            self._set_status(translate("GradientCheckView", "Computing…"))
        elif self.curve_shown is None or self.curve_shown.serial != self._serial:
            self._set_status(translate("GradientCheckView", "Computing the error against h…"))
        else:
            self._set_status("")

    def _show_curve(self, result: CurveResult) -> None:
        if self.worker is None or self._stale(result.serial):
            return
        self.curve_shown = result
        self.plot.set_waiting(False)
        if result.serial == self._serial:
            self._set_status("")
        self.plot.set_curve(result.curve)
        self._show_slopes(result.slopes)

    def _set_note(self, failure: str | None, check: dict | None) -> None:
        if failure == DIVERGED:
            text = translate("GradientCheckView", "This network has diverged: its parameters or its loss are not "
                             "finite numbers, so there is no gradient to check (shown as —).")
        elif failure is not None:
            text = translate("GradientCheckView", "The gradient check could not be computed: {reason}").format(
                reason=failure)
        elif check is not None and not all(math.isfinite(v) for v in check["norm_rel_error"].values()):
            text = translate("GradientCheckView", "Some numbers overflow at these parameters and are shown as —.")
        else:
            text = ""
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def _set_status(self, text: str) -> None:
        self.status.setText(text)

    def _show_slopes(self, slopes: dict | None) -> None:
        """One line: each curve's fitted slope where truncation wins and where rounding wins; the sentences in
        the tooltip."""
        marks, sentences = [], []
        for key in CURVE_METHODS:
            colour = "#{:02x}{:02x}{:02x}".format(*CURVE_COLOURS[key])
            found = (slopes or {}).get(key, {})
            truncation, rounding = slope_text(found.get("truncation")), slope_text(found.get("rounding"))
            marks.append(translate("GradientCheckView", "{mark} {method} {truncation} / {rounding}").format(
                mark=f'<span style="color:{colour}">━━</span>', method=key, truncation=truncation,
                rounding=rounding))
            sentences.append(translate("GradientCheckView", "{method}: slope {truncation} where truncation wins, "
                                       "{rounding} where rounding wins").format(
                method=key, truncation=truncation, rounding=rounding))
        self.slopes.setText(translate("GradientCheckView", "Slopes, truncation / rounding: {curves}").format(
            curves="&nbsp;&nbsp; ".join(marks)))
        self.slopes.setToolTip("\n".join(sentences))

    # --- for tests and the window ------------------------------------------------------------------------------

    def summary_texts(self) -> dict[str, tuple[str, str]]:
        """``{method: (largest, norm-wise)}`` as shown."""
        return {key: (self.summary.item(0, column).text(), self.summary.item(1, column).text())
                for column, key in enumerate(self.summary_methods)}

    def row_texts(self) -> list[list[str]]:
        """The parameter table's cells as shown, in the parameters' order (whatever the sort)."""
        return [[self.model.text(row, column) for column in range(self.model.columnCount())]
                for row in range(self.model.rowCount())]
