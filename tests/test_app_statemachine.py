"""Random sequences of a learner's actions on the window (hypothesis state machine): after every action the app
is in exactly one valid state, its controls are enabled to match, and nothing on screen says "nan"."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from PySide6.QtCore import Qt

from app.controller import StartAction, State
from app.controls import MAX_SEED
from app.window import MainWindow
from app.worker import UpdateRate
from nn_core.config import H_RANGE, MAX_HIDDEN, MAX_ITERATIONS, MAX_LR, TrainConfig
from nn_core.gates import GATES
from nn_core.methods import METHODS
from nn_core.network import param_count

# Each setting: the ends of its range and a few values between.
SETTINGS = {
    "gate": st.sampled_from(list(GATES)),
    "method": st.sampled_from(list(METHODS)),
    "hidden": st.sampled_from([(1,), (2,), (4,), (16,), (MAX_HIDDEN,), (4, 4), (8, 4, 2)]),
    "lr": st.sampled_from([0.001, 0.5, 2.0, 50.0, MAX_LR]),
    "h": st.sampled_from([H_RANGE[0], 1e-6, 1e-4, H_RANGE[1]]),
    "seed": st.one_of(st.sampled_from([0, MAX_SEED]), st.integers(0, MAX_SEED)),
    "steps": st.sampled_from([1, 2, 37, 300, 3000, MAX_ITERATIONS]),
}

WORK_TO_WAIT_FOR = 100_000  # loss evaluations: ~2,900 steps of central on 4 hidden units, 194 on 64


def shown_steps(window) -> int:
    return int(window.readout.text("steps").split("/")[0].replace(",", ""))


class WindowMachine(RuleBasedStateMachine):
    gui = None  # the test's qtbot

    def __init__(self):
        super().__init__()
        self.window = MainWindow(TrainConfig(iterations=300), UpdateRate())
        with self.gui.waitExposed(self.window):
            self.window.show()
        with self.gui.waitActive(self.window):
            self.window.activateWindow()

    def teardown(self):
        self.window.close()
        assert self.window.controller.closed and self.window.controller.thread_finished
        self.window.deleteLater()

    @property
    def controls(self):
        return self.window.controls

    def _click(self, button) -> None:
        if button.isEnabled():  # a disabled button ignores the learner's click
            button.click()

    @rule()
    def start(self):
        self._click(self.controls.start_button)

    @rule()
    def pause_or_resume(self):
        self._click(self.controls.pause_button)

    @rule(count=st.sampled_from([1, 2, 25, 500, 1_000_000]))
    def step(self, count):
        if self.controls.step_count_spin.isEnabled():
            self.controls.step_count_spin.setValue(count)
        self._click(self.controls.step_button)

    @rule()
    def reset(self):
        self.gui.keyClick(self.window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)

    @rule()
    def space(self):
        self.gui.keyClick(self.window, Qt.Key.Key_Space)

    @rule(data=st.data(), name=st.sampled_from(list(SETTINGS)))
    def change_setting(self, data, name):
        value = data.draw(SETTINGS[name], label=name)
        c = self.controls
        widget = {"gate": c.gate_combo, "method": c.method_combo, "hidden": c.hidden_edit, "lr": c.lr_spin,
                  "h": c.h_spin, "seed": c.seed_spin, "steps": c.steps_spin}[name]
        if not widget.isEnabled():
            return  # locked while a run goes, as the learner sees it
        if name == "gate":
            widget.setCurrentText(value)
        elif name == "method":
            widget.setCurrentIndex(widget.findData(value))
        else:
            widget.setValue(value)
        assert self.window.controls.config() is not None  # the widgets always make a valid TrainConfig

    @rule(ms=st.sampled_from([0, 5, 30, 120]))
    def wait(self, ms):
        self.gui.wait(ms)

    @rule()
    def wait_for_the_run_to_end(self):
        """Only for a run with little work left (counted in loss evaluations, not seconds); the wait ends as
        soon as the run does, and only a hang reaches its limit."""
        c = self.window.controller
        left = c.config.iterations - c.trainer.iteration
        if c.state == State.TRAINING and left * METHODS[c.config.method].loss_evals(param_count(c.config.hidden)) \
                <= WORK_TO_WAIT_FOR:
            self.gui.waitUntil(lambda: c.state != State.TRAINING, timeout=120_000)

    @invariant()
    def consistent(self):
        w, c, controls = self.window, self.window.controller, self.window.controls
        state = c.state
        event(f"state {state}")
        assert isinstance(state, State)
        idle = state in (State.READY, State.FINISHED)
        assert all(widget.isEnabled() == idle for widget in controls.network_settings)
        assert controls.rate_combo.isEnabled() == idle
        assert controls.start_button.isEnabled() == idle
        # The button says what Start will do with the settings shown (and never that while a run trains).
        if idle:
            action = c.start_action(controls.config())
            same = controls.config() == c.config
            expected = "Start again" if action == StartAction.NEW_RUN and same else w.START_TEXTS[action]
            assert controls.start_button.text() == expected
            assert (action == StartAction.NEW_RUN) == (not same and not (action == StartAction.FURTHER)
                                                       or same and state == State.FINISHED)
        assert controls.pause_button.isEnabled() == (not idle)
        assert controls.pause_button.text() == ("Resume" if state == State.PAUSED else "Pause")
        # Step works from READY, from a pause and past the end of a finished run; not while training.
        assert controls.step_button.isEnabled() == controls.step_count_spin.isEnabled() == (state != State.TRAINING)
        assert controls.reset_button.isEnabled()
        assert c.trainer.paused == (state == State.PAUSED)
        status = w.status_label.text()
        if idle:
            assert c.worker.idle
            assert c.trainer.finished == (state == State.FINISHED)
            assert shown_steps(w) == c.trainer.iteration
            assert status.startswith("Finished" if state == State.FINISHED else ("Ready", "Training failed")) \
                or "diverged at step" in status, status
        else:
            expected = "Training" if state == State.TRAINING else "Paused"
            assert status.startswith(expected) or "diverged at step" in status, status
        texts = [w.readout.text(key) for key, _t, _d in w.readout.FIELDS] + w.truth_table.marks() + [status]
        texts += [w.truth_table.table.item(row, 3).text() for row in range(4)]
        assert not any(re.search(r"\bnan\b|\binf\b", t, re.IGNORECASE) for t in texts), texts


def test_random_action_sequences_keep_the_window_consistent(gui):
    WindowMachine.gui = gui
    run_state_machine_as_test(WindowMachine, settings=settings(
        max_examples=15, stateful_step_count=25, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
