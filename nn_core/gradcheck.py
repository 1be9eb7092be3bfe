"""Gradient checks: each method's gradient against backprop, and how its error depends on h.

The relative errors of ``python -m nn_core gradcheck`` and its error-versus-h curve (``--h-curve``) are
computed here, once, by the same functions.

Why the curve has two slopes (the book's chapter 4, numerical differentiation): by Taylor's theorem the
forward difference (L(p+h) − L(p)) / h is off by h/2 · L″ (truncation error O(h)), the central difference
(L(p+h) − L(p−h)) / 2h by h²/6 · L‴ (O(h²)).  Both subtract two nearly equal losses, each rounded to about
ε|L| (ε ≈ 2.2e-16 for float64), and divide by h: a rounding error of order ε|L| / h.  On log-log axes the
error therefore falls with slope 1 (forward) or 2 (central) as h shrinks, until it meets the rounding error
rising with slope −1.  The two meet near h ≈ √ε ≈ 1e-8 for forward and h ≈ ∛ε ≈ 6e-6 for central;
the book's h = 1e-4 is just above central's best h, where truncation is small and rounding cannot grow.
"""

from __future__ import annotations

import numpy as np

from .config import TrainConfig
from .gates import targets
from .methods import METHODS
from .network import Network, param_count
from .objective import Objective

# h from 1e-12 to 1e-1, four points a decade: the whole of the h the settings allow (config.H_RANGE).
DEFAULT_HS = np.logspace(-12, -1, 45)
CURVE_METHODS = ("forward", "central")
# The h intervals of the two regimes, for fitted_slopes: truncation error dominates at large h,
# rounding error at tiny h (both methods, for float64 losses of order 1).
REGIMES = {"truncation": (1e-3, 1e-1), "rounding": (1e-12, 1e-9)}


def relative_errors(gradient: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """|g − r| / max(|g|, |r|) for each parameter (arrays of one shape; the result has it too), with a floor of
    1e-8 on the scale so that a gradient that is ~0 is not judged by its rounding.  CS231n's gradient-check
    relative error ("Neural Networks Part 3", gradient checks), one component at a time."""
    scale = np.maximum(np.maximum(np.abs(gradient), np.abs(reference)), 1e-8)
    return np.abs(gradient - reference) / scale


def relative_error(gradient: np.ndarray, reference: np.ndarray) -> float:
    """The largest of :func:`relative_errors` over the parameters.

    One component near 0 makes this large (0.1 and more for ``forward`` at some seeds)
    although the gradient as a whole is right: read :func:`norm_relative_error` for that."""
    return float(np.max(relative_errors(gradient, reference)))


def norm_relative_error(gradient: np.ndarray, reference: np.ndarray) -> float:
    """‖g − r‖ / max(‖g‖, ‖r‖) with Euclidean norms over all parameters (1-D arrays of equal
    length), the scale floored at 1e-8 as in :func:`relative_error`; 0 for equal vectors.

    CS231n's gradient-check relative error |f'a − f'n| / max(|f'a|, |f'n|) ("Neural Networks
    Part 3", gradient checks) taken over the whole gradient vector, the norm-wise relative
    error of numerical analysis: a component near 0 weighs as little as it counts."""
    scale = max(float(np.linalg.norm(gradient)), float(np.linalg.norm(reference)), 1e-8)
    return float(np.linalg.norm(gradient - reference)) / scale


def seeded_objective(config: TrainConfig, params: np.ndarray | None = None) -> tuple[Network, Objective]:
    """The network of ``config`` (a validated TrainConfig) and its loss on ``config.gate``.  ``params``: a
    ``(P,)`` parameter vector in the book's layout (copied); None: the seeded initial ones (``config.seed``,
    ``config.init``).  ValueError if ``params`` has not the P of ``config.hidden``."""
    size = param_count(config.hidden)
    if params is not None and np.shape(params) != (size,):
        raise ValueError(f"params must be {size} numbers for hidden layers {config.hidden}, "
                         f"got shape {np.shape(params)}")
    network = Network(config.hidden, config.seed, params=params, init=config.init, activation=config.activation)
    objective = Objective(network.params, config.hidden, targets(config.gate), activation=config.activation)
    return network, objective


def method_gradients(objective: Objective, h: float, keys=None) -> dict[str, np.ndarray]:
    """``{key: dL/dparams}``, shape ``(P,)`` each, for the registered methods ``keys`` (None: every one, in
    registry order) with finite-difference step ``h`` (backprop ignores it).  The parameters are left as they
    were (each method puts back what it perturbs, exactly)."""
    return {key: METHODS[key].gradient(objective, h) for key in (METHODS if keys is None else keys)}


def check_gradients(config: TrainConfig, params: np.ndarray | None = None, keys=None) -> dict:
    """Every method's gradient against backprop's at ``params`` (None: the seeded initial parameters of
    ``config``), with the finite-difference step ``config.h``: the numbers of ``python -m nn_core gradcheck``.

    ``config``: a validated TrainConfig.  ``keys``: registered method keys (None: every one, in registry order);
    backprop is the reference whether or not it is among them.  Returns ``{"params": (P,), "loss": float,
    "gradients": {key: (P,)}, "relative_errors": {key: (P,)}, "max_rel_error": {key: float},
    "norm_rel_error": {key: float}}``, params and gradients in ``nn_core.network.param_layout`` order, the errors
    dimensionless (:func:`relative_errors`, :func:`relative_error`, :func:`norm_relative_error`).  Non-finite
    params give NaN or inf gradients and errors, not an exception.  ValueError as :func:`seeded_objective`
    raises it, or for an unknown method."""
    keys = list(METHODS if keys is None else keys)
    for key in keys:
        if key not in METHODS:
            raise ValueError(f"unknown method {key!r} (known: {', '.join(METHODS)})")
    network, objective = seeded_objective(config, params)
    with np.errstate(all="ignore"):  # a diverged network's overflow is reported as the NaN and inf it gives
        gradients = method_gradients(objective, config.h, keys)
        reference = gradients["backprop"] if "backprop" in gradients else METHODS["backprop"].gradient(objective, 0)
        errors = {key: relative_errors(g, reference) for key, g in gradients.items()}
        return {"params": network.params.copy(), "loss": float(objective.loss()), "gradients": gradients,
                "relative_errors": errors,
                "max_rel_error": {key: float(np.max(e)) for key, e in errors.items()},
                "norm_rel_error": {key: norm_relative_error(g, reference) for key, g in gradients.items()}}


def error_vs_h(config: TrainConfig, params: np.ndarray | None = None, hs=DEFAULT_HS,
               methods=CURVE_METHODS) -> dict:
    """Each method's relative error against backprop for every h in ``hs``, at ``params`` (None: the seeded
    initial parameters of ``config``).

    ``config``: a validated TrainConfig (its gate, hidden layers, activation, seed, init; its own ``h`` is not
    used).  ``hs``: positive finite steps (any float: the method functions take h directly, so the curve may
    go outside the range the settings allow).  ``methods``: registered method keys.

    Returns ``{"h": (n,) array, "norm_rel_error": {key: (n,) array}, "max_rel_error": {key: (n,) array}}``,
    the errors dimensionless (see :func:`norm_relative_error` and :func:`relative_error`), entry i for
    ``hs[i]``: the numbers ``gradcheck`` reports with ``--h hs[i]``.  ValueError for an h that is not positive
    and finite, or an unknown method.
    """
    hs = np.asarray(hs, dtype=float).ravel()
    if not hs.size or not np.all(np.isfinite(hs)) or not np.all(hs > 0):
        raise ValueError("every h of the curve must be a positive finite number")
    for key in methods:
        if key not in METHODS:
            raise ValueError(f"unknown method {key!r} (known: {', '.join(METHODS)})")
    _, objective = seeded_objective(config, params)
    reference = METHODS["backprop"].gradient(objective, 0.0)
    norm = {key: np.empty(hs.size) for key in methods}
    largest = {key: np.empty(hs.size) for key in methods}
    for i, h in enumerate(hs):
        for key, gradient in method_gradients(objective, float(h), methods).items():
            norm[key][i] = norm_relative_error(gradient, reference)
            largest[key][i] = relative_error(gradient, reference)
    return {"h": hs, "norm_rel_error": norm, "max_rel_error": largest}


def fitted_slope(hs, errors, low: float, high: float) -> float:
    """The least-squares slope of log10(error) against log10(h) over the points with ``low <= h <= high``
    (the ends taken with a relative tolerance of 1e-9, as logspace's points are not exact powers of ten):
    1 for an error proportional to h, 2 for h², −1 for 1/h.  ValueError with fewer than two points in the
    interval or an error that is not positive there."""
    hs, errors = np.asarray(hs, dtype=float), np.asarray(errors, dtype=float)
    inside = (hs >= low * (1 - 1e-9)) & (hs <= high * (1 + 1e-9))
    if np.count_nonzero(inside) < 2:
        raise ValueError(f"fewer than two h from {low:g} to {high:g}")
    if not np.all(errors[inside] > 0):
        raise ValueError(f"an error from h {low:g} to {high:g} is not positive: no slope on log-log axes")
    slope, _ = np.polyfit(np.log10(hs[inside]), np.log10(errors[inside]), 1)
    return float(slope)


def fitted_slopes(hs, errors, regimes=None) -> dict[str, float]:
    """``{regime: slope}``: :func:`fitted_slope` over each regime's ``(low, high)`` h interval
    (None: ``REGIMES``, truncation 1e-3..1e-1 and rounding 1e-12..1e-9)."""
    return {name: fitted_slope(hs, errors, low, high) for name, (low, high) in (regimes or REGIMES).items()}
