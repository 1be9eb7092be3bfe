"""The engines that run a training step: ``numpy`` (the readable code of ``nn_core.step``) and ``compiled``
(``nn_core.compiled``: the same forward pass, chain rule and update rules as numba loops).

numba is an optional extra (``pip install 'gatelab[compiled]'``), so nothing here imports it until the
compiled engine is asked for; ``compiled_missing()`` says, in one line, why it cannot be used.
"""

from __future__ import annotations

import functools

from .registry import lookup

DEFAULT_ENGINE = "numpy"
ENGINES: dict[str, str] = {
    "numpy": "numpy: the readable code, one numpy call per layer",
    "compiled": "compiled: the same steps as numba loops, many steps per call (needs numba)",
}
MISSING = "the compiled engine needs numba: pip install 'gatelab[compiled]'"


def get_engine(key: str) -> str:
    """The engine's key (case-insensitive); ValueError with one line if unknown."""
    lookup(ENGINES, key, "engine")
    return str(key).strip().lower()


@functools.cache
def compiled_missing() -> str | None:
    """None if the compiled engine can run here, else the one-line reason (numba cannot be imported)."""
    try:
        import numba  # noqa: F401
    except ImportError:
        return MISSING
    return None


def compiled_module():
    """``nn_core.compiled``, imported on first use (that imports numba).  ValueError(MISSING) without numba."""
    reason = compiled_missing()
    if reason:
        raise ValueError(reason)
    from . import compiled
    return compiled


def make_stepper(config, objective):
    """The stepper of ``config.engine`` for ``objective`` (one network): ``Stepper`` or ``CompiledStepper``,
    both with ``step()`` and ``optimizer``; the compiled one also ``advance(n)``.  ValueError if the engine
    is not available."""
    if config.engine == "compiled":
        return compiled_module().CompiledStepper(config, objective)
    from .step import Stepper
    return Stepper(config, objective)
