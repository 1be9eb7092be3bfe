"""GatesView: every gate trained together, each in its own small 3D surface.

One MiniSurface per gate in a grid three wide (the six gates: 2×3), each with
the gate's name and truth table as its title, its loss and step as its
subtitle, and a row of the four outputs against their targets.  One line
under the grid compares the time of a step of the whole stack with that of one
network alone: the stacked computation's point is that they are about equal.
"""

from __future__ import annotations

import html
import math

import numpy as np
from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from nn_core.gates import INPUTS, SOLVED_TOLERANCE

from . import formatting as fmt
from .mini_surface import MiniSurface
from .panels import SOLVED_MARK, UNSOLVED_MARK
from .surface_view import BACKGROUND, TARGET_ONE, TARGET_ZERO, TEXT_COLOR

translate = QCoreApplication.translate

COLUMNS = 3
# The marks' colours on the dark background (panels.py's GOOD and BAD are for a light table).
GOOD_ON_DARK = "#5cc878"
BAD_ON_DARK = "#eb6a5a"
QUIET_ON_DARK = "#a0a4ac"
GAP_PX = 2  # between the tiles: the window's own background shows as thin lines


def _dot(rgba) -> str:
    """A marker's colour as a dot in rich text."""
    return '<span style="color:#{:02x}{:02x}{:02x}">●</span>'.format(*(round(255 * c) for c in rgba[:3]))


def _bits(targets) -> str:
    return "".join("1" if t else "0" for t in np.ravel(targets))


class TickRow(QLabel):
    """One run's four truth-table rows: the inputs x1 x2, the output there and ✓ when it is within
    SOLVED_TOLERANCE of its target (✗ otherwise); on one line where the width allows, else on two."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)  # its text never widens the cell
        self.setToolTip(translate(
            "GatesView", "Each truth-table row x1 x2, the network's output there, and ✓ when it is within "
            "{tolerance} of the target").format(tolerance=SOLVED_TOLERANCE))
        self.rows: list[tuple[str, str, bool]] | None = None  # (inputs, output, within tolerance) per row
        self._render()

    def set_rows(self, outputs, targets) -> None:
        """The outputs and targets (4 each, in INPUTS' order); None shows "—"."""
        if outputs is None:
            self.rows = None
        else:
            self.rows = []
            for (x1, x2), output, target in zip(INPUTS, np.ravel(outputs), np.ravel(targets), strict=True):
                ok = bool(math.isfinite(output) and abs(output - target) < SOLVED_TOLERANCE)
                self.rows.append((f"{x1:g}{x2:g}", fmt.number(output, ".2f"), ok))
        self._render()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._render()

    def _render(self) -> None:
        if self.rows is None:
            text = fmt.MISSING
        else:
            one_line = "   ".join(f"{bits} {output} {SOLVED_MARK}" for bits, output, _ok in self.rows)
            parts = [f'<span style="color:{QUIET_ON_DARK}">{bits}</span> {html.escape(output)}&nbsp;'
                     f'<span style="color:{GOOD_ON_DARK if ok else BAD_ON_DARK}">'
                     f"{SOLVED_MARK if ok else UNSOLVED_MARK}</span>" for bits, output, ok in self.rows]
            gap = "&nbsp;&nbsp; "
            if self.fontMetrics().horizontalAdvance(one_line) <= self.contentsRect().width():
                text = gap.join(parts)
            else:
                text = gap.join(parts[:2]) + "<br>" + gap.join(parts[2:])
        if text != self.text():
            self.setText(text)


def us_text(us: float | None) -> str:
    """µs per step: one decimal below 1,000, whole numbers above (5,642,087, not 5,642,087.0)."""
    return fmt.number(us, ",.1f" if us is None or not fmt.is_number(us) or abs(us) < 1000 else ",.0f")


class GatesView(QWidget):
    """A MiniSurface per gate (three to a row) and one readout of the cost of a step.

    ``grid``: the surfaces' grid points per side (a status's ``surface`` must be ``(grid, grid)``).
    ``live``: handed to each MiniSurface (its ``busy()`` is held while one paints), or None.
    """

    def __init__(self, grid: int = 25, live=None, parent=None):
        super().__init__(parent)
        self.grid = grid
        self.live = live
        self.keys: list[str] = []
        self.surfaces: list[MiniSurface] = []  # in the order of keys
        self.ticks: list[TickRow] = []
        self._stack_us: float | None = None
        self._single_us: float | None = None
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(*BACKGROUND).darker(130))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(*TEXT_COLOR))
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self.cells = QGridLayout()
        self.cells.setSpacing(GAP_PX)
        self.readout = QLabel(self)
        self.readout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.readout.setToolTip(translate(
            "GatesView", "The time of one step of all the gates' networks, trained as one stacked computation, "
            "and of one network trained alone with the same settings (compute time only, as train measures it)"))
        self.legend = QLabel(self)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setText(translate("GatesView", "{one} target 1 {zero} target 0").format(
            one=_dot(TARGET_ONE), zero=_dot(TARGET_ZERO)))
        bottom = QHBoxLayout()
        bottom.setContentsMargins(8, 0, 8, 0)
        bottom.addWidget(self.legend)
        bottom.addWidget(self.readout, 1)
        bottom.addSpacing(self.legend.sizeHint().width())  # the readout stays centred under the grid
        layout = QVBoxLayout(self)
        layout.setContentsMargins(GAP_PX, GAP_PX, GAP_PX, 6)
        layout.setSpacing(6)
        layout.addLayout(self.cells, 1)
        layout.addLayout(bottom)
        self._show_readout()

    # --- the gates ------------------------------------------------------------------------

    def set_gates(self, keys: list[str], targets: list) -> None:
        """One surface per key (a gate's name), titled with it and its targets (each 4, in INPUTS' order).
        The surfaces are built anew only when ``keys`` differ from the ones shown; the same keys only set the
        targets.  ValueError if the lists' lengths differ."""
        keys = [str(key) for key in keys]
        targets = [np.ravel(t) for t in targets]
        if len(keys) != len(targets):
            raise ValueError(f"{len(keys)} gates but {len(targets)} truth tables")
        if keys != self.keys:
            self._rebuild(keys)
        for surface, key, target in zip(self.surfaces, keys, targets, strict=True):
            surface.set_title(translate("GatesView", "{gate} ({bits})").format(gate=key, bits=_bits(target)))
            surface.set_targets(target)

    def _rebuild(self, keys: list[str]) -> None:
        for surface in self.surfaces:
            self.cells.removeWidget(surface)
            surface.hide()
            surface.deleteLater()
        self.keys, self.surfaces, self.ticks = list(keys), [], []
        for index, _key in enumerate(keys):
            surface = MiniSurface(self.grid, live=self.live, parent=self)
            ticks = TickRow(surface)
            surface.add_line(ticks)
            surface.set_subtitle(fmt.MISSING)
            self.cells.addWidget(surface, index // COLUMNS, index % COLUMNS)
            self.surfaces.append(surface)
            self.ticks.append(ticks)
        for row in range(self.cells.rowCount()):
            self.cells.setRowStretch(row, 1)
        for column in range(COLUMNS):
            self.cells.setColumnStretch(column, 1)

    # --- what the runs show ---------------------------------------------------------------

    def show(self, statuses=None) -> None:
        """``show(statuses)``: ``show_statuses``.  ``show()``: QWidget.show."""
        if statuses is None:
            super().show()
        else:
            self.show_statuses(statuses)

    def show_statuses(self, statuses) -> None:
        """Everything from a list of ``nn_core.schedule.RunStatus``, one per gate (``key`` the gate): the gates
        (``set_gates``, rebuilt only if the keys changed), each surface (not when ``surface`` is None or not
        finite: the last one stays), subtitle and row of outputs, and the readout's stacked µs per step (the
        largest of the statuses': a stack's runs share one computation and so its time)."""
        statuses = list(statuses)
        self.set_gates([s.key for s in statuses], [s.targets for s in statuses])
        for status, surface, ticks in zip(statuses, self.surfaces, self.ticks, strict=True):
            if status.surface is not None:
                surface.set_surface(status.surface)
            surface.set_subtitle(self._subtitle(status))
            ticks.set_rows(status.outputs, status.targets)
        times = [s.us_per_step for s in statuses if fmt.is_number(s.us_per_step)]
        self._stack_us = max(times) if times else None
        self._show_readout()

    @staticmethod
    def _subtitle(status) -> str:
        if status.diverged_at is not None:
            return translate("GatesView", "diverged at step {step}").format(step=fmt.count(status.diverged_at))
        loss, step = fmt.number(status.loss, ".3g"), fmt.count(status.iteration)
        if status.solved:
            return translate("GatesView", "loss {loss} · step {step} · solved ✓").format(loss=loss, step=step)
        return translate("GatesView", "loss {loss} · step {step}").format(loss=loss, step=step)

    def set_single_network_us(self, us: float | None) -> None:
        """The µs per step of one network trained alone with the same settings (the readout's comparison);
        None or NaN shows "—"."""
        self._single_us = us if fmt.is_number(us) else None
        self._show_readout()

    def _show_readout(self) -> None:
        self.readout.setText(translate(
            "GatesView", "{count} networks: {us_stack} µs per step · one network: {us_one} µs per step").format(
                count=len(self.keys), us_stack=us_text(self._stack_us), us_one=us_text(self._single_us)))

    def screenshot(self) -> QPixmap:
        """The whole view, 3D scenes included (a plain grab() misses what is drawn in the GL windows)."""
        shot = self.grab()
        painter = QPainter(shot)
        for surface in self.surfaces:
            frame = surface.grabFramebuffer()
            if not frame.isNull():
                frame.setDevicePixelRatio(surface.scene.devicePixelRatioF())
                painter.drawImage(surface.scene.mapTo(self, QPoint(0, 0)), frame)
        painter.end()
        return shot

    def clear(self) -> None:
        """Nothing shown of any run: the surfaces hidden, texts "—", the stacked time forgotten.  The gates (and
        their targets) and the one-network time stay."""
        for surface, ticks in zip(self.surfaces, self.ticks, strict=True):
            surface.clear_surface()
            surface.set_subtitle(fmt.MISSING)
            ticks.set_rows(None, None)
        self._stack_us = None
        self._show_readout()
