"""The book's chapter 6 in the window and on the app's command line: hidden layers as text, activation,
initialisation, optimizer with its own options, weight decay, and every truth table by clicking its targets.

Every test iterates the registries (ACTIVATIONS, INITIALIZERS, OPTIMIZERS and their declared options,
TRUTH_TABLES): a new entry is covered without editing this file."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from gui_helpers import shown_panel, type_into
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from app.controller import State
from app.controls import HIDDEN_RULE, LOCKED_NOTE, ControlsPanel, NumberBox
from app.worker import UpdateRate
from nn_core.activations import ACTIVATIONS
from nn_core.cli import optimizer_option_flags
from nn_core.config import (
    LR,
    MAX_HIDDEN,
    MAX_LAYERS,
    MAX_SEED,
    WEIGHT_DECAY,
    Range,
    TrainConfig,
    format_number,
    parse_hidden,
)
from nn_core.gates import TRUTH_TABLES, gate_bits
from nn_core.initializers import INITIALIZERS
from nn_core.methods import METHODS
from nn_core.optimizers import OPTIMIZERS

GUI_SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def values(setting: Range):
    """Every value of ``setting``, its ends (where closed) drawn often."""
    if setting.integer:
        return st.integers(setting.low, setting.high)
    ends = [end for end, open_ in ((setting.low, setting.low_open), (setting.high, setting.high_open)) if not open_]
    inner = st.floats(min_value=setting.low, max_value=setting.high, exclude_min=setting.low_open,
                      exclude_max=setting.high_open)
    return st.one_of(st.sampled_from(ends), inner) if ends else inner


def optimizer_with_options(key: str):
    """(key, options): every option the optimizer declares, each a value of its Range, or some left out
    (validated() fills in the default)."""
    options = [st.one_of(st.none(), values(option.range)).map(lambda v, name=option.name: (name, v))
               for option in OPTIMIZERS[key].options]
    return st.tuples(st.just(key), st.tuples(*options).map(lambda pairs: tuple(p for p in pairs if p[1] is not None)))


OPTIMIZER_CHOICES = st.sampled_from(list(OPTIMIZERS)).flatmap(optimizer_with_options)
HIDDEN_LAYERS = st.lists(st.integers(1, MAX_HIDDEN), min_size=1, max_size=MAX_LAYERS).map(tuple)


@st.composite
def configs(draw):
    optimizer, options = draw(OPTIMIZER_CHOICES)
    return TrainConfig(gate=draw(st.sampled_from(list(TRUTH_TABLES))), method=draw(st.sampled_from(list(METHODS))),
                       hidden=draw(HIDDEN_LAYERS), lr=draw(values(LR)), seed=draw(st.integers(0, MAX_SEED)),
                       iterations=draw(st.integers(1, 10**9)), activation=draw(st.sampled_from(list(ACTIVATIONS))),
                       init=draw(st.sampled_from(list(INITIALIZERS))), optimizer=optimizer,
                       optimizer_options=options, weight_decay=draw(values(WEIGHT_DECAY)))


@pytest.fixture
def panel(gui):
    """A shown, active ControlsPanel with its chapter 6 settings open."""
    controls, top = shown_panel(gui, UpdateRate(), 900, chapter6=True)
    yield controls  # the fixture's frame keeps ``top`` (and so the panel) alive
    top.close()


# --- every setting round-trips --------------------------------------------------------------------------------

@settings(GUI_SETTINGS, max_examples=200)
@given(before=configs(), config=configs())
def test_any_config_of_every_registry_and_range_comes_back_equal(panel, before, config):
    panel.set_config(before)  # whatever was shown before leaves nothing behind (another optimizer's options)
    panel.set_config(config)
    config = config.validated()
    assert panel.config() == config
    assert panel.notes() == []
    assert panel.option_names() == [name for name, _value in config.optimizer_options]
    assert panel.hidden_edit.text() == ",".join(map(str, config.hidden))


# --- hidden layers as text --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "hidden"), [
    ("8,4", (8, 4)), ("4", (4,)), (" 8, 4 ", (8, 4)), ("64,64,64", (64,) * 3), ("1,2,3", (1, 2, 3))])
def test_typed_layer_widths_are_taken(panel, gui, typed, hidden):
    changes = []
    panel.hidden_edit.valueChanged.connect(changes.append)
    type_into(gui, panel.hidden_edit, typed)
    assert panel.hidden_edit.value() == hidden and panel.config().hidden == hidden
    assert panel.hidden_edit.text() == ",".join(map(str, hidden))
    assert not panel.hidden_edit.refused() and panel.notes() == [] and not panel.note_label.isVisible()
    assert changes == ([] if hidden == TrainConfig().hidden else [hidden])


@pytest.mark.parametrize("typed", ["4,,4", "65", "", "0", "1,2,3,4", "4;4", "8,", ",4", "4.0", "1e1", "-4", "four"])
def test_bad_layer_widths_are_refused_visibly_and_the_last_good_value_kept(panel, gui, typed):
    type_into(gui, panel.hidden_edit, "8,4")
    changes = []
    panel.hidden_edit.valueChanged.connect(changes.append)
    type_into(gui, panel.hidden_edit, typed)
    box = panel.hidden_edit
    with pytest.raises(ValueError) as refusal:
        parse_hidden(typed)
    assert box.value() == (8, 4) and panel.config().hidden == (8, 4) and box.text() == "8,4"
    assert box.refused() and box.property("refused") is True and changes == []
    assert box.note() == f"{refusal.value}; kept 8,4"  # the rule it broke, and what it kept
    assert box.note() in box.toolTip() and HIDDEN_RULE in box.toolTip()
    assert panel.note_label.isVisible() and box.note() in panel.note_label.text()
    type_into(gui, box, "8,4")  # a good value (the same one too) clears the refusal
    assert not box.refused() and box.note() == "" and not panel.note_label.isVisible()


def test_enter_in_the_hidden_box_commits_and_asks_to_start(panel, gui):
    with gui.waitSignal(panel.start_requested, timeout=2000):
        type_into(gui, panel.hidden_edit, "4,4", commit=Qt.Key.Key_Return)
    assert panel.config().hidden == (4, 4)
    with gui.assertNotEmitted(panel.start_requested):
        type_into(gui, panel.hidden_edit, "4,,4", commit=Qt.Key.Key_Return)
    assert panel.hidden_edit.refused() and panel.config().hidden == (4, 4)


def test_space_is_typed_in_the_hidden_box_not_start(make_window, gui):
    window = make_window(TrainConfig(iterations=10_000_000))
    type_into(gui, window.controls.hidden_edit, "8, 4", commit=Qt.Key.Key_Return)
    gui.waitUntil(lambda: window.controller.state == State.TRAINING, timeout=5000)  # Enter started it ...
    assert window.controller.config.hidden == (8, 4)  # ... with the widths typed, spaces and all
    window.toggle_pause()
    gui.waitUntil(lambda: window.controller.state == State.PAUSED, timeout=5000)


# --- registries: combos, options, tooltips ---------------------------------------------------------------------

def combo_keys(combo) -> list[str]:
    return [combo.itemData(i) for i in range(combo.count())]


def test_the_combos_list_every_registry_entry_with_its_rule_in_the_tooltip(panel):
    entries = {panel.activation_combo: {k: e.equation for k, e in ACTIVATIONS.items()},
               panel.init_combo: {k: e.formula for k, e in INITIALIZERS.items()},
               panel.optimizer_combo: {k: c.rule for k, c in OPTIMIZERS.items()}}
    for combo, rules in entries.items():
        assert combo_keys(combo) == list(rules)
        for i, (key, rule) in enumerate(rules.items()):
            tip = combo.itemData(i, Qt.ItemDataRole.ToolTipRole)
            assert rule in tip, key
            combo.setCurrentIndex(i)
            assert rule in combo.toolTip()  # the chosen one's rule, on the combo itself
    for i, (key, cls) in enumerate(OPTIMIZERS.items()):  # the book's name: its class in common/optimizer.py
        tip = panel.optimizer_combo.itemData(i, Qt.ItemDataRole.ToolTipRole)
        assert f"common/optimizer.py {cls.__name__}(lr={format_number(cls.book_lr)}" in tip, key
    assert "weight_decay_lambda" in panel.weight_decay_spin.toolTip()
    assert WEIGHT_DECAY.describe() in panel.weight_decay_spin.toolTip()


@pytest.mark.parametrize("key", list(OPTIMIZERS))
def test_switching_optimizer_shows_exactly_its_options_at_their_defaults(panel, key):
    cls = OPTIMIZERS[key]
    other = next(k for k in OPTIMIZERS if k != key and OPTIMIZERS[k].options) if len(OPTIMIZERS) > 1 else key
    # Changed options of another optimizer first: switching must not carry them over.
    panel.optimizer_combo.setCurrentIndex(panel.optimizer_combo.findData(other))
    for option in OPTIMIZERS[other].options:
        panel.option_boxes[other][option.name].setValue(option.range.clamp(option.default / 2))
    panel.optimizer_combo.setCurrentIndex(panel.optimizer_combo.findData(key))
    assert panel.option_names() == [option.name for option in cls.options]
    shown = [box for boxes in panel.option_boxes.values() for box in boxes.values() if box.isVisible()]
    assert shown == [panel.option_boxes[key][option.name] for option in cls.options]
    for option in cls.options:
        box = panel.option_boxes[key][option.name]
        assert box.value() == option.default and box.setting == option.range
        assert option.range.describe() in box.toolTip()
        assert f"{option.name}={format_number(option.default)}" in box.toolTip()  # the book's argument
    config = panel.config()
    assert config == config.validated() and config.optimizer == key
    assert config.optimizer_options == tuple((option.name, option.default) for option in cls.options)
    if cls.options:  # a value typed in an option's box reaches the config; switching away and back resets it
        option = cls.options[0]
        value = option.range.clamp(option.default / 2)
        panel.option_boxes[key][option.name].setValue(value)
        assert dict(panel.config().optimizer_options)[option.name] == value
        panel.optimizer_combo.setCurrentIndex(panel.optimizer_combo.findData(other if other != key else "sgd"))
        panel.optimizer_combo.setCurrentIndex(panel.optimizer_combo.findData(key))
        assert dict(panel.config().optimizer_options)[option.name] == option.default


@pytest.mark.parametrize(("key", "name"), [(key, option.name) for key, cls in OPTIMIZERS.items()
                                           for option in cls.options])
def test_an_option_out_of_its_range_is_refused_visibly(panel, gui, key, name):
    panel.optimizer_combo.setCurrentIndex(panel.optimizer_combo.findData(key))
    box = panel.option_boxes[key][name]
    bad = box.setting.high if box.setting.high_open else box.setting.high * 2 + 1  # the book's 1 for β1: never
    type_into(gui, box, format_number(bad))
    assert box.refused() and box.setting.describe() in box.note()
    assert dict(panel.config().optimizer_options)[name] == box.value()
    assert panel.note_label.isVisible()


def test_every_network_setting_is_locked_while_a_run_is_under_way(panel):
    chapter6 = [panel.hidden_edit, panel.activation_combo, panel.init_combo, panel.optimizer_combo,
                panel.weight_decay_spin, *(b for boxes in panel.option_boxes.values() for b in boxes.values())]
    assert all(widget in panel.network_settings for widget in chapter6)
    for state in (State.TRAINING, State.PAUSED):
        panel.set_state(state)
        for widget in panel.network_settings:
            assert not widget.isEnabled() and widget.toolTip().startswith(LOCKED_NOTE)
        before = panel.config()
        panel.toggle_target(0)  # the truth table's click does nothing either
        assert panel.config() == before
        assert panel.chapter6_button.isEnabled()  # what is set stays visible
    panel.set_state(State.FINISHED)
    for widget in panel.network_settings:
        assert widget.isEnabled() and LOCKED_NOTE not in widget.toolTip() and widget.toolTip()


def test_the_chapter6_group_folds_and_says_what_is_chosen(panel):
    panel.set_config(TrainConfig(activation="relu", init="he", optimizer="adam", optimizer_options=(("beta1", 0.8),),
                                 weight_decay=0.1))
    panel.chapter6_button.setChecked(False)
    assert not panel.optimizer_combo.isVisible() and panel.chapter6_summary.isVisible()
    assert panel.chapter6_summary.text() == "relu, he init, adam (beta1 0.8, beta2 0.999), λ 0.1"
    panel.chapter6_button.setChecked(True)
    assert panel.optimizer_combo.isVisible() and not panel.chapter6_summary.isVisible()


def test_settings_given_on_the_command_line_open_the_chapter6_group(gui):
    for config, opened in ((TrainConfig(), False), (TrainConfig(optimizer="momentum"), True),
                           (TrainConfig(weight_decay=1e-3), True)):
        controls = ControlsPanel(config, UpdateRate())
        gui.addWidget(controls)
        assert controls.chapter6_button.isChecked() is opened
        assert isinstance(controls.weight_decay_spin, NumberBox)


# --- every truth table by clicking its targets ----------------------------------------------------------------

def click_target(gui, window, row: int) -> None:
    table = window.truth_table.table
    item = table.item(row, window.truth_table.TARGET)
    table.scrollToItem(item)
    gui.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualItemRect(item).center())


def test_clicking_targets_reaches_all_16_functions_and_trains_the_one_shown(make_window, gui):
    window = make_window(TrainConfig(gate="FALSE", iterations=3))
    reached = {}
    for name, bits in TRUTH_TABLES.items():
        shown = gate_bits(window.controls.gate_combo.currentData())
        for row in range(4):
            if shown[row] != str(bits[row]):
                click_target(gui, window, row)
        assert window.controls.gate_combo.currentData() == name
        assert window.truth_table.targets() == [str(b) for b in bits]
        assert window.truth_table.title() == f"Truth table: {name} ({gate_bits(name)})"
        window.start()  # the run trains the function clicked
        gui.waitUntil(lambda: window.controller.state == State.FINISHED, timeout=10_000)
        reached[name] = window.last_summary.config.gate
        assert window.controller.trainer.targets.ravel().tolist() == list(bits)
    assert reached == {name: name for name in TRUTH_TABLES}


def test_a_target_click_during_a_run_does_nothing_and_says_why(make_window, gui):
    window = make_window(TrainConfig(gate="XOR", iterations=10_000_000))
    window.start()
    gui.waitUntil(lambda: window.controller.state == State.TRAINING, timeout=5000)
    with gui.assertNotEmitted(window.truth_table.target_toggled):
        click_target(gui, window, 0)
    assert window.controls.gate_combo.currentData() == "XOR" and window.truth_table.targets() == list("0110")
    tip = window.truth_table.table.item(0, window.truth_table.TARGET).toolTip()
    assert tip.startswith(LOCKED_NOTE)
    window.reset()
    gui.waitUntil(lambda: window.controller.state == State.READY, timeout=5000)
    with gui.waitSignal(window.truth_table.target_toggled, timeout=2000):
        click_target(gui, window, 0)
    assert window.controls.gate_combo.currentData() == "NAND" and window.controller.config.gate == "NAND"
    assert "Click to make this target 0" in window.truth_table.table.item(0, 2).toolTip()


# --- the app's command line -------------------------------------------------------------------------------------

def engine_args(key: str, i: int) -> list[str]:
    """Settings that use optimizer ``key`` with each option off its default, cycling through the other registries."""
    args = ["--hidden", ["4,4", "3", "5,3,2"][i % 3], "--activation", list(ACTIVATIONS)[i % len(ACTIVATIONS)],
            "--init", list(INITIALIZERS)[i % len(INITIALIZERS)], "--optimizer", key, "--weight-decay",
            format_number(0.001 * i), "--lr", "0.1" if key in ("adam", "rmsprop", "adagrad") else "1"]
    for option in OPTIMIZERS[key].options:
        args += [option.flag, format_number(option.range.clamp(option.default * 0.9))]
    return args


CASES = [["--hidden", "4,4", "--activation", "tanh", "--optimizer", "adam", "--beta1", "0.8"]]
CASES += [engine_args(key, i) for i, key in enumerate(OPTIMIZERS)]


@pytest.mark.parametrize("args", CASES, ids=["issue", *OPTIMIZERS])
def test_the_app_trains_exactly_the_settings_given_as_the_engine_does(tmp_path, args):
    report = tmp_path / "r.json"
    result = subprocess.run([sys.executable, "-m", "app", *args, "--iterations", "200", "--autostart",
                             "--exit-when-done", "--report-json", str(report)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    data = json.loads(report.read_text())
    engine = subprocess.run([sys.executable, "-m", "nn_core", "train", "--gate", "xor", "--method", "backprop",
                             *args, "--iterations", "200", "--json"], capture_output=True, text=True, timeout=120)
    assert engine.returncode == 0, engine.stderr
    expected = json.loads(engine.stdout)
    given = dict(zip(args[::2], args[1::2], strict=True))
    assert data["hidden"] == list(parse_hidden(given["--hidden"]))
    for key in ("activation", "init", "optimizer", "optimizer_options", "weight_decay", "lr"):
        assert data[key] == expected[key], key
    assert data["activation"] == given["--activation"] and data["optimizer"] == given["--optimizer"]
    options = {o.name: o.default for o in OPTIMIZERS[given["--optimizer"]].options}
    options.update({name: float(given[o.flag]) for name, (o, _owners) in optimizer_option_flags().items()
                    if o.flag in given})
    assert data["optimizer_options"] == options
    assert data["weight_decay"] == float(given.get("--weight-decay", 0))
    assert data["iterations"] == data["total_iterations"] == 200 and data["ended"] == "done"
    assert data["final_loss"] == expected["final_loss"]  # bit for bit: JSON floats round-trip


def refused_values() -> list[list[str]]:
    """A bad value of every choice and every declared option, and an option of an optimizer not chosen."""
    cases = [["--activation", "softplus"], ["--init", "zeros"], ["--optimizer", "lbfgs"], ["--weight-decay", "-1"],
             ["--hidden", "4,,4"], ["--hidden", "1,1,1,1"]]
    for option, owners in optimizer_option_flags().values():
        bad = option.range.high if option.range.high_open else option.range.high * 2 + 1
        cases.append(["--optimizer", owners[0], option.flag, format_number(bad)])
        without = next((key for key, cls in OPTIMIZERS.items() if option not in cls.options), None)
        if without is not None:
            cases.append(["--optimizer", without, option.flag, format_number(option.default)])
    return cases


@pytest.mark.parametrize("args", refused_values(), ids=" ".join)
def test_a_bad_value_exits_2_with_the_engines_line(args):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}  # a window could not even open here
    app = subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=30, env=env)
    engine = subprocess.run([sys.executable, "-m", "nn_core", "train", "--gate", "xor", "--method", "backprop", *args],
                            capture_output=True, text=True, timeout=30)
    assert app.returncode == engine.returncode == 2, app.stderr
    lines = app.stderr.strip().splitlines()
    assert len(lines) == 1 and app.stdout == "" and "Traceback" not in app.stderr
    assert lines[0].split("error: ", 1)[1] == engine.stderr.strip().split("error: ", 1)[1]


def test_the_status_line_names_every_hidden_layer(make_window):
    window = make_window(TrainConfig(hidden=(8, 4, 2), iterations=10))
    assert "8,4,2 hidden" in window.status_text()
