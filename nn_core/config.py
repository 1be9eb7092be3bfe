"""Training settings, their ranges and their validation, shared by both command lines and the GUI.

Each number setting has one ``Range``: the validator (``TrainConfig.validated``), the argparse types of
``python -m nn_core`` and ``python -m app`` and the window's number boxes all read it, so a value one of
them accepts the others accept too, and a bad value gets the same one-line message everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from .activations import DEFAULT_ACTIVATION, get_activation
from .engines import DEFAULT_ENGINE, get_engine
from .gates import canonical_gate
from .initializers import DEFAULT_INIT, get_initializer
from .methods import DEFAULT_H, get_method
from .network import DEFAULT_HIDDEN
from .optimizers import DEFAULT_OPTIMIZER, get_optimizer
from .ranges import Range, arg_type, format_number  # noqa: F401 (the ranges' names, as config has always given them)

DEFAULT_LR = 2.0
DEFAULT_ITERATIONS = 20_000
MAX_HIDDEN = 64  # per layer; the largest the GUI offers
MAX_LAYERS = 3  # hidden layers
MAX_WEIGHT_DECAY = 1e6
MAX_LR = 1e6
H_RANGE = (1e-12, 1e-1)
MAX_ITERATIONS = 1_000_000_000
MAX_SEED = 2**63 - 1  # numpy's default_rng takes any int >= 0; this bound fits a signed 64-bit int everywhere
MAX_EVERY_STEPS = 1_000_000


# The table: one rule and one message per setting.
HIDDEN = Range("hidden units", 1, MAX_HIDDEN, integer=True)
LR = Range("learning rate", 0.0, MAX_LR, low_open=True, log_scale=True)
H = Range("h", *H_RANGE, log_scale=True)
SEED = Range("seed", 0, MAX_SEED, integer=True)
# The engine trains 0 steps fine (``train --iterations 0`` shows the seeded network; sweep starts from it) ...
ITERATIONS = Range("iterations", 0, MAX_ITERATIONS, integer=True, step=1000)
# ... a run in the window is at least one step (Start must do something), stated the same way.
RUN_ITERATIONS = Range("iterations", 1, MAX_ITERATIONS, integer=True, step=1000)
EVERY_STEPS = Range("surface redraw interval (every N steps)", 1, MAX_EVERY_STEPS, integer=True)
MAX_SEEDS = 100_000  # a sweep's stack: 100,000 networks of the largest size take ~0.5 GB per array
SEEDS = Range("seeds", 1, MAX_SEEDS, integer=True)
WEIGHT_DECAY = Range("weight decay", 0.0, MAX_WEIGHT_DECAY)
CHECK_EVERY = Range("check every", 1, MAX_ITERATIONS, integer=True)  # steps between sweep's solved checks


@dataclass(frozen=True)
class TrainConfig:
    gate: str = "XOR"
    method: str = "backprop"
    hidden: tuple[int, ...] = DEFAULT_HIDDEN
    lr: float = DEFAULT_LR
    h: float = DEFAULT_H
    seed: int = 0
    iterations: int = DEFAULT_ITERATIONS
    activation: str = DEFAULT_ACTIVATION  # hidden layers', a key of ACTIVATIONS
    init: str = DEFAULT_INIT  # a key of INITIALIZERS
    optimizer: str = DEFAULT_OPTIMIZER  # a key of OPTIMIZERS; it steps with ``lr``
    # The optimizer's own options as (name, value) pairs (a dict is accepted); validated() lists every one
    # the optimizer declares, in its order, defaults filled in.
    optimizer_options: tuple[tuple[str, float], ...] = ()
    weight_decay: float = 0.0  # λ of the L2 term λ/2 Σ W² (weights only), the book's weight_decay_lambda
    engine: str = DEFAULT_ENGINE  # a key of ENGINES: numpy, or compiled (numba; nn_core.compiled)

    def validated(self) -> TrainConfig:
        """This config with canonical names and exact ints/floats; ValueError with one clear line if any value
        is outside its Range (HIDDEN, LR, H, SEED, ITERATIONS) or names no gate, method or engine.  An engine
        that cannot run here (compiled without numba) is still valid: ``engines.make_stepper`` refuses it."""
        hidden = tuple(self.hidden) if isinstance(self.hidden, (tuple, list)) else (self.hidden,)
        check_hidden(hidden)
        WEIGHT_DECAY.check(self.weight_decay)
        optimizer = get_optimizer(self.optimizer)
        return replace(self, gate=canonical_gate(self.gate), method=get_method(self.method).key,
                       hidden=tuple(HIDDEN.check(n) for n in hidden), lr=LR.check(self.lr), h=H.check(self.h),
                       seed=SEED.check(self.seed), iterations=ITERATIONS.check(self.iterations),
                       activation=get_activation(self.activation).key, init=get_initializer(self.init).key,
                       optimizer=optimizer.key, optimizer_options=optimizer_options(optimizer, self.optimizer_options),
                       weight_decay=WEIGHT_DECAY.check(self.weight_decay), engine=get_engine(self.engine))


def optimizer_options(optimizer, given) -> tuple[tuple[str, float], ...]:
    """Every option ``optimizer`` (a class of OPTIMIZERS) declares, as checked (name, value) pairs in
    declaration order: ``given`` (pairs or a mapping) where set, the declared default elsewhere."""
    try:
        given = dict(given.items() if isinstance(given, Mapping) else given)
    except (TypeError, ValueError):
        raise ValueError(f"optimizer options must be (name, value) pairs, got {given!r}") from None
    declared = {option.name: option for option in optimizer.options}
    for name in given:
        if name not in declared:
            raise ValueError(f"{name} is not an option of the {optimizer.key} optimizer" + (
                f" (its options: {', '.join(declared)})" if declared else " (it has none)"))
    return tuple((name, option.check(given.get(name, option.default))) for name, option in declared.items())


def check_hidden(hidden) -> None:
    """ValueError unless ``hidden`` is a non-empty sequence of sizes in HIDDEN."""
    if not hidden:
        raise ValueError("the network needs at least one hidden layer")
    if len(hidden) > MAX_LAYERS:
        raise ValueError(f"at most {MAX_LAYERS} hidden layers, got {len(hidden)}")
    for n in hidden:
        HIDDEN.check(n)


def parse_hidden(text: str) -> tuple[int, ...]:
    """``"8,4"`` -> ``(8, 4)``: comma-separated layer widths, checked.  ValueError with one line otherwise."""
    parts = str(text).split(",")
    if not all(part.strip().isdecimal() for part in parts):
        raise ValueError(f"hidden layers must be widths separated by commas, such as 4 or 8,4; got {text!r}")
    hidden = tuple(int(part) for part in parts)
    check_hidden(hidden)
    return hidden


def check_weight_decay(value) -> None:
    WEIGHT_DECAY.check(value)


def check_lr(lr) -> None:
    LR.check(lr)


def check_h(h) -> None:
    H.check(h)


def check_count(name: str, value, minimum: int, maximum: int | None = None) -> None:
    """ValueError unless ``value`` is a whole number from ``minimum`` to ``maximum`` (None: no bound)."""
    Range(name, minimum, maximum, integer=True).check(value)
