"""The gradient-check view's computations, in a process of their own (no Qt here), which runs ``main``.

A thread in the window's process would share the GIL with the GUI thread: while it computed, each Qt call of the
GUI thread waited for the GIL (up to the switch interval), and on a big network the view lagged by seconds.  A
process shares nothing: ``CheckWorker`` (in the window) writes it pickled ``Request``s on its stdin and reads
``TableResult``s, ``CurveResult``s and its state from its stdout, on a thread that waits in ``read`` without the
GIL.  (A plain subprocess rather than multiprocessing's spawn, which re-imports the window's main module.)

``main`` computes the newest request only: a request arriving while another waits replaces it; the curve under
way is abandoned (between chunks of h) when a request for a network not training arrives.  While the run trains it
rests between computations (``LIVE_GAP_SECONDS``, ``CURVE_LIVE_SECONDS``, ``BUSY_SHARE``).
"""

from __future__ import annotations

import math
import pickle
import queue
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass

import numpy as np

from nn_core import gradcheck

from .inside import NetworkAt

CURVE_METHODS = gradcheck.CURVE_METHODS  # forward and central
# While the run trains: at least this long between two tables, and between two curves; and the process computes
# at most this share of the time (after a computation of d seconds it rests d · (1 − share) / share).
LIVE_GAP_SECONDS = 0.25
CURVE_LIVE_SECONDS = 2.0
BUSY_SHARE = 0.2
CURVE_CHUNK = 5  # h values per call of error_vs_h: the curve can be abandoned between chunks
DIVERGED = "diverged"


@dataclass(frozen=True)
class Request:
    serial: int
    at: NetworkAt


@dataclass(frozen=True)
class TableResult:
    """``check``: ``nn_core.gradcheck.check_gradients``' dict, or None with ``failure`` (``DIVERGED`` or a
    sentence).  ``seconds``: the computation's time."""

    serial: int
    at: NetworkAt
    check: dict | None
    failure: str | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class CurveResult:
    """``curve``: ``error_vs_h``'s dict (forward and central); ``slopes``: ``{method: {regime: slope or NaN}}``."""

    serial: int
    at: NetworkAt
    curve: dict | None
    slopes: dict | None
    failure: str | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class State:
    """What the process does now: "table", "curve" or "idle"; and how many curves it has abandoned."""

    doing: str
    abandoned: int


def diverged(at: NetworkAt) -> bool:
    """True when the network has no gradient to check: a parameter or the loss is not a finite number."""
    return not (np.all(np.isfinite(at.params)) and math.isfinite(at.loss))


def compute_table(request: Request) -> TableResult:
    """``check_gradients`` at the network's parameters with its config's h (every method)."""
    start = time.perf_counter()
    if diverged(request.at):
        return TableResult(request.serial, request.at, None, DIVERGED)
    try:
        check = gradcheck.check_gradients(request.at.config, request.at.params)
    except Exception as error:  # shown as a note: the window keeps running
        traceback.print_exc()
        return TableResult(request.serial, request.at, None, str(error))
    return TableResult(request.serial, request.at, check, None, time.perf_counter() - start)


def curve_slopes(curve: dict) -> dict[str, dict[str, float]]:
    """``{method: {regime: slope}}`` by ``nn_core.gradcheck.fitted_slope`` over ``REGIMES``; NaN where the
    errors there are not all positive and finite (no straight line on log-log axes)."""
    out = {}
    for key, errors in curve["norm_rel_error"].items():
        out[key] = {}
        for regime, (low, high) in gradcheck.REGIMES.items():
            try:
                out[key][regime] = gradcheck.fitted_slope(curve["h"], errors, low, high)
            except ValueError:
                out[key][regime] = math.nan
    return out


def compute_curve(request: Request, abandon=lambda: False) -> CurveResult | None:
    """``error_vs_h`` over ``DEFAULT_HS`` at the request's network, ``CURVE_CHUNK`` h at a time (the numbers
    of one call: each h is computed on its own); None as soon as ``abandon()`` is true between chunks."""
    start = time.perf_counter()
    if diverged(request.at):
        return CurveResult(request.serial, request.at, None, None, DIVERGED)
    hs = gradcheck.DEFAULT_HS
    parts = []
    try:
        with np.errstate(all="ignore"):  # overflow in a huge network shows as NaN, drawn as a gap
            for first in range(0, hs.size, CURVE_CHUNK):
                if abandon():
                    return None
                parts.append(gradcheck.error_vs_h(request.at.config, request.at.params,
                                                  hs[first:first + CURVE_CHUNK], CURVE_METHODS))
    except Exception as error:
        traceback.print_exc()
        return CurveResult(request.serial, request.at, None, None, str(error))
    curve = {"h": hs}
    for kind in ("norm_rel_error", "max_rel_error"):
        curve[kind] = {key: np.concatenate([part[kind][key] for part in parts]) for key in CURVE_METHODS}
    return CurveResult(request.serial, request.at, curve, curve_slopes(curve), None, time.perf_counter() - start)


class _Loop:
    """``main``'s state: the newest request waiting, a live request whose curve waits for its turn, the rests."""

    def __init__(self, inbox: queue.Queue, send):
        self.inbox, self.send = inbox, send
        self.pending: Request | None = None
        self.owed: Request | None = None
        self.stopping = False
        self.next_live = self.next_curve = 0.0  # monotonic times before which a live table / curve waits
        self.abandoned = 0

    def read(self, timeout: float | None) -> None:
        """Take every message that arrives within ``timeout`` seconds (None: wait for one; 0: only those already
        there); the newest request wins, None ends."""
        while not self.stopping:
            try:
                message = self.inbox.get(timeout=timeout) if timeout != 0 else self.inbox.get_nowait()
            except queue.Empty:
                return
            if message is None:
                self.stopping = True
            else:
                self.pending, self.owed = message, None
            timeout = 0

    def state(self, doing: str) -> None:
        self.send(State(doing, self.abandoned))

    def next_job(self) -> tuple[Request, bool] | None:
        """The next request and whether its table is wanted (False: only its owed curve); None to end."""
        while not self.stopping:
            now = time.monotonic()
            if self.pending is not None:
                wait = self.next_live - now if self.pending.at.live else 0.0
                if wait <= 0:
                    request, self.pending = self.pending, None
                    return request, True
            elif self.owed is not None:
                wait = max(self.next_live, self.next_curve) - now
                if wait <= 0:
                    request, self.owed = self.owed, None
                    return request, False
            else:
                wait = None
            self.read(wait)
        return None

    def abandon(self) -> bool:
        self.read(0)
        if self.stopping or (self.pending is not None and not self.pending.at.live):
            self.abandoned += 1
            return True
        return False

    def run(self) -> None:
        while (job := self.next_job()) is not None:
            request, table = job
            live = request.at.live
            if table:
                self.state("table")
                start = time.monotonic()
                self.send(compute_table(request))
                end = time.monotonic()
                if live:
                    self.next_live = end + max(LIVE_GAP_SECONDS, (end - start) * (1 - BUSY_SHARE) / BUSY_SHARE)
                if live and end < self.next_curve:
                    self.read(0)
                    if self.pending is None:
                        self.owed = request
                    self.state("idle")
                    continue
            self.state("curve")
            start = time.monotonic()
            result = compute_curve(request, self.abandon)
            end = time.monotonic()
            if result is not None:
                self.send(result)
            if live:
                self.next_curve = end + max(CURVE_LIVE_SECONDS, (end - start) * (1 - BUSY_SHARE) / BUSY_SHARE)
                self.next_live = max(self.next_live, end + LIVE_GAP_SECONDS)
            self.state("idle")


def main() -> None:
    """The process's main (imported, not run as ``__main__``, so that its results unpickle as this module's
    classes): read pickled ``Request``s from stdin (None or its end: stop), write
    pickled results and ``State``s to stdout.  A thread reads stdin, so a newer request is seen between chunks."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in the terminal is the window's to handle
    requests, results = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # stdout carries the results only
    inbox: queue.Queue = queue.Queue()

    def read() -> None:
        try:
            while True:
                inbox.put(pickle.load(requests))
        except (EOFError, OSError, pickle.UnpicklingError):
            inbox.put(None)

    def send(message) -> None:
        pickle.dump(message, results, protocol=pickle.HIGHEST_PROTOCOL)
        results.flush()

    # Not a daemon: it ends at the end of stdin (the window closes it), and a daemon thread blocked reading
    # stdin makes the interpreter's shutdown fail.
    threading.Thread(target=read, name="requests").start()
    try:
        _Loop(inbox, send).run()
    except (BrokenPipeError, OSError):
        pass  # the window has gone

