"""SurfaceView: the network's output over the unit square, in 3D.

Everything is built once (pyqtgraph's examples' way); a snapshot only calls
``setData`` on the surface item.

The scene is drawn by pyqtgraph's GLViewMixin on a QOpenGLWindow embedded
with ``QWidget.createWindowContainer``, not by a GLViewWidget.  A
QOpenGLWidget makes Qt compose the whole top-level window through OpenGL on
every frame (the widgets' backing store and the GL widget's texture, drawn
over the full window): without a GPU (Mesa llvmpipe) that cost ~25 ms of CPU a
frame at 1300x720, the same for an empty scene, against ~1.5 ms when the GL
window draws straight into its own surface.

PyOpenGL (and pyqtgraph.opengl) is imported only when the first SurfaceView is
built, after the QApplication exists: gl_platform.py must first set
PyOpenGL to the OpenGL API of Qt's context.  If no context can be had, the
view shows a sentence in place of the 3D scene (``gl_failed``).
"""

from __future__ import annotations

import functools
import logging
import math
from contextlib import contextmanager, nullcontext

import numpy as np
from PySide6.QtCore import QCoreApplication, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QMatrix4x4, QPainter, QSurfaceFormat, QVector3D, QWindow
from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget

from nn_core.gates import INPUTS

from .gl_platform import StartupError, choose_pyopengl_platform

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

COLOR_MAP = "viridis"
TEXT_COLOR = (230, 230, 230)
BACKGROUND = (28, 30, 36)
AXIS_COLOR = (0.85, 0.85, 0.85, 1.0)
TARGET_ONE = (1.0, 0.35, 0.25, 1.0)  # marker colours: target 1 and target 0
TARGET_ZERO = (0.35, 0.75, 1.0, 1.0)
MARKER_PX = 16  # marker diameter and axis line width in logical pixels (× the device pixel ratio on screen)
AXIS_PX = 2
MARKER_DEPTH_LEAD = 0.15  # scene units: how much nearer the camera markers are depth-tested (see _build_scene)

# The camera (pyqtgraph's: orbit about CENTER; FOV is the horizontal field of view in degrees).
CENTER = (0.5, 0.5, 0.45)
ELEVATION, AZIMUTH, FOV = 32.0, -122.0, 60.0
# Pixels kept free at the left, top, right and bottom edges: for the labels outside the framed points, and
# at the left for the colour legend (drawn at LEGEND_POS, LEGEND_SIZE).
LEGEND_POS, LEGEND_SIZE = (12, 28), (14, 130)
ROOM_PX = (96, 34, 34, 34)
ZOOM_OUT_LIMIT = 3.0  # the camera goes at most this many times the framing distance away
AXIS_END = 1.15
# What the camera frames: the unit cube (surface, markers) and the axes' ends.
SCENE_POINTS = np.array([(x, y, z) for x in (0, 1) for y in (0, 1) for z in (0, 1)]
                        + [(AXIS_END, 0, 0), (0, AXIS_END, 0), (1, 0, AXIS_END)], dtype=float)


def view_rotation(center=CENTER, elevation=ELEVATION, azimuth=AZIMUTH) -> np.ndarray:
    """The 4x4 matrix of GLViewMixin.viewMatrix at distance 0: scene -> camera axes (x right, y up, the
    camera looking down -z), about ``center``."""
    m = QMatrix4x4()
    m.rotate(elevation - 90, 1, 0, 0)
    m.rotate(azimuth + 90, 0, 0, -1)
    m.translate(-center[0], -center[1], -center[2])
    return np.array(m.data(), dtype=float).reshape(4, 4).T  # data() is column-major


def _usable(width: float, height: float, room_px) -> tuple[float, float, float, float]:
    """The part of the view points may use, in normalised device coordinates (x right, y up): x_lo, x_hi,
    y_lo, y_hi, from the pixels kept free at the left, top, right and bottom edges (at most 70% of a side)."""
    left, top, right, bottom = room_px
    fx = min(1.0, 0.7 * width / max(left + right, 1e-9))
    fy = min(1.0, 0.7 * height / max(top + bottom, 1e-9))
    return (-1 + 2 * left * fx / width, 1 - 2 * right * fx / width,
            -1 + 2 * bottom * fy / height, 1 - 2 * top * fy / height)


def framing_distance(points, width: float, height: float, center=CENTER, elevation=ELEVATION,
                     azimuth=AZIMUTH, fov=FOV, room_px=ROOM_PX) -> float:
    """The camera distance at which every point (N×3) projects inside a width×height view (pixels), clear of
    ``room_px`` (left, top, right, bottom pixels), for pyqtgraph's projection (horizontal field of view
    ``fov`` degrees).

    In camera axes a point (x, y, z) is at depth d - z and projects to x / ((d - z) tan(fov/2)), which must
    lie within the usable range (the same with y and the vertical tan(fov/2) h/w): d is the largest bound."""
    width, height = max(width, 1.0), max(height, 1.0)
    x, y, z = (view_rotation(center, elevation, azimuth) @ np.c_[points, np.ones(len(points))].T)[:3]
    tan_x = math.tan(math.radians(fov) / 2)
    tan_y = tan_x * height / width
    x_lo, x_hi, y_lo, y_hi = _usable(width, height, room_px)
    bounds = [z]
    for coord, lo, hi, tan in ((x, x_lo, x_hi, tan_x), (y, y_lo, y_hi, tan_y)):
        if hi > 0:
            bounds.append(z + np.maximum(coord, 0) / (hi * tan))
        if lo < 0:
            bounds.append(z + np.maximum(-coord, 0) / (-lo * tan))
    return float(np.max(bounds))


def framed_camera(points, width: float, height: float, elevation=ELEVATION, azimuth=AZIMUTH, fov=FOV,
                  room_px=ROOM_PX) -> tuple[np.ndarray, float]:
    """The orbit centre (3,) and distance that frame the points (N×3) in a width×height view, centred in the
    usable part: the centre starts at CENTER and moves in the view's plane until the points' extents match
    that part's middle."""
    center = np.array(CENTER, dtype=float)
    width, height = max(width, 1.0), max(height, 1.0)
    tan_x = math.tan(math.radians(fov) / 2)
    tan_y = tan_x * height / width
    x_lo, x_hi, y_lo, y_hi = _usable(width, height, room_px)
    for _ in range(8):
        distance = framing_distance(points, width, height, center, elevation, azimuth, fov, room_px)
        rotation = view_rotation(center, elevation, azimuth)
        x, y, z = (rotation @ np.c_[points, np.ones(len(points))].T)[:3]
        u, v = x / ((distance - z) * tan_x), y / ((distance - z) * tan_y)  # normalised view coordinates
        shift_u = (u.max() + u.min()) / 2 - (x_lo + x_hi) / 2
        shift_v = (v.max() + v.min()) / 2 - (y_lo + y_hi) / 2
        # The rotation's rows are the camera's right and up axes in scene coordinates.
        center = center + rotation[0, :3] * shift_u * tan_x * distance + rotation[1, :3] * shift_v * tan_y * distance
    return center, framing_distance(points, width, height, center, elevation, azimuth, fov, room_px)


def placed_rect(anchor: QPointF, away_from: QPointF | None, width: float, height: float, gap: float,
                sideways: bool = False) -> QRectF:
    """Where a width×height text goes next to ``anchor`` (pixels): on the far side from ``away_from`` (only
    left or right of it if ``sideways``), or centred above it when None, ``gap`` pixels from the anchor."""
    if away_from is None:
        dx, dy = 0.0, -1.0
    else:
        dx, dy = anchor.x() - away_from.x(), 0.0 if sideways else anchor.y() - away_from.y()
        norm = math.hypot(dx, dy)
        dx, dy = (dx / norm, dy / norm) if norm > 1e-6 else (0.0, -1.0)
    # From the rectangle's centre to its edge along (dx, dy), so that the gap is between anchor and edge.
    reach = min(width / 2 / abs(dx) if dx else math.inf, height / 2 / abs(dy) if dy else math.inf)
    cx, cy = anchor.x() + dx * (gap + reach), anchor.y() + dy * (gap + reach)
    return QRectF(cx - width / 2, cy - height / 2, width, height)


@functools.cache
def _gl():
    """PyOpenGL, pyqtgraph.opengl and the classes built on them, imported on first use (see the module's
    docstring).  Raises StartupError when Qt has no OpenGL or PyOpenGL cannot follow it."""
    choose_pyopengl_platform()
    import OpenGL.platform
    import pyqtgraph as pg
    import pyqtgraph.opengl as gl
    from OpenGL import GL
    from pyqtgraph.opengl.GLGraphicsItem import GLGraphicsItem, GLOptions
    from pyqtgraph.opengl.GLViewWidget import GLViewMixin
    from PySide6.QtOpenGL import QOpenGLWindow

    class GLView(GLViewMixin, QOpenGLWindow):
        """pyqtgraph's 3D view (camera, mouse, items) on a QOpenGLWindow: it draws into its own surface.

        The camera frames ``scene_points`` for the window's shape (``reset_view``, kept on resize), zoom stays
        within ``zoom_limits()``, a double-click resets it.  ``failed`` is emitted once, with a sentence, if
        the OpenGL context cannot be made or PyOpenGL cannot use it."""

        failed = Signal(str)
        pixel_ratio_changed = Signal(float)
        scene_points = SCENE_POINTS
        room_px = ROOM_PX  # pixels kept free at the left, top, right and bottom edges when framing

        def __init__(self, *args, busy=nullcontext, **kwargs):
            super().__init__(*args, **kwargs)
            self._busy = busy  # the live view's busy(): see SurfaceView
            fmt = QSurfaceFormat.defaultFormat()
            fmt.setDepthBufferSize(24)  # the default asks none: the surface would not hide what is behind it
            # pyqtgraph checks the version the format reports; some platforms (offscreen) report the one asked.
            fmt.setVersion(*max(fmt.version(), (2, 1)))
            self.setFormat(fmt)
            self.failure: str | None = None
            self._zoom = 1.0  # camera distance / framing distance
            self._home = True  # the camera is where reset_view put it: a resize frames the scene anew
            self._ratio = None
            self.reset_view()

        def devicePixelRatioF(self) -> float:  # what GLViewMixin and GLTextItem ask a QWidget for
            return self.devicePixelRatio()

        def rect(self) -> QRect:
            return QRect(0, 0, self.width(), self.height())

        # --- the camera ---------------------------------------------------------------------

        def _size(self) -> tuple[float, float]:
            return (self.width(), self.height()) if self.width() > 0 and self.height() > 0 else (640.0, 480.0)

        def framing_distance(self) -> float:
            """The distance at which the scene fills the view at the current angles and shape."""
            o = self.opts
            center = (o["center"].x(), o["center"].y(), o["center"].z())
            return framing_distance(self.scene_points, *self._size(), center=center, elevation=o["elevation"],
                                    azimuth=o["azimuth"], fov=o["fov"], room_px=self.room_px)

        def zoom_limits(self) -> tuple[float, float]:
            """The nearest and farthest camera distance: outside the scene's bounding sphere (the camera never
            enters the cube) and at most ZOOM_OUT_LIMIT times the framing distance (never a dot)."""
            center = np.array([self.opts["center"].x(), self.opts["center"].y(), self.opts["center"].z()])
            radius = float(np.linalg.norm(self.scene_points - center, axis=1).max())
            return 1.2 * radius, max(ZOOM_OUT_LIMIT * self.framing_distance(), 1.2 * radius)

        def _set_distance(self, distance: float) -> None:
            low, high = self.zoom_limits()
            self.opts["distance"] = float(np.clip(distance, low, high))
            self._zoom = self.opts["distance"] / self.framing_distance()

        def reset_view(self) -> None:
            """The default angles, the scene framed for the window's shape."""
            center, distance = framed_camera(self.scene_points, *self._size(), room_px=self.room_px)
            self.opts.update(center=pg.Vector(*center), elevation=ELEVATION, azimuth=AZIMUTH, fov=FOV)
            self._set_distance(distance)
            self._home = True
            self.update()

        def resizeEvent(self, ev) -> None:
            super().resizeEvent(ev)
            if self._home:
                self.reset_view()
            else:  # the zoom stays what the user chose, relative to a framed scene
                self._set_distance(self._zoom * self.framing_distance())
            self._check_pixel_ratio()

        def _check_pixel_ratio(self) -> None:
            if self.devicePixelRatio() != self._ratio:
                self._ratio = self.devicePixelRatio()
                self.pixel_ratio_changed.emit(self._ratio)

        def wheelEvent(self, ev) -> None:
            fov = self.opts["fov"]
            super().wheelEvent(ev)
            self.opts["fov"] = fov  # Ctrl+wheel would change the field of view: the framing assumes FOV
            self._set_distance(self.opts["distance"])
            self._home = False

        def mouseMoveEvent(self, ev) -> None:
            super().mouseMoveEvent(ev)
            if ev.buttons() != Qt.MouseButton.NoButton:  # a drag orbits or pans
                self._home = False

        def mouseDoubleClickEvent(self, ev) -> None:
            self.reset_view()

        # --- drawing ------------------------------------------------------------------------

        def fail(self, message: str) -> None:
            if self.failure is None:
                self.failure = message
                log.error("3D view: %s", message)
                self.failed.emit(message)

        def initializeGL(self):
            # PyOpenGL finds Qt's context through its own API (GLX or EGL); if that is the other one, every
            # buffer upload fails.  gl_platform.py sees to it; this catches what it could not.
            if not OpenGL.platform.PLATFORM.GetCurrentContext():
                self.fail(translate("SurfaceView", "PyOpenGL cannot see Qt's OpenGL context (GLX and EGL mixed "
                                    "up), so the 3D view cannot be drawn"))
                return
            try:
                super().initializeGL()
            except Exception as error:  # noqa: BLE001 - e.g. OpenGL older than 2.1: the view says so
                self.fail(translate("SurfaceView", "OpenGL could not be set up ({error})").format(error=error))

        def exposeEvent(self, ev) -> None:
            self._check_pixel_ratio()  # a move to a screen of another scale shows as an expose
            super().exposeEvent(ev)
            if self.isExposed() and not self.isValid() and self.failure is None:
                self.fail(translate("SurfaceView", "no OpenGL context could be made for the 3D view"))

        _drawing_now = False  # inside drawn_now(): items' update() calls are not scheduled

        def paintGL(self):
            if self.failure is not None:
                return
            with self._busy():  # many PyOpenGL calls, each giving up the GIL: see app/liveview.py
                try:
                    super().paintGL()
                except Exception as error:  # noqa: BLE001 - no traceback for the user: the view says why
                    self.fail(translate("SurfaceView", "drawing the 3D view failed ({error})").format(
                        error=f"{type(error).__name__}: {error}"))

        def update(self):
            if not self._drawing_now:
                super().update()

        @contextmanager
        def drawn_now(self):
            """Changes made to the items inside are drawn when it ends, in this call, rather than on Qt's
            update timer ~5 ms later: by then the worker is training again, and the paint would cut into its
            chunk (app/liveview.py).  A window not shown yet is drawn when it shows."""
            self._drawing_now = True
            try:
                yield
            finally:
                self._drawing_now = False
            if self.failure is not None:
                return
            if self.isValid() and self.isExposed():
                self._draw()
                self.context().swapBuffers(self)
            else:
                self.update()

        def _draw(self) -> None:
            """Draw the scene into the back buffer now."""
            self.makeCurrent()
            GL.glViewport(0, 0, self.deviceWidth(), self.deviceHeight())
            self.paintGL()

        def render_image(self) -> QImage:
            """Draw the scene now and read it back (the back buffer is not kept after a swap)."""
            if not self.isValid() or self.failure is not None:
                return QImage()
            self._draw()
            image = self.grabFramebuffer()
            self.doneCurrent()
            return image

        def project(self, points) -> np.ndarray:
            """Scene points (N×3) -> window pixels (N×2, logical, y down) with the camera as drawn now."""
            w, h = self.width(), self.height()
            mvp = self.projectionMatrix((0, 0, w, h), (0, 0, w, h)) * self.viewMatrix()
            m = np.array(mvp.data(), dtype=float).reshape(4, 4).T
            clip = m @ np.c_[points, np.ones(len(points))].T
            ndc = clip[:2] / clip[3]
            return np.c_[(ndc[0] + 1) * w / 2, (1 - ndc[1]) * h / 2]

    class Labels(GLGraphicsItem):
        """Text at points of the scene, all drawn in one QPainter pass: a GLTextItem each opens its own
        (~0.25 ms apiece under llvmpipe, 12 labels were ~3 ms of every frame).

        Each label is placed in pixels next to its point, on the far side from a second point (an axis' tick
        outside the square, its name past its end), or centred above it: so they keep apart as the view
        turns."""

        def __init__(self):
            super().__init__()
            self.setGLOptions("additive")  # as GLTextItem
            self.setDepthValue(20)  # after the GL items: they would cover text drawn before them
            self.color = QColor(*TEXT_COLOR)
            self.backdrop = QColor(*BACKGROUND, 150)  # behind each text: readable over the yellow surface too
            self._labels = {}  # key -> (position, text, font, away_from or None, gap, sideways, text size)

        def set_label(self, pos, text: str, font: QFont, key=None, away_from=None, gap: float = 4.0,
                      sideways: bool = False) -> None:
            """A text at scene point ``pos``, placed as ``placed_rect`` says (``away_from`` a scene point)."""
            away = None if away_from is None else QVector3D(*away_from)
            metrics = QFontMetricsF(font)  # measured once, not on every frame
            size = (metrics.horizontalAdvance(text) + 2, metrics.height())
            self._labels[pos if key is None else key] = (QVector3D(*pos), text, font, away, gap, sideways, size)
            self.update()

        def texts(self) -> list[str]:
            return [label[1] for label in self._labels.values()]

        def placed(self, project: QMatrix4x4 | None = None) -> list[tuple[str, QRectF]]:
            """Each label's text and its rectangle in the view's pixels (for the camera as it is now)."""
            if project is None:
                view = self.view()
                rect = (0, 0, view.width(), view.height())
                project = self._to_pixels() * view.projectionMatrix(rect, rect) * view.viewMatrix()
            out = []
            for pos, text, _font, away, gap, sideways, (width, height) in self._labels.values():
                away_px = None if away is None else project.map(away).toPointF()
                out.append((text, placed_rect(project.map(pos).toPointF(), away_px, width, height, gap, sideways)))
            return out

        def _to_pixels(self) -> QMatrix4x4:
            rect = QRectF(self.view().rect())  # as GLTextItem: normalised device coordinates to pixels
            to_pixels = QMatrix4x4()
            to_pixels.viewport(rect.left(), rect.bottom(), rect.width(), -rect.height())
            return to_pixels

        def paint(self):
            if not self._labels:
                return
            self.setupGLState()
            placed = self.placed(self._to_pixels() * self.mvpMatrix())
            painter = QPainter(self.view())
            painter.setPen(self.color)
            painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
            for (text, rect), label in zip(placed, self._labels.values(), strict=True):
                painter.fillRect(rect, self.backdrop)
                painter.setFont(label[2])
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
            painter.end()

    # The surface is pushed back a little in depth, so that a marker at its height is not hidden by it.
    surface_options = {**GLOptions["opaque"], GL.GL_POLYGON_OFFSET_FILL: True, "glPolygonOffset": (1.0, 2.0)}
    return GLView, Labels, QOpenGLWindow, gl, pg, surface_options, GL


def __getattr__(name):
    """``GLView`` and ``Labels`` are built with PyOpenGL, on first use (see _gl)."""
    if name in ("GLView", "Labels"):
        return _gl()[("GLView", "Labels").index(name)]
    raise AttributeError(name)


class SurfaceView(QWidget):
    """x1 and x2 span the unit square, y (height and colour) is the network's output, 0..1.

    If OpenGL cannot be had (now, or when the view is first drawn), the view shows a sentence in its place:
    ``gl_failed`` is then True, ``gl_failure`` holds the sentence and ``gl_failed_changed`` is emitted with
    it; a window can show it in its status line too."""

    gl_failed_changed = Signal(str)
    marker_px = MARKER_PX  # logical pixels
    axis_px = AXIS_PX
    label_targets = True  # "t=0", "t=1" above the markers

    def __init__(self, grid: int, parent=None, live=None):
        """``live``: the application's live view (app/liveview.py), whose ``busy()`` the paint runs in, so the
        training worker's chunks wait for it; None: the paint runs without it."""
        super().__init__(parent)
        self.grid = grid
        self.axis = np.linspace(0.0, 1.0, grid)
        self.frames = 0  # surface updates since the view was built
        self.z = np.zeros((grid, grid), dtype=np.float32)
        self.setMinimumSize(320, 230)  # with the lens tabs above it, the window fits 960×540
        self.target_font = QFont("DejaVu Sans", 9)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet(f"background: rgb{BACKGROUND}; color: rgb{TEXT_COLOR}; padding: 24px;")
        self._stack = QStackedLayout(self)
        self._stack.setContentsMargins(0, 0, 0, 0)
        self.gl_failure: str | None = None
        self.view = None
        try:
            GLView, _labels, _window, _gl_items, _pg, _options, _GL = _gl()
        except StartupError as error:
            self._stack.addWidget(self.message)
            self._show_failure(str(error))
            return
        # PySide leaves a window given to createWindowContainer owned by Python, so its clean-up could delete
        # it before the container (a segfault at exit).  Made with a parent, it is owned by Qt: the container
        # deletes it.  The parent is only that; Qt re-parents the window into the container at once.
        self._owner = QWindow()
        self.view = GLView(_window.UpdateBehavior.NoPartialUpdate, self._owner,
                           busy=live.busy if live is not None else nullcontext)
        self.container = QWidget.createWindowContainer(self.view, self)
        self._stack.addWidget(self.container)
        self._stack.addWidget(self.message)
        self.view.failed.connect(self._show_failure)
        self._build_scene()
        self.view.pixel_ratio_changed.connect(self._apply_pixel_sizes)

    @property
    def gl_failed(self) -> bool:
        """True when the 3D view cannot be drawn and a sentence (``gl_failure``) shows in its place."""
        return self.gl_failure is not None

    def _show_failure(self, message: str) -> None:
        self.gl_failure = message
        self.message.setText(translate("SurfaceView", "The 3D view cannot be shown: {reason}.").format(reason=message))
        self._stack.setCurrentWidget(self.message)
        self.gl_failed_changed.emit(message)

    def _build_scene(self) -> None:
        _view, Labels, _window, gl, pg, surface_options, GL = _gl()
        self.view.setBackgroundColor(QColor(*BACKGROUND))
        self.color_map = pg.colormap.get(COLOR_MAP)
        # A table of 256 colours, indexed: ColorMap.map interpolates each channel, ~15x slower per frame.
        self.color_table = self.color_map.getLookupTable(0.0, 1.0, nPts=256, alpha=True, mode="float")

        self.floor = gl.GLGridItem(color=(255, 255, 255, 60))
        self.floor.setSize(1, 1)
        self.floor.setSpacing(0.1, 0.1)
        self.floor.translate(0.5, 0.5, 0)
        self.addItem(self.floor)

        # smooth=True: drawn from the grid's vertices and an index, not three copies of each vertex per face
        # (the same picture without normals: the colours are per vertex).
        self.surface = gl.GLSurfacePlotItem(x=self.axis, y=self.axis, z=self.z, colors=self._colors(self.z),
                                            computeNormals=False, smooth=True, glOptions=surface_options)
        self.addItem(self.surface)

        self.labels = Labels()
        self.axes = self._build_axes(gl)
        # Depth-tested ("translucent"): the surface hides a marker behind it.
        self.targets = gl.GLScatterPlotItem(pos=np.zeros((4, 3)), size=self.marker_px, pxMode=True,
                                            glOptions="translucent")
        self.targets.setDepthValue(10)  # drawn after the surface: blending needs what is behind drawn first
        # A marker is one depth (its centre's) over its whole disc: on the surface, the surface just in front of
        # that centre would cut the disc.  So markers are drawn as if MARKER_DEPTH_LEAD nearer the camera (in
        # depth only): one on the surface shows whole, one well behind it stays hidden.
        paint_targets = self.targets.paint

        def paint_nearer():
            near = 0.001 * self.view.opts["distance"]  # pyqtgraph's near plane; window depth ~ 1 - near / depth
            GL.glDepthRange(0.0, 1.0 - near * MARKER_DEPTH_LEAD / self.view.opts["distance"] ** 2)
            try:
                paint_targets()
            finally:
                GL.glDepthRange(0.0, 1.0)

        self.targets.paint = paint_nearer
        self.addItem(self.targets)
        self.addItem(self.labels)
        self._build_legend(gl)
        self._apply_pixel_sizes()
        self.reset_view()

    def _build_legend(self, gl) -> None:
        """The colour scale, top left (in the room ROOM_PX keeps free)."""
        self.legend = gl.GLGradientLegendItem(pos=LEGEND_POS, size=LEGEND_SIZE, gradient=self.color_map,
                                              labels={"y = 1": 1.0, "0.5": 0.5, "y = 0": 0.0}, fontColor=TEXT_COLOR)
        self.addItem(self.legend)

    def _build_axes(self, gl) -> list:
        """Lines along x1, x2 and y from the origin, each named past its end, with 0 and 1 marked outside the
        square (the markers' labels go above them)."""
        font = QFont("DejaVu Sans", 11)
        small = QFont("DejaVu Sans", 9)
        lines = self._axis_lines(gl)
        for where, text, size, away in (((AXIS_END, 0, 0), "x1", font, (0, 0, 0)),
                                        ((0, AXIS_END, 0), "x2", font, (0, 0, 0)),
                                        ((1, 0, AXIS_END), "y", font, (1, 0, 0)),
                                        ((1, 0, 0), "1", small, (1, 0.5, 0)),  # outside the edge x2 = 0
                                        ((0, 1, 0), "1", small, (0.5, 1, 0)),  # outside the edge x1 = 0
                                        ((0, 0, 0), "0", small, (0.5, 0.5, 0)),
                                        ((1, 0, 1), "1", small, (0.5, 0.5, 1)),  # outside the cube
                                        ((1, 0, 0.5), "0.5", small, (0.5, 0.5, 0.5))):
            # Ticks go left or right of their corner, never above it: the marker's label is above.
            self.labels.set_label(where, text, size, away_from=away, gap=self.marker_px / 2 + 3,
                                  sideways=text not in ("x1", "x2", "y"))
        self.addItem(lines)
        return [lines, self.labels]

    def _axis_lines(self, gl):
        """The three axes' lines, one item.  The y axis stands at the corner (x1, x2) = (1, 0), at the side of
        the view, not in front of the surface."""
        return gl.GLLinePlotItem(pos=np.array([(0, 0, 0), (AXIS_END, 0, 0), (0, 0, 0), (0, AXIS_END, 0),
                                               (1, 0, 0), (1, 0, AXIS_END)], dtype=float),
                                 color=AXIS_COLOR, width=self.axis_px, antialias=True, mode="lines")

    def _apply_pixel_sizes(self, *_args) -> None:
        """Markers and axis lines in logical pixels: GL sizes them in device pixels."""
        if self.view is None:
            return
        ratio = self.view.devicePixelRatio()
        self.targets.setData(size=self.marker_px * ratio)
        self.axes[0].setData(width=self.axis_px * ratio)

    def reset_view(self) -> None:
        """The default camera: from the front-left corner, a little above, the scene framed for the view's
        shape.  Double-clicking the view does the same."""
        if self.view is not None:
            self.view.reset_view()

    def _colors(self, z: np.ndarray) -> np.ndarray:
        # setData(colors=...) wants one RGBA row per vertex, flattened.
        top = len(self.color_table) - 1
        return self.color_table[np.rint(np.clip(z, 0.0, 1.0).ravel() * top).astype(np.intp)]

    def set_targets(self, targets) -> None:
        """The truth table's targets (4, in INPUTS' order): a marker at each corner's height, labelled above."""
        targets = np.ravel(targets)
        if self.view is None:
            return
        self.targets.setData(pos=np.column_stack([INPUTS, targets]),
                             color=np.array([TARGET_ONE if t else TARGET_ZERO for t in targets]))
        if not self.label_targets:
            return
        for corner, ((x1, x2), t) in enumerate(zip(INPUTS, targets, strict=True)):
            self.labels.set_label((x1, x2, t), f"t={t:g}", self.target_font, key=("target", corner),
                                  gap=self.marker_px / 2 + 2)

    def set_surface(self, z: np.ndarray) -> bool:
        """Show the output z (grid×grid, x1 along axis 0).  A non-finite z is not drawn: the last finite one
        stays.  Returns whether it was taken (False also when there is no 3D view to draw it)."""
        if z is None or z.shape != self.z.shape or not np.isfinite(z).all() or self.view is None:
            return False
        self.z = z.astype(np.float32)
        with self.view.drawn_now():
            self.surface.setData(z=self.z, colors=self._colors(self.z))
        self.frames += 1
        return True

    def surface_z(self) -> np.ndarray:
        """The heights the surface item's mesh holds now, (grid, grid)."""
        if self.view is None:
            return self.z.copy()
        vertexes = self.surface.opts["meshdata"].vertexes()
        return vertexes[:, 2].reshape(self.grid, self.grid)

    @property
    def items(self) -> list:
        return [] if self.view is None else self.view.items

    def addItem(self, item) -> None:
        self.view.addItem(item)

    def grabFramebuffer(self) -> QImage:
        """The 3D view's pixels, as QOpenGLWidget.grabFramebuffer gives them (a null image without a 3D view)."""
        return QImage() if self.view is None else self.view.render_image()
