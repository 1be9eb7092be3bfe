"""The loss landscape: the loss over a plane through a network's parameters, and its training path on it.

The plane is θ + α·d1 + β·d2 for two directions d1, d2 ``(P,)`` (Li, Xu, Taylor, Studer and Goldstein 2018,
"Visualizing the Loss Landscape of Neural Nets", NeurIPS):

- trajectory PCA (their section 7): the first two principal directions of the matrix whose rows are
  θ_t − θ_now for the kept steps t of the run (centred, as PCA does; their code uses scikit-learn's PCA);
- random (their section 4, "filter normalisation"): two Gaussian directions, each unit's part scaled to the
  norm of that unit's part of θ.

Every point of the grid (and every point of the projected path) is one network of a stack, and their losses
come from ONE stacked forward pass (``nn_core.stack.stack_logits``).  The loss is ``Trainer.loss``'s: the
mean cross-entropy on the 4 rows of the truth table, without the weight decay term.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .config import TrainConfig
from .gates import targets as gate_targets
from .network import bce_from_logits, param_count, param_layout
from .stack import stack_logits

DEFAULT_POINTS = 61  # grid points a side (odd: the current parameters are the middle one)
PATH_POINTS = 400  # at most this many kept steps are projected and drawn (evenly chosen, first and last kept)
PCA_ROWS = 200  # at most this many kept steps go into the PCA (its cost grows with T·P·min(T, P))
SPAN_MARGIN = 1.2  # PCA: the grid reaches this many times the path's largest coordinate on each axis
RANDOM_SPAN = 1.0  # random directions: α and β in [-1, 1] (a direction is as long as θ, unit by unit)
BLOCK_NUMBERS = 2**21  # a block of the stack holds at most this many numbers (16 MiB): one block for small networks
RANK_TOLERANCE = 1e-9  # the second singular value below this fraction of the first: the path has rank < 2
LOSS_FLOOR = 1e-12  # what a loss that underflows to 0 is shown as (its logarithm is drawn)
# Why PCA fell back to random directions (``Directions.fallback``).
SHORT_PATH = "fewer than 3 kept steps"
FLAT_PATH = "the path has rank < 2"


@dataclass(frozen=True)
class Directions:
    """Two directions ``d1``, ``d2`` ``(P,)`` spanning the plane.

    ``method``: "pca" or "random" (the one used: "random" also when PCA was asked and could not be had).
    ``explained``: for "pca", the share (0..1) of the path's variance the two directions explain; else None.
    ``fallback``: why PCA fell back to random directions (SHORT_PATH or FLAT_PATH), else None.
    """

    d1: np.ndarray
    d2: np.ndarray
    method: str
    explained: float | None = None
    fallback: str | None = None


@dataclass(frozen=True)
class Landscape:
    """The loss over the grid: ``alphas`` ``(n,)`` along d1, ``betas`` ``(n,)`` along d2, ``losses`` ``(n, n)``
    with ``losses[i, j]`` at θ + alphas[i]·d1 + betas[j]·d2 (``losses[n//2, n//2]`` at θ itself), and
    ``point_losses`` ``(M,)`` at the extra points asked for.  A network that overflows has loss +inf (never NaN)."""

    alphas: np.ndarray
    betas: np.ndarray
    losses: np.ndarray
    point_losses: np.ndarray


@dataclass(frozen=True)
class LandscapeResult:
    """What the landscape view draws (``compute``): the directions, the grid's ``landscape``, the path's kept
    steps ``path_steps`` ``(T,)``, their plane coordinates ``path_coords`` ``(T, 2)`` and the loss at each
    projected point ``path_losses`` ``(T,)`` (on the surface, not the loss at θ_t itself).  Either kind of
    directions is signed so that the path's first point has coordinates ≥ 0."""

    directions: Directions
    landscape: Landscape
    path_steps: np.ndarray
    path_coords: np.ndarray
    path_losses: np.ndarray


def _vector(params, count: int, name: str) -> np.ndarray:
    v = np.asarray(params, dtype=float)
    if v.shape != (count,):
        raise ValueError(f"{name} must have shape ({count},), got {v.shape}")
    if not np.isfinite(v).all():
        raise ValueError(f"{name} must be finite")
    return v


def _path(path_params, count: int) -> np.ndarray:
    path = np.asarray(path_params, dtype=float)
    if path.ndim != 2 or path.shape[1] != count:
        raise ValueError(f"the path must have shape (T, {count}), got {path.shape}")
    return path


def thinned(count: int, at_most: int) -> np.ndarray:
    """Indices of at most ``at_most`` (≥ 2) of ``count`` rows, evenly spread, the first and the last kept."""
    if count <= at_most:
        return np.arange(count)
    return np.unique(np.rint(np.linspace(0, count - 1, at_most)).astype(np.intp))


def random_directions(config: TrainConfig, params, seed: int = 0) -> Directions:
    """Two random directions, filter-normalised (Li et al. 2018, section 4).

    Each direction is drawn N(0, 1) per parameter; then, for every layer k and unit j, the unit's part of the
    direction, its incoming weights W_k[:, j] together with its bias b_k[j], is scaled to the Euclidean norm
    of the same part of ``params``.  (Li et al.'s code leaves biases out, zeroing their direction; here a bias
    is part of its unit's filter, so the plane moves biases too, which a gate's solution needs.)  A unit whose
    part of ``params`` is all zero gets a zero part (if all of ``params`` is zero, the direction is a unit
Gaussian vector instead).  ``params`` ``(P,)``; ValueError if not that or not
    finite.  The same seed gives the same directions."""
    config = config.validated()
    params = _vector(params, param_count(config.hidden), "the parameters")
    rng = np.random.default_rng(seed)
    out = []
    layout = param_layout(config.hidden)
    for _ in range(2):
        d = rng.standard_normal(params.shape)
        for (_w, (n_in, n_out), w_cut), (_b, _shape, b_cut) in zip(layout[0::2], layout[1::2], strict=True):
            # A unit's filter: column j of [W_k; b_k], (n_in + 1, n_out).
            theta = np.vstack([params[w_cut].reshape(n_in, n_out), params[b_cut][None, :]])
            part = np.vstack([d[w_cut].reshape(n_in, n_out), d[b_cut][None, :]])
            part *= np.linalg.norm(theta, axis=0) / np.linalg.norm(part, axis=0)
            d[w_cut] = part[:-1].ravel()
            d[b_cut] = part[-1]
        if not d.any():  # θ = 0: no unit has a norm to take, so the plain Gaussian, made a unit vector
            d = rng.standard_normal(params.shape)
            d /= np.linalg.norm(d)
        out.append(d)
    return Directions(out[0], out[1], "random")


def pca_directions(path_params, center, config: TrainConfig, seed: int = 0) -> Directions:
    """The first two principal directions of the path (Li et al. 2018, section 7), or random ones.

    M has a row θ_t − ``center`` for each kept step t of ``path_params`` ``(T, P)`` (at most PCA_ROWS of them,
    evenly chosen); its rows are centred on their mean and its first two right singular vectors are d1 and d2,
    orthonormal.  Each is signed so that the path's first point has a coordinate ≥ 0 along it (the path runs
    from + towards the origin).  ``explained`` = (s1² + s2²) / Σ s², the share of the path's variance in the plane.

    With fewer than 3 kept steps, or a path of rank < 2 (a straight line or one point: s2 ≤ RANK_TOLERANCE·s1),
    the plane is not defined by the path: ``random_directions(config, center, seed)`` are returned, with
    ``fallback`` saying why.  ValueError for shapes that do not match ``config.hidden`` or non-finite input."""
    config = config.validated()
    count = param_count(config.hidden)
    center = _vector(center, count, "the parameters")
    path = _path(path_params, count)
    if not np.isfinite(path).all():
        raise ValueError("the path must be finite")

    def fallback(reason: str) -> Directions:
        d = random_directions(config, center, seed)
        return Directions(d.d1, d.d2, "random", None, reason)

    if len(path) < 3:
        return fallback(SHORT_PATH)
    rows = path[thinned(len(path), PCA_ROWS)] - center
    rows -= rows.mean(axis=0)
    if rows.shape[1] > rows.shape[0]:  # P > T: the SVD of the small triangle of rowsᵀ = Q·R (cost P·T², not more)
        q, r = np.linalg.qr(rows.T)
        _u, s, wt = np.linalg.svd(r.T)
        vt = (q @ wt.T).T
    else:
        _u, s, vt = np.linalg.svd(rows, full_matrices=False)
    if len(s) < 2 or s[0] == 0 or s[1] <= RANK_TOLERANCE * s[0]:
        return fallback(FLAT_PATH)
    first = path[0] - center
    directions = [v if v @ first >= 0 else -v for v in vt[:2]]
    explained = float((s[0] ** 2 + s[1] ** 2) / (s**2).sum())
    return Directions(directions[0], directions[1], "pca", explained)


def project(path_params, params, d1, d2) -> np.ndarray:
    """``(T, 2)``: each θ_t of ``path_params`` ``(T, P)`` as (α, β), the least-squares solution of
    α·d1 + β·d2 ≈ θ_t − ``params`` (for orthonormal directions, the dot products with d1 and d2).
    ValueError for mismatched shapes or directions that do not span a plane."""
    params = np.asarray(params, dtype=float)
    count = params.shape[-1] if params.ndim == 1 else -1
    params = _vector(params, count, "the parameters")
    basis = np.column_stack([_vector(d1, count, "d1"), _vector(d2, count, "d2")])  # (P, 2)
    path = _path(path_params, count)
    q, r = np.linalg.qr(basis)  # basis = Q·R: the least-squares solution is R⁻¹ Qᵀ (θ_t − params)
    if not abs(r[1, 1]) > RANK_TOLERANCE * abs(r[0, 0]):
        raise ValueError("d1 and d2 must span a plane")
    if len(path) == 0:
        return np.zeros((0, 2))
    return np.linalg.solve(r, (path @ q - params @ q).T).T


def _axis(span: float, n: int) -> np.ndarray:
    mid = n // 2
    return span * (np.arange(n) - mid) / mid  # exactly 0 at the middle


def landscape(config: TrainConfig, params, d1, d2, span, n: int = DEFAULT_POINTS, points=None) -> Landscape:
    """The loss at θ + α·d1 + β·d2 over an n×n grid, α in [-span_α, span_α] and β in [-span_β, span_β] (``span``
    one number or the pair), and at the ``points`` ``(M, 2)`` (α, β) too: all n² + M networks in ONE stacked
    forward pass (a block of at most BLOCK_NUMBERS numbers at a time: one block up to ~500 parameters at n = 61).
    n odd (≥ 3), so the grid's middle is θ itself, exactly.  Losses of networks that overflow
    are +inf.  ValueError for a bad n, span, shape or non-finite input."""
    config = config.validated()
    count = param_count(config.hidden)
    params = _vector(params, count, "the parameters")
    d1, d2 = _vector(d1, count, "d1"), _vector(d2, count, "d2")
    if not isinstance(n, (int, np.integer)) or n < 3 or n % 2 == 0:
        raise ValueError(f"the grid needs an odd number of points ≥ 3 a side, got {n}")
    spans = np.broadcast_to(np.asarray(span, dtype=float), (2,))
    if not (np.isfinite(spans).all() and (spans > 0).all()):
        raise ValueError(f"the span must be positive and finite, got {span}")
    extra = np.zeros((0, 2)) if points is None else np.asarray(points, dtype=float)
    if extra.ndim != 2 or extra.shape[1] != 2 or not np.isfinite(extra).all():
        raise ValueError(f"the points must be finite (M, 2), got shape {extra.shape}")
    alphas, betas = _axis(spans[0], n), _axis(spans[1], n)
    a = np.concatenate([np.repeat(alphas, n), extra[:, 0]])
    b = np.concatenate([np.tile(betas, n), extra[:, 1]])
    target = gate_targets(config.gate)
    losses = np.empty(len(a))
    rows = max(1, BLOCK_NUMBERS // count)  # the stack is made a block of rows at a time: its memory stays bounded
    with np.errstate(all="ignore"):  # a far corner may overflow: its loss becomes +inf below
        for start in range(0, len(a), rows):
            cut = slice(start, start + rows)
            stack = np.multiply.outer(a[cut], d1)  # (rows, P): params + α·d1 + β·d2
            stack += np.multiply.outer(b[cut], d2)
            stack += params
            losses[cut] = bce_from_logits(stack_logits(config, stack)[:, :, None], target)
    losses[~np.isfinite(losses)] = np.inf
    return Landscape(alphas, betas, losses[: n * n].reshape(n, n), losses[n * n:])


def compute(config: TrainConfig, params, path_params, path_steps=None, method: str = "pca", n: int = DEFAULT_POINTS,
            seed: int = 0, span: float | None = None) -> LandscapeResult:
    """Everything the view draws, from the network ``params`` ``(P,)`` and its kept steps ``path_params``
    ``(T, P)`` (T may be 0): the directions (``method`` "pca" or "random"), the path's coordinates (at most
    PATH_POINTS kept steps, evenly chosen, first and last kept) and one batched evaluation of the grid and the
    projected path.  The span: ``span`` if given, else for PCA SPAN_MARGIN × the path's largest coordinate on
    each axis (β's at least a quarter of α's, so the surface is not a sliver), for random RANDOM_SPAN or as
    for PCA if the path reaches further.
    ValueError for an unknown method or as ``landscape``."""
    config = config.validated()
    count = param_count(config.hidden)
    params = _vector(params, count, "the parameters")
    path = _path(path_params, count) if np.size(path_params) else np.zeros((0, count))
    steps = np.arange(len(path)) if path_steps is None else np.asarray(path_steps)
    if len(steps) != len(path):
        raise ValueError(f"path_steps has {len(steps)} entries for {len(path)} kept steps")
    if method == "pca":
        directions = pca_directions(path, params, config, seed)
    elif method == "random":
        directions = random_directions(config, params, seed)
    else:
        raise ValueError(f"unknown directions {method!r}: 'pca' or 'random'")
    keep = thinned(len(path), PATH_POINTS)
    path, steps = path[keep], steps[keep]
    coords = project(path, params, directions.d1, directions.d2)
    if len(coords) and directions.method == "random":  # signed as PCA's: the path starts at coordinates ≥ 0
        signs = np.where(coords[0] < 0, -1.0, 1.0)
        coords = coords * signs
        directions = replace(directions, d1=directions.d1 * signs[0], d2=directions.d2 * signs[1])
    if span is None:
        if directions.method == "pca":
            reach = np.abs(coords).max(axis=0) * SPAN_MARGIN
            reach = np.maximum(reach, reach.max() / 4)
            spans = reach if reach.max() > 0 else np.array([RANDOM_SPAN, RANDOM_SPAN])
        else:  # the path too, if it reaches further
            reach = np.abs(coords).max(axis=0) * SPAN_MARGIN if len(coords) else np.zeros(2)
            spans = np.maximum(reach, RANDOM_SPAN)
    else:
        spans = span
    grid = landscape(config, params, directions.d1, directions.d2, spans, n, coords)
    return LandscapeResult(directions, grid, steps, coords, grid.point_losses)
