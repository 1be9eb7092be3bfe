"""Chapter 6's optimizers and weight decay: every entry of OPTIMIZERS against the book's
``common/optimizer.py``, written out again here (its dict-of-arrays form), step by step
and state included; on one network and on a stack; through the one step function that
Trainer and sweep share; and the step that would not be finite."""

import inspect
import json
import math
from dataclasses import replace

import numpy as np
import pytest

from nn_core.config import TrainConfig
from nn_core.gates import targets
from nn_core.methods import METHODS, register
from nn_core.network import Network, param_count, param_layout
from nn_core.objective import Objective
from nn_core.optimizers import OPTIMIZERS
from nn_core.step import Stepper
from nn_core.sweep import sweep
from nn_core.trainer import Trainer

ROWS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


# --- the book's optimizers, as printed (dicts of arrays, updated in place) -------------------

class BookSGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params.keys():
            params[key] -= self.lr * grads[key]


class BookMomentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params.keys():
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]


class BookNesterov:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params.keys():
            params[key] += self.momentum * self.momentum * self.v[key]
            params[key] -= (1 + self.momentum) * self.lr * grads[key]
            self.v[key] *= self.momentum
            self.v[key] -= self.lr * grads[key]


class BookAdaGrad:
    def __init__(self, lr=0.01):
        self.lr, self.h = lr, None

    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params.keys():
            self.h[key] += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class BookRMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr, self.decay_rate, self.h = lr, decay_rate, None

    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params.keys():
            self.h[key] *= self.decay_rate
            self.h[key] += (1 - self.decay_rate) * grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class BookAdam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr, self.beta1, self.beta2, self.iter, self.m, self.v = lr, beta1, beta2, 0, None, None

    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(val) for key, val in params.items()}
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2 ** self.iter) / (1.0 - self.beta1 ** self.iter)
        for key in params.keys():
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


BOOK = {"sgd": BookSGD, "momentum": BookMomentum, "nesterov": BookNesterov, "adagrad": BookAdaGrad,
        "rmsprop": BookRMSprop, "adam": BookAdam}
# Options set away from their defaults, so that a rule ignoring one fails
OFF_DEFAULT = {"momentum": 0.7, "decay_rate": 0.9, "beta1": 0.8, "beta2": 0.99}


def book_for(key):
    if key not in BOOK:
        pytest.fail(f"optimizer {key!r} has no reference in this test: write its rule out here")
    return BOOK[key]


def split(vector):
    """The 17 parameters of the 4-hidden network as the book's dict, views into ``vector``."""
    return {"W1": vector[0:8].reshape(2, 4), "b1": vector[8:12], "W2": vector[12:16].reshape(4, 1),
            "b2": vector[16:17]}


def joined(arrays):
    return np.concatenate([a.ravel() for a in arrays.values()])


def off_default_options(cls):
    return {o.name: OFF_DEFAULT[o.name] for o in cls.options}


# --- the rule, step by step ---------------------------------------------------------------

@pytest.mark.parametrize("key", list(OPTIMIZERS))
def test_defaults_are_the_books(key):
    cls = OPTIMIZERS[key]
    book = inspect.signature(book_for(key)).parameters
    assert cls.book_lr == book["lr"].default
    assert {o.name: o.default for o in cls.options} == {k: p.default for k, p in book.items() if k != "lr"}


@pytest.mark.parametrize("options", ["default", "off-default"])
@pytest.mark.parametrize("key", list(OPTIMIZERS))
def test_each_step_and_the_state_follow_the_book(key, options):
    cls = OPTIMIZERS[key]
    kwargs = {} if options == "default" else off_default_options(cls)
    rng = np.random.default_rng(1)
    start = rng.normal(size=17)
    lr = 0.3
    ours, theirs = cls(start.shape, lr, **kwargs), book_for(key)(lr=lr, **kwargs)
    mine, book_params = start.copy(), split(start.copy())
    for step in range(8):
        grads = rng.normal(scale=2.0, size=17) * (step % 3 + 0.5)
        ours.update(mine, grads)
        theirs.update(book_params, split(grads))
        np.testing.assert_allclose(mine, joined(book_params), rtol=1e-12, atol=1e-14, err_msg=f"step {step + 1}")
        for name, value in ours.state().items():
            expected = getattr(theirs, name)
            if isinstance(expected, dict):
                np.testing.assert_allclose(value, joined(expected), rtol=1e-12, atol=1e-15)
            else:
                assert value == expected  # Adam's step count
    assert not np.allclose(mine, start)


@pytest.mark.parametrize("key", list(OPTIMIZERS))
def test_a_stack_steps_as_its_rows_alone(key):
    cls = OPTIMIZERS[key]
    kwargs = off_default_options(cls)
    rng = np.random.default_rng(2)
    stack = rng.normal(size=(5, 17))
    singles = [row.copy() for row in stack]
    stacked, alone = cls(stack.shape, 0.2, **kwargs), [cls((17,), 0.2, **kwargs) for _ in singles]
    for _ in range(6):
        grads = rng.normal(size=(5, 17))
        stacked.update(stack, grads)
        for optimizer, row, grad in zip(alone, singles, grads, strict=True):
            optimizer.update(row, grad)
    np.testing.assert_allclose(stack, np.array(singles), rtol=0, atol=1e-12)
    for name, value in stacked.state().items():
        rows = [optimizer.state()[name] for optimizer in alone]
        np.testing.assert_allclose(value, rows if np.ndim(value) else rows[0], rtol=0, atol=1e-12)


@pytest.mark.parametrize("key", list(OPTIMIZERS))
def test_bad_options_are_refused(key):
    cls = OPTIMIZERS[key]
    with pytest.raises(ValueError, match="no option"):
        cls((17,), 0.1, not_an_option=1.0)
    for option in cls.options:
        for bad in (option.low - 1, option.high + 1, math.nan, math.inf, "0.5", True):
            with pytest.raises(ValueError, match=option.name):
                cls((17,), 0.1, **{option.name: bad})
        for bound, is_open in ((option.low, option.low_open), (option.high, option.high_open)):
            if is_open:
                with pytest.raises(ValueError, match=option.name):
                    cls((17,), 0.1, **{option.name: bound})
            else:
                assert getattr(cls((17,), 0.1, **{option.name: bound}), option.name) == bound


# --- through Trainer and sweep: the one step function -----------------------------------------

def book_run(config, steps):
    """``steps`` of backprop + the book's optimizer (and the book's λW), on the seeded network."""
    network = Network(config.hidden, config.seed, init=config.init, activation=config.activation)
    objective = Objective(network.params, config.hidden, targets(config.gate), activation=config.activation)
    book = book_for(config.optimizer)(lr=config.lr, **dict(config.optimizer_options))
    params = network.named()  # views into network.params, named as in the book
    for _ in range(steps):
        grads = METHODS["backprop"].gradient(objective, config.h)
        grads = {name: grads[cut].reshape(shape) for name, shape, cut in param_layout(config.hidden)}
        for name in grads:
            if name.startswith("W"):  # MultiLayerNet.gradient: dW + λ W
                grads[name] = grads[name] + config.weight_decay * params[name]
        book.update(params, grads)
    return network.params


@pytest.mark.parametrize("decay", [0.0, 0.01])
@pytest.mark.parametrize("key", list(OPTIMIZERS))
def test_trainer_steps_with_the_books_rule(key, decay):
    config = TrainConfig(gate="XOR", optimizer=key, lr=0.05, weight_decay=decay, seed=4, iterations=30,
                         optimizer_options=off_default_options(OPTIMIZERS[key])).validated()
    trainer = Trainer(config)
    trainer.run()
    assert trainer.iteration == 30 and trainer.optimizer.key == key
    np.testing.assert_allclose(trainer.network.params, book_run(config, 30), rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("key", list(OPTIMIZERS))
def test_sweep_rows_are_single_runs(key, activation):
    config = TrainConfig(gate="XNOR", optimizer=key, activation=activation, hidden=(3, 2), lr=0.05,
                         weight_decay=0.001, iterations=40)
    result = sweep(config, 4)
    for s in range(4):
        trainer = Trainer(replace(config, seed=s))
        trainer.run()
        # the stack sums in another order than the single network's matrix products: equal to rounding
        single = trainer.network.params
        np.testing.assert_allclose(result.params[s], single, rtol=1e-9, atol=1e-9 * np.abs(single).max())


@pytest.mark.parametrize("method", list(METHODS))
def test_every_method_drives_every_optimizer_on_one_network_and_a_stack(method):
    for key in OPTIMIZERS:
        config = TrainConfig(gate="OR", method=method, optimizer=key, activation="tanh", init="he", hidden=(2, 3),
                             lr=0.05, iterations=5)
        result = sweep(config, 3)
        trainer = Trainer(replace(config, seed=2))
        trainer.run()
        assert trainer.iteration == 5 and np.isfinite(trainer.loss())
        np.testing.assert_allclose(result.params[2], trainer.network.params, rtol=0, atol=1e-9)
        assert not np.array_equal(trainer.network.params, Trainer(replace(config, seed=2)).network.params)


def test_each_run_has_its_own_optimizer_state_from_zero():
    config = TrainConfig(optimizer="adam", lr=0.01, iterations=10)
    first = Trainer(config)
    first.run()
    assert first.optimizer.iter == 10 and np.any(first.optimizer.m != 0)
    second = Trainer(config)
    assert second.optimizer.iter == 0 and not np.any(second.optimizer.m)
    first.reset()
    assert first.optimizer.iter == 0 and not np.any(first.optimizer.v)


# --- weight decay ------------------------------------------------------------------------------

def decayed_loss(params, hidden, lam):
    """The book's MultiLayerNet.loss: cross-entropy + λ/2 Σ W² over every weight matrix (not the biases)."""
    sizes, at, z, total = [2, *hidden, 1], 0, ROWS, 0.0
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        w = params[at:at + n_in * n_out].reshape(n_in, n_out)
        b = params[at + n_in * n_out:at + n_in * n_out + n_out]
        at += n_in * n_out + n_out
        layers.append((w, b))
        total += 0.5 * lam * np.sum(w ** 2)
    for w, b in layers[:-1]:
        z = 1.0 / (1.0 + np.exp(-(z @ w + b)))
    w, b = layers[-1]
    y, t = 1.0 / (1.0 + np.exp(-(z @ w + b)))[:, 0], np.array([0.0, 1.0, 1.0, 0.0])
    return -np.mean(t * np.log(y) + (1 - t) * np.log(1 - y)) + total


@pytest.mark.parametrize("method", ["backprop", "central"])
@pytest.mark.parametrize("hidden", [(4,), (3, 2)])
@pytest.mark.parametrize("lam", [0.0, 0.05, 1.5])
def test_the_gradient_of_the_decayed_loss_matches_its_finite_difference(lam, hidden, method):
    config = TrainConfig(gate="XOR", method=method, hidden=hidden, weight_decay=lam, seed=3).validated()
    network = Network(hidden, 3)
    network.params[:] = np.random.default_rng(5).normal(scale=1.5, size=network.size)  # biases too
    stepper = Stepper(config, Objective(network.params, hidden, np.array([[0.0], [1.0], [1.0], [0.0]])))
    got = stepper.gradient_with_decay()
    d = 1e-5
    reference = np.empty(network.size)
    for i in range(network.size):
        e = np.zeros(network.size)
        e[i] = d
        reference[i] = (decayed_loss(network.params + e, hidden, lam) - decayed_loss(network.params - e, hidden, lam)) \
            / (2 * d)
    np.testing.assert_allclose(got, reference, rtol=1e-6, atol=1e-8)


def test_weight_decay_shrinks_weights_not_biases():
    plain = Trainer(TrainConfig(gate="AND", iterations=1))
    decayed = Trainer(TrainConfig(gate="AND", iterations=1, weight_decay=0.25))
    plain.run()
    decayed.run()
    difference = decayed.network.named()
    for name, value in plain.network.named().items():
        start = Network((4,), 0).named()[name]
        if name.startswith("W"):  # one sgd step: the decayed one moves by a further −lr·λ·W
            np.testing.assert_allclose(difference[name] - value, -2.0 * 0.25 * start, rtol=1e-12, atol=1e-15)
        else:
            assert np.array_equal(difference[name], value)


def test_no_decay_is_the_plain_update_to_the_bit():
    config = TrainConfig(gate="XOR", iterations=50)
    trainer = Trainer(config)
    trainer.run()
    network = Network((4,), 0)
    objective = Objective(network.params, (4,), np.array([[0.0], [1.0], [1.0], [0.0]]))
    for _ in range(50):
        network.params -= 2.0 * METHODS["backprop"].gradient(objective, 1e-4)
    assert trainer.network.params.tobytes() == network.params.tobytes()


# --- a step that would not be finite ----------------------------------------------------------

@pytest.fixture
def poisoned():
    """A gradient method, registered for one test, that is backprop except for a NaN at one call."""
    added = []

    def add(at_call, row=None):
        calls = [0]

        def gradient(objective, h):
            calls[0] += 1
            grad = METHODS["backprop"].gradient(objective, h)
            if calls[0] == at_call:
                grad[(row, 3) if row is not None else 3] = np.nan
            return grad
        key = f"poisoned{len(added)}"
        register(key, key, "a test method", "1 loss evaluation", lambda p: 1)(gradient)
        added.append(key)
        return key

    yield add
    for key in added:
        METHODS.pop(key, None)


@pytest.mark.parametrize("key", list(OPTIMIZERS))
def test_a_step_that_would_not_be_finite_changes_neither_parameters_nor_state(key, poisoned):
    method = poisoned(at_call=6)
    trainer = Trainer(TrainConfig(method=method, optimizer=key, lr=0.1, iterations=20))
    trainer.run(until=5)
    params = trainer.network.params.copy()
    state = {name: np.copy(value) for name, value in trainer.optimizer.state().items()}
    assert trainer.step() is False and trainer.diverged_at == 6 and trainer.iteration == 5
    assert np.array_equal(trainer.network.params, params)
    for name, value in trainer.optimizer.state().items():
        assert np.array_equal(value, state[name]), name


@pytest.mark.parametrize("key", list(OPTIMIZERS))
def test_a_diverged_network_in_a_stack_freezes_alone(key, poisoned):
    config = TrainConfig(gate="XOR", optimizer=key, lr=0.1, iterations=15)
    result = sweep(replace(config, method=poisoned(at_call=9, row=1)), 3)
    clean, frozen = sweep(config, 3), sweep(replace(config, iterations=8), 3)
    assert result.diverged.tolist() == [False, True, False] and not result.solved[1]
    # the registered method runs on an Objective, sweep's backprop on the stack's own pass: equal to rounding
    np.testing.assert_allclose(result.params[[0, 2]], clean.params[[0, 2]], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(result.params[1], frozen.params[1], rtol=1e-12, atol=1e-12)
    assert not np.allclose(result.params[1], clean.params[1], rtol=1e-6)  # frozen: not where the clean run went


def test_an_exploding_update_stops_the_run_with_finite_parameters():
    for key in OPTIMIZERS:  # sgd and the momentum rules overflow; the adaptive ones take bounded steps
        trainer = Trainer(TrainConfig(gate="XOR", optimizer=key, lr=1e6, weight_decay=1e6, iterations=2000))
        trainer.run()
        assert np.all(np.isfinite(trainer.network.params)) and np.isfinite(trainer.loss()), key
        assert np.all(np.isfinite(trainer.surface(5))), key
        if key in ("sgd", "momentum", "nesterov"):
            assert trainer.diverged_at is not None and trainer.iteration < 100, key


def test_the_state_has_the_shape_of_the_parameters():
    for key, cls in OPTIMIZERS.items():
        for shape in [(param_count((4,)),), (7, param_count((4,)))]:
            for name, value in cls(shape, 0.1).state().items():
                assert np.shape(value) in (shape, ()), (key, name)


# --- the state, saved and loaded ----------------------------------------------------------------

@pytest.mark.parametrize("key", list(OPTIMIZERS))
def test_a_run_loaded_from_its_saved_state_goes_on_as_if_it_never_stopped(key):
    config = TrainConfig(gate="XOR", optimizer=key, lr=0.05, activation="tanh", weight_decay=0.001, iterations=40)
    whole = Trainer(config)
    whole.run()
    first = Trainer(config)
    first.run(until=20)
    saved = json.loads(json.dumps({"params": first.network.params.tolist(),
                                   "state": {k: np.asarray(v).tolist() for k, v in first.optimizer.state().items()}}))
    second = Trainer(config)
    second.network.params[:] = saved["params"]
    second.optimizer.load_state(saved["state"])
    second.iteration = 20
    second.run()
    assert second.network.params.tobytes() == whole.network.params.tobytes()
    for name, value in whole.optimizer.state().items():
        assert np.array_equal(second.optimizer.state()[name], value)


@pytest.mark.parametrize("key", [k for k, cls in OPTIMIZERS.items() if cls.state_names])
def test_a_bad_saved_state_is_refused_and_changes_nothing(key):
    optimizer = OPTIMIZERS[key]((17,), 0.1)
    optimizer.update(np.zeros(17), np.ones(17))
    good = {name: np.copy(value) for name, value in optimizer.state().items()}
    name = next(n for n, v in good.items() if np.ndim(v))
    bad_values = [np.zeros(16), np.full(17, np.nan), "abc", [[0.0] * 17]]
    cases = [{k: v for k, v in good.items() if k != name}] + [{**good, name: bad} for bad in bad_values]
    if "iter" in good:
        cases += [{**good, "iter": -1}, {**good, "iter": 1.5}, {**good, "iter": True}]
    for state in cases:
        with pytest.raises(ValueError, match=key) as error:
            optimizer.load_state(state)
        assert "\n" not in str(error.value)
        for n, value in optimizer.state().items():
            assert np.array_equal(value, good[n])


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("key", list(OPTIMIZERS))
def test_extreme_settings_stay_finite_and_quiet(key, activation):
    """The largest learning rate with options at their extremes: numpy warnings are errors in these tests,
    so this also shows that nothing overflows unnoticed (bounded units skip the overflow guard)."""
    cls = OPTIMIZERS[key]
    extreme = {o.name: o.high - 1e-9 if o.high_open else o.high for o in cls.options}
    config = TrainConfig(gate="XNOR", optimizer=key, activation=activation, hidden=(8, 8, 8), lr=1e6,
                         optimizer_options=extreme, iterations=3000)
    trainer = Trainer(config)
    trainer.run()
    assert np.all(np.isfinite(trainer.network.params)) and np.isfinite(trainer.loss())
    assert np.all(np.isfinite(trainer.surface(9)))
    result = sweep(config, 3)
    assert np.all(np.isfinite(result.params)) and np.all(np.isfinite(result.outputs))
