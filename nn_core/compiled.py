"""The compiled engine: the numpy engine's step (``nn_core.step``) spelled out as numba loops.

Each piece below is one equation of the readable code, beside it: the forward pass ``Z_k = f(Z_{k-1} W_k + b_k)``
(``network.logits``), the cross-entropy from logits (``network.bce_from_logits``), the gradient methods of
``nn_core.methods`` (backprop's chain rule, the central, forward and staged differences), L2 weight decay and
the optimizers of ``nn_core.optimizers``, and ``Stepper``'s divergence rule.  Only the arithmetic's order and
rounding differ (a loop here, BLAS and numpy's own ``exp``/``tanh`` there), so both engines' parameters agree to
about 1e-12 relative after thousands of steps (tests/test_engine_compiled.py holds them to 1e-9).

The gain is per call, not per number: a numpy step of this 2-4-1 network is some forty calls of ~1 µs each on
4×4 arrays, a compiled step is one pass over ~17 numbers.  So ``advance(n)`` runs n steps in one call: numba's
dispatch (~0.3 µs a call) is paid once per chunk, not per step.

``vectorized`` batches the 2P central-difference losses only to save numpy calls; compiled, a loop costs
nothing per call, so it runs the central loop (the same numbers: p ± h·e_i, the same division).

Compiled code is cached on disk (numba's ``cache=True``), so the first use in a fresh checkout compiles (some
seconds) and later processes load it; ``warm_up()`` does that first use and returns its seconds, which callers
report apart from any µs/step figure.
"""

from __future__ import annotations

import math
import threading
import time

import numba
import numpy as np

from .activations import get_activation
from .config import TrainConfig
from .gates import INPUTS, targets
from .methods import get_method
from .network import init_params, layer_sizes, param_count, param_layout, weight_mask
from .optimizers import EPS
from .step import MAX_PARAM

# Registry keys as the small integers the loops branch on.
ACTIVATION_IDS = {"sigmoid": 0, "tanh": 1, "relu": 2}
OPTIMIZER_IDS = {"sgd": 0, "momentum": 1, "nesterov": 2, "adagrad": 3, "rmsprop": 4, "adam": 5}
METHOD_IDS = {"backprop": 0, "central": 1, "forward": 2, "staged": 3, "vectorized": 1}  # vectorized: see above
SIGMOID, TANH, RELU = 0, 1, 2
SGD, MOMENTUM, NESTEROV, ADAGRAD, RMSPROP, ADAM = range(6)
BACKPROP, CENTRAL, FORWARD, STAGED = range(4)
ROWS = INPUTS.shape[0]  # the truth table's 4 rows
LOG2 = math.log(2.0)

# No fastmath: the same IEEE operations as numpy, in the order written.  nogil: a long chunk on the training
# thread leaves the window's thread free to draw.
jit = numba.njit(cache=True, nogil=True)
# The step's own chain (step → gradient → backprop) is inlined where it is called: a call that passes a dozen
# arrays costs about as much as this small network's arithmetic (measured: 0.54 → 0.42 µs a backprop step).
jit_inline = numba.njit(cache=True, nogil=True, inline="always")


# --- the network: forward pass and loss (nn_core.network) -------------------------------------------------
# A layer's numbers are stored unit by unit, the 4 rows of the truth table side by side: ``z[k, j, r]`` is unit j
# of Z_k on row r (Z_kᵀ).  The inner loops then run over the 4 rows, a constant count the compiler unrolls into 4
# independent sums; each sum still adds its terms in the order numpy's does.

@jit
def sigmoid(a):
    """σ(a) = ½ tanh(a/2) + ½, as ``activations.sigmoid``: finite for every a."""
    return 0.5 * math.tanh(0.5 * a) + 0.5


@jit
def activate(y, n, act):
    """Z = f(A) in place over a layer's n units × 4 rows: σ, tanh or max(a, 0).  The branch on the activation is
    taken once per layer, so each loop is one function over 4n numbers."""
    if act == SIGMOID:
        for j in range(n):
            for r in range(ROWS):
                y[j, r] = sigmoid(y[j, r])
    elif act == TANH:
        for j in range(n):
            for r in range(ROWS):
                y[j, r] = math.tanh(y[j, r])
    else:
        for j in range(n):
            for r in range(ROWS):
                y[j, r] = 0.0 if y[j, r] < 0.0 else y[j, r]


@jit
def times_f_prime(d_k, z, n, act):
    """δ ⊙ f′ in place over n units × 4 rows, f′ from the output z = f(a): σ′ = z − z², tanh′ = 1 − z²,
    relu′ = [z > 0].  One branch per layer, as ``activate``."""
    if act == SIGMOID:
        for i in range(n):
            for r in range(ROWS):
                d_k[i, r] *= z[i, r] - z[i, r] * z[i, r]
    elif act == TANH:
        for i in range(n):
            for r in range(ROWS):
                d_k[i, r] *= 1.0 - z[i, r] * z[i, r]
    else:
        for i in range(n):
            for r in range(ROWS):
                d_k[i, r] *= 1.0 if z[i, r] > 0.0 else 0.0


@jit
def layers_from(k0, p, sizes, offsets, z, act):
    """Z_k = f(Z_{k−1} W_k + b_k) for layers k0.. from the cached input ``z[k0]``; the output's logits
    A_L = Z_{L−1} W_L + b_L (no sigmoid) land in ``z[L, 0]``.  W_k is row-major (n_in, n_out) at
    ``offsets[k]``, b_k follows it (``network.param_layout``).  Each a = Σ_i z_i W_ij, from 0 in i's order,
    then + b_j, as the matrix product and its bias."""
    last = offsets.size - 1
    for k in range(k0, last + 1):
        n_in, n_out = sizes[k], sizes[k + 1]
        w = offsets[k]
        b = w + n_in * n_out
        x, y = z[k], z[k + 1]
        for j in range(n_out):
            for r in range(ROWS):
                y[j, r] = 0.0
            for i in range(n_in):
                w_ij = p[w + i * n_out + j]
                for r in range(ROWS):
                    y[j, r] += x[i, r] * w_ij
            for r in range(ROWS):
                y[j, r] += p[b + j]
        if k < last:
            activate(y, n_out, act)


@jit
def softplus(a):
    """log(1 + e^a) as numpy's ``logaddexp(0, a)`` computes it: never the log of 0, never an overflow."""
    if a > 0.0:
        return a + math.log1p(math.exp(-a))
    if a <= 0.0:
        return math.log1p(math.exp(a))
    return a  # NaN


@jit
def bce(z, t):
    """L = mean over the rows of softplus(A) − t·A: cross-entropy of y = σ(A) from the logits in ``z[-1, 0]``."""
    last = z.shape[0] - 1
    loss = 0.0
    for r in range(ROWS):
        a = z[last, 0, r]
        loss += (softplus(a) - t[r] * a) / ROWS
    return loss


@jit
def objective_bce(z, t):
    """``bce`` as ``Objective`` computes it, whose rounding the finite differences divide by h: for a target
    0 or 1, softplus(a) − t·a = softplus(s·a) with s = 1 − 2t."""
    last = z.shape[0] - 1
    loss = 0.0
    for r in range(ROWS):
        a = z[last, 0, r]
        if t[r] == 0.0 or t[r] == 1.0:
            loss += softplus((1.0 - 2.0 * t[r]) * a) / ROWS
        else:
            loss += (softplus(a) - t[r] * a) / ROWS
    return loss


@jit
def loss_from(k0, p, sizes, offsets, z, t, act):
    """L(p), recomputing layers k0.. only (``Objective.loss_from``)."""
    layers_from(k0, p, sizes, offsets, z, act)
    return objective_bce(z, t)


# --- the gradient methods (nn_core.methods) -----------------------------------------------------------------

@jit_inline
def backprop(p, g, sizes, offsets, z, d, t, act):
    """Book ch. 5: δ_L = (σ(A_L) − t)/4;  dL/dW_k = Z_{k−1}ᵀ δ_k;  dL/db_k = Σ_rows δ_k;  δ_{k−1} = δ_k W_kᵀ ⊙ f′.
    ``d[0]`` and ``d[1]`` take turns holding δ (unit by unit, as ``z``)."""
    layers_from(0, p, sizes, offsets, z, act)
    last = offsets.size - 1
    cur = 0
    for r in range(ROWS):
        d[cur, 0, r] = (sigmoid(z[last + 1, 0, r]) - t[r]) / ROWS
    for k in range(last, -1, -1):
        n_in, n_out = sizes[k], sizes[k + 1]
        w = offsets[k]
        b = w + n_in * n_out
        x, d_k = z[k], d[cur]
        for i in range(n_in):
            for j in range(n_out):
                s = 0.0
                for r in range(ROWS):
                    s += x[i, r] * d_k[j, r]
                g[w + i * n_out + j] = s
        for j in range(n_out):
            s = 0.0
            for r in range(ROWS):
                s += d_k[j, r]
            g[b + j] = s
        if k:
            back = d[1 - cur]  # δ_{k−1} = Σ_j δ_j W_ij, from 0 in j's order, then ⊙ f′
            for i in range(n_in):
                for r in range(ROWS):
                    back[i, r] = 0.0
                for j in range(n_out):
                    w_ij = p[w + i * n_out + j]
                    for r in range(ROWS):
                        back[i, r] += d_k[j, r] * w_ij
            times_f_prime(back, x, n_in, act)
            cur = 1 - cur


@jit
def central(p, g, h, sizes, offsets, z, t, act):
    """Eq. [IX-3]: dL/dp_i ≈ (L(p + h e_i) − L(p − h e_i)) / 2h, two full forward passes per parameter."""
    for i in range(p.size):
        saved = p[i]
        p[i] = saved + h
        up = loss_from(0, p, sizes, offsets, z, t, act)
        p[i] = saved - h
        down = loss_from(0, p, sizes, offsets, z, t, act)
        p[i] = saved
        g[i] = (up - down) / (2 * h)


@jit
def forward(p, g, h, sizes, offsets, z, t, act):
    """Eq. [IX-4]: dL/dp_i ≈ (L(p + h e_i) − L(p)) / h, the base L(p) computed once."""
    base = loss_from(0, p, sizes, offsets, z, t, act)
    for i in range(p.size):
        saved = p[i]
        p[i] = saved + h
        g[i] = (loss_from(0, p, sizes, offsets, z, t, act) - base) / h
        p[i] = saved


@jit
def staged(p, g, h, sizes, offsets, z, t, act):
    """Eq. [IX-5]: forward difference where a parameter of layer k recomputes layers k.. only, from the cached
    input Z_{k−1}.  Later layers first, so the layers a perturbation overwrites are ones already done."""
    layers_from(0, p, sizes, offsets, z, act)
    base = objective_bce(z, t)  # as ``methods.staged``: the same formula as its perturbed losses
    for k in range(offsets.size - 1, -1, -1):
        start = offsets[k]
        stop = start + sizes[k] * sizes[k + 1] + sizes[k + 1]
        for i in range(start, stop):
            saved = p[i]
            p[i] = saved + h
            g[i] = (loss_from(k, p, sizes, offsets, z, t, act) - base) / h
            p[i] = saved


@jit_inline
def gradient(method, p, g, h, sizes, offsets, z, d, t, act):
    """dL/dp into ``g`` by the method's loop."""
    if method == BACKPROP:
        backprop(p, g, sizes, offsets, z, d, t, act)
    elif method == CENTRAL:
        central(p, g, h, sizes, offsets, z, t, act)
    elif method == FORWARD:
        forward(p, g, h, sizes, offsets, z, t, act)
    else:
        staged(p, g, h, sizes, offsets, z, t, act)


# --- the update (nn_core.optimizers, nn_core.step) ------------------------------------------------------------

@jit
def delta(opt, i, g, s, new, adam_lr, lr, a, b):
    """Optimizer ``opt``'s change to parameter i for gradient g (``Optimizer.delta``), its new state into
    ``new`` (α: momentum; ρ: RMSprop's decay rate; β1, β2: Adam's; ``adam_lr`` = η √(1 − β2^t) / (1 − β1^t))."""
    if opt == SGD:  # p ← p − η g
        return (-lr) * g
    if opt == MOMENTUM:  # v ← α v − η g;  p ← p + v
        new[0, i] = a * s[0, i] - lr * g
        return new[0, i]
    if opt == NESTEROV:  # p ← p + α² v − (1 + α) η g;  v ← α v − η g
        new[0, i] = a * s[0, i] - lr * g
        return (a * a) * s[0, i] - ((1 + a) * lr) * g
    if opt == ADAGRAD:  # h ← h + g²;  p ← p − η g / (√h + ε)
        new[0, i] = s[0, i] + g * g
        return (-lr) * g / (math.sqrt(new[0, i]) + EPS)
    if opt == RMSPROP:  # h ← ρ h + (1 − ρ) g²;  p ← p − η g / (√h + ε)
        new[0, i] = a * s[0, i] + (1 - a) * g * g
        return (-lr) * g / (math.sqrt(new[0, i]) + EPS)
    # Adam: m ← m + (1 − β1)(g − m);  v ← v + (1 − β2)(g² − v);  p ← p − η_t m / (√v + ε)
    new[0, i] = s[0, i] + (1 - a) * (g - s[0, i])
    new[1, i] = s[1, i] + (1 - b) * (g ** 2 - s[1, i])
    return (-adam_lr) * new[0, i] / (math.sqrt(new[1, i]) + EPS)


@jit_inline
def step(p, s, count, cfg, hyper, mask, sizes, offsets, z, d, t, g, dp, new):
    """One step of ``Stepper``: g = dL/dp (+ λW), the optimizer's Δp, applied with its new state only if every
    p + Δp is finite (with relu or λ > 0: within ±MAX_PARAM); else nothing changes and it returns False.
    ``cfg`` = (method, activation, optimizer, guarded); ``hyper`` = (η, h, λ, option a, option b);
    ``count[0]``: Adam's step count t."""
    method, act, opt, guarded = cfg[0], cfg[1], cfg[2], cfg[3]
    lr, h, decay, a, b = hyper[0], hyper[1], hyper[2], hyper[3], hyper[4]
    gradient(method, p, g, h, sizes, offsets, z, d, t, act)
    if opt == SGD and decay == 0.0:  # p ← p − η g, with no state: the default, as one plain loop
        for i in range(p.size):
            dp[i] = (-lr) * g[i]
    else:
        adam_lr = 0.0
        if opt == ADAM:  # the book's bias correction folded into the step size
            t_adam = float(count[0] + 1)  # a float power, as Python's float ** int computes it
            adam_lr = lr * math.sqrt(1.0 - b ** t_adam) / (1.0 - a ** t_adam)
        for i in range(p.size):
            gi = g[i] + (decay * mask[i]) * p[i] if decay != 0.0 else g[i]  # d/dW of λ/2 Σ W², weights only
            dp[i] = delta(opt, i, gi, s, new, adam_lr, lr, a, b)
    for i in range(p.size):
        if guarded:
            if not abs(p[i] + dp[i]) <= MAX_PARAM:  # also False for inf and NaN
                return False
        elif not math.isfinite(dp[i]):
            return False
    for i in range(p.size):
        p[i] += dp[i]
    if opt != SGD:
        s[:, :] = new  # the state's rows an optimizer does not use stay 0
    if opt == ADAM:
        count[0] += 1
    return True


@jit
def advance_one(n, stride, done, p, s, count, cfg, hyper, mask, sizes, offsets, z, d, t, g, dp, new, kept):
    """Up to n steps of one network; returns how many it took (fewer: the next was refused).  After each step
    that brings the run's step count (``done`` before the call) to a multiple of ``stride`` (> 0), the
    parameters go into the next row of ``kept``, for the loss history: ``kept_losses`` computes those losses
    after the call, so no loss evaluation is timed as part of a step (nor is it on numpy: ``Trainer.step``)."""
    row = 0
    keep_at = done + stride - done % stride if stride > 0 else -1  # the next multiple of stride: no % per step
    for n_done in range(n):
        if not step(p, s, count, cfg, hyper, mask, sizes, offsets, z, d, t, g, dp, new):
            return n_done
        if done + n_done + 1 == keep_at:
            kept[row, :] = p
            row += 1
            keep_at += stride
    return n


@jit
def kept_losses(n, stride, done, kept, sizes, offsets, z, t, act, losses):
    """``losses[s]`` = L at the parameters kept after step s + 1 of ``advance_one``'s call, for each of the n
    steps that brought the run's count to a multiple of ``stride``."""
    row = 0
    for n_done in range(n):
        if (done + n_done + 1) % stride == 0:
            layers_from(0, kept[row], sizes, offsets, z, act)
            losses[n_done] = bce(z, t)  # as ``Trainer.loss``: network.bce_from_logits
            row += 1


@jit
def advance_stack(n, params, states, counts, diverged, cfg, hyper, mask, sizes, offsets, z, d, t, g, dp, new):
    """n steps of each of K networks (rows of ``params``), one after another, network k learning the targets
    ``t[k]`` (``t``: (K, 4)); a network whose step is refused is frozen (``diverged[k]``) at its last
    parameters, as ``Stepper`` does for a stack."""
    for k in range(params.shape[0]):
        for _ in range(n):
            if diverged[k]:
                break
            if not step(params[k], states[k], counts[k:k + 1], cfg, hyper, mask, sizes, offsets, z, d, t[k], g, dp,
                        new):
                diverged[k] = True


# --- Python side ---------------------------------------------------------------------------------------------

class _Buffers:
    """The arrays one network's loops work in, sized for ``config``'s architecture."""

    def __init__(self, config: TrainConfig):
        for key, ids, what in ((config.method, METHOD_IDS, "method"), (config.activation, ACTIVATION_IDS, "activation"),
                               (config.optimizer, OPTIMIZER_IDS, "optimizer")):
            if key not in ids:  # a registry entry added without its loop here
                raise ValueError(f"the compiled engine has no loop for the {what} {key!r}; use --engine numpy")
        sizes = layer_sizes(config.hidden)
        width = max(sizes)
        self.sizes = np.array(sizes, dtype=np.int64)
        self.offsets = np.array([cut.start for name, _shape, cut in param_layout(config.hidden)
                                 if name.startswith("W")], dtype=np.int64)
        self.z = np.zeros((len(sizes), width, ROWS))  # Z_kᵀ: Z_0 = the inputs, Z_1 .., the logits last
        self.z[0, :2, :] = INPUTS.T
        self.d = np.zeros((2, width, ROWS))  # δᵀ, twice
        self.t = targets(config.gate).ravel().astype(float)
        self.mask = np.array(weight_mask(config.hidden))
        count = param_count(config.hidden)
        self.g, self.dp, self.new = np.zeros(count), np.zeros(count), np.zeros((2, count))
        self.cfg = np.array([METHOD_IDS[config.method], ACTIVATION_IDS[config.activation],
                             OPTIMIZER_IDS[config.optimizer], guarded(config)], dtype=np.int64)
        options = [value for _name, value in config.optimizer_options] + [0.0, 0.0]
        self.hyper = np.array([config.lr, config.h, config.weight_decay, options[0], options[1]], dtype=float)

    def work(self):
        return (self.cfg, self.hyper, self.mask, self.sizes, self.offsets, self.z, self.d, self.t, self.g,
                self.dp, self.new)


def guarded(config: TrainConfig) -> int:
    """1 where ``Stepper`` guards against MAX_PARAM (relu or weight decay), else 0: as nn_core.step."""
    return int(config.weight_decay > 0 or not get_activation(config.activation).bounded)


def _state_arrays(optimizer) -> list[str]:
    return [name for name in optimizer.state_names if name != "iter"]


class CompiledStepper:
    """``Stepper`` for one network, compiled: steps ``objective.params`` ``(P,)`` in place.

    ``advance(n)`` takes up to n steps in one call; ``step()`` is ``advance(1)``.  ``optimizer`` is an optimizer
    of ``OPTIMIZERS`` whose state (``state()``, ``load_state``) is the compiled loops' own: it is copied in before
    each call and out after, so a saved and restored run goes on the same.  The loss evaluations are counted
    into ``objective.loss_evals`` from the method's cost model, which these loops follow exactly.
    """

    def __init__(self, config: TrainConfig, objective):
        from .optimizers import get_optimizer
        self.objective = objective
        self.config = config
        self.buffers = _Buffers(config)
        self.optimizer = get_optimizer(config.optimizer)(objective.params.shape, config.lr,
                                                        **dict(config.optimizer_options))
        self.names = _state_arrays(self.optimizer)
        self.state = np.zeros((2, objective.params.size))
        self.count = np.zeros(1, dtype=np.int64)
        self.evals_per_step = get_method(config.method).loss_evals(objective.params.size)

    def advance(self, n: int, stride: int = 0, done: int = 0) -> tuple[int, np.ndarray]:
        """Up to ``n`` steps; returns ``(steps taken, losses)``: fewer than n if the next step was refused (its
        update not finite, or beyond MAX_PARAM with relu or weight decay), nothing of it applied.
        ``losses[s]`` is the loss after step s + 1 of this call where the trainer's count, ``done`` + s + 1,
        is a multiple of ``stride`` (0: none), ``done`` being the steps the run had taken before this call;
        NaN elsewhere.  ``steps`` then ``kept_losses`` are the same in two calls, the second outside a clock."""
        taken = self.steps(n, stride, done)
        return taken, self.kept_losses()

    def steps(self, n: int, stride: int = 0, done: int = 0) -> int:
        """The steps of ``advance``, keeping the parameters at each multiple of ``stride``; returns how many
        it took.  ``kept_losses()`` gives their losses."""
        state = self.optimizer.state()
        for row, name in enumerate(self.names):
            self.state[row] = state[name]
        self.count[0] = state.get("iter", 0)
        if compile_seconds is None:
            warm_up()
        return self._steps(n, stride, done)

    def _steps(self, n: int, stride: int, done: int) -> int:
        rows = (done + n) // stride - done // stride if stride else 0  # the multiples of stride in (done, done + n]
        kept = np.empty((rows, self.objective.params.size))
        taken = advance_one(int(n), int(stride), int(done), self.objective.params, self.state, self.count,
                            *self.buffers.work(), kept)
        self.optimizer.restore({**{name: self.state[row].copy() for row, name in enumerate(self.names)},
                                **({"iter": int(self.count[0])} if "iter" in self.optimizer.state_names else {})})
        self.objective.loss_evals += self.evals_per_step * (taken + (taken < n))  # a refused step did its work
        self._kept = (n, taken, int(stride), int(done), kept)
        return taken

    def kept_losses(self) -> np.ndarray:
        """After ``steps(n, stride, done)``: the ``losses`` of ``advance``, ``(n,)``, computed now."""
        n, taken, stride, done, kept = self._kept
        if not stride:
            return _NO_LOSSES
        losses = np.full(n, np.nan)
        b = self.buffers
        kept_losses(taken, stride, done, kept, b.sizes, b.offsets, b.z, b.t, int(b.cfg[1]), losses)
        return losses

    @staticmethod
    def warm_up() -> float:
        """``warm_up()``: the seconds this process's first compile took, 0.0 once done."""
        return warm_up()

    def step(self) -> bool:
        """One step; False, with nothing changed, if it was refused (``Stepper.step``)."""
        return self.advance(1)[0] == 1


_NO_LOSSES = np.zeros(0)


class CompiledStack:
    """K networks stepped by the compiled loops: the protocol of ``nn_core.stack.make_stack``.

    ``params`` ``(K, P)`` (a copy of the start, stepped in place), ``diverged`` ``(K,)`` bool, ``advance(n)``.
    ``targets``: None (every network learns ``config.gate``) or ``(K, 4)``, network k's own
    (``stack.network_targets``; ValueError if not that).
    """

    def __init__(self, config: TrainConfig, params: np.ndarray, targets: np.ndarray | None = None):
        from .optimizers import get_optimizer
        from .stack import network_targets
        self.config = config = config.validated()
        self.params = np.array(params, dtype=float, order="C")
        if self.params.ndim != 2 or self.params.shape[1] != param_count(config.hidden):
            raise ValueError(f"a stack's parameters must be (K, {param_count(config.hidden)}), "
                             f"got {self.params.shape}")
        get_optimizer(config.optimizer)  # a known optimizer
        self.buffers = _Buffers(config)
        own = network_targets(self.params.shape[0], targets)
        self.targets = np.tile(self.buffers.t, (self.params.shape[0], 1)) if own is None else own  # (K, 4)
        self.states = np.zeros((self.params.shape[0], 2, self.params.shape[1]))
        self.counts = np.zeros(self.params.shape[0], dtype=np.int64)
        self.diverged = np.zeros(self.params.shape[0], dtype=bool)

    def advance(self, n: int) -> np.ndarray:
        """n steps of every network not diverged; returns ``~diverged``."""
        if compile_seconds is None:
            warm_up()
        return self._advance(n)

    def _advance(self, n: int) -> np.ndarray:
        cfg, hyper, mask, sizes, offsets, z, d, _t, g, dp, new = self.buffers.work()
        advance_stack(int(n), self.params, self.states, self.counts, self.diverged, cfg, hyper, mask, sizes, offsets,
                      z, d, self.targets, g, dp, new)
        return ~self.diverged


def make_compiled_stack(config: TrainConfig, params: np.ndarray, targets: np.ndarray | None = None) -> CompiledStack:
    """The compiled engine's stack for ``make_stack``: ``advance(n)``, ``params`` (K, P), ``diverged`` (K,);
    ``targets`` None or ``(K, 4)`` (``CompiledStack``)."""
    return CompiledStack(config, params, targets)


_warm = threading.Lock()
compile_seconds: float | None = None  # of the first warm_up in this process


def warm_up() -> float:
    """Compiles (or loads from numba's disk cache) every loop, once per process; returns the seconds that
    took the first time, 0.0 after."""
    global compile_seconds
    with _warm:
        if compile_seconds is not None:
            return 0.0
        start = time.perf_counter()
        config = TrainConfig(iterations=1, method="backprop").validated()
        params = init_params(config.hidden, 0)[None, :]
        from .objective import Objective
        stepper = CompiledStepper(config, Objective(params[0].copy(), config.hidden, targets(config.gate)))
        stepper._steps(1, 1, 0)
        stepper.kept_losses()
        CompiledStack(config, params)._advance(1)
        compile_seconds = time.perf_counter() - start
        return compile_seconds
