"""The training worker: runs nn_core's Trainer in a QThread and hands the GUI only the latest snapshot.

Three things keep the live view cheap:

* Each snapshot replaces the one waiting (if any), and the GUI is notified
  only when none is waiting, so at most one notification is ever queued.
* The GIL (see liveview.py): the worker runs ``Trainer.run`` in chunks of about
  a millisecond and takes turns with the GUI thread's drawing between them.
* ``Trainer.run`` is a blocking loop: stop and pause go through the
  trainer's thread-safe flags, never through queued slots.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from nn_core.replay import ReplayLog
from nn_core.trainer import Snapshot, Trainer

from .liveview import LiveView, NoLiveView
from .pace import Pace

translate = QCoreApplication.translate

log = logging.getLogger(__name__)

SURFACE_GRID = 51  # vertices per side of the drawn surface; odd, so x = 0.5 is on it


@dataclass(frozen=True)
class UpdateRate:
    """How often the surface is redrawn: about ``per_second`` times a second by the clock,
    or, with ``every_steps``, after every that many steps, waiting for each to be drawn
    (as the seed's program did: so the cost of drawing shows in the timing)."""

    per_second: float = 30.0
    every_steps: int | None = None

    def describe(self) -> str:
        if self.every_steps:
            if self.every_steps == 1:
                return translate("UpdateRate", "every step")
            return translate("UpdateRate", "every {steps} steps").format(steps=f"{self.every_steps:,}")
        return f"~{self.per_second:g}/s"


class WallClock:
    """Wall time the worker spends on a trainer outside ``Trainer.run`` (snapshots, drawing, yielding to
    the GUI), so that elapsed time and steps/s include what the live view costs.  Written by the worker
    only while it runs."""

    def __init__(self):
        self.overhead_seconds = 0.0
        self.paced_seconds = 0.0  # of the overhead, the pace's waiting: not what drawing costs

    def wall_seconds(self, trainer: Trainer) -> float:
        return trainer.elapsed_seconds + self.overhead_seconds


@dataclass(frozen=True)
class Progress:
    """One snapshot on its way to the views."""

    run_id: int
    snapshot: Snapshot
    loss_evals: int  # the method's loss evaluations so far, counted by the engine
    wall_seconds: float  # training time including the live view's cost, pauses excluded
    start_step: int = 0  # the step the run under way started from (a Step ×N starts mid-run)
    until: int | None = None  # the step the run under way trains to; None while idle
    run_over: bool = False  # the run ended before its total ("stop when solved"): nothing is left to do
    paced_seconds: float = 0.0  # of wall_seconds, waiting for the pace (app.pace)


@dataclass
class _Job:
    run_id: int
    trainer: Trainer
    until: int
    rate: UpdateRate
    clock: WallClock
    start_step: int = 0
    stop_when_solved: bool = False
    solved: bool = False  # it stopped because it was solved
    replay: ReplayLog | None = None  # the run's kept steps, recorded as it reaches them
    pace: float | None = None  # steps per second of wall time, or None: full speed


CHUNK_SECONDS = 0.001  # steps run between checks for the GUI; long enough that the checks cost ~nothing
MAX_YIELD_SECONDS = 0.05  # the worker waits at most this long for a busy GUI before it runs another chunk
MAX_DRAW_WAIT_SECONDS = 1.0  # "every N steps" waits this long at most for the GUI to draw a snapshot


class TrainingWorker(QObject):
    progress_ready = Signal()  # take_latest() has a Progress; not emitted again until it is taken
    failed = Signal(int, str)  # run_id, a one-line message for the user
    run_ended = Signal(int, str)  # run_id, "done" | "solved" | "stopped" | "diverged" | "error"
    _start = Signal()

    def __init__(self, grid: int = SURFACE_GRID, live: LiveView | NoLiveView | None = None):
        """``live``: the turn taking and CPU placement it trains under (app/liveview.py); a NoLiveView if None."""
        super().__init__()
        self.grid = grid
        self.live = live if live is not None else NoLiveView()
        self._lock = threading.Lock()
        self._latest: Progress | None = None
        self._notified = False
        self._drawn = threading.Event()
        self._cancelled = threading.Event()
        self._wake = threading.Event()  # ends a pace's wait early: a new pace, a pause, a cancel
        self._idle = threading.Event()
        self._idle.set()
        self._job: _Job | None = None
        self._start.connect(self._run)  # queued: the worker lives in its own thread

    # --- called from the GUI thread ------------------------------------------------

    def begin(self, run_id: int, trainer: Trainer, until: int, rate: UpdateRate, clock: WallClock,
              stop_when_solved: bool = False, replay: ReplayLog | None = None, pace: float | None = None) -> None:
        if not self._idle.is_set():
            raise RuntimeError("the worker is already running")
        self._idle.clear()
        self._cancelled.clear()
        self._wake.clear()
        trainer.clear_stop()
        self._job = _Job(run_id, trainer, until, rate, clock, start_step=trainer.iteration,
                         stop_when_solved=stop_when_solved, replay=replay, pace=pace)
        self._start.emit()

    def cancel(self, timeout: float = 10.0) -> bool:
        """Stop the run (if any) and wait until the worker is idle; True if it is."""
        job = self._job
        self._cancelled.set()
        self._wake.set()
        if job is not None:
            job.trainer.request_stop()
        self._drawn.set()
        self.live.wake_worker()
        idle = self._idle.wait(timeout)
        if not idle:
            log.error("the training worker did not stop within %.0f s", timeout)
        return idle

    def set_pace(self, pace: float | None) -> None:
        """Steps per second from the next chunk on (None: full speed)."""
        job = self._job
        if job is not None:
            job.pace = pace
        self._wake.set()

    def wake(self) -> None:
        """A pause or resume takes effect now, not when the pace's wait ends."""
        self._wake.set()

    @property
    def idle(self) -> bool:
        return self._idle.is_set()

    def take_latest(self) -> Progress | None:
        with self._lock:
            progress, self._latest = self._latest, None
            self._notified = False
        return progress

    def mark_drawn(self) -> None:
        """The GUI has drawn the snapshot it took; a run waiting for it (every N steps) goes on."""
        self._drawn.set()

    # --- the worker thread -------------------------------------------------------------

    @Slot()
    def _run(self) -> None:
        job = self._job
        reason = "stopped"
        self.live.enter_training_core()
        try:
            log.debug("run %d: training to step %d, surface %s", job.run_id, job.until, job.rate.describe())
            self._train(job)
            if job.trainer.diverged_at is not None:
                reason = "diverged"
            elif job.trainer.iteration >= job.until:
                reason = "done"
            elif job.solved:
                reason = "solved"
        except Exception as error:  # the user sees the message; the log keeps the traceback
            log.exception("run %d failed", job.run_id)
            reason = "error"
            self.failed.emit(job.run_id, f"{type(error).__name__}: {error}")
        finally:
            log.debug("run %d ended: %s at step %d", job.run_id, reason, job.trainer.iteration)
            self._idle.set()
            self.run_ended.emit(job.run_id, reason)

    def _train(self, job: _Job) -> None:
        """``Trainer.run`` in chunks of ~CHUNK_SECONDS, a snapshot at the chosen rate, one at the end."""
        trainer, every_steps = job.trainer, job.rate.every_steps
        trainer.warm_up()  # the compiled engine's first compile: before any clock starts (the status line says so)
        interval = 1.0 / job.rate.per_second
        chunk, seconds_per_step = 1, CHUNK_SECONDS  # the chunk's steps; wall time per step, last chunk
        next_snapshot = time.perf_counter() + interval
        outside = time.perf_counter()  # when the worker last left Trainer.run
        pace = Pace(job.pace)
        pace.restart(trainer.iteration)
        self._record(job)
        while trainer.iteration < job.until and not self._cancelled.is_set():
            end = min(job.until, trainer.iteration + chunk)
            if every_steps:
                end = min(end, (trainer.iteration // every_steps + 1) * every_steps)
            if job.replay is not None:  # a chunk ends at the next kept step, to keep it
                kept = job.replay.kept.next_kept(trainer.iteration)
                end = end if kept is None else min(end, kept)
            if job.pace != pace.steps_per_second:  # the learner changed the pace: from here on
                pace = Pace(job.pace)
                pace.restart(trainer.iteration)
            if pace.chunk_limit() is not None:
                end = min(end, trainer.iteration + pace.chunk_limit())
            steps, compute = trainer.iteration, trainer.compute_seconds
            with self.live.chunk((end - steps) * seconds_per_step, MAX_YIELD_SECONDS, self._cancelled):
                inside = time.perf_counter()
                job.clock.overhead_seconds += inside - outside
                trainer.run(until=end, on_pause=lambda pace=pace: self._paused(job, pace))
                outside = time.perf_counter()
            self._record(job)
            if trainer.diverged_at is not None:
                break
            waited = time.perf_counter()
            pace.wait(trainer.iteration, self._wake)  # outside Trainer.run: no step's clock holds it
            job.clock.paced_seconds += time.perf_counter() - waited
            self._wake.clear()
            if job.stop_when_solved and trainer.solved():  # one forward pass a chunk, not a step
                job.solved = True
                break
            steps = trainer.iteration - steps
            if steps:  # aim each chunk at CHUNK_SECONDS of the method's own step time
                per_step = max((trainer.compute_seconds - compute) / steps, 1e-7)
                chunk = max(1, min(100_000, int(CHUNK_SECONDS / per_step)))
                seconds_per_step = (outside - inside) / steps
            if every_steps:
                if trainer.iteration % every_steps == 0 and trainer.iteration < job.until:
                    self._publish(job, wait_for_draw=True)
            elif outside >= next_snapshot:
                self._publish(job)
                # On the clock's grid, so publishing takes none of the interval; never in a burst to catch up.
                next_snapshot = max(next_snapshot + interval, time.perf_counter())
        job.clock.overhead_seconds += time.perf_counter() - outside
        self._record(job, anchor=True)  # where it stopped (Step ×N, a stop, solved): the timeline's end
        self._publish(job)

    def _paused(self, job: _Job, pace: Pace) -> None:
        self.live.chunk_paused()  # the GUI need not wait for this chunk while it is paused
        self._record(job, anchor=True)  # the timeline can show where it paused (before the GUI hears of it)
        self._publish(job)  # the readout shows where it paused
        pace.restart(None)  # after the pause, the pace counts from where it went on

    @staticmethod
    def _record(job: _Job, anchor: bool = False) -> None:
        if job.replay is not None:
            job.replay.record_trainer(job.trainer, anchor=anchor)

    def _publish(self, job: _Job, wait_for_draw: bool = False) -> None:
        """Leave a snapshot for the GUI (replacing one not yet taken); with ``wait_for_draw``, wait until drawn."""
        trainer = job.trainer
        snapshot = trainer.snapshot(self.grid)
        progress = Progress(job.run_id, snapshot, trainer.objective.loss_evals, job.clock.wall_seconds(trainer),
                            start_step=job.start_step, until=job.until, paced_seconds=job.clock.paced_seconds)
        wait = wait_for_draw and not self._cancelled.is_set()
        if wait:
            self._drawn.clear()
        with self._lock:
            self._latest = progress
            notify = not self._notified
            self._notified = True
        if notify:
            self.live.posted()  # the next chunk waits for the GUI to take it, rather than be cut into
            self.progress_ready.emit()
        if wait and not self._drawn.wait(MAX_DRAW_WAIT_SECONDS):
            log.debug("run %d: snapshot at step %d not drawn within %.1f s", job.run_id, snapshot.iteration,
                      MAX_DRAW_WAIT_SECONDS)
