"""SurfaceView: the network's output over the unit square, in 3D.

Everything is built once (pyqtgraph's examples' way); a snapshot only calls
``setData`` on the surface item.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pyqtgraph.opengl as gl
from PySide6.QtGui import QColor, QFont

from nn_core.gates import INPUTS

from .gil import GUI_FIRST

COLOR_MAP = "viridis"
TEXT_COLOR = (230, 230, 230)
AXIS_COLOR = (0.85, 0.85, 0.85, 1.0)
TARGET_ONE = (1.0, 0.35, 0.25, 1.0)  # marker colours: target 1 and target 0
TARGET_ZERO = (0.35, 0.75, 1.0, 1.0)


class SurfaceView(gl.GLViewWidget):
    """x1 and x2 span the unit square, y (height and colour) is the network's output, 0..1."""

    def __init__(self, grid: int, parent=None):
        super().__init__(parent)
        self.grid = grid
        self.axis = np.linspace(0.0, 1.0, grid)
        self.color_map = pg.colormap.get(COLOR_MAP)
        self.frames = 0  # surface updates since the view was built
        self.z = np.zeros((grid, grid), dtype=np.float32)
        self.setBackgroundColor(QColor(28, 30, 36))
        self.setMinimumSize(320, 260)

        self.floor = gl.GLGridItem(color=(255, 255, 255, 60))
        self.floor.setSize(1, 1)
        self.floor.setSpacing(0.1, 0.1)
        self.floor.translate(0.5, 0.5, 0)
        self.addItem(self.floor)

        self.surface = gl.GLSurfacePlotItem(x=self.axis, y=self.axis, z=self.z, colors=self._colors(self.z),
                                            computeNormals=False, smooth=False, glOptions="opaque")
        self.addItem(self.surface)

        self.axes = self._build_axes()
        self.targets = gl.GLScatterPlotItem(pos=np.zeros((4, 3)), size=16, pxMode=True, glOptions="translucent")
        self.targets.setDepthValue(10)  # drawn after the surface, so a marker on it stays visible
        self.addItem(self.targets)
        self.target_labels = [gl.GLTextItem(pos=(0, 0, 0), color=TEXT_COLOR, font=QFont("DejaVu Sans", 9))
                              for _ in range(4)]
        for label in self.target_labels:
            self.addItem(label)
        self.legend = gl.GLGradientLegendItem(pos=(12, 28), size=(14, 130), gradient=self.color_map,
                                              labels={"y = 1": 1.0, "0.5": 0.5, "y = 0": 0.0}, fontColor=TEXT_COLOR)
        self.addItem(self.legend)
        self.reset_camera()

    def _build_axes(self) -> list:
        """Lines along x1, x2 and y from the origin, each labelled, with 0 and 1 marked."""
        font = QFont("DejaVu Sans", 11)
        small = QFont("DejaVu Sans", 9)
        items = []
        # The y axis stands at the corner (x1, x2) = (1, 0), at the side of the view, not in front of the surface.
        for start, end, name, where in (((0, 0, 0), (1.15, 0, 0), "x1", (1.2, -0.04, 0)),
                                        ((0, 0, 0), (0, 1.15, 0), "x2", (-0.04, 1.2, 0)),
                                        ((1, 0, 0), (1, 0, 1.1), "y", (1.0, 0, 1.14))):
            items.append(gl.GLLinePlotItem(pos=np.array([start, end], dtype=float), color=AXIS_COLOR, width=2,
                                           antialias=True, mode="lines"))
            items.append(gl.GLTextItem(pos=where, text=name, color=TEXT_COLOR, font=font))
        for where, text in (((1.0, -0.08, 0), "1"), ((-0.08, 1.0, 0), "1"), ((-0.06, -0.06, 0), "0"),
                            ((1.03, 0, 1.0), "1"), ((1.03, 0, 0.5), "0.5")):
            items.append(gl.GLTextItem(pos=where, text=text, color=TEXT_COLOR, font=small))
        for item in items:
            self.addItem(item)
        return items

    def reset_camera(self) -> None:
        """A view from the front-left corner, a little above, so all four corners show."""
        self.setCameraPosition(pos=pg.Vector(0.5, 0.5, 0.35), distance=2.8, elevation=40, azimuth=-122)

    def _colors(self, z: np.ndarray) -> np.ndarray:
        # setData(colors=...) wants one RGBA row per vertex, flattened.
        return self.color_map.map(np.clip(z, 0.0, 1.0).ravel(), mode="float")

    def set_targets(self, targets) -> None:
        targets = np.ravel(targets)
        self.targets.setData(pos=np.column_stack([INPUTS, targets]),
                             color=np.array([TARGET_ONE if t else TARGET_ZERO for t in targets]))
        for label, (x1, x2), t in zip(self.target_labels, INPUTS, targets, strict=True):
            label.setData(pos=(x1 + (0.04 if x1 else -0.2), x2 + (0.04 if x2 else -0.1), t), text=f"t={t:g}")

    def set_surface(self, z: np.ndarray) -> bool:
        """Show the output z (grid×grid, x1 along axis 0).  A non-finite z is not drawn: the last finite one stays."""
        if z is None or z.shape != self.z.shape or not np.isfinite(z).all():
            return False
        self.z = z.astype(np.float32)
        self.surface.setData(z=self.z, colors=self._colors(self.z))
        self.frames += 1
        return True

    def surface_z(self) -> np.ndarray:
        """The heights the surface item's mesh holds now, (grid, grid)."""
        vertexes = self.surface.opts["meshdata"].vertexes()
        return vertexes[:, 2].reshape(self.grid, self.grid)

    def paintGL(self):
        with GUI_FIRST.busy():  # many PyOpenGL calls, each giving up the GIL: see gil.py
            super().paintGL()
