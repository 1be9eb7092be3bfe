"""The 3D view's camera and scene: the unit cube framed for any shape, reset and zoom limits, marker sizes
at a device pixel ratio of 2, markers hidden by the surface in front of them, labels that keep apart."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QImage, QWheelEvent
from PySide6.QtTest import QTest

from app.surface_view import MARKER_PX, SurfaceView
from nn_core.gates import GATES, INPUTS

CUBE = np.array(list(itertools.product((0, 1), repeat=3)), dtype=float)
GRID = 25


@pytest.fixture
def surface(gui):
    """``surface(width, height)``: a shown SurfaceView of that size, XOR's targets set."""
    def make(width=800, height=600):
        view = SurfaceView(GRID)
        gui.addWidget(view)
        view.resize(width, height)
        view.set_targets(GATES["XOR"])
        with gui.waitExposed(view):
            view.show()
        gui.waitUntil(lambda: view.view.width() == width and view.view.height() == height, timeout=30_000)
        return view
    return make


def inside(view, points, margin=0.0) -> bool:
    px = view.view.project(points)
    w, h = view.view.width(), view.view.height()
    return bool(((px >= margin) & (px <= (w - margin, h - margin))).all())


def markers(view) -> np.ndarray:
    return view.targets.pos


@pytest.mark.parametrize("size", [(1600, 400), (400, 1000), (3000, 1800), (800, 600), (640, 540)])
def test_the_cube_and_markers_are_framed_for_any_shape(surface, size):
    view = surface(*size)
    assert inside(view, CUBE, margin=10) and inside(view, markers(view), margin=10)
    legend = QRectF(0, 0, 80, 175)  # the colour legend and its labels, top left
    assert not any(legend.contains(QPointF(*p)) for p in view.view.project(np.r_[CUBE, markers(view)]))
    assert not any(legend.intersects(rect) for _text, rect in view.labels.placed())
    # framed, not lost in the middle: the cube spans most of the view one way or the other
    px = view.view.project(CUBE)
    spread = (px.max(axis=0) - px.min(axis=0)) / size
    assert spread.max() > 0.6, spread


def test_the_framing_follows_a_resize_keeping_the_zoom(surface, gui):
    view = surface(800, 600)
    wheel(view, -240)  # zoom out a little
    ratio = view.view.opts["distance"] / view.view.framing_distance()
    view.resize(1600, 400)
    gui.waitUntil(lambda: view.view.width() == 1600, timeout=30_000)
    gui.waitUntil(lambda: view.view.opts["distance"] / view.view.framing_distance() == pytest.approx(ratio),
                  timeout=30_000)  # the resize event follows the new size
    assert inside(view, CUBE)


def wheel(view, delta: int) -> None:
    window = view.view
    position = QPointF(window.width() / 2, window.height() / 2)
    event = QWheelEvent(position, window.mapToGlobal(position), QPoint(), QPoint(0, delta),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    window.wheelEvent(event)


def camera(view) -> tuple:
    o = view.view.opts
    return (o["distance"], o["elevation"], o["azimuth"], o["fov"], *tuple(o["center"]))


def test_reset_view_restores_the_camera_after_zoom_and_rotation(surface, gui):
    view = surface()
    start = camera(view)
    wheel(view, 600)
    view.view.orbit(40, -15)
    assert camera(view) != start
    view.reset_view()
    assert camera(view) == pytest.approx(start)
    wheel(view, -600)
    view.view.orbit(-25, 10)
    QTest.mouseDClick(view.view, Qt.MouseButton.LeftButton)  # on the GL window itself
    gui.waitUntil(lambda: camera(view) == pytest.approx(start), timeout=30_000)


def test_zoom_stops_outside_the_cube_and_before_the_scene_is_a_dot(surface):
    view = surface()
    low, high = view.view.zoom_limits()
    for _ in range(60):
        wheel(view, 1200)  # in
    assert view.view.opts["distance"] == pytest.approx(low)
    center = np.array(tuple(view.view.opts["center"]))
    assert low > np.linalg.norm(CUBE - center, axis=1).max()  # the camera is outside every corner's sphere
    for _ in range(60):
        wheel(view, -1200)  # out
    assert view.view.opts["distance"] == pytest.approx(high)
    px = view.view.project(CUBE)
    assert (px.max(axis=0) - px.min(axis=0)).max() > 100  # still a scene, not a dot


SCALED = """
import json, sys
from app.qt import make_application
from app.surface_view import SurfaceView
app = make_application()
view = SurfaceView(9)
view.resize(500, 400)
view.show()
while not view.view.isExposed():
    app.processEvents()
app.processEvents()
print(json.dumps({"ratio": view.view.devicePixelRatio(), "size": float(view.targets.size),
                  "width": float(view.axes[0].width)}))
"""


def scaled_sizes(factor: str) -> dict:
    env = {**os.environ, "QT_SCALE_FACTOR": factor}
    result = subprocess.run([sys.executable, "-c", SCALED], env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_markers_and_lines_double_at_a_device_pixel_ratio_of_two():
    one, two = scaled_sizes("1"), scaled_sizes("2")
    assert (one["ratio"], two["ratio"]) == (1.0, 2.0)
    assert one["size"] == MARKER_PX and two["size"] == 2 * MARKER_PX
    assert two["width"] == 2 * one["width"]


def pixel(view, point) -> np.ndarray:
    image = view.grabFramebuffer().convertToFormat(QImage.Format.Format_RGBA8888)
    x, y = view.view.project(np.array([point], dtype=float))[0]
    ratio = view.view.devicePixelRatio()
    colour = image.pixelColor(int(x * ratio), int(y * ratio))
    return np.array([colour.red(), colour.green(), colour.blue()])


def test_the_surface_hides_a_marker_behind_it_and_not_one_on_it(surface, gui):
    from app.surface_view import TARGET_ZERO

    view = surface()
    zero = np.array(TARGET_ZERO[:3]) * 255
    view.set_targets([0, 0, 0, 0])
    view.set_surface(np.zeros((GRID, GRID)))  # the markers lie on the surface: all visible
    for x1, x2 in INPUTS:
        assert np.abs(pixel(view, (x1, x2, 0.0)) - zero).max() < 40, (x1, x2)
    view.view.opts["elevation"] = 80  # looking down: a roof above them hides all four
    view.set_surface(np.full((GRID, GRID), 0.8))
    for x1, x2 in INPUTS:
        assert np.abs(pixel(view, (x1, x2, 0.0)) - zero).max() > 60, (x1, x2)


GATE_TARGETS = [GATES[name] for name in ("NOR", "XNOR", "XOR", "AND")]
ANGLES = [(32, -122), (32, -100), (32, -150), (15, -122), (55, -122), (25, -80), (40, -160), (60, -60), (10, -135)]


@pytest.mark.parametrize("targets", GATE_TARGETS, ids=["NOR", "XNOR", "XOR", "AND"])
def test_labels_do_not_overlap_at_the_default_view_and_common_rotations(surface, targets):
    view = surface(900, 600)
    view.set_targets(targets)
    for elevation, azimuth in ANGLES:
        view.view.opts.update(elevation=elevation, azimuth=azimuth)
        placed = view.labels.placed()
        for (text_a, a), (text_b, b) in itertools.combinations(placed, 2):
            assert not a.intersects(b), (elevation, azimuth, text_a, text_b, a, b)
        if (elevation, azimuth) == ANGLES[0]:  # the default view, framed: every label is inside it
            for text, rect in placed:
                assert view.view.rect().toRectF().contains(rect), (text, rect)


def test_a_gl_failure_later_shows_a_sentence_in_place_of_the_3d_view(surface, gui):
    view = surface()
    assert not view.gl_failed and view._stack.currentWidget() is view.container
    with gui.waitSignal(view.gl_failed_changed) as failed:
        view.view.fail("the context was lost")
    assert failed.args == ["the context was lost"]
    assert view.gl_failed and view.gl_failure == "the context was lost"
    assert view._stack.currentWidget() is view.message and view.message.isVisible()
    assert view.message.text() == "The 3D view cannot be shown: the context was lost."
    assert view.set_surface(np.full((GRID, GRID), 0.5))  # snapshots still go to the items, nothing is drawn
    assert view.grabFramebuffer().isNull()


def test_without_opengl_the_view_is_a_sentence_from_the_start(gui, monkeypatch):
    import app.surface_view as module
    from app.qt import StartupError

    def no_gl():
        raise StartupError("no OpenGL here")

    monkeypatch.setattr(module, "_gl", no_gl)
    view = SurfaceView(GRID)
    gui.addWidget(view)
    view.set_targets(GATES["AND"])
    assert view.gl_failed and view.message.text() == "The 3D view cannot be shown: no OpenGL here."
    assert view.set_surface(np.zeros((GRID, GRID))) is False and view.items == []
    assert view.grabFramebuffer().isNull()
    view.reset_view()  # nothing to reset, and no error
