"""Benchmarks behind ``python -m nn_core bench``: every method on one setting and on each engine, the book's own
gradient loop as a baseline for ``central``, and ``sweep`` against single runs, printed as one ladder from the
seed's program to the compiled engine.  All ratios come from one process, one run."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from .activations import sigmoid
from .config import TrainConfig
from .engines import compiled_missing, compiled_module
from .gates import INPUTS
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


def book_loss(objective: Objective) -> float:
    """``TwoLayerNet.loss`` as the book writes it (ch. 4, ``two_layer_net.py``: ``np.dot`` and the activation per
    layer, then the output and ``cross_entropy_error`` with its 1e-7), with our sigmoid output and binary
    cross-entropy in place of softmax.  It reads the parameters through ``objective.layers``, so the book's loop
    perturbs them in place as it does; our own loss code is not used, so the baseline does not move when the
    engine gets faster."""
    z = INPUTS
    for w, b in objective.layers[:-1]:
        z = objective.f(np.dot(z, w) + b)
    w, b = objective.layers[-1]
    y = sigmoid(np.dot(z, w) + b)
    t = objective.targets
    return -np.sum(t * np.log(y + 1e-7) + (1 - t) * np.log(1 - y + 1e-7)) / len(t)


def book_gradient(objective: Objective, h: float) -> np.ndarray:
    """``TwoLayerNet.numerical_gradient``: the book's loop over each of W1, b1, W2, b2 of its own loss."""
    loss = lambda _w: book_loss(objective)  # noqa: E731 - the book's own idiom
    return np.concatenate([book_numerical_gradient(loss, w, h).ravel()
                           for layer in objective.layers for w in layer])


def time_gradient(gradient, config: TrainConfig, iterations: int) -> float:
    """µs per call of ``gradient`` on the seeded network of ``config``, without training."""
    trainer = Trainer(config)
    start = time.perf_counter()
    for _ in range(iterations):
        gradient(trainer.objective, config.h)
    return 1e6 * (time.perf_counter() - start) / max(iterations, 1)


# Runs per method and engine, the fastest reported: a compiled backprop run of 20,000 steps lasts ~10 ms, so one
# time slice lost to another process would otherwise stand for the engine.  The same count on both engines.
REPEATS = 3


def bench_methods(config: TrainConfig, methods, progress=None, engine: str = "numpy") -> list[dict]:
    """Each method trained ``config.iterations`` steps on ``engine``, ``REPEATS`` times from the same seed: one
    result dict per method, in order, from its run with the fewest µs/step."""
    results = []
    for key in methods:
        runs = [Trainer(replace(config, method=key, engine=engine)) for _ in range(REPEATS)]
        for trainer in runs:
            trainer.run(on_snapshot=progress and (lambda snapshot, key=key: progress(f"{key} ({engine})", snapshot)),
                        every_seconds=0.25, grid=None)
        trainer = min(runs, key=lambda run: run.us_per_step)
        results.append({
            "method": key, "engine": engine, "seconds": trainer.compute_seconds, "us_per_step": trainer.us_per_step,
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
            "engine": config.engine, "single_runs_seeds": singles, "single_runs_seconds": single_seconds,
            "sweep_seconds": result.seconds,
            "us_per_network_step": us, "single_us_per_network_step": single_us, "speedup": single_us / us,
            "book_us_per_step": book_us, "vs_book": book_us / us}


# The seed's program, as its post reported it: seconds for 20,000 steps of XOR.  Printed for reference, never
# measured here (that program drew with matplotlib; this one cannot run it).
SEED_REFERENCE = (
    ("seed: redraw every step", 11_100.0),
    ("seed: redraw every 1,000 steps", 160.0),
    ("seed: forward difference", 104.0),
    ("seed: staged", 89.0),
    ("seed: no plotting", 86.0),
)
REFERENCE_STEPS = 20_000
# The targets for the compiled engine: (method, the least speed-up over the same method on numpy).
TARGETS = (("backprop", 15.0), ("central", 10.0))


def bench_engines(config: TrainConfig, methods, progress=None) -> dict:
    """Every method on numpy and, where numba is present, on the compiled engine.

    Returns ``{"numpy": [...], "compiled": [...] or None, "compile_seconds": s or None, "compiled_missing": why
    or None}``; ``compile_seconds`` is the compiled engine's first use in this process (compiling, or loading
    numba's disk cache), timed before and apart from any step."""
    report = {"numpy": bench_methods(config, methods, progress), "compiled": None, "compile_seconds": None,
              "compiled_missing": compiled_missing()}
    if report["compiled_missing"] is None:
        report["compile_seconds"] = compiled_module().warm_up()
        report["compiled"] = bench_methods(config, methods, progress, engine="compiled")
    return report


def ladder(engines: dict, baseline: dict | None, sweep: dict | None) -> tuple[list[dict], list[dict]]:
    """The rungs, slowest first, and the targets' checks.

    A rung: ``{rung, engine, measured, us_per_step, seconds_per_20000, vs_book, vs_numpy_central}`` (the speeds are
    how many times faster than the book's loop and than numpy's central difference, None where not measured).
    A check: ``{compiled, numpy, method, ratio, target, met}``."""
    book = baseline["book_us_per_step"] if baseline else None
    central = next((r["us_per_step"] for r in engines["numpy"] if r["method"] == "central"), None)

    def rung(name, engine, us, measured=True):
        return {"rung": name, "engine": engine, "measured": measured, "us_per_step": us,
                "seconds_per_20000": us * REFERENCE_STEPS / 1e6,
                "vs_book": book / us if book else None, "vs_numpy_central": central / us if central else None}

    rungs = [rung(name, None, 1e6 * seconds / REFERENCE_STEPS, measured=False) for name, seconds in SEED_REFERENCE]
    if book:
        rungs.append(rung("book's numerical_gradient loop", "numpy", book))
    for engine in ("numpy", "compiled"):
        for r in sorted(engines[engine] or [], key=lambda r: -r["us_per_step"]):
            rungs.append(rung(r["method"], engine, r["us_per_step"]))
    if sweep:
        per_network = sweep.get("us_per_network_step") or 1e6 * sweep["sweep_seconds"] / max(
            sweep["seeds"] * sweep["iterations"], 1)
        rungs.append(rung(f"sweep of {sweep['seeds']} seeds ({sweep['method']}), per network", sweep["engine"],
                          per_network))
    checks = []
    for method, target in TARGETS:
        numpy_r = next((r for r in engines["numpy"] if r["method"] == method), None)
        compiled_r = next((r for r in engines["compiled"] or [] if r["method"] == method), None)
        if numpy_r and compiled_r:
            ratio = numpy_r["us_per_step"] / compiled_r["us_per_step"]
            checks.append({"method": method, "numpy": numpy_r["us_per_step"], "compiled": compiled_r["us_per_step"],
                           "ratio": ratio, "target": target, "met": ratio >= target})
    return rungs, checks


def print_ladder(rungs: list[dict], checks: list[dict], engines: dict) -> None:
    """The ladder as one table, then the compile time and the targets, each on its own line."""
    print(f"{'rung':<40} {'engine':<9} {'µs/step':>10} {'s/20,000':>10} {'× book':>8} {'× central':>9}")
    for r in rungs:
        times = lambda x: f"{x:.3g}×" if x else "-"  # noqa: E731
        engine = r["engine"] or "reference"
        print(f"{r['rung']:<40} {engine:<9} {r['us_per_step']:>10.1f} {r['seconds_per_20000']:>10.3g} "
              f"{times(r['vs_book']):>8} {times(r['vs_numpy_central']):>9}")
    print("reference rows: the seed's program as its post reported it, not measured here")
    if engines["compiled_missing"]:
        print(f"compiled engine: not run ({engines['compiled_missing']})")
    else:
        print(f"compiled engine: {engines['compile_seconds']:.2f} s to compile or load numba's cache, "
              "before any step and in no µs/step above")
    for c in checks:
        mark = "pass" if c["met"] else "SHORT OF"
        print(f"compiled {c['method']} vs numpy {c['method']}: {c['ratio']:.1f}× (target ≥ {c['target']:g}×): {mark}")
