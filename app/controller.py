"""TrainingController: the run's lifecycle and state, in the GUI thread, with no widgets.

Views subscribe to its signals (napari style); the window calls its methods.
States: ready (idle, more steps to go), training, paused, finished (the
configured steps are done or the run diverged).
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, QThread, Signal, Slot

from nn_core.config import TrainConfig
from nn_core.replay import ReplayLog
from nn_core.trainer import Trainer

from .liveview import LiveView, NoLiveView
from .session import State  # the model's type (re-exported: views and tests import it from here)
from .worker import SURFACE_GRID, Progress, TrainingWorker, UpdateRate, WallClock

log = logging.getLogger(__name__)


class Ended(enum.StrEnum):
    """How a run ended, for the Finished runs table and ``--report-json``."""

    DONE = "done"  # every configured step
    SOLVED = "solved"  # "stop when solved" stopped it early
    DIVERGED = "diverged"
    STOPPED = "stopped"  # Reset (or new settings) ended it before the configured steps


class StartAction(enum.StrEnum):
    """What Start does, given the run and the settings shown: the button says it."""

    START = "start"  # the seeded network, nothing trained yet
    CONTINUE = "continue"  # a run stopped part-way (after Step ×N) goes on to its total
    RESUME = "resume"  # a paused run goes on
    FURTHER = "further"  # only the step count grew: the same run trains on to the new total
    NEW_RUN = "new run"  # new settings, or the run is over: a new run from the seed


@dataclass(frozen=True)
class RunSummary:
    """A run that ended, for the history table and ``--report-json``."""

    config: TrainConfig  # every setting of the run, as the engine had it
    rate: UpdateRate  # how often the surface was redrawn
    ended: Ended
    iterations: int
    seconds: float  # gradient and update only, as in ``nn_core train``
    wall_seconds: float  # time spent running, pauses excluded
    us_per_step: float
    loss_evals_per_step: float
    final_loss: float
    solved: bool
    diverged_at: int | None
    frames: int  # surface updates drawn during the run
    fps: float

    @property
    def gate(self) -> str:
        return self.config.gate

    @property
    def method(self) -> str:
        return self.config.method

    @property
    def hidden(self) -> tuple[int, ...]:
        return self.config.hidden


def replay_log(trainer: Trainer) -> ReplayLog:
    """A log of ``trainer``'s kept steps, from its step count now to its configured total, holding its state now."""
    log_ = ReplayLog.for_trainer(trainer)
    log_.record_trainer(trainer, anchor=True)
    return log_


class TrainingController(QObject):
    state_changed = Signal(str)  # a State
    trainer_replaced = Signal(object)  # the new Trainer, after Reset or new settings
    progress = Signal(object)  # Progress: the latest snapshot, to be drawn
    run_finished = Signal(object)  # RunSummary, when the configured steps are done (or it diverged, or solved)
    run_ended = Signal(object)  # RunSummary of every run that ended: finished ones, and those Reset stopped
    error = Signal(str)  # a worker failure, one line for the user

    def __init__(self, config: TrainConfig | None = None, rate: UpdateRate | None = None,
                 grid: int = SURFACE_GRID, parent: QObject | None = None, live: LiveView | NoLiveView | None = None):
        """``live``: the application's LiveView (app/liveview.py), shared with the worker; a NoLiveView if None."""
        super().__init__(parent)
        self.live = live if live is not None else NoLiveView()
        self.grid = grid
        self.rate = rate or UpdateRate()
        self.trainer = Trainer(config or TrainConfig())
        self.clock = WallClock()
        self.state = State.READY
        self.frames = 0  # surface updates delivered since the trainer was (re)built
        self._run_id = 0
        self._closed = False
        self.stop_when_solved = False  # a run that reaches "solved" ends there (checked between ~1 ms chunks)
        self._reported = True  # the current trainer's run is in the runs table (or has nothing to show)
        self.drawing = True  # False: snapshots are dropped, nothing is redrawn (app.bench's drawn/undrawn phases)
        self.pace: float | None = None  # steps per second of wall time, None: full speed (app.pace)
        self.replay = replay_log(self.trainer)
        self.live.follow_event_loop()
        self.worker = TrainingWorker(grid, live=self.live)
        self._thread = QThread()
        self._thread.setObjectName("gatelab-training")
        self.worker.moveToThread(self._thread)
        self.worker.progress_ready.connect(self._deliver_latest)
        self.worker.failed.connect(self._on_failed)
        self.worker.run_ended.connect(self._on_run_ended)
        self._thread.start()

    # --- what the views read ---------------------------------------------------------

    @property
    def config(self) -> TrainConfig:
        return self.trainer.config

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def thread(self) -> QThread:
        """The training thread: the race and the gates run their worker on it too (one training thread)."""
        return self._thread

    @property
    def thread_finished(self) -> bool:
        """The worker's QThread has ended (after shutdown)."""
        return self._thread.isFinished()

    @property
    def running(self) -> bool:
        return self.state in (State.TRAINING, State.PAUSED)

    @property
    def fresh(self) -> bool:
        """Nothing trained yet since the network was built."""
        return self.trainer.iteration == 0 and not self.running

    def current_progress(self) -> Progress:
        """A snapshot of the idle trainer, taken here in the GUI thread."""
        assert self.worker.idle, "the trainer belongs to the worker while it runs"
        return Progress(self._run_id, self.trainer.snapshot(self.grid), self.trainer.objective.loss_evals,
                        self.clock.wall_seconds(self.trainer), run_over=self.state == State.FINISHED,
                        paced_seconds=self.clock.paced_seconds)

    # --- actions -----------------------------------------------------------------------

    def start(self, config: TrainConfig | None = None, rate: UpdateRate | None = None,
              stop_when_solved: bool | None = None) -> bool:
        """Train to the configured total; what it does is ``start_action(config)``: resume a pause, continue
        the run, train a finished run further (``config`` asks for more steps), or begin a new run from the
        seed (new settings, or the run finished)."""
        if self._closed or self.state == State.TRAINING:
            return False
        action = self.start_action(config)
        if action == StartAction.RESUME:
            self.resume()
            return True
        if action == StartAction.NEW_RUN:
            self._replace_trainer(config or self.config)
        elif action == StartAction.FURTHER:
            self._extend(config.iterations)
        return self._begin(self.config.iterations, rate, stop_when_solved)

    def start_action(self, config: TrainConfig | None = None) -> StartAction:
        """What Start does now, given the settings shown (``config``)."""
        if self.state == State.PAUSED:
            return StartAction.RESUME
        if config is None or config == self.config:
            return StartAction.NEW_RUN if self.state == State.FINISHED else (
                StartAction.START if self.trainer.iteration == 0 else StartAction.CONTINUE)
        if replace(config, iterations=self.config.iterations) == self.config and \
                config.iterations > self.trainer.iteration and self.trainer.diverged_at is None:
            return StartAction.FURTHER  # only the step count grew: the same run goes on to it
        return StartAction.NEW_RUN

    def step(self, count: int, config: TrainConfig | None = None, rate: UpdateRate | None = None) -> bool:
        """Train exactly ``count`` more steps: from a pause (the run waits again after them, as READY), from
        READY, or past the end of a finished run (its total grows).  New settings (``config`` differing from
        the run's, other than the step count) begin a new run from the seed first."""
        if self._closed or self.state == State.TRAINING or count < 1:
            return False
        if config is not None and replace(config, iterations=self.config.iterations) != self.config:
            self._replace_trainer(config)
        elif self.state == State.PAUSED:
            self._halt()  # the paused job ends; the steps run as a job of their own
        if self.trainer.diverged_at is not None:
            return False
        until = self.trainer.iteration + int(count)
        if until > self.config.iterations:
            self._extend(until)
        return self._begin(until, rate, stop_when_solved=False)

    def pause(self) -> None:
        if self.state == State.TRAINING:
            self.trainer.pause()
            self.worker.wake()  # a paced run waiting for its next step pauses now
            self._set_state(State.PAUSED)

    def resume(self) -> None:
        if self.state == State.PAUSED:
            self.trainer.resume()
            self._set_state(State.TRAINING)

    def toggle(self, config: TrainConfig | None = None, rate: UpdateRate | None = None,
               stop_when_solved: bool | None = None) -> None:
        """Space: start when idle, pause when training, resume when paused."""
        if self.state == State.TRAINING:
            self.pause()
        else:
            self.start(config, rate, stop_when_solved)

    def stop(self) -> None:
        """End the run and keep the network as it is."""
        if not self.running:
            return
        self._halt()
        self._set_state(State.FINISHED if self.trainer.finished else State.READY)
        self._deliver(self.current_progress())

    def reset(self, config: TrainConfig | None = None) -> None:
        """Back to the seeded network, with ``config`` if given; stops a run first (reported as stopped)."""
        if self._closed:
            return
        self._halt()
        self._set_state(State.READY)  # first: the new network's snapshot is not that of a finished run
        self._replace_trainer(config or self.config)

    def load_run(self, run) -> None:
        """Go on from a saved run (``nn_core.runfile.SavedRun``): a run under way stops (reported as stopped),
        and a Trainer of ``run``'s config takes its parameters, step count and optimizer state; then READY, or
        FINISHED if its steps are all done.  Start or Step continues it exactly as if it had never stopped."""
        if self._closed:
            return
        self._halt()
        self._report_stopped()
        trainer = Trainer.from_saved(run)
        self.trainer = trainer
        self.replay = replay_log(trainer)
        self._reported = True  # trained before it was saved: not a run of this window's table
        self.clock = WallClock()
        self.frames = 0
        log.debug("loaded a run at step %d: %s", trainer.iteration, trainer.config)
        self.trainer_replaced.emit(self.trainer)
        self._set_state(State.FINISHED if trainer.finished else State.READY)
        self._deliver(self.current_progress())

    def set_pace(self, pace: float | None) -> None:
        """Steps per second (None: full speed), at once: a run under way goes on at the new pace."""
        self.pace = pace
        self.worker.set_pace(pace)

    def set_rate(self, rate: UpdateRate) -> None:
        """Takes effect at the next Start or Step."""
        self.rate = rate

    def shutdown(self) -> None:
        """Stop the worker, end its thread, drop pending snapshots.  Call before the window goes."""
        if self._closed:
            return
        self._closed = True
        self._halt()
        self._thread.quit()
        if not self._thread.wait(10_000):
            log.error("the training thread did not end")
        self.worker.take_latest()
        for signal in (self.worker.progress_ready, self.worker.failed, self.worker.run_ended):
            signal.disconnect()
        log.debug("controller shut down")

    # --- internals ----------------------------------------------------------------------

    def _begin(self, until: int, rate: UpdateRate | None, stop_when_solved: bool | None = None) -> bool:
        if rate is not None:
            self.rate = rate
        if stop_when_solved is not None:
            self.stop_when_solved = stop_when_solved
        if self.trainer.iteration >= until:
            return False
        self._run_id += 1
        self._reported = False
        self.worker.begin(self._run_id, self.trainer, until, self.rate, self.clock,
                          stop_when_solved=self.stop_when_solved and until == self.config.iterations,
                          replay=self.replay, pace=self.pace)
        self._set_state(State.TRAINING)
        return True

    def _halt(self) -> None:
        """Stop a run synchronously; its queued notifications are then ignored (stale run id)."""
        if not self.worker.idle:
            self.worker.cancel()
        self._run_id += 1
        self.worker.take_latest()
        self.trainer.resume()  # a stopped run must not leave the flag paused for the next one

    def _extend(self, iterations: int) -> None:
        """The same run, with a larger total: it goes on from where it is."""
        self.trainer.config = replace(self.trainer.config, iterations=int(iterations)).validated()
        self.replay.extend(int(iterations))
        self._reported = False

    def _replace_trainer(self, config: TrainConfig) -> None:
        self._report_stopped()
        self.trainer = Trainer(config)
        self.replay = replay_log(self.trainer)
        self._reported = True  # nothing trained yet: nothing to report
        self.clock = WallClock()
        self.frames = 0
        log.debug("new trainer: %s", self.trainer.config)
        self.trainer_replaced.emit(self.trainer)
        self._deliver(self.current_progress())

    def _set_state(self, state: State) -> None:
        if state != self.state:
            log.debug("state %s -> %s", self.state, state)
            self.state = state
            self.live.share_training_core(state == State.TRAINING)  # the trainer's CPU never idles between turns
            self.state_changed.emit(str(state))

    def _deliver(self, progress: Progress) -> None:
        if not self._closed:  # nothing reaches a closing window
            self.progress.emit(progress)

    def _report_stopped(self) -> None:
        """A run that trained steps and is left unfinished (Reset, new settings) goes into the runs table."""
        if not self._reported and self.trainer.iteration > 0 and not self._closed:
            self._reported = True
            self.run_ended.emit(self._summary(Ended.STOPPED))

    @Slot()
    def _deliver_latest(self) -> None:
        progress = self.worker.take_latest()
        try:
            if progress is not None and progress.run_id == self._run_id and not self._closed and self.drawing:
                self.frames += 1
                self._deliver(progress)
        finally:
            self.worker.mark_drawn()

    @Slot(int, str)
    def _on_failed(self, run_id: int, message: str) -> None:
        if run_id == self._run_id:
            self.error.emit(message)

    @Slot(int, str)
    def _on_run_ended(self, run_id: int, reason: str) -> None:
        if run_id != self._run_id or self._closed:
            return
        self._deliver_latest()  # the final snapshot, if its notification is still queued
        self.trainer.resume()  # a pause that came as the run ended must not hold the next one
        if reason == "error":
            # The failed run's network is not to be trusted: start again from the seed.
            self._reported = True  # the error message says what happened to it, not a runs-table row
            self._replace_trainer(self.config)
            self._set_state(State.READY)
            return
        if self.trainer.finished or reason == "solved":
            self._set_state(State.FINISHED)
            ended = {"diverged": Ended.DIVERGED, "solved": Ended.SOLVED}.get(reason, Ended.DONE)
            if ended == Ended.SOLVED:
                self._deliver(self.current_progress())  # the panels say it is over, though steps were left
            summary = self._summary(ended)
            self._reported = True
            self.run_ended.emit(summary)
            self.run_finished.emit(summary)
        else:
            self._set_state(State.READY)

    def _summary(self, ended: Ended) -> RunSummary:
        t = self.trainer
        steps = t.iteration
        wall = self.clock.wall_seconds(t)
        return RunSummary(
            config=t.config, rate=self.rate, ended=ended, iterations=steps,
            seconds=t.compute_seconds, wall_seconds=wall,
            us_per_step=t.us_per_step, loss_evals_per_step=t.loss_evals_per_step,
            final_loss=t.loss(), solved=t.solved(), diverged_at=t.diverged_at, frames=self.frames,
            fps=self.frames / wall if wall > 0 else float("nan"))
