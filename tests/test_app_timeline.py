"""The replay timeline widget: the slider walks the recorded steps (its value an index into them), play goes to the
end and stops, new steps keep the position, and it is inert while a run trains."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from app.timeline import Timeline
from nn_core.replay import KeptSteps

PATIENCE_MS = 30_000  # only a hang waits this long: each wait ends as soon as its condition holds


@pytest.fixture
def timeline(gui):
    widget = Timeline()
    gui.addWidget(widget)
    widget.show()
    widget.activateWindow()  # shortcuts and key clicks go to the active window
    gui.waitUntil(widget.isActiveWindow, timeout=PATIENCE_MS)
    return widget


def test_moving_the_slider_emits_the_step_not_the_index(timeline, gui):
    steps = KeptSteps(20_000).steps
    timeline.set_steps(steps, 20_000)
    timeline.set_enabled_for_replay(True)
    assert timeline.position_step == 20_000 and timeline.label.text() == "step 20,000 of 20,000"
    with gui.waitSignal(timeline.moved, timeout=PATIENCE_MS) as blocker:
        timeline.slider.setValue(30)
    assert blocker.args == [int(steps[30])] and timeline.position_step == steps[30]
    assert timeline.label.text() == f"step {int(steps[30]):,} of 20,000"
    timeline.slider.setFocus()
    with gui.waitSignal(timeline.moved, timeout=PATIENCE_MS) as blocker:
        gui.keyClick(timeline.slider, Qt.Key.Key_Right)
    assert blocker.args == [int(steps[31])]
    with gui.waitSignal(timeline.moved, timeout=PATIENCE_MS) as blocker:
        gui.keyClick(timeline.slider, Qt.Key.Key_Home)
    assert blocker.args == [0]
    timeline.play_button.setFocus()  # Home/End work from the whole widget, not only the slider
    assert timeline.play_button.hasFocus()
    with gui.waitSignal(timeline.moved, timeout=PATIENCE_MS) as blocker:
        gui.keyClick(timeline.play_button, Qt.Key.Key_End)
    assert blocker.args == [20_000]


def test_play_walks_every_step_to_the_end_and_stops(timeline, gui):
    steps = np.arange(0, 60, 2)
    timeline.set_steps(steps, 58)
    timeline.set_enabled_for_replay(True)
    timeline.play_seconds = 1.0  # 29 moves of ~34 ms: one kept step a tick
    timeline.slider.setValue(5)
    seen = []
    timeline.moved.connect(seen.append)
    gui.mouseClick(timeline.play_button, Qt.MouseButton.LeftButton)
    assert timeline.playing
    gui.waitUntil(lambda: not timeline.playing, timeout=PATIENCE_MS)
    assert seen == list(steps[6:]) and timeline.position_step == 58
    # At the end, play starts again from the first step.
    seen.clear()
    timeline.play()
    gui.waitUntil(lambda: not timeline.playing, timeout=PATIENCE_MS)
    assert seen == list(steps)


def test_a_long_log_plays_several_steps_a_tick_and_still_ends_on_the_last(timeline, gui):
    steps = np.arange(5000)
    timeline.set_steps(steps, 4999)
    timeline.set_enabled_for_replay(True)
    timeline.play_seconds = 1.0
    timeline.go_to_start()
    seen = []
    timeline.moved.connect(seen.append)
    timeline.play()
    assert timeline._stride > 1
    gui.waitUntil(lambda: not timeline.playing, timeout=PATIENCE_MS)
    assert seen[-1] == 4999 and seen == sorted(seen) and len(seen) < 5000


def test_pause_stops_playing_where_it_is(timeline, gui):
    timeline.set_steps(np.arange(100), 99)
    timeline.set_enabled_for_replay(True)
    timeline.go_to_start()
    timeline.play()
    gui.waitUntil(lambda: timeline.position_step > 0, timeout=PATIENCE_MS)
    timeline.toggle_play()
    assert not timeline.playing
    here = timeline.position_step
    assert 0 < here < 99
    gui.wait(100)  # the timer is stopped: nothing moves any more
    assert timeline.position_step == here


def test_set_steps_keeps_the_position_or_goes_to_the_end(timeline, gui):
    kept = KeptSteps(20_000)
    timeline.set_steps(kept.steps[:200], 20_000)
    timeline.set_enabled_for_replay(True)
    timeline.slider.setValue(int(np.searchsorted(kept.steps, 64)))
    assert timeline.position_step == 64
    seen = []
    timeline.moved.connect(seen.append)
    timeline.set_steps(kept.steps, 20_000)  # more steps recorded: still on the same step, nothing emitted
    assert timeline.position_step == 64 and seen == []
    assert timeline.slider.maximum() == len(kept.steps) - 1
    kept.extend(1_000_000)  # a longer run: the stride grows from 64, and step 64 is no longer kept
    assert not kept.is_kept(64)
    timeline.set_steps(kept.steps, 1_000_000)
    assert timeline.position_step == 1_000_000 and seen == [1_000_000]
    assert timeline.label.text() == "step 1,000,000 of 1,000,000"
    # At the end, it follows the end as steps are added.
    timeline.set_steps(np.append(kept.steps, 1_000_001), 1_000_001)
    assert timeline.position_step == 1_000_001 and seen == [1_000_000, 1_000_001]


def test_disabled_while_training_it_neither_moves_nor_plays(timeline, gui):
    timeline.set_steps(np.arange(50), 49)
    timeline.set_enabled_for_replay(True)
    timeline.go_to_start()
    timeline.play()
    assert timeline.playing
    timeline.set_enabled_for_replay(False)
    assert not timeline.playing and not timeline.isEnabled() and not timeline.slider.isEnabled()
    assert timeline.toolTip()  # says when replay is available
    seen = []
    timeline.moved.connect(seen.append)
    timeline.play()
    assert not timeline.playing
    timeline.go_to_end()  # the window may move it while a run trains: the views still show live data
    assert timeline.position_step == 49
    timeline.go_to_start()
    timeline.set_steps(np.arange(80), 79)  # the live run goes on: steps arrive, the views show live data
    assert seen == []
    assert timeline.position_step == 0  # kept: a step still recorded
    timeline.set_enabled_for_replay(True)
    timeline.go_to_end()
    assert seen == [79]


def test_with_fewer_than_two_steps_there_is_nothing_to_move(timeline, gui):
    timeline.set_enabled_for_replay(True)
    assert timeline.position_step is None and timeline.label.text() == "No step kept yet"
    assert not timeline.play_button.isEnabled()
    timeline.set_steps([0], 100)
    assert timeline.position_step == 0 and not timeline.slider.isEnabled()
    timeline.play()
    assert not timeline.playing


def test_buttons_have_names_and_tips(timeline, gui):
    timeline.set_steps(np.arange(10), 9)
    timeline.set_enabled_for_replay(True)
    assert timeline.play_button.accessibleName() and timeline.play_button.toolTip()
    assert timeline.slider.accessibleName() and "Home" in timeline.slider.toolTip()
    assert not timeline.play_button.icon().isNull()
    before = timeline.play_button.accessibleName()
    timeline.go_to_start()
    timeline.play()
    assert timeline.play_button.accessibleName() != before  # it says Pause while playing
