"""The loss of a network (or a stack of networks) on one gate, counting the work done.

Gradient methods see the network only through this class, so the counters
prove that each method does the work its cost model claims.

At these sizes (4 rows, a few units) numpy costs about the same per call
whatever it computes, so the passes here are written in as few calls as the
equations allow, into arrays made once per objective (``out=``, in place):
the passes allocate nothing, and a step's cost is its count of calls.  The
readable forms are ``network.logits`` and ``network.bce_from_logits``; these
compute the same equations, equal to rounding (tests/test_engine_floor.py).
"""

from __future__ import annotations

import numpy as np

from .activations import DEFAULT_ACTIVATION, get_activation
from .gates import INPUTS
from .network import layer_views, param_layout

# Constants as 0-d arrays: numpy takes one in about half the time it takes to convert a Python float.
HALF, ZERO, ONE = np.array(0.5), np.array(0.0), np.array(1.0)


# In-place forms of the activations (``a`` overwritten by f(a); ``d`` multiplied by f′ from the output ``z``),
# the same operations as ``activations`` in the same order.  An activation not listed falls back to its own
# (allocating) functions.
def sigmoid_in_place(a, _scratch=None):
    """``activations.sigmoid`` written over ``a``."""
    np.multiply(a, HALF, a)  # σ(a) = tanh(a/2)/2 + 1/2, as activations.sigmoid
    np.tanh(a, a)
    np.multiply(a, HALF, a)
    np.add(a, HALF, a)


def _sigmoid_derivative_(d, z, scratch):
    np.multiply(z, z, scratch)  # σ′ = z − z²
    np.subtract(z, scratch, scratch)
    np.multiply(d, scratch, d)


def _tanh_(a, _scratch):
    np.tanh(a, a)


def _tanh_derivative_(d, z, scratch):
    np.multiply(z, z, scratch)  # tanh′ = 1 − z²
    np.subtract(ONE, scratch, scratch)
    np.multiply(d, scratch, d)


def _relu_(a, _scratch):
    np.maximum(a, ZERO, out=a)


def _relu_derivative_(d, z, _scratch):
    d *= z > ZERO  # × 1.0 or × 0.0, as relu_derivative's (z > 0) * 1.0


IN_PLACE = {"sigmoid": (sigmoid_in_place, _sigmoid_derivative_), "tanh": (_tanh_, _tanh_derivative_),
            "relu": (_relu_, _relu_derivative_)}


def _in_place(activation):
    if activation.key in IN_PLACE:
        return IN_PLACE[activation.key]

    def f_(a, _scratch):
        a[...] = activation.f(a)

    def derivative_(d, z, _scratch):
        d *= activation.derivative(z)
    return f_, derivative_


class Objective:
    """L(params) for params of shape ``(P,)``, or ``(K, P)`` for K networks at once.

    ``activation``: the hidden layers' key in ``ACTIVATIONS``; ``self.activation`` is its entry,
    whose derivative backprop uses.  ValueError for an unknown key.

    The passes run transposed, with the bias folded into the product: Aᵀ = [W; b]ᵀ [Z 1]ᵀ is
    (Z W + b)ᵀ, and layer k's W and b are adjacent in ``params``, so ``[W; b]`` is one view of it.
    One product a layer, no broadcast add, and every array ``np.dot`` needs is contiguous.
    """

    def __init__(self, params: np.ndarray, hidden, targets: np.ndarray, activation: str = DEFAULT_ACTIVATION):
        self.params = params  # shared, not copied: methods perturb it in place
        self.hidden = tuple(hidden)
        self.activation = get_activation(activation)
        self.f = self.activation.f
        self.activate, self.times_derivative = _in_place(self.activation)
        self.layers = layer_views(params, self.hidden)
        self.depth = len(self.layers)
        self.x = INPUTS
        self.targets = targets
        self.networks = int(np.prod(params.shape[:-1]))
        self.gradient = np.empty_like(params)  # backprop writes here, through grad_layers
        self.grad_layers = layer_views(self.gradient, self.hidden)
        self.loss_evals = 0  # per network
        self.layer_evals = 0  # per network
        # np.dot costs half of matmul a call; a stack needs matmul's broadcasting
        self.matmul = np.dot if params.ndim == 1 else np.matmul
        self.weights_t = self._augmented(params, transposed=True)  # [W_k; b_k]ᵀ
        self.grad_augmented = self._augmented(self.gradient)  # [dL/dW_k; dL/db_k]
        self.weights = [w for w, _b in self.layers]
        self.x_t = np.vstack([self.x.T, np.ones((1, self.x.shape[0]))])  # [x 1]ᵀ
        self.targets_t = targets.mT
        rows = self.x.shape[0]
        self.rows = np.array(float(rows))
        self.one_over_n = np.full(rows, 1.0 / rows)
        binary = np.isin(targets, (0.0, 1.0)).all()
        self.signs_t = 1.0 - 2.0 * self.targets_t if binary else None  # the loss's s = 1 − 2t
        self.half_over_n, self.output_offset_t = np.array(0.5 / rows), (0.5 - self.targets_t) / rows  # backprop's δ_L
        self.cache_t, self.out_t, self.per_row_t = self._buffers(params.shape[:-1])  # forward_pass's
        self.work_t, self.work_out_t, _ = self._buffers(params.shape[:-1])  # loss_from's
        self.inputs_t = [self.x_t, *(z for z, _ in self.cache_t)]  # [Z_k 1]ᵀ: the input to every layer
        self.z_t = [z for _, z in self.cache_t]  # Z_kᵀ: the rows above the ones
        self.inputs = [self.x, *(z.mT for z in self.z_t)]  # Z_k, as forward_pass gives them
        # backprop: δ_kᵀ and its transpose, k = 1 .. L (δ_Lᵀ is written over A_Lᵀ)
        self.deltas = [(d, d.mT) for d in (*(np.empty_like(z) for z in self.z_t), self.out_t)]
        self.scratch_t = [np.empty_like(z) for z in self.z_t]
        self._batch = None  # vectorized's (..., 2P, P) batch, its h·I and its buffers: made on first use

    def _augmented(self, params, transposed=False):
        """``[W_k; b_k]`` (``(..., n_in + 1, n_out)``) for each layer, views of ``params``; or their transposes."""
        sizes, lead = (2, *self.hidden, 1), params.shape[:-1]
        views = [params[..., cut].reshape(*lead, n_in + 1, n_out)
                 for cut, n_in, n_out in zip(self.layer_param_slices(), sizes[:-1], sizes[1:], strict=True)]
        return [v.mT for v in views] if transposed else views

    def _buffers(self, lead):
        """``[Z_k 1]ᵀ`` for each hidden layer (the ones row set once), A_Lᵀ, and the loss's per-row terms."""
        rows = self.x.shape[0]
        return ([(z, z[..., :-1, :]) for z in (np.ones((*lead, n + 1, rows)) for n in self.hidden)],
                np.empty((*lead, 1, rows)),
                np.empty((*lead, 1, rows)))

    def layer_param_slices(self) -> list[slice]:
        """The slice of ``params`` that holds layer k's W and b, for each k."""
        cuts = [cut for _name, _shape, cut in param_layout(self.hidden)]
        return [slice(w.start, b.stop) for w, b in zip(cuts[0::2], cuts[1::2], strict=True)]

    def loss(self) -> np.ndarray:
        return self.loss_from(0, self.x)

    def _logits_t(self, weights_t, z_t_in, start, outs_t, out_t, matmul):
        """``network.logits`` transposed, from ``[Z 1]ᵀ`` into ``outs_t`` (hidden: pairs of ``[Z 1]ᵀ`` and its
        rows above the ones) and ``out_t`` (A_Lᵀ)."""
        last = self.depth - 1
        for k in range(start, last):
            z_t, a = outs_t[k]  # [Z 1]ᵀ and its rows above the ones
            matmul(weights_t[k], z_t_in, a)  # Aᵀ = [W; b]ᵀ [Z 1]ᵀ
            if z_t.ndim == 2:
                self.activate(a, None)
            else:  # a stack: numpy is twice as fast on the whole contiguous array, ones row included, ...
                self.activate(z_t, None)
                z_t[..., -1, :] = 1.0  # ... which is then put back
            z_t_in = z_t
        matmul(weights_t[last], z_t_in, out_t)
        return out_t

    def _bce(self, a, per_row):
        """``network.bce_from_logits`` through ``per_row``: mean over rows of softplus(a) − t·a.

        For targets 0 and 1 that is softplus(s·a) with s = 1 − 2t (log(1 + e^a) − a = log(e^−a + 1)):
        two calls, not three, and no cancellation when a is large.  ``a`` is overwritten.
        """
        if self.signs_t is None:
            np.multiply(self.targets_t, a, per_row)
            np.subtract(np.logaddexp(ZERO, a, a), per_row, per_row)
        else:
            np.multiply(a, self.signs_t, per_row)
            np.logaddexp(ZERO, per_row, per_row)
        if per_row.ndim == 2:  # one network: Σ_rows term/n as one dot product
            return np.dot(per_row[0], self.one_over_n)
        np.divide(per_row, self.rows, per_row)  # each term first: 4 near the float maximum would overflow the sum
        return np.add.reduce(per_row, axis=(-2, -1))

    def loss_from(self, start: int, inputs: np.ndarray) -> np.ndarray:
        """Loss recomputing only layers ``start..``, given the cached input to layer ``start``."""
        self.loss_evals += 1
        self.layer_evals += self.depth - start
        if inputs is self.inputs[start]:  # forward_pass's: its [Z 1]ᵀ is at hand
            z_t = self.inputs_t[start]
        else:
            z_t = np.concatenate([inputs.mT, np.ones((*inputs.shape[:-2], 1, inputs.shape[-2]))], axis=-2)
        logits_t = self._logits_t(self.weights_t, z_t, start, self.work_t, self.work_out_t, self.matmul)
        return self._bce(logits_t, self.per_row_t)

    def loss_of_logits(self, logits: np.ndarray) -> np.ndarray:
        """The loss of ``forward_pass``'s output logits, by ``loss_from``'s own formula (so that a difference of
        the two has no rounding of its own).  Overwrites ``logits``."""
        return self._bce(logits.mT, self.per_row_t)

    def forward_pass(self) -> tuple[list[np.ndarray], np.ndarray]:
        """The input to every layer ``[x, Z1, Z2, ...]`` and the output logits.

        Views of this objective's arrays, overwritten by the next ``forward_pass`` (not by ``loss_from``).
        """
        self.loss_evals += 1
        self.layer_evals += self.depth
        return self.inputs, self._logits_t(self.weights_t, self.x_t, 0, self.cache_t, self.out_t, self.matmul).mT

    def batch(self, h: float) -> np.ndarray:
        """``(..., 2P, P)``: rows p + h·e_i, then rows p − h·e_i, for the parameters as they are now.

        The same array each call (refilled), so a step allocates nothing.
        """
        n = self.params.shape[-1]
        if self._batch is None or self._batch[1] != h:
            batch = np.empty((*self.params.shape[:-1], 2 * n, n))
            self._batch = (batch, h, h * np.eye(n), self._batch_buffers(batch))
        batch, _h, steps, _buffers = self._batch
        base = self.params[..., None, :]
        np.add(base, steps, out=batch[..., :n, :])
        np.subtract(base, steps, out=batch[..., n:, :])
        return batch

    def _batch_buffers(self, params_batch):
        return self._augmented(params_batch, transposed=True), *self._buffers(params_batch.shape[:-1])

    def batch_loss(self, params_batch: np.ndarray) -> np.ndarray:
        """Loss of each of the B vectors in ``params_batch`` (``(..., B, P)`` -> ``(..., B)``), in one pass."""
        per_network = params_batch.size // (params_batch.shape[-1] * self.networks)
        self.loss_evals += per_network
        self.layer_evals += per_network * self.depth
        own = self._batch is not None and params_batch is self._batch[0]
        weights_t, outs_t, out_t, per_row = self._batch[3] if own else self._batch_buffers(params_batch)
        return self._bce(self._logits_t(weights_t, self.x_t, 0, outs_t, out_t, np.matmul), per_row)
