"""The loss landscape view: the surface's middle is the current loss, the path's line starts at the initial
parameters' projection, the directions and the grid can be switched, snapshots are throttled and wait while the
view is hidden, a diverged network (NaN parameters) or a short path shows a sentence, and it is drawn."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from test_engine_landscape import trained

from app.inside import NetworkAt
from app.landscape_view import LandscapeView
from nn_core import landscape as engine
from nn_core.config import TrainConfig
from nn_core.trainer import Trainer


def network_at(config: TrainConfig, steps: int = 600, every: int = 20) -> NetworkAt:
    """``config`` trained ``steps`` steps, its parameters kept at step 0 and every ``every`` steps."""
    trainer, path, kept = trained(config, steps, every)
    return NetworkAt(config, trainer.network.params.copy(), trainer.iteration, trainer.loss(), kept, path)


@pytest.fixture(scope="module")
def xor() -> NetworkAt:
    return network_at(TrainConfig(gate="XOR", hidden=(4,), seed=0))


@pytest.fixture
def view(gui):
    view = LandscapeView()
    gui.addWidget(view)
    view.resize(900, 700)
    with gui.waitExposed(view):
        view.show()
    gui.waitUntil(lambda: view.scene.view.isExposed() and view.scene.view.isValid(), timeout=30_000)
    return view


def shown(gui, view, at: NetworkAt) -> None:
    """Hand ``at`` in and wait until it is the network drawn."""
    view.show_network(at)
    gui.waitUntil(lambda: view._drawn is at, timeout=30_000)


def drawn_pixels(view) -> np.ndarray:
    image = view.scene.grabFramebuffer()
    assert not image.isNull()
    ptr = image.convertToFormat(image.Format.Format_RGB32).constBits()
    return np.frombuffer(ptr, dtype=np.uint8).reshape(image.height(), image.width(), 4)


@pytest.mark.parametrize("config", [TrainConfig(gate="XOR", hidden=(4,), seed=0),
                                    TrainConfig(gate="OR", hidden=(4, 4), seed=2, activation="tanh", lr=0.5),
                                    TrainConfig(gate="NAND", hidden=(3,), seed=1, activation="relu", lr=0.3)],
                         ids=["xor", "or-4-4-tanh", "nand-relu"])
def test_the_surface_middle_is_the_current_loss(gui, view, config):
    at = network_at(config, 300)
    shown(gui, view, at)
    mid = engine.DEFAULT_POINTS // 2
    assert view.result.landscape.losses[mid, mid] == pytest.approx(at.loss, abs=1e-12)
    z = view.scene.surface_z()
    assert z.shape == (engine.DEFAULT_POINTS,) * 2
    assert z[mid, mid] == pytest.approx(float(view.scene.height(at.loss)), abs=1e-6)
    # the "now" marker sits there too
    assert np.allclose(view.scene.targets.pos[-1], (0.5, 0.5, z[mid, mid]), atol=1e-6)
    assert view.readout.text().startswith(f"Loss {at.loss:.4g} at step {at.step}.")


@pytest.mark.parametrize("method", ["pca", "random"])
def test_the_path_starts_at_the_initial_projection(gui, view, xor, method):
    view.directions.setCurrentIndex(view.directions.findData(method))
    shown(gui, view, xor)
    result = view.result
    assert result.directions.method == method
    d = result.directions
    alpha, beta = engine.project(xor.path_params[:1], xor.params, d.d1, d.d2)[0]
    grid = result.landscape
    start = view.scene.path.pos[0]
    assert start[0] == pytest.approx((alpha / grid.alphas[-1] + 1) / 2, abs=1e-6)
    assert start[1] == pytest.approx((beta / grid.betas[-1] + 1) / 2, abs=1e-6)
    on_plane = xor.params + alpha * d.d1 + beta * d.d2
    trainer = Trainer(xor.config)
    trainer.network.params[:] = on_plane
    assert start[2] == pytest.approx(float(view.scene.height(trainer.loss())), abs=1e-6)
    assert np.allclose(view.scene.targets.pos[0], start)  # the start marker
    assert "step 0" in view.scene.labels.texts()
    assert len(view.scene.path.pos) == len(xor.path_steps)
    assert np.isfinite(view.scene.path.pos).all() and np.isfinite(view.scene.surface_z()).all()


def test_switching_directions_and_grid(gui, view, xor):
    shown(gui, view, xor)
    assert view.result.directions.method == "pca"
    assert "principal directions" in view.readout.text()
    before = view.computations
    view.directions.setCurrentIndex(view.directions.findData("random"))
    assert view.computations == before + 1  # at once, not throttled: the learner asked for it
    assert view.result.directions.method == "random"
    assert "random, filter-normalised" in view.readout.text()
    view.resolution.setCurrentIndex(view.resolution.findData(31))
    assert view.scene.surface_z().shape == (31, 31)
    assert view.result.landscape.losses[15, 15] == pytest.approx(xor.loss, abs=1e-12)
    view.directions.setCurrentIndex(view.directions.findData("pca"))
    assert view.result.directions.method == "pca"


def test_it_is_drawn(gui, view, xor):
    shown(gui, view, xor)
    pixels = drawn_pixels(view)
    assert len(np.unique(pixels.reshape(-1, 4), axis=0)) > 100  # a colour-mapped surface, not a blank
    assert view.last_cost_ms is not None and view.last_cost_ms > 0


def test_snapshots_are_throttled_and_the_newest_is_drawn(gui, view, xor):
    shown(gui, view, xor)
    first = view.computations
    later = [replace(xor, step=xor.step + k, live=True) for k in range(1, 6)]
    for at in later:  # faster than MIN_INTERVAL: at most one is computed at once, the newest when it is over
        view.show_network(at)
    assert view.computations <= first + 1
    gui.waitUntil(lambda: view._drawn is later[-1], timeout=30_000)
    assert view.computations <= first + 2
    assert "now, step 605" in view.scene.labels.texts()


def test_a_network_not_training_is_drawn_at_once_even_just_after_another(gui, view, xor):
    shown(gui, view, replace(xor, live=True))
    ended = replace(xor, step=xor.step + 1, live=False)  # the run's end, a pause or a replayed step
    view.show_network(ended)
    assert view._drawn is ended  # not held back by the throttle: a screenshot taken now shows it


def test_a_hidden_view_computes_when_shown(gui, xor):
    view = LandscapeView()
    gui.addWidget(view)
    view.show_network(xor)
    assert view.computations == 0
    with gui.waitExposed(view):
        view.show()
    gui.waitUntil(lambda: view.computations == 1, timeout=30_000)
    assert view.result.landscape.losses[engine.DEFAULT_POINTS // 2, engine.DEFAULT_POINTS // 2] == \
        pytest.approx(xor.loss, abs=1e-12)


def test_nan_parameters_show_a_sentence_not_a_surface(gui, view, xor):
    shown(gui, view, xor)
    broken = replace(xor, params=np.full_like(xor.params, np.nan), loss=float("nan"), step=xor.step + 1)
    shown(gui, view, broken)
    assert view.result is None
    assert not view.scene.surface.visible() and not view.scene.path.visible()
    assert not view.scene.targets.visible()
    assert "not finite" in view.readout.text() and "nan" not in view.readout.text().lower()
    assert not any("nan" in text.lower() for text in view.scene.labels.texts())
    drawn_pixels(view)  # still draws (the axes), without a paint error
    shown(gui, view, xor)  # and comes back
    assert view.scene.surface.visible() and view.result is not None


def test_a_nan_row_in_the_path_is_left_out(gui, view, xor):
    path = xor.path_params.copy()
    path[3] = np.nan
    at = replace(xor, path_params=path)
    shown(gui, view, at)
    assert len(view.scene.path.pos) == len(path) - 1
    assert np.isfinite(view.scene.path.pos).all()


@pytest.mark.parametrize("kept", [0, 1])
def test_a_short_path_says_why_the_directions_are_random(gui, view, xor, kept):
    at = replace(xor, path_steps=xor.path_steps[:kept], path_params=xor.path_params[:kept])
    shown(gui, view, at)
    assert view.result.directions.fallback == engine.SHORT_PATH
    assert "fewer than 3 kept steps" in view.readout.text()
    assert view.scene.path.visible() is False
    # a path of one kept step is its start, marked; with none only "now" is
    assert len(view.scene.targets.pos) == 1 + kept
    assert ("step 0" in view.scene.labels.texts()) == bool(kept)


def test_a_mismatched_path_shows_why(gui, view, xor):
    at = replace(xor, path_params=np.zeros((3, len(xor.params) + 1)), path_steps=np.arange(3))
    shown(gui, view, at)
    assert view.result is None
    assert "cannot be computed" in view.readout.text()


def test_a_landscape_that_overflows_everywhere_is_drawn_at_the_top(gui, view, xor):
    result = engine.compute(xor.config, xor.params, xor.path_params, xor.path_steps, n=5)
    grid = replace(result.landscape, losses=np.full((5, 5), np.inf), point_losses=np.full(len(xor.path_steps), np.inf))
    assert view.scene.show_result(replace(result, landscape=grid, path_losses=grid.point_losses), xor.step)
    assert np.array_equal(view.scene.surface_z(), np.ones((5, 5)))
    assert np.isfinite(view.scene.path.pos).all()
    drawn_pixels(view)


def test_a_large_network_gets_a_coarser_grid_so_the_window_keeps_answering(gui, view):
    from app.landscape_view import GRID_BUDGET, MIN_GRID, fitting_grid

    assert fitting_grid(61, 17) == 61  # the default network: the grid chosen
    big = TrainConfig(gate="XOR", hidden=(64, 64, 64), seed=0)
    at = network_at(big, steps=3, every=1)
    n = fitting_grid(61, at.params.size)
    assert MIN_GRID <= n < 61 and n % 2 == 1 and n * n * at.params.size <= GRID_BUDGET
    shown(gui, view, at)
    assert view.result.landscape.losses.shape == (n, n)
    middle = n // 2
    assert view.result.landscape.losses[middle, middle] == pytest.approx(at.loss, abs=1e-12)  # still the origin
    assert f"A grid of {n} × {n} for a network this large" in view.readout.text()
