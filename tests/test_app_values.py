"""The window trains with exactly the value it was given: every value of a setting's range (nn_core.config's
table) goes through its box unchanged, from code, typing and the arrows; anything else is refused visibly."""

from __future__ import annotations

import math

import pytest
from gui_helpers import shown_panel, type_into
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.controller import State
from app.controls import LOCKED_NOTE, ControlsPanel
from app.worker import UpdateRate
from nn_core.config import (
    EVERY_STEPS,
    HIDDEN,
    LR,
    MAX_HIDDEN,
    MAX_ITERATIONS,
    MAX_LR,
    MAX_SEED,
    RUN_ITERATIONS,
    SEED,
    H,
    TrainConfig,
    format_number,
)
from nn_core.gates import TRUTH_TABLES
from nn_core.methods import METHODS
from nn_core.trainer import Trainer

GUI_SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Each range's values, with its ends and the tiny learning rates of the book's experiment drawn often.
LRS = st.one_of(st.sampled_from([5e-324, 1e-300, 1e-10, 1e-4, 0.001, 2.0, MAX_LR]),
                st.floats(min_value=0.0, max_value=MAX_LR, exclude_min=True))
HS = st.one_of(st.sampled_from([H.low, 1e-10, 1e-4, H.high]), st.floats(min_value=H.low, max_value=H.high))
SEEDS = st.one_of(st.sampled_from([0, 2**31 - 1, 2**31, 2**32, MAX_SEED]), st.integers(0, MAX_SEED))
VALUES = {"hidden": st.integers(1, MAX_HIDDEN), "lr": LRS, "h": HS, "seed": SEEDS,
          "steps": st.one_of(st.sampled_from([1, MAX_ITERATIONS]), st.integers(1, MAX_ITERATIONS)),
          "every": st.integers(EVERY_STEPS.low, EVERY_STEPS.high), "step_count": st.integers(1, 1_000_000)}
# Every NumberBox (the hidden layers' text box is tested in test_app_ch6.py).
BOXES = {"lr": "lr_spin", "h": "h_spin", "seed": "seed_spin", "steps": "steps_spin",
         "every": "rate_steps_spin", "step_count": "step_count_spin"}

configs = st.builds(TrainConfig, gate=st.sampled_from(list(TRUTH_TABLES)), method=st.sampled_from(list(METHODS)),
                    hidden=st.tuples(VALUES["hidden"]), lr=LRS, h=HS, seed=SEEDS, iterations=VALUES["steps"])


@pytest.fixture
def panel(gui):
    """A shown, active ControlsPanel (typing and Tab need the focus)."""
    controls, top = shown_panel(gui, UpdateRate(every_steps=100), 640)
    yield controls  # the fixture's frame keeps ``top`` (and so the panel) alive
    top.close()


def assert_refused(controls, box, old, typed: str) -> None:
    """The old value, shown as itself, with a red frame, the range in the tooltip and under the settings."""
    assert box.value() == old and type(box.value()) is type(old)
    assert box.lineEdit().text() == format_number(old)
    assert box.refused() and box.property("refused") is True
    assert box.setting.describe() in box.note() and f"kept {format_number(old)}" in box.note()
    assert box.note() in box.toolTip() and box.setting.describe() in box.toolTip()
    assert controls.note_label.isVisible() and box.note() in controls.note_label.text()


def assert_taken(controls, box, value) -> None:
    assert box.value() == value and type(box.value()) is type(value)
    assert box.lineEdit().text() == format_number(value)
    assert not box.refused() and box.note() == "" and controls.notes() == []


# --- every value of the validator's ranges, unchanged --------------------------------------------------------

@settings(GUI_SETTINGS, max_examples=300)
@given(config=configs)
@example(config=TrainConfig(lr=1e-10, h=1e-12, seed=MAX_SEED, iterations=2000))
@example(config=TrainConfig(lr=0.0001, seed=2**31, iterations=2000))
def test_any_valid_config_comes_back_equal(panel, config):
    config = config.validated()
    panel.set_config(config)
    assert panel.config() == config
    assert panel.notes() == []
    for box, value in ((panel.lr_spin, config.lr), (panel.h_spin, config.h), (panel.seed_spin, config.seed)):
        shown = box.lineEdit().text()
        assert (float(shown) if isinstance(value, float) else int(shown)) == value  # the text is the value


@settings(GUI_SETTINGS, max_examples=25)
@given(data=st.data())
@pytest.mark.parametrize("name", list(BOXES))
def test_typing_any_value_of_the_range_gives_that_value(panel, gui, name, data):
    box = getattr(panel, BOXES[name])
    value = data.draw(VALUES[name], label="value")
    spellings = [format_number(value)]
    if isinstance(value, float):
        spellings.append(f"{value:.17e}")  # 17 digits after the point: scientific, still exact
    elif value % 1000 == 0 and value:
        spellings.append(f"{value // 1000}e3")
    text = data.draw(st.sampled_from(spellings), label="typed")
    type_into(gui, box, text)
    assert_taken(panel, box, value)
    config = panel.config()
    assert config == config.validated()


@settings(GUI_SETTINGS, max_examples=120)
@given(config=configs)
def test_typing_a_whole_config_reaches_the_engine_unchanged(panel, gui, config):
    config = config.validated()
    panel.gate_combo.setCurrentIndex(panel.gate_combo.findData(config.gate))
    panel.method_combo.setCurrentIndex(panel.method_combo.findData(config.method))
    type_into(gui, panel.hidden_edit, ",".join(map(str, config.hidden)))
    for box, value in ((panel.lr_spin, config.lr), (panel.h_spin, config.h),
                       (panel.seed_spin, config.seed), (panel.steps_spin, config.iterations)):
        type_into(gui, box, format_number(value))
    assert panel.config() == config
    assert Trainer(panel.config()).config == config  # the engine takes it as it is


# --- anything else: refused visibly, the old value kept --------------------------------------------------------

def outside(setting):
    """Numbers outside ``setting``'s range, as text."""
    if setting.integer:
        below = st.integers(-10**20, setting.low - 1)
        above = st.integers(setting.high + 1, 10**25)
        return st.one_of(below, above).map(str)
    low = st.floats(max_value=setting.low, allow_nan=False, allow_infinity=False,
                    exclude_max=not setting.low_open)
    high = st.floats(min_value=setting.high, exclude_min=True, allow_nan=False, allow_infinity=False)
    return st.one_of(low, high).map(format_number)


def floatable(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


GARBAGE = st.one_of(st.sampled_from(["", "abc", "1_", "1e", "1e-", "--1", "1..2", "0x10", "1,5", "two", "e3", "nan",
                                     "inf", "-inf", "1e999"]),
                    st.text(alphabet="0123456789.eE+-xa,_", max_size=8).filter(lambda t: not floatable(t)))


@settings(GUI_SETTINGS, max_examples=30)
@given(data=st.data())
@pytest.mark.parametrize("name", list(BOXES))
def test_out_of_range_and_garbage_are_refused_visibly(panel, gui, name, data):
    box = getattr(panel, BOXES[name])
    old = data.draw(VALUES[name], label="old")
    box.setValue(old)
    kinds = [outside(box.setting), GARBAGE]
    if box.setting.integer:  # a fraction where a whole number is asked for
        kinds.append(st.floats(box.setting.low, min(box.setting.high, 1e6)).filter(lambda v: not v.is_integer())
                     .map(format_number))
    text = data.draw(st.one_of(kinds), label="typed")
    type_into(gui, box, text)
    assert_refused(panel, box, old, text)
    type_into(gui, box, format_number(old))  # typing a good value (the same one too) clears the refusal
    assert_taken(panel, box, old)
    assert not panel.note_label.isVisible()


@pytest.mark.parametrize(("name", "start", "typed"), [
    ("h", 1e-4, "1e-13"),  # its prefix 1e-1 is 0.1, in range: keystrokes are not values
    ("lr", 2.0, "-1"),  # 1 is in range
    ("seed", 0, "9223372036854775808"),
    ("steps", 20_000, "0"),
])
def test_the_issues_keystrokes_are_refused_not_truncated(panel, gui, name, start, typed):
    box = getattr(panel, BOXES[name])
    box.setValue(start)
    changes = []
    box.valueChanged.connect(changes.append)
    type_into(gui, box, typed)
    assert_refused(panel, box, start, typed)
    assert changes == []  # no value passed through on the way


def test_the_books_tiny_learning_rate_is_kept_as_typed(panel, gui):
    type_into(gui, panel.lr_spin, "1e-10")
    assert panel.config().lr == 1e-10 and panel.lr_spin.lineEdit().text() == "1e-10"
    type_into(gui, panel.h_spin, "1E-12")
    assert panel.config().h == 1e-12
    type_into(gui, panel.seed_spin, "2147483648")
    assert panel.config().seed == 2**31


# --- arrows -------------------------------------------------------------------------------------------------

@settings(GUI_SETTINGS, max_examples=60)
@given(data=st.data(), steps=st.sampled_from([-10, -3, -1, 1, 2, 10]))
@pytest.mark.parametrize("name", list(BOXES))
def test_arrows_step_within_the_range(panel, name, data, steps):
    box = getattr(panel, BOXES[name])
    old = data.draw(VALUES[name], label="old")
    box.setValue(old)
    box.stepBy(steps)
    s = box.setting
    wanted = old * 10.0**steps if s.log_scale else old + steps * s.step
    value = box.value()
    assert s.contains(value) and type(value) is type(old)
    if s.contains(wanted):
        if not s.log_scale:
            assert value == wanted
        elif wanted > 1e-300:  # subnormal floats have too few digits to compare
            assert math.isclose(value, wanted, rel_tol=1e-12)
        assert box.note() == "" or abs(wanted) < 1e-300
    else:  # stopped at the end, and says so
        assert value == (s.high if wanted > old else s.clamp(wanted))
        assert format_number(value) in box.note() and s.describe() in box.note()
    assert panel.config() == panel.config().validated()


def test_log_arrows_step_by_exact_decades(panel):
    panel.lr_spin.setValue(1e-4)
    panel.lr_spin.stepBy(1)
    assert panel.lr_spin.value() == 0.001  # not 0.0010000000000000002
    panel.h_spin.setValue(H.high)
    assert not panel.h_spin.stepEnabled() & panel.h_spin.StepEnabledFlag.StepUpEnabled
    panel.steps_spin.setValue(1)
    assert not panel.steps_spin.stepEnabled() & panel.steps_spin.StepEnabledFlag.StepDownEnabled


def test_set_value_out_of_range_is_clamped_with_a_note_and_nonsense_raises(panel):
    panel.set_config(TrainConfig(iterations=0))  # the engine's 0 steps: a run in the window is at least 1
    assert panel.steps_spin.value() == 1 and RUN_ITERATIONS.describe() in panel.steps_spin.note()
    assert panel.note_label.isVisible()
    for bad in (float("nan"), "3", None):
        with pytest.raises(ValueError):
            panel.seed_spin.setValue(bad)
        with pytest.raises(ValueError):
            panel.hidden_edit.setValue(bad)
    assert panel.seed_spin.value() == TrainConfig().seed and panel.hidden_edit.value() == TrainConfig().hidden


# --- keys: Enter starts, Space is Start/Pause -------------------------------------------------------------

def test_enter_commits_and_asks_to_start(panel, gui):
    with gui.waitSignal(panel.start_requested, timeout=30_000):
        type_into(gui, panel.seed_spin, "42", commit=Qt.Key.Key_Return)
    assert panel.config().seed == 42
    with gui.assertNotEmitted(panel.start_requested):
        type_into(gui, panel.seed_spin, "-3", commit=Qt.Key.Key_Return)
    assert panel.seed_spin.refused() and panel.config().seed == 42
    panel.set_state(State.READY)
    with gui.waitSignal(panel.step_requested, timeout=30_000), gui.assertNotEmitted(panel.start_requested):
        type_into(gui, panel.step_count_spin, "25", commit=Qt.Key.Key_Enter)
    assert panel.step_count() == 25 and panel.steps_to_add() == 25


def test_space_in_a_number_box_is_start_pause_when_its_text_is_complete(panel, gui):
    box = panel.lr_spin
    with gui.waitSignal(panel.toggle_requested, timeout=30_000):
        type_into(gui, box, "0.5", commit=Qt.Key.Key_Space)
    assert panel.config().lr == 0.5 and " " not in box.lineEdit().text()
    with gui.assertNotEmitted(panel.toggle_requested):
        type_into(gui, box, "1e-", commit=Qt.Key.Key_Space)
    assert box.refused() and panel.config().lr == 0.5


# --- locks, options, layout ------------------------------------------------------------------------------------

def test_locked_settings_say_why(panel):
    panel.set_state(State.TRAINING)
    for widget in panel.network_settings:
        assert not widget.isEnabled() and widget.toolTip().startswith(LOCKED_NOTE)
    panel.set_state(State.FINISHED)
    for widget in panel.network_settings:
        assert widget.isEnabled() and LOCKED_NOTE not in widget.toolTip() and widget.toolTip()
    assert LR.describe() in panel.lr_spin.toolTip()  # and every box states its range


def test_stop_when_solved_is_a_run_option(panel):
    assert panel.stop_when_solved() is False and panel.stop_when_solved_check.toolTip()
    panel.stop_when_solved_check.click()
    assert panel.stop_when_solved() is True
    panel.set_state(State.TRAINING)
    assert not panel.stop_when_solved_check.isEnabled()


@pytest.mark.parametrize("width", [260, 300])
def test_nothing_is_clipped_at_the_windows_narrowest_panel(gui, width):
    top = QWidget()
    layout = QVBoxLayout(top)
    controls = ControlsPanel(TrainConfig(seed=MAX_SEED, iterations=MAX_ITERATIONS, lr=MAX_LR),
                             UpdateRate(every_steps=EVERY_STEPS.high))
    layout.addWidget(controls)
    gui.addWidget(top)
    top.setFixedWidth(width)
    controls.chapter6_button.setChecked(True)  # its settings shown too
    with gui.waitExposed(top):
        top.show()
    assert controls.width() <= width
    for box in controls.number_boxes:
        if not box.isVisibleTo(controls):  # another optimizer's option
            continue
        edit = box.lineEdit()
        assert edit.fontMetrics().horizontalAdvance(edit.text()) < edit.width(), box.setting.name
    for combo in (controls.gate_combo, controls.method_combo, controls.rate_combo, controls.activation_combo,
                  controls.init_combo, controls.optimizer_combo):
        longest = max((combo.itemText(i) for i in range(combo.count())), key=combo.fontMetrics().horizontalAdvance)
        assert combo.fontMetrics().horizontalAdvance(longest) + 30 < combo.width(), longest


def test_the_window_and_the_engine_share_the_seed_range():
    import app.controls

    assert app.controls.MAX_SEED == MAX_SEED == SEED.high
    assert Trainer(TrainConfig(seed=MAX_SEED, iterations=1)).config.seed == MAX_SEED
    with pytest.raises(ValueError, match="seed must be a whole number from 0 to 9223372036854775807"):
        TrainConfig(seed=MAX_SEED + 1).validated()
    assert HIDDEN.high == MAX_HIDDEN
