"""The error-versus-h curve of gradcheck: truncation error (slope 1 for forward, 2 for central on log-log
axes) meets rounding error (slope −1); the curve's numbers are gradcheck's for the same h."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nn_core import gradcheck
from nn_core.config import TrainConfig
from nn_core.gradcheck import DEFAULT_HS, error_vs_h, fitted_slope, fitted_slopes, norm_relative_error
from nn_core.methods import METHODS
from nn_core.network import init_params

ROOT = Path(__file__).resolve().parents[1]
# tanh hidden layer, seed 3: its loss and gradient are of order 0.1-1, so the errors stay far above 1e-16
CONFIG = TrainConfig(gate="XOR", activation="tanh", seed=3).validated()


@pytest.fixture(scope="module")
def curve():
    return error_vs_h(CONFIG)


def run_cli(*args):
    done = subprocess.run([sys.executable, "-m", "nn_core", "gradcheck", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    return done


def test_the_curve_has_every_h_and_both_methods(curve):
    assert np.array_equal(curve["h"], np.logspace(-12, -1, 45))
    for kind in ("norm_rel_error", "max_rel_error"):
        assert set(curve[kind]) == {"forward", "central"}
        for values in curve[kind].values():
            assert values.shape == (45,) and np.all(np.isfinite(values)) and np.all(values > 0)
    # the worst single component is never better than the whole vector's error
    for key in ("forward", "central"):
        assert np.all(curve["max_rel_error"][key] >= 0.5 * curve["norm_rel_error"][key])


def test_central_falls_as_h_squared_then_rises_as_one_over_h(curve):
    slopes = fitted_slopes(curve["h"], curve["norm_rel_error"]["central"])
    assert 1.6 < slopes["truncation"] < 2.4
    assert -1.4 < slopes["rounding"] < -0.6


def test_forward_falls_as_h_then_rises_as_one_over_h(curve):
    slopes = fitted_slopes(curve["h"], curve["norm_rel_error"]["forward"])
    assert 0.8 < slopes["truncation"] < 1.2
    assert -1.4 < slopes["rounding"] < -0.6


def test_rounding_meets_truncation_where_the_theory_says(curve):
    # central: at h ≈ ∛ε ≈ 6e-6 (measured 1e-5 for this net); forward: at h ≈ √ε ≈ 1.5e-8 (measured 3e-8)
    hs, central, forward = curve["h"], curve["norm_rel_error"]["central"], curve["norm_rel_error"]["forward"]
    assert 1e-7 <= hs[np.argmin(central)] <= 1e-3
    assert 1e-9 <= hs[np.argmin(forward)] <= 1e-6
    assert central.min() < 1e-9 < forward.min() < 1e-6
    # at the book's h = 1e-4 central is within a factor 100 of its best, and far better than at either end
    book = np.argmin(np.abs(np.log10(hs) + 4))
    assert central[book] < 100 * central.min()
    assert central[book] < 1e-3 * min(central[0], central[-1])
    # central beats forward wherever truncation dominates
    large = hs >= 1e-4
    assert np.all(central[large] < forward[large])


def test_the_curve_is_gradchecks_computation():
    """For an h of the curve, gradcheck --h gives exactly the curve's numbers (one process, one run)."""
    k = 32  # h = 10**-4 as logspace computes it
    h = repr(float(DEFAULT_HS[k]))
    report = json.loads(run_cli("--activation", "tanh", "--seed", "3", "--h", h, "--h-curve", "--json").stdout)
    curve = report["h_curve"]
    assert curve["h"] == DEFAULT_HS.tolist()
    for key in ("forward", "central"):
        assert curve[key][k] == report["norm_rel_error"][key]
    # and the engine function, in this process, gives the same numbers for that h and the max column too
    here = error_vs_h(CONFIG, hs=[DEFAULT_HS[k]])
    for key in ("forward", "central"):
        assert here["norm_rel_error"][key][0] == report["norm_rel_error"][key]
        assert here["max_rel_error"][key][0] == report["max_rel_error"][key]


def test_h_curve_json_and_without_the_flag_the_report_is_unchanged():
    plain = json.loads(run_cli("--json").stdout)
    assert set(plain) == {"gate", "seed", "hidden", "params", "loss", "gradients", "max_rel_error",
                          "norm_rel_error"}
    with_curve = json.loads(run_cli("--h-curve", "--json").stdout)
    assert set(with_curve) == set(plain) | {"h_curve"}
    assert {k: v for k, v in with_curve.items() if k != "h_curve"} == plain
    curve = with_curve["h_curve"]
    assert list(curve) == ["h", "forward", "central"]
    assert len(curve["h"]) == len(curve["forward"]) == len(curve["central"]) == 45
    expected = error_vs_h(TrainConfig().validated())["norm_rel_error"]
    for key in ("forward", "central"):
        assert curve[key] == expected[key].tolist()


def test_h_curve_text_shows_the_table_and_the_slopes():
    lines = run_cli("--activation", "tanh", "--seed", "3", "--h-curve").stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split() == ["h", "forward", "central"])
    rows = [line.split() for line in lines[start + 1:start + 13]]
    assert [float(row[0]) for row in rows] == [10.0 ** e for e in range(-12, 0)]
    curve = error_vs_h(CONFIG)
    for row in rows:
        i = int(np.argmin(np.abs(curve["h"] - float(row[0]))))
        assert float(row[1]) == pytest.approx(curve["norm_rel_error"]["forward"][i], rel=0.01)
        assert float(row[2]) == pytest.approx(curve["norm_rel_error"]["central"][i], rel=0.01)
    central = next(line for line in lines if line.startswith("central: smallest error"))
    slope = fitted_slopes(curve["h"], curve["norm_rel_error"]["central"])["truncation"]
    assert f"truncation slope {slope:+.2f}" in central


def test_the_curve_at_given_parameters():
    params = init_params(CONFIG.hidden, 11, CONFIG.init)
    at_11 = error_vs_h(CONFIG, params=params, hs=[1e-2, 1e-3])
    seeded_11 = error_vs_h(TrainConfig(activation="tanh", seed=11).validated(), hs=[1e-2, 1e-3])
    assert at_11["norm_rel_error"]["central"].tolist() == seeded_11["norm_rel_error"]["central"].tolist()
    assert not np.array_equal(at_11["norm_rel_error"]["central"],
                              error_vs_h(CONFIG, hs=[1e-2, 1e-3])["norm_rel_error"]["central"])
    assert np.array_equal(params, init_params(CONFIG.hidden, 11, CONFIG.init))  # not changed


def test_other_methods_and_one_formula():
    curve = error_vs_h(CONFIG, hs=[1e-3], methods=("vectorized", "staged", "backprop"))
    assert curve["norm_rel_error"]["backprop"][0] == 0
    # vectorized is central's formula in one batch: the same error to rounding
    assert curve["norm_rel_error"]["vectorized"][0] == pytest.approx(
        error_vs_h(CONFIG, hs=[1e-3])["norm_rel_error"]["central"][0], rel=1e-5)
    # one relative-error formula: the CLI's is the engine's
    from nn_core import cli
    assert cli.norm_relative_error is norm_relative_error and cli.relative_error is gradcheck.relative_error
    assert set(METHODS) >= {"forward", "central"}


@pytest.mark.parametrize("hs", [[], [0.0], [-1e-4], [float("nan")], [1e-4, float("inf")]])
def test_bad_h_is_refused(hs):
    with pytest.raises(ValueError, match="positive finite"):
        error_vs_h(CONFIG, hs=hs)


def test_bad_method_and_params_are_refused():
    with pytest.raises(ValueError, match="unknown method"):
        error_vs_h(CONFIG, hs=[1e-3], methods=("nope",))
    with pytest.raises(ValueError, match="17 numbers"):
        error_vs_h(CONFIG, params=np.zeros(5), hs=[1e-3])


def test_fitted_slope():
    hs = np.logspace(-6, 0, 25)
    assert fitted_slope(hs, 3 * hs**2, 1e-3, 1) == pytest.approx(2)
    assert fitted_slope(hs, 1e-16 / hs, 1e-6, 1e-4) == pytest.approx(-1)
    assert fitted_slopes(hs, hs, {"all": (1e-6, 1)}) == {"all": pytest.approx(1)}
    with pytest.raises(ValueError, match="fewer than two"):
        fitted_slope(hs, hs, 2, 3)
    with pytest.raises(ValueError, match="not positive"):
        fitted_slope(hs, hs * 0, 1e-6, 1)


# --- check_gradients: the table of gradcheck, at any parameters ---------------------------------

def test_check_gradients_is_gradchecks_report():
    """The CLI's JSON is check_gradients' numbers, at the seeded initial parameters (one process)."""
    report = json.loads(run_cli("--seed", "5", "--hidden", "3", "--json").stdout)
    config = TrainConfig(seed=5, hidden=(3,)).validated()
    check = gradcheck.check_gradients(config)
    assert list(check["gradients"]) == list(METHODS) == list(report["gradients"])
    assert np.array_equal(check["params"], init_params((3,), 5))
    assert check["loss"] == report["loss"]
    for key in METHODS:
        flat = np.concatenate([np.ravel(report["gradients"][key][k]) for k in ("W1", "b1", "W2", "b2")])
        assert flat.tolist() == check["gradients"][key].tolist(), key
        assert check["max_rel_error"][key] == report["max_rel_error"][key], key
        assert check["norm_rel_error"][key] == report["norm_rel_error"][key], key


def test_check_gradients_per_parameter_errors():
    params = init_params(CONFIG.hidden, 9, CONFIG.init) * 3  # not the seeded ones
    check = gradcheck.check_gradients(CONFIG, params)
    assert np.array_equal(check["params"], params)
    backprop = check["gradients"]["backprop"]
    for key, gradient in check["gradients"].items():
        errors = check["relative_errors"][key]
        assert errors.shape == (17,)
        by_hand = [abs(g - r) / max(abs(g), abs(r), 1e-8) for g, r in zip(gradient, backprop, strict=True)]
        assert errors.tolist() == pytest.approx(by_hand, rel=1e-12, abs=0)
        assert check["max_rel_error"][key] == errors.max() == gradcheck.relative_error(gradient, backprop)
        assert check["norm_rel_error"][key] == norm_relative_error(gradient, backprop)
    assert not check["relative_errors"]["backprop"].any()
    assert np.all(check["relative_errors"]["central"] < 1e-5)
    # the same numbers as the methods give on an objective at those parameters, with the config's h
    _, objective = gradcheck.seeded_objective(CONFIG, params)
    for key, gradient in gradcheck.method_gradients(objective, CONFIG.h).items():
        assert gradient.tolist() == check["gradients"][key].tolist(), key


def test_check_gradients_of_some_methods_and_another_h():
    config = TrainConfig(activation="tanh", seed=3, h=1e-2).validated()
    some = gradcheck.check_gradients(config, keys=("forward", "central"))
    assert list(some["gradients"]) == ["forward", "central"]
    full = gradcheck.check_gradients(config)
    for key in ("forward", "central"):
        assert some["relative_errors"][key].tolist() == full["relative_errors"][key].tolist()
    # h 1e-2 is the config's: forward's O(h) error is far larger than at the default 1e-4
    assert full["norm_rel_error"]["forward"] > 10 * gradcheck.check_gradients(CONFIG)["norm_rel_error"]["forward"]
    with pytest.raises(ValueError, match="unknown method"):
        gradcheck.check_gradients(config, keys=("nope",))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
@pytest.mark.parametrize("where", [2, 16])  # W1[0,2], b2[0]
def test_check_gradients_of_a_diverged_network_gives_nan_not_an_exception_or_a_warning(bad, where):
    params = init_params((4,), 3)
    params[where] = bad
    check = gradcheck.check_gradients(TrainConfig().validated(), params)  # a RuntimeWarning would fail here
    assert not np.isfinite(check["loss"])
    for key in ("central", "forward", "staged", "vectorized"):
        assert np.isnan(check["max_rel_error"][key]) and np.isnan(check["norm_rel_error"][key]), key
