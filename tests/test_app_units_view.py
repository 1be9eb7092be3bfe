"""The hidden-units view: a map per unit (the output's being Trainer.surface), explain's names under them, a diagram
whose lines follow the weights' signs and sizes with their values on hover; built once per architecture, drawn
when shown, and sensible for a diverged network."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QPointF, QRectF, QTranslator
from PySide6.QtGui import QFontMetricsF, QHelpEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip

from app.inside import NetworkAt
from app.network_diagram import (
    LINE_PX,
    MAX_LINES,
    NEGATIVE,
    NOT_FINITE,
    POSITIVE,
    WEIGHT_FULL,
    FittingLabel,
    NetworkDiagram,
    display_name,
    line_width,
    sign_colour,
)
from app.units_view import LINE_PX as LABEL_LINE_PX
from app.units_view import MAP_GRID, TWO_LINES_PX, UnitsView
from nn_core.config import TrainConfig
from nn_core.explain import explain
from nn_core.network import Network, param_count, param_layout
from nn_core.trainer import Trainer
from nn_core.units import unit_maps


def at_of(config: TrainConfig, params, step: int = 0, loss: float = 0.5) -> NetworkAt:
    return NetworkAt(config=config, params=np.asarray(params, dtype=float), step=step, loss=loss)


def hand_params(hidden, **arrays) -> np.ndarray:
    params = np.zeros(param_count(hidden))
    for name, shape, cut in param_layout(hidden):
        params[cut] = np.asarray(arrays[name], dtype=float).reshape(shape).ravel()
    return params


@pytest.fixture(scope="module")
def xor79() -> Trainer:
    """tests/test_engine_explain.py's network: XOR, hidden 2, seed 79, 5,000 steps reads as OR, NAND, AND."""
    trainer = Trainer(TrainConfig(gate="XOR", hidden=(2,), seed=79, iterations=5000))
    trainer.run()
    return trainer


@pytest.fixture
def view(gui):
    view = UnitsView()
    gui.addWidget(view)
    view.resize(1200, 650)
    with gui.waitExposed(view):
        view.show()
    return view


def drawn(view) -> np.ndarray:
    """The view as painted (RGB), which also runs every item's paint."""
    image = view.grab().toImage()
    return np.array([[image.pixelColor(x, y).getRgb()[:3] for x in range(0, image.width(), 7)]
                     for y in range(0, image.height(), 7)])


def test_one_map_per_unit_and_a_new_architecture_rebuilds(view):
    config = TrainConfig(hidden=(2,))
    view.show_network(at_of(config, Network((2,), seed=1).params))
    assert [len(layer) for layer in view.maps] == [2, 1]
    first = [cell for layer in view.maps for cell in layer]
    assert len(view.diagram.positions) == 5 and len(view.diagram.edges) == 2 * 2 + 2
    view.show_network(at_of(config, Network((2,), seed=2).params, step=5))
    assert [cell for layer in view.maps for cell in layer] == first  # the same items, new data

    deep = TrainConfig(hidden=(4, 4))
    view.show_network(at_of(deep, Network((4, 4), seed=1).params))
    assert [len(layer) for layer in view.maps] == [4, 4, 1]
    assert not set(map(id, first)) & {id(cell) for layer in view.maps for cell in layer}
    assert len(view.diagram.positions) == 2 + 4 + 4 + 1 and len(view.diagram.edges) == 8 + 16 + 4
    assert [t.toPlainText() for t in view.titles] == [
        "hidden layer 1\n(sigmoid, 0 to 1)", "hidden layer 2\n(sigmoid, 0 to 1)", "output\n(sigmoid, 0 to 1)"]
    # the activation alone changes the architecture too (the maps' colour scale)
    view.show_network(at_of(TrainConfig(hidden=(4, 4), activation="tanh"), Network((4, 4), seed=1).params))
    assert view.architecture == ((4, 4), "tanh") and view.maps[0][0].levels == (-1.0, 1.0)
    assert view.maps[2][0].levels == (0.0, 1.0)
    drawn(view)


def test_a_wide_layer_takes_several_columns(view, gui):
    """A layer of 16 units: its maps in columns of at most MAX_ROWS, as many as make the maps largest (at
    1200×650 four of 4: three of 6, 6, 4 would leave them a third smaller), its title over all of them; when the
    height allows, the tallest columns."""
    view.show_network(at_of(TrainConfig(hidden=(16,)), Network((16,), seed=0).params))
    assert [len(layer) for layer in view.maps] == [16, 1]
    xs = [cell.group.pos().x() for cell in view.maps[0]]
    assert [xs.count(x) for x in sorted(set(xs))] == [4, 4, 4, 4]
    assert view.titles[0].pos().x() == pytest.approx((min(xs) + max(xs) + view.maps[0][0].group.scale()) / 2)
    (out,) = view.maps[1]
    assert out.group.pos().x() > max(xs)
    assert all(not t.isVisible() for t in view.diagram.texts[2:18])  # 16 names would overlap: not shown
    drawn(view)
    view.resize(700, 1400)  # tall and narrow: columns of MAX_ROWS
    gui.waitUntil(lambda: len({cell.group.pos().x() for cell in view.maps[0]}) == 3, timeout=30_000)
    xs = [cell.group.pos().x() for cell in view.maps[0]]
    assert [xs.count(x) for x in sorted(set(xs))] == [6, 6, 4]


def test_the_maps_are_the_units_outputs_and_the_output_map_the_trainers_surface(view, xor79):
    config = xor79.config
    view.show_network(at_of(config, xor79.network.params))
    (h1, h2), (out,) = view.maps
    hidden, output = unit_maps(xor79.network, MAP_GRID)
    assert np.array_equal(out.image.image, xor79.surface(MAP_GRID))
    assert np.array_equal(h1.image.image, hidden[..., 0]) and np.array_equal(h2.image.image, hidden[..., 1])
    assert all(cell.levels == (0.0, 1.0) and cell.image.isVisible() for cell in (h1, h2, out))


def test_the_labels_are_explains_names_for_xor_seed_79(view, xor79):
    view.show_network(at_of(xor79.config, xor79.network.params, step=5000, loss=xor79.loss()))
    units = explain(xor79.network)
    (h1, h2), (out,) = view.maps
    assert h1.text.startswith("h1 ≈ x1 OR x2\n") and "margin 0.48" in h1.text
    assert h2.text.startswith("h2 ≈ x1 NAND x2\n") and "margin 0.47" in h2.text
    assert out.text.startswith("output ≈ h1 AND h2\n") and "x1 XOR x2" in out.text
    assert [cell.bits for cell in (h1, h2, out)] == [u.bits for u in units] == ["0111", "1110", "0110"]
    filled = [[brush.style().name != "NoBrush" for brush in cell.corners.data["brush"]] for cell in (h1, h2, out)]
    assert filled == [[False, True, True, True], [True, True, True, False], [False, True, True, False]]
    assert "As a gate of the two units before it: h1 AND h2" in out.tip and "x1 XOR x2" in out.tip
    assert [t.toPlainText() for t in view.diagram.gate_texts] == ["", "", "OR", "NAND", "h1 AND h2"]
    assert view.step_label.text() == "step 5,000, loss 0.001875"


def test_an_unclear_unit_says_so(view):
    # h1 = sigmoid(0.1 x1): 0.5 .. 0.525 on the four rows, margin 0.025
    params = hand_params((2,), W1=[[0.1, 20], [0, 20]], b1=[0, -10], W2=[[1], [1]], b2=[0])
    view.show_network(at_of(TrainConfig(hidden=(2,)), params))
    assert view.maps[0][0].text.startswith("h1: unclear\n") and "margin 0.00" in view.maps[0][0].text
    assert view.maps[0][1].text.startswith("h2 ≈ x1 OR x2")
    assert view.diagram.gate_texts[2].toPlainText() == "?"


def test_the_diagram_draws_each_weight_by_its_sign_and_size_and_each_bias(view):
    hidden = (2,)
    params = hand_params(hidden, W1=[[1, -2], [3, -4]], b1=[0.5, -1], W2=[[5], [-9]], b2=[2])
    view.show_network(at_of(TrainConfig(hidden=hidden), params))
    diagram = view.diagram
    assert diagram.edge_names == ["W1[0,0]", "W1[0,1]", "W1[1,0]", "W1[1,1]", "W2[0,0]", "W2[1,0]"]
    weights = [1, -2, 3, -4, 5, -9]
    assert diagram.weights().tolist() == weights
    widths = diagram.pens["width"].tolist()
    assert widths == pytest.approx([line_width(w) for w in weights])
    assert widths[0] < widths[1] < widths[2] < widths[3] < widths[4] < widths[5] == LINE_PX[1]  # |w| ≥ full width
    assert widths[4] == pytest.approx(LINE_PX[0] + (LINE_PX[1] - LINE_PX[0]) * 5 / WEIGHT_FULL)
    for pen, w in zip(diagram.pens, weights, strict=True):
        blue_over_red = int(pen["blue"]) - int(pen["red"])
        assert (blue_over_red > 0) == (w > 0), (w, pen)  # blue positive, red negative
    # the strongest weight is drawn in the sign's own colour
    assert tuple(int(diagram.pens[5][c]) for c in ("red", "green", "blue")) == NEGATIVE
    # the biases: h1 positive (blue), h2 and the output by sign
    fills = [brush.color().getRgb()[:3] for brush in diagram.brushes]
    assert fills[2][2] > fills[2][0] and fills[3][0] > fills[3][2] and fills[4][2] > fills[4][0]
    assert np.isnan(diagram.biases()[:2]).all() and diagram.biases()[2:].tolist() == [0.5, -1, 2]
    assert POSITIVE != NEGATIVE
    drawn(view)


def test_hovering_a_line_or_a_unit_shows_its_value(view, gui):
    params = hand_params((2,), W1=[[1, -2.314], [3, -4]], b1=[0.5, -0.52], W2=[[5], [-9]], b2=[2])
    view.show_network(at_of(TrainConfig(hidden=(2,)), params))
    diagram = view.diagram
    x1, h2 = diagram.positions[0], diagram.positions[3]  # the line W1[0,1], a quarter of the way along
    point = QPointF(*(x1 + (h2 - x1) / 4))
    viewport = diagram.graphics.viewport()

    def on_screen() -> QPoint:  # the point in the viewport, once the box has applied its range
        return diagram.graphics.mapFromScene(diagram.view_box.mapViewToScene(point))

    gui.waitUntil(lambda: viewport.rect().contains(on_screen()), timeout=30_000)
    assert diagram.hover_text(point) == "W1[0,1] = −2.31 (from x1 to h2)"
    assert diagram.hover_text(QPointF(*h2)) == "b1[1] = −0.52 (the bias of h2)"
    assert diagram.hover_text(QPointF(*diagram.positions[0])).startswith("x1: an input")
    assert diagram.hover_text(QPointF(x1[0], x1[1] + 1.7)) is None  # far from everything
    # through Qt: a tooltip event over the line shows the same text
    pos = on_screen()
    QCoreApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, pos, viewport.mapToGlobal(pos)))
    gui.waitUntil(lambda: QToolTip.text() == "W1[0,1] = −2.31 (from x1 to h2)", timeout=30_000)
    QToolTip.hideText()


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
def test_a_diverged_network_shows_no_number_that_is_not_one(view, activation):
    config = TrainConfig(hidden=(2,), activation=activation)
    nan = np.full(param_count((2,)), np.nan)
    view.show_network(at_of(config, nan, loss=float("nan")))
    cells = [cell for layer in view.maps for cell in layer]
    assert all(not cell.image.isVisible() and cell.levels is None for cell in cells)
    assert [cell.text for cell in cells] == ["h1: no finite value\n", "h2: no finite value\n",
                                          "output: no finite value\n"]
    assert all("nan" not in cell.tip.lower() and "not finite" in cell.tip for cell in cells)
    pens = view.diagram.pens
    assert {tuple(int(p[c]) for c in ("red", "green", "blue")) for p in pens} == {NOT_FINITE}
    assert view.diagram.hover_text(QPointF(*view.diagram.positions[2])) == "b1[0] = — (the bias of h1)"
    assert view.step_label.text() == "step 0, loss —"
    drawn(view)
    # finite but huge: relu units reach inf and the output inf − inf (sigmoid units stop at 1: all finite)
    huge = hand_params((2,), W1=[[1e308, 1e308], [1e308, 1e308]], b1=[0, 0], W2=[[1e308], [-1e308]], b2=[0])
    view.show_network(at_of(config, huge))
    (h1, h2), (out,) = view.maps
    if activation == "relu":
        assert not any(cell.image.isVisible() for cell in (h1, h2, out))
        assert out.text == "output: no finite value\n"
    else:
        assert all(cell.image.isVisible() for cell in (h1, h2, out))  # h1 is 0.5 at 00: unclear
    drawn(view)
    # and back to a sane network: everything drawn again
    view.show_network(at_of(config, Network((2,), seed=3, activation=activation).params))
    assert all(cell.image.isVisible() for layer in view.maps for cell in layer)


def test_relu_units_are_coloured_up_to_their_own_largest_value(view):
    params = hand_params((2,), W1=[[3, -1], [-3, 1]], b1=[0, 0], W2=[[1], [1]], b2=[-0.5])
    view.show_network(at_of(TrainConfig(hidden=(2,), activation="relu"), params))
    (h1, h2), (out,) = view.maps
    assert h1.levels == (0.0, 3.0) and h2.levels == (0.0, 1.0) and out.levels == (0.0, 1.0)
    assert "relu" in view.legend.tip and "relu" in view.legend.toolTip() == view.legend.whatsThis()


def test_a_network_given_while_hidden_is_drawn_when_shown(gui, xor79):
    view = UnitsView()
    gui.addWidget(view)
    view.resize(1200, 650)
    at = at_of(xor79.config, xor79.network.params, step=7)
    view.show_network(at_of(TrainConfig(hidden=(3,)), Network((3,), seed=0).params))
    view.show_network(at)  # only the latest is kept
    assert view.maps == [] and view.shown is None and view.pending is at
    with gui.waitExposed(view):
        view.show()
    assert view.shown is at and view.pending is None and [len(layer) for layer in view.maps] == [2, 1]
    assert view.maps[0][0].text.startswith("h1 ≈ x1 OR x2")
    # narrow: the maps shrink, the labels' two lines become the name and the function
    view.resize(420, 300)
    gui.waitUntil(lambda: view.maps[0][0].compact, timeout=30_000)
    assert [cell.text for layer in view.maps for cell in layer] == ["h1\nx1 OR x2", "h2\nx1 NAND x2",
                                                                    "output\nh1 AND h2"]


def test_parameters_that_do_not_fit_are_refused(view):
    with pytest.raises(ValueError, match="do not fit hidden layers"):
        view.show_network(at_of(TrainConfig(hidden=(4,)), np.zeros(9)))


class Marking(QTranslator):
    """Translates every text of the views' contexts to itself marked, to see that each goes through translate."""

    def translate(self, context, source, disambiguation=None, n=-1):
        return f"«{source}»" if context in ("UnitsView", "NetworkDiagram") else None


def test_every_text_goes_through_translate_in_its_context(gui, xor79):
    marking = Marking()
    QCoreApplication.installTranslator(marking)
    try:
        view = UnitsView()
        gui.addWidget(view)
        view.resize(1200, 650)
        view.show()
        view.show_network(at_of(xor79.config, xor79.network.params))
        texts = [view.legend.text(), view.step_label.text(), view.diagram.key.text(), view.legend.tip,
                 view.diagram.key.tip, *view.legend.texts, *view.diagram.key.texts,
                 *(view._short_title(k, 1, activation) for k in (0, 1) for activation in ("sigmoid", "tanh", "relu")),
                 *(t.toPlainText() for t in view.titles),
                 *(cell.text.split("\n")[0] for layer in view.maps for cell in layer),
                 *(cell.tip for layer in view.maps for cell in layer),
                 view.diagram.hover_text(QPointF(*view.diagram.positions[2]))]
        assert all(text.startswith("«") for text in texts), texts
        # the one-line labels ("h1: OR") and the line under layers shown in part
        view.show_network(at_of(TrainConfig(hidden=(16, 4)), Network((16, 4), seed=1).params))
        drawn(view)
        cells = [cell for layer in view.maps for cell in layer]
        assert view.partial.isVisible()
        texts = [*view.partial.texts, *(cell.short[0] for cell in cells)]
        assert all(text.startswith("«") for text in texts), texts
    finally:
        QCoreApplication.removeTranslator(marking)


def test_hovering_a_map_shows_its_whole_reading(view, gui, xor79):
    view.show_network(at_of(xor79.config, xor79.network.params))
    (h1, _h2), _ = view.maps
    viewport = view.graphics.viewport()

    def centre() -> QPoint:  # the map's middle on the screen, once the box has applied its range
        return view.graphics.mapFromScene(h1.group.mapToScene(QPointF(0.5, 0.5)))

    gui.waitUntil(lambda: viewport.rect().contains(centre()), timeout=30_000)
    pos = centre()
    QCoreApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, pos, viewport.mapToGlobal(pos)))
    gui.waitUntil(lambda: QToolTip.text() == h1.tip, timeout=30_000)
    assert h1.tip.startswith("h1: hidden layer 1, unit 1 (sigmoid)\nAs a function of x1 and x2: x1 OR x2\nMargin 0.48")
    QToolTip.hideText()


IN_WINDOW = (570, 410)  # the lens's room in the default 1300×720 window (the tab over the loss curve)
MAXIMISED = (880, 610)  # ... and in a window of 1600×1000


def text_rect(item, box) -> QRectF:
    """A TextItem's text (its document's margins left out) in ``box``'s view coordinates."""
    margin = item.textItem.document().documentMargin()
    rect = item.textItem.boundingRect().adjusted(margin, margin, -margin, -margin)
    return box.mapSceneToView(item.textItem.mapRectToScene(rect)).boundingRect()


def overlapping(rects: list[QRectF], box) -> list[tuple[int, int]]:
    """The pairs of ``rects`` (view coordinates of ``box``) that overlap by more than half a pixel each way."""
    px, py = box.viewPixelSize()
    overlaps = [rects[i].intersected(rects[j]) for i in range(len(rects)) for j in range(len(rects))]
    return [(i, j) for i in range(len(rects)) for j in range(i + 1, len(rects))
            if overlaps[i * len(rects) + j].width() > px / 2 and overlaps[i * len(rects) + j].height() > py / 2]


def trained(hidden, activation: str) -> Trainer:
    trainer = Trainer(TrainConfig(gate="XOR", hidden=hidden, activation=activation, seed=1, iterations=400))
    trainer.run()
    return trainer


@pytest.mark.parametrize("size", [IN_WINDOW, MAXIMISED])
@pytest.mark.parametrize(("hidden", "activation"), [((2,), "sigmoid"), ((4, 4), "tanh"), ((8,), "relu"),
                                                    ((16,), "sigmoid")])
def test_in_the_windows_room_no_text_is_cut_off_or_overlaps(view, hidden, activation, size):
    """At the lens's size in the default window and a larger one: every shown name, gate, label and title inside
    its view and clear of the others; the discs inside and apart; each key one line that fits."""
    view.resize(*size)
    trainer = trained(hidden, activation)
    view.show_network(at_of(trainer.config, trainer.network.params))
    drawn(view)  # painted: every item's transform applied
    diagram, box = view.diagram, view.diagram.view_box
    inside = box.viewRect()
    shown = [t for t in diagram.texts + diagram.gate_texts if t.isVisible() and t.toPlainText()]
    assert len(shown) >= 4  # the inputs', the output's name and gate, ...
    rects = [text_rect(t, box) for t in shown]
    assert all(inside.contains(r) for r in rects)
    assert overlapping(rects, box) == []
    px, py = box.viewPixelSize()
    assert all(inside.contains(QRectF(x - r * px, y - r * py, 2 * r * px, 2 * r * py))
               for (x, y), r in zip(diagram.positions, diagram.node_px / 2, strict=True))
    in_px = diagram.positions / (px, py)
    apart = [np.hypot(*(in_px[i] - in_px[j])) - (diagram.node_px[i] + diagram.node_px[j]) / 2
             for i in range(len(in_px)) for j in range(i)]
    assert min(apart) >= 0  # no two discs overlap
    # a layer's gates all shown or none (one missing would read as a unit without a gate)
    for f, n in zip(diagram.first, (2, *hidden, 1), strict=True):
        assert len({t.isVisible() for t in diagram.gate_texts[f:f + n]}) == 1

    maps = view.box.viewRect()
    cells = [cell for layer in view.maps for cell in layer]
    squares = [QRectF(c.group.pos().x(), c.group.pos().y(), c.group.scale(), c.group.scale()) for c in cells]
    texts = [t for c in cells for t in (c.label, c.note) if t.isVisible() and t.toPlainText()] + view.titles
    text_rects = [text_rect(t, view.box) for t in texts]
    assert all(maps.contains(r) for r in squares + text_rects)
    assert overlapping(squares + text_rects, view.box) == []
    for key in (view.legend, diagram.key):
        assert "\n" not in key.text() and "<br" not in key.text() and key.fits()
        assert key.height() < 2 * key.fontMetrics().lineSpacing()


def test_in_the_windows_room_the_maps_are_large_and_the_diagram_shows_every_reading(view, xor79):
    view.resize(*IN_WINDOW)
    view.show_network(at_of(xor79.config, xor79.network.params))
    drawn(view)
    (h1, h2), (out,) = view.maps
    assert h1.group.scale() >= 100  # was ~60 with the legends wrapped over three to six lines
    assert h1.text == "h1\nx1 OR x2" and out.text == "output\nh1 AND h2"
    gates = view.diagram.gate_texts
    assert [t.toPlainText() for t in gates if t.isVisible() and t.toPlainText()] == ["OR", "NAND", "h1 AND h2"]
    assert view.diagram.view_box.viewRect().contains(text_rect(gates[4], view.diagram.view_box))


def test_a_crowded_network_gets_one_line_labels_and_short_titles(view):
    """hidden 4,4 in the window's room: two-line labels would leave the maps under TWO_LINES_PX, so each map
    shows its name and gate on one line ("h1.1: x2", the whole reading on hover) and the narrow columns' titles
    their short form."""
    view.resize(*IN_WINDOW)
    trainer = trained((4, 4), "tanh")
    view.show_network(at_of(trainer.config, trainer.network.params))
    drawn(view)
    cells = [cell for layer in view.maps for cell in layer]
    assert all(cell.lines == 1 and not cell.note.isVisible() for cell in cells)
    units = explain(trainer.network)
    # the name and gate where they fit the column, else the gate ("NOT x1 AND x2")
    assert all(cell.text in (f"{u.name}: {u.gate or '?'}\n", f"{u.gate or '?'}\n")
               for cell, u in zip(view.maps[0], units, strict=False))
    assert view.maps[0][0].text == f"h1.1: {units[0].gate}\n"
    side = cells[0].group.scale()  # a line's height larger than two-line labels would leave it
    assert side - LABEL_LINE_PX < TWO_LINES_PX and side > 45
    assert [t.toPlainText() for t in view.titles] == ["layer 1\n−1 to 1", "layer 2\n−1 to 1", "output\n0 to 1"]
    assert view.titles[0].toolTip() == "hidden layer 1\n(tanh, −1 to 1)"
    view.resize(1200, 650)  # room again: two lines and the long titles
    drawn(view)
    assert all(cell.lines == 2 for cell in cells) and view.titles[0].toPlainText() == "hidden layer 1\n(tanh, −1 to 1)"
    gates = view.diagram.gate_texts[2:11]  # the hidden layers' and the output's: room for them all now
    assert all(t.isVisible() for t in gates) and all(t.toPlainText() for t in gates)


def test_a_fitting_label_shows_the_longest_text_that_fits_on_one_line(gui):
    label = FittingLabel()
    gui.addWidget(label)
    with gui.waitExposed(label):
        label.show()
    texts = ["a rather long sentence that explains everything", "shorter", "s"]
    label.set_texts(texts, "the whole explanation")
    assert label.tip == "the whole explanation"
    assert label.toolTip() == label.whatsThis() and "<p>the whole explanation</p>" in label.toolTip()  # wrapped
    label.resize(int(label.text_width(texts[0])) + 4, 30)
    assert label.text() == texts[0] and label.fits()
    label.resize(int(label.text_width(texts[1])) + 4, 30)
    assert label.text() == texts[1] and label.fits()
    label.set_texts(["far too long for the room"], "tip")
    assert label.text().endswith("…") and label.fits()  # the last text elided
    assert label.sizePolicy().horizontalPolicy() == QSizePolicy.Policy.Ignored  # its text never widens the window


def test_a_wide_network_shows_the_first_maps_of_each_layer_and_says_so(view):
    """hidden 64,64,64 in the window's room: 8 maps of each hidden layer (SHOWN_TOTAL shared by 3), the output's,
    a line naming what is left out, maps too small for a label without one; the diagram keeps every unit, draws
    the MAX_LINES strongest lines, and no text overlaps another in either view."""
    view.resize(*IN_WINDOW)
    hidden = (64, 64, 64)
    network = Network(hidden, seed=3)
    view.show_network(at_of(TrainConfig(hidden=hidden), network.params))
    drawn(view)
    assert UnitsView.shown_per_layer(hidden) == 8 and UnitsView.shown_per_layer((16,)) == 16
    assert [len(layer) for layer in view.maps] == [8, 8, 8, 1]
    assert np.array_equal(view.maps[2][7].image.image, unit_maps(network, MAP_GRID)[2][..., 7])  # layer 3's eighth unit
    assert view.partial.isVisible() and view.partial.fits()
    assert view.partial.texts[0] == "showing 8 of 64 units of each hidden layer (the diagram shows all)"
    assert view.partial.text() in view.partial.texts
    cells = [cell for layer in view.maps for cell in layer]
    assert all(cell.lines == 0 and not cell.label.isVisible() for cell in cells[:-1])
    assert all(cell.tip for cell in cells)  # the reading still on hover
    squares = [QRectF(c.group.pos().x(), c.group.pos().y(), c.group.scale(), c.group.scale()) for c in cells]
    texts = [text_rect(t, view.box) for c in cells for t in (c.label, c.note) if t.isVisible() and t.toPlainText()]
    texts += [text_rect(t, view.box) for t in view.titles]
    assert overlapping(squares + texts, view.box) == []
    assert all(view.box.viewRect().contains(r) for r in squares + texts)

    diagram, box = view.diagram, view.diagram.view_box
    assert len(diagram.positions) == 2 + 192 + 1 and len(diagram.edges) == 2 * 64 + 2 * 64 * 64 + 64
    assert len(diagram.drawn) == MAX_LINES and len(diagram.graph.adjacency) == MAX_LINES
    assert "Of its 8384 weights only the 512 largest in size are drawn." in diagram.key.tip
    weights = np.abs(diagram.weights())
    assert weights[diagram.drawn].min() >= np.delete(weights, diagram.drawn).max()  # the strongest
    shown = [t for t in diagram.texts + diagram.gate_texts if t.isVisible() and t.toPlainText()]
    assert {t.toPlainText() for t in shown} >= {"x1", "x2", "output"}  # the inputs named beside a tall layer
    rects = [text_rect(t, box) for t in shown]
    assert overlapping(rects, box) == [] and all(box.viewRect().contains(r) for r in rects)
    assert not any(t.isVisible() for t in diagram.texts[2:194] + diagram.gate_texts[2:194])


def test_the_pens_as_arrays_are_sign_colour_and_line_width(view):
    weights = np.array([0.0, 1.5, -2.0, 7.0, -9.0, np.nan, -0.01])
    pens = view.diagram.pens_for(weights)
    for w, pen in zip(weights, pens, strict=True):
        strength = min(abs(w) / WEIGHT_FULL, 1.0) if np.isfinite(w) else 0.0
        assert tuple(int(pen[c]) for c in ("red", "green", "blue")) == sign_colour(w, strength)
        assert pen["width"] == pytest.approx(line_width(w))


@pytest.mark.parametrize("hidden", [(8,), (4, 4)])
def test_in_the_windows_room_every_map_names_its_gate(view, hidden):
    """hidden 8 and 4,4 at the lens's size in the default window: under each map a visible one-line label with
    the gate explain reads (the name too where it fits, a smaller font where needed), none overlapping."""
    view.resize(*IN_WINDOW)
    trainer = trained(hidden, "sigmoid")
    view.show_network(at_of(trainer.config, trainer.network.params))
    drawn(view)
    units = explain(trainer.network)
    cells = [cell for layer in view.maps for cell in layer]
    assert len(cells) == len(units) and not view.partial.isVisible()
    for cell, unit in zip(cells, units, strict=True):
        gate = NetworkDiagram._short(unit)
        assert cell.label.isVisible() and cell.lines >= 1
        label = cell.label.toPlainText()
        assert label in (f"{display_name(unit.name)}: {gate}", gate, unit.gate or "?") or (
            cell.lines == 2 and gate in cell.text), (label, gate)
        assert cell.tip.startswith(cell.tip.split("\n")[0]) and unit.of_inputs in cell.tip
    squares = [QRectF(c.group.pos().x(), c.group.pos().y(), c.group.scale(), c.group.scale()) for c in cells]
    texts = [text_rect(t, view.box) for c in cells for t in (c.label, c.note) if t.isVisible() and t.toPlainText()]
    assert overlapping(squares + texts, view.box) == []
    assert all(view.box.viewRect().contains(r) for r in texts)


def test_a_one_line_label_too_wide_takes_the_smaller_font(view):
    """A gate such as "x1 AND NOT x2" in a narrow column: the name dropped, then the smaller font."""
    view.show_network(at_of(TrainConfig(hidden=(2,)), Network((2,), seed=1).params))
    cell = view.maps[0][0]
    cell.short = ("h1: x1 AND NOT x2", "x1 AND NOT x2", "x1 AND NOT x2")
    normal, small = (QFontMetricsF(font).horizontalAdvance("x1 AND NOT x2") for font in cell.fonts)
    assert small < normal
    cell.place(0, 0, 40, True, 1, room=normal + 1)
    assert cell.label.toPlainText() == "x1 AND NOT x2" and not cell.small
    cell.place(0, 0, 40, True, 1, room=(small + normal) / 2)
    assert cell.label.toPlainText() == "x1 AND NOT x2" and cell.small
    assert cell.label.textItem.font().pointSizeF() == pytest.approx(cell.fonts[1].pointSizeF())
    cell.place(0, 0, 20, True, 0)
    assert not cell.label.isVisible() and cell.text == "\n"
