"""ControlsPanel: the settings of a run and the buttons that drive it.

It turns its widgets into a ``TrainConfig`` and an ``UpdateRate``, and enables
them to match the controller's state; the window connects the buttons and the
panel's ``start_requested`` / ``toggle_requested`` / ``step_requested`` signals.

Every number is a ``NumberBox`` over one of ``nn_core.config``'s ranges: it holds
exactly the value typed (``1e-10`` stays 1e-10), and refuses anything else visibly.
"""

from __future__ import annotations

import decimal
import math
import numbers

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QStyle,
    QStyleOptionSpinBox,
    QVBoxLayout,
)

from nn_core.config import (
    EVERY_STEPS,
    HIDDEN,
    LR,
    MAX_SEED,
    RUN_ITERATIONS,
    SEED,
    H,
    Range,
    TrainConfig,
    format_number,
)
from nn_core.gates import GATES, TRUTH_TABLES, canonical_gate, gate_bits
from nn_core.methods import METHODS

from .controller import State
from .worker import UpdateRate

__all__ = ["MAX_SEED", "ControlsPanel", "NumberBox", "LOCKED_NOTE"]

RATE_BY_CLOCK = "~30/s"
RATE_BY_STEPS = "every N steps"
STEP_COUNT = Range("steps to add", 1, 1_000_000, integer=True)
LOCKED_NOTE = "Locked while a run is under way: Reset to change."
REFUSED_COLOUR = "#c62828"


class NumberBox(QAbstractSpinBox):
    """One number of a ``Range``, held exactly: what is typed is what ``value()`` gives.

    Text is read when it is committed (Enter, Tab, focus out, Space), not per keystroke, in any notation
    Python reads (``1e-10``, ``2e3``).  Text outside the range is refused: the box goes back to its value,
    gets a red frame, and ``note()`` / the tooltip say what was refused and the range.  Arrows step ×10 / ÷10
    for a log-scaled range and ± ``step`` otherwise; a step past an end stops at the end, with a note.

    Signals: ``valueChanged(value)`` when the value changes; ``entered()`` after Enter committed the text;
    ``space_pressed()`` after Space committed a complete text; ``note_changed(str)``.
    """

    valueChanged = Signal(object)  # int or float: a seed can exceed a C++ int  # noqa: N815 (Qt's name)
    entered = Signal()
    space_pressed = Signal()
    note_changed = Signal(str)

    def __init__(self, setting: Range, value, tooltip: str = "", parent=None):
        super().__init__(parent)
        self.setting = setting
        self._value = setting.check(value)
        self._note = ""
        self._refused = False
        self._tooltip = tooltip
        self._locked_reason = ""
        self._edited = False  # the learner typed since the text last showed the value
        self.lineEdit().textEdited.connect(self._on_text_edited)
        self.setKeyboardTracking(False)
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)
        self.setAccelerated(True)
        self.lineEdit().setText(format_number(self._value))
        self.setProperty("refused", False)
        self._update_tooltip()

    # --- value --------------------------------------------------------------------------------

    def value(self):
        """The committed value: an int for a whole-number range, else a float."""
        return self._value

    def setValue(self, value) -> None:  # noqa: N802 (Qt's name)
        """Set from code.  A value out of the range is clamped to it, with a note; not a number: ValueError."""
        try:
            self._set(self.setting.check(value), note="")
            return
        except ValueError as error:
            message = str(error)
        if not isinstance(value, numbers.Real) or isinstance(value, bool) or not math.isfinite(value):
            raise ValueError(message)
        clamped = self.setting.check(self.setting.clamp(value))
        self._set(clamped, note=f"{format_number(value)} clamped to {format_number(clamped)}: {message}")

    def commit(self) -> bool:
        """Read the text.  True if it now shows a value of the range (the same or a new one); False if it
        was refused (the old value is kept and shown, with the refusal in ``note()``)."""
        text = self.lineEdit().text()
        if not self._edited and text == format_number(self._value):
            return True  # nothing typed: a refusal shown stays shown
        try:
            value = self.setting.parse(text)
        except ValueError as error:
            self._refuse(str(error))
            return False
        self._set(value, note="")
        return True

    # --- what the learner sees -----------------------------------------------------------------

    def note(self) -> str:
        """The last refusal or clamp, '' when the value shown is simply what was asked for."""
        return self._note

    def refused(self) -> bool:
        """True while the box shows its red frame: the last text typed was refused."""
        return self._refused

    def set_locked_reason(self, reason: str) -> None:
        """Shown first in the tooltip ('' for none): why the box is disabled."""
        self._locked_reason = reason
        self._update_tooltip()

    def range_text(self) -> str:
        return f"{self.setting.name[:1].upper()}{self.setting.name[1:]}: {self.setting.describe()}."

    def _on_text_edited(self) -> None:
        self._edited = True

    def _set(self, value, note: str) -> None:
        changed = value != self._value
        self._value = value
        self._edited = False
        self.lineEdit().setText(format_number(value))
        self._show(note, refused=False)
        if changed:
            self.valueChanged.emit(value)

    def _refuse(self, message: str) -> None:
        self._edited = False
        self.lineEdit().setText(format_number(self._value))
        self._show(f"{message}; kept {format_number(self._value)}", refused=True)

    def _show(self, note: str, refused: bool) -> None:
        if refused != self._refused:
            self._refused = refused
            self.setProperty("refused", refused)
            self.update()  # paintEvent draws the red frame
        if note != self._note:
            self._note = note
            self._update_tooltip()
            self.note_changed.emit(note)

    def _update_tooltip(self) -> None:
        parts = [self._locked_reason, self._tooltip, self.range_text(), self._note]
        self.setToolTip("\n\n".join(part for part in parts if part))

    # --- QAbstractSpinBox ------------------------------------------------------------------------

    def stepBy(self, steps: int) -> None:  # noqa: N802 (Qt's name)
        if not self.commit():
            return
        value = self._stepped(steps)
        if self.setting.contains(value):
            self._set(self.setting.check(value), note="")
        else:
            end = self.setting.check(self.setting.clamp(value))
            self._set(end, note=f"{self.setting.name} stops at {format_number(end)}: {self.setting.describe()}")
        self.selectAll()

    def _stepped(self, steps: int):
        if self.setting.log_scale:  # exact decimal shift: 0.0001 up is 0.001, not 0.0010000000000000002
            return float(decimal.Decimal(format_number(self._value)).scaleb(steps))
        return self._value + steps * self.setting.step

    def stepEnabled(self):  # noqa: N802 (Qt's name)
        flags = QAbstractSpinBox.StepEnabledFlag.StepNone
        if self.isReadOnly() or not self.isEnabled():
            return flags
        s = self.setting
        if s.high is None or self._value < s.high:
            flags |= QAbstractSpinBox.StepEnabledFlag.StepUpEnabled
        if s.clamp(self._stepped(-1)) < self._value:
            flags |= QAbstractSpinBox.StepEnabledFlag.StepDownEnabled
        return flags

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            if self.commit():
                self.selectAll()
                self.entered.emit()
            return
        if key == Qt.Key.Key_Space and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            event.accept()  # no number has a space in it: Space is the window's Start/Pause
            if self.commit():
                self.space_pressed.emit()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.commit()
        super().focusOutEvent(event)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().paintEvent(event)
        if self._refused:  # drawn over the style's frame: a style sheet border would replace the native arrows
            painter = QPainter(self)
            painter.setPen(QPen(QColor(REFUSED_COLOUR), 2))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 2, 2)
            painter.end()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return self._hint(super().sizeHint())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return self._hint(super().minimumSizeHint())

    def _hint(self, base: QSize) -> QSize:
        """Wide enough for the range's ends as text, plus the arrows."""
        metrics = QFontMetrics(self.font())
        ends = [self.setting.low, *(() if self.setting.high is None else (self.setting.high,))]
        text = max((format_number(v) for v in ends), key=len)
        option = QStyleOptionSpinBox()
        self.initStyleOption(option)
        arrows = self.style().subControlRect(QStyle.ComplexControl.CC_SpinBox, option,
                                             QStyle.SubControl.SC_SpinBoxUp, self).width()
        width = metrics.horizontalAdvance(text + "0") + arrows + 12
        return QSize(width, base.height())


def method_tooltip(key: str) -> str:
    method = METHODS[key]
    return f"{method.title}\n{method.equation}\nCost: {method.cost}"


class ControlsPanel(QGroupBox):
    """The network settings, the run options and the buttons.

    Signals, for the window to connect: ``start_requested`` (Enter in a setting's box: the value is committed,
    Start is enabled), ``toggle_requested`` (Space in a number box whose text is complete: Start/Pause),
    ``step_requested`` (Enter in the Step × N box, Step enabled).
    """

    start_requested = Signal()
    toggle_requested = Signal()
    step_requested = Signal()

    def __init__(self, config: TrainConfig, rate: UpdateRate, parent=None):
        super().__init__("Network and run", parent)
        self.gate_combo = QComboBox()
        for name in GATES:  # the six classic gates first, then every other two-input function with its bits
            self.gate_combo.addItem(name, name)
        self.gate_combo.insertSeparator(len(GATES))
        for name in TRUTH_TABLES:
            if name not in GATES:
                self.gate_combo.addItem(name, name)
        for i in range(self.gate_combo.count()):
            name = self.gate_combo.itemData(i)
            if name:
                self.gate_combo.setItemData(i, f"targets for rows 00, 01, 10, 11: {gate_bits(name)}",
                                            Qt.ItemDataRole.ToolTipRole)
        self.method_combo = QComboBox()
        for i, key in enumerate(METHODS):
            self.method_combo.addItem(key, key)
            self.method_combo.setItemData(i, method_tooltip(key), Qt.ItemDataRole.ToolTipRole)
        self.method_combo.currentIndexChanged.connect(self._update_tooltips)

        self.hidden_spin = NumberBox(HIDDEN, config.hidden[0], "Hidden units in the network's one hidden layer")
        self.lr_spin = NumberBox(LR, config.lr, "Learning rate: each step does p -= lr · dL/dp "
                                 "(arrows: ×10 / ÷10; 1e-10 is read as typed)")
        self.h_spin = NumberBox(H, config.h, "Finite-difference step h (arrows: ×10 / ÷10). Too small and rounding "
                                "error swamps L(p+h) − L(p), worst for the forward difference; backprop ignores h.")
        self.seed_spin = NumberBox(SEED, config.seed,
                                   "Initialisation seed: the same seed is the same starting network in every method")
        self.steps_spin = NumberBox(RUN_ITERATIONS, RUN_ITERATIONS.clamp(config.iterations),
                                    "Training steps in a run (arrows: ± 1,000)")

        self.rate_combo = QComboBox()
        self.rate_combo.addItem(RATE_BY_CLOCK)
        self.rate_combo.setItemData(0, "About 30 redraws a second by the clock: drawing barely slows training",
                                    Qt.ItemDataRole.ToolTipRole)
        self.rate_combo.addItem(RATE_BY_STEPS)
        self.rate_combo.setItemData(1, "After every N steps, waiting for each drawing, as the seed's program did: "
                                    "at N = 1 you see what drawing costs", Qt.ItemDataRole.ToolTipRole)
        self.rate_combo.setToolTip("How often the surface is redrawn. \"every N steps\" waits for each drawing, "
                                   "as the seed's program did: at N = 1 you see what drawing costs.")
        self.rate_steps_spin = NumberBox(EVERY_STEPS, 1000, "N: redraw the surface after every N steps")
        self.rate_combo.currentIndexChanged.connect(self._rate_mode_changed)
        self.stop_when_solved_check = QCheckBox("Stop when solved")
        self.stop_when_solved_check.setToolTip("End the run at the first step where every output is within 0.1 "
                                               "of its target, instead of training all the steps")

        self.start_button = QPushButton("Start")
        self.start_button.setToolTip("Train to the configured steps (Space)")
        self.pause_button = QPushButton("Pause")
        self.pause_button.setToolTip("Pause or resume (Space)")
        self.step_button = QPushButton("Step ×")
        self.step_button.setToolTip("Train exactly the number of steps in the box beside")
        self.step_count_spin = NumberBox(STEP_COUNT, 1, "Steps that Step trains")
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip("Back to the seeded network, with the settings above (Ctrl+R)")

        self.note_label = QLabel()
        self.note_label.setObjectName("controls-note")
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet(f"color: {REFUSED_COLOUR};")
        self.note_label.hide()

        form = QFormLayout()
        # A row whose box cannot show its longest value beside the label (the seed, in a narrow window) puts
        # the box under its label rather than cutting digits off.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("Gate", self.gate_combo)
        form.addRow("Method", self.method_combo)
        form.addRow("Hidden units", self.hidden_spin)
        form.addRow("Learning rate", self.lr_spin)
        form.addRow("h", self.h_spin)
        form.addRow("Seed", self.seed_spin)
        form.addRow("Steps", self.steps_spin)
        form.addRow("Surface", self.rate_combo)
        form.addRow("N (steps)", self.rate_steps_spin)
        form.addRow("", self.stop_when_solved_check)

        buttons = QGridLayout()
        buttons.addWidget(self.start_button, 0, 0)
        buttons.addWidget(self.pause_button, 0, 1)
        buttons.addWidget(self.step_button, 1, 0)
        buttons.addWidget(self.step_count_spin, 1, 1)
        buttons.addWidget(self.reset_button, 2, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note_label)
        layout.addLayout(buttons)

        self.network_settings = (self.gate_combo, self.method_combo, self.hidden_spin, self.lr_spin, self.h_spin,
                                 self.seed_spin, self.steps_spin)
        self.number_boxes = (self.hidden_spin, self.lr_spin, self.h_spin, self.seed_spin, self.steps_spin,
                             self.rate_steps_spin, self.step_count_spin)
        for box in self.number_boxes:
            box.note_changed.connect(self._show_notes)
            box.space_pressed.connect(self.toggle_requested)
            if box is self.step_count_spin:
                box.entered.connect(self._request_step)
            else:
                box.entered.connect(self._request_start)
        self._locked = False
        self.set_config(config)
        self.set_rate(rate)
        self._update_tooltips()

    # --- values ---------------------------------------------------------------------------

    def config(self) -> TrainConfig:
        """The network settings as shown, exactly (validated: canonical names)."""
        return TrainConfig(gate=self.gate_combo.currentData(), method=self.method_combo.currentData(),
                           hidden=(self.hidden_spin.value(),), lr=self.lr_spin.value(), h=self.h_spin.value(),
                           seed=self.seed_spin.value(), iterations=self.steps_spin.value()).validated()

    def set_config(self, config: TrainConfig) -> None:
        """Show ``config`` (a valid one).  Only ``iterations`` can be outside the window's range (0 steps): it shows
        as 1 with a note."""
        self.gate_combo.setCurrentIndex(self.gate_combo.findData(canonical_gate(config.gate)))
        self.method_combo.setCurrentIndex(self.method_combo.findData(config.method))
        self.hidden_spin.setValue(config.hidden[0])
        self.lr_spin.setValue(config.lr)
        self.h_spin.setValue(config.h)
        self.seed_spin.setValue(config.seed)
        self.steps_spin.setValue(config.iterations)

    def rate(self) -> UpdateRate:
        if self.rate_combo.currentText() == RATE_BY_STEPS:
            return UpdateRate(every_steps=self.rate_steps_spin.value())
        return UpdateRate()

    def set_rate(self, rate: UpdateRate) -> None:
        self.rate_combo.setCurrentText(RATE_BY_STEPS if rate.every_steps else RATE_BY_CLOCK)
        if rate.every_steps:
            self.rate_steps_spin.setValue(rate.every_steps)
        self._rate_mode_changed()

    def step_count(self) -> int:
        """Steps the Step button trains (1 to 1,000,000)."""
        return self.step_count_spin.value()

    def steps_to_add(self) -> int:
        """Steps to train a finished run further ("More steps"): the Step × N box's value."""
        return self.step_count_spin.value()

    def stop_when_solved(self) -> bool:
        """The run option: end a run at its first solved step."""
        return self.stop_when_solved_check.isChecked()

    def set_stop_when_solved(self, on: bool) -> None:
        self.stop_when_solved_check.setChecked(on)

    def notes(self) -> list[str]:
        """Every refusal or clamp the boxes show now, as the note under the settings says them."""
        return [box.note() for box in self.number_boxes if box.note()]

    # --- state -----------------------------------------------------------------------------

    def set_state(self, state: State) -> None:
        idle = state in (State.READY, State.FINISHED)
        for widget in self.network_settings:
            widget.setEnabled(idle)
        self.rate_combo.setEnabled(idle)
        self.stop_when_solved_check.setEnabled(idle)
        self.rate_steps_spin.setEnabled(idle and self.rate_combo.currentText() == RATE_BY_STEPS)
        self.start_button.setEnabled(idle)
        self.pause_button.setEnabled(not idle)
        self.pause_button.setText("Resume" if state == State.PAUSED else "Pause")
        # Step works from a pause (the run then waits as it is) and past the end of a finished run.
        self.step_button.setEnabled(state != State.TRAINING)
        self.step_count_spin.setEnabled(state != State.TRAINING)
        self.reset_button.setEnabled(True)
        self._locked = not idle
        self._update_tooltips()

    def _update_tooltips(self) -> None:
        """Each setting's own tooltip, with why it is locked first while a run is under way."""
        locked = LOCKED_NOTE if self._locked else ""
        for box in (self.hidden_spin, self.lr_spin, self.h_spin, self.seed_spin, self.steps_spin):
            box.set_locked_reason(locked)
        key = self.method_combo.currentData()
        tips = {self.gate_combo: "The logic gate the network learns",
                self.method_combo: method_tooltip(key) if key else ""}
        for combo, tip in tips.items():
            combo.setToolTip("\n\n".join(part for part in (locked, tip) if part))

    def _rate_mode_changed(self) -> None:
        self.rate_steps_spin.setEnabled(self.rate_combo.isEnabled() and self.rate_combo.currentText() == RATE_BY_STEPS)

    def _show_notes(self) -> None:
        notes = self.notes()
        self.note_label.setText("\n".join(notes))
        self.note_label.setVisible(bool(notes))

    def _request_start(self) -> None:
        if self.start_button.isEnabled():
            self.start_requested.emit()

    def _request_step(self) -> None:
        if self.step_button.isEnabled():
            self.step_requested.emit()
