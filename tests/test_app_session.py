"""The session model (app.session) and the pace (app.pace): Qt-free, so these run without a QApplication."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from app.pace import Pace
from app.session import PACE_RANGE, Session, State, View, check_pace, replayed
from nn_core.config import TrainConfig
from nn_core.replay import KeptSteps, ReplayLog
from nn_core.schedule import RunStatus
from nn_core.trainer import Trainer


def recorder(signal) -> list:
    seen = []
    signal.connect(lambda *args: seen.append(args))
    return seen


def test_settings_are_validated_and_announced_once_per_change():
    session = Session(TrainConfig(iterations=100))
    seen = recorder(session.settings_changed)
    session.settings = TrainConfig(gate="and", iterations=100)
    assert session.settings.gate == "AND"  # canonical: what the engine takes
    session.settings = TrainConfig(gate="AND", iterations=100)  # the same again: no signal
    assert [args[0].gate for args in seen] == ["AND"]


def test_invalid_settings_change_nothing():
    session = Session(TrainConfig(iterations=100))
    seen = recorder(session.settings_changed)
    with pytest.raises(ValueError):
        session.settings = TrainConfig(lr=-1.0)
    assert session.settings == TrainConfig(iterations=100).validated()
    assert seen == []


@pytest.mark.parametrize("pace", [0.0, -1.0, float("nan"), float("inf"), PACE_RANGE[1] * 10, True, "10"])
def test_a_bad_pace_is_refused_with_one_line(pace):
    session = Session()
    with pytest.raises(ValueError) as error:
        session.pace = pace
    assert "\n" not in str(error.value)
    assert session.pace is None


def test_pace_values_reach_the_model_unchanged():
    session = Session()
    seen = recorder(session.pace_changed)
    session.pace = 123.25
    session.pace = None
    assert seen == [(123.25,), (None,)]
    assert check_pace(PACE_RANGE[0]) == PACE_RANGE[0]


def test_changing_view_goes_back_to_live():
    session = Session()
    moved, views = recorder(session.replay_moved), recorder(session.view_changed)
    session.replay_to(10)
    session.view = "race"
    assert session.view == View.RACE and session.replay_step is None
    assert moved == [(10,), (None,)] and views == [("race",)]
    with pytest.raises(ValueError):
        session.view = "atlas-of-nothing"


@pytest.mark.parametrize("step", [-1, 1.5, True])
def test_a_bad_replay_step_is_refused(step):
    with pytest.raises(ValueError):
        Session().replay_to(step)


def test_schedule_state_and_publication():
    session = Session()
    states, runs = recorder(session.state_changed), recorder(session.runs_changed)
    session.set_state(View.GATES, State.TRAINING)
    session.set_state(View.GATES, State.TRAINING)
    session.publish(View.GATES, [], wall_seconds=2.0)
    session.publish(View.GATES, [], wall_seconds=4.0)
    assert states == [("gates", "training")]
    assert runs == [("gates",), ("gates",)]
    assert session.runs("gates").frames == 2 and session.runs("gates").fps == 0.5
    assert session.runs("race").state == State.READY  # each view has its own runs


def test_a_replayed_status_is_the_run_at_its_kept_step():
    config = TrainConfig(gate="XOR", method="backprop", iterations=60)
    trainer = Trainer(config)
    log = ReplayLog(KeptSteps(config.iterations), trainer.network.params.size)
    log.record_trainer(trainer)
    while trainer.iteration < config.iterations:
        trainer.run(until=log.kept.next_kept(trainer.iteration) or config.iterations)
        log.record_trainer(trainer)
    live = RunStatus(key="backprop", config=config, iteration=60, until=60, loss=trainer.loss(),
                     outputs=trainer.outputs(), targets=trainer.targets.ravel().copy(), surface=None,
                     seconds=trainer.compute_seconds, loss_evals_per_step=1.0, solved=trainer.solved(),
                     diverged_at=None)
    step = int(log.steps[len(log.steps) // 2])
    shown = replayed(live, log, step, grid=9)
    again = Trainer(config)
    again.run(until=step)
    assert shown.iteration == step
    assert np.array_equal(shown.surface, again.surface(9))
    assert np.array_equal(shown.outputs, again.outputs())
    assert shown.loss == again.loss()
    assert shown.us_per_step == pytest.approx(live.us_per_step)  # the run's own µs per step


def test_pace_limits_chunks_and_stops_waiting_when_told():
    assert Pace(None).chunk_limit() is None
    assert Pace(6000).chunk_limit() == 100
    assert Pace(1).chunk_limit() == 1
    wake = threading.Event()
    pace = Pace(0.001)  # one step every 1,000 s
    pace.restart(0)
    threading.Timer(0.05, wake.set).start()
    pace.wait(10, wake)  # returns when woken (a new pace, a pause, a cancel), not 10,000 s later


def test_race_methods_keep_the_registry_order_and_refuse_none_or_unknown():
    session = Session()
    seen = recorder(session.race_methods_changed)
    session.race_methods = ["backprop", "central"]
    assert session.race_methods == ("central", "backprop")
    for bad in ([], ["central", "newton"]):
        with pytest.raises(ValueError):
            session.race_methods = bad
    assert session.race_methods == ("central", "backprop") and seen == [(("central", "backprop"),)]
