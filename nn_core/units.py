"""Every unit's output over the unit square: what each hidden unit and the output draw as a map.

``unit_maps`` runs the network once on the n×n grid of ``trainer.grid_inputs`` (x1 along the first axis, x2
along the second, both from 0 to 1), keeping each layer's outputs: hidden layer k's map is its activation
(sigmoid, tanh or relu of Wk·z + bk), the output's is the sigmoid of the last logit, so the output's map is
``Trainer.surface(n)`` to the bit (the same operations in the same order as ``network.logits``).
"""

from __future__ import annotations

import numpy as np

from .activations import sigmoid
from .network import Network
from .trainer import grid_inputs


def unit_maps(network: Network, n: int) -> list[np.ndarray]:
    """Each hidden layer's outputs on the n×n grid, ``(n, n, units)`` per layer, then the output ``(n, n)``:
    ``len(network.hidden) + 1`` arrays; ``[k][i, j, u]`` is unit u of hidden layer k+1 at x1 = i/(n−1),
    x2 = j/(n−1).  One batched forward pass over the n² grid points.  Non-finite parameters give non-finite
    values, without a floating-point warning.  ValueError if n < 2."""
    if n < 2:
        raise ValueError(f"a grid needs at least 2 points a side, got {n}")
    z = grid_inputs(n)
    maps = []
    layers = network.layers
    with np.errstate(all="ignore"):  # a diverged network's inf - inf: NaN is the answer, not a warning
        for w, b in layers[:-1]:
            z = network.activation.f(z @ w + b)
            maps.append(z.reshape(n, n, -1))
        w, b = layers[-1]
        maps.append(sigmoid(z @ w + b)[..., 0].reshape(n, n))
    return maps
