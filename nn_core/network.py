"""The network: 2 inputs, one or more hidden layers (activation from ``ACTIVATIONS``), 1 sigmoid output.

All parameters live in one contiguous float64 vector; ``layer_views`` gives
``(W, b)`` views into it, so a gradient method can perturb any parameter in
place and an update is one vector operation.  Every function here also works
on a stack of parameter vectors of shape ``(B, P)``: numpy's matmul
broadcasts, so the batched paths (``vectorized``, ``sweep``) share this code.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from .activations import DEFAULT_ACTIVATION, get_activation, sigmoid
from .initializers import DEFAULT_INIT, get_initializer

DEFAULT_HIDDEN = (4,)
INPUT_SIZE = 2
OUTPUT_SIZE = 1


def layer_sizes(hidden) -> tuple[int, ...]:
    return (INPUT_SIZE, *hidden, OUTPUT_SIZE)


def param_layout(hidden) -> tuple[tuple[str, tuple[int, ...], slice], ...]:
    """Name, shape and slice of every parameter array, in vector order."""
    return _param_layout(tuple(hidden))


@functools.cache  # on the hot path of every step
def _param_layout(hidden: tuple[int, ...]):
    layout, start = [], 0
    sizes = layer_sizes(hidden)
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
        for name, shape in ((f"W{k}", (n_in, n_out)), (f"b{k}", (n_out,))):
            size = math.prod(shape)
            layout.append((name, shape, slice(start, start + size)))
            start += size
    return tuple(layout)


def param_count(hidden) -> int:
    return param_layout(hidden)[-1][2].stop


def layer_views(params: np.ndarray, hidden) -> list[tuple[np.ndarray, np.ndarray]]:
    """``[(W1, b1), (W2, b2), ...]`` as views of ``params`` (shape ``(P,)`` or ``(B, P)``).

    ``W`` is ``(..., n_in, n_out)`` and ``b`` is ``(..., 1, n_out)``, so that
    ``Z @ W + b`` broadcasts over a stack.
    """
    lead = params.shape[:-1]
    arrays = []
    for _name, shape, cut in param_layout(hidden):
        if len(shape) == 1:
            shape = (1, *shape)  # a bias is a row that broadcasts over the input rows
        arrays.append(params[..., cut].reshape(*lead, *shape))
    return list(zip(arrays[0::2], arrays[1::2], strict=True))


def logits(layers, x: np.ndarray, start: int = 0, activation=sigmoid) -> np.ndarray:
    """Output pre-activation A_L, running layers ``start..`` on the input ``x`` to layer ``start``.

    ``activation`` is the hidden layers' function (an ``Activation.f``); the output's sigmoid is not applied.
    """
    last = len(layers) - 1
    for k in range(start, last):
        w, b = layers[k]
        x = activation(x @ w + b)
    w, b = layers[last]
    return x @ w + b


def bce_from_logits(a: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Mean binary cross-entropy over the rows, from logits.

    -(t log y + (1-t) log(1-y)) with y = sigmoid(a) equals softplus(a) - t*a,
    which never takes the log of 0.  Shape ``(..., 4, 1)`` -> ``(...)``.
    """
    # np.add.reduce: np.mean's Python wrapper costs more than the sum on 4 numbers.
    # Divide each term before summing: 4 terms near the float maximum would overflow the sum
    # (and dividing by 4 is exact, so results are otherwise unchanged).
    per_row = np.logaddexp(0.0, a)
    per_row -= targets * a
    per_row /= a.shape[-2]
    return np.add.reduce(per_row, axis=(-2, -1))


def init_params(hidden, seed: int, init: str = DEFAULT_INIT) -> np.ndarray:
    """Seeded start: depends only on the seed, the architecture and the initialisation.

    W ~ N(0, std(n_in)²) with ``std`` from the ``init`` entry of ``INITIALIZERS``
    (the default, ``xavier``, is N(0, 1/n_in)); biases 0.  ValueError for an unknown ``init``.
    """
    std = get_initializer(init).std
    rng = np.random.default_rng(seed)
    params = np.zeros(param_count(hidden))
    for name, shape, cut in param_layout(hidden):
        if name.startswith("W"):
            params[cut] = rng.normal(0.0, std(shape[0]), size=shape).ravel()
    return params


def weight_mask(hidden) -> np.ndarray:
    """``(P,)``: 1.0 on every weight, 0.0 on every bias (weight decay acts on weights only).  Read-only."""
    return _weight_mask(tuple(hidden))


@functools.cache
def _weight_mask(hidden: tuple[int, ...]) -> np.ndarray:
    mask = np.zeros(param_count(hidden))
    for name, _shape, cut in param_layout(hidden):
        if name.startswith("W"):
            mask[cut] = 1.0
    mask.flags.writeable = False
    return mask


class Network:
    """A parameter vector and the architecture that gives it meaning.

    ``activation`` is a key of ``ACTIVATIONS`` (the hidden layers'), ``init`` one of
    ``INITIALIZERS`` (used only when ``params`` is not given).
    """

    def __init__(self, hidden=DEFAULT_HIDDEN, seed: int = 0, params: np.ndarray | None = None,
                 init: str = DEFAULT_INIT, activation: str = DEFAULT_ACTIVATION):
        self.hidden = tuple(int(n) for n in hidden)
        self.activation = get_activation(activation)
        self.params = init_params(self.hidden, seed, init) if params is None else np.array(params, dtype=float)
        self.layers = layer_views(self.params, self.hidden)

    @property
    def size(self) -> int:
        return self.params.size

    def named(self) -> dict[str, np.ndarray]:
        """``{"W1": ..., "b1": ..., ...}``, views into ``params``."""
        return {name: self.params[cut].reshape(shape) for name, shape, cut in param_layout(self.hidden)}

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Output y for each row of ``x`` (shape ``(n, 2)`` -> ``(n,)``)."""
        return sigmoid(logits(self.layers, x, activation=self.activation.f))[..., 0]
