"""Schedules of runs (the race, the stacked gates, the seed atlas) on the training thread, and their controller in
the GUI thread.

The ``ScheduleWorker`` lives on the same QThread as the single run's worker:
one training thread.  It advances a job in chunks of about a millisecond,
taking turns with the GUI through the injected live-view object (``live``),
records each run's kept steps for replay, keeps to the pace, and leaves the
GUI only the latest statuses (each replaces the one not yet taken).  The
``ScheduleController`` starts, pauses and stops it and writes what it
publishes into the session model, which the views read.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace

from PySide6.QtCore import QObject, Signal, Slot

from nn_core.config import TrainConfig
from nn_core.replay import KeptSteps, ReplayLog, replay_budget
from nn_core.schedule import GateStack, Race, RunStatus, trainer_status

from .atlas_job import AtlasJob
from .liveview import NoLiveView
from .pace import FRAMES_PER_SECOND, Pace
from .session import Session, State, View

log = logging.getLogger(__name__)

MINI_GRID = 25  # vertices per side of a small surface
CHUNK_SECONDS = 0.001
MAX_YIELD_SECONDS = 0.05
PUBLISH_INTERVAL = 1 / 30
DRAWING_COST_STEPS = 100  # the drawing-cost row: steps of the race's reference method, each one drawn
DRAWING_COST_METHOD = "central"  # the seed's own gradient (the book's numerical_gradient)
MAX_DRAW_WAIT_SECONDS = 1.0
MAX_PACED_GAP_SECONDS = 0.1  # a paced race gives out at most this much wall time's worth a turn (after a stall)
ONE_NETWORK_STEPS = 20_000  # the gates' one-network figure: at most this many steps, headless


class RaceJob:
    """The race as a job: turns of equal slices; the pace holds the fastest method to it."""

    view = View.RACE

    def __init__(self, config: TrainConfig, methods=None):
        self.race = Race(config, methods) if methods else Race(config)
        self.logs = {key: ReplayLog.for_trainer(t) for key, t in self.race.trainers.items()}
        self._last_turn: float | None = None  # when the last paced turn was given its time
        self.record()

    def warm_up(self) -> None:
        for trainer in self.race.trainers.values():
            trainer.warm_up()

    @property
    def done(self) -> bool:
        return self.race.done

    @property
    def progress(self) -> int:
        return max(t.iteration for t in self.race.trainers.values())

    def run_chunk(self, seconds: float, pace: Pace) -> None:
        """One turn.  At full speed, about ``seconds`` in all, an equal share each.  At a pace, in slow
        motion: each method is given the compute time the leader needs for ``pace`` steps a second, for the
        wall time since the last turn, so the leader keeps to the pace and the others keep their true relative
        speeds.  Each run ends at its kept steps, recorded there."""
        trainers = self.race.trainers.values()
        if pace.steps_per_second is None:
            self._last_turn = None
            share = seconds / (sum(not t.finished for t in trainers) or 1)
        else:
            now = time.perf_counter()
            waited = 0.0 if self._last_turn is None else min(now - self._last_turn, MAX_PACED_GAP_SECONDS)
            self._last_turn = now
            speeds = [t.us_per_step / 1e6 for t in trainers if t.iteration > t.first_iteration]
            # Before any step is timed: a sliver, so that each method takes its first (timed) step.
            share = max(waited * pace.steps_per_second * min(speeds), 1e-12) if speeds else 1e-12
        self.race.turn(share, stop_at=lambda key, step: self.logs[key].kept.next_kept(step),
                       after_run=lambda key, trainer: self.logs[key].record_trainer(trainer))

    def keep_pace(self, pace: Pace, stop: threading.Event) -> None:
        """At a pace, a turn a frame (``run_chunk`` gives out time by the clock)."""
        if pace.steps_per_second is not None:
            stop.wait(1 / FRAMES_PER_SECOND)

    def record(self, anchor: bool = False) -> None:
        for key, trainer in self.race.trainers.items():
            self.logs[key].record_trainer(trainer, anchor=anchor)

    def statuses(self, grid: int | None) -> list[RunStatus]:
        return self.race.status(grid)


class GatesJob:
    """The six gates, one stacked computation."""

    view = View.GATES

    def __init__(self, config: TrainConfig, gates=None):
        self.stack = GateStack(config, gates) if gates else GateStack(config)
        count = self.stack.params_of(0).size
        self.kept = KeptSteps(config.iterations, replay_budget(count))
        self.logs = {s.key: ReplayLog(KeptSteps(config.iterations, replay_budget(count)), count)
                     for s in self.stack.status(None)}
        self._per_step = CHUNK_SECONDS
        self.record()

    def warm_up(self) -> None:
        warm_up = getattr(self.stack, "warm_up", None)
        if warm_up is not None:
            warm_up()

    @property
    def done(self) -> bool:
        return self.stack.done

    @property
    def progress(self) -> int:
        return self.stack.iteration

    def keep_pace(self, pace: Pace, stop: threading.Event) -> None:
        pace.wait(self.stack.iteration, stop)

    def run_chunk(self, seconds: float, pace: Pace) -> None:
        limit = pace.chunk_limit()
        stack = self.stack
        n = max(1, int(seconds / self._per_step))
        n = min(n, stack.until - stack.iteration)
        following = self.kept.next_kept(stack.iteration)
        if following is not None:
            n = min(n, following - stack.iteration)
        if limit is not None:
            n = min(n, limit)
        before = stack.seconds
        stack.advance(max(1, n))
        self._per_step = max((stack.seconds - before) / max(1, n), 1e-7)

    def record(self, anchor: bool = False) -> None:
        if not anchor and not self.kept.is_kept(self.stack.iteration):
            return
        for i, status in enumerate(self.stack.status(None)):
            self.logs[status.key].record(status.iteration, self.stack.params_of(i), status.loss, status.outputs,
                                         anchor=anchor)

    def statuses(self, grid: int | None) -> list[RunStatus]:
        return self.stack.status(grid)


class ScheduleWorker(QObject):
    """Runs one job at a time on the training thread (see the module docstring)."""

    progress_ready = Signal()  # take_latest() has statuses; not emitted again until they are taken
    failed = Signal(int, str)
    run_ended = Signal(int, str)  # run id, "done" | "stopped" | "error"
    _start = Signal()

    def __init__(self, live=None, grid: int = MINI_GRID):
        super().__init__()
        self.live = live if live is not None else NoLiveView()
        self.grid = grid
        self._lock = threading.Lock()
        self._latest: tuple | None = None
        self._notified = False
        self._cancelled = threading.Event()
        self._wake = threading.Event()  # ends a pace's wait early: a new pace, a pause, a cancel
        self._unpaused = threading.Event()
        self._unpaused.set()
        self._drawn = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._job = None
        self._run_id = 0
        self._pace = Pace(None)
        self.measure_drawing = True
        self._start.connect(self._run)

    # --- GUI thread ---------------------------------------------------------------------------

    def begin(self, run_id: int, job, pace: float | None) -> None:
        if not self._idle.is_set():
            raise RuntimeError("the schedule worker is already running")
        self._idle.clear()
        self._cancelled.clear()
        self._wake.clear()
        self._unpaused.set()
        self._job, self._run_id, self._pace = job, run_id, Pace(pace)
        self._start.emit()

    def set_pace(self, pace: float | None) -> None:
        self._pace = Pace(pace)  # read by the worker at its next chunk
        self._wake.set()

    def pause(self) -> None:
        self._unpaused.clear()
        self._wake.set()

    def resume(self) -> None:
        self._unpaused.set()

    def request_cancel(self) -> None:
        """The run stops after the step under way (without waiting for it)."""
        self._cancelled.set()
        self._wake.set()
        self._unpaused.set()
        self._drawn.set()
        self.live.wake_worker()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until the worker has no run (``timeout`` s at most; None: as long as a step takes)."""
        return self._idle.wait(timeout)

    @property
    def idle(self) -> bool:
        return self._idle.is_set()

    def take_latest(self):
        with self._lock:
            latest, self._latest = self._latest, None
            self._notified = False
        return latest

    def mark_drawn(self) -> None:
        self._drawn.set()

    # --- training thread ------------------------------------------------------------------------

    @Slot()
    def _run(self) -> None:
        job, run_id = self._job, self._run_id
        reason = "stopped"
        self.live.enter_training_core()
        try:
            job.warm_up()
            self._train(job, run_id)
            if job.done and not self._cancelled.is_set():
                reason = "done"
                if job.view == View.RACE and self.measure_drawing:
                    self._measure_drawing(job, run_id)
                elif job.view == View.GATES:
                    self._measure_one_network(job, run_id)
        except Exception as error:  # the user sees the message; the log keeps the traceback
            log.exception("schedule %d failed", run_id)
            reason = "error"
            self.failed.emit(run_id, f"{type(error).__name__}: {error}")
        finally:
            self._idle.set()
            self.run_ended.emit(run_id, reason)

    def _train(self, job, run_id: int) -> None:
        wall = 0.0
        next_publish = time.perf_counter()
        self._pace.restart(job.progress)
        pace = self._pace
        while not job.done and not self._cancelled.is_set():
            if not self._unpaused.is_set():
                job.record(anchor=True)  # the timeline can show where it paused
                self._publish(run_id, job.statuses(self.grid), wall)
                self._unpaused.wait()
                pace.restart(job.progress)
                continue
            if pace is not self._pace:  # a new pace from the GUI: from here on
                pace = self._pace
                pace.restart(job.progress)
            started = time.perf_counter()
            with self.live.chunk(CHUNK_SECONDS, MAX_YIELD_SECONDS, self._cancelled):
                job.run_chunk(CHUNK_SECONDS, pace)
            job.record()
            job.keep_pace(pace, self._wake)
            self._wake.clear()
            now = time.perf_counter()
            wall += now - started
            if now >= next_publish:
                self._publish(run_id, job.statuses(self.grid), wall)
                next_publish = max(next_publish + PUBLISH_INTERVAL, time.perf_counter())
        job.record(anchor=True)  # where it stopped
        self._publish(run_id, job.statuses(self.grid), wall)

    def _measure_drawing(self, job, run_id: int) -> None:
        """The drawing-cost row: the reference method from the seed, its surface drawn after every step (as the
        seed's first program did), for DRAWING_COST_STEPS steps; wall µs per step against its compute µs."""
        from nn_core.trainer import Trainer

        race = job.race
        method = DRAWING_COST_METHOD if DRAWING_COST_METHOD in race.trainers else next(iter(race.trainers))
        config = replace(race.trainers[method].config, method=method)
        trainer = Trainer(replace(config, iterations=max(config.iterations, DRAWING_COST_STEPS)))
        trainer.warm_up()
        started = time.perf_counter()
        paused = 0.0
        for _ in range(DRAWING_COST_STEPS):
            if not self._unpaused.is_set():  # a pause holds the measurement too (its time is not counted)
                waited = time.perf_counter()
                self._unpaused.wait()
                paused += time.perf_counter() - waited
            if self._cancelled.is_set():
                return
            trainer.run(until=trainer.iteration + 1)
            status = trainer_status(method, trainer, self.grid)
            self._drawn.clear()
            self._publish(run_id, [status], None, drawing=True)
            self._drawn.wait(MAX_DRAW_WAIT_SECONDS)
        wall_us = (time.perf_counter() - started - paused) / DRAWING_COST_STEPS * 1e6
        self._publish(run_id, job.statuses(self.grid), None,
                      drawing_cost={"method": method, "us_per_step_drawn": wall_us,
                                    "us_per_step_headless": trainer.us_per_step, "steps": DRAWING_COST_STEPS})

    def _measure_one_network(self, job, run_id: int) -> None:
        """The gates' readout: one network of the same settings, trained alone (headless) for as many steps as
        the stack took, at most ONE_NETWORK_STEPS: its µs per step against the stack's."""
        from nn_core.trainer import Trainer

        stack = job.stack
        first = stack.status(None)[0]
        trainer = Trainer(replace(first.config, iterations=max(1, min(stack.iteration, ONE_NETWORK_STEPS))))
        trainer.warm_up()
        self._drawn.clear()  # the gates' last picture is drawn before this is timed, not while
        self._publish(run_id, job.statuses(self.grid), None)
        self._drawn.wait(MAX_DRAW_WAIT_SECONDS)
        while trainer.iteration < trainer.config.iterations and trainer.diverged_at is None:
            if self._cancelled.is_set():
                return
            with self.live.chunk(CHUNK_SECONDS, MAX_YIELD_SECONDS, self._cancelled):  # as the stack's turns
                trainer.run(until=min(trainer.config.iterations, trainer.iteration + 100))
        self._publish(run_id, job.statuses(self.grid), None, single_network_us=trainer.us_per_step)

    def _publish(self, run_id: int, statuses, wall: float | None, **extra) -> None:
        with self._lock:
            self._latest = (run_id, statuses, wall, extra)
            notify = not self._notified
            self._notified = True
        if notify:
            self.live.posted()
            self.progress_ready.emit()


class ScheduleController(QObject):
    """Starts, pauses and stops the race, the gates and the atlas, and puts what they publish into the session.

    Stop and Reset do not wait for the worker: a step may take seconds (central on 64,64,64), and the GUI
    must not freeze for it.  A stopped run's last statuses arrive when its worker ends; a reset run's are
    dropped.  Only closing waits for the worker, however long its step."""

    drawing = Signal(object)  # a RunStatus drawn after every step (the drawing-cost run), to be marked drawn
    finished = Signal(str)  # a View whose schedule ran to its end
    error = Signal(str)

    def __init__(self, session: Session, thread, live=None, grid: int = MINI_GRID, parent=None):
        super().__init__(parent)
        self.session = session
        self.live = live if live is not None else NoLiveView()
        self.worker = ScheduleWorker(live, grid)
        self.worker.moveToThread(thread)
        self.worker.progress_ready.connect(self._deliver_latest)
        self.worker.failed.connect(self._on_failed)
        self.worker.run_ended.connect(self._on_run_ended)
        self._run_id = 0
        self._view: View | None = None  # the view of the worker's run, until it has ended and been handled
        self._stopping = False  # that run was told to stop; its last statuses are still to come
        self._closed = False
        self.job = None
        self.measuring_drawing = False  # the race is over and the drawing-cost run is under way
        session.pace_changed.connect(self.worker.set_pace)

    def state(self, view: View | str) -> State:
        return self.session.runs(view).state

    @property
    def running(self) -> bool:
        """A race or the gates train or are paused (not stopping)."""
        return self._view is not None and not self._stopping

    def start(self, view: View | str, methods=None) -> bool:
        """A new schedule of ``view`` on the session's settings (or resume its pause).  ValueError from the
        engine (one line) if the settings cannot make it; nothing changes then."""
        view = View(view)
        if self._closed:
            return False
        if self._view == view and self.state(view) == State.PAUSED:
            self.resume()
            return True
        if self.running:
            return False
        config = self.session.settings
        if view == View.RACE:
            job = RaceJob(config, methods or self.session.race_methods)
        elif view == View.ATLAS:
            job = AtlasJob(config, self.session.atlas_seeds)
        else:
            job = GatesJob(config, methods)
        self.worker.wait_idle()  # a stopped run may still be finishing its last step
        self._drop_run()
        self.job = job
        self._view, self._stopping = view, False
        self.session.begin_runs(view, config, job.logs)
        self.session.publish(view, job.statuses(self.worker.grid), 0.0, drawn=False)
        self.worker.begin(self._run_id, job, self.session.pace)
        self._set_state(view, State.TRAINING)
        return True

    def pause(self) -> None:
        if self.running and self.state(self._view) == State.TRAINING:
            self.worker.pause()
            self._set_state(self._view, State.PAUSED)

    def resume(self) -> None:
        if self.running and self.state(self._view) == State.PAUSED:
            self.worker.resume()
            self._set_state(self._view, State.TRAINING)

    def toggle(self, view: View | str) -> None:
        if self.running and self.state(self._view) == State.TRAINING:
            self.pause()
        else:
            self.start(view)

    def stop(self) -> None:
        """End the schedule under way without waiting; its runs stay as they are (FINISHED: they can be
        replayed), their last statuses shown when the worker has ended."""
        if not self.running:
            return
        self._stopping = True
        self.measuring_drawing = False
        self.worker.request_cancel()
        self._set_state(self._view, State.FINISHED)

    def reset(self, view: View | str) -> None:
        """Stop (if running, without waiting) and clear the view's runs."""
        view = View(view)
        if self._view is not None:
            self.worker.request_cancel()
            self._drop_run()
        self.session.begin_runs(view, self.session.settings, {})
        self._set_state(view, State.READY)

    def shutdown(self) -> None:
        """Stop the worker and wait for it, however long its step: the thread it runs on ends next."""
        if self._closed:
            return
        self._closed = True
        self.worker.request_cancel()
        self.worker.wait_idle()
        self._drop_run()
        for signal in (self.worker.progress_ready, self.worker.failed, self.worker.run_ended):
            signal.disconnect()
        self.session.pace_changed.disconnect(self.worker.set_pace)

    def _drop_run(self) -> None:
        """Whatever the worker's run still sends is ignored from now on."""
        self._run_id += 1
        self.worker.take_latest()
        self._view, self._stopping = None, False
        self.measuring_drawing = False

    def _set_state(self, view: View, state: State) -> None:
        self.live.share_training_core(state == State.TRAINING)  # as the single run's controller does
        self.session.set_state(view, state)

    @Slot()
    def _deliver_latest(self) -> None:
        latest = self.worker.take_latest()
        try:
            if latest is None or self._closed:
                return
            run_id, statuses, wall, extra = latest
            if run_id != self._run_id or self._view is None:
                return
            if extra.get("drawing"):
                if not self.measuring_drawing:
                    self.measuring_drawing = True
                    self.session.set_extra(self._view, drawing_method=statuses[0].key)
                self.drawing.emit(statuses[0])
                return
            runs = self.session.runs(self._view)
            self.session.publish(self._view, statuses, runs.wall_seconds if wall is None else wall)
            if extra:  # the race's drawing cost, the gates' one-network µs per step
                self.session.set_extra(self._view, **extra)
        finally:
            self.worker.mark_drawn()

    @Slot(int, str)
    def _on_failed(self, run_id: int, message: str) -> None:
        if run_id == self._run_id and not self._closed:
            self.error.emit(message)

    @Slot(int, str)
    def _on_run_ended(self, run_id: int, reason: str) -> None:
        if run_id != self._run_id or self._closed:
            return
        self._deliver_latest()  # the last statuses (a stopped run's too)
        view, stopping = self._view, self._stopping
        self._drop_run()
        if view is None:
            return
        if reason == "error":
            self._set_state(view, State.READY)
        elif not stopping:
            self._set_state(view, State.FINISHED)
            if reason == "done":
                self.finished.emit(str(view))
        else:
            self.session.runs_changed.emit(str(view))  # the stopped runs' last statuses: the timeline's end


def preview_statuses(view: View, config: TrainConfig, grid: int | None, methods=None) -> list[RunStatus]:
    """What a race or the gates start from, before they run: each run's seeded network (numpy's forward pass;
    no compiling for a preview)."""
    from nn_core.gates import GATES
    from nn_core.methods import METHODS
    from nn_core.trainer import Trainer

    if view == View.RACE:
        changes = [("method", key) for key in (methods or METHODS)]
    else:
        changes = [("gate", gate) for gate in GATES]
    statuses = []
    for name, value in changes:
        run = replace(config, **{name: value})
        status = trainer_status(value, Trainer(replace(run, engine="numpy")), grid)
        statuses.append(replace(status, config=run))
    return statuses
