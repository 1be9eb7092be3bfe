"""The seed atlas's engine: ``Sweep`` a piece at a time is ``sweep`` exactly, and ``Atlas``'s main sweep and width
series are ``sweep``'s figures at those settings."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from nn_core.atlas import WIDTHS, Atlas, at_width
from nn_core.config import TrainConfig
from nn_core.sweep import Sweep, sweep


def same_result(a, b) -> None:
    assert a.seeds == b.seeds and a.check_every == b.check_every
    for name in ("params", "outputs", "solved", "diverged", "first_solved", "losses"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


@pytest.mark.parametrize("config, check_every", [
    (TrainConfig(gate="XOR", hidden=(2,), iterations=437), 10),
    (TrainConfig(gate="XNOR", hidden=(3, 3), activation="tanh", optimizer="adam", lr=0.05, iterations=205), 7),
])
def test_a_sweep_in_uneven_pieces_is_the_sweep(config, check_every):
    whole = sweep(config, 23, check_every=check_every)
    pieces = Sweep(config, 23, check_every=check_every)
    sizes = iter([1, 3, 50, 2, 9, 1000] * 1000)
    taken = []
    while not pieces.done:
        taken.append(pieces.advance(next(sizes)))
    assert sum(taken) == config.iterations and max(taken) <= check_every  # a piece never passes a check
    same_result(pieces.result(), whole)


def test_a_sweep_stopped_at_a_check_is_the_shorter_sweep():
    config = TrainConfig(gate="XOR", hidden=(2,), iterations=600)
    run = Sweep(config, 15, check_every=20)
    while run.iteration < 300:
        run.advance(20)
    same_result(run.result(), sweep(replace(config, iterations=300), 15, check_every=20))


def test_the_atlas_is_the_main_sweep_then_a_sweep_at_each_width():
    config = TrainConfig(gate="XOR", hidden=(3,), iterations=400)
    atlas = Atlas(config, 30)
    assert atlas.main is None and atlas.series() == [] and atlas.seconds_left() is None
    assert atlas.steps_total == len(WIDTHS) * 400  # width 3 is the main sweep's: not trained twice
    seen_left = []
    while not atlas.done:
        atlas.advance(13)
        seen_left.append(atlas.seconds_left())
    assert atlas.seconds_left() == 0.0 and atlas.progress == 1.0
    assert all(left is None or left >= 0 for left in seen_left) and any(left and left > 0 for left in seen_left)
    same_result(atlas.main, sweep(config, 30))
    points = atlas.series()
    assert [p.width for p in points] == list(WIDTHS)
    for point in points:
        alone = sweep(replace(config, hidden=(point.width,)), 30)
        assert point.hidden == (point.width,) and point.seeds == 30
        assert point.solved == int(alone.solved.sum()), point.width
    assert atlas.result_at(3) is atlas.main
    assert points[0].solved < points[-1].solved  # one unit cannot compute XOR; eight nearly always learn it


def test_a_deeper_network_changes_every_hidden_layers_width_and_keeps_its_depth():
    config = TrainConfig(gate="XOR", hidden=(8, 4), iterations=50)
    assert at_width(config, 2).hidden == (2, 2)
    atlas = Atlas(config, 3, widths=(1, 2))
    assert atlas.steps_total == 3 * 50  # (8, 4) is no width's
    while not atlas.done:
        atlas.advance(1000)
    assert [p.hidden for p in atlas.series()] == [(1, 1), (2, 2)]
    assert atlas.series()[1].solved == int(sweep(replace(config, hidden=(2, 2)), 3).solved.sum())


def test_nothing_is_trained_before_the_first_advance_and_bad_sizes_are_refused():
    atlas = Atlas(TrainConfig(iterations=10), 5)
    assert atlas.sweep is None and atlas.steps_done == 0
    assert atlas.advance(5) == 0 and atlas.sweep is not None  # the first call builds the main sweep
    assert atlas.advance(5) == 5
    for seeds in (0, 2.5, 10**9):
        with pytest.raises(ValueError) as error:
            Atlas(TrainConfig(iterations=10), seeds)
        assert "\n" not in str(error.value)
