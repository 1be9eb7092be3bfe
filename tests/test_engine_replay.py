"""Replay's engine side: which steps are kept (dense early, bounded, stable when a run grows or pauses) and the
log of what the run was at them, whose surfaces are exactly the trainer's."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_core.config import MAX_HIDDEN, MAX_ITERATIONS, MAX_LAYERS, TrainConfig
from nn_core.network import param_count
from nn_core.replay import (
    DEFAULT_BUDGET,
    MAX_BYTES,
    MIN_BUDGET,
    KeptSteps,
    ReplayLog,
    replay_budget,
)
from nn_core.trainer import Trainer

SETTINGS = settings(max_examples=60, deadline=None)
GRID = 12


# --- kept steps -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("total", [0, 10, 20, 21, 20_000, 10**7, MAX_ITERATIONS])
def test_kept_steps_are_dense_early_and_bounded(total):
    kept = KeptSteps(total)
    steps = kept.steps
    assert len(steps) <= DEFAULT_BUDGET
    assert steps[0] == 0 and steps[-1] == total
    assert np.all(np.diff(steps) > 0)
    assert list(steps[steps <= 20]) == list(range(min(total, 20) + 1))  # every one of the first 20 steps


def test_kept_steps_thin_out_geometrically_then_regularly():
    kept = KeptSteps(10**7)
    steps = kept.steps
    gaps = np.diff(steps)
    # Early gaps are small: between 20 and 200 no gap is more than a tenth of the step it starts at.
    early = (steps[:-1] >= 20) & (steps[:-1] < 200)
    assert np.all(gaps[early] <= 0.1 * steps[:-1][early] + 1)
    # The whole run is covered evenly too: no gap exceeds the stride (a power of two), which fits the budget.
    assert gaps.max() <= kept.stride and kept.stride & (kept.stride - 1) == 0
    assert 10**7 // kept.stride >= DEFAULT_BUDGET // 4  # the regular steps get a good share of the budget
    assert len(steps) >= DEFAULT_BUDGET // 2


def test_a_short_run_keeps_every_step():
    assert list(KeptSteps(10).steps) == list(range(11))
    assert list(KeptSteps(300).steps) == list(range(301))  # 301 steps fit in the budget


@pytest.mark.parametrize("budget", [MIN_BUDGET, 17, 61, 122, DEFAULT_BUDGET])
@pytest.mark.parametrize("total", [5, 1000, 10**7, MAX_ITERATIONS])
def test_any_budget_is_respected(budget, total):
    kept = KeptSteps(total, budget=budget, start=total // 3)
    assert len(kept) <= budget
    assert kept.steps[0] == 0 and kept.is_kept(total) and kept.is_kept(total // 3)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="budget"):
        KeptSteps(100, budget=MIN_BUDGET - 1)
    with pytest.raises(ValueError, match="total"):
        KeptSteps(-1)
    with pytest.raises(ValueError, match="start"):
        KeptSteps(10, start=11)
    kept = KeptSteps(100)
    with pytest.raises(ValueError, match="only grow"):
        kept.extend(99)
    with pytest.raises(ValueError, match="anchored"):
        kept.anchor(101)


@SETTINGS
@given(total=st.integers(0, 10**9), budget=st.integers(MIN_BUDGET, 2000), probes=st.lists(st.integers(-5, 10**9)))
def test_next_kept_agrees_with_is_kept(total, budget, probes):
    kept = KeptSteps(total, budget=budget)
    steps = kept.steps
    assert len(steps) <= budget
    assert all(kept.is_kept(int(s)) for s in steps)
    for step in [*probes, *(int(s) for s in steps[:50])]:
        following = kept.next_kept(step)
        if following is None:
            assert step >= total
            continue
        assert following > step and kept.is_kept(following)
        # nothing kept in between: the binary search and the membership test agree
        between = steps[(steps > step) & (steps < following)]
        assert len(between) == 0
        assert kept.is_kept(step) == (step in set(steps.tolist()))


@SETTINGS
@given(total=st.integers(0, 10**6), budget=st.integers(MIN_BUDGET, 800),
       changes=st.lists(st.tuples(st.booleans(), st.integers(0, 10**6)), max_size=30))
def test_growing_or_anchoring_never_keeps_a_step_already_passed(total, budget, changes):
    """A run extended or paused any number of times: the set stays within the budget and never gains a step
    before the present one (such a step can no longer be recorded), and the present one is kept."""
    kept = KeptSteps(total, budget=budget)
    position = 0
    for extend, amount in changes:
        before = set(kept.steps.tolist())
        if extend:
            position = kept.total
            kept.extend(kept.total + amount)
        else:
            position = min(position + amount, kept.total)
            kept.anchor(position)
        after = kept.steps
        assert len(after) <= budget
        assert set(after[after < position].tolist()) <= before
        assert kept.is_kept(position) and kept.is_kept(kept.total)
        assert list(after[after <= kept.dense]) == list(range(min(kept.dense, kept.total) + 1))


def test_extending_keeps_the_old_total_and_the_recent_pauses():
    kept = KeptSteps(20_000)
    kept.anchor(12_345)
    kept.extend(40_000)
    assert kept.is_kept(12_345) and kept.is_kept(20_000) and kept.is_kept(40_000)
    for step in range(1, 100):  # more pauses than anchors: only the most recent are kept
        kept.anchor(20_000 + 3 * step)
    assert not kept.is_kept(12_345) and kept.is_kept(20_000 + 3 * 99)
    assert len(kept) <= DEFAULT_BUDGET


# --- the log ----------------------------------------------------------------------------------------------

def record_along(config, grid=GRID, log=None):
    """Train ``config`` stopping at every kept step, recording there; also the live surface at each."""
    trainer = Trainer(config)
    log = log or ReplayLog.for_trainer(trainer)
    surfaces = {}
    assert log.record_trainer(trainer)
    surfaces[0] = trainer.surface(grid)
    while (following := log.kept.next_kept(trainer.iteration)) is not None:
        trainer.run(until=following)
        assert log.record_trainer(trainer)
        surfaces[trainer.iteration] = trainer.surface(grid)
    return trainer, log, surfaces


@pytest.mark.parametrize("method, hidden", [("backprop", (4,)), ("central", (4,)), ("backprop", (4, 4)),
                                            ("central", (4, 4))])
def test_a_replayed_surface_is_exactly_the_trainers_at_that_step(method, hidden):
    config = TrainConfig(gate="XOR", method=method, hidden=hidden, iterations=2000, seed=3)
    trainer, log, live = record_along(config)
    assert list(log.steps) == list(log.kept.steps)  # every kept step recorded, in order
    assert list(live) == list(log.steps)
    for step in (0, 1, 7, 20, 57, 1000, 2000):
        index = log.nearest(step)
        recorded = int(log.steps[index])
        assert recorded <= step and recorded == max(s for s in log.kept.steps if s <= step)
        fresh = Trainer(config)  # a run to that step by itself
        fresh.run(until=recorded)
        surface = log.surface_at(index, config, GRID)
        assert surface.shape == (GRID, GRID)
        assert np.array_equal(surface, fresh.surface(GRID))
        assert np.array_equal(surface, live[recorded])
        assert np.array_equal(log.params_at(index), fresh.network.params)
        assert log.loss_at(index) == fresh.loss()
        assert np.array_equal(log.outputs_at(index), fresh.outputs())
    assert np.array_equal(log.surface_at(-1, config, GRID), trainer.surface(GRID))


def test_a_log_of_a_stack_keeps_each_network():
    configs = [TrainConfig(gate=gate, iterations=40, seed=1) for gate in ("AND", "XOR")]
    trainers = [Trainer(c) for c in configs]
    kept = KeptSteps(40)
    log = ReplayLog(kept, param_count((4,)), networks=2)
    step = 0
    while True:
        assert log.record(step, np.stack([t.network.params for t in trainers]), [t.loss() for t in trainers],
                          np.stack([t.outputs() for t in trainers]))
        following = kept.next_kept(step)
        if following is None:
            break
        for t in trainers:
            t.run(until=following)
        step = following
    for network, (config, trainer) in enumerate(zip(configs, trainers, strict=True)):
        assert np.array_equal(log.surface_at(-1, config, GRID, network=network), trainer.surface(GRID))
        assert log.loss_at(-1, network) == trainer.loss()
    assert log.loss_at(0, 0) != log.loss_at(0, 1)  # two gates, two losses from the same start


def test_record_ignores_steps_not_kept_or_repeated_and_refuses_going_back():
    config = TrainConfig(iterations=10_000)
    trainer = Trainer(config)
    log = ReplayLog.for_trainer(trainer)
    p, loss, out = trainer.network.params, trainer.loss(), trainer.outputs()
    assert log.record(0, p, loss, out) and not log.record(0, p, loss, out)
    assert not log.kept.is_kept(9_999)
    assert not log.record(9_999, p, loss, out) and len(log) == 1
    early, later = (int(s) for s in log.kept.steps[[30, 40]])
    between = next(s for s in range(early + 1, later) if not log.kept.is_kept(s))
    assert log.record(later, p, loss, out)
    assert not log.record(later, p, loss, out)
    with pytest.raises(ValueError, match="increasing"):
        log.record(between, p, loss, out)  # not kept, but before the last: a caller going back in time
    with pytest.raises(ValueError, match="increasing"):
        log.record(early, p, loss, out)
    with pytest.raises(ValueError):
        log.record(log.kept.total, p[:-1], loss, out)  # a parameter short
    with pytest.raises(IndexError):
        log.params_at(2)
    with pytest.raises(ValueError, match="no step"):
        ReplayLog(KeptSteps(10), 17).nearest(5)
    assert log.nearest(later - 1) == 0 and log.nearest(later) == 1 and log.nearest(10**9) == 1


def test_a_pause_is_recorded_as_an_anchor_and_a_longer_run_drops_what_is_no_longer_kept():
    config = TrainConfig(iterations=3000)
    trainer, log, _live = record_along(config)
    trainer.run(until=3000)
    # Pause mid-way through a longer run at a step that is not kept: it is anchored and recorded.
    log.extend(50_000)
    assert set(log.steps.tolist()) <= set(log.kept.steps.tolist())
    assert log.last_step == 3000  # the old total stays
    trainer.run(until=3001)
    assert not log.kept.is_kept(3001)
    assert log.record_trainer(trainer, anchor=True) and log.last_step == 3001
    assert np.array_equal(log.surface_at(-1, config, GRID), trainer.surface(GRID))
    while (following := log.kept.next_kept(trainer.iteration)) is not None:
        trainer.run(until=following)
        log.record_trainer(trainer)
    assert log.last_step == 50_000
    assert len(log) <= log.kept.budget and set(log.steps.tolist()) <= set(log.kept.steps.tolist())


def test_memory_is_bounded_for_the_largest_networks():
    largest = param_count((MAX_HIDDEN,) * MAX_LAYERS)
    default = ReplayLog(KeptSteps(10**7), param_count((4,)))
    assert default.nbytes == DEFAULT_BUDGET * ReplayLog.record_bytes(17) < 200_000
    for networks in (1, 6):
        budget = replay_budget(largest, networks)
        log = ReplayLog(KeptSteps(MAX_ITERATIONS, budget=budget), largest, networks)
        assert log.nbytes == budget * ReplayLog.record_bytes(largest, networks)
        assert log.nbytes <= max(MAX_BYTES, MIN_BUDGET * ReplayLog.record_bytes(largest, networks)) <= 8 * 2**20
    assert replay_budget(largest) >= 100  # the largest single network still keeps over a hundred steps
    assert replay_budget(17) == DEFAULT_BUDGET


def test_a_loaded_run_starts_its_log_where_it_starts():
    """A trainer part-way through (as after ``Trainer.restore``): its present step is kept and recorded."""
    trainer = Trainer(TrainConfig(iterations=500))
    trainer.run(until=333)
    log = ReplayLog.for_trainer(trainer)
    assert log.kept.is_kept(333) and log.record_trainer(trainer)
    assert log.steps.tolist() == [333]
