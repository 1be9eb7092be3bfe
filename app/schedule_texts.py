"""The status line of the race, the gates and the atlas views: whole sentences, translated."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from . import formatting as fmt
from .session import Session, State, View

translate = QCoreApplication.translate


def schedule_status(session: Session, view: View, measuring_drawing: bool = False) -> str:
    """What the race, the gates or the atlas are doing, for the status line."""
    if view == View.ATLAS:
        return atlas_status(session)
    runs = session.runs(view)
    config = runs.config if runs.config is not None and runs.state != State.READY else session.settings
    hidden = ",".join(map(str, config.hidden))
    statuses = runs.statuses
    if view == View.RACE:
        what = translate("ScheduleStatus", "the race on {gate}, {hidden} hidden, seed {seed}").format(
            gate=config.gate, hidden=hidden, seed=config.seed)
    else:
        what = translate("ScheduleStatus", "the six gates with {method}, {hidden} hidden, seed {seed}").format(
            method=config.method, hidden=hidden, seed=config.seed)
    step = fmt.count(max((s.iteration for s in statuses), default=0))
    total = fmt.count(config.iterations)
    if runs.state == State.READY or not statuses:
        return translate("ScheduleStatus", "Ready: {run}. Press Start (Space)").format(run=what)
    if measuring_drawing:
        return translate("ScheduleStatus", "Measuring what drawing costs: {method} with its surface redrawn after "
                         "every step…").format(method=runs.extra.get("drawing_method", "central"))
    if runs.state == State.TRAINING:
        if view == View.RACE:
            done = sum(s.finished for s in statuses)
            return translate("ScheduleStatus", "Racing: {run} — the leader at step {step} of {total}, {done} of "
                             "{count} finished").format(run=what, step=step, total=total, done=done,
                                                        count=len(statuses))
        return translate("ScheduleStatus", "Training {run} as one computation — step {step} of {total}").format(
            run=what, step=step, total=total)
    if runs.state == State.PAUSED:
        return translate("ScheduleStatus", "Paused at step {step} ({run})").format(step=step, run=what)
    solved = sum(s.solved for s in statuses)
    if view == View.GATES and not all(s.finished for s in statuses):
        return translate("ScheduleStatus", "Stopped at step {step} of {total}: {run}; {solved} of {count} gates "
                         "solved").format(step=step, total=total, run=what, solved=solved, count=len(statuses))
    if view == View.RACE:
        finished = [s for s in statuses if s.finished]
        if len(finished) < len(statuses):
            return translate("ScheduleStatus", "Stopped at step {step}: {run}; {done} of {count} finished, the "
                             "others' times are projected").format(step=step, run=what, done=len(finished),
                                                                    count=len(statuses))
        fastest = min(statuses, key=lambda s: s.us_per_step if fmt.is_number(s.us_per_step) else float("inf"))
        return translate("ScheduleStatus", "Finished {run}: {fastest} is fastest at {us} µs per step; {solved} of "
                         "{count} solved").format(run=what, fastest=fastest.key,
                                                  us=fmt.number(fastest.us_per_step, ",.1f"), solved=solved,
                                                  count=len(statuses))
    return translate("ScheduleStatus", "Finished {run} at step {step}: {solved} of {count} gates solved").format(
        run=what, step=step, solved=solved, count=len(statuses))


def atlas_status(session: Session) -> str:
    """What the seed atlas is doing, for the status line."""
    runs = session.runs(View.ATLAS)
    config = runs.config if runs.config is not None and runs.state != State.READY else session.settings
    status = runs.statuses[0] if runs.statuses else None
    what = translate("ScheduleStatus", "the atlas of {gate} with {method}, {hidden} hidden").format(
        gate=config.gate, method=config.method, hidden=",".join(map(str, config.hidden)))
    if runs.state == State.READY or status is None:
        return translate("ScheduleStatus", "Ready: {run}, seeds 0 to {last}. Press Start (Space)").format(
            run=what, last=f"{session.atlas_seeds - 1:,}")
    seeds = f"{status.seeds:,}"
    solved = f"{status.solved_count:,}"
    if runs.state == State.TRAINING:
        if status.main_done:
            return translate("ScheduleStatus", "Training {run}: {solved} of {seeds} seeds solved; now the width "
                             "series").format(run=what, solved=solved, seeds=seeds)
        return translate("ScheduleStatus", "Training {run}: {seeds} seeds as one computation — step {step} of "
                         "{total}").format(run=what, seeds=seeds, step=fmt.count(status.step),
                                           total=fmt.count(config.iterations))
    if runs.state == State.PAUSED:
        return translate("ScheduleStatus", "Paused at step {step} ({run})").format(step=fmt.count(status.step),
                                                                                   run=what)
    if status.finished:
        return translate("ScheduleStatus", "Finished {run}: {solved} of {seeds} seeds solved in {time}").format(
            run=what, solved=solved, seeds=seeds, time=fmt.seconds(status.wall_seconds))
    if status.main_done:
        return translate("ScheduleStatus", "Stopped {run} in the width series: {solved} of {seeds} seeds "
                         "solved").format(run=what, solved=solved, seeds=seeds)
    return translate("ScheduleStatus", "Stopped {run} at step {step} of {total}: {solved} of {seeds} seeds solved "
                     "so far").format(run=what, step=fmt.count(status.step), total=fmt.count(config.iterations),
                                      solved=solved, seeds=seeds)
