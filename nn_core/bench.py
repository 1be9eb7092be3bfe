"""Benchmarks behind ``python -m nn_core bench``: every method on one setting,
the book's own gradient loop as a baseline for ``central``, and ``sweep``
against single runs.  All ratios come from one process, one run."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from .config import TrainConfig
from .methods import METHODS
from .objective import Objective
from .sweep import sweep
from .trainer import Trainer


def book_numerical_gradient(f, x, h):
    """The book's ``numerical_gradient`` (ch. 4, common/gradient.py), loop as printed."""
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    while not it.finished:
        idx = it.multi_index
        tmp_val = x[idx]
        x[idx] = float(tmp_val) + h
        fxh1 = f(x)
        x[idx] = tmp_val - h
        fxh2 = f(x)
        grad[idx] = (fxh1 - fxh2) / (2 * h)
        x[idx] = tmp_val
        it.iternext()
    return grad


def book_gradient(objective: Objective, h: float) -> np.ndarray:
    """``TwoLayerNet.numerical_gradient``: the book's loop over each of W1, b1, W2, b2,
    on our network and loss, so that only the loop differs from ``central``."""
    loss = lambda _w: objective.loss()  # noqa: E731 - the book's own idiom
    return np.concatenate([book_numerical_gradient(loss, w, h).ravel()
                           for layer in objective.layers for w in layer])


def time_gradient(gradient, config: TrainConfig, iterations: int) -> float:
    """µs per call of ``gradient`` on the seeded network of ``config``, without training."""
    trainer = Trainer(config)
    start = time.perf_counter()
    for _ in range(iterations):
        gradient(trainer.objective, config.h)
    return 1e6 * (time.perf_counter() - start) / max(iterations, 1)


def bench_methods(config: TrainConfig, methods, progress=None) -> list[dict]:
    results = []
    for key in methods:
        trainer = Trainer(replace(config, method=key))
        trainer.run(on_snapshot=progress and (lambda snapshot, key=key: progress(key, snapshot)),
                    every_seconds=0.25, grid=None)
        results.append({
            "method": key, "seconds": trainer.compute_seconds, "us_per_step": trainer.us_per_step,
            "loss_evals_per_step": trainer.loss_evals_per_step,
            "final_loss": trainer.loss(), "solved": trainer.solved()})
    central = next((r for r in results if r["method"] == "central"), None)
    for r in results:
        r["speedup_vs_central"] = central["us_per_step"] / r["us_per_step"] if central else None
    return results


def bench_baseline(config: TrainConfig, iterations: int) -> dict:
    """The book's loop against ``central``, the same number of gradient calls each, interleaved."""
    book = min(time_gradient(book_gradient, config, iterations) for _ in range(2))
    central = min(time_gradient(METHODS["central"].gradient, config, iterations) for _ in range(2))
    return {"iterations": iterations, "book_us_per_step": book, "central_us_per_step": central,
            "central_vs_book": central / book}


def bench_sweep(config: TrainConfig, seeds: int, iterations: int) -> dict:
    """``sweep`` of ``seeds`` seeds against the same seeds trained one by one (at most the first 100 of them,
    so that a sweep of 10,000 seeds is timed in seconds), and its time per network-step against one step of
    the book's ``numerical_gradient`` loop on the same network.  Times in µs per network-step: a sweep step of
    K networks counts K."""
    config = replace(config, iterations=iterations)
    singles = min(seeds, 100)
    start = time.perf_counter()
    for seed in range(singles):
        Trainer(replace(config, seed=seed)).run()
    single_seconds = time.perf_counter() - start
    result = sweep(config, seeds, check_every=max(iterations, 1))  # the stepping alone: one check at the end
    network_steps = seeds * max(iterations, 1)
    us = 1e6 * result.seconds / network_steps
    single_us = 1e6 * single_seconds / (singles * max(iterations, 1))
    book_us = min(time_gradient(book_gradient, config, min(iterations, 100)) for _ in range(2))
    return {"method": config.method, "seeds": seeds, "iterations": iterations,
            "single_runs_seeds": singles, "single_runs_seconds": single_seconds, "sweep_seconds": result.seconds,
            "us_per_network_step": us, "single_us_per_network_step": single_us, "speedup": single_us / us,
            "book_us_per_step": book_us, "vs_book": book_us / us}
