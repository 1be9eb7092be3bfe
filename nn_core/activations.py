"""Hidden-layer activations, registered under stable keys like the gradient methods.

An entry holds the function and its derivative side by side, as the book's
``common/layers.py`` does.  The derivative takes the activation's *output*
``z = f(a)``: every activation here has f′ in that form (σ′ = σ(1−σ),
tanh′ = 1−tanh², relu′ = [z > 0]), so the backward pass needs only the layer
outputs the forward pass already cached.  Both work elementwise on any shape,
so one network and a ``(K, P)`` stack share them.  The output unit is always
a sigmoid (``sigmoid`` below), whatever the hidden layers use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .registry import lookup

DEFAULT_ACTIVATION = "sigmoid"


@dataclass(frozen=True)
class Activation:
    key: str
    title: str
    equation: str  # f and f′
    f: Callable[[np.ndarray], np.ndarray]  # a -> z
    derivative: Callable[[np.ndarray], np.ndarray]  # z = f(a) -> f′(a)
    # Output and derivative bounded: then no training step can overflow without weight decay, and the
    # step skips its overflow guard (nn_core.step).
    bounded: bool = True
    book: str = ""  # where the book has it, for the window's tooltip


ACTIVATIONS: dict[str, Activation] = {}


def register(entry: Activation) -> Activation:
    ACTIVATIONS[entry.key] = entry
    return entry


def get_activation(key: str) -> Activation:
    """The activation registered as ``key`` (case-insensitive); ValueError if unknown."""
    return lookup(ACTIVATIONS, key, "activation")


def sigmoid(a: np.ndarray) -> np.ndarray:
    # tanh form: finite and warning-free for any finite input, unlike 1/(1+exp(-a)).
    # In place after the first op: on 4x4 arrays numpy's cost is per call, not per number.
    s = np.tanh(0.5 * a)
    s *= 0.5
    s += 0.5
    return s


def sigmoid_derivative(z: np.ndarray) -> np.ndarray:
    return z - z * z


def tanh_derivative(z: np.ndarray) -> np.ndarray:
    return 1.0 - z * z


def relu(a: np.ndarray) -> np.ndarray:
    return np.maximum(a, 0.0)


def relu_derivative(z: np.ndarray) -> np.ndarray:
    # 1 where the unit is active; at a = 0 the book's Relu layer (mask x <= 0) also uses 0
    return (z > 0.0) * 1.0


register(Activation("sigmoid", "Sigmoid", "σ(a) = 1 / (1 + e^−a);  σ′ = σ(1 − σ)", sigmoid, sigmoid_derivative,
                    book="the book's Sigmoid layer (common/layers.py; sigmoid in common/functions.py)"))
register(Activation("tanh", "Hyperbolic tangent", "tanh(a);  tanh′ = 1 − tanh²", np.tanh, tanh_derivative,
                    book="the book's tanh (ch06/weight_init_activation_histogram.py)"))
register(Activation("relu", "ReLU", "max(a, 0);  relu′ = 1 if a > 0 else 0", relu, relu_derivative,
                    bounded=False, book="the book's Relu layer (common/layers.py)"))
