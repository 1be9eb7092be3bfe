"""A stack of K networks trained at memory speed: the engine behind ``sweep``.

Layout.  The K parameter vectors are stored transposed, one row of numbers per
parameter, the networks along the row: ``(P, K)`` where ``Stepper`` holds
``(K, P)``.  Row i is parameter i of the book's vector layout
(``network.param_layout``), in which layer k's weights W_k (``n_in × n_out``)
are followed by its biases b_k; so the rows of layer k viewed together are

    Wb_k    (n_in + 1, n_out, K)     rows 0..n_in−1: W_k[i, j];  row n_in: b_k[j]

Every quantity of a pass has the 4 truth-table rows first and the networks on
its last, contiguous axis:

    X       (4, 2 + 1)               the inputs x, then a 1 for the bias: the same for every network
    A_1     (4, n_1, K)              X @ Wb_1: one matrix product for the whole stack (X is shared)
    Z_k     (4, n_k, K)              f(A_k), f the hidden activation (``ACTIVATIONS``)
    A_k     (4, n_k, K)              A_k[:, j] = Σ_i Z_{k−1}[:, i] · W_k[i, j] + b_k[j]   (k ≥ 2; np.einsum)
    δ_k     (4, n_k, K)              dL/dA_k

so a layer is one or two whole-array operations over all K networks, never K
small matrix products.

The stack is cut into chunks of columns small enough that a chunk's work arrays
stay in the processor's cache (``chunk_width``); each chunk is a contiguous
``(P, w)`` array with its own optimizer and is trained ``n`` steps before the
next one starts (the networks are independent, so the order changes nothing).
Work arrays are allocated once and written with ``out=``; only the registry's
activation functions and the optimizer's rule return new arrays, as their
interfaces do.

Each step follows ``nn_core.step.Stepper``'s rule: the configured method's gradient,
plus λW for weight decay, the optimizer's ``delta``, and the divergence rule (a
network whose update is not finite, or with relu or weight decay would take a
parameter beyond ``MAX_PARAM``, is frozen at its last parameters).  So row k of
a stack moves as ``Trainer`` moves seed k, to rounding: the sums here run in a
fixed order where the single network's matrix products may not.
"""

from __future__ import annotations

import math

import numpy as np

from .activations import get_activation, sigmoid
from .config import TrainConfig
from .gates import INPUTS
from .gates import targets as gate_targets
from .methods import get_method
from .network import layer_sizes, param_count, param_layout, weight_mask
from .objective import Objective
from .optimizers import get_optimizer
from .step import MAX_PARAM

ROWS = INPUTS.shape[0]  # the truth table's 4 rows
# A chunk's size, in float64 numbers: its largest pre-activation A_k (the array the activation gets) at most
# 2^17 (1 MiB) and its parameters at most 2^18 (2 MiB), so that a chunk's arrays stay near the cache while numpy's
# cost per call is spread over thousands of networks: the default network (4 hidden) gets 8192 networks a chunk.
CHUNK_A_NUMBERS = 2**17
CHUNK_PARAM_NUMBERS = 2**18
# The activation and the optimizer return new arrays of a chunk's size every step.  glibc's malloc hands freed
# memory at the top of its heap back to the system once more than twice the largest freed mmap block sits there,
# and those arrays would then be faulted in afresh every step (docs/performance.md).  Freeing one block of this
# size, once, raises both limits as malloc documents (mallopt(3): the "dynamic" mmap and trim thresholds); with
# another allocator it changes nothing.
_ALLOCATOR_BLOCK_BYTES = 16 * 2**20
_allocator_raised = False


def _raise_allocator_thresholds() -> None:
    """Once per process (the thresholds stay raised, as glibc keeps them): a block allocated and freed at once."""
    global _allocator_raised
    if not _allocator_raised:
        np.empty(_ALLOCATOR_BLOCK_BYTES, dtype=np.uint8)
        _allocator_raised = True


def _pairs(hidden) -> list[tuple[int, int]]:
    sizes = layer_sizes(hidden)
    return list(zip(sizes[:-1], sizes[1:], strict=True))


def stack_layers(params: np.ndarray, hidden) -> list[np.ndarray]:
    """``[Wb_1, Wb_2, ...]``: each layer's weights and biases as one view ``(n_in + 1, n_out, w)`` of a stack
    ``params`` ``(P, w)``, the biases as row n_in (the book's vector layout puts b_k right after W_k)."""
    cuts = [cut for _name, _shape, cut in param_layout(hidden)]
    return [params[w.start:b.stop].reshape(n_in + 1, n_out, params.shape[1])
            for (w, b), (n_in, n_out) in zip(zip(cuts[0::2], cuts[1::2], strict=True), _pairs(hidden), strict=True)]


class _Layers:
    """Views of a stack ``params`` ``(P, w)`` (contiguous) made once: each layer's ``Wb`` ``(n_in + 1, n_out, w)``,
    its ``W`` ``(n_in, n_out, w)`` and ``b`` ``(n_out, w)``, and layer 1's ``Wb`` flat, ``(3, n_1·w)``."""

    def __init__(self, params: np.ndarray, hidden):
        self.wb = stack_layers(params, hidden)
        self.w = [wb[:-1] for wb in self.wb]
        self.b = [wb[-1] for wb in self.wb]
        self.first = self.wb[0].reshape(len(self.wb[0]), -1)


def chunk_width(hidden) -> int:
    """Networks per chunk for ``hidden``: as many as keep A_k within ``CHUNK_A_NUMBERS`` and the parameters
    within ``CHUNK_PARAM_NUMBERS`` (at least 1)."""
    largest_a = max(hidden) * ROWS
    return max(1, min(CHUNK_A_NUMBERS // largest_a, CHUNK_PARAM_NUMBERS // param_count(hidden)))


class _Buffers:
    """The work arrays of a pass over ``width`` networks, allocated once."""

    def __init__(self, hidden, width: int):
        pairs = _pairs(hidden)
        count = param_count(hidden)
        self.width = width
        self.z: list[np.ndarray | None] = [None] * len(pairs)  # Z_{k-1}, the input to layer k >= 1: f's output
        self.a = [np.empty((ROWS, n_out, width)) for _n_in, n_out in pairs]  # A_k
        self.delta = [np.empty((ROWS, n_out, width)) for _n_in, n_out in pairs]  # δ_k
        self.grad = np.empty((count, width))
        self.grad_layers = _Layers(self.grad, hidden)  # dL/dWb_k, views of grad
        self.a_first, self.delta_first = self.a[0].reshape(ROWS, -1), self.delta[0].reshape(ROWS, -1)  # (4, n_1·w)
        self.new = np.empty((count, width))  # params + delta, before the divergence rule
        self.scratch = np.empty((count, width))
        self.flags = np.empty((count, width), dtype=bool)
        self.ok = np.empty(width, dtype=bool)
        self.per_row, self.tmp = np.empty((ROWS, width)), np.empty((ROWS, width))
        self.up, self.down, self.base, self.saved = (np.empty(width) for _ in range(4))


# X: the 4 rows of INPUTS, then a column of 1s for the bias
X = np.column_stack([INPUTS, np.ones(ROWS)])


def _forward(layers: _Layers, buf: _Buffers, f, start: int = 0) -> np.ndarray:
    """The pass through layers ``start..`` from the cached input to layer ``start`` (X for layer 0),
    keeping each later layer's input in ``buf.z``.  Returns the output logits A_L ``(4, 1, w)``."""
    last = len(layers.wb) - 1
    for k in range(start, last + 1):
        a = buf.a[k]
        if k == 0:  # every network's A_1 at once: X (4, 3) @ Wb_1 (3, n_1·w), the bias last
            np.matmul(X, layers.first, out=buf.a_first)
        else:  # Σ_i Z_{k-1}[:, i] · W_k[i, j], then + b_k[j]
            np.einsum("rin,ijn->rjn", buf.z[k], layers.w[k], out=a)
            a += layers.b[k]
        if k < last:
            buf.z[k + 1] = f(a)
    return buf.a[last]


def network_targets(networks: int, per_network: np.ndarray | None) -> np.ndarray | None:
    """``per_network`` checked as a stack's own targets: a float ``(K, 4)`` copy, row k network k's targets on
    the rows of ``INPUTS`` (each in [0, 1], the cross-entropy's range); None stays None (every network
    learns ``config.gate``).  ValueError with one line otherwise."""
    if per_network is None:
        return None
    t = np.array(per_network, dtype=float)
    if t.shape != (networks, ROWS) or not ((t >= 0) & (t <= 1)).all():
        raise ValueError(f"a stack's targets must be ({networks}, {ROWS}) numbers in [0, 1], one row per network, "
                         f"got shape {t.shape}")
    return t


class NumpyStack:
    """K networks of ``config`` trained together, stored ``(P, K)`` (see the module docstring).

    ``params``: ``(K, P)``, row k network k in the book's vector layout (copied).  ``config`` is
    validated (ValueError if invalid); its ``seed`` and ``iterations`` are not used.  ValueError if
    ``params`` is not ``(K, P)`` with K ≥ 1 and P the parameter count of ``config.hidden``.
    ``targets``: None (every network learns ``config.gate``) or ``(K, 4)``, network k's own targets on the
    truth table's rows (``network_targets``; ValueError if not that).
    """

    def __init__(self, config: TrainConfig, params: np.ndarray, targets: np.ndarray | None = None):
        config = config.validated()
        self.config = config
        self.hidden = config.hidden
        params = np.asarray(params, dtype=float)
        count = param_count(self.hidden)
        if params.ndim != 2 or params.shape[0] < 1 or params.shape[1] != count:
            raise ValueError(f"a stack's parameters must have shape (K, {count}) with K ≥ 1, got {params.shape}")
        self.networks = params.shape[0]
        _raise_allocator_thresholds()
        activation = get_activation(config.activation)
        self.f, self.derivative = activation.f, activation.derivative
        self.depth = len(self.hidden) + 1
        self.h = config.h
        own_targets = network_targets(self.networks, targets)  # (K, 4) or None: config.gate's, shared
        shared = gate_targets(config.gate).reshape(ROWS, 1)  # against (4, w): broadcast over the networks
        # λ on the weights' rows, 0 on the biases', against (P, w); None when λ = 0, so that no work is done
        self.decay = (config.weight_decay * weight_mask(self.hidden))[:, None] if config.weight_decay else None
        self.guarded = config.weight_decay > 0 or not activation.bounded
        builtin = {"central": self._central, "forward": self._forward_difference, "staged": self._staged,
                   "vectorized": self._vectorized, "backprop": self._backprop}
        self._gradient = builtin.get(config.method, self._registered)
        self._batch = None  # vectorized's batch and its buffers, made on first use
        self._diverged = np.zeros(self.networks, dtype=bool)
        width = min(chunk_width(self.hidden), self.networks)
        buffers = {width: _Buffers(self.hidden, width)}  # one set, and one for a last, narrower chunk
        optimizer = get_optimizer(config.optimizer)
        options = dict(config.optimizer_options)
        self._chunks = []
        for start in range(0, self.networks, width):
            block = np.ascontiguousarray(params[start:start + width].T)  # (P, w)
            w = block.shape[1]
            target = shared if own_targets is None else np.ascontiguousarray(own_targets[start:start + w].T)
            self._chunks.append(_Chunk(block, self.hidden, optimizer(block.shape, config.lr, **options),
                                       self._diverged[start:start + w], self._buffers(buffers, w), target))

    def _buffers(self, buffers: dict, width: int) -> _Buffers:
        if width not in buffers:
            buffers[width] = _Buffers(self.hidden, width)
        return buffers[width]

    # --- the protocol ------------------------------------------------------------------------

    @property
    def params(self) -> np.ndarray:
        """``(K, P)``: a copy of every network's parameters in the book's vector layout."""
        return np.ascontiguousarray(np.concatenate([c.params for c in self._chunks], axis=1).T)

    @property
    def diverged(self) -> np.ndarray:
        """``(K,)`` bool, a copy: True for a network frozen because an update failed."""
        return self._diverged.copy()

    def advance(self, n: int) -> None:
        """``n`` steps for every network not diverged (a diverged one keeps its last parameters)."""
        with np.errstate(all="ignore"):  # an overflow is caught by the divergence rule, not reported as a warning
            for chunk in self._chunks:
                for _ in range(n):
                    if chunk.all_diverged:
                        break
                    self._step(chunk)

    # --- one step of one chunk -----------------------------------------------------------------

    def _step(self, c: _Chunk) -> None:
        """``Stepper.step`` on the chunk: gradient (+ λW), the optimizer's delta, the divergence rule.  The
        common case, every network fine, costs one sum over the chunk to know it."""
        buf = c.buffers
        self._gradient(c)
        grad = buf.grad
        if self.decay is not None:
            np.multiply(self.decay, c.params, out=buf.new)
            grad += buf.new  # dL/dp + λ·W, as Stepper.gradient_with_decay
        delta = c.optimizer.delta(grad)
        if self.guarded:  # |p + delta| ≤ MAX_PARAM everywhere; NaN fails the comparison
            np.add(c.params, delta, out=buf.new)
            np.abs(buf.new, out=buf.scratch)
            fine = np.maximum.reduce(buf.scratch, axis=None) <= MAX_PARAM
        else:  # every delta finite: then so is their sum (a NaN or inf anywhere makes it NaN or inf)
            fine = math.isfinite(np.add.reduce(delta, axis=None))
        if fine and not c.any_diverged:
            if self.guarded:
                np.copyto(c.params, buf.new)
            else:
                c.params += delta
            return
        # Which networks failed: as Stepper, per network.
        if self.guarded:
            np.less_equal(buf.scratch, MAX_PARAM, out=buf.flags)
        else:
            np.isfinite(delta, out=buf.flags)
            np.add(c.params, delta, out=buf.new)
        np.logical_and.reduce(buf.flags, axis=0, out=buf.ok)
        c.diverged |= ~buf.ok
        c.any_diverged, c.all_diverged = bool(c.diverged.any()), bool(c.diverged.all())
        np.copyto(c.params, buf.new, where=~c.diverged)

    # --- loss ----------------------------------------------------------------------------------

    @staticmethod
    def _loss(output_logits: np.ndarray, target_rows: np.ndarray, buf: _Buffers, out: np.ndarray) -> np.ndarray:
        """Mean binary cross-entropy over the 4 rows from the logits ``(4, 1, w)`` and the targets ``(4, 1)`` or
        ``(4, w)``, into ``out`` ``(w,)``: softplus(a) − t·a, ``network.bce_from_logits``'s formula in its order."""
        a = output_logits[:, 0]
        np.logaddexp(0.0, a, out=buf.per_row)
        np.multiply(target_rows, a, out=buf.tmp)
        buf.per_row -= buf.tmp
        buf.per_row /= ROWS
        return np.add.reduce(buf.per_row, axis=0, out=out)

    def _loss_now(self, c: _Chunk, out: np.ndarray, start: int = 0) -> np.ndarray:
        """The chunk's loss from the cached input to layer ``start`` (default: a full forward pass)."""
        return self._loss(_forward(c.layers, c.buffers, self.f, start), c.target_rows, c.buffers, out)

    # --- the five gradient methods, each writing dL/dp of the chunk into c.buffers.grad ----------

    def _backprop(self, c: _Chunk) -> None:
        """The book's chapter 5 backward pass, one layer at a time from the output:
        δ_L = (σ(A_L) − t) / 4;  dL/dWb_k[i, j] = Σ_rows Z_{k−1}[:, i] δ_k[:, j] (the bias's row: Σ_rows δ_k[:, j]);
        δ_{k−1}[:, i] = (Σ_j W_k[i, j] δ_k[:, j]) ⊙ f′(Z_{k−1}[:, i]), f′ the activation's own derivative."""
        buf = c.buffers
        output_logits = _forward(c.layers, buf, self.f)
        delta = buf.delta[-1]
        np.subtract(sigmoid(output_logits), c.target_delta, out=delta)
        delta /= ROWS
        layers, grads = c.layers, buf.grad_layers
        for k in reversed(range(1, self.depth)):
            z, delta_in = buf.z[k], buf.delta[k - 1]
            np.einsum("rin,rjn->ijn", z, delta, out=grads.w[k])  # Σ_rows Z_{k-1}[:, i] · δ_k[:, j]
            np.add.reduce(delta, axis=0, out=grads.b[k])  # Σ_rows δ_k[:, j]
            if delta.shape[1] == 1:  # one unit above (the output): no sum over j
                np.multiply(layers.w[k][:, 0], delta, out=delta_in)
            else:
                np.einsum("ijn,rjn->rin", layers.w[k], delta, out=delta_in)  # Σ_j W_k[i, j] · δ_k[:, j]
            delta_in *= self.derivative(z)
            delta = delta_in
        # layer 1, every network at once: dL/dWb_1 (3, n_1·w) = Xᵀ (3, 4) @ δ_1 (4, n_1·w)
        np.matmul(X.T, buf.delta_first, out=grads.first)

    def _registered(self, c: _Chunk) -> None:
        """A method of ``METHODS`` other than the five above (a test's, say): its own ``gradient`` on the
        chunk as a ``(w, P)`` stack, through an ``Objective`` over a copy of the chunk's parameters."""
        if c.objective is None:
            shared = c.target_rows.shape[1] == 1  # (4, 1) as one network's; else (w, 4, 1), each its own
            c.objective = Objective(np.empty(c.params.shape[::-1]), self.hidden,
                                    c.target_rows if shared else c.target_rows.T[..., None],
                                    activation=self.config.activation)
        np.copyto(c.objective.params, c.params.T)
        np.copyto(c.buffers.grad, get_method(self.config.method).gradient(c.objective, self.h).T)

    def _central(self, c: _Chunk) -> None:
        """Eq. [IX-3]: (L(p+h) − L(p−h)) / 2h, for parameter i of every network of the chunk at once."""
        buf, p, h = c.buffers, c.params, self.h
        for i in range(len(p)):
            np.copyto(buf.saved, p[i])
            np.add(buf.saved, h, out=p[i])
            self._loss_now(c, buf.up)
            np.subtract(buf.saved, h, out=p[i])
            self._loss_now(c, buf.down)
            np.copyto(p[i], buf.saved)
            np.subtract(buf.up, buf.down, out=buf.grad[i])
            buf.grad[i] /= 2 * h

    def _one_sided(self, c: _Chunk, i: int, start: int) -> None:
        """grad[i] = (L(p + h·e_i) − L(p)) / h, L(p) in ``buf.base``, the perturbed loss recomputed from
        layer ``start``."""
        buf, p = c.buffers, c.params
        np.copyto(buf.saved, p[i])
        np.add(buf.saved, self.h, out=p[i])
        self._loss_now(c, buf.up, start)
        np.copyto(p[i], buf.saved)
        np.subtract(buf.up, buf.base, out=buf.grad[i])
        buf.grad[i] /= self.h

    def _forward_difference(self, c: _Chunk) -> None:
        """Eq. [IX-4]: (L(p+h) − L(p)) / h, the base loss L(p) computed once a step; full passes."""
        self._loss_now(c, c.buffers.base)
        for i in range(len(c.params)):
            self._one_sided(c, i, 0)

    def _staged(self, c: _Chunk) -> None:
        """Eq. [IX-5]: the forward difference on a cached forward pass: a parameter of layer k recomputes
        only layers k.. from the cached input to layer k.  Later layers first, as the method's seed does;
        that order also keeps each cached input intact until its layer is done (a pass from layer k
        rewrites the inputs of the layers after k only)."""
        self._loss_now(c, c.buffers.base)
        cuts = [cut for _name, _shape, cut in param_layout(self.hidden)]
        for k in reversed(range(self.depth)):
            for i in range(cuts[2 * k].start, cuts[2 * k + 1].stop):
                self._one_sided(c, i, k)

    def _vectorized(self, c: _Chunk) -> None:
        """Eq. [IX-3] batched: the perturbed stacks p + h·e_i and p − h·e_i for a group of G parameters
        are laid side by side as ``(P, 2, G, w)`` and their losses come from one pass.  G·w is at most a
        chunk's width: all P parameters in one pass for a stack narrower than a chunk."""
        buf, p, h = c.buffers, c.params, self.h
        count, w = p.shape
        group = max(1, min(count, chunk_width(self.hidden) // w))
        if self._batch is None or self._batch[0].shape != (count, 2, group, w):  # once (twice: a narrower chunk)
            batch = np.empty((count, 2, group, w))
            self._batch = (batch, _Layers(batch.reshape(count, -1), self.hidden), np.empty((2, group, w)),
                           _Buffers(self.hidden, 2 * group * w))
        batch, layers, losses, batch_buf = self._batch
        for first in range(0, count, group):
            rows = range(first, min(first + group, count))
            np.copyto(batch, p[:, None, None, :])
            for g, i in enumerate(rows):
                np.add(p[i], h, out=batch[i, 0, g])
                np.subtract(p[i], h, out=batch[i, 1, g])
            self._loss(_forward(layers, batch_buf, self.f), c.batch_targets(2 * group), batch_buf,
                       losses.reshape(-1))
            for g, i in enumerate(rows):
                np.subtract(losses[0, g], losses[1, g], out=buf.grad[i])
                buf.grad[i] /= 2 * h


class _Chunk:
    """Networks c0..c0+w of a stack: their parameters ``(P, w)`` (contiguous), optimizer and diverged flags."""

    def __init__(self, params: np.ndarray, hidden, optimizer, diverged: np.ndarray, buffers: _Buffers,
                 target_rows: np.ndarray):
        self.params = params
        self.target_rows = target_rows  # (4, 1): every network's; or (4, w): each its own
        self.target_delta = target_rows[:, None, :]  # against δ_L (4, 1, w)
        self._batch_targets: np.ndarray | None = None
        self.layers = _Layers(params, hidden)
        self.optimizer = optimizer  # its state (P, w), like params
        self.diverged = diverged  # a view of the engine's (K,) flags
        self.any_diverged = self.all_diverged = False  # kept with ``diverged``, read every step
        self.objective: Objective | None = None  # for a method outside the five, made on first use
        self.buffers = buffers

    def batch_targets(self, copies: int) -> np.ndarray:
        """The targets against ``copies`` side-by-side copies of the chunk's columns (``_vectorized``'s batch):
        ``(4, 1)`` shared, or ``(4, copies·w)``, made once."""
        if self.target_rows.shape[1] == 1:
            return self.target_rows
        if self._batch_targets is None or self._batch_targets.shape[1] != copies * self.target_rows.shape[1]:
            self._batch_targets = np.tile(self.target_rows, (1, copies))
        return self._batch_targets


def make_stack(config: TrainConfig, params: np.ndarray, targets: np.ndarray | None = None):
    """The stack engine of ``config.engine`` over ``params`` ``(K, P)``: ``advance(n)``, ``params`` ``(K, P)``,
    ``diverged`` ``(K,)``.  ``targets``: None (every network learns ``config.gate``) or ``(K, 4)``, network k's
    own targets in truth-table row order.  ValueError as ``NumpyStack``, or if the compiled engine is not
    available."""
    if config.engine == "compiled":
        from .engines import compiled_module
        compiled = compiled_module()
        compiled.warm_up()  # compiling (or loading numba's cache) here, before any step is timed
        return compiled.make_compiled_stack(config, params, targets)
    return NumpyStack(config, params, targets)


def stack_logits(config: TrainConfig, params: np.ndarray) -> np.ndarray:
    """``(K, 4)``: the output logits A_L of each network of ``params`` ``(K, P)`` on the 4 rows of ``INPUTS``,
    by the stacked forward pass, a chunk at a time.  inf or NaN where a diverged network overflows."""
    config = config.validated()
    f = get_activation(config.activation).f
    width = min(chunk_width(config.hidden), len(params))
    buffers: dict[int, _Buffers] = {}
    out = np.empty((len(params), ROWS))
    with np.errstate(all="ignore"):
        for start in range(0, len(params), width):
            block = np.ascontiguousarray(params[start:start + width].T)
            w = block.shape[1]
            if w not in buffers:
                buffers[w] = _Buffers(config.hidden, w)
            buf = buffers[w]
            out[start:start + w] = _forward(_Layers(block, config.hidden), buf, f)[:, 0].T
    return out
