"""The loss of a network (or a stack of networks) on one gate, counting the work done.

Gradient methods see the network only through this class, so the counters
prove that each method does the work its cost model claims.
"""

from __future__ import annotations

import numpy as np

from .activations import DEFAULT_ACTIVATION, get_activation
from .gates import INPUTS
from .network import bce_from_logits, layer_views, logits, param_layout


class Objective:
    """L(params) for params of shape ``(P,)``, or ``(K, P)`` for K networks at once.

    ``activation``: the hidden layers' key in ``ACTIVATIONS``; ``self.activation`` is its entry,
    whose derivative backprop uses.  ValueError for an unknown key.
    """

    def __init__(self, params: np.ndarray, hidden, targets: np.ndarray, activation: str = DEFAULT_ACTIVATION):
        self.params = params  # shared, not copied: methods perturb it in place
        self.hidden = tuple(hidden)
        self.activation = get_activation(activation)
        self.f = self.activation.f
        self.layers = layer_views(params, self.hidden)
        self.depth = len(self.layers)
        self.x = INPUTS
        self.targets = targets
        self.networks = int(np.prod(params.shape[:-1]))
        self.gradient = np.empty_like(params)  # backprop writes here, through grad_layers
        self.grad_layers = layer_views(self.gradient, self.hidden)
        self.loss_evals = 0  # per network
        self.layer_evals = 0  # per network

    def layer_param_slices(self) -> list[slice]:
        """The slice of ``params`` that holds layer k's W and b, for each k."""
        cuts = [cut for _name, _shape, cut in param_layout(self.hidden)]
        return [slice(w.start, b.stop) for w, b in zip(cuts[0::2], cuts[1::2], strict=True)]

    def loss(self) -> np.ndarray:
        return self.loss_from(0, self.x)

    def loss_from(self, start: int, inputs: np.ndarray) -> np.ndarray:
        """Loss recomputing only layers ``start..``, given the cached input to layer ``start``."""
        self.loss_evals += 1
        self.layer_evals += self.depth - start
        return bce_from_logits(logits(self.layers, inputs, start, self.f), self.targets)

    def forward_pass(self) -> tuple[list[np.ndarray], np.ndarray]:
        """The input to every layer ``[x, Z1, Z2, ...]`` and the output logits."""
        self.loss_evals += 1
        self.layer_evals += self.depth
        inputs = [self.x]
        for w, b in self.layers[:-1]:
            inputs.append(self.f(inputs[-1] @ w + b))
        return inputs, logits(self.layers, inputs[-1], self.depth - 1, self.f)

    def batch_loss(self, params_batch: np.ndarray) -> np.ndarray:
        """Loss of each of the B vectors in ``params_batch`` (``(..., B, P)`` -> ``(..., B)``), in one pass."""
        per_network = params_batch.size // (params_batch.shape[-1] * self.networks)
        self.loss_evals += per_network
        self.layer_evals += per_network * self.depth
        layers = layer_views(params_batch, self.hidden)
        return bce_from_logits(logits(layers, self.x, activation=self.f), self.targets)
