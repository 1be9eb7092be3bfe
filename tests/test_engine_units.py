"""nn_core.units.unit_maps: every unit's output over the unit square, the output's map being Trainer.surface."""

import warnings

import numpy as np
import pytest

from nn_core.activations import ACTIVATIONS, sigmoid
from nn_core.config import TrainConfig
from nn_core.network import Network, param_count, param_layout
from nn_core.trainer import Trainer
from nn_core.units import unit_maps


@pytest.mark.parametrize("hidden", [(2,), (4,), (4, 4), (8, 4, 3)])
@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_the_output_map_is_the_trainers_surface_to_the_bit(hidden, activation):
    trainer = Trainer(TrainConfig(gate="XOR", hidden=hidden, activation=activation, iterations=200, seed=3))
    trainer.run()
    for n in (2, 7, 50):
        maps = unit_maps(trainer.network, n)
        assert len(maps) == len(hidden) + 1
        assert [m.shape for m in maps[:-1]] == [(n, n, h) for h in hidden] and maps[-1].shape == (n, n)
        assert np.array_equal(maps[-1], trainer.surface(n))


def test_hidden_maps_are_each_units_activation_at_each_grid_point():
    """A hand-built (2, 3) network, every map computed point by point: x1 = i/(n−1) along the first axis."""
    rng = np.random.default_rng(5)
    hidden = (2, 3)
    params = rng.normal(0.0, 2.0, param_count(hidden))
    named = {name: params[cut].reshape(shape) for name, shape, cut in param_layout(hidden)}
    n = 5
    for activation in ("sigmoid", "tanh", "relu"):
        f = {"sigmoid": lambda a: 1 / (1 + np.exp(-a)), "tanh": np.tanh, "relu": lambda a: max(a, 0.0)}[activation]
        first, second, out = unit_maps(Network(hidden, params=params, activation=activation), n)
        for i in range(n):
            for j in range(n):
                x = (i / (n - 1), j / (n - 1))
                h1 = [f(x[0] * named["W1"][0, u] + x[1] * named["W1"][1, u] + named["b1"][u]) for u in range(2)]
                h2 = [f(sum(h1[k] * named["W2"][k, u] for k in range(2)) + named["b2"][u]) for u in range(3)]
                y = 1 / (1 + np.exp(-(sum(h2[k] * named["W3"][k, 0] for k in range(3)) + named["b3"][0])))
                assert first[i, j] == pytest.approx(h1, abs=1e-12)
                assert second[i, j] == pytest.approx(h2, abs=1e-12)
                assert out[i, j] == pytest.approx(y, abs=1e-12)


def test_the_corners_are_the_truth_table_rows():
    net = Network((2,), params=np.array([20.0, -20.0, 20.0, -20.0, -10.0, 30.0, 20.0, 20.0, -30.0]))  # the book's
    h, y = unit_maps(net, 11)
    corners = [(0, 0), (0, -1), (-1, 0), (-1, -1)]  # rows 00, 01, 10, 11
    assert [round(float(h[c][0])) for c in corners] == [0, 1, 1, 1]  # h1 ≈ OR
    assert [round(float(h[c][1])) for c in corners] == [1, 1, 1, 0]  # h2 ≈ NAND
    assert [round(float(y[c])) for c in corners] == [0, 1, 1, 0]  # XOR
    s10 = float(sigmoid(np.array(10.0)))  # the middle (0.5, 0.5): both hidden units at sigmoid(10)
    assert h[5, 5].tolist() == pytest.approx([s10, s10])
    assert float(y[5, 5]) == pytest.approx(1 / (1 + np.exp(30 - 40 * s10)))


def test_non_finite_parameters_give_non_finite_maps_without_a_warning():
    params = np.full(param_count((2,)), np.nan)
    huge = np.array([1e308, 1e308, 1e308, 1e308, 0, 0, 1e308, -1e308, 0.0])  # at 11: inf - inf
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h, y = unit_maps(Network((2,), params=params), 4)
        assert np.isnan(h).all() and np.isnan(y).all()
        h, y = unit_maps(Network((2,), params=huge, activation="relu"), 4)
        assert np.isinf(h[-1, -1]).all() and np.isnan(y[-1, -1]) and np.isfinite(y[0, 0])


def test_a_grid_has_two_points_a_side():
    with pytest.raises(ValueError, match="at least 2"):
        unit_maps(Network((2,)), 1)
