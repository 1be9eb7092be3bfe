"""Chapter 6's network axes: every activation's f and f′ (backprop against ``central`` and
against a finite difference written here, on one and two hidden layers), every gradient
method with every activation, the initialisations, deeper networks, any truth table and
the settings' checks."""

import numpy as np
import pytest

from nn_core.activations import ACTIVATIONS
from nn_core.config import MAX_HIDDEN, MAX_LAYERS, TrainConfig, parse_hidden
from nn_core.gates import GATES, TRUTH_TABLES, canonical_gate, gate_bits, targets
from nn_core.initializers import INITIALIZERS
from nn_core.methods import METHODS
from nn_core.network import Network, init_params, param_layout
from nn_core.objective import Objective
from nn_core.optimizers import OPTIMIZERS
from nn_core.sweep import sweep
from nn_core.trainer import Trainer

ROWS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])

# Each activation written out again from its textbook definition
REFERENCE = {
    "sigmoid": lambda a: 1.0 / (1.0 + np.exp(-a)),
    "tanh": lambda a: (np.exp(a) - np.exp(-a)) / (np.exp(a) + np.exp(-a)),
    "relu": lambda a: np.where(a > 0, a, 0.0),
}


def reference_for(key):
    if key not in REFERENCE:
        pytest.fail(f"activation {key!r} has no reference in this test: write its definition out here")
    return REFERENCE[key]


def reference_layers(params, hidden):
    sizes, at, layers = [2, *hidden, 1], 0, []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        layers.append((params[at:at + n_in * n_out].reshape(n_in, n_out),
                       params[at + n_in * n_out:at + n_in * n_out + n_out]))
        at += n_in * n_out + n_out
    return layers


def reference_preactivations(params, hidden, f):
    z, out = ROWS, []
    for w, b in reference_layers(params, hidden)[:-1]:
        out.append(z @ w + b)
        z = f(out[-1])
    return out


def reference_loss(params, hidden, bits, f):
    """Hidden layers z = f(z W + b), output y = 1/(1+e^−a); L = −(1/4) Σ t log y + (1−t) log(1−y)."""
    z = ROWS
    layers = reference_layers(params, hidden)
    for w, b in layers[:-1]:
        z = f(z @ w + b)
    w, b = layers[-1]
    y, t = 1.0 / (1.0 + np.exp(-(z @ w + b)[:, 0])), np.array(bits, dtype=float)
    return -np.mean(t * np.log(y) + (1 - t) * np.log(1 - y))


def reference_gradient(params, hidden, bits, f, d=1e-5):
    grad = np.empty_like(params)
    for i in range(params.size):
        e = np.zeros_like(params)
        e[i] = d
        grad[i] = (reference_loss(params + e, hidden, bits, f) - reference_loss(params - e, hidden, bits, f)) / (2 * d)
    return grad


def away_from_kinks(hidden, f, seed):
    """Random parameters whose every hidden pre-activation is at least 0.05 from 0 (relu's kink)."""
    rng = np.random.default_rng(seed)
    size = sum(n_in * n_out + n_out for n_in, n_out in zip([2, *hidden], [*hidden, 1], strict=True))
    while True:
        params = rng.normal(scale=1.2, size=size)
        if all(np.abs(a).min() > 0.05 for a in reference_preactivations(params, hidden, f)):
            return params


# --- activations -------------------------------------------------------------------------------

@pytest.mark.parametrize("key", list(ACTIVATIONS))
def test_f_is_the_definition_and_f_prime_its_derivative(key):
    entry, f = ACTIVATIONS[key], reference_for(key)
    a = np.linspace(-6, 6, 97)
    a = a[np.abs(a) > 1e-3]  # relu has no derivative at 0
    np.testing.assert_allclose(entry.f(a), f(a), rtol=1e-12, atol=1e-15)
    d = 1e-6
    np.testing.assert_allclose(entry.derivative(entry.f(a)), (f(a + d) - f(a - d)) / (2 * d), rtol=1e-7, atol=1e-9)
    stack = a[:96].reshape(2, 3, 4, 4)  # elementwise on a stack too
    np.testing.assert_array_equal(entry.f(stack), entry.f(a[:96]).reshape(stack.shape))


@pytest.mark.parametrize("hidden", [(4,), (3, 5)], ids=["one layer", "two layers"])
@pytest.mark.parametrize("key", list(ACTIVATIONS))
def test_backprop_with_each_activation_matches_central_and_a_finite_difference(key, hidden):
    for seed, gate in [(1, "XOR"), (2, "x1 AND NOT x2")]:
        params = away_from_kinks(hidden, reference_for(key), seed)
        objective = Objective(params.copy(), hidden, targets(gate), activation=key)
        backprop = METHODS["backprop"].gradient(objective, 1e-4)
        central = METHODS["central"].gradient(objective, 1e-4)
        np.testing.assert_allclose(backprop, central, rtol=1e-6, atol=1e-9)
        reference = reference_gradient(params, hidden, TRUTH_TABLES[canonical_gate(gate)], reference_for(key))
        np.testing.assert_allclose(backprop, reference, rtol=1e-6, atol=1e-9)
        assert np.abs(backprop).max() > 1e-3  # a real gradient, not zeros agreeing with zeros


@pytest.mark.parametrize("method", list(METHODS))
@pytest.mark.parametrize("key", list(ACTIVATIONS))
def test_every_method_with_every_activation_on_one_network_and_a_stack(key, method):
    hidden = (3, 2)
    stack = np.array([away_from_kinks(hidden, reference_for(key), seed) for seed in range(3)])
    single = Objective(stack[1].copy(), hidden, targets("NAND"), activation=key)
    stacked = Objective(stack.copy(), hidden, targets("NAND"), activation=key)
    reference = METHODS["backprop"].gradient(single, 1e-4)
    tolerance = 1e-3 if method in ("forward", "staged") else 1e-6  # O(h) against O(h²)
    got = METHODS[method].gradient(single, 1e-4)
    np.testing.assert_allclose(got, reference, rtol=tolerance, atol=tolerance * 1e-2)
    np.testing.assert_allclose(METHODS[method].gradient(stacked, 1e-4)[1], got, rtol=0, atol=1e-9)
    assert np.array_equal(single.params, stack[1]) and np.array_equal(stacked.params, stack)  # restored


@pytest.mark.parametrize("key", list(ACTIVATIONS))
def test_the_network_and_the_trainer_use_the_activation(key):
    config = TrainConfig(gate="XOR", activation=key, hidden=(3, 2), seed=5, iterations=0)
    trainer = Trainer(config)
    params = trainer.network.params
    z = ROWS
    for w, b in reference_layers(params, (3, 2))[:-1]:
        z = reference_for(key)(z @ w + b)
    w, b = reference_layers(params, (3, 2))[-1]
    expected = 1.0 / (1.0 + np.exp(-(z @ w + b)[:, 0]))
    np.testing.assert_allclose(trainer.outputs(), expected, rtol=1e-12)
    np.testing.assert_allclose(trainer.loss(), reference_loss(params, (3, 2), (0, 1, 1, 0), reference_for(key)),
                               rtol=1e-12)
    assert trainer.surface(7).shape == (7, 7)


# --- initialisations ------------------------------------------------------------------------------

@pytest.mark.parametrize("key", list(INITIALIZERS))
def test_each_initialisation_scales_the_same_seeded_draws(key):
    entry = INITIALIZERS[key]
    for hidden, seed in [((4,), 0), ((8, 4), 3), ((2, 5, 3), 11)]:
        params = init_params(hidden, seed, key)
        assert np.array_equal(params, init_params(hidden, seed, key))  # the seed fixes the start completely
        rng = np.random.default_rng(seed)
        for name, shape, cut in param_layout(hidden):
            if name.startswith("W"):
                np.testing.assert_allclose(params[cut], entry.std(shape[0]) * rng.standard_normal(shape).ravel(),
                                           rtol=1e-15)
            else:
                assert not params[cut].any()
        net = Network(hidden, seed, init=key)
        assert np.array_equal(net.params, params)


def test_the_books_standard_deviations():
    assert INITIALIZERS["xavier"].std(4) == pytest.approx(np.sqrt(1 / 4))
    assert INITIALIZERS["he"].std(4) == pytest.approx(np.sqrt(2 / 4))
    assert INITIALIZERS["std0.01"].std(64) == 0.01
    # the default is today's start, bit for bit
    assert np.array_equal(init_params((4,), 7), init_params((4,), 7, "xavier"))
    assert np.array_equal(Trainer(TrainConfig(seed=7)).network.params, init_params((4,), 7))


@pytest.mark.parametrize("key", list(INITIALIZERS))
def test_sweep_starts_each_seed_where_train_starts_with_each_initialisation(key):
    config = TrainConfig(init=key, hidden=(4, 4), iterations=0)
    result = sweep(config, 5)
    for s in range(5):
        assert np.array_equal(result.params[s], Trainer(TrainConfig(init=key, hidden=(4, 4), seed=s)).network.params)


# --- deeper networks ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, hidden", [("4", (4,)), ("4,4", (4, 4)), ("8,4", (8, 4)), (" 2 , 3 ,64", (2, 3, 64))])
def test_hidden_lists_parse(text, hidden):
    assert parse_hidden(text) == hidden
    assert TrainConfig(hidden=hidden).validated().hidden == hidden


@pytest.mark.parametrize("text", ["", ",", "4,", ",4", "4,,4", "4;4", "4 4", "a", "1.5", "-2", "0", "4,0",
                                  str(MAX_HIDDEN + 1), ",".join(["2"] * (MAX_LAYERS + 1)), "²"])
def test_bad_hidden_lists_are_refused_in_one_line(text):
    with pytest.raises(ValueError) as error:
        parse_hidden(text)
    assert "\n" not in str(error.value) and ("hidden" in str(error.value))


def test_three_layers_of_up_to_64_units_train():
    for hidden in [(MAX_HIDDEN,), (MAX_HIDDEN, 2), (3, 3, 3)]:
        trainer = Trainer(TrainConfig(gate="XOR", hidden=hidden, activation="tanh", lr=0.5, iterations=3000))
        trainer.run()
        assert trainer.network.size == sum(a * b + b for a, b in zip([2, *hidden], [*hidden, 1], strict=True))
        assert trainer.solved(), hidden
    with pytest.raises(ValueError, match="at most 3 hidden layers"):
        TrainConfig(hidden=(2, 2, 2, 2)).validated()


# --- any truth table ------------------------------------------------------------------------------

def test_all_sixteen_truth_tables_have_a_name():
    assert len(TRUTH_TABLES) == 16
    assert sorted(TRUTH_TABLES.values()) == [tuple(int(c) for c in f"{n:04b}") for n in range(16)]
    for name, bits in TRUTH_TABLES.items():
        text = "".join(map(str, bits))
        assert canonical_gate(text) == name and gate_bits(name) == text
        assert canonical_gate(name.lower()) == name and canonical_gate(f"  {name.upper()} ") == name
        assert targets(text).ravel().tolist() == list(bits)
    for name, bits in GATES.items():  # the six classic names are aliases of their bits
        assert TRUTH_TABLES[name] == bits and canonical_gate("".join(map(str, bits))) == name
    assert canonical_gate("0110") == "XOR" and canonical_gate("0001") == "AND" and canonical_gate("1101") == "IMPLY"
    assert canonical_gate("0010") == "x1 AND NOT x2" and canonical_gate("x1 and  not x2") == "x1 AND NOT x2"


@pytest.mark.parametrize("text", ["011", "01101", "0120", "2", "", "xand", "0b0110", "AND OR"])
def test_a_gate_that_is_neither_four_bits_nor_a_name_is_refused(text):
    with pytest.raises(ValueError, match="unknown gate") as error:
        canonical_gate(text)
    assert "\n" not in str(error.value)


def test_all_sixteen_truth_tables_train_to_solved():
    result = {name: sweep(TrainConfig(gate="".join(map(str, bits)), iterations=5000), 3)
              for name, bits in TRUTH_TABLES.items()}
    for name, r in result.items():
        assert r.config.gate == name and r.solved.all(), (name, r.outputs)


# --- settings -------------------------------------------------------------------------------------

def test_the_defaults_are_the_first_rounds_network():
    config = TrainConfig().validated()
    assert (config.activation, config.init, config.optimizer, config.weight_decay) == ("sigmoid", "xavier", "sgd", 0)
    assert config.optimizer_options == () and config == TrainConfig()  # already canonical


@pytest.mark.parametrize("key", list(OPTIMIZERS))
def test_the_optimizer_options_are_filled_checked_and_canonical(key):
    cls = OPTIMIZERS[key]
    config = TrainConfig(optimizer=key.upper()).validated()
    assert config.optimizer == key
    assert config.optimizer_options == tuple((o.name, o.default) for o in cls.options)
    hash(config)  # still a frozen, hashable value
    for option in cls.options:
        given = TrainConfig(optimizer=key, optimizer_options={option.name: option.low}).validated()
        assert dict(given.optimizer_options)[option.name] == option.low or option.low_open
    with pytest.raises(ValueError, match=f"not an option of the {key} optimizer"):
        TrainConfig(optimizer=key, optimizer_options={"not_an_option": 1.0}).validated()


@pytest.mark.parametrize("field, value, words", [
    ("activation", "softmax", "unknown activation"), ("init", "zeros", "unknown initialisation"),
    ("optimizer", "lbfgs", "unknown optimizer"), ("weight_decay", -0.1, "weight decay"),
    ("weight_decay", float("nan"), "weight decay"), ("weight_decay", float("inf"), "weight decay"),
    ("weight_decay", "0.1", "weight decay"), ("hidden", (), "at least one hidden layer"),
    ("gate", "0111 ", None), ("optimizer_options", 5, "optimizer options")])
def test_bad_settings_are_refused_in_one_line(field, value, words):
    config = TrainConfig(**{field: value})
    if words is None:  # surrounding spaces are not an error
        assert config.validated().gate == "OR"
        return
    with pytest.raises(ValueError, match=words) as error:
        config.validated()
    assert "\n" not in str(error.value)
