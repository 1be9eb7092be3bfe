"""Issue 4, numbers at the edges: sigmoid and loss for any finite input, and every method at
lr up to 1e6, weights of ±1e4, h from 1e-12 to 1e-1 and the largest hidden layer the UI allows.
Warnings are errors here (pyproject), so an overflow or divide warning fails these tests."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nn_core.config import H_RANGE, MAX_HIDDEN, MAX_LR, TrainConfig
from nn_core.gates import targets
from nn_core.methods import METHODS
from nn_core.network import bce_from_logits, sigmoid
from nn_core.objective import Objective
from nn_core.trainer import Trainer

finite = st.floats(allow_nan=False, allow_infinity=False)
logit_columns = hnp.arrays(np.float64, (4, 1), elements=finite)
EDGES = np.array([0.0, 5e-324, -5e-324, 1.0, -1.0, 36.0, -36.0, 709.0, -709.0, 710.0, -710.0, 745.0, -745.0,
                  1e4, -1e4, 1e300, -1e300, np.finfo(float).max, -np.finfo(float).max])


def test_sigmoid_at_the_edges():
    s = sigmoid(EDGES.copy())
    assert np.all(np.isfinite(s)) and np.all((s >= 0) & (s <= 1))
    assert sigmoid(np.array([np.finfo(float).max]))[0] == 1.0
    assert sigmoid(np.array([-np.finfo(float).max]))[0] == 0.0
    assert sigmoid(np.array([0.0]))[0] == 0.5


@settings(max_examples=300, deadline=None)
@given(hnp.arrays(np.float64, st.integers(1, 20), elements=finite))
def test_sigmoid_is_finite_bounded_monotone_and_symmetric(a):
    s = sigmoid(a.copy())
    assert np.all(np.isfinite(s)) and np.all((s >= 0) & (s <= 1))
    order = np.argsort(a, kind="stable")
    assert np.all(np.diff(s[order]) >= 0)
    np.testing.assert_allclose(s + sigmoid(-a), 1.0, rtol=0, atol=2 * np.finfo(float).eps)


def test_sigmoid_matches_the_textbook_formula_where_that_is_safe():
    a = np.linspace(-30, 30, 2001)
    np.testing.assert_allclose(sigmoid(a.copy()), 1 / (1 + np.exp(-a)), rtol=0, atol=1e-15)


@settings(max_examples=300, deadline=None)
@given(logit_columns, st.sampled_from(["AND", "XOR", "NOR", "XNOR"]))
def test_loss_is_finite_and_non_negative_for_any_finite_logits(a, gate):
    t = targets(gate)
    loss = bce_from_logits(a, t)
    assert np.isfinite(loss) and loss >= 0
    # each row costs about |a| when it is confidently wrong, about 0 when confidently right
    wrong = np.where(t == 1, -a, a)
    assert loss <= (np.sum(np.maximum(wrong, 0) / 4) + np.log(2)) * (1 + 8 * np.finfo(float).eps)


def test_loss_matches_the_textbook_formula_where_that_is_safe():
    rng = np.random.default_rng(0)
    for gate in ("AND", "OR", "XOR"):
        t = targets(gate)
        a = rng.normal(0, 5, (50, 4, 1))
        y = 1 / (1 + np.exp(-a))
        naive = -np.mean(t * np.log(y) + (1 - t) * np.log(1 - y), axis=(1, 2))
        np.testing.assert_allclose(bce_from_logits(a, t), naive, rtol=1e-12)


def test_loss_at_the_largest_logits():
    big = np.finfo(float).max
    t = targets("AND")  # (0, 0, 0, 1)
    assert bce_from_logits(np.full((4, 1), -big), t) == pytest.approx(big / 4)  # one row wrong
    assert bce_from_logits(np.where(t == 1, -big, big), t) == pytest.approx(big)  # all four wrong
    assert bce_from_logits(np.where(t == 1, big, -big), t) == 0.0  # all right


def large_weights(trainer, seed=0):
    """Every parameter ±1e4 (random signs), written into the live vector."""
    signs = np.random.default_rng(seed).choice([-1.0, 1.0], trainer.network.size)
    trainer.network.params[:] = 1e4 * signs


def assert_sane(trainer):
    assert trainer.diverged_at is None
    assert np.all(np.isfinite(trainer.network.params))
    assert np.isfinite(trainer.loss())
    outputs = trainer.outputs()
    assert np.all((outputs >= 0) & (outputs <= 1))
    assert np.all(np.isfinite(trainer.surface(20)))
    snap = trainer.snapshot(grid=10)
    assert np.isfinite(snap.loss) and np.all(np.isfinite(snap.history_losses))


@pytest.mark.parametrize("hidden", [(1,), (MAX_HIDDEN,), (8, 8)], ids=["1", str(MAX_HIDDEN), "8x8"])
@pytest.mark.parametrize("h", [H_RANGE[0], 1e-6, H_RANGE[1]], ids=["h1e-12", "h1e-6", "h1e-1"])
@pytest.mark.parametrize("key", list(METHODS))
def test_every_method_at_the_edges(key, h, hidden):
    for start in ("seeded", "large weights"):
        trainer = Trainer(TrainConfig(gate="XOR", method=key, hidden=hidden, lr=MAX_LR, h=h, iterations=6))
        if start == "large weights":
            large_weights(trainer)
        trainer.run(on_snapshot=lambda s: None, every_steps=2, grid=8)
        assert trainer.iteration == 6, start
        assert_sane(trainer)


@pytest.mark.parametrize("key", list(METHODS))
def test_gradients_at_large_weights_are_finite_and_agree(key):
    """Saturated sigmoids: the gradient is finite and (where not tiny) still matches backprop."""
    trainer = Trainer(TrainConfig(hidden=(MAX_HIDDEN,)))
    large_weights(trainer, seed=1)
    objective = Objective(trainer.network.params.copy(), trainer.config.hidden, trainer.targets)
    grad = METHODS[key].gradient(objective, 1e-4)
    backprop = METHODS["backprop"].gradient(Objective(objective.params.copy(), objective.hidden, objective.targets), 0)
    assert np.all(np.isfinite(grad))
    np.testing.assert_allclose(grad, backprop, rtol=1e-3, atol=1e-6)


@pytest.mark.parametrize("hidden", [(MAX_HIDDEN,), (2,), (8, 8)], ids=[str(MAX_HIDDEN), "2", "8x8"])
def test_long_run_at_the_largest_learning_rate(hidden):
    trainer = Trainer(TrainConfig(gate="XOR", method="backprop", hidden=hidden, lr=MAX_LR, iterations=20_000))
    large_weights(trainer, seed=2)
    trainer.run()
    assert trainer.iteration == 20_000
    assert_sane(trainer)


@pytest.mark.parametrize("key", ["forward", "staged", "central", "vectorized"])
def test_tiny_h_at_large_weights_stays_finite(key):
    """p + 1e-12 == p when |p| = 1e4 (ulp ~1.8e-12): the difference quotient is then 0
    or ~eps·L/h, never a NaN or a warning."""
    trainer = Trainer(TrainConfig(method=key, hidden=(4,), h=H_RANGE[0], lr=MAX_LR, iterations=3))
    large_weights(trainer, seed=3)
    trainer.run()
    assert_sane(trainer)
