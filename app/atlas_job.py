"""The seed atlas as a job of the schedule worker (app.schedule_worker): an ``nn_core.atlas.Atlas`` trained in
chunks on the training thread, and what it publishes to the GUI thread.  No Qt."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

from nn_core.atlas import Atlas, WidthPoint
from nn_core.config import TrainConfig

from .pace import Pace
from .session import View


@dataclass(frozen=True)
class AtlasStatus:
    """The atlas as last published: its settings, progress and what it has found so far.

    ``solved``: ``(K,)`` bool, each seed solved at the main sweep's last check (None before it starts); ``losses``,
    ``first_solved`` and ``diverged``: ``(K,)`` final cross-entropy, first solved step (-1: never) and whether the
    seed's update stopped being finite (nn_core.sweep's ``diverged``), once the main sweep has ended (else None).
    ``series``: the width series' points found so far."""

    config: TrainConfig
    seeds: int
    step: int = 0  # the main sweep's steps trained
    progress: float = 0.0  # of every step of every sweep, 0 to 1
    seconds_left: float | None = None
    wall_seconds: float = 0.0
    solved: np.ndarray | None = None
    losses: np.ndarray | None = None
    first_solved: np.ndarray | None = None
    diverged: np.ndarray | None = None
    series: list[WidthPoint] = field(default_factory=list)
    training_width: int | None = None  # the width whose sweep trains now (None: the main sweep, or none)
    finished: bool = False
    key: str = "atlas"  # as a RunStatus's: the session's replay logs are by key (the atlas keeps none)

    @property
    def iteration(self) -> int:
        """The main sweep's steps trained, as a RunStatus's ``iteration``."""
        return self.step

    @property
    def main_done(self) -> bool:
        return self.losses is not None

    @property
    def solved_count(self) -> int:
        return 0 if self.solved is None else int(self.solved.sum())

    @property
    def diverged_count(self) -> int:
        return 0 if self.diverged is None else int(self.diverged.sum())


class AtlasJob:
    """The atlas as a job: the main sweep, then the width series, in chunks of about ``seconds`` (at least one
    step, however long a step of K networks takes).  The pace does not apply: the atlas shows results, not
    motion.  It keeps no replay logs."""

    view = View.ATLAS

    def __init__(self, config: TrainConfig, seeds: int):
        self.atlas = Atlas(config, seeds)  # ValueError (one line) for settings it cannot train; nothing built yet
        self.logs: dict = {}
        self._per_step: float | None = None

    def warm_up(self) -> None:
        """The main sweep's seeded stack (and the compiled engine's compiling), on the training thread."""
        self.atlas.advance(0)

    @property
    def done(self) -> bool:
        return self.atlas.done

    @property
    def progress(self) -> int:
        return self.atlas.steps_done

    def run_chunk(self, seconds: float, pace: Pace) -> None:
        wall = self.atlas.wall_seconds
        steps = 1 if self._per_step is None else max(1, int(seconds / self._per_step))
        taken = self.atlas.advance(steps)
        # None after a call that built the next sweep: its steps may cost another time
        self._per_step = max((self.atlas.wall_seconds - wall) / taken, 1e-9) if taken else None

    def keep_pace(self, pace: Pace, stop: threading.Event) -> None:
        pass

    def record(self, anchor: bool = False) -> None:
        pass

    def statuses(self, grid: int | None) -> list[AtlasStatus]:
        """One ``AtlasStatus`` (in a list, as the other jobs' statuses): copies, safe to hand to the GUI thread."""
        atlas = self.atlas
        main = atlas.main
        under_way = atlas.sweep
        if main is not None:
            solved, losses, first = main.solved.copy(), main.losses.copy(), main.first_solved.copy()
            diverged = main.diverged.copy()
            step = main.config.iterations
        elif under_way is not None:
            solved, losses, first, diverged, step = under_way.solved.copy(), None, None, None, under_way.iteration
        else:
            solved = losses = first = diverged = None
            step = 0
        width = None
        if main is not None and under_way is not None:
            width = under_way.config.hidden[0]
        return [AtlasStatus(atlas.config, atlas.seeds, step=step, progress=atlas.progress,
                            seconds_left=atlas.seconds_left(), wall_seconds=atlas.wall_seconds, solved=solved,
                            losses=losses, first_solved=first, diverged=diverged, series=atlas.series(),
                            training_width=width, finished=atlas.done)]

    def report(self) -> dict:
        """``seeds, solved, failed_seeds`` (and more) as ``python -m nn_core sweep --json`` gives them for the same
        settings, and the width series: ``widths`` a list of ``{width, hidden, seeds, solved}``.  Needs the main
        sweep ended (ValueError otherwise)."""
        main = self.atlas.main
        if main is None:
            raise ValueError("the atlas's main sweep has not ended")
        return {"seeds": self.atlas.seeds, "solved": int(main.solved.sum()), "failed_seeds": main.failed_seeds,
                "diverged_seeds": [int(s) for s in np.flatnonzero(main.diverged)], "check_every": main.check_every,
                "steps_to_solved": main.steps_to_solved, "median_steps_to_solved": main.median_steps_to_solved,
                "solved_then_lost_seeds": main.solved_then_lost_seeds,
                "widths": [{"width": p.width, "hidden": list(p.hidden), "seeds": p.seeds, "solved": p.solved}
                           for p in self.atlas.series()]}
