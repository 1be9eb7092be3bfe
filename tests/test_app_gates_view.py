"""The all-gates view: a MiniSurface per gate, built once per list of gates, showing what each run's status
holds (its surface exactly, loss, step, truth-table marks), refusing a non-finite surface, and drawn."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QImage

from app.gates_view import GatesView
from app.mini_surface import MiniSurface
from nn_core.config import TrainConfig
from nn_core.gates import GATES
from nn_core.schedule import RunStatus
from nn_core.trainer import Trainer

GRID = 25
ITERATIONS = 300  # XOR is not solved yet at this step, the others are


def status_of(key: str, trainer: Trainer, grid: int | None = GRID) -> RunStatus:
    return RunStatus(key=key, config=trainer.config, iteration=trainer.iteration, until=trainer.config.iterations,
                     loss=trainer.loss(), outputs=trainer.outputs().ravel(), targets=trainer.targets.ravel(),
                     surface=None if grid is None else trainer.surface(grid), seconds=trainer.compute_seconds,
                     loss_evals_per_step=trainer.loss_evals_per_step, solved=trainer.solved(),
                     diverged_at=trainer.diverged_at)


@pytest.fixture(scope="module")
def trainers() -> dict[str, Trainer]:
    """A trained network per gate, from the same seed and settings."""
    out = {}
    for gate in GATES:
        trainer = Trainer(TrainConfig(gate=gate, iterations=ITERATIONS, engine="numpy", lr=2.0))
        trainer.run()
        out[gate] = trainer
    return out


@pytest.fixture
def statuses(trainers) -> list[RunStatus]:
    return [status_of(key, trainer) for key, trainer in trainers.items()]


@pytest.fixture
def view(gui):
    """A shown GatesView, 960×640."""
    view = GatesView(GRID)
    gui.addWidget(view)
    view.resize(960, 640)
    with gui.waitExposed(view):
        view.show()
    return view


def wait_drawn(gui, view) -> None:
    gui.waitUntil(lambda: all(s.scene.view.isExposed() and s.scene.view.isValid() for s in view.surfaces),
                  timeout=30_000)


def test_six_gates_make_six_mini_surfaces_in_two_rows_of_three(view):
    view.set_gates(list(GATES), list(GATES.values()))
    assert len(view.surfaces) == 6 and all(isinstance(s, MiniSurface) for s in view.surfaces)
    places = {view.cells.getItemPosition(view.cells.indexOf(s))[:2] for s in view.surfaces}
    assert places == {(row, column) for row in range(2) for column in range(3)}
    assert [s.title.text() for s in view.surfaces] == [
        "AND (0001)", "OR (0111)", "NAND (1110)", "NOR (1000)", "XOR (0110)", "XNOR (1001)"]
    for surface, targets in zip(view.surfaces, GATES.values(), strict=True):
        assert surface.scene.targets.pos[:, 2].tolist() == list(targets)  # each marker at its target's height
    with pytest.raises(ValueError, match="2 gates but 1 truth tables"):
        view.set_gates(["AND", "OR"], [GATES["AND"]])


def test_show_puts_each_runs_own_surface_and_texts_into_its_cell(view, gui, statuses):
    view.show(statuses)
    assert view.keys == list(GATES)
    for status, surface, ticks in zip(statuses, view.surfaces, view.ticks, strict=True):
        np.testing.assert_array_equal(surface.surface_z(), status.surface.astype(np.float32))
        assert surface.scene.surface.visible()
        loss, step = f"{status.loss:.3g}", f"{ITERATIONS:,}"
        assert surface.subtitle.text() == (f"loss {loss} · step {step} · solved ✓" if status.solved
                                           else f"loss {loss} · step {step}")
        marks = [ticks.text().count(mark) for mark in ("✓", "✗")]
        ok = np.abs(status.outputs - status.targets) < 0.1
        assert marks == [int(ok.sum()), int((~ok).sum())]
        assert f"{status.outputs[3]:.2f}" in ticks.text()
    assert [s.key for s in statuses if not s.solved] == ["XOR"]  # both subtitles were checked
    # one network's time is "—" until given; the stacked time is the statuses' (the largest)
    stack = max(s.us_per_step for s in statuses)
    assert view.readout.text() == f"6 networks: {stack:,.1f} µs per step · one network: — µs per step"
    view.set_single_network_us(12.345)
    assert view.readout.text() == f"6 networks: {stack:,.1f} µs per step · one network: 12.3 µs per step"
    view.set_single_network_us(float("nan"))
    assert view.readout.text().endswith("one network: — µs per step")


def test_a_status_without_a_surface_changes_only_the_texts(view, trainers, statuses):
    view.show(statuses)
    before = [s.surface_z() for s in view.surfaces]
    trainer = trainers["AND"]
    later = replace(status_of("AND", trainer, grid=None), iteration=ITERATIONS + 7)
    view.show([later, *statuses[1:]])
    np.testing.assert_array_equal(view.surfaces[0].surface_z(), before[0])
    assert f"step {ITERATIONS + 7:,}" in view.surfaces[0].subtitle.text()


def test_a_non_finite_surface_loss_or_output_never_reaches_the_screen(view, gui, statuses):
    view.show(statuses)
    wait_drawn(gui, view)
    surface = view.surfaces[4]
    gui.waitUntil(lambda: surface.frames_drawn >= 1, timeout=30_000)
    before, frames = surface.surface_z(), surface.frames_drawn
    for bad in (np.nan, np.inf, -np.inf):
        z = statuses[4].surface.copy()
        z[3, 5] = bad
        assert surface.set_surface(z) is False
        broken = replace(statuses[4], surface=z, loss=float("nan"), outputs=np.array([0.1, np.nan, 0.9, 0.0]))
        view.show([*statuses[:4], broken, statuses[5]])
        np.testing.assert_array_equal(surface.surface_z(), before)
        assert surface.subtitle.text() == "loss — · step 300"
        assert "nan" not in view.ticks[4].text().lower() and "—" in view.ticks[4].text()
    assert surface.set_surface(np.zeros((GRID + 1, GRID))) is False  # another grid's shape
    assert surface.frames_drawn == frames
    diverged = replace(statuses[4], diverged_at=123, loss=float("inf"))
    view.show([*statuses[:4], diverged, statuses[5]])
    assert surface.subtitle.text() == "diverged at step 123"


def test_the_surfaces_are_rebuilt_only_when_the_gates_change(view, gui, statuses):
    view.show(statuses)
    surfaces, ticks = list(view.surfaces), list(view.ticks)
    view.show(statuses)
    view.set_gates(list(GATES), [GATES["XOR"]] * 6)  # same gates, other targets: markers move, widgets stay
    assert view.surfaces == surfaces and all(a is b for a, b in zip(view.surfaces, surfaces, strict=True))
    assert view.ticks == ticks
    assert view.surfaces[0].scene.targets.pos[:, 2].tolist() == [0, 1, 1, 0]
    assert view.surfaces[0].title.text() == "AND (0110)"
    view.show([*statuses, replace(statuses[4], key="0110")])  # a seventh: a custom truth table
    assert len(view.surfaces) == 7 and not set(map(id, view.surfaces)) & set(map(id, surfaces))
    assert view.cells.getItemPosition(view.cells.indexOf(view.surfaces[6]))[:2] == (2, 0)
    gui.waitUntil(lambda: len(view.findChildren(MiniSurface)) == 7, timeout=30_000)  # the old ones are deleted
    assert view.readout.text().startswith("7 networks: ")


def test_clear_hides_the_surfaces_and_forgets_the_figures_but_keeps_the_gates(view, statuses):
    view.show(statuses)
    view.set_single_network_us(9.0)
    surfaces = list(view.surfaces)
    view.clear()
    assert view.surfaces == surfaces
    assert not any(s.scene.surface.visible() for s in view.surfaces)
    assert {s.subtitle.text() for s in view.surfaces} == {"—"} and {t.text() for t in view.ticks} == {"—"}
    assert view.readout.text() == "6 networks: — µs per step · one network: 9.0 µs per step"
    view.show(statuses)
    assert all(s.scene.surface.visible() for s in view.surfaces)


def surface_pixels(image: QImage, rect: QRect) -> int:
    """Pixels of the surface's colours in rect (viridis' teal and green; not the grey grid, not the dark)."""
    image = image.copy(rect).convertToFormat(QImage.Format.Format_RGB888)
    rgb = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    rgb = rgb.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 3].reshape(-1, 3).astype(int)
    r, g, b = rgb.T
    return int(((g > r + 40) & (g + 10 >= b) & (g > 80)).sum())


def test_each_cell_draws_its_surface(view, gui, statuses):
    view.show(statuses)
    wait_drawn(gui, view)
    gui.waitUntil(lambda: all(s.frames_drawn >= 1 for s in view.surfaces), timeout=30_000)
    shot = view.screenshot().toImage()
    ratio = shot.devicePixelRatio()
    for surface in view.surfaces:
        top_left = surface.scene.mapTo(view, QPoint(0, 0))
        rect = QRect(top_left * ratio, surface.scene.size() * ratio)
        assert surface_pixels(shot, rect) > 1500, (surface.title.text(), surface_pixels(shot, rect))
    view.clear()  # no surface: the same cells hold none of its colours
    blank = view.screenshot().toImage()
    assert all(surface_pixels(blank, QRect(s.scene.mapTo(view, QPoint(0, 0)) * ratio, s.scene.size() * ratio))
               < 50 for s in view.surfaces)


class Live:
    """A stand-in for the app's live-view object: counts the paints held inside busy()."""

    def __init__(self):
        self.entered = 0

    def busy(self):
        import contextlib

        self.entered += 1
        return contextlib.nullcontext()


def test_painting_holds_the_injected_live_objects_busy_and_counts_frames(gui, monkeypatch):
    from app.surface_view import GLView

    live = Live()
    surface = MiniSurface(GRID, live=live)
    gui.addWidget(surface)
    surface.resize(240, 200)
    surface.set_targets(GATES["XOR"])
    with gui.waitExposed(surface):
        surface.show()
    gui.waitUntil(lambda: surface.scene.view.isExposed() and surface.scene.view.isValid(), timeout=30_000)
    entered = live.entered
    z = np.linspace(0, 1, GRID * GRID).reshape(GRID, GRID)
    assert surface.set_surface(z)
    assert live.entered > entered  # drawn now, inside busy()
    assert surface.frames_drawn == 1
    surface.scene.view.orbit(20, 5)  # a paint of the same surface is not a new frame
    surface.scene.view._draw()
    assert surface.frames_drawn == 1
    scheduled = []
    update = GLView.update  # a repaint requested for later, on Qt's update timer
    monkeypatch.setattr(GLView, "update", lambda self: (None if self._drawing_now else scheduled.append(1),
                                                        update(self)))
    entered = live.entered
    assert surface.set_surface(z[::-1])
    assert surface.frames_drawn == 2 and live.entered == entered + 1  # one paint, in the call
    assert scheduled == []  # and none asked for later
    assert surface.minimumSize().width() >= 200 and surface.minimumSize().height() >= 170


def test_without_a_live_object_painting_holds_nothing(gui):
    import contextlib

    surface = MiniSurface(GRID)
    gui.addWidget(surface)
    assert surface.scene.view._busy is contextlib.nullcontext
    assert surface.scene.legend is None and surface.scene.labels.texts() == ["x1", "x2"]
    surface.set_targets(GATES["AND"])
    assert surface.scene.labels.texts() == ["x1", "x2"]  # no "t=" labels in a small view


def test_without_opengl_each_cell_says_why_and_the_texts_still_show(gui, monkeypatch, statuses):
    import app.surface_view as module
    from app.qt import StartupError

    def no_gl():
        raise StartupError("no OpenGL here")

    monkeypatch.setattr(module, "_gl", no_gl)
    view = GatesView(GRID)
    gui.addWidget(view)
    view.show(statuses)
    assert len(view.surfaces) == 6 and all(s.gl_failed for s in view.surfaces)
    assert view.surfaces[0].scene.message.text() == "The 3D view cannot be shown: no OpenGL here."
    assert view.surfaces[0].set_surface(statuses[0].surface) is False
    assert view.surfaces[0].subtitle.text().startswith("loss ")
    assert not view.screenshot().isNull()
    view.clear()


def test_the_truth_table_row_takes_two_lines_only_when_one_does_not_fit(gui):
    from app.gates_view import TickRow

    row = TickRow()
    gui.addWidget(row)
    assert row.text() == "—"
    row.set_rows([0.02, 0.97, np.nan, 0.5], [0, 1, 1, 0])
    row.resize(600, 40)
    with gui.waitExposed(row):  # a hidden widget gets its resize event only when shown
        row.show()
    assert "<br>" not in row.text() and row.text().count("✓") == 2 and row.text().count("✗") == 2
    assert [ok for _bits, _output, ok in row.rows] == [True, True, False, False]
    assert [output for _bits, output, _ok in row.rows] == ["0.02", "0.97", "—", "0.50"]
    row.resize(120, 40)
    gui.waitUntil(lambda: row.width() == 120, timeout=30_000)
    assert row.text().count("<br>") == 1
    row.set_rows(None, None)
    assert row.text() == "—"


def test_at_its_smallest_the_unit_cube_is_framed_and_a_double_click_puts_the_camera_back(gui):
    import itertools

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    surface = MiniSurface(GRID)
    gui.addWidget(surface)
    surface.resize(200, 170)
    with gui.waitExposed(surface):
        surface.show()
    window = surface.scene.view
    gui.waitUntil(lambda: window.isExposed() and window.width() > 0, timeout=30_000)
    assert surface.width() == 200 and surface.height() == 170
    cube = np.array(list(itertools.product((0, 1), repeat=3)), dtype=float)
    px = window.project(cube)
    assert ((px >= 4) & (px <= (window.width() - 4, window.height() - 4))).all(), px
    spread = (px.max(axis=0) - px.min(axis=0)) / (window.width(), window.height())
    assert spread.max() > 0.7, spread  # framed: the cube fills the view one way or the other
    start = dict(window.opts)
    window.orbit(40, -15)
    assert window.opts["azimuth"] != start["azimuth"]
    QTest.mouseDClick(window, Qt.MouseButton.LeftButton)
    gui.waitUntil(lambda: window.opts["azimuth"] == start["azimuth"], timeout=30_000)
    assert window.opts["distance"] == pytest.approx(start["distance"])
