"""MiniSurface: a small 3D surface of one network's output, for views that show several runs at once.

It is SurfaceView's scene at a small size (the same colour map, scale 0..1,
truth-table markers, camera framing, GL window in a widget container, built
once then ``setData``), with a title line above and a subtitle line below as
Qt labels (cheaper than GL text), no colour legend and no tick labels.

Painting holds ``live.busy()`` when a ``live`` object is given (the live-view
machinery the app injects: turn taking with the training thread), else
nothing.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from .surface_view import AXIS_END, BACKGROUND, TEXT_COLOR, SurfaceView

MINI_MARKER_PX = 10  # logical pixels
MINI_AXIS_PX = 1
# Pixels kept free at the left, top, right and bottom edges of the GL window: for "x1", "x2" and the markers
# outside the framed points.
MINI_ROOM_PX = (14, 8, 14, 8)
MINIMUM_SIZE = (200, 170)
SUBTLE_TEXT = (160, 164, 172)  # the subtitle: quieter than the title


class MiniScene(SurfaceView):
    """SurfaceView's scene for a small window: no colour legend, axes named only "x1" and "x2", smaller markers
    without labels, the surface hidden until the first ``set_surface`` (a flat zero would look like an
    output).  ``frames_drawn`` counts the paints that drew a surface not drawn before."""

    marker_px = MINI_MARKER_PX
    axis_px = MINI_AXIS_PX
    label_targets = False  # the markers' colours say it; small views have no room for more text

    def __init__(self, grid: int, parent=None, live=None):
        self.frames_drawn = 0
        self._fresh = False  # a surface was taken and not yet painted
        super().__init__(grid, parent, live=live)
        self.setMinimumSize(120, 90)
        self.message.setStyleSheet(f"background: rgb{BACKGROUND}; color: rgb{TEXT_COLOR}; padding: 6px;")
        if self.view is None:
            return
        self.view.room_px = MINI_ROOM_PX
        self.surface.setVisible(False)
        paint_surface = self.surface.paint

        def paint_counting():
            paint_surface()
            if self._fresh:
                self._fresh = False
                self.frames_drawn += 1

        self.surface.paint = paint_counting
        self.reset_view()

    def _build_legend(self, gl) -> None:
        self.legend = None  # the colour scale is the main view's: the same map, the same 0..1

    def _build_axes(self, gl) -> list:
        small = QFont("DejaVu Sans", 8)
        lines = self._axis_lines(gl)
        for where, text in (((AXIS_END, 0, 0), "x1"), ((0, AXIS_END, 0), "x2")):
            self.labels.set_label(where, text, small, away_from=(0, 0, 0), gap=2)
        self.addItem(lines)
        return [lines, self.labels]

    def set_surface(self, z: np.ndarray) -> bool:
        if self.view is not None and z is not None and np.shape(z) == self.z.shape and np.isfinite(z).all():
            self._fresh = True  # before super() draws it
            if not self.surface.visible():
                self.surface.setVisible(True)  # it asks for a paint: only once, not every frame
        return super().set_surface(z)

    def clear_surface(self) -> None:
        """Hide the surface until the next ``set_surface``."""
        if self.view is not None:
            self.surface.setVisible(False)


class MiniSurface(QWidget):
    """A title, a small 3D surface of the output y over the unit square (x1, x2 in 0..1, y in 0..1 by height
    and colour, SurfaceView's colour map), and a subtitle.

    ``grid``: the surface's grid points per side (``set_surface`` takes ``(grid, grid)``, x1 along axis 0).
    ``live``: an object whose ``busy()`` context manager is held while the GL window paints, or None.
    Dragging the view turns the camera; a double-click puts it back.  Without OpenGL the scene shows a
    sentence in its place (``gl_failed``).
    """

    def __init__(self, grid: int = 25, live=None, parent=None):
        super().__init__(parent)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(*BACKGROUND))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(*TEXT_COLOR))
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self.title = QLabel(self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel(self)
        subtle = self.subtitle.palette()
        subtle.setColor(QPalette.ColorRole.WindowText, QColor(*SUBTLE_TEXT))
        self.subtitle.setPalette(subtle)
        small = self.subtitle.font()
        small.setPointSizeF(small.pointSizeF() - 1)
        self.subtitle.setFont(small)
        for label in (self.title, self.subtitle):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)  # a long text never widens it
        self.scene = MiniScene(grid, self, live=live)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.scene, 1)
        layout.addWidget(self.subtitle)
        self.setMinimumSize(*MINIMUM_SIZE)

    @property
    def grid(self) -> int:
        return self.scene.grid

    @property
    def frames_drawn(self) -> int:
        """Paints that drew a surface not drawn before (for frames per second)."""
        return self.scene.frames_drawn

    @property
    def gl_failed(self) -> bool:
        return self.scene.gl_failed

    def set_title(self, text: str) -> None:
        self.title.setText(text)

    def set_subtitle(self, text: str) -> None:
        self.subtitle.setText(text)

    def add_line(self, widget: QWidget) -> None:
        """Another line under the subtitle (a view's own readout of this run), in the subtitle's font, on the
        same background."""
        widget.setFont(self.subtitle.font())
        self.layout().addWidget(widget)

    def set_targets(self, targets) -> None:
        """The truth table's targets (4, in INPUTS' order): a marker at each corner's height, coloured by target."""
        self.scene.set_targets(targets)

    def set_surface(self, z: np.ndarray) -> bool:
        """Show the output z ``(grid, grid)``; drawn now if the view is shown.  False, nothing drawn, if z is
        None, of another shape or not all finite (the last finite surface stays), or there is no 3D view."""
        return self.scene.set_surface(z)

    def clear_surface(self) -> None:
        """No surface shown until the next ``set_surface`` (the markers stay)."""
        self.scene.clear_surface()

    def surface_z(self) -> np.ndarray:
        """The heights the surface item holds now, ``(grid, grid)``."""
        return self.scene.surface_z()

    def reset_view(self) -> None:
        """The default camera (as a double-click)."""
        self.scene.reset_view()

    def grabFramebuffer(self):
        """The 3D view's pixels (a null QImage without a 3D view)."""
        return self.scene.grabFramebuffer()

