"""UnitsView: inside one network, each unit's output as a small map and the network as a diagram.

Left, the diagram (app/network_diagram.py).  Right, a column per layer as in the diagram (a wide layer in
several columns of at most ``MAX_ROWS``): each unit's output over the unit square (x1 across, x2 up, from
``nn_core.units.unit_maps``), coloured with the 3D surface's colour map, with the four truth-table corners
marked (filled where the unit reads 1) and, under it, the gate ``nn_core.explain`` reads it as ("h2 ≈ x1 NAND
x2", "output ≈ h1 AND h2") and that reading's margin.

Colour scales: the output and sigmoid units 0..1 (the surface's); tanh units −1..1 (their range); relu units
0..their own largest value on the square, the range explain reads them on (relu has no top of its own).

``show_network(at)`` takes an ``app.inside.NetworkAt``.  The items are built once per architecture (hidden
layers and activation); a call only hands new images, brushes and texts to them, and one made while the view
is hidden is kept and drawn when the view is shown (only the latest).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QRectF
from PySide6.QtGui import QColor, QImage, QPalette, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from nn_core.explain import UNCLEAR_MARGIN, Unit, explain, unit_names
from nn_core.gates import INPUTS
from nn_core.network import Network, param_count
from nn_core.units import unit_maps

from . import formatting as fmt
from .inside import NetworkAt
from .network_diagram import NetworkDiagram
from .surface_view import BACKGROUND, COLOR_MAP, TEXT_COLOR

translate = QCoreApplication.translate

MAP_GRID = 51  # grid points a side of each map
MAX_ROWS = 6  # maps in one column; a wider layer takes several columns
CORNER_PX = 9
QUIET = "#a0a4ac"
FIXED_LEVELS = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}  # relu: 0..the unit's own largest value
_HALF = 0.5 / (MAP_GRID - 1)  # half a grid step: a grid point is a pixel's centre
_MARGIN = 0.045  # view units around a map: room for the corner dots


def levels_for(activation: str, values: np.ndarray, output: bool) -> tuple[float, float]:
    """The colour scale's (low, high) for one unit's finite map ``values``: the output 0..1; a hidden unit by
    its activation (FIXED_LEVELS; relu 0..its largest value, 0..1 if that is not above 0)."""
    if output:
        return 0.0, 1.0
    if activation in FIXED_LEVELS:
        return FIXED_LEVELS[activation]
    top = float(np.max(values))
    return (0.0, top) if top > 0.0 else (0.0, 1.0)


def _lookup_table() -> np.ndarray:
    return pg.colormap.get(COLOR_MAP).getLookupTable(0.0, 1.0, nPts=256, alpha=False)


class UnitMap:
    """One unit's map, corner dots and label, in a cell of ``layout`` (a pyqtgraph GraphicsLayout)."""

    def __init__(self, layout, row: int, lut: np.ndarray):
        cell = layout.addLayout(row=row, col=0)
        cell.setSpacing(0)
        cell.setContentsMargins(2, 2, 2, 2)
        self.view_box = cell.addViewBox(row=0, col=0, lockAspect=True, enableMouse=False, enableMenu=False,
                                        invertY=False, defaultPadding=0)
        self.image = pg.ImageItem(axisOrder="col-major")  # image[i, j]: x1 = i across, x2 = j up, as the grid
        self.image.setLookupTable(lut)
        self.image.setImage(np.zeros((MAP_GRID, MAP_GRID)), levels=(0.0, 1.0), autoLevels=False)
        self.image.setRect(QRectF(-_HALF, -_HALF, 1 + 2 * _HALF, 1 + 2 * _HALF))
        self.view_box.addItem(self.image)
        self.corners = pg.ScatterPlotItem(pos=INPUTS.astype(float), size=CORNER_PX, pen=pg.mkPen(TEXT_COLOR, width=1.5),
                                          brush=pg.mkBrush(None))
        self.view_box.addItem(self.corners)
        self.view_box.setRange(xRange=(-_MARGIN, 1 + _MARGIN), yRange=(-_MARGIN, 1 + _MARGIN), padding=0)
        self.label = cell.addLabel("", row=1, col=0, color=TEXT_COLOR, size="9pt")
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.text = ""
        self.tip = ""
        self.bits: str | None = None
        self.levels: tuple[float, float] | None = None

    def show(self, values: np.ndarray, levels: tuple[float, float] | None, bits: str | None, text: str,
             tip: str) -> None:
        """``values`` (MAP_GRID, MAP_GRID) drawn on ``levels``, or no image when None (not finite)."""
        if levels is None:
            self.image.setVisible(False)
        else:
            self.image.setImage(values, levels=levels, autoLevels=False)
            self.image.setVisible(True)
        self.levels = levels
        if bits != self.bits:
            self.bits = bits
            fill, empty = pg.mkBrush(TEXT_COLOR), pg.mkBrush(None)
            self.corners.setBrush([fill if bits is not None and b == "1" else empty for b in bits or "0000"])
        if text != self.text:
            self.text = text
            self.label.setText(text)
        if tip != self.tip:
            self.tip = tip
            self.view_box.setToolTip(tip)
            self.label.setToolTip(tip)


class UnitsView(QWidget):
    """The diagram and the units' maps of one network (module docstring); ``show_network(at)`` shows one."""

    def __init__(self, parent=None):
        super().__init__(parent)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(*BACKGROUND).darker(130))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(*TEXT_COLOR))
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self.lut = _lookup_table()
        self.architecture: tuple[tuple[int, ...], str] | None = None
        self.maps: list[list[UnitMap]] = []  # per layer (the output last), per unit
        self.titles: list = []
        self.shown: NetworkAt | None = None  # the network drawn last
        self.pending: NetworkAt | None = None  # given while hidden, drawn when shown

        self.diagram = NetworkDiagram(self)
        self.graphics = pg.GraphicsLayoutWidget(self)
        self.graphics.setBackground(QColor(*BACKGROUND))
        self.grid = self.graphics.ci
        self.bar = QLabel(self)
        self.bar.setPixmap(self._bar_pixmap(120, 12))
        self.legend = QLabel(self)
        self.legend.setWordWrap(True)
        self.step_label = QLabel(self)
        self.step_label.setStyleSheet(f"color: {QUIET}")

        key = QHBoxLayout()
        key.setContentsMargins(6, 0, 6, 0)
        key.addWidget(self.bar)
        key.addWidget(self.legend, 1)
        right = QVBoxLayout()
        right.setSpacing(4)
        right.addWidget(self.graphics, 1)
        right.addLayout(key)
        left = QVBoxLayout()
        left.addWidget(self.diagram, 1)
        left.addWidget(self.step_label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(8)
        layout.addLayout(left, 4)
        layout.addLayout(right, 5)

    def _bar_pixmap(self, width: int, height: int) -> QPixmap:
        """The colour map, dark (low) left to bright (high) right."""
        row = np.ascontiguousarray(np.repeat(self.lut[None, :, :], height, axis=0).astype(np.uint8))
        image = QImage(row.data, row.shape[1], height, 3 * row.shape[1], QImage.Format.Format_RGB888).copy()
        return QPixmap.fromImage(image.scaled(width, height))

    # --- building ------------------------------------------------------------------------

    def _build(self, hidden: tuple[int, ...], activation: str) -> None:
        """A column (or several) per layer, titled, with a UnitMap per unit; the diagram for ``hidden``."""
        self.grid.clear()
        self.maps, self.titles = [], []
        names = unit_names(hidden)
        column = 0
        for k, n in enumerate((*hidden, 1)):
            output = k == len(hidden)
            columns = math.ceil(n / MAX_ROWS)
            rows = math.ceil(n / columns)
            if output:
                title = translate("UnitsView", "output (sigmoid, 0 to 1)")
            else:
                low, high = FIXED_LEVELS.get(activation, (0.0, None))
                scale = (translate("UnitsView", "{low} to {high}").format(low=f"{low:g}".replace("-", "−"),
                                                                           high=f"{high:g}")
                         if high is not None else translate("UnitsView", "0 to each unit's largest value"))
                title = translate("UnitsView", "hidden layer {layer} ({activation}, {scale})").format(
                    layer=k + 1, activation=activation, scale=scale)
            label = self.grid.addLabel(title, row=0, col=column, colspan=columns, color=QUIET, size="9pt")
            self.titles.append(label)
            layer_maps = []
            for c in range(columns):
                stack = self.grid.addLayout(row=1, col=column + c)
                stack.setSpacing(0)
                for r in range(min(rows, n - c * rows)):
                    layer_maps.append(UnitMap(stack, r, self.lut))
            assert len(layer_maps) == n and len(names[k]) == n
            self.maps.append(layer_maps)
            column += columns
        self.diagram.set_architecture(hidden)
        self.legend.setText(self._legend_text(activation))
        self.architecture = (hidden, activation)

    @staticmethod
    def _legend_text(activation: str) -> str:
        scale = {"sigmoid": translate("UnitsView", "the sigmoid units and the output from 0 to 1, as the 3D surface"),
                 "tanh": translate("UnitsView", "the tanh units from −1 to 1, the output from 0 to 1"),
                 "relu": translate("UnitsView", "each relu unit from 0 to its own largest value on the square, the "
                                   "output from 0 to 1")}.get(activation, "")
        return translate("UnitsView", "Each map: a unit's output over the square, x1 across and x2 up, coloured "
                         "dark to bright: {scale}. Dots: the truth-table corners, filled where the unit reads 1."
                         ).format(scale=scale)

    # --- each network --------------------------------------------------------------------

    def show_network(self, at: NetworkAt) -> None:
        """Shows ``at`` (its config's architecture, its params ``(P,)``, its step); rebuilt only when the hidden
        layers or their activation changed.  While hidden, keeps it for when the view is shown.  ValueError if
        ``at.params`` does not fit ``at.config.hidden``."""
        hidden = tuple(int(n) for n in at.config.hidden)
        if np.shape(at.params) != (param_count(hidden),):
            raise ValueError(f"parameters of shape {np.shape(at.params)} do not fit hidden layers {hidden}")
        if not self.isVisible():
            self.pending = at
            return
        self.pending = None
        self._draw(at)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.pending is not None:
            at, self.pending = self.pending, None
            self._draw(at)

    def _draw(self, at: NetworkAt) -> None:
        hidden, activation = tuple(int(n) for n in at.config.hidden), at.config.activation
        if (hidden, activation) != self.architecture:
            self._build(hidden, activation)
        network = Network(hidden, params=at.params, activation=activation)
        maps = unit_maps(network, MAP_GRID)
        with np.errstate(all="ignore"):  # a diverged network: its readings are NaN and say so
            units = explain(network)
        layer_units = [units[sum(hidden[:k]):sum(hidden[:k + 1])] for k in range(len(hidden))] + [units[-1:]]
        for k, (cells, readings) in enumerate(zip(self.maps, layer_units, strict=True)):
            output = k == len(hidden)
            for u, (cell, unit) in enumerate(zip(cells, readings, strict=True)):
                values = maps[k] if output else maps[k][..., u]
                finite = bool(np.isfinite(values).all())
                levels = levels_for(activation, values, output) if finite else None
                cell.show(values, levels, unit.bits if finite else None, self._label(unit, finite),
                          self._tooltip(unit, activation, levels))
        self.diagram.show(at.params, units)
        self.step_label.setText(translate("UnitsView", "step {step}, loss {loss}").format(
            step=f"{at.step:,}", loss=_number(at.loss, ".4g")))
        self.shown = at

    # --- texts ---------------------------------------------------------------------------

    @staticmethod
    def _label(unit: Unit, finite: bool) -> str:
        """Two short lines: what the unit computes, then its margin (the output: also its function of x1, x2)."""
        if not finite or not math.isfinite(unit.margin):
            return translate("UnitsView", "{name}: no finite value").format(name=unit.name)
        margin = translate("UnitsView", "margin {margin}").format(margin=f"{unit.margin:.2f}")
        if not unit.clear:
            first = translate("UnitsView", "{name}: unclear").format(name=unit.name)
        else:
            first = translate("UnitsView", "{name} ≈ {function}").format(name=unit.name, function=unit.function)
            if unit.function != unit.of_inputs:
                margin = translate("UnitsView", "= {function}, {margin}").format(function=unit.of_inputs,
                                                                                  margin=margin)
        return f'{first}<br><span style="color:{QUIET}; font-size:8pt">{margin}</span>'

    @staticmethod
    def _tooltip(unit: Unit, activation: str, levels: tuple[float, float] | None) -> str:
        if unit.is_output:
            lines = [translate("UnitsView", "The output unit (sigmoid)")]
        else:
            lines = [translate("UnitsView", "{name}: hidden layer {layer}, unit {index} ({activation})").format(
                name=unit.name, layer=unit.layer, index=unit.index, activation=activation)]
        lines.append(translate("UnitsView", "As a function of x1 and x2: {function}").format(function=unit.of_inputs))
        if unit.of_units is not None:
            lines.append(translate("UnitsView", "As a gate of the two units before it: {function}").format(
                function=unit.of_units))
        lines.append(translate(
            "UnitsView", "Margin {margin}: how far its least clear truth-table row is from the unit's midpoint, "
            "0 to 0.5; below {unclear} the unit reads as unclear").format(
                margin=_number(unit.margin, ".3f"), unclear=f"{UNCLEAR_MARGIN:g}"))
        lines.append(translate("UnitsView", "Its outputs on the rows 00, 01, 10, 11: {outputs}").format(
            outputs=", ".join(_number(v, ".3f") for v in unit.activations)))
        if levels is None:
            lines.append(translate("UnitsView", "The map is not drawn: the network's values are not finite"))
        else:
            lines.append(translate("UnitsView", "Colours from {low} (dark) to {high} (bright)").format(
                low=_number(levels[0], ".3g"), high=_number(levels[1], ".3g")))
        return "\n".join(lines)


def _number(value: float, spec: str) -> str:
    """As the window shows numbers ("—" if not finite), with a true minus sign."""
    return fmt.number(value, spec).replace("-", "−")
