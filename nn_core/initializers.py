"""Weight initialisations, the book's chapter 6 choices, registered under stable keys.

Each entry gives the standard deviation of a layer's weights from the number
of inputs to that layer; weights are drawn from N(0, std²), biases start at 0
(``network.init_params``).  The draws are the same for every entry, only
scaled, so a seed means the same random numbers whatever the initialisation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .registry import lookup

DEFAULT_INIT = "xavier"


@dataclass(frozen=True)
class Initializer:
    key: str
    title: str
    formula: str
    std: Callable[[int], float]  # n_in -> standard deviation of the layer's weights
    book: str = ""  # where the book has it, for the window's tooltip


INITIALIZERS: dict[str, Initializer] = {}


def register(entry: Initializer) -> Initializer:
    INITIALIZERS[entry.key] = entry
    return entry


def get_initializer(key: str) -> Initializer:
    """The initialisation registered as ``key`` (case-insensitive); ValueError if unknown."""
    return lookup(INITIALIZERS, key, "initialisation")


# The book's MultiLayerNet calls N(0, 1/n_in) "xavier" (its 'sigmoid' choice) and N(0, 2/n_in) "he" ('relu').
register(Initializer("xavier", "Xavier (the book's)", "W ~ N(0, 1/n_in)", lambda n_in: 1.0 / np.sqrt(n_in),
                     book="the book's weight_init_std='xavier' (or 'sigmoid') in common/multi_layer_net.py"))
register(Initializer("he", "He", "W ~ N(0, 2/n_in)", lambda n_in: np.sqrt(2.0 / n_in),
                     book="the book's weight_init_std='he' (or 'relu') in common/multi_layer_net.py"))
register(Initializer("std0.01", "Std 0.01 (the book's weight_init_std)", "W ~ N(0, 0.01²)", lambda n_in: 0.01,
                     book="the book's weight_init_std=0.01 in common/multi_layer_net.py"))
