"""The loss landscape (nn_core.landscape): the grid's middle is the current loss, the path starts at the initial
parameters' projection, PCA directions are orthonormal, filter normalisation, one batched pass equals Trainer's
losses, the fallbacks and the refusals."""

from __future__ import annotations

import numpy as np
import pytest

from nn_core import landscape as L
from nn_core.config import TrainConfig
from nn_core.network import param_count, param_layout
from nn_core.trainer import Trainer

CONFIGS = [
    TrainConfig(gate="XOR", hidden=(4,), seed=0),
    TrainConfig(gate="XOR", hidden=(4, 4), seed=3, activation="tanh", lr=0.5),
    TrainConfig(gate="AND", hidden=(3,), seed=5, activation="relu", lr=0.3),
    TrainConfig(gate="XNOR", hidden=(2, 3, 2), seed=1, activation="tanh", lr=0.5),
]


def trained(config: TrainConfig, steps: int = 400, every: int = 20):
    """A Trainer after ``steps`` steps and its path: the parameters at step 0 and every ``every`` steps."""
    trainer = Trainer(config)
    path, kept = [trainer.network.params.copy()], [0]
    for i in range(1, steps + 1):
        trainer.step()
        if i % every == 0:
            path.append(trainer.network.params.copy())
            kept.append(i)
    return trainer, np.array(path), np.array(kept)


def loss_at(config: TrainConfig, params) -> float:
    trainer = Trainer(config)
    trainer.network.params[:] = params
    return trainer.loss()


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: f"{c.gate}-{c.hidden}-{c.activation}")
@pytest.mark.parametrize("method", ["pca", "random"])
def test_the_middle_of_the_grid_is_the_current_loss(config, method):
    trainer, path, kept = trained(config)
    result = L.compute(config, trainer.network.params, path, kept, method, n=21)
    grid = result.landscape
    assert grid.alphas[10] == 0 and grid.betas[10] == 0
    assert grid.losses[10, 10] == pytest.approx(trainer.loss(), abs=1e-12)
    assert result.directions.method == method


@pytest.mark.parametrize("config", CONFIGS[:3], ids=lambda c: f"{c.gate}-{c.hidden}-{c.activation}")
@pytest.mark.parametrize("method", ["pca", "random"])
def test_the_path_starts_at_the_initial_parameters_projection(config, method):
    trainer, path, kept = trained(config)
    initial = Trainer(config).network.params
    assert np.array_equal(path[0], initial)
    result = L.compute(config, trainer.network.params, path, kept, method, n=11)
    d = result.directions
    start = L.project(initial[None], trainer.network.params, d.d1, d.d2)[0]
    assert np.allclose(result.path_coords[0], start, atol=1e-12)
    assert result.path_steps[0] == 0
    # the path's z is the loss at the projected point, from the same batch as the grid
    on_plane = trainer.network.params + start[0] * d.d1 + start[1] * d.d2
    assert result.path_losses[0] == pytest.approx(loss_at(config, on_plane), abs=1e-12)
    # the path ends where the network is now: the plane's origin
    assert np.allclose(result.path_coords[-1], 0, atol=1e-12)
    assert (result.path_coords[0] >= 0).all()  # both kinds signed alike: the path runs from + to the origin


def test_pca_directions_are_orthonormal_and_explain_the_path():
    config = CONFIGS[1]
    trainer, path, _kept = trained(config, 600)
    d = L.pca_directions(path, trainer.network.params, config)
    assert d.method == "pca" and d.fallback is None
    basis = np.array([d.d1, d.d2])
    assert np.allclose(basis @ basis.T, np.eye(2), atol=1e-12)
    assert 0 < d.explained <= 1
    # against a hand-made PCA: the centred rows' top two right singular vectors, up to sign
    rows = path - trainer.network.params
    rows = rows - rows.mean(axis=0)
    _u, s, vt = np.linalg.svd(rows, full_matrices=False)
    assert abs(abs(vt[0] @ d.d1) - 1) < 1e-9 and abs(abs(vt[1] @ d.d2) - 1) < 1e-9
    assert d.explained == pytest.approx((s[0] ** 2 + s[1] ** 2) / (s**2).sum())


def test_a_path_in_a_plane_is_projected_exactly():
    config = CONFIGS[0]
    rng = np.random.default_rng(0)
    center = rng.normal(size=param_count(config.hidden))
    u, v = np.linalg.qr(rng.normal(size=(len(center), 2)))[0].T
    coords = rng.normal(size=(30, 2))
    path = center + coords[:, :1] * u + coords[:, 1:] * v
    d = L.pca_directions(path, center, config)
    assert d.method == "pca" and d.explained == pytest.approx(1.0)
    back = L.project(path, center, d.d1, d.d2)
    # the same plane: each point is rebuilt from its coordinates
    assert np.allclose(center + back[:, :1] * d.d1 + back[:, 1:] * d.d2, path, atol=1e-10)


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: f"{c.gate}-{c.hidden}-{c.activation}")
def test_filter_normalisation_gives_each_unit_its_own_norm(config):
    trainer, _path, _kept = trained(config, 100)
    params = trainer.network.params
    d = L.random_directions(config, params, seed=7)
    assert d.method == "random" and d.explained is None
    layout = param_layout(config.hidden)
    for direction in (d.d1, d.d2):
        for (_w, (n_in, n_out), w_cut), (_b, _shape, b_cut) in zip(layout[0::2], layout[1::2], strict=True):
            for j in range(n_out):
                unit = np.r_[params[w_cut].reshape(n_in, n_out)[:, j], params[b_cut][j]]
                part = np.r_[direction[w_cut].reshape(n_in, n_out)[:, j], direction[b_cut][j]]
                assert np.linalg.norm(part) == pytest.approx(np.linalg.norm(unit), rel=1e-12)
    again = L.random_directions(config, params, seed=7)
    other = L.random_directions(config, params, seed=8)
    assert np.array_equal(again.d1, d.d1) and not np.allclose(other.d1, d.d1)
    assert not np.allclose(d.d1, d.d2)


def test_zero_parameters_still_give_a_plane():
    config = CONFIGS[0]
    d = L.random_directions(config, np.zeros(param_count(config.hidden)))
    assert np.linalg.norm(d.d1) == pytest.approx(1) and np.linalg.norm(d.d2) == pytest.approx(1)


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: f"{c.gate}-{c.hidden}-{c.activation}")
def test_one_batched_pass_equals_trainer_losses(config):
    trainer, path, _kept = trained(config, 200)
    params = trainer.network.params
    d = L.pca_directions(path, params, config)
    points = np.array([[0.3, -0.2], [-1.1, 0.7]])
    grid = L.landscape(config, params, d.d1, d.d2, (1.5, 0.5), 7, points)
    assert grid.losses.shape == (7, 7) and grid.point_losses.shape == (2,)
    for i, j in [(0, 0), (0, 6), (2, 5), (6, 1), (3, 3)]:
        expected = loss_at(config, params + grid.alphas[i] * d.d1 + grid.betas[j] * d.d2)
        assert grid.losses[i, j] == pytest.approx(expected, abs=1e-12), (i, j)
    for (a, b), got in zip(points, grid.point_losses, strict=True):
        assert got == pytest.approx(loss_at(config, params + a * d.d1 + b * d.d2), abs=1e-12)
    assert grid.alphas[0] == -1.5 and grid.alphas[-1] == 1.5 and grid.betas[-1] == 0.5


def test_one_stacked_forward_pass(monkeypatch):
    """The grid and the path's points are one call of the stacked forward pass."""
    calls = []
    real = L.stack_logits

    def counting(config, params):
        calls.append(params.shape)
        return real(config, params)

    monkeypatch.setattr(L, "stack_logits", counting)
    config = CONFIGS[0]
    trainer, path, kept = trained(config, 200)
    L.compute(config, trainer.network.params, path, kept, "pca", n=9)
    assert calls == [(81 + len(path), param_count(config.hidden))]


def test_a_stack_made_in_blocks_gives_the_same_losses(monkeypatch):
    config = CONFIGS[1]
    trainer, path, kept = trained(config, 200)
    whole = L.compute(config, trainer.network.params, path, kept, "pca", n=9)
    monkeypatch.setattr(L, "BLOCK_NUMBERS", 7 * param_count(config.hidden))  # 7 networks a block: 12 blocks
    blocks = L.compute(config, trainer.network.params, path, kept, "pca", n=9)
    assert np.allclose(blocks.landscape.losses, whole.landscape.losses, rtol=0, atol=1e-14)
    assert np.allclose(blocks.path_losses, whole.path_losses, rtol=0, atol=1e-14)


def test_pca_of_a_wide_network_takes_the_small_side():
    """P > T: the directions come from the QR route, and they are the SVD's."""
    config = TrainConfig(gate="XOR", hidden=(16, 16))
    rng = np.random.default_rng(1)
    count = param_count(config.hidden)
    path = np.cumsum(rng.normal(size=(20, count)), axis=0)
    d = L.pca_directions(path, path[-1], config)
    rows = path - path[-1]
    _u, s, vt = np.linalg.svd(rows - rows.mean(axis=0), full_matrices=False)
    assert abs(abs(vt[0] @ d.d1) - 1) < 1e-9 and abs(abs(vt[1] @ d.d2) - 1) < 1e-9
    assert abs(d.d1 @ d.d2) < 1e-12 and np.linalg.norm(d.d1) == pytest.approx(1)


@pytest.mark.parametrize("path_length", [0, 1, 2])
def test_a_short_path_falls_back_to_random_directions(path_length):
    config = CONFIGS[0]
    trainer, path, kept = trained(config, 40)
    result = L.compute(config, trainer.network.params, path[:path_length], kept[:path_length], "pca", n=5)
    assert result.directions.method == "random" and result.directions.fallback == "fewer than 3 kept steps"
    assert result.landscape.losses[2, 2] == pytest.approx(trainer.loss(), abs=1e-12)
    assert result.path_coords.shape == (path_length, 2)


def test_a_straight_path_falls_back_to_random_directions():
    config = CONFIGS[0]
    center = Trainer(config).network.params
    line = center + np.linspace(0, 1, 10)[:, None] * np.arange(1.0, len(center) + 1)
    d = L.pca_directions(line, center, config)
    assert d.method == "random" and d.fallback == "the path has rank < 2"
    d = L.pca_directions(np.repeat(center[None], 5, axis=0), center, config)
    assert d.method == "random" and d.fallback == "the path has rank < 2"


def test_overflow_is_inf_never_nan():
    config = TrainConfig(gate="XOR", hidden=(4,), activation="relu")
    params = Trainer(config).network.params * 1e150
    d = L.random_directions(config, params)
    grid = L.landscape(config, params, d.d1, d.d2, 1e160, 5)
    assert not np.isnan(grid.losses).any()
    assert np.isinf(grid.losses).any()


def test_bad_input_is_refused():
    config = CONFIGS[0]
    count = param_count(config.hidden)
    params, d = np.zeros(count), np.ones(count)
    with pytest.raises(ValueError, match="odd"):
        L.landscape(config, params, d, d, 1.0, 4)
    with pytest.raises(ValueError, match="span"):
        L.landscape(config, params, d, d, 0.0, 5)
    with pytest.raises(ValueError, match="shape"):
        L.landscape(config, np.zeros(count + 1), d, d, 1.0, 5)
    with pytest.raises(ValueError, match="finite"):
        L.landscape(config, np.full(count, np.nan), d, d, 1.0, 5)
    with pytest.raises(ValueError, match="points"):
        L.landscape(config, params, d, d, 1.0, 5, np.zeros(3))
    with pytest.raises(ValueError, match="path"):
        L.pca_directions(np.zeros((4, count - 1)), params, config)
    with pytest.raises(ValueError, match="plane"):
        L.project(np.zeros((2, count)), params, d, 2 * d)
    with pytest.raises(ValueError, match="directions"):
        L.compute(config, params, np.zeros((0, count)), method="sideways")
    with pytest.raises(ValueError, match="path_steps"):
        L.compute(config, params, np.zeros((3, count)), np.arange(2))
