"""Issue 2 property tests: shapes, finiteness and determinism over hidden sizes, seeds,
gates and methods."""

from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_core.config import TrainConfig
from nn_core.gates import GATES, INPUTS, targets
from nn_core.methods import METHODS
from nn_core.network import Network, param_count, param_layout
from nn_core.objective import Objective
from nn_core.trainer import Trainer, grid_inputs

hidden_sizes = st.lists(st.integers(1, 8), min_size=1, max_size=3).map(tuple)
seeds = st.integers(0, 2**32 - 1)
gates = st.sampled_from(list(GATES))
methods = st.sampled_from(list(METHODS))
lrs = st.sampled_from([0.1, 2.0, 50.0])

SETTINGS = settings(max_examples=40, deadline=None)


def expected_shapes(hidden):
    sizes = [2, *hidden, 1]
    shapes = {}
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
        shapes[f"W{k}"] = (n_in, n_out)
        shapes[f"b{k}"] = (n_out,)
    return shapes


@SETTINGS
@given(hidden=hidden_sizes, seed=seeds)
def test_parameter_vector_and_named_views(hidden, seed):
    network = Network(hidden, seed)
    shapes = expected_shapes(hidden)
    assert network.params.shape == (sum(int(np.prod(s)) for s in shapes.values()),) == (param_count(hidden),)
    assert network.params.dtype == np.float64 and network.params.flags.c_contiguous
    named = network.named()
    assert list(named) == list(shapes)  # W1, b1, W2, b2, ... in vector order
    assert {k: v.shape for k, v in named.items()} == shapes
    # views, not copies: writing through a view changes the vector (a method perturbs in place)
    for name, view in named.items():
        assert np.shares_memory(view, network.params), name
    assert [cut.stop - cut.start for _, _, cut in param_layout(hidden)] == [int(np.prod(s)) for s in shapes.values()]
    # the seeded start: LeCun-normal weights, zero biases
    assert all(not np.any(named[f"b{k}"]) for k in range(1, len(hidden) + 2))
    assert np.all(np.isfinite(network.params))


@SETTINGS
@given(hidden=hidden_sizes, seed=seeds, gate=gates, method=methods)
def test_the_start_depends_only_on_seed_and_architecture(hidden, seed, gate, method):
    base = Trainer(TrainConfig(hidden=hidden, seed=seed))
    other = Trainer(TrainConfig(gate=gate, method=method, hidden=hidden, seed=seed, lr=0.5, h=1e-3))
    assert np.array_equal(base.network.params, other.network.params)
    assert np.array_equal(Network(hidden, seed).params, base.network.params)


@SETTINGS
@given(hidden=hidden_sizes, seed=seeds, gate=gates, method=methods)
def test_gradient_shape_and_finiteness(hidden, seed, gate, method):
    network = Network(hidden, seed)
    objective = Objective(network.params, hidden, targets(gate))
    grad = METHODS[method].gradient(objective, 1e-4)
    assert grad.shape == network.params.shape
    assert np.all(np.isfinite(grad))
    assert np.isfinite(objective.loss())


@SETTINGS
@given(hidden=hidden_sizes, seed=seeds, gate=gates, method=methods, lr=lrs, steps=st.integers(1, 6))
def test_training_is_deterministic_to_the_bit(hidden, seed, gate, method, lr, steps):
    config = TrainConfig(gate=gate, method=method, hidden=hidden, lr=lr, seed=seed, iterations=steps)
    first, second = Trainer(config), Trainer(config)
    first.run()
    for _ in range(steps):  # stepping by hand must be the same as run()
        assert second.step()
    assert first.iteration == second.iteration == steps
    assert first.network.params.tobytes() == second.network.params.tobytes()
    assert np.all(np.isfinite(first.network.params))
    third = Trainer(config)  # and reset() goes back to the same start
    third.run()
    third.reset()
    third.run()
    assert third.network.params.tobytes() == first.network.params.tobytes()


@SETTINGS
@given(hidden=hidden_sizes, seed=seeds, gate=gates, method=methods)
def test_outputs_surface_and_snapshot_shapes(hidden, seed, gate, method):
    trainer = Trainer(TrainConfig(gate=gate, method=method, hidden=hidden, seed=seed, iterations=3))
    trainer.run()
    outputs = trainer.outputs()
    assert outputs.shape == (4,) and np.all((outputs >= 0) & (outputs <= 1))
    n = 7
    surface = trainer.surface(n)
    assert surface.shape == (n, n) and np.all(np.isfinite(surface))
    # x1 along axis 0, x2 along axis 1: the corners are the truth-table rows
    corners = [surface[0, 0], surface[0, -1], surface[-1, 0], surface[-1, -1]]
    np.testing.assert_allclose(corners, outputs, rtol=0, atol=1e-15)
    np.testing.assert_allclose(surface[2, 5], trainer.network.predict(np.array([[2 / 6, 5 / 6]]))[0], atol=1e-15)
    snap = trainer.snapshot(grid=n)
    assert snap.iteration == 3 and snap.total == 3
    assert snap.outputs.shape == (4,) and snap.targets.shape == (4,)
    assert np.array_equal(snap.targets, np.array(GATES[gate], dtype=float))
    assert snap.surface.shape == (n, n)
    assert snap.history_steps.shape == snap.history_losses.shape
    assert snap.loss == trainer.loss() and np.isfinite(snap.loss)
    assert trainer.snapshot(grid=None).surface is None


def test_grid_inputs_rows():
    rows = grid_inputs(3)
    assert rows.shape == (9, 2)
    assert np.array_equal(rows[:3], [[0, 0], [0, 0.5], [0, 1]])  # x2 varies fastest
    assert np.array_equal(rows[[0, 2, 6, 8]], INPUTS)


@SETTINGS
@given(seed=seeds, method=methods)
def test_snapshot_arrays_are_copies(seed, method):
    trainer = Trainer(TrainConfig(method=method, seed=seed, iterations=4, hidden=(3,)))
    trainer.run(until=2)
    snap = trainer.snapshot(grid=5)
    kept = {name: getattr(snap, name).copy() for name in ("outputs", "targets", "surface", "history_steps")}
    trainer.run()
    for name, value in kept.items():
        assert np.array_equal(getattr(snap, name), value), name
    assert not np.array_equal(snap.outputs, trainer.outputs())


@SETTINGS
@given(hidden=hidden_sizes, seed=seeds, gate=gates)
def test_different_seeds_differ(hidden, seed, gate):
    config = TrainConfig(gate=gate, hidden=hidden, seed=seed)
    assert not np.array_equal(Trainer(config).network.params, Trainer(replace(config, seed=seed + 1)).network.params)
