"""The stacked engine (nn_core/stack.py): row k of a stack moves as ``Trainer`` moves seed k, for every
gradient method, activation, initialiser and optimizer, with weight decay and deeper nets; the divergence rule;
the (K, P) protocol; chunks."""

from dataclasses import replace

import numpy as np
import pytest

import nn_core.stack as stack_module
from nn_core.activations import ACTIVATIONS
from nn_core.config import TrainConfig
from nn_core.gates import INPUTS
from nn_core.initializers import INITIALIZERS
from nn_core.methods import METHODS, register
from nn_core.network import init_params, layer_views, logits, param_count
from nn_core.optimizers import OPTIMIZERS
from nn_core.stack import NumpyStack, make_stack, stack_logits
from nn_core.trainer import Trainer

TOLERANCE = 1e-9  # relative to the largest parameter of the network: the sums run in another order


def seeded(config: TrainConfig, seeds: int) -> np.ndarray:
    """``(K, P)``: seeds 0..K-1 of ``config``, as ``sweep`` starts them."""
    return np.stack([init_params(config.hidden, s, config.init) for s in range(seeds)])


def single_run(config: TrainConfig, seed: int) -> Trainer:
    trainer = Trainer(replace(config, seed=seed))
    trainer.run()
    return trainer


def assert_rows_are_the_single_runs(config: TrainConfig, seeds: int) -> NumpyStack:
    stack = make_stack(config, seeded(config, seeds))
    stack.advance(config.iterations)
    assert stack.params.shape == (seeds, param_count(config.hidden)) and stack.params.dtype == np.float64
    for k in range(seeds):
        trainer = single_run(config, k)
        single = trainer.network.params
        assert trainer.iteration > 0 and not np.array_equal(single, init_params(config.hidden, k, config.init))
        np.testing.assert_allclose(stack.params[k], single, rtol=TOLERANCE, atol=TOLERANCE * np.abs(single).max())
        assert stack.diverged[k] == (trainer.diverged_at is not None)
    return stack


# Each numerical method over fewer steps (each step is 2P or P + 1 loss evaluations); central and backprop over
# 2,000.  The defaults: XOR, 4 hidden sigmoid units, xavier, sgd at lr 2.
METHOD_STEPS = {"backprop": 2000, "central": 2000, "forward": 300, "staged": 300, "vectorized": 300}


@pytest.mark.parametrize("method", list(METHODS))
def test_every_method_moves_each_row_as_its_single_run(method):
    assert_rows_are_the_single_runs(TrainConfig(method=method, iterations=METHOD_STEPS[method]), 3)


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_every_activation(activation):
    assert_rows_are_the_single_runs(TrainConfig(activation=activation, lr=0.5, iterations=2000), 4)


@pytest.mark.parametrize("init", list(INITIALIZERS))
def test_every_initialiser(init):
    assert_rows_are_the_single_runs(TrainConfig(init=init, gate="OR", iterations=2000), 4)


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_every_optimizer(optimizer):
    assert_rows_are_the_single_runs(TrainConfig(optimizer=optimizer, lr=0.1, iterations=2000), 4)


def test_an_optimizers_own_options_reach_the_stack():
    assert_rows_are_the_single_runs(TrainConfig(optimizer="adam", lr=0.05, optimizer_options={"beta1": 0.5},
                                                activation="tanh", iterations=2000), 4)


def test_weight_decay():
    assert_rows_are_the_single_runs(TrainConfig(weight_decay=0.01, gate="XNOR", iterations=2000), 4)


@pytest.mark.parametrize("method", ["backprop", "staged"])
def test_a_deeper_net(method):
    config = TrainConfig(hidden=(8, 4), activation="tanh", lr=0.5, method=method,
                         iterations=2000 if method == "backprop" else 150)
    assert_rows_are_the_single_runs(config, 3)


def test_three_hidden_layers_with_relu_he_and_momentum():
    assert_rows_are_the_single_runs(TrainConfig(hidden=(4, 5, 3), activation="relu", init="he", optimizer="momentum",
                                                lr=0.05, iterations=2000), 4)


def test_a_method_registered_beyond_the_five_runs_through_its_own_gradient():
    calls = []

    def halved_backprop(objective, h):  # half the gradient: the same run as sgd at half the learning rate
        calls.append(objective.params.shape)
        return 0.5 * METHODS["backprop"].gradient(objective, h)

    register("halved", "Half backprop", "dL/dp / 2", "1 forward + 1 backward pass", lambda p: 1)(halved_backprop)
    try:
        stack = make_stack(TrainConfig(method="halved", lr=1.0), seeded(TrainConfig(), 3))
        stack.advance(200)
    finally:
        METHODS.pop("halved")
    assert calls == [(3, param_count((4,)))] * 200  # the chunk as a (w, P) stack, once a step
    for k in range(3):
        single = single_run(TrainConfig(lr=0.5, iterations=200), k).network.params
        np.testing.assert_allclose(stack.params[k], single, rtol=TOLERANCE, atol=TOLERANCE * np.abs(single).max())


# --- divergence ---------------------------------------------------------------------------------

def test_a_diverging_network_is_frozen_where_its_single_run_stopped():
    # weight decay at lr 4: every seed's weights grow past MAX_PARAM, each at its own step (around 204)
    config = TrainConfig(weight_decay=0.6, lr=4, iterations=300)
    stack = assert_rows_are_the_single_runs(config, 5)
    assert stack.diverged.all()
    steps = {single_run(config, k).diverged_at for k in range(5)}
    assert len(steps) > 1  # not all at one step: each row was frozen on its own
    frozen = stack.params
    stack.advance(50)
    np.testing.assert_array_equal(stack.params, frozen)
    assert np.isfinite(frozen).all()


def test_a_non_finite_update_freezes_that_network_only():
    # momentum with sigmoid (no guard): an infinite velocity in network 2 makes its update not finite
    config = TrainConfig(optimizer="momentum", lr=0.5, iterations=40)
    params = seeded(config, 5)
    poisoned, clean = make_stack(config, params), make_stack(config, params)
    poisoned.advance(10)
    clean.advance(10)
    before = poisoned.params
    poisoned._chunks[0].optimizer.v[:, 2] = np.inf
    poisoned.advance(30)
    clean.advance(30)
    assert poisoned.diverged.tolist() == [False, False, True, False, False]
    np.testing.assert_array_equal(poisoned.params[2], before[2])
    keep = [0, 1, 3, 4]
    np.testing.assert_array_equal(poisoned.params[keep], clean.params[keep])
    assert not clean.diverged.any()


# --- the protocol and the chunks ------------------------------------------------------------------

def test_advance_in_pieces_is_advance_at_once():
    config = TrainConfig(optimizer="adam", lr=0.05)
    params = seeded(config, 6)
    whole, pieces = make_stack(config, params), make_stack(config, params)
    whole.advance(300)
    for n in (0, 1, 99, 200):
        pieces.advance(n)
    np.testing.assert_array_equal(whole.params, pieces.params)


def test_the_stack_copies_its_parameters_and_hands_out_copies():
    config = TrainConfig()
    params = seeded(config, 3)
    start = params.copy()
    stack = make_stack(config, params)
    stack.advance(5)
    np.testing.assert_array_equal(params, start)
    stack.params[:] = 0.0
    stack.diverged[:] = True
    assert np.abs(stack.params).max() > 0 and not stack.diverged.any()


@pytest.mark.parametrize("method", ["backprop", "vectorized", "staged"])
def test_chunks_give_the_results_of_one_chunk(method, monkeypatch):
    config = TrainConfig(method=method, hidden=(3, 2), activation="tanh", optimizer="rmsprop", lr=0.05,
                         iterations=50)
    params = seeded(config, 23)
    one = make_stack(config, params)
    assert len(one._chunks) == 1
    one.advance(config.iterations)
    monkeypatch.setattr(stack_module, "CHUNK_A_NUMBERS", 5 * 3 * 4)  # 5 networks a chunk: 4 of 5, the last of 3
    chunked = make_stack(config, params)
    assert [c.params.shape[1] for c in chunked._chunks] == [5, 5, 5, 5, 3]
    chunked.advance(config.iterations)
    np.testing.assert_allclose(chunked.params, one.params, rtol=1e-12, atol=1e-12)


def test_stack_logits_are_the_networks_logits():
    config = TrainConfig(hidden=(5, 3), activation="relu", init="he")
    params = seeded(config, 7)
    expected = logits(layer_views(params, config.hidden), INPUTS, activation=ACTIVATIONS["relu"].f)[..., 0]
    np.testing.assert_allclose(stack_logits(config, params), expected, rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("shape", [(3,), (0, 17), (3, 16), (2, 3, 17)])
def test_parameters_of_the_wrong_shape_are_refused(shape):
    with pytest.raises(ValueError, match=r"a stack's parameters must have shape \(K, 17\)"):
        make_stack(TrainConfig(), np.zeros(shape))


def test_an_invalid_config_is_refused():
    with pytest.raises(ValueError, match="learning rate"):
        make_stack(TrainConfig(lr=-1.0), np.zeros((2, 17)))
