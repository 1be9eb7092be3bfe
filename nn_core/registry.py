"""Looking an entry up in one of the engine's registries (methods, activations, initialisers, optimizers)."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def lookup(registry: dict[str, T], key: str, what: str) -> T:
    """The entry of ``registry`` under ``key``, case- and space-insensitive.

    Raises ValueError with one line naming ``what`` was asked for and every key there is.
    """
    entry = registry.get(str(key).strip().lower())
    if entry is None:
        raise ValueError(f"unknown {what} {key!r}; choose one of {', '.join(registry)}")
    return entry
