"""UnitsView: inside one network, each unit's output as a small map and the network as a diagram.

Left, the diagram (app/network_diagram.py).  Right, a column per layer as in the diagram (a wide layer in
several columns of at most ``MAX_ROWS``, fewer when that makes the maps larger): each unit's output over the
unit square (x1 across, x2 up, from ``nn_core.units.unit_maps``), coloured with the 3D surface's colour map,
with the four truth-table corners marked (filled where the unit reads 1) and, under it, the gate
``nn_core.explain`` reads it as ("h2 ≈ x1 NAND x2", "output ≈ h1 AND h2") and that reading's margin; where the
maps are small, one line ("h2: NAND", or the gate alone "NAND") or, smaller still, nothing (the tooltip has it
all).  Of a wide layer only the first ``shown_per_layer`` units get maps, a line under them says so (the diagram
shows every unit).

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
from PySide6.QtCore import QCoreApplication, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPalette, QPixmap, QTextOption
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from nn_core.explain import UNCLEAR_MARGIN, Unit, explain
from nn_core.gates import INPUTS
from nn_core.network import Network, param_count
from nn_core.units import unit_maps

from . import formatting as fmt
from .inside import NetworkAt
from .network_diagram import FittingLabel, NetworkDiagram, display_name
from .surface_view import BACKGROUND, COLOR_MAP, TEXT_COLOR

translate = QCoreApplication.translate

MAP_GRID = 51  # grid points a side of each map
MAX_ROWS = 6  # maps in one column; a wider layer takes several columns
SHOWN_TOTAL = 24  # hidden maps drawn at most: each layer's first SHOWN_TOTAL // layers (16 to 6; the diagram has all)
SHOWN_PER_LAYER = (6, 16)
CORNER_PX = 9
QUIET = "#a0a4ac"
FIXED_LEVELS = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}  # relu: 0..the unit's own largest value
_HALF = 0.5 / (MAP_GRID - 1)  # half a grid step: a grid point is a pixel's centre
# The maps' layout, in pixels: the labels and titles keep their size when the maps grow or shrink.
LINE_PX = 17  # a line of a label
LABEL_GAP_PX = 8  # under each label, before the next map
GAP_PX = 24  # between the columns
BARE_GAP_PX = 12  # ... when the maps have no labels
SMALL_FONT = 0.8  # a one-line label too wide in the label's font tries this share of it
WIDE_LABEL_PX = 150  # a column narrower than this shows the short labels
TWO_LINES_PX = 56  # maps smaller than this with two-line labels get one-line labels (name and gate) and grow
ONE_LINE_PX = 34  # ... and smaller than this with one line get no label (the tooltip has it) and grow
MAP_PX = (20, 300)  # the smallest and largest map
BAR_PX = (64, 12)  # the colour bar


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
    """One unit's map (a unit square, drawn at ``place``'s position and size), its corner dots and under it its
    label: two lines, ``wide`` ones (e.g. "h2 ≈ x1 NAND x2", "margin 0.47") or, in a narrow column, ``narrow``
    ones ("h2", "x1 NAND x2"), or where the height is short only the narrow first line (the whole reading is the
    tooltip)."""

    def __init__(self, view_box, lut: np.ndarray):
        self.group = pg.ItemGroup()  # the map's square: moved and scaled as one by ``place``
        view_box.addItem(self.group)
        self.image = pg.ImageItem(axisOrder="col-major")  # image[i, j]: x1 = i across, x2 = j up, as the grid
        self.image.setLookupTable(lut)
        self.image.setImage(np.zeros((MAP_GRID, MAP_GRID)), levels=(0.0, 1.0), autoLevels=False)
        self.image.setRect(QRectF(-_HALF, -_HALF, 1 + 2 * _HALF, 1 + 2 * _HALF))
        self.image.setParentItem(self.group)
        self.corners = pg.ScatterPlotItem(pos=INPUTS.astype(float), size=CORNER_PX,
                                          pen=pg.mkPen(TEXT_COLOR, width=1.5), brush=pg.mkBrush(None))
        self.corners.setParentItem(self.group)
        self.label = pg.TextItem("", color=TEXT_COLOR, anchor=(0.5, 0.0))
        self.note = pg.TextItem("", color=QUIET, anchor=(0.5, 0.0))
        font = self.note.textItem.font()
        font.setPointSizeF(font.pointSizeF() * 0.85)
        self.note.setFont(font)
        self.fonts = (self.label.textItem.font(), self.label.textItem.font())  # the label's and a smaller one
        self.fonts[1].setPointSizeF(self.fonts[1].pointSizeF() * SMALL_FONT)
        self.small = False  # the label in the smaller font
        for item in (self.label, self.note):
            view_box.addItem(item)
        self.items = (self.group, self.label, self.note)
        self.wide: tuple[str, str] = ("", "")
        self.narrow: tuple[str, str] = ("", "")
        self.short: tuple[str, ...] = ("",)  # one-line labels, longest first: the first that fits ``room``
        self.compact = False
        self.room = math.inf
        self.lines = 2
        self.text = ""  # the two lines shown, joined by a newline
        self.tip = ""
        self.bits: str | None = None
        self.levels: tuple[float, float] | None = None

    def place(self, x: float, y: float, side: float, compact: bool, lines: int = 2, room: float = math.inf) -> None:
        """The map's lower left corner at (x, y), its side ``side`` (view units, which are pixels), and its
        label's lines ``narrow`` when ``compact``; when ``lines`` is 1 the first of ``short`` within ``room``
        pixels (else the last); none when 0."""
        self.group.setPos(x, y)
        self.group.setScale(side)
        corner = min(CORNER_PX, max(4.0, side / 5))  # small maps: the dots leave the colours visible
        if self.corners.opts["size"] != corner:
            self.corners.setSize(corner)
        self.label.setPos(x + side / 2, y - CORNER_PX / 2)
        self.note.setPos(x + side / 2, y - CORNER_PX / 2 - LINE_PX)
        self.compact = compact or lines == 1
        self.lines, self.room = lines, room
        self.label.setVisible(lines >= 1)
        self.note.setVisible(lines == 2)
        self._texts()

    def show(self, values: np.ndarray, levels: tuple[float, float] | None, bits: str | None,
             wide: tuple[str, str], narrow: tuple[str, str], short: tuple[str, ...], tip: str) -> None:
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
        self.wide, self.narrow, self.short = wide, narrow, short
        self._texts()
        if tip != self.tip:
            self.tip = tip
            for item in (self.image, self.label, self.note):
                item.setToolTip(tip)

    def _texts(self) -> None:
        first, second = self.narrow if self.compact else self.wide
        small = False
        if self.lines == 1:  # the first of the short labels within the room, in the label's font or else smaller
            fits = [(text, small) for small, font in enumerate(self.fonts) for text in self.short
                    if QFontMetricsF(font).horizontalAdvance(text) <= self.room]
            first, small = fits[0] if fits else (self.short[-1], True)
            second = ""
        elif self.lines == 0:
            first = second = ""
        if small != self.small:
            self.small = bool(small)
            self.label.setFont(self.fonts[int(small)])
        if f"{first}\n{second}" != self.text:
            self.text = f"{first}\n{second}"
            self.label.setText(first)
            self.note.setText(second)


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
        # One box for all maps, their aspect locked: each label stays just under its map at any size.
        self.box = self.graphics.addViewBox(enableMouse=False, enableMenu=False, lockAspect=True, invertY=False)
        self.box.sigResized.connect(self._place)
        self.columns: list[list[list[UnitMap]]] = []  # per layer its columns of maps, each top to bottom
        self.sizes: tuple[int, ...] = ()  # each layer's units (the output last); ``maps`` has the first of each
        self.partial = FittingLabel(self)  # "showing 16 of 64 units ...", when a layer has more than its maps
        self.partial.setStyleSheet(f"color: {QUIET}")
        self.partial.setVisible(False)
        self.bar = QLabel(self)
        self.bar.setPixmap(self._bar_pixmap(*BAR_PX))
        self.legend = FittingLabel(self)  # one line; the whole explanation in its tooltip
        self.step_label = QLabel(self)
        self.step_label.setStyleSheet(f"color: {QUIET}")

        key = QHBoxLayout()
        key.setContentsMargins(6, 0, 6, 0)
        key.addWidget(self.bar)
        key.addWidget(self.legend, 1)
        self.bar.setToolTip(self.legend.toolTip())
        right = QVBoxLayout()
        right.setSpacing(4)
        right.addWidget(self.graphics, 1)
        right.addWidget(self.partial)
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
        """A column (or several) per layer as in the diagram, each titled, a UnitMap per unit; the diagram for
        ``hidden``.  ``_place`` puts them where the box's size allows."""
        for item in self.titles + [item for layer in self.maps for cell in layer for item in cell.items]:
            self.box.removeItem(item)
        self.maps, self.titles, self.columns = [], [], []
        self.sizes = (*hidden, 1)
        shown = self.shown_per_layer(hidden)
        for k, n in enumerate(self.sizes):
            cells = [UnitMap(self.box, self.lut) for _ in range(min(n, shown))]
            title = pg.TextItem(self._title(k, len(hidden), activation), color=QUIET, anchor=(0.5, 0.0))
            title.textItem.document().setDefaultTextOption(QTextOption(Qt.AlignmentFlag.AlignHCenter))
            title.texts = (title.toPlainText(), self._short_title(k, len(hidden), activation))
            title.setToolTip(title.texts[0])
            self.box.addItem(title)
            self.titles.append(title)
            self.maps.append(cells)
        self.diagram.set_architecture(hidden)
        self._set_partial(hidden, shown)
        self.legend.set_texts(self._legend_lines(), self._legend_text(activation))
        self.bar.setToolTip(self.legend.toolTip())
        self.architecture = (hidden, activation)
        self._place()

    @staticmethod
    def shown_per_layer(hidden: tuple[int, ...]) -> int:
        """How many of each hidden layer's units get maps: SHOWN_TOTAL shared by the layers, within
        SHOWN_PER_LAYER (16 of one layer, 8 each of three)."""
        return int(np.clip(SHOWN_TOTAL // max(len(hidden), 1), *SHOWN_PER_LAYER))

    def _set_partial(self, hidden: tuple[int, ...], shown: int) -> None:
        """The line under the maps naming the layers shown in part; hidden when every unit has its map."""
        cut = [(k + 1, n) for k, n in enumerate(hidden) if n > shown]
        if not cut:
            self.partial.setVisible(False)
            return
        if len({n for _k, n in cut}) == 1 and len(cut) == len(hidden) > 1:
            texts = [translate("UnitsView", "showing {shown} of {total} units of each hidden layer (the diagram "
                               "shows all)").format(shown=shown, total=cut[0][1]),
                     translate("UnitsView", "showing {shown} of {total} units of each hidden layer").format(
                         shown=shown, total=cut[0][1])]
        else:
            texts = ["; ".join(translate("UnitsView", "showing {shown} of {total} units of layer {layer} (the "
                                         "diagram shows all)").format(shown=shown, total=n, layer=k) for k, n in cut),
                     "; ".join(translate("UnitsView", "layer {layer}: {shown} of {total} units").format(
                         shown=shown, total=n, layer=k) for k, n in cut)]
        self.partial.set_texts(texts, texts[0])
        self.partial.setVisible(True)

    @staticmethod
    def _in_columns(cells: list[UnitMap], rows: int) -> list[list[UnitMap]]:
        """A layer's maps in columns of at most ``rows``, as even as can be, top to bottom then left to right."""
        columns = math.ceil(len(cells) / rows)
        per = math.ceil(len(cells) / columns)
        return [cells[c * per:(c + 1) * per] for c in range(columns)]

    def _fit(self, width: float, height: float, rows: int) -> tuple[float, int, float, list]:
        """The maps' side, the label's lines and the titles' height with columns of at most ``rows`` in a box of
        ``width`` × ``height`` pixels (the titles set to the form that fits), and the columns."""
        columns = [self._in_columns(cells, rows) for cells in self.maps]
        tallest = max(len(column) for layer in columns for column in layer)
        count = sum(len(layer) for layer in columns)
        room_x = (width - GAP_PX) / count  # a column's width when the maps are not held back by the height
        for layer, title in zip(columns, self.titles, strict=True):
            self._fit_title(title, len(layer) * min(WIDE_LABEL_PX, room_x) - 4)
        title_px = max(title.textItem.boundingRect().height() for title in self.titles)
        for lines, least in ((2, TWO_LINES_PX), (1, ONE_LINE_PX), (0, 0)):
            label_px = CORNER_PX / 2 + lines * LINE_PX + LABEL_GAP_PX
            side = min(room_x - (GAP_PX if lines else BARE_GAP_PX), (height - title_px) / tallest - label_px)
            if side >= least:
                break
        return side, lines, title_px, columns

    def _place(self) -> None:
        """Each map as large as the box allows (within MAP_PX) with room for the labels and titles (their
        heights as drawn): the column height (up to MAX_ROWS) that gives the largest maps; two-line labels unless
        that leaves the maps under TWO_LINES_PX, then one line; a column's maps centred on the tallest, as the
        diagram's units.  Should even the smallest maps not fit, the box shows all of them smaller rather than cut
        them off."""
        if not self.maps:
            return
        width, height = self.box.width(), self.box.height()
        if width <= 0 or height <= 0:
            return
        widest = max(len(cells) for cells in self.maps)
        # The largest maps; of equal ones the taller columns (fewer of them, as the diagram's one per layer).
        rows = max(range(1, min(widest, MAX_ROWS) + 1),
                   key=lambda r: (round(min(self._fit(width, height, r)[0], MAP_PX[1])), r))
        side, lines, title_px, self.columns = self._fit(width, height, rows)
        tallest = max(len(column) for layer in self.columns for column in layer)
        count = sum(len(layer) for layer in self.columns)
        label_px = CORNER_PX / 2 + lines * LINE_PX + LABEL_GAP_PX
        side = float(np.clip(side, *MAP_PX))
        # Columns further apart than the maps need when the width allows: room for the wide labels.
        gap = GAP_PX if lines else BARE_GAP_PX
        pitch_x, pitch_y = max(side + gap, min(WIDE_LABEL_PX, (width - GAP_PX) / count)), side + label_px
        compact = pitch_x < WIDE_LABEL_PX
        used_x, used_y = count * pitch_x + GAP_PX, tallest * pitch_y + title_px
        left = (width - count * pitch_x + pitch_x - side) / 2
        top = (height + used_y) / 2 - title_px  # the maps' top edge, the block centred
        index = 0
        for columns, title in zip(self.columns, self.titles, strict=True):
            first = index
            for column in columns:
                x = left + index * pitch_x
                y_first = top - side - (tallest - len(column)) / 2 * pitch_y
                for r, cell in enumerate(column):
                    cell.place(x, y_first - r * pitch_y, side, compact, lines, pitch_x - 4)
                index += 1
            self._fit_title(title, (index - first) * pitch_x - 4)  # the lines centred within it
            title.setPos(left + (first + index) / 2 * pitch_x - (pitch_x - side) / 2, top + title_px)
        # The block centred in the box; larger than the box only if even the smallest maps do not fit.
        half_x, half_y = max(width, used_x) / 2, max(height, used_y) / 2
        self.box.setRange(xRange=(width / 2 - half_x, width / 2 + half_x),
                          yRange=(height / 2 - half_y, height / 2 + half_y), padding=0)

    @staticmethod
    def _fit_title(title, width: float) -> None:
        """The title's long form on at most its two lines within ``width`` pixels, else its short form."""
        for text in title.texts:
            if title.toPlainText() != text:
                title.setText(text)
            title.setTextWidth(width)
            document = title.textItem.document()
            two_lines = 2 * document.documentMargin() + 2 * QFontMetricsF(title.textItem.font()).lineSpacing() + 1
            if document.size().width() <= width + 1 and document.size().height() <= two_lines:
                return

    @staticmethod
    def _short_title(k: int, layers: int, activation: str) -> str:
        """A narrow column's title: the layer and its colour scale's ends."""
        scale = {"tanh": translate("UnitsView", "−1 to 1"),
                 "relu": translate("UnitsView", "0 to max")}.get(activation, translate("UnitsView", "0 to 1"))
        if k == layers:
            return translate("UnitsView", "output\n{scale}").format(scale=translate("UnitsView", "0 to 1"))
        return translate("UnitsView", "layer {layer}\n{scale}").format(layer=k + 1, scale=scale)

    @staticmethod
    def _title(k: int, layers: int, activation: str) -> str:
        """A column's title: the layer and its colour scale."""
        if k == layers:
            return translate("UnitsView", "output\n(sigmoid, 0 to 1)")
        title = {"sigmoid": translate("UnitsView", "hidden layer {layer}\n(sigmoid, 0 to 1)"),
                 "tanh": translate("UnitsView", "hidden layer {layer}\n(tanh, −1 to 1)"),
                 "relu": translate("UnitsView", "hidden layer {layer}\n(relu, 0 to its largest)")}.get(activation)
        return (title or translate("UnitsView", "hidden layer {layer}\n({activation})")).format(
            layer=k + 1, activation=activation)

    @staticmethod
    def _legend_lines() -> list[str]:
        """The colour bar's one-line key, longest first (``FittingLabel`` shows the first that fits)."""
        return [translate("UnitsView", "Each map: a unit's output, dark low to bright high; filled dots read 1. "
                          "Hover for more."),
                translate("UnitsView", "A unit's output, dark low to bright high; filled dots read 1"),
                translate("UnitsView", "Dark low, bright high; filled dots read 1"),
                translate("UnitsView", "Low to high; filled dots read 1"),
                translate("UnitsView", "Low to high")]

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
            for u, (cell, unit) in enumerate(zip(cells, readings[:len(cells)], strict=True)):
                values = maps[k] if output else maps[k][..., u]
                finite = bool(np.isfinite(values).all())
                levels = levels_for(activation, values, output) if finite else None
                cell.show(values, levels, unit.bits if finite else None, *self._labels(unit, finite),
                          self._tooltip(unit, activation, levels))
        self.diagram.set_network(at.params, units)
        self.step_label.setText(translate("UnitsView", "step {step}, loss {loss}").format(
            step=f"{at.step:,}", loss=_number(at.loss, ".4g")))
        self.shown = at

    # --- texts ---------------------------------------------------------------------------

    @staticmethod
    def _labels(unit: Unit, finite: bool) -> tuple[tuple[str, str], tuple[str, str], tuple[str, ...]]:
        """A map's two label lines, wide and narrow: what the unit computes and the reading's margin (the
        output's also its function of x1, x2), or the unit's name and the function alone; and its one-line
        labels, longest first: the name and the gate ("h2: NAND"), the gate alone ("NAND", "h1 AND h2"), the
        gate of x1 and x2 ("XOR"), "?" when unclear, "—" when not finite."""
        name = display_name(unit.name)
        if not finite or not math.isfinite(unit.margin):
            return ((translate("UnitsView", "{name}: no finite value").format(name=name), ""),
                    (name, translate("UnitsView", "no finite value")), ("—",))
        gate = NetworkDiagram._short(unit)  # as the diagram writes it: "OR", "h1 AND h2", "?"
        short = (translate("UnitsView", "{name}: {gate}").format(name=name, gate=gate), gate, unit.gate or "?")
        margin = translate("UnitsView", "margin {margin}").format(margin=f"{unit.margin:.2f}")
        if not unit.clear:
            return ((translate("UnitsView", "{name}: unclear").format(name=name), margin),
                    (name, translate("UnitsView", "unclear")), short)
        first = translate("UnitsView", "{name} ≈ {function}").format(name=name, function=unit.function)
        if unit.function != unit.of_inputs:  # a gate of the units before it: also what that is of x1 and x2
            margin = translate("UnitsView", "= {function}, margin {margin}").format(
                function=unit.of_inputs, margin=f"{unit.margin:.2f}")
        return (first, margin), (name, unit.function), short

    @staticmethod
    def _tooltip(unit: Unit, activation: str, levels: tuple[float, float] | None) -> str:
        if unit.is_output:
            lines = [translate("UnitsView", "The output unit (sigmoid)")]
        else:
            lines = [translate("UnitsView", "{name}: hidden layer {layer}, unit {index} ({activation})").format(
                name=display_name(unit.name), layer=unit.layer, index=unit.index, activation=activation)]
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
