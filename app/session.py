"""The session model: what the window shows and edits, without Qt (napari's split of models and views).

One ``Session`` holds the settings every view trains with, the pace, the view
shown, the replay position and the schedules of runs (the race of methods, the
stacked gates) with their states, latest statuses and replay logs.  Views
subscribe to its psygnal signals and edit it through its setters; no widget is
where a value lives.  The engine's types are the model's types: settings are a
``TrainConfig``, a run's state a ``RunStatus``, its history a ``ReplayLog``.

The model is written from the GUI thread only (the training thread hands its
results to the GUI thread, which puts them here), so it needs no locks.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field, replace

from psygnal import Signal

from nn_core.config import TrainConfig
from nn_core.gates import is_solved
from nn_core.methods import METHODS
from nn_core.ranges import Range
from nn_core.replay import ReplayLog
from nn_core.schedule import RunStatus


class State(enum.StrEnum):
    READY = "ready"
    TRAINING = "training"
    PAUSED = "paused"
    FINISHED = "finished"


class View(enum.StrEnum):
    """The views the window can show (``--view``)."""

    SINGLE = "single"  # one run: the large surface, loss curve, truth table, timing
    RACE = "race"  # every chosen method from the same seed, side by side at their true speeds
    GATES = "gates"  # the six gates from the same seed, one stacked computation
    ATLAS = "atlas"  # seeds 0..K-1 at the same settings, one stacked computation, and the width series


SCHEDULE_VIEWS = (View.RACE, View.GATES, View.ATLAS)

# The seed atlas's K: up to 10,000 seeds (the width series trains them eight more times).
ATLAS_SEEDS = Range("seeds", 1, 10_000, integer=True)
DEFAULT_ATLAS_SEEDS = 400

# A pace is steps per second, or None: full speed (the timing experiment).
PACE_RANGE = (0.1, 1e9)


def check_pace(pace: float | None) -> float | None:
    """``pace`` if valid: None (full speed) or a finite number of steps per second in PACE_RANGE.
    ValueError with one line otherwise."""
    if pace is None:
        return None
    low, high = PACE_RANGE
    if isinstance(pace, bool) or not isinstance(pace, (int, float)) or not math.isfinite(pace) \
            or not low <= pace <= high:
        raise ValueError(f"the pace must be a number of steps per second from {low:g} to {high:g}, got {pace!r}")
    return float(pace)


@dataclass
class ScheduleRuns:
    """The runs of one schedule view: the race's methods or the gates, as last published."""

    view: View
    state: State = State.READY
    config: TrainConfig | None = None  # the settings they were started with
    statuses: list[RunStatus] = field(default_factory=list)
    logs: dict[str, ReplayLog] = field(default_factory=dict)  # run key -> its kept steps
    frames: int = 0  # publications drawn
    wall_seconds: float = 0.0  # time spent running, pauses excluded
    extra: dict = field(default_factory=dict)  # per view: the race's drawing cost, the gates' one-network µs

    @property
    def fps(self) -> float:
        return self.frames / self.wall_seconds if self.wall_seconds > 0 else float("nan")


class Session:
    """Settings, pace, view, replay position and the schedules of runs, with a signal for each change."""

    settings_changed = Signal(object)  # the new TrainConfig
    pace_changed = Signal(object)  # float steps/s, or None for full speed
    view_changed = Signal(str)  # a View
    runs_changed = Signal(str)  # a View whose ScheduleRuns changed (statuses, logs, extra)
    state_changed = Signal(str, str)  # a View, its new State
    replay_moved = Signal(object)  # the step replayed, or None: back to live
    race_methods_changed = Signal(object)  # the tuple of method keys the race runs
    atlas_seeds_changed = Signal(int)  # the atlas's K: it trains seeds 0..K-1

    def __init__(self, settings: TrainConfig | None = None, pace: float | None = None,
                 view: View | str = View.SINGLE):
        self._settings = (settings or TrainConfig()).validated()
        self._pace = check_pace(pace)
        self._view = View(view)
        self._replay_step: int | None = None
        self.schedules = {kind: ScheduleRuns(kind) for kind in SCHEDULE_VIEWS}
        self._race_methods = tuple(METHODS)
        self._atlas_seeds = DEFAULT_ATLAS_SEEDS

    @property
    def atlas_seeds(self) -> int:
        """K, the seeds 0..K-1 the seed atlas trains (ATLAS_SEEDS; DEFAULT_ATLAS_SEEDS at first)."""
        return self._atlas_seeds

    @atlas_seeds.setter
    def atlas_seeds(self, seeds: int) -> None:
        """ValueError (one line; nothing changes) outside ATLAS_SEEDS."""
        seeds = int(ATLAS_SEEDS.check(seeds))
        if seeds != self._atlas_seeds:
            self._atlas_seeds = seeds
            self.atlas_seeds_changed.emit(seeds)

    @property
    def race_methods(self) -> tuple[str, ...]:
        """The methods the race runs, in the registry's order (all of them by default)."""
        return self._race_methods

    @race_methods.setter
    def race_methods(self, keys) -> None:
        """ValueError (nothing changes) for none, or for a key that is not a method."""
        keys = tuple(keys)
        unknown = [key for key in keys if key not in METHODS]
        if unknown or not keys:
            raise ValueError(f"the race needs one or more of {', '.join(METHODS)}, got {', '.join(keys) or 'none'}")
        keys = tuple(key for key in METHODS if key in keys)
        if keys != self._race_methods:
            self._race_methods = keys
            self.race_methods_changed.emit(keys)

    # --- settings, pace, view -------------------------------------------------------------------

    @property
    def settings(self) -> TrainConfig:
        return self._settings

    @settings.setter
    def settings(self, config: TrainConfig) -> None:
        """ValueError (one line, from ``TrainConfig.validated``) if invalid: then nothing changes."""
        config = config.validated()
        if config != self._settings:
            self._settings = config
            self.settings_changed.emit(config)

    @property
    def pace(self) -> float | None:
        return self._pace

    @pace.setter
    def pace(self, pace: float | None) -> None:
        pace = check_pace(pace)
        if pace != self._pace:
            self._pace = pace
            self.pace_changed.emit(pace)

    @property
    def view(self) -> View:
        return self._view

    @view.setter
    def view(self, view: View | str) -> None:
        view = View(view)  # ValueError for an unknown view
        if view != self._view:
            self._view = view
            self.replay_live()
            self.view_changed.emit(str(view))

    # --- the schedules ---------------------------------------------------------------------------

    def runs(self, view: View | str) -> ScheduleRuns:
        return self.schedules[View(view)]

    def begin_runs(self, view: View | str, config: TrainConfig, logs: dict[str, ReplayLog]) -> None:
        """A new schedule of ``view`` with ``config``: its runs, statuses and logs replace the last ones."""
        state = self.schedules[View(view)].state  # kept, so that the caller's set_state next is announced
        runs = self.schedules[View(view)] = ScheduleRuns(View(view), state=state, config=config, logs=logs)
        self.replay_live()
        self.runs_changed.emit(str(runs.view))

    def publish(self, view: View | str, statuses: list[RunStatus], wall_seconds: float, drawn: bool = True) -> None:
        """The schedule's latest statuses (from the training thread, via the GUI thread)."""
        runs = self.schedules[View(view)]
        runs.statuses = list(statuses)
        runs.wall_seconds = wall_seconds
        runs.frames += drawn
        self.runs_changed.emit(str(runs.view))

    def set_extra(self, view: View | str, **values) -> None:
        runs = self.schedules[View(view)]
        runs.extra.update(values)
        self.runs_changed.emit(str(runs.view))

    def set_state(self, view: View | str, state: State | str) -> None:
        runs = self.schedules[View(view)]
        state = State(state)
        if state != runs.state:
            runs.state = state
            if state == State.TRAINING:
                self.replay_live()
            self.state_changed.emit(str(runs.view), str(state))

    # --- replay ----------------------------------------------------------------------------------

    @property
    def replay_step(self) -> int | None:
        """The step every view shows from its replay logs, or None: the views show the live runs."""
        return self._replay_step

    def replay_to(self, step: int) -> None:
        """Show ``step`` (each run shows its last kept step at or before it).  ValueError if negative."""
        if isinstance(step, bool) or int(step) != step or step < 0:
            raise ValueError(f"a replay step is a whole number ≥ 0, got {step!r}")
        step = int(step)
        if step != self._replay_step:
            self._replay_step = step
            self.replay_moved.emit(step)

    def replay_live(self) -> None:
        if self._replay_step is not None:
            self._replay_step = None
            self.replay_moved.emit(None)


def replayed(status: RunStatus, log: ReplayLog, step: int, grid: int | None) -> RunStatus:
    """``status`` as its run was at the last kept step at or before ``step`` (its first kept step if none is):
    step, loss, outputs, solved and the surface over a ``grid``-sided grid, from the recorded parameters.  Its
    µs/step stays the run's own (``seconds`` scaled to the steps shown)."""
    if not len(log.steps):
        return status
    index = log.nearest(max(step, int(log.steps[0])))
    outputs = log.outputs_at(index)
    surface = None if grid is None else log.surface_at(index, status.config, grid)
    step = int(log.steps[index])
    # The run's own µs/step: its seconds so far, scaled to the steps shown.
    seconds = status.seconds * step / status.iteration if status.iteration else status.seconds
    return replace(status, iteration=step, loss=float(log.loss_at(index)), outputs=outputs, surface=surface,
                   solved=bool(is_solved(outputs, status.targets)), seconds=seconds)
