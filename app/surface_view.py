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
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
import pyqtgraph as pg
import pyqtgraph.opengl as gl
from OpenGL import GL
from pyqtgraph.opengl.GLGraphicsItem import GLGraphicsItem
from pyqtgraph.opengl.GLViewWidget import GLViewMixin
from PySide6.QtCore import QRect, QRectF
from PySide6.QtGui import QColor, QFont, QImage, QMatrix4x4, QPainter, QVector3D, QWindow
from PySide6.QtOpenGL import QOpenGLWindow
from PySide6.QtWidgets import QVBoxLayout, QWidget

from nn_core.gates import INPUTS

from .gil import GUI_FIRST

COLOR_MAP = "viridis"
TEXT_COLOR = (230, 230, 230)
AXIS_COLOR = (0.85, 0.85, 0.85, 1.0)
TARGET_ONE = (1.0, 0.35, 0.25, 1.0)  # marker colours: target 1 and target 0
TARGET_ZERO = (0.35, 0.75, 1.0, 1.0)


class GLView(GLViewMixin, QOpenGLWindow):
    """pyqtgraph's 3D view (camera, mouse, items) on a QOpenGLWindow: it draws into its own surface."""

    def devicePixelRatioF(self) -> float:  # what GLViewMixin and GLTextItem ask a QWidget for
        return self.devicePixelRatio()

    def rect(self) -> QRect:
        return QRect(0, 0, self.width(), self.height())

    _drawing_now = False  # inside drawn_now(): items' update() calls are not scheduled

    def paintGL(self):
        with GUI_FIRST.busy():  # many PyOpenGL calls, each giving up the GIL: see gil.py
            super().paintGL()

    def update(self):
        if not self._drawing_now:
            super().update()

    @contextmanager
    def drawn_now(self):
        """Changes made to the items inside are drawn when it ends, in this call, rather than on Qt's update
        timer ~5 ms later: by then the worker is training again, and the paint would cut into its chunk
        (gil.py).  A window not shown yet is drawn when it shows."""
        self._drawing_now = True
        try:
            yield
        finally:
            self._drawing_now = False
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
        if not self.isValid():
            return QImage()
        self._draw()
        image = self.grabFramebuffer()
        self.doneCurrent()
        return image


class Labels(GLGraphicsItem):
    """Text at points of the scene, all drawn in one QPainter pass: a GLTextItem each opens its own
    (~0.25 ms apiece under llvmpipe, 12 labels were ~3 ms of every frame)."""

    def __init__(self):
        super().__init__()
        self.setGLOptions("additive")  # as GLTextItem
        self.setDepthValue(20)  # after the GL items: they would cover text drawn before them
        self.color = QColor(*TEXT_COLOR)
        self._labels = {}  # key -> (position, text, font)

    def set_label(self, pos, text: str, font: QFont, key=None) -> None:
        self._labels[pos if key is None else key] = (QVector3D(*pos), text, font)
        self.update()

    def texts(self) -> list[str]:
        return [text for _pos, text, _font in self._labels.values()]

    def paint(self):
        if not self._labels:
            return
        self.setupGLState()
        rect = QRectF(self.view().rect())  # as GLTextItem: normalised device coordinates to pixels
        to_pixels = QMatrix4x4()
        to_pixels.viewport(rect.left(), rect.bottom(), rect.width(), -rect.height())
        project = to_pixels * self.mvpMatrix()
        painter = QPainter(self.view())
        painter.setPen(self.color)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        for pos, text, font in self._labels.values():
            painter.setFont(font)
            painter.drawText(project.map(pos).toPointF(), text)
        painter.end()


class SurfaceView(QWidget):
    """x1 and x2 span the unit square, y (height and colour) is the network's output, 0..1."""

    def __init__(self, grid: int, parent=None):
        super().__init__(parent)
        # PySide leaves a window given to createWindowContainer owned by Python, so its clean-up could delete
        # it before the container (a segfault at exit).  Made with a parent, it is owned by Qt: the container
        # deletes it.  The parent is only that; Qt re-parents the window into the container at once.
        self._owner = QWindow()
        self.view = GLView(QOpenGLWindow.UpdateBehavior.NoPartialUpdate, self._owner)
        self.container = QWidget.createWindowContainer(self.view, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.container)
        self.grid = grid
        self.axis = np.linspace(0.0, 1.0, grid)
        self.color_map = pg.colormap.get(COLOR_MAP)
        # A table of 256 colours, indexed: ColorMap.map interpolates each channel, ~15x slower per frame.
        self.color_table = self.color_map.getLookupTable(0.0, 1.0, nPts=256, alpha=True, mode="float")
        self.frames = 0  # surface updates since the view was built
        self.z = np.zeros((grid, grid), dtype=np.float32)
        self.view.setBackgroundColor(QColor(28, 30, 36))
        self.setMinimumSize(320, 260)
        self.target_font = QFont("DejaVu Sans", 9)

        self.floor = gl.GLGridItem(color=(255, 255, 255, 60))
        self.floor.setSize(1, 1)
        self.floor.setSpacing(0.1, 0.1)
        self.floor.translate(0.5, 0.5, 0)
        self.addItem(self.floor)

        # smooth=True: drawn from the grid's vertices and an index, not three copies of each vertex per face
        # (the same picture without normals: the colours are per vertex).
        self.surface = gl.GLSurfacePlotItem(x=self.axis, y=self.axis, z=self.z, colors=self._colors(self.z),
                                            computeNormals=False, smooth=True, glOptions="opaque")
        self.addItem(self.surface)

        self.labels = Labels()
        self.axes = self._build_axes()
        self.targets = gl.GLScatterPlotItem(pos=np.zeros((4, 3)), size=16, pxMode=True, glOptions="translucent")
        self.targets.setDepthValue(10)  # drawn after the surface, so a marker on it stays visible
        self.addItem(self.targets)
        self.addItem(self.labels)
        self.legend = gl.GLGradientLegendItem(pos=(12, 28), size=(14, 130), gradient=self.color_map,
                                              labels={"y = 1": 1.0, "0.5": 0.5, "y = 0": 0.0}, fontColor=TEXT_COLOR)
        self.addItem(self.legend)
        self.reset_camera()

    def _build_axes(self) -> list:
        """Lines along x1, x2 and y from the origin, each labelled, with 0 and 1 marked."""
        font = QFont("DejaVu Sans", 11)
        small = QFont("DejaVu Sans", 9)
        # The y axis stands at the corner (x1, x2) = (1, 0), at the side of the view, not in front of the surface.
        lines = gl.GLLinePlotItem(pos=np.array([(0, 0, 0), (1.15, 0, 0), (0, 0, 0), (0, 1.15, 0),
                                                (1, 0, 0), (1, 0, 1.1)], dtype=float),
                                  color=AXIS_COLOR, width=2, antialias=True, mode="lines")
        for where, text, size in (((1.2, -0.04, 0), "x1", font), ((-0.04, 1.2, 0), "x2", font),
                                  ((1.0, 0, 1.14), "y", font), ((1.0, -0.08, 0), "1", small),
                                  ((-0.08, 1.0, 0), "1", small), ((-0.06, -0.06, 0), "0", small),
                                  ((1.03, 0, 1.0), "1", small), ((1.03, 0, 0.5), "0.5", small)):
            self.labels.set_label(where, text, size)
        self.addItem(lines)
        return [lines, self.labels]

    def reset_camera(self) -> None:
        """A view from the front-left corner, a little above, so all four corners show."""
        self.view.setCameraPosition(pos=pg.Vector(0.5, 0.5, 0.35), distance=2.8, elevation=40, azimuth=-122)

    def _colors(self, z: np.ndarray) -> np.ndarray:
        # setData(colors=...) wants one RGBA row per vertex, flattened.
        top = len(self.color_table) - 1
        return self.color_table[np.rint(np.clip(z, 0.0, 1.0).ravel() * top).astype(np.intp)]

    def set_targets(self, targets) -> None:
        targets = np.ravel(targets)
        self.targets.setData(pos=np.column_stack([INPUTS, targets]),
                             color=np.array([TARGET_ONE if t else TARGET_ZERO for t in targets]))
        for corner, ((x1, x2), t) in enumerate(zip(INPUTS, targets, strict=True)):
            self.labels.set_label((x1 + (0.04 if x1 else -0.2), x2 + (0.04 if x2 else -0.1), t), f"t={t:g}",
                                  self.target_font, key=("target", corner))

    def set_surface(self, z: np.ndarray) -> bool:
        """Show the output z (grid×grid, x1 along axis 0).  A non-finite z is not drawn: the last finite one stays."""
        if z is None or z.shape != self.z.shape or not np.isfinite(z).all():
            return False
        self.z = z.astype(np.float32)
        with self.view.drawn_now():
            self.surface.setData(z=self.z, colors=self._colors(self.z))
        self.frames += 1
        return True

    def surface_z(self) -> np.ndarray:
        """The heights the surface item's mesh holds now, (grid, grid)."""
        vertexes = self.surface.opts["meshdata"].vertexes()
        return vertexes[:, 2].reshape(self.grid, self.grid)

    @property
    def items(self) -> list:
        return self.view.items

    def addItem(self, item) -> None:
        self.view.addItem(item)

    def grabFramebuffer(self) -> QImage:
        """The 3D view's pixels, as QOpenGLWidget.grabFramebuffer gives them."""
        return self.view.render_image()
