"""Issue 2: every gradient method against backprop and against a finite-difference
reference written here from docs/design.md's equations (no nn_core forward pass), and
the work each method does against its cost model."""

import numpy as np
import pytest

from nn_core.gates import GATES, targets
from nn_core.methods import METHODS
from nn_core.network import Network
from nn_core.objective import Objective

EPS = np.finfo(float).eps
ROWS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])  # docs/design.md's truth-table order

# (hidden layers, gate, seed of the random parameters, their scale)
CASES = [
    ((1,), "XOR", 1, 1.5),
    ((2,), "AND", 2, 1.0),
    ((4,), "XOR", 3, 1.5),
    ((4,), "NAND", 4, 2.0),
    ((7,), "OR", 5, 1.0),
    ((3, 5), "XOR", 6, 1.5),  # two hidden layers
    ((4, 4), "XNOR", 7, 1.0),
    ((2, 3, 2), "NOR", 8, 1.5),  # three
]
CASE_IDS = [f"{'x'.join(map(str, h))}-{g}" for h, g, _, _ in CASES]


# --- the reference, from docs/design.md alone ------------------------------------------

def reference_layers(params, hidden):
    """W1 (2,H1), b1 (H1,), W2 (H1,H2), ... in that order, row-major, from one flat vector."""
    sizes = [2, *hidden, 1]
    layers, at = [], 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        w = params[at:at + n_in * n_out].reshape(n_in, n_out)
        at += n_in * n_out
        b = params[at:at + n_out]
        at += n_out
        layers.append((w, b))
    assert at == params.size
    return layers


def reference_loss(params, hidden, gate):
    """A = Z W + b, Z = 1/(1+e^-A) layer by layer; L = -(1/4) Σ t log y + (1-t) log(1-y)."""
    z = ROWS
    for w, b in reference_layers(params, hidden):
        z = 1.0 / (1.0 + np.exp(-(z @ w + b)))
    y, t = z[:, 0], np.array(GATES[gate], dtype=float)
    return -np.mean(t * np.log(y) + (1 - t) * np.log(1 - y))


def reference_gradient(params, hidden, gate, h=1e-3):
    """Central differences with Richardson extrapolation: error O(h^4) ~ 1e-12."""
    def central(step):
        grad = np.empty_like(params)
        for i in range(params.size):
            e = np.zeros_like(params)
            e[i] = step
            grad[i] = (reference_loss(params + e, hidden, gate) - reference_loss(params - e, hidden, gate)) / (2 * step)
        return grad
    return (4 * central(h / 2) - central(h)) / 3


def reference_curvature(params, hidden, gate, d=1e-4):
    """The diagonal second derivatives d²L/dp_i², by the second central difference."""
    base = reference_loss(params, hidden, gate)
    out = np.empty_like(params)
    for i in range(params.size):
        e = np.zeros_like(params)
        e[i] = d
        out[i] = (reference_loss(params + e, hidden, gate) - 2 * base + reference_loss(params - e, hidden, gate)) / d**2
    return out


def param_count(hidden):
    sizes = [2, *hidden, 1]
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True))


def random_params(hidden, seed, scale):
    return np.random.default_rng(seed).normal(0.0, scale, param_count(hidden))


def gradient(key, params, hidden, gate, h=1e-4):
    """The method's gradient on a copy (methods perturb in place) and the objective it used."""
    objective = Objective(params.copy(), hidden, targets(gate))
    return METHODS[key].gradient(objective, h), objective


def assert_relative(grad, reference, tolerance):
    """Within ``tolerance`` relative to the gradient's scale, and element-wise relative
    except for components ~0, which are held to a tiny absolute error instead."""
    assert np.all(np.isfinite(grad))
    scale = np.abs(reference).max()
    assert np.abs(grad - reference).max() <= tolerance * scale
    np.testing.assert_allclose(grad, reference, rtol=tolerance, atol=1e-4 * tolerance * scale)


@pytest.fixture(scope="module", params=CASES, ids=CASE_IDS)
def case(request):
    hidden, gate, seed, scale = request.param
    params = random_params(hidden, seed, scale)
    return hidden, gate, params, reference_gradient(params, hidden, gate)


# --- the reference itself agrees with nn_core's loss ------------------------------------

def test_reference_loss_matches_the_engine(case):
    hidden, gate, params, _ = case
    objective = Objective(params.copy(), hidden, targets(gate))
    assert float(objective.loss()) == pytest.approx(reference_loss(params, hidden, gate), rel=1e-13)


# --- accuracy -------------------------------------------------------------------------------

def test_backprop_matches_independent_finite_differences(case):
    hidden, gate, params, reference = case
    grad, _ = gradient("backprop", params, hidden, gate)
    assert_relative(grad, reference, 1e-8)  # observed ~1e-11: the reference's own error


@pytest.mark.parametrize("key", ["central", "vectorized"])
def test_central_methods_within_1e6_relative(case, key):
    hidden, gate, params, reference = case
    grad, _ = gradient(key, params, hidden, gate)
    backprop, _ = gradient("backprop", params, hidden, gate)
    assert_relative(grad, reference, 1e-6)
    assert_relative(grad, backprop, 1e-6)


@pytest.mark.parametrize("key", ["forward", "staged"])
def test_forward_methods_have_the_first_order_error_they_should(case, key):
    """Taylor: (L(p+h) - L(p))/h = L'(p) + (h/2) L''(p) + O(h^2), plus rounding ~eps L/h.

    So the error is bounded by (h/2)|L''| + rounding, it shrinks linearly with h,
    and error/h tends to L''/2, with L'' computed by the reference."""
    hidden, gate, params, reference = case
    curvature = reference_curvature(params, hidden, gate)
    loss = reference_loss(params, hidden, gate)
    errors = {}
    for h in (1e-2, 1e-3, 1e-4, 1e-5):
        grad, _ = gradient(key, params, hidden, gate, h)
        backprop, _ = gradient("backprop", params, hidden, gate)
        error = grad - reference
        rounding = 8 * EPS * (max(loss, 1.0) + np.abs(params) * np.abs(reference)) / h
        bound = 1.05 * (h / 2) * np.abs(curvature) + h**2 * np.abs(curvature).max() + rounding
        assert np.all(np.abs(error) <= bound), h
        assert np.all(np.abs(grad - backprop) <= bound + 1e-10)
        # the error is the predicted (h/2) L'' up to second order
        assert np.abs(error - h / 2 * curvature).max() <= 0.01 * h * np.abs(curvature).max() + rounding.max()
        errors[h] = np.abs(error).max()
    for big, small in ((1e-2, 1e-3), (1e-3, 1e-4), (1e-4, 1e-5)):
        assert 8 < errors[big] / errors[small] < 12, errors  # linear in h: 10x smaller h, 10x smaller error


def test_tiny_h_trades_truncation_for_rounding():
    """At h = 1e-12 rounding (~eps L / h) dominates: forward is far worse than at its best h,
    which is what the docs and gradcheck tell the learner."""
    hidden, gate = (4,), "XOR"
    params = random_params(hidden, 11, 1.5)
    backprop, _ = gradient("backprop", params, hidden, gate)
    loss = reference_loss(params, hidden, gate)
    error = {h: np.abs(gradient("forward", params, hidden, gate, h)[0] - backprop).max() for h in (1e-8, 1e-12)}
    assert error[1e-12] > 100 * error[1e-8]
    # rounding of the two losses, and of p + h itself (the step taken is h ± ulp(p)/2)
    assert error[1e-12] < 8 * EPS * (max(loss, 1.0) + np.abs(params).max() * np.abs(backprop).max()) / 1e-12
    central_error = np.abs(gradient("central", params, hidden, gate, 1e-12)[0] - backprop).max()
    assert central_error < 8 * EPS * max(loss, 1.0) / 1e-12


def test_staged_equals_forward_to_rounding(case):
    hidden, gate, params, _ = case
    for h in (1e-2, 1e-4, 1e-7):
        staged, objective = gradient("staged", params, hidden, gate, h)
        forward, _ = gradient("forward", params, hidden, gate, h)
        # two loss values each rounded to a few ulps, divided by h
        assert np.abs(staged - forward).max() <= 4 * EPS * max(float(objective.loss()), 1.0) / h


def test_methods_leave_the_parameters_as_they_found_them(case):
    hidden, gate, params, _ = case
    for key in METHODS:
        _, objective = gradient(key, params, hidden, gate)
        assert np.array_equal(objective.params, params), key


# --- stacked networks ---------------------------------------------------------------------

@pytest.mark.parametrize("key", list(METHODS))
@pytest.mark.parametrize("hidden", [(3,), (2, 4)], ids=["3", "2x4"])
def test_stacked_gradients_equal_per_network_gradients(key, hidden):
    stack = np.stack([random_params(hidden, seed, 1.5) for seed in range(5)])
    objective = Objective(stack.copy(), hidden, targets("XOR"))
    h = 1e-4
    grads = METHODS[key].gradient(objective, h)
    assert grads.shape == stack.shape
    for row, params in enumerate(stack):
        single, _ = gradient(key, params, hidden, "XOR", h)
        # the same arithmetic, up to rounding in the loss (~eps L, divided by h for differences)
        np.testing.assert_allclose(grads[row], single, rtol=1e-12, atol=8 * EPS / h)
    assert objective.loss_evals == METHODS[key].loss_evals(stack.shape[1])  # counted per network


# --- work done: the loss-evaluation counter -----------------------------------------------

def expected_layer_evals(key, hidden):
    """Layer evaluations per step from the cost model in docs/design.md."""
    depth = len(hidden) + 1
    per_layer = [n_in * n_out + n_out for n_in, n_out in zip([2, *hidden], [*hidden, 1], strict=True)]
    p = sum(per_layer)
    return {
        "central": 2 * p * depth,
        "forward": (p + 1) * depth,
        # one full pass, then a parameter of layer k (0-based) recomputes layers k..depth-1
        "staged": depth + sum(n * (depth - k) for k, n in enumerate(per_layer)),
        "vectorized": 2 * p * depth,
        "backprop": depth,
    }[key]


@pytest.mark.parametrize("hidden", [(1,), (4,), (3, 5), (2, 3, 2)], ids=["1", "4", "3x5", "2x3x2"])
@pytest.mark.parametrize("key", list(METHODS))
def test_counter_matches_cost_model(key, hidden):
    p = param_count(hidden)
    _, objective = gradient(key, random_params(hidden, 0, 1.0), hidden, "XOR")
    assert objective.loss_evals == METHODS[key].loss_evals(p)
    assert objective.layer_evals == expected_layer_evals(key, hidden)


def test_cost_model_numbers():
    p = param_count((4,))
    assert p == 17
    assert {k: m.loss_evals(p) for k, m in METHODS.items()} == {
        "central": 34, "forward": 18, "staged": 18, "vectorized": 34, "backprop": 1}


@pytest.mark.parametrize("hidden", [(1,), (4,), (3, 5)], ids=["1", "4", "3x5"])
def test_staged_does_fewer_layer_evaluations_than_forward(hidden):
    params = random_params(hidden, 0, 1.0)
    _, staged = gradient("staged", params, hidden, "XOR")
    _, forward = gradient("forward", params, hidden, "XOR")
    assert staged.loss_evals == forward.loss_evals
    assert staged.layer_evals < forward.layer_evals


class SpyObjective(Objective):
    """Records how a method reaches the loss, to check how it does its work, not just how much."""

    def __init__(self, *args):
        super().__init__(*args)
        self.calls = []

    def loss_from(self, start, inputs):
        self.calls.append(("loss_from", start))
        return super().loss_from(start, inputs)

    def forward_pass(self):
        self.calls.append(("forward_pass",))
        return super().forward_pass()

    def batch_loss(self, params_batch):
        self.calls.append(("batch_loss", params_batch.shape))
        return super().batch_loss(params_batch)


def test_staged_restarts_each_perturbed_loss_at_its_own_layer_later_layers_first():
    hidden = (3, 5)
    objective = SpyObjective(random_params(hidden, 0, 1.0), hidden, targets("XOR"))
    METHODS["staged"].gradient(objective, 1e-4)
    per_layer = [2 * 3 + 3, 3 * 5 + 5, 5 * 1 + 1]
    expected = [("forward_pass",)] + [("loss_from", k) for k in (2, 1, 0) for _ in range(per_layer[k])]
    assert objective.calls == expected


def test_vectorized_evaluates_all_2p_perturbations_in_one_batch():
    hidden = (3, 5)
    p = param_count(hidden)
    for stack in ((), (6,)):
        params = np.stack([random_params(hidden, s, 1.0) for s in range(6)]) if stack else random_params(hidden, 0, 1.0)
        objective = SpyObjective(params, hidden, targets("XOR"))
        METHODS["vectorized"].gradient(objective, 1e-4)
        assert objective.calls == [("batch_loss", (*stack, 2 * p, p))]


@pytest.mark.parametrize("key", ["central", "forward"])
def test_loop_methods_run_full_passes(key):
    hidden = (4,)
    objective = SpyObjective(random_params(hidden, 0, 1.0), hidden, targets("XOR"))
    METHODS[key].gradient(objective, 1e-4)
    assert set(objective.calls) == {("loss_from", 0)}
    assert len(objective.calls) == METHODS[key].loss_evals(param_count(hidden))


def test_backprop_does_one_forward_pass():
    objective = SpyObjective(random_params((3, 5), 0, 1.0), (3, 5), targets("XOR"))
    METHODS["backprop"].gradient(objective, 1e-4)
    assert objective.calls == [("forward_pass",)]


@pytest.mark.parametrize("key", ["central", "forward", "staged"])
def test_a_loss_that_raises_leaves_the_parameters_as_they_were(key, monkeypatch):
    network = Network((3,), seed=5)
    objective = Objective(network.params, (3,), targets("XOR"))
    before = network.params.copy()
    calls = [0]

    def failing(original):
        def loss(*args):
            calls[0] += 1
            if calls[0] == 4:
                raise FloatingPointError("injected")
            return original(*args)
        return loss

    monkeypatch.setattr(objective, "loss", failing(objective.loss))
    monkeypatch.setattr(objective, "loss_from", failing(objective.loss_from))
    with pytest.raises(FloatingPointError):
        METHODS[key].gradient(objective, 1e-4)
    assert np.array_equal(network.params, before)


@pytest.mark.parametrize(("hidden", "activation"), [((4,), "sigmoid"), ((8, 4), "tanh")])
def test_the_books_loop_in_bench_gives_the_central_difference(hidden, activation):
    """bench's baseline runs the book's loop on the book's own loss code; it must still be the same gradient."""
    from nn_core.bench import book_gradient, book_loss
    from nn_core.config import TrainConfig
    from nn_core.trainer import Trainer

    objective = Trainer(TrainConfig(hidden=hidden, activation=activation).validated()).objective
    assert book_loss(objective) == pytest.approx(float(objective.loss()), abs=1e-6)  # the book's 1e-7 in the log
    before = objective.params.copy()
    book = book_gradient(objective, 1e-4)
    np.testing.assert_allclose(book, METHODS["central"].gradient(objective, 1e-4), rtol=0, atol=1e-6)
    np.testing.assert_array_equal(objective.params, before)
