"""LandscapeView: the loss over a plane through the network's parameters, in 3D, with the training path on it.

The plane is θ + α·d1 + β·d2 (nn_core.landscape: the path's first two principal directions, or two random
filter-normalised ones, Li et al. 2018).  The scene is SurfaceView's (the GL window in a widget container, the
camera framing the unit cube, built once and then ``setData``): α and β are scaled onto the unit square, the
height and colour are log10 of the loss scaled onto 0..1 (the colour legend gives the losses).  The path is a
line on the surface, its points at the loss of their projection onto the plane (so they lie on the drawn
surface), with the start (the first kept step) and the network now (the plane's origin) marked.

The window hands ``show_network`` every snapshot; the landscape is computed (one batched forward pass in the
engine, ``last_cost_ms``) at most every MIN_INTERVAL seconds (and taking at most COST_SHARE of the time, for
large networks) and only while the view is visible: the newest network is drawn when the interval is over, or
when the view is shown.
"""

from __future__ import annotations

import logging
import math
import time

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from nn_core import landscape as engine

from . import formatting as fmt
from .inside import NetworkAt
from .surface_view import (
    AXIS_END,
    BACKGROUND,
    LEGEND_POS,
    LEGEND_SIZE,
    MARKER_DEPTH_LEAD,
    TARGET_ONE,
    TARGET_ZERO,
    TEXT_COLOR,
    SurfaceView,
    _gl,
)

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

MIN_INTERVAL = 0.6  # seconds between two computations while training (its 3D drawing competes with training)
QUICK_MS = 50.0  # a computation this quick is done at once for a network not training (replay keeps up)
# Networks × parameters in one pass, about 0.1 s here: a larger network gets a coarser grid, since the pass runs
# on the GUI thread (a 64,64,64 network's 61 × 61 grid took 0.7 to 5 s and froze the window).
GRID_BUDGET = 4_000_000
MIN_GRID = 11


def fitting_grid(chosen: int, params: int) -> int:
    """The grid side used: ``chosen`` (odd), or the largest odd side below it whose n² networks of ``params``
    parameters fit ``GRID_BUDGET``, at least ``MIN_GRID``."""
    n = chosen
    while n > MIN_GRID and n * n * params > GRID_BUDGET:
        n -= 2
    return n


COST_SHARE = 0.2  # and at most this share of the time: a large network's landscape comes less often
RESOLUTIONS = (31, 61, 91)  # grid points a side the view offers (odd: the network is the middle one)
PATH_COLOR = (0.95, 0.25, 0.6, 1.0)  # magenta: apart from every colour of viridis
LOW_DECADES = 2  # the colour scale reaches at most this many decades below the lowest loss on the path
START_COLOR = TARGET_ZERO
NOW_COLOR = TARGET_ONE
PATH_PX = 3.0  # logical pixels
LANDSCAPE_MARKER_PX = 13


class LandscapeScene(SurfaceView):
    """SurfaceView's GL window and camera with the landscape's scene: the surface over the unit square (α along
    x, β along y), the height and colour ``height(loss)``, the path as a line and the start and the network now
    as markers.  ``show_result`` draws a ``nn_core.landscape.LandscapeResult``; ``clear`` hides all but the
    axes."""

    label_targets = False
    marker_px = LANDSCAPE_MARKER_PX

    def __init__(self, grid: int, parent=None, live=None):
        self.log_range = (0.0, 1.0)  # log10 of the losses at height 0 and at height 1
        super().__init__(grid, parent, live=live)

    # --- the scene, built once -------------------------------------------------------------

    def _build_scene(self) -> None:
        super()._build_scene()
        _view, _labels, _window, gl, _pg, _options, GL = _gl()
        self.surface.setVisible(False)  # until the first landscape: a flat zero would look like one
        self.path = gl.GLLinePlotItem(pos=np.zeros((2, 3)), color=PATH_COLOR, width=PATH_PX, antialias=True,
                                      mode="line_strip", glOptions="translucent")
        self.path.setDepthValue(9)
        self.path.setVisible(False)
        self._draw_nearer(self.path, GL)
        self.addItem(self.path)
        self.targets.setData(pos=np.zeros((2, 3)), color=np.array([START_COLOR, NOW_COLOR]))
        self.targets.setVisible(False)
        self._apply_pixel_sizes()

    def _draw_nearer(self, item, GL) -> None:
        """The path drawn as if MARKER_DEPTH_LEAD nearer the camera (SurfaceView's markers' way): a line on the
        surface shows whole, one behind a hill stays hidden."""
        paint = item.paint

        def paint_nearer():
            near = 0.001 * self.view.opts["distance"]
            GL.glDepthRange(0.0, 1.0 - near * MARKER_DEPTH_LEAD / self.view.opts["distance"] ** 2)
            try:
                paint()
            finally:
                GL.glDepthRange(0.0, 1.0)

        item.paint = paint_nearer

    def _build_legend(self, gl) -> None:
        self.legend = gl.GLGradientLegendItem(pos=LEGEND_POS, size=LEGEND_SIZE, gradient=self.color_map,
                                              labels={}, fontColor=TEXT_COLOR)
        self.addItem(self.legend)

    def _build_axes(self, gl) -> list:
        font = QFont("DejaVu Sans", 11)
        lines = self._axis_lines(gl)
        for where, text in (((AXIS_END, 0, 0), translate("LandscapeView", "α (d1)")),
                            ((0, AXIS_END, 0), translate("LandscapeView", "β (d2)")),
                            ((1, 0, AXIS_END), translate("LandscapeView", "loss (log scale)"))):
            self.labels.set_label(where, text, font, away_from=(0, 0, 0) if where[2] == 0 else (1, 0, 0),
                                  gap=self.marker_px / 2 + 3)
        self.addItem(lines)
        return [lines, self.labels]

    def _apply_pixel_sizes(self, *_args) -> None:
        super()._apply_pixel_sizes()
        if self.view is not None and hasattr(self, "path"):
            self.path.setData(width=PATH_PX * self.view.devicePixelRatio())

    # --- drawing a landscape --------------------------------------------------------------------

    def height(self, losses) -> np.ndarray:
        """Scene height 0..1 of ``losses``: log10 scaled so that ``log_range`` maps to 0..1 (+inf to 1)."""
        lo, hi = self.log_range
        with np.errstate(divide="ignore", invalid="ignore"):
            logs = np.log10(np.maximum(np.asarray(losses, dtype=float), engine.LOSS_FLOOR))
        return np.clip(np.nan_to_num((logs - lo) / (hi - lo), nan=1.0, posinf=1.0), 0.0, 1.0)

    def show_result(self, result: engine.LandscapeResult, step: int) -> bool:
        """Draw ``result`` (the network at ``step``): surface, path, markers, ticks and legend.  Returns whether
        it was drawn (False without a 3D view)."""
        if self.view is None:
            return False
        grid = result.landscape
        n = len(grid.alphas)
        finite = np.r_[grid.losses.ravel(), result.path_losses]
        finite = finite[np.isfinite(finite)]
        # At most LOW_DECADES below the path's lowest loss: far deeper corners would flatten the path.
        on_path = np.r_[result.path_losses, grid.losses[n // 2, n // 2]]
        on_path = on_path[np.isfinite(on_path)]
        floor = max(float(on_path.min()), engine.LOSS_FLOOR) / 10**LOW_DECADES if len(on_path) else 0.0
        if len(finite):
            lo = math.log10(max(float(finite.min()), floor, engine.LOSS_FLOOR))
            hi = math.log10(max(float(finite.max()), engine.LOSS_FLOOR))
        else:  # every network overflows: all at the top
            lo, hi = 0.0, 1.0
        self.log_range = (lo, hi if hi - lo > 1e-9 else lo + 1.0)
        if n != self.grid:
            self.grid, self.axis = n, np.linspace(0.0, 1.0, n)
        self.z = self.height(grid.losses).astype(np.float32)
        span_a, span_b = float(grid.alphas[-1]), float(grid.betas[-1])
        coords = result.path_coords
        scene = np.column_stack([(coords[:, 0] / span_a + 1) / 2, (coords[:, 1] / span_b + 1) / 2,
                                 self.height(result.path_losses)])
        now = np.array([0.5, 0.5, float(self.z[n // 2, n // 2])])
        with self.view.drawn_now():
            self.surface.setData(x=self.axis, y=self.axis, z=self.z, colors=self._colors(self.z))
            self.surface.setVisible(True)
            if len(scene) >= 2:
                self.path.setData(pos=scene)
            self.path.setVisible(len(scene) >= 2)
            markers = np.array([scene[0], now]) if len(scene) else now[None]
            colors = np.array([START_COLOR, NOW_COLOR]) if len(scene) else np.array([NOW_COLOR])
            self.targets.setData(pos=markers, color=colors)
            self.targets.setVisible(True)
            self._set_ticks(span_a, span_b, result, step)
        self.frames += 1
        return True

    def _set_ticks(self, span_a: float, span_b: float, result, step: int) -> None:
        small = QFont("DejaVu Sans", 9)
        gap = self.marker_px / 2 + 3
        set_label = self.labels.set_label
        set_label((1, 0, 0), f"{span_a:.3g}", small, key="alpha end", away_from=(1, 0.5, 0), gap=gap, sideways=True)
        set_label((0.5, 0, 0), "0", small, key="alpha 0", away_from=(0.5, 0.5, 0), gap=gap, sideways=True)
        set_label((0, 1, 0), f"{span_b:.3g}", small, key="beta end", away_from=(0.5, 1, 0), gap=gap, sideways=True)
        set_label((0, 0.5, 0), "0", small, key="beta 0", away_from=(0.5, 0.5, 0), gap=gap, sideways=True)
        lo, hi = self.log_range
        set_label((1, 0, 1), f"{10 ** hi:.3g}", small, key="loss top", away_from=(0.5, 0.5, 1), gap=gap,
                  sideways=True)
        self.legend.setData(labels={f"{10 ** hi:.3g}": 1.0, f"{10 ** ((lo + hi) / 2):.3g}": 0.5,
                                    f"{10 ** lo:.3g}": 0.0})
        marks = self.targets.pos
        # Each marker's label on the far side from the other marker: off the path between them.
        if len(result.path_steps):
            start, now = tuple(marks[0]), tuple(marks[-1])
            first = translate("LandscapeView", "step {step}").format(step=fmt.count(int(result.path_steps[0])))
            set_label(start, first, small, key="start", away_from=now if start != now else None, gap=gap)
        else:
            start = None
            self.labels._labels.pop("start", None)  # noqa: SLF001 - Labels keeps no other way to drop one
        now_text = translate("LandscapeView", "now, step {step}").format(step=fmt.count(int(step)))
        away = start if start is not None and start != tuple(marks[-1]) else None
        set_label(tuple(marks[-1]), now_text, small, key="now", away_from=away, gap=gap)

    def clear(self) -> None:
        """Nothing but the axes: no surface, path, markers or their labels."""
        if self.view is None:
            return
        with self.view.drawn_now():
            for item in (self.surface, self.path, self.targets):
                item.setVisible(False)
            for key in ("start", "now", "alpha end", "alpha 0", "beta end", "beta 0", "loss top"):
                self.labels._labels.pop(key, None)  # noqa: SLF001
            self.legend.setData(labels={})
            self.labels.update()

    def surface_z(self) -> np.ndarray:
        """The heights the surface item's mesh holds now, (grid, grid)."""
        if self.view is None:
            return self.z.copy()
        return self.surface.opts["meshdata"].vertexes()[:, 2].reshape(self.grid, self.grid)


class LandscapeView(QWidget):
    """The landscape tab: a choice of directions and resolution, the 3D scene, and a readout (the loss now, the
    directions used, the share of the path's variance they explain, the cost of the computation).

    ``show_network(at)`` (an ``app.inside.NetworkAt``) is throttled: see the module docstring.  ``result`` is the
    last ``nn_core.landscape.LandscapeResult`` drawn (None if none), ``last_cost_ms`` the time of its
    computation."""

    def __init__(self, live=None, parent=None):
        super().__init__(parent)
        self.at: NetworkAt | None = None  # the newest network handed in
        self._drawn: NetworkAt | None = None  # the one drawn
        self.result: engine.LandscapeResult | None = None
        self.last_cost_ms: float | None = None
        self.computations = 0
        self._last_time = -math.inf
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._refresh)

        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(*BACKGROUND).darker(130))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(*TEXT_COLOR))
        self.setPalette(palette)
        self.setAutoFillBackground(True)

        self.directions = QComboBox(self)
        self.directions.addItem(translate("LandscapeView", "trajectory PCA"), "pca")
        self.directions.addItem(translate("LandscapeView", "random (filter-normalised)"), "random")
        self.directions.setToolTip(translate(
            "LandscapeView", "The plane's two directions: the first two principal directions of the path so far "
            "(Li et al. 2018, section 7), or two random directions scaled unit by unit to the network's weights "
            "(filter normalisation, Li et al. 2018, section 4)"))
        self.resolution = QComboBox(self)
        for n in RESOLUTIONS:
            self.resolution.addItem(translate("LandscapeView", "{n} × {n}").format(n=n), n)
        self.resolution.setCurrentIndex(RESOLUTIONS.index(engine.DEFAULT_POINTS))
        self.resolution.setToolTip(translate("LandscapeView", "Grid points a side: every one is a network whose "
                                             "loss is computed, all in one batched forward pass"))
        self.directions.currentIndexChanged.connect(self._choice_changed)
        self.resolution.currentIndexChanged.connect(self._choice_changed)
        top = QHBoxLayout()
        top.setContentsMargins(8, 4, 8, 0)
        top.addWidget(QLabel(translate("LandscapeView", "Directions:"), self))
        top.addWidget(self.directions)
        top.addSpacing(16)
        top.addWidget(QLabel(translate("LandscapeView", "Grid:"), self))
        top.addWidget(self.resolution)
        top.addStretch(1)

        self.scene = LandscapeScene(engine.DEFAULT_POINTS, self, live=live)
        self.readout = QLabel(self)
        self.readout.setWordWrap(True)
        self.readout.setTextFormat(Qt.TextFormat.PlainText)
        self.readout.setContentsMargins(8, 0, 8, 4)
        self.readout.setToolTip(translate(
            "LandscapeView", "Height and colour: the loss (cross-entropy, without weight decay) at θ + α·d1 + β·d2, "
            "θ the network now, on a log scale. The path's points are drawn at the loss where they project onto "
            "the plane, so they lie on the surface. The colour scale reaches at most {decades} decades below the "
            "path's lowest loss: where the loss is lower still, the surface lies flat on the floor.").format(
                decades=LOW_DECADES))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.scene, 1)
        layout.addWidget(self.readout)
        self.readout.setText(translate("LandscapeView", "The loss landscape shows once a network is given."))

    @property
    def method(self) -> str:
        return self.directions.currentData()

    # --- the throttle ------------------------------------------------------------------------

    def show_network(self, at: NetworkAt) -> None:
        """Show ``at``: now if the last computation is MIN_INTERVAL old, or if training is not under way and a
        computation is quick (the run's end, a pause, a replayed step); else when it is; while hidden, when the
        view is shown."""
        self.at = at
        if not self.isVisible():
            return
        interval = max(MIN_INTERVAL, (self.last_cost_ms or 0.0) / 1000 / COST_SHARE)
        wait = interval - (time.monotonic() - self._last_time)
        if wait <= 0 or (not at.live and (self.last_cost_ms or 0.0) <= QUICK_MS):
            self._refresh()
        elif not self._timer.isActive():
            self._timer.start(max(1, int(wait * 1000)))

    def behind(self) -> bool:
        """True while the network last shown is not the one drawn (a script's screenshot waits for it)."""
        return self.at is not None and self.at is not self._drawn

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.at is not None and self.at is not self._drawn:
            self._timer.start(0)

    def _choice_changed(self, *_args) -> None:
        if self.at is not None:
            self._refresh()

    def _refresh(self) -> None:
        self._timer.stop()
        at = self.at
        if at is None:
            return
        self._drawn = at
        self._last_time = time.monotonic()
        params = np.asarray(at.params, dtype=float)
        if not np.isfinite(params).all():
            self._show_nothing(translate("LandscapeView", "Step {step}: the network's parameters are not finite "
                                         "(it diverged), so there is no landscape to draw.").format(step=at.step))
            return
        started = time.perf_counter()
        try:
            path = np.asarray(at.path_params, dtype=float)
            keep = np.isfinite(path).all(axis=1) if path.ndim == 2 and len(path) else slice(None)
            result = engine.compute(at.config, params, path[keep] if path.ndim == 2 else path,
                                    np.asarray(at.path_steps)[keep] if path.ndim == 2 else at.path_steps,
                                    self.method, n=fitting_grid(self.resolution.currentData(), params.size), seed=0)
        except ValueError as error:  # a path that does not fit the network: the engine's reason goes to the log
            log.warning("no loss landscape at step %d: %s", at.step, error)
            self._show_nothing(translate("LandscapeView", "Step {step}: the loss landscape cannot be computed for "
                                         "this network and its path.").format(step=at.step))
            return
        self.last_cost_ms = (time.perf_counter() - started) * 1000
        self.computations += 1
        self.result = result
        self.scene.show_result(result, at.step)
        self.readout.setText(self._readout(at, result))

    def _show_nothing(self, sentence: str) -> None:
        self.result = None
        self.scene.clear()
        self.readout.setText(sentence)

    def _readout(self, at: NetworkAt, result: engine.LandscapeResult) -> str:
        d = result.directions
        loss = translate("LandscapeView", "Loss {loss:.4g} at step {step}.").format(loss=at.loss,
                                                                                   step=fmt.count(int(at.step)))
        if d.method == "pca":
            how = translate("LandscapeView", "Directions: the path's first two principal directions, which explain "
                            "{share:.1%} of its variance.").format(share=d.explained)
        elif d.fallback == engine.SHORT_PATH:
            how = translate("LandscapeView", "Directions: random, filter-normalised (the path has fewer than 3 "
                            "kept steps, too few for its principal directions).")
        elif d.fallback == engine.FLAT_PATH:
            how = translate("LandscapeView", "Directions: random, filter-normalised (the path lies on a line, so "
                            "it has no second principal direction).")
        else:
            how = translate("LandscapeView", "Directions: random, filter-normalised.")
        grid = result.landscape
        cost = translate("LandscapeView", "{points} networks in one batched pass, {ms:.1f} ms.").format(
            points=fmt.count(grid.losses.size + len(result.path_losses)), ms=self.last_cost_ms)
        n = grid.losses.shape[0]
        if n < self.resolution.currentData():
            cost += " " + translate("LandscapeView", "A grid of {n} × {n} for a network this large, so that the "
                                    "window keeps answering.").format(n=n)
        return f"{loss} {how} {cost}"
