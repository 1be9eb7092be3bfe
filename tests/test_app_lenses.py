"""The single run's lenses: the tabs beside the output surface see the network the window shows, live and in
replay, and only the tab in front is asked to draw."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from PySide6.QtWidgets import QLabel

import app.window
from app.controller import State
from app.inside import NetworkAt
from app.lenses import LENSES, OUTPUT, Lens, lens_keys
from nn_core.config import TrainConfig
from nn_core.network import init_params
from nn_core.trainer import Trainer

WAIT = 60_000


class RecordingLens(QLabel):
    """A lens that keeps what it was shown."""

    def __init__(self):
        super().__init__("recording")
        self.shown: list[NetworkAt] = []
        self.shut = False

    def show_network(self, at: NetworkAt) -> None:
        self.shown.append(at)

    def shutdown(self) -> None:
        self.shut = True


@pytest.fixture
def lens_window(make_window, monkeypatch):
    """A window with two recording lenses after the registry's own."""
    made = {}

    def factory(key):
        def make(_live):
            made[key] = RecordingLens()
            return made[key]
        return make

    extra = (Lens("first", "First", "", factory("first")), Lens("second", "Second", "", factory("second")))
    monkeypatch.setattr(app.window, "LENSES", LENSES + extra)

    def make(config):
        return make_window(config), made

    return make


def test_a_lens_in_front_sees_the_live_network_and_its_path_from_the_start(gui, lens_window):
    config = TrainConfig(gate="XOR", method="backprop", iterations=300, seed=3)
    window, made = lens_window(config)
    assert window.lens == OUTPUT.key
    window.set_lens("first")
    assert window.lens_tabs.currentWidget().widget() is made["first"]  # in its scroll area
    with gui.waitSignal(window.controller.run_finished, timeout=WAIT):
        window.controls.start_button.click()
    gui.waitUntil(lambda: made["first"].shown and made["first"].shown[-1].step == 300, timeout=WAIT)
    at = made["first"].shown[-1]
    again = Trainer(config)
    again.run(until=300)
    assert np.array_equal(at.params, again.network.params)
    assert at.loss == pytest.approx(again.loss(), abs=1e-15)
    assert at.path_steps[0] == 0 and at.path_steps[-1] == 300
    assert np.array_equal(at.path_params[0], init_params(config.hidden, config.seed, config.init))
    assert at.path_params.shape == (len(at.path_steps), again.network.params.size)
    assert not at.live
    assert made["second"].shown == []  # the tab behind is not asked to draw


def test_replay_shows_the_lens_the_kept_step_and_the_path_up_to_it(gui, lens_window):
    config = TrainConfig(gate="OR", method="central", iterations=200, seed=1)
    window, made = lens_window(config)
    with gui.waitSignal(window.controller.run_finished, timeout=WAIT):
        window.controls.start_button.click()
    window.set_lens("second")  # choosing the tab shows it the network at once
    assert made["second"].shown[-1].step == 200
    log = window.controller.replay
    step = int(log.steps[len(log.steps) // 2])
    window.timeline.moved.emit(step)
    at = made["second"].shown[-1]
    again = Trainer(config)
    again.run(until=step)
    assert at.step == step
    assert np.array_equal(at.params, again.network.params)
    assert at.path_steps[-1] == step and np.all(at.path_steps <= step)
    assert np.array_equal(at.path_params[-1], at.params)


def test_no_lens_is_drawn_while_another_view_is_shown_and_closing_shuts_them_down(gui, lens_window):
    window, made = lens_window(TrainConfig(iterations=100_000))
    window.set_lens("first")
    window.controls.start_button.click()
    gui.waitUntil(lambda: window.controller.state == State.TRAINING, timeout=WAIT)
    gui.waitUntil(lambda: any(at.live for at in made["first"].shown), timeout=WAIT)
    window.set_view("gates")
    gui.waitUntil(lambda: not window.controller.running, timeout=WAIT)
    count = len(made["first"].shown)
    window.controls.start_button.click()  # the gates train; the single run's lens waits
    gui.wait(300)
    assert len(made["first"].shown) == count
    window.close()
    assert made["first"].shut and made["second"].shut


def test_a_lens_that_does_not_exist_is_refused(make_window):
    window = make_window()
    with pytest.raises(ValueError, match="no lens 'nope'"):
        window.set_lens("nope")
    assert window.lens == OUTPUT.key


def test_the_command_line_refuses_a_bad_lens_with_one_line():
    result = subprocess.run([sys.executable, "-m", "app", "--lens", "nope"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--lens" in lines[0] and all(key in lines[0] for key in lens_keys())


def test_view_menu_chooses_a_lens_from_another_view_and_follows_the_tabs(gui, make_window):
    from PySide6.QtCore import Qt

    window = make_window(TrainConfig(iterations=100))
    window.set_view("race")
    keys = lens_keys()
    assert list(window.shell.lens_actions) == list(keys)
    gui.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)  # Alt+2: the first lens after Output
    assert window.session.view == "single" and window.lens == keys[1]
    assert window.shell.lens_actions[keys[1]].isChecked()
    window.lens_tabs.setCurrentIndex(0)  # a click on the Output tab
    assert window.shell.lens_actions["output"].isChecked() and window.lens == "output"


@pytest.mark.parametrize("view", ["race", "gates", "atlas"])
def test_a_window_opened_on_another_view_stays_there_with_the_lens_asked_for(gui, view):
    from app.window import MainWindow

    window = MainWindow(TrainConfig(iterations=10), view=view, lens=lens_keys()[-1])
    gui.addWidget(window)
    try:
        assert window.session.view == view  # building the View menu's lens items chose nothing
        assert window.lens == lens_keys()[-1] and window.shell.lens_actions[lens_keys()[-1]].isChecked()
    finally:
        window.close()


def test_a_slow_lens_gets_at_most_its_share_of_the_gui_thread_while_training(gui, lens_window, monkeypatch):
    import time

    from app import window as window_module

    window, made = lens_window(TrainConfig(iterations=100_000_000))
    window.set_lens("first")
    calls = []  # (start, seconds, live) of each call
    lens = made["first"]

    def slow_show(at):
        started = time.perf_counter()
        time.sleep(0.03)  # a lens as slow as a 64,64,64 network's maps
        calls.append((started, time.perf_counter() - started, at.live))

    monkeypatch.setattr(lens, "show_network", slow_show)
    window.controls.start_button.click()
    gui.waitUntil(lambda: sum(live for *_, live in calls) >= 4, timeout=WAIT)
    window.controls.pause_button.click()
    gui.waitUntil(lambda: window.controller.state == State.PAUSED, timeout=WAIT)
    gui.waitUntil(lambda: calls and not calls[-1][2], timeout=WAIT)  # the pause is shown at once
    live = [(start, seconds) for start, seconds, is_live in calls if is_live]
    for (start, seconds), (after, _) in zip(live, live[1:], strict=False):
        assert after - start >= seconds / window_module.LENS_SHARE  # the GUI thread's other 75% stayed free


def test_settle_lens_waits_until_the_gradient_check_shows_the_last_step(gui, make_window):
    window = make_window(TrainConfig(gate="OR", iterations=300, seed=2))
    window.set_lens("gradcheck")
    with gui.waitSignal(window.controller.run_finished, timeout=WAIT):
        window.controls.start_button.click()
    window.settle_lens()
    view = window.lens_views["gradcheck"]
    assert not window.lens_pending()
    assert view.table_shown.at.step == 300 and view.curve_shown.at.step == 300
    assert np.array_equal(view.table_shown.at.params, window.controller.trainer.network.params)


@pytest.mark.parametrize("lens", lens_keys())
def test_a_script_screenshots_each_lens_at_the_end_and_exits(lens, tmp_path):
    shot = tmp_path / "shot.png"
    result = subprocess.run([sys.executable, "-m", "app", "--lens", lens, "--iterations", "200", "--autostart",
                             "--exit-when-done", "--screenshot", str(shot)], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0 and result.stderr == "", result.stderr[-2000:]
    assert shot.stat().st_size > 10_000
