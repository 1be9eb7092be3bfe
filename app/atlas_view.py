"""AtlasView: seeds 0..K-1 trained at the same settings, every seed a cell, and the success rate against width.

The cells are one pyqtgraph ImageItem (a pixel a seed, scaled), so 10,000 seeds
cost one small image a frame.  Seed s sits at row s // columns, column
s % columns, read left to right and top to bottom.  A cell is green when its
seed is solved, red when it failed, dark purple when it diverged (its update
stopped being finite), grey while the main sweep has not decided it, or, with
"Colour by final loss", on a scale of its final cross-entropy.
Hovering names the seed and its outcome; a click (once the atlas is not
training) asks the window to load that seed into the single run.  The Seeds box
is a NumberBox over the session's ATLAS_SEEDS, as every number box of the window.

Beside the cells the width series: the share of the same K seeds solved with
1 to 8 units in each hidden layer (nn_core.atlas), the current width marked.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPointF, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nn_core.atlas import WIDTHS

from . import formatting as fmt
from .controls import REFUSED_COLOUR, NumberBox
from .session import ATLAS_SEEDS, DEFAULT_ATLAS_SEEDS, State

translate = QCoreApplication.translate

# The Seeds box's range name as its rule and refusals say it (engine_texts.name): in the catalogue's nn_core context.
QT_TRANSLATE_NOOP("nn_core", "seeds")

SOLVED_RGB = (92, 200, 120)
FAILED_RGB = (235, 106, 90)
DIVERGED_RGB = (112, 62, 140)  # dark purple: the update stopped being finite, unlike a failure to learn
UNDECIDED_RGB = (120, 124, 134)  # the main sweep has not ended: not solved so far
EMPTY_RGB = (60, 63, 70)  # not started
BAR_RGB = (90, 170, 255)
CURRENT_BAR_RGB = (255, 200, 80)  # the width of the settings
LOSS_DECADES = (-4.0, 0.0)  # the loss colours span 1e-4 to 1 (ln 2 ≈ 0.69 is a network that learned nothing)
LOSS_MAP = "viridis"
PROGRESS_STEPS = 1000  # the progress bar's resolution


def columns_for(seeds: int) -> int:
    """Cells a row for ``seeds`` cells: about half again as many columns as rows (the view is wider than tall)."""
    return max(1, math.ceil(math.sqrt(seeds * 1.5)))


def width_of(config) -> int | None:
    """The width series' point that is ``config`` itself: its hidden layers' width if they are all equal."""
    return config.hidden[0] if len(set(config.hidden)) == 1 else None


class _Cells(pg.ImageItem):
    """The seeds' cells: a tooltip for the seed under the mouse, a click on one reported to the view."""

    def __init__(self, view: AtlasView):
        super().__init__(axisOrder="row-major")
        self.atlas_view = view
        self.setAcceptHoverEvents(True)

    def hoverEvent(self, event) -> None:  # noqa: N802 (pyqtgraph's name)
        if event.isExit():
            self.setToolTip("")
            return
        seed = self.atlas_view.seed_at(event.pos())
        if seed is not None and self.atlas_view.clickable:
            event.acceptClicks(Qt.MouseButton.LeftButton)
        self.setToolTip("" if seed is None else self.atlas_view.cell_text(seed))

    def mouseClickEvent(self, event) -> None:  # noqa: N802 (pyqtgraph's name)
        seed = self.atlas_view.seed_at(event.pos())
        if event.button() == Qt.MouseButton.LeftButton and seed is not None and self.atlas_view.clickable:
            event.accept()
            self.atlas_view.seed_clicked.emit(seed)


class AtlasView(QWidget):
    """The atlas's controls, cells and width chart (see the module docstring).  It shows an
    ``app.atlas_job.AtlasStatus``; the window connects its signals."""

    seeds_chosen = Signal(int)  # the Seeds box's value
    cancel_requested = Signal()
    seed_clicked = Signal(int)  # a cell clicked: load this seed into the single run

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWhatsThis(translate(
            "AtlasView", "The seed atlas trains seeds 0 to K−1 at the current settings as one stacked computation. "
            "Each cell is one seed: green if it learned the gate, red if it failed, dark purple if it diverged. "
            "The chart gives the share of the same seeds solved with 1 to 8 units in each hidden layer. Click a "
            "cell to load that seed into the single run and watch it learn, or fail, again."))
        self.seeds = DEFAULT_ATLAS_SEEDS
        self.status = None  # the AtlasStatus shown, None before a run
        self.current_width: int | None = None
        self.clickable = False
        self._running = False
        self._state = State.READY
        self._image_key = None  # what the image was last drawn from

        # Read on Enter, Tab or focus out, in any notation (1e3); out of range or not whole: refused, red, noted.
        self.seeds_spin = NumberBox(ATLAS_SEEDS, self.seeds, translate(
            "AtlasView", "Train seeds 0 to K−1 at the current settings, all at once (K from {low} to {high})").format(
            low=int(ATLAS_SEEDS.low), high=f"{int(ATLAS_SEEDS.high):,}"), step="100")
        self.seeds_spin.valueChanged.connect(lambda seeds: self.seeds_chosen.emit(seeds))  # an object signal to an int
        self.seeds_note = QLabel()  # the box's last refusal, as the settings' note under the controls
        self.seeds_note.setWordWrap(True)
        self.seeds_note.setStyleSheet(f"color: {REFUSED_COLOUR};")
        self.seeds_note.hide()
        self.seeds_spin.note_changed.connect(self._show_seeds_note)
        seeds_label = QLabel(translate("AtlasView", "Seeds"))
        seeds_label.setBuddy(self.seeds_spin)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, PROGRESS_STEPS)
        self.progress_bar.setTextVisible(True)
        self.cancel_button = QPushButton(translate("AtlasView", "Cancel"))
        self.cancel_button.setToolTip(translate("AtlasView", "Stop the atlas; what it has found so far stays"))
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.loss_check = QCheckBox(translate("AtlasView", "Colour by final loss"))
        self.loss_check.setToolTip(translate("AtlasView", "Each cell coloured by its seed's final cross-entropy "
                                             "instead of solved or failed"))
        self.loss_check.toggled.connect(lambda _on: self._draw_cells(force=True))
        top = QHBoxLayout()
        top.addWidget(seeds_label)
        top.addWidget(self.seeds_spin)
        top.addWidget(self.progress_bar, 1)
        top.addWidget(self.cancel_button)
        top.addWidget(self.loss_check)

        self.summary = QLabel()
        font = self.summary.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.summary.setFont(font)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)

        self.grid_plot = pg.PlotWidget()
        self.grid_plot.setMinimumHeight(200)
        self.grid_plot.hideAxis("left")
        self.grid_plot.hideAxis("bottom")
        self.grid_plot.setMenuEnabled(False)
        box = self.grid_plot.getViewBox()
        box.setAspectLocked(True)
        box.invertY(True)  # seed 0 at the top left
        box.setMouseEnabled(False, False)
        self.grid_plot.hideButtons()
        self.cells = _Cells(self)
        self.grid_plot.addItem(self.cells)

        self.width_plot = pg.PlotWidget()
        self.width_plot.setMinimumSize(220, 200)
        self.width_plot.setMenuEnabled(False)
        self.width_plot.hideButtons()
        self.width_plot.getViewBox().setMouseEnabled(False, False)
        self.width_plot.setLabel("bottom", translate("AtlasView", "units in each hidden layer"))
        self.width_plot.setLabel("left", translate("AtlasView", "seeds solved (%)"))
        self.width_plot.setXRange(WIDTHS[0] - 0.6, WIDTHS[-1] + 0.6, padding=0)
        self.width_plot.setYRange(0, 116, padding=0)  # room for 100%'s label
        self.width_plot.getAxis("bottom").setTicks([[(w, str(w)) for w in WIDTHS]])
        self.width_plot.setTitle(translate("AtlasView", "Success rate against width, the same seeds"))
        self.bars = pg.BarGraphItem(x=np.array(WIDTHS, dtype=float), height=np.zeros(len(WIDTHS)), width=0.6,
                                    brushes=[pg.mkBrush(*BAR_RGB)] * len(WIDTHS), pens=[pg.mkPen(None)] * len(WIDTHS))
        self.width_plot.addItem(self.bars)
        self.bar_labels = []
        for width in WIDTHS:
            label = pg.TextItem("", anchor=(0.5, 1.0))
            label.setPos(width, 0)
            self.width_plot.addItem(label)
            self.bar_labels.append(label)
        self.rates: dict[int, float] = {}  # width -> fraction solved, as the chart shows it

        cells = QVBoxLayout()
        cells.addWidget(self.grid_plot, 1)
        cells.addWidget(self.legend)
        body = QHBoxLayout()
        body.addLayout(cells, 3)
        body.addWidget(self.width_plot, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.seeds_note)
        layout.addWidget(self.summary)
        layout.addWidget(self.detail)
        layout.addLayout(body, 1)
        self.show_ready(DEFAULT_ATLAS_SEEDS, None)
        self.set_state(State.READY)

    # --- state ------------------------------------------------------------------------------

    def set_seeds(self, seeds: int) -> None:
        """The Seeds box shows ``seeds`` (from the session); before a run the grid has that many cells."""
        if self.seeds_spin.value() != seeds:
            blocked = self.seeds_spin.blockSignals(True)
            self.seeds_spin.setValue(seeds)
            self.seeds_spin.blockSignals(blocked)

    def set_state(self, state: State) -> None:
        """Seeds and the colouring editable unless running; Cancel only while running; clicks once not running."""
        self._state = state
        self._running = state in (State.TRAINING, State.PAUSED)
        self.seeds_spin.setEnabled(not self._running)
        self.cancel_button.setEnabled(self._running)
        self._update_clickable()
        if self.status is not None:  # stopped: the bar says so, with no time left
            self._show_progress(self.status)

    @property
    def stopped(self) -> bool:
        """True once Cancel (or a stop) ended the atlas before it was done: nothing trains any more."""
        return self._state == State.FINISHED and self.status is not None and not self.status.finished

    def _show_seeds_note(self, note: str) -> None:
        self.seeds_note.setText(note)
        self.seeds_note.setVisible(bool(note))

    def _update_clickable(self) -> None:
        self.clickable = not self._running and self.status is not None and self.status.solved is not None

    def show_ready(self, seeds: int, config) -> None:
        """Before a run: ``seeds`` empty cells, nothing found, the width of ``config`` (a TrainConfig or None)
        marked."""
        self.status = None
        self.seeds = seeds
        self.clickable = False
        self.current_width = None if config is None else width_of(config)
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat(translate("AtlasView", "Not started"))
        self.summary.setText(translate("AtlasView", "Seeds 0 to {last}: press Start to train them all at once")
                             .format(last=f"{seeds - 1:,}"))
        self.detail.setText(translate("AtlasView", "Every seed is one cell. Afterwards, hover over a cell to see its "
                                      "seed, and click it to replay that seed in the single run."))
        self.rates = {}
        self._draw_cells(force=True)
        self._draw_bars()

    def show_status(self, status) -> None:
        """Everything from an ``app.atlas_job.AtlasStatus``."""
        self.status = status
        self.seeds = status.seeds
        self.current_width = width_of(status.config)
        self._update_clickable()
        self.loss_check.setEnabled(status.main_done)
        self._show_progress(status)
        self._show_summary(status)
        self.rates = {p.width: p.rate for p in status.series}
        self._draw_cells()
        self._draw_bars(training=status.training_width)

    def _show_progress(self, status) -> None:
        self.progress_bar.setValue(round(status.progress * PROGRESS_STEPS))
        percent = f"{100 * status.progress:.0f}"
        if status.finished:
            text = translate("AtlasView", "Done in {time}").format(time=fmt.seconds(status.wall_seconds))
        elif self.stopped:
            text = translate("AtlasView", "Stopped at {percent}%").format(percent=percent)
        elif status.seconds_left is None:
            text = translate("AtlasView", "{percent}% · estimating the time left…").format(percent=percent)
        else:
            left = status.seconds_left
            time_left = fmt.seconds(left) if left >= 60 else translate("AtlasView", "{seconds} s").format(
                seconds=max(1, round(left)))
            text = translate("AtlasView", "{percent}% · about {time} left").format(percent=percent, time=time_left)
        self.progress_bar.setFormat(text)

    def _show_summary(self, status) -> None:
        solved, seeds = status.solved_count, status.seeds
        share = f"{100 * solved / seeds:.0f}"
        config = status.config
        hidden = ",".join(map(str, config.hidden))
        if status.main_done:
            summary = translate("AtlasView", "{solved} of {seeds} seeds solved ({percent}%)").format(
                solved=f"{solved:,}", seeds=f"{seeds:,}", percent=share)
            if status.diverged_count:
                summary += translate("AtlasView", ", {diverged} diverged").format(
                    diverged=f"{status.diverged_count:,}")
            self.summary.setText(summary)
        else:
            self.summary.setText(translate("AtlasView", "Step {step} of {total}: {solved} of {seeds} seeds solved "
                                           "so far").format(step=f"{status.step:,}", total=f"{config.iterations:,}",
                                                            solved=f"{solved:,}", seeds=f"{seeds:,}"))
        detail = translate("AtlasView", "{gate} with {method}, {hidden} hidden, {optimizer}, learning rate {lr}, "
                           "{steps} steps each.").format(gate=config.gate, method=config.method, hidden=hidden,
                                                         optimizer=config.optimizer, lr=f"{config.lr:g}",
                                                         steps=f"{config.iterations:,}")
        if status.training_width is not None:
            detail += " " + translate("AtlasView", "Now the width series: {width} units a hidden layer…").format(
                width=status.training_width)
        elif status.main_done:
            detail += " " + translate("AtlasView", "Click a cell to replay its seed in the single run.")
        self.detail.setText(detail)

    # --- the cells --------------------------------------------------------------------------

    def seed_at(self, point: QPointF) -> int | None:
        """The seed whose cell holds ``point`` (in the image's coordinates: a cell is 1 × 1), or None."""
        columns = columns_for(self.seeds)
        column, row = math.floor(point.x()), math.floor(point.y())
        if not 0 <= column < columns or row < 0:
            return None
        seed = row * columns + column
        return seed if seed < self.seeds else None

    def cell_center(self, seed: int) -> QPointF:
        """The middle of ``seed``'s cell, in the image's coordinates."""
        columns = columns_for(self.seeds)
        return QPointF(seed % columns + 0.5, seed // columns + 0.5)

    def cell_text(self, seed: int) -> str:
        """What the tooltip says of ``seed``: "seed 17: failed, final loss 0.693", or "seed 2: diverged, its update
        stopped being finite" (nn_core.sweep froze it at its last finite parameters: its loss says nothing)."""
        status = self.status
        if status is None or status.solved is None:
            return translate("AtlasView", "seed {seed}: not trained yet").format(seed=seed)
        solved = bool(status.solved[seed])
        if status.main_done:
            loss = fmt.number(float(status.losses[seed]), ".3g")
            if solved:
                text = translate("AtlasView", "seed {seed}: solved by step {step}, final loss {loss}").format(
                    seed=seed, step=f"{int(status.first_solved[seed]):,}", loss=loss)
            elif status.diverged is not None and status.diverged[seed]:
                text = translate("AtlasView", "seed {seed}: diverged, its update stopped being finite").format(
                    seed=seed)
            else:
                text = translate("AtlasView", "seed {seed}: failed, final loss {loss}").format(seed=seed, loss=loss)
            if self.clickable:
                text += "\n" + translate("AtlasView", "Click to replay this seed in the single run")
            return text
        if solved:
            return translate("AtlasView", "seed {seed}: solved at step {step}").format(seed=seed,
                                                                                     step=f"{status.step:,}")
        return translate("AtlasView", "seed {seed}: not solved yet").format(seed=seed)

    def cell_colours(self) -> np.ndarray:
        """``(K, 3)`` uint8: each seed's colour as drawn."""
        status, seeds = self.status, self.seeds
        colours = np.empty((seeds, 3), dtype=np.uint8)
        if status is None or status.solved is None:
            colours[:] = EMPTY_RGB
        elif self.loss_check.isChecked() and status.main_done:
            with np.errstate(all="ignore"):
                decades = np.log10(np.asarray(status.losses, dtype=float))
            low, high = LOSS_DECADES
            scaled = np.clip(np.nan_to_num((decades - low) / (high - low), nan=1.0), 0.0, 1.0)
            colours[:] = pg.colormap.get(LOSS_MAP).map(scaled, mode="byte")[:, :3]
        else:
            colours[:] = FAILED_RGB if status.main_done else UNDECIDED_RGB
            colours[status.solved] = SOLVED_RGB
            if status.diverged is not None:
                colours[status.diverged] = DIVERGED_RGB
        return colours

    def _draw_cells(self, force: bool = False) -> None:
        status = self.status
        key = (self.seeds, None if status is None or status.solved is None else status.solved.tobytes(),
               status is not None and status.main_done, self.loss_check.isChecked())
        if key == self._image_key and not force:
            return
        self._image_key = key
        columns = columns_for(self.seeds)
        rows = math.ceil(self.seeds / columns)
        image = np.zeros((rows * columns, 4), dtype=np.uint8)  # cells past the last seed stay transparent
        image[:self.seeds, :3] = self.cell_colours()
        image[:self.seeds, 3] = 255
        self.cells.setImage(image.reshape(rows, columns, 4), autoLevels=False)
        self.grid_plot.getViewBox().setRange(xRange=(0, columns), yRange=(0, rows), padding=0.02)
        self._draw_legend()

    def _draw_legend(self) -> None:
        def dot(rgb) -> str:
            return '<span style="color:#{:02x}{:02x}{:02x}">■</span>'.format(*(int(c) for c in rgb))

        status = self.status
        if status is not None and status.main_done and self.loss_check.isChecked():
            ends = pg.colormap.get(LOSS_MAP).map(np.array([0.0, 1.0]), mode="byte")
            text = translate("AtlasView", "final loss: {low} 0.0001 … 1 {high}").format(low=dot(ends[0][:3]),
                                                                                     high=dot(ends[1][:3]))
        elif status is not None and status.main_done and status.diverged_count:
            text = translate("AtlasView", "{solved} solved {failed} failed {diverged} diverged").format(
                solved=dot(SOLVED_RGB), failed=dot(FAILED_RGB), diverged=dot(DIVERGED_RGB))
        elif status is not None and status.main_done:
            text = translate("AtlasView", "{solved} solved {failed} failed").format(solved=dot(SOLVED_RGB),
                                                                                    failed=dot(FAILED_RGB))
        else:
            text = translate("AtlasView", "{solved} solved {open} not solved yet").format(solved=dot(SOLVED_RGB),
                                                                                          open=dot(UNDECIDED_RGB))
        self.legend.setText(text)

    # --- the width series ---------------------------------------------------------------------

    def _draw_bars(self, training: int | None = None) -> None:
        heights = np.array([100 * self.rates.get(w, 0.0) for w in WIDTHS])
        brushes = [pg.mkBrush(*(CURRENT_BAR_RGB if w == self.current_width else BAR_RGB)) for w in WIDTHS]
        pens = [pg.mkPen(*CURRENT_BAR_RGB, width=2) if w == training else pg.mkPen(None) for w in WIDTHS]
        self.bars.setOpts(height=heights, brushes=brushes, pens=pens)
        for width, label, height in zip(WIDTHS, self.bar_labels, heights, strict=True):
            label.setText(f"{height:.0f}%" if width in self.rates else ("…" if width == training else ""))
            label.setPos(width, height + 1)
