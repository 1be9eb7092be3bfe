"""NetworkDiagram: the network drawn as nodes in layers and the connections between them.

The inputs x1 and x2 on the left, each hidden layer a column, the output on the right.  Each connection is a
line whose colour is its weight's sign (blue positive, red negative) and whose width grows with |weight| up to
``WEIGHT_FULL`` (of a wide network only the ``MAX_LINES`` strongest are drawn); each unit's fill is its bias
the same way (the stronger, the more saturated).  Hovering over a drawn line or a unit gives its value under the
book's name (``W1[0,1] = 2.31``, ``b1[1] = −0.52``; indices from 0 as in the book's numpy code).

The items (one ``pg.GraphItem`` and the node names) are built once per architecture; ``set_network`` only hands new
pens and brushes to them (and the gates of layers narrow enough to name).  The view range is fitted to the widget
in pixels: a layer's discs shrink (down to ``NODE_PX[0]``) when its units are close, the margins hold the names and
gates, and a layer's names or gates that would overlap (too close in the column, wider than the gap to the next
column) are not shown.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui
from PySide6.QtCore import QCoreApplication, QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QTextDocument
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolTip, QVBoxLayout, QWidget

from nn_core.explain import UNCLEAR, Unit, unit_names
from nn_core.network import layer_sizes, param_layout

from . import formatting as fmt
from .surface_view import BACKGROUND, TEXT_COLOR

translate = QCoreApplication.translate


def display_name(name: str) -> str:
    """A unit's name as shown: the engine's "output" in the interface's language; h1, h2.1 as they are."""
    return translate("NetworkDiagram", "output") if name == "output" else name

POSITIVE = (90, 160, 255)  # a weight or bias above 0
NEGATIVE = (235, 106, 90)  # ... below 0
NOT_FINITE = (140, 140, 140)
INPUT_FILL = (110, 114, 124)
WEIGHT_FULL = 6.0  # |w| at which a line reaches its full width (wider weights are drawn as wide)
BIAS_FULL = 6.0  # |b| at which a unit's fill is fully saturated
BIAS_STEPS = 8
LINE_PX = (0.6, 7.0)  # the thinnest and widest line, pixels
NODE_PX = (10.0, 30.0)  # the smallest and largest disc, pixels
NAMED_NODE_PX = 20  # discs shrink down to this to leave room for their names, not further
NODE_SHARE = 0.75  # a disc at most this share of the distance between two units of a column
TEXT_PAD = 2  # pixels between a disc and its name or gate, and at the view's edges
HOVER_PX = 5  # how near (pixels) the pointer must be to a line for its tooltip
LABELLED_MAX = 8  # layers wider than this get no names by their units (they would overlap)
LAYER_GAP = 1.0  # view units between the columns
UNIT_GAP = 1.0  # ... and between the units of a column
MIN_ROWS = 3  # the view at least this many units tall
SPREAD = 2.5  # a layer's units at most this many times UNIT_GAP apart (more beside a layer much taller)
MAX_LINES = 512  # lines drawn at most: the strongest weights (each line is painted on its own)

_PEN_DTYPE = [("red", np.ubyte), ("green", np.ubyte), ("blue", np.ubyte), ("alpha", np.ubyte), ("width", float)]


def signed(value: float) -> str:
    """A value as the tooltips show it: two decimals, a true minus sign, "—" if not finite."""
    return fmt.number(value, ".2f").replace("-", "−")


def sign_colour(value: float, strength: float) -> tuple[int, int, int]:
    """The sign's colour mixed into the background by ``strength`` in [0, 1]; grey if not finite."""
    if not np.isfinite(value):
        return NOT_FINITE
    base = np.array(POSITIVE if value >= 0 else NEGATIVE, dtype=float)
    back = np.array(BACKGROUND, dtype=float)
    return tuple(int(round(c)) for c in back + (base - back) * (0.25 + 0.75 * strength))


def line_width(w: float) -> float:
    """Pixels: LINE_PX[0] at 0 up to LINE_PX[1] at |w| ≥ WEIGHT_FULL, in proportion between."""
    if not np.isfinite(w):
        return LINE_PX[0]
    return LINE_PX[0] + (LINE_PX[1] - LINE_PX[0]) * min(abs(w) / WEIGHT_FULL, 1.0)


class FittingLabel(QLabel):
    """One line: the first of its texts (longest first; rich text allowed) that fits the label's width, else the
    last one (plain text elided with "…").  Never wider than its room: it does not widen the window."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.texts: list[str] = []
        self.tip = ""
        self.setWordWrap(False)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def set_texts(self, texts: list[str], tip: str) -> None:
        """Shows the first of ``texts`` that fits; ``tip`` (the whole explanation) as the tooltip and What's This
        (as rich text, which Qt wraps)."""
        self.texts, self.tip = list(texts), tip
        rich = tip if QtGui.Qt.mightBeRichText(tip) else QtGui.Qt.convertFromPlainText(
            tip, Qt.WhiteSpaceMode.WhiteSpaceNormal)
        self.setToolTip(rich)
        self.setWhatsThis(rich)
        self._fit()

    def text_width(self, text: str) -> float:
        """``text``'s width in pixels in the label's font, on one line."""
        if not QtGui.Qt.mightBeRichText(text):
            return float(self.fontMetrics().horizontalAdvance(text))
        document = QTextDocument()
        document.setDefaultFont(self.font())
        document.setDocumentMargin(0)
        document.setHtml(text)
        return document.idealWidth()

    def fits(self) -> bool:
        """Whether the text shown fits the label's width."""
        return self.text_width(self.text()) <= self.contentsRect().width()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if not self.texts:
            return
        room = self.contentsRect().width()
        shown = next((t for t in self.texts if self.text_width(t) <= room), None)
        if shown is None:
            last = self.texts[-1]
            shown = last if QtGui.Qt.mightBeRichText(last) else self.fontMetrics().elidedText(
                last, Qt.TextElideMode.ElideRight, max(room, 0))
        if shown != self.text():
            self.setText(shown)


class NetworkDiagram(QWidget):
    """The diagram and a one-line key to its colours.  ``set_architecture(hidden)`` builds it; ``set_network(params,
    units)`` colours it (``params`` flat ``(P,)`` in ``param_layout(hidden)`` order; ``units`` explain's
    reading, for the names under the units, or None)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.hidden: tuple[int, ...] | None = None
        self.params: np.ndarray | None = None
        self.fills: list[tuple[int, int, int]] = []
        self.graphics = pg.GraphicsLayoutWidget(self)
        self.graphics.setBackground(QColor(*BACKGROUND))
        self.view_box = self.graphics.addViewBox(enableMouse=False, enableMenu=False)  # nodes and widths in pixels
        self.graph = pg.GraphItem()
        self.view_box.addItem(self.graph)
        self.graphics.viewport().installEventFilter(self)  # tooltips: which line or unit is under the pointer
        self.view_box.sigResized.connect(self._place)
        self.texts: list[pg.TextItem] = []  # per node: its name above it
        self.gate_texts: list[pg.TextItem] = []  # ... and the gate it computes below it
        self.node_px = np.zeros(0)  # each node's disc, pixels across
        self.key = FittingLabel(self)
        hex_ = "#{:02x}{:02x}{:02x}".format
        swatches = {"positive": f'<span style="color:{hex_(*POSITIVE)}">━━</span>',
                    "negative": f'<span style="color:{hex_(*NEGATIVE)}">━━</span>'}
        self.key_tip = translate(  # the whole key; a wide network's also says which lines are drawn
            "NetworkDiagram", "Lines: weights, {positive} positive {negative} negative, wider when larger (full width "
            "at |w| = {full}). Fill: each unit's bias, the same colours. Hover over a line or a unit for its value."
            ).format(full=f"{WEIGHT_FULL:g}", **swatches)
        self.key.set_texts([text.format(**swatches) for text in (
            translate("NetworkDiagram", "Weights: {positive} positive {negative} negative; fill: bias. Hover for "
                      "values."),
            translate("NetworkDiagram", "{positive} positive {negative} negative. Hover for values."),
            translate("NetworkDiagram", "{positive} positive {negative} negative"),
            translate("NetworkDiagram", "{positive} + {negative} −"))], self.key_tip)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(self.key)

    # --- building ------------------------------------------------------------------------

    def set_architecture(self, hidden) -> None:
        """Nodes for 2 inputs, each hidden layer and the output, every connection; built anew only when
        ``hidden`` differs from the one shown."""
        hidden = tuple(int(n) for n in hidden)
        if hidden == self.hidden:
            return
        self.hidden = hidden
        self.params = None
        sizes = layer_sizes(hidden)
        self.node_names = [["x1", "x2"], *[[display_name(name) for name in layer] for layer in unit_names(hidden)]]
        positions, first = [], []
        for k, n in enumerate(sizes):
            first.append(len(positions))
            # A small layer spread along a tall one: beside 64 units, x1 and x2 a third of the column apart.
            spread = max(SPREAD, (max(sizes) - 1) / (n + 1))
            gap = UNIT_GAP * min(max(max(sizes) / n, 1.0), spread)
            positions += [(k * LAYER_GAP, ((n - 1) / 2 - i) * gap) for i in range(n)]
        self.positions = np.array(positions, dtype=float)
        self.first = first  # the index of each layer's first node
        # Edges in param_layout's order of the weights: W_k[i, j] row-major, from layer k−1's i to layer k's j.
        edges, self.edge_names, self.node_params = [], [], {}
        for name, shape, _cut in param_layout(hidden):
            k = int(name[1:])
            if name.startswith("W"):
                for i in range(shape[0]):
                    for j in range(shape[1]):
                        edges.append((first[k - 1] + i, first[k] + j))
                        self.edge_names.append(f"{name}[{i},{j}]")
            else:
                for j in range(shape[0]):
                    self.node_params[first[k] + j] = f"{name}[{j}]"
        self.edges = np.array(edges, dtype=int)
        tip = self.key_tip
        if len(self.edges) > MAX_LINES:
            tip += " " + translate("NetworkDiagram", "Of its {total} weights only the {shown} largest in size are "
                                   "drawn.").format(total=len(self.edges), shown=MAX_LINES)
        self.key.set_texts(self.key.texts, tip)
        for text in self.texts + self.gate_texts:
            self.view_box.removeItem(text)
        self.texts, self.gate_texts = [], []
        names = [n for layer in self.node_names for n in layer]
        for index in range(len(self.positions)):
            # The name's lower edge and the gate's upper edge at the point ``_place`` puts just past the disc.
            for texts, text, anchor in ((self.texts, names[index], (0.5, 1.0)), (self.gate_texts, "", (0.5, 0.0))):
                item = pg.TextItem(text, color=TEXT_COLOR, anchor=anchor)
                self.view_box.addItem(item)
                texts.append(item)
        self.node_px = np.full(len(self.positions), NODE_PX[1])
        self._colour(None, place=True)
        self._place()

    def _place(self) -> None:
        """Fits the view to the widget in pixels: each layer's discs as large as its units' spacing allows, margins
        for the names and gates (half the widest name of the first and last layers left and right, a line and the
        largest disc's radius above and below), each text just past its disc, and a layer's names or gates shown
        only where none of them overlaps."""
        if self.hidden is None:
            return
        width, height = self.view_box.width(), self.view_box.height()
        if width <= 0 or height <= 0:
            return
        sizes = layer_sizes(self.hidden)
        line = max(t.textItem.boundingRect().height() for t in self.texts)
        # Unit gaps per layer (view units) and the view's half height: at least MIN_ROWS units, so that two units
        # are not drawn a whole view apart.
        gaps = [abs(self.positions[f, 1] - self.positions[f + 1, 1]) if n > 1 else np.inf
                for f, n in zip(self.first, sizes, strict=True)]
        half = max(np.abs(self.positions[:, 1]).max(), (MIN_ROWS - 1) / 2 * UNIT_GAP)
        per_y = max(height - 2 * (NODE_PX[1] / 2 + TEXT_PAD + line + TEXT_PAD), 1.0) / (2 * half)  # pixels a unit
        # A layer's discs at most NODE_SHARE of its units' spacing, and small enough to leave a line for the
        # names when the layer is named and that leaves them NAMED_NODE_PX (else no names: larger discs read better).
        layer_node = [float(np.clip(min(NODE_SHARE * gap * per_y,
                                        gap * per_y - line if n <= LABELLED_MAX and gap * per_y - line >= NAMED_NODE_PX
                                        else np.inf), *NODE_PX)) for gap, n in zip(gaps, sizes, strict=True)]
        nodes = np.repeat(layer_node, sizes)
        text_width = [max((t.textItem.boundingRect().width() for t in (self.texts[i], self.gate_texts[i])
                           if t.toPlainText()), default=0.0) for i in range(len(self.positions))]
        edge = [max([layer_node[k]] + [text_width[i] for i in range(self.first[k], self.first[k] + sizes[k])]) / 2
                + TEXT_PAD for k in (0, -1)]
        per_x = max(width - sum(edge), 1.0) / ((len(sizes) - 1) * LAYER_GAP)
        # The widest text or disc of each layer: a middle layer's gates are shown only if half the widest of them
        # and half its neighbours' widest fit between the two columns.
        widest = [max([layer_node[k]] + text_width[f:f + n]) for k, (f, n) in enumerate(zip(self.first, sizes,
                                                                                             strict=True))]
        for k, (f, n) in enumerate(zip(self.first, sizes, strict=True)):
            node = layer_node[k]
            room_y = gaps[k] * per_y - node  # between two discs of the column
            gate_width = max(t.textItem.boundingRect().width() for t in self.gate_texts[f:f + n])
            room_x = np.inf if k in (0, len(sizes) - 1) else (
                2 * (per_x * LAYER_GAP - TEXT_PAD) - max(widest[k - 1], widest[k + 1]))
            names = bool(n <= LABELLED_MAX and room_y >= line)
            gates = bool(n <= LABELLED_MAX and room_y >= 2 * line and gate_width <= room_x)
            for i in range(f, f + n):
                x, y = self.positions[i]
                self.texts[i].setVisible(names)
                self.texts[i].setPos(x, y + (node / 2 + TEXT_PAD) / per_y)
                self.gate_texts[i].setVisible(gates)
                self.gate_texts[i].setPos(x, y - (node / 2 + TEXT_PAD) / per_y)
        if not np.array_equal(nodes, self.node_px):
            self.node_px = nodes
            self.graph.scatter.setSize(nodes)
        self.view_box.setRange(xRange=(-edge[0] / per_x, (len(sizes) - 1) * LAYER_GAP + edge[1] / per_x),
                               yRange=(-height / 2 / per_y, height / 2 / per_y),
                               padding=0)

    def _layer_of(self, node: int) -> int:
        return int(np.searchsorted(self.first, node, side="right") - 1)

    # --- each network --------------------------------------------------------------------

    def set_network(self, params: np.ndarray, units: list[Unit] | None = None) -> None:
        """Colours the built diagram for ``params`` ``(P,)``.  ValueError if its size is not the
        architecture's."""
        params = np.asarray(params, dtype=float)
        if self.hidden is None or params.shape != (param_layout(self.hidden)[-1][2].stop,):
            raise ValueError(f"parameters of shape {params.shape} do not fit the diagram of hidden {self.hidden}")
        self.params = params
        self._colour(units)

    def weights(self) -> np.ndarray:
        """Each edge's weight, in ``edges`` order (NaN before ``set_network``)."""
        if self.params is None:
            return np.full(len(self.edges), np.nan)
        return np.concatenate([self.params[cut] for name, _s, cut in param_layout(self.hidden) if name[0] == "W"])

    def biases(self) -> np.ndarray:
        """Each node's bias, NaN for the inputs (and before ``set_network``)."""
        out = np.full(len(self.positions), np.nan)
        if self.params is not None:
            for name, _s, cut in param_layout(self.hidden):
                if name[0] == "b":
                    start = self.first[int(name[1:])]
                    out[start:start + cut.stop - cut.start] = self.params[cut]
        return out

    def pens_for(self, weights: np.ndarray) -> np.ndarray:
        """Each edge's pen (``_PEN_DTYPE``) for ``weights`` (E,): ``sign_colour`` and ``line_width``, as arrays."""
        finite = np.isfinite(weights)
        strength = np.where(finite, np.minimum(np.abs(np.where(finite, weights, 0.0)) / WEIGHT_FULL, 1.0), 0.0)
        base = np.where((weights >= 0)[:, None], np.array(POSITIVE, float), np.array(NEGATIVE, float))
        back = np.array(BACKGROUND, dtype=float)
        rgb = np.rint(back + (base - back) * (0.25 + 0.75 * strength)[:, None])
        rgb[~finite] = NOT_FINITE
        pens = np.empty(len(weights), dtype=_PEN_DTYPE)
        pens["red"], pens["green"], pens["blue"] = rgb.T.astype(np.ubyte)
        pens["alpha"] = 230
        pens["width"] = LINE_PX[0] + (LINE_PX[1] - LINE_PX[0]) * strength
        return pens

    def _colour(self, units, place: bool = False) -> None:
        weights, biases = self.weights(), self.biases()
        pens = self.pens_for(weights)
        # At most MAX_LINES lines, the strongest, drawn weakest first so that the strong ones lie on top.
        magnitude = np.where(np.isfinite(weights), np.abs(weights), np.inf)
        drawn = np.argsort(magnitude, kind="stable")[-MAX_LINES:]
        fills = [INPUT_FILL, INPUT_FILL]
        for bias in biases[2:]:
            # In BIAS_STEPS steps: the scatter renders each new colour's disc, a few kept colours are cached.
            strength = round(min(abs(bias) / BIAS_FULL, 1.0) * BIAS_STEPS) / BIAS_STEPS if np.isfinite(bias) else 0.0
            fills.append(sign_colour(bias, strength))
        self.pens = pens
        self.drawn = drawn  # the edges drawn, indices into ``edges``
        changed = place or fills != self.fills
        self.fills = fills
        if changed:
            self.brushes = [pg.mkBrush(*fill) for fill in fills]
        brushes = self.brushes
        if place:  # just built: the nodes and lines placed
            self.graph.setData(pos=self.positions, adj=self.edges[drawn], pen=pens[drawn], size=self.node_px,
                               symbol="o", pxMode=True, symbolBrush=brushes, symbolPen=pg.mkPen(TEXT_COLOR, width=1))
        else:  # only the colours and widths change (and which lines are drawn: setData would also reset the nodes)
            self.graph.adjacency = self.edges[drawn]
            self.graph.setPen(pens[drawn])
            if changed:
                self.graph.scatter.setBrush(brushes)
        gates = ["", ""] + [self._short(u) for u in units] if units else [""] * len(self.positions)
        changed = False
        for f, n in zip(self.first, layer_sizes(self.hidden), strict=True):
            if n > LABELLED_MAX:  # never shown: not set either (a wide layer's texts cost time)
                continue
            for item, gate in zip(self.gate_texts[f:f + n], gates[f:f + n], strict=True):
                if item.toPlainText() != gate:
                    item.setText(gate)
                    changed = True
        if changed and not place:
            self._place()  # the texts' widths set the margins and which are shown

    @staticmethod
    def _short(unit: Unit) -> str:
        """The gate a unit computes, in a word: the truth table's name (OR), the gate of the units before it
        for a later layer (h1 AND h2), "?" if unclear."""
        if not unit.clear:
            return "?"
        if unit.of_units not in (None, UNCLEAR):
            return unit.of_units
        return unit.gate or "?"

    # --- hovering ------------------------------------------------------------------------

    def hover_text(self, point: QPointF) -> str | None:
        """The tooltip at ``point`` (view coordinates): a unit's bias when within its disc, else the nearest
        line's weight within HOVER_PX pixels, else None."""
        if self.hidden is None:
            return None
        px, py = self.view_box.viewPixelSize()
        if not (px > 0 and py > 0):
            return None
        p = np.array([point.x() / px, point.y() / py])
        nodes = self.positions / (px, py)
        distance = np.hypot(*(nodes - p).T)
        node = int(np.argmin(distance))
        names = [n for layer in self.node_names for n in layer]
        if distance[node] <= self.node_px[node] / 2:
            if node < 2:
                return translate("NetworkDiagram", "{name}: an input, 0 or 1 on the truth table").format(
                    name=names[node])
            return translate("NetworkDiagram", "{param} = {value} (the bias of {name})").format(
                param=self.node_params[node], value=signed(self.biases()[node]), name=names[node])
        drawn = self.drawn  # a line not drawn gives no tooltip
        a, b = nodes[self.edges[drawn, 0]], nodes[self.edges[drawn, 1]]
        d = b - a
        t = np.clip(np.einsum("ij,ij->i", p - a, d) / np.maximum(np.einsum("ij,ij->i", d, d), 1e-12), 0.0, 1.0)
        gaps = np.hypot(*(a + t[:, None] * d - p).T)
        edge = int(drawn[int(np.argmin(gaps))])
        if gaps.min() > HOVER_PX + self.pens["width"][edge] / 2:
            return None
        source, target = self.edges[edge]
        return translate("NetworkDiagram", "{param} = {value} (from {source} to {target})").format(
            param=self.edge_names[edge], value=signed(self.weights()[edge]), source=names[source],
            target=names[target])

    def eventFilter(self, watched, event) -> bool:
        if watched is self.graphics.viewport() and event.type() == QEvent.Type.ToolTip:
            scene = self.graphics.mapToScene(event.pos())
            text = self.hover_text(self.view_box.mapSceneToView(scene))
            if text:
                QToolTip.showText(event.globalPos(), text, self.graphics.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().eventFilter(watched, event)
