"""The five gradient methods of docs/design.md, registered under their stable keys.

Each method is ``gradient(objective, h) -> dL/dparams``.  Every one works on
a single parameter vector ``(P,)`` or a stack ``(K, P)``: a loop over
parameters perturbs parameter i of every network at once (``params.T[i]``).  ``sweep`` trains its
stacks with the same equations laid out for memory speed (``nn_core/stack.py``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .network import sigmoid
from .objective import HALF, Objective
from .registry import lookup

DEFAULT_H = 1e-4


@dataclass(frozen=True)
class GradientMethod:
    key: str
    title: str
    equation: str
    cost: str
    loss_evals: Callable[[int], int]  # loss evaluations per step, given P
    gradient: Callable[[Objective, float], np.ndarray]
    # The same gradient left in the objective's own array (objective -> dL/dparams, valid until the next
    # call), for the step; None: the step calls ``gradient``.
    in_place: Callable[[Objective], np.ndarray] | None = None


METHODS: dict[str, GradientMethod] = {}


def register(key: str, title: str, equation: str, cost: str, loss_evals: Callable[[int], int], in_place=None):
    def add(gradient):
        METHODS[key] = GradientMethod(key, title, equation, cost, loss_evals, gradient, in_place)
        return gradient

    return add


def method_keys() -> list[str]:
    return list(METHODS)


def get_method(key: str) -> GradientMethod:
    """The method registered as ``key`` (case-insensitive); ValueError if unknown."""
    return lookup(METHODS, key, "method")


def loss_with(param: np.ndarray, i: int, step: float, loss: Callable[[], np.ndarray]) -> np.ndarray:
    """``loss()`` with parameter i moved by ``step``, then put back exactly (even if ``loss`` raises)."""
    saved = param[i].copy()
    param[i] = saved + step
    try:
        return loss()
    finally:
        param[i] = saved


@register("central", "Central difference", "dL/dp ≈ (L(p+h) − L(p−h)) / 2h   [IX-3]",
          "2P loss evaluations a step", lambda p: 2 * p)
def central(objective: Objective, h: float) -> np.ndarray:
    """Eq. [IX-3], the book's ``numerical_gradient``: two full forward passes per parameter."""
    param, grad = objective.params.T, np.empty_like(objective.params.T)  # row i: parameter i of every network
    for i in range(len(param)):
        saved = param[i].copy()  # one save and restore for both sides: this loop is the baseline
        try:
            param[i] = saved + h
            loss_up = objective.loss()
            param[i] = saved - h
            loss_down = objective.loss()
        finally:
            param[i] = saved
        grad[i] = (loss_up - loss_down) / (2 * h)
    return grad.T


@register("forward", "Forward difference", "dL/dp ≈ (L(p+h) − L(p)) / h   [IX-4]",
          "P + 1 loss evaluations a step", lambda p: p + 1)
def forward(objective: Objective, h: float) -> np.ndarray:
    """Eq. [IX-4]: the base loss L(p) is computed once and reused for every parameter.

    Error O(h) instead of O(h²); at tiny h, rounding in L(p+h) − L(p) dominates.
    """
    param, grad = objective.params.T, np.empty_like(objective.params.T)  # row i: parameter i of every network
    base = objective.loss()
    for i in range(len(param)):
        grad[i] = (loss_with(param, i, h, objective.loss) - base) / h
    return grad.T


@register("staged", "Staged forward difference",
          "dL/dp ≈ (L(p+h) − L(p)) / h, recomputing only layers k.. for p in layer k   [IX-5]",
          "P + 1 loss evaluations a step, fewer layer evaluations", lambda p: p + 1)
def staged(objective: Objective, h: float) -> np.ndarray:
    """Eq. [IX-5]: forward difference on a cached forward pass.

    A parameter of layer k cannot change the inputs to layer k, so its
    perturbed loss starts from the cached input to layer k.  Later layers
    first, as in the seed.
    """
    param, grad = objective.params.T, np.empty_like(objective.params.T)  # row i: parameter i of every network
    inputs, output_logits = objective.forward_pass()
    base = objective.loss_of_logits(output_logits)  # L(p), computed as the perturbed losses are
    for k, layer in reversed(list(enumerate(objective.layer_param_slices()))):
        loss_from_layer_k = functools.partial(objective.loss_from, k, inputs[k])
        for i in range(layer.start, layer.stop):
            grad[i] = (loss_with(param, i, h, loss_from_layer_k) - base) / h
    return grad.T


@register("vectorized", "Vectorized central difference",
          "dL/dp ≈ (L(p+h) − L(p−h)) / 2h for all p at once   [IX-3]",
          "2P loss evaluations a step, in one batched pass", lambda p: 2 * p)
def vectorized(objective: Objective, h: float) -> np.ndarray:
    """Eq. [IX-3] with no Python loop: the 2P perturbed vectors p ± h·e_i are
    stacked into one ``(2P, P)`` batch and evaluated in a single numpy pass.

    The batch and the pass's arrays are made once per objective and refilled each step.
    """
    n = objective.params.shape[-1]
    losses = objective.batch_loss(objective.batch(h))  # rows p + h·e_i, then p − h·e_i
    return (losses[..., :n] - losses[..., n:]) / (2 * h)


def backprop_by_layers(objective: Objective) -> np.ndarray:
    """The analytic gradient by the chain rule, one layer at a time from the output back: the readable form.

    For sigmoid + cross-entropy the output error is simply dL/dA_L = (y − t) / 4.  A hidden
    layer's f′ is its activation's own derivative, from the cached output Z (σ′ = Z(1−Z), ...).
    ``backprop`` computes the same equations in fewer numpy calls (equal to rounding, ~1e-16 relative).
    """
    derivative = objective.activation.derivative
    inputs, output_logits = objective.forward_pass()
    delta = (sigmoid(output_logits) - objective.targets) / objective.x.shape[0]  # dL/dA_L
    for k in reversed(range(objective.depth)):
        grad_w, grad_b = objective.grad_layers[k]
        np.matmul(inputs[k].mT, delta, out=grad_w)  # dL/dW_k = Z_{k-1}ᵀ δ_k
        np.add.reduce(delta, axis=-2, keepdims=True, out=grad_b)  # dL/db_k = Σ_rows δ_k
        if k:
            delta = (delta @ objective.layers[k][0].mT) * derivative(inputs[k])  # δ_{k-1} = δ_k W_kᵀ ⊙ f′
    return objective.gradient.copy()


def backprop_in_place(objective: Objective) -> np.ndarray:
    """``backprop``'s gradient in ``objective.gradient`` itself (no copy), valid until the next call.

    The chain rule as ``backprop`` gives it, transposed, with the bias row folded in
    (``[dW; db] = [Z 1]ᵀ δ``, see ``Objective``) and every product written into the objective's arrays.
    """
    matmul, inputs_t, grads, deltas = objective.matmul, objective.inputs_t, objective.grad_augmented, objective.deltas
    objective.forward_pass()
    delta_t = deltas[-1][0]  # A_Lᵀ, made δ_Lᵀ in place:
    np.multiply(delta_t, HALF, delta_t)  # (σ(A) − t)/n = (tanh(A/2)/2 + 1/2 − t)/n = tanh(A/2)·(1/2n) + (1/2 − t)/n
    np.tanh(delta_t, delta_t)
    np.multiply(delta_t, objective.half_over_n, delta_t)
    np.add(delta_t, objective.output_offset_t, delta_t)
    for k in range(objective.depth - 1, -1, -1):
        delta_t, delta = deltas[k]  # δ_kᵀ and its transpose
        matmul(inputs_t[k], delta, grads[k])  # [dW_k; db_k] = [Z_{k-1} 1]ᵀ δ_k
        if k:
            matmul(objective.weights[k], delta_t, deltas[k - 1][0])  # δ_{k-1}ᵀ = W_k δ_kᵀ ⊙ f′(Z_{k-1})ᵀ
            objective.times_derivative(deltas[k - 1][0], objective.z_t[k - 1], objective.scratch_t[k - 1])
    return objective.gradient


@register("backprop", "Backpropagation",
          "δ_L = y − t;  dL/dW_k = Z_{k−1}ᵀ δ_k;  δ_{k−1} = δ_k W_kᵀ ⊙ f′   (book ch. 5)",
          "1 forward + 1 backward pass a step", lambda p: 1, in_place=backprop_in_place)
def backprop(objective: Objective, h: float) -> np.ndarray:
    """The analytic gradient by the chain rule (``backprop_by_layers`` spells it out layer by layer),
    as the step computes it: ``backprop_in_place``, copied.  ``h`` is unused: nothing is perturbed."""
    return backprop_in_place(objective).copy()
