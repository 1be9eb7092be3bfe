"""ControlsPanel: the settings of a run and the buttons that drive it.

It turns its widgets into a ``TrainConfig`` and an ``UpdateRate``, and enables
them to match the controller's state; the window connects the buttons and the
panel's ``start_requested`` / ``toggle_requested`` / ``step_requested`` signals.

Every number is a ``NumberBox`` over one of ``nn_core.config``'s ranges (or an optimizer's declared option):
it holds exactly the value typed (``1e-10`` stays 1e-10), and refuses anything else visibly.  The hidden
layers are a ``HiddenBox`` (``8,4``), read with ``nn_core.config.parse_hidden`` and refused the same way.

The chapter 6 choices (activation, initialisation, optimizer and its options, weight decay) are built from
the engine's registries, so a new entry shows up here without a change; they fold away under a button.
"""

from __future__ import annotations

import decimal
import math
import numbers

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nn_core.activations import ACTIVATIONS
from nn_core.config import (
    EVERY_STEPS,
    HIDDEN,
    LR,
    MAX_LAYERS,
    MAX_SEED,
    RUN_ITERATIONS,
    SEED,
    WEIGHT_DECAY,
    H,
    Range,
    TrainConfig,
    check_hidden,
    format_number,
    parse_hidden,
)
from nn_core.engines import ENGINES, compiled_missing
from nn_core.gates import GATES, TRUTH_TABLES, canonical_gate, gate_bits
from nn_core.initializers import INITIALIZERS
from nn_core.methods import METHODS
from nn_core.optimizers import OPTIMIZERS

from . import engine_texts
from .controller import State
from .worker import UpdateRate

__all__ = ["MAX_SEED", "ControlsPanel", "HiddenBox", "NumberBox", "LOCKED_NOTE"]

translate = QCoreApplication.translate

RATE_BY_CLOCK = "~30/s"  # the surface combo's item data; its texts are translated
RATE_BY_STEPS = "every N steps"
STEP_COUNT = Range("steps to add", 1, 1_000_000, integer=True)
LOCKED_NOTE = QT_TRANSLATE_NOOP("ControlsPanel", "Locked while a run is under way: Reset to change.")  # translate() it


def locked_note() -> str:
    """LOCKED_NOTE in the interface language."""
    return translate("ControlsPanel", LOCKED_NOTE)

REFUSED_COLOUR = "#c62828"


class Refusable:
    """What a setting's box shows of itself, mixed into NumberBox and HiddenBox: its tooltip (why it is locked,
    what it sets, its rule, the last refusal) and a red frame while the last text typed was refused.  The box
    defines ``note_changed`` and ``rule_text()``, and calls ``_init_refusable`` in its ``__init__``."""

    def _init_refusable(self, tooltip: str) -> None:
        self._note = ""
        self._refused = False
        self._tooltip = tooltip
        self._locked_reason = ""
        self.setProperty("refused", False)

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
        parts = [self._locked_reason, self._tooltip, self.rule_text(), self._note]
        self.setToolTip("\n\n".join(part for part in parts if part))

    def _paint_refusal(self) -> None:
        if self._refused:  # drawn over the style's frame: a style sheet border would replace the native arrows
            painter = QPainter(self)
            painter.setPen(QPen(QColor(REFUSED_COLOUR), 2))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 2, 2)
            painter.end()


class NumberBox(QAbstractSpinBox, Refusable):
    """One number of a ``Range``, held exactly: what is typed is what ``value()`` gives.

    Text is read when it is committed (Enter, Tab, focus out, Space), not per keystroke, in any notation
    Python reads (``1e-10``, ``2e3``).  Text outside the range is refused: the box goes back to its value,
    gets a red frame, and ``note()`` / the tooltip say what was refused and the range.  Arrows step ×10 / ÷10
    for a log-scaled range and ± ``step`` otherwise (``step`` given here, exact in decimal, or the range's own);
    a step past an end stops at the end, with a note.

    Signals: ``valueChanged(value)`` when the value changes; ``entered()`` after Enter committed the text;
    ``space_pressed()`` after Space committed a complete text; ``note_changed(str)``.
    """

    valueChanged = Signal(object)  # int or float: a seed can exceed a C++ int  # noqa: N815 (Qt's name)
    entered = Signal()
    space_pressed = Signal()
    note_changed = Signal(str)

    def __init__(self, setting: Range, value, tooltip: str = "", parent=None, step: str | None = None):
        super().__init__(parent)
        self.setting = setting
        self._value = setting.check(value)
        self._step = None if step is None else decimal.Decimal(step)
        self._init_refusable(tooltip)
        self._edited = False  # the learner typed since the text last showed the value
        self.lineEdit().textEdited.connect(self._on_text_edited)
        self.setKeyboardTracking(False)
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)
        self.setAccelerated(True)
        self.lineEdit().setText(format_number(self._value))
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
        message = engine_texts.refusal(self.setting, value)
        self._set(clamped, note=translate("NumberBox", "{value} clamped to {end}: {why}").format(
            value=format_number(value), end=format_number(clamped), why=message))

    def commit(self) -> bool:
        """Read the text.  True if it now shows a value of the range (the same or a new one); False if it
        was refused (the old value is kept and shown, with the refusal in ``note()``)."""
        text = self.lineEdit().text()
        if not self._edited and text == format_number(self._value):
            return True  # nothing typed: a refusal shown stays shown
        try:
            value = self.setting.parse(text)
        except ValueError:
            self._refuse(engine_texts.refusal(self.setting, text))
            return False
        self._set(value, note="")
        return True

    # --- what the learner sees -----------------------------------------------------------------

    def rule_text(self) -> str:
        name = engine_texts.name(self.setting)
        if name[:1].isascii():  # "Learning rate"; not "Β1" for β1
            name = name[:1].upper() + name[1:]
        return translate("NumberBox", "{name}: {rule}.").format(name=name, rule=engine_texts.describe(self.setting))

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
        self._show(translate("NumberBox", "{why}; kept {value}").format(why=message, value=format_number(self._value)),
                   refused=True)

    # --- QAbstractSpinBox ------------------------------------------------------------------------

    def stepBy(self, steps: int) -> None:  # noqa: N802 (Qt's name)
        if not self.commit():
            return
        value = self._stepped(steps)
        if self.setting.contains(value):
            self._set(self.setting.check(value), note="")
        else:
            end = self.setting.check(self.setting.clamp(value))
            self._set(end, note=translate("NumberBox", "{name} stops at {end}: {rule}").format(
                name=engine_texts.name(self.setting), end=format_number(end), rule=engine_texts.describe(self.setting)))
        self.selectAll()

    def _stepped(self, steps: int):
        if self.setting.log_scale:  # exact decimal shift: 0.0001 up is 0.001, not 0.0010000000000000002
            return float(decimal.Decimal(format_number(self._value)).scaleb(steps))
        if self._step is not None:  # in decimal: 0.9 up by 0.01 is 0.91, not 0.9100000000000001
            return float(decimal.Decimal(format_number(self._value)) + steps * self._step)
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
        self._paint_refusal()

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


HIDDEN_RULE = (f"Up to {MAX_LAYERS} hidden layers of {HIDDEN.low} to {HIDDEN.high} units each, their widths "
               "separated by commas: 4, 4,4 or 8,4")  # in English; engine_texts.hidden_rule() as shown


def hidden_text(hidden: tuple[int, ...]) -> str:
    """``(8, 4)`` -> ``"8,4"``: what ``parse_hidden`` reads back."""
    return ",".join(map(str, hidden))


class HiddenBox(QLineEdit, Refusable):
    """The hidden layers' widths as text (``4``, ``8,4``), held as a tuple: ``value()`` is ``(8, 4)``.

    Text is read with ``nn_core.config.parse_hidden`` when committed (Enter, Tab, focus out), not per keystroke.
    Text it refuses (``4,,4``, ``65``, nothing) leaves the value as it was: the box shows it again with a red
    frame, and ``note()`` / the tooltip say what was refused and the rule.  Space is typed (``8, 4``), not
    Start/Pause as in a NumberBox.

    Signals: ``valueChanged(tuple)`` when the value changes; ``entered()`` after Enter committed the text;
    ``note_changed(str)``.
    """

    valueChanged = Signal(object)  # noqa: N815 (NumberBox's name)
    entered = Signal()
    note_changed = Signal(str)

    def __init__(self, hidden, tooltip: str = "", parent=None):
        super().__init__(parent)
        self._value = self._checked(hidden)
        self._init_refusable(tooltip)
        self._edited = False  # the learner typed since the text last showed the value
        self.textEdited.connect(self._on_text_edited)
        self.setText(hidden_text(self._value))
        self._update_tooltip()

    @staticmethod
    def _checked(hidden) -> tuple[int, ...]:
        hidden = tuple(hidden) if isinstance(hidden, (tuple, list)) else (hidden,)
        check_hidden(hidden)
        return tuple(HIDDEN.check(n) for n in hidden)

    def value(self) -> tuple[int, ...]:
        """The committed widths, one int per hidden layer."""
        return self._value

    def setValue(self, hidden) -> None:  # noqa: N802 (NumberBox's name)
        """Set from code: widths as a tuple (or one layer's int).  ValueError with the rule if they break it
        (nothing changes)."""
        self._set(self._checked(hidden))

    def commit(self) -> bool:
        """Read the text.  True if it now shows widths that keep the rule; False if it was refused (the old
        value is kept and shown, with the refusal in ``note()``)."""
        text = self.text()
        if not self._edited and text == hidden_text(self._value):
            return True  # nothing typed: a refusal shown stays shown
        try:
            value = parse_hidden(text)
        except ValueError:
            self._edited = False
            self.setText(hidden_text(self._value))
            self._show(translate("NumberBox", "{why}; kept {value}").format(
                why=engine_texts.hidden_refusal(text), value=hidden_text(self._value)), refused=True)
            return False
        self._set(value)
        return True

    def rule_text(self) -> str:
        return translate("NumberBox", "{rule}.").format(rule=engine_texts.hidden_rule())

    def _on_text_edited(self) -> None:
        self._edited = True

    def _set(self, value: tuple[int, ...]) -> None:
        changed = value != self._value
        self._value = value
        self._edited = False
        self.setText(hidden_text(value))
        self._show("", refused=False)
        if changed:
            self.valueChanged.emit(value)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            if self.commit():
                self.selectAll()
                self.entered.emit()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.commit()
        super().focusOutEvent(event)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().paintEvent(event)
        self._paint_refusal()


def method_tooltip(key: str) -> str:
    method = METHODS[key]
    return translate("ControlsPanel", "{title}\n{equation}\nCost: {cost}").format(
        title=engine_texts.text(method.title), equation=engine_texts.equation(method.equation),
        cost=engine_texts.text(method.cost))


# The book's names for the registries' entries, for the tooltips; an entry not listed shows its title and rule.
WEIGHT_DECAY_TIP = QT_TRANSLATE_NOOP("ControlsPanel", "Weight decay λ: the loss gains λ/2 Σ W² over the weights "
                                     "(not the biases),\nso each step also pulls every weight towards 0 by "
                                     "lr · λ · W.\nThe book's weight_decay_lambda (common/multi_layer_net.py).")


def activation_tooltip(key: str) -> str:
    entry = ACTIVATIONS[key]
    book = engine_texts.text(entry.book)
    title = translate("ControlsPanel", "{title} (hidden layers; the output unit is always a sigmoid)").format(
        title=engine_texts.text(entry.title))
    return "\n".join(part for part in (title, engine_texts.equation(entry.equation),
                                         book and book[:1].upper() + book[1:]) if part)


def init_tooltip(key: str) -> str:
    entry = INITIALIZERS[key]
    book = engine_texts.text(entry.book)
    formula = translate("ControlsPanel", "{formula}, biases 0; n_in: the layer's inputs").format(formula=entry.formula)
    return "\n".join(part for part in (engine_texts.text(entry.title), formula,
                                         book and book[:1].upper() + book[1:]) if part)


def book_call(cls) -> str:
    """``Adam(lr=0.001, beta1=0.9, beta2=0.999)``: the book's constructor with its defaults."""
    args = ", ".join(f"{name}={format_number(value)}" for name, value in
                     (("lr", cls.book_lr), *((o.name, o.default) for o in cls.options)))
    return f"{cls.__name__}({args})"


def optimizer_tooltip(key: str) -> str:
    cls = OPTIMIZERS[key]
    return translate("ControlsPanel", "{title}\n{rule}\nThe book's common/optimizer.py {call}; here η is the "
                     "learning rate above").format(title=engine_texts.text(cls.title), rule=cls.rule,
                                                   call=book_call(cls))


def option_tooltip(cls, option) -> str:
    return translate("ControlsPanel", "{help}. The book's {call}.").format(  # not capitalised: "ρ" would read as "Ρ"
        help=engine_texts.text(option.help), call=book_call(cls))


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
        super().__init__(translate("ControlsPanel", "Network and run"), parent)
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
                self.gate_combo.setItemData(i, translate("ControlsPanel", "targets for rows 00, 01, 10, 11: {bits}")
                                            .format(bits=gate_bits(name)), Qt.ItemDataRole.ToolTipRole)
        self.method_combo = QComboBox()
        for i, key in enumerate(METHODS):
            self.method_combo.addItem(key, key)
            self.method_combo.setItemData(i, method_tooltip(key), Qt.ItemDataRole.ToolTipRole)
        self.method_combo.currentIndexChanged.connect(self._update_tooltips)
        # The engine: numpy, or the compiled loops (numba), offered but not choosable where numba is missing.
        self.engine_combo = self._registry_combo(ENGINES, lambda key: engine_texts.text(ENGINES[key]))
        if compiled_missing():
            item = self.engine_combo.model().item(self.engine_combo.findData("compiled"))
            item.setEnabled(False)
            item.setToolTip(translate("ControlsPanel", "Not available: {reason}").format(
                reason=engine_texts.text(compiled_missing())))

        self.hidden_edit = HiddenBox(config.hidden, translate(
            "ControlsPanel", "Hidden layers: the units in each, input side first (the book's hidden_size_list in "
            "common/multi_layer_net.py)"))
        self.lr_spin = NumberBox(LR, config.lr, translate("ControlsPanel", "Learning rate: each step does p -= lr · "
                                                          "dL/dp (arrows: ×10 / ÷10; 1e-10 is read as typed)"))
        self.h_spin = NumberBox(H, config.h, translate(
            "ControlsPanel", "Finite-difference step h (arrows: ×10 / ÷10). Too small and rounding error swamps "
            "L(p+h) − L(p), worst for the forward difference; backprop ignores h."))
        self.seed_spin = NumberBox(SEED, config.seed, translate(
            "ControlsPanel", "Initialisation seed: the same seed is the same starting network in every method"))
        self.steps_spin = NumberBox(RUN_ITERATIONS, RUN_ITERATIONS.clamp(config.iterations),
                                    translate("ControlsPanel", "Training steps in a run (arrows: ± 1,000)"))

        self.rate_combo = QComboBox()
        self.rate_combo.addItem(RATE_BY_CLOCK, RATE_BY_CLOCK)
        self.rate_combo.setItemData(0, translate("ControlsPanel", "About 30 redraws a second by the clock: drawing "
                                                 "barely slows training"), Qt.ItemDataRole.ToolTipRole)
        self.rate_combo.addItem(translate("ControlsPanel", "every N steps"), RATE_BY_STEPS)
        self.rate_combo.setItemData(1, translate("ControlsPanel", "After every N steps, waiting for each drawing, as "
                                                 "the seed's program did: at N = 1 you see what drawing costs"),
                                    Qt.ItemDataRole.ToolTipRole)
        self.rate_combo.setToolTip(translate("ControlsPanel", "How often the surface is redrawn. \"every N steps\" "
                                             "waits for each drawing, as the seed's program did: at N = 1 you see "
                                             "what drawing costs."))
        self.rate_steps_spin = NumberBox(EVERY_STEPS, 1000, translate("ControlsPanel", "N: redraw the surface after "
                                                                                       "every N steps"))
        self.rate_combo.currentIndexChanged.connect(self._rate_mode_changed)
        self.stop_when_solved_check = QCheckBox(translate("ControlsPanel", "Stop when solved"))
        self.stop_when_solved_check.setToolTip(translate("ControlsPanel", "End the run at the first step where every "
                                                         "output is within 0.1 of its target, instead of training all "
                                                         "the steps"))

        self.start_button = QPushButton(translate("ControlsPanel", "Start"))
        self.start_button.setToolTip(translate("ControlsPanel", "Train to the configured steps (Space)"))
        self.pause_button = QPushButton(translate("ControlsPanel", "Pause"))
        self.pause_button.setToolTip(translate("ControlsPanel", "Pause or resume (Space)"))
        self.step_button = QPushButton(translate("ControlsPanel", "Step ×"))
        self.step_button.setToolTip(translate("ControlsPanel", "Train exactly the number of steps in the box beside"))
        self.step_count_spin = NumberBox(STEP_COUNT, 1, translate("ControlsPanel", "Steps that Step trains"))
        self.reset_button = QPushButton(translate("ControlsPanel", "Reset"))
        self.reset_button.setToolTip(translate("ControlsPanel", "Back to the seeded network, with the settings above "
                                                                "(Ctrl+R)"))

        # Chapter 6: how the network computes and learns, behind a button so the basic settings stay compact.
        self.activation_combo = self._registry_combo(ACTIVATIONS, activation_tooltip)
        self.init_combo = self._registry_combo(INITIALIZERS, init_tooltip)
        self.optimizer_combo = self._registry_combo(OPTIMIZERS, optimizer_tooltip)
        # Each optimizer's own options, one box per declaration; only the chosen optimizer's show.
        self.option_boxes: dict[str, dict[str, NumberBox]] = {
            key: {option.name: NumberBox(option.range, option.default, option_tooltip(cls, option), step="0.01")
                  for option in cls.options}
            for key, cls in OPTIMIZERS.items()}
        self.weight_decay_spin = NumberBox(WEIGHT_DECAY, config.weight_decay,
                                           translate("ControlsPanel", WEIGHT_DECAY_TIP), step="0.01")
        self.chapter6_button = QToolButton()
        self.chapter6_button.setText(translate("ControlsPanel", "Chapter 6"))
        self.chapter6_button.setCheckable(True)
        self.chapter6_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.chapter6_button.setAutoRaise(True)
        self.chapter6_button.setToolTip(translate("ControlsPanel", "Show or hide the book's chapter 6 choices: "
                                                  "activation, initialisation, optimizer and weight decay"))
        self.chapter6_summary = QLabel()  # the choices in a line, while they are hidden
        self.chapter6_summary.setWordWrap(True)
        self.chapter6_summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.chapter6 = QWidget()
        chapter6_form = QFormLayout(self.chapter6)
        chapter6_form.setContentsMargins(0, 0, 0, 0)
        chapter6_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        chapter6_form.addRow(translate("ControlsPanel", "Activation"), self.activation_combo)
        chapter6_form.addRow(translate("ControlsPanel", "Initialisation"), self.init_combo)
        chapter6_form.addRow(translate("ControlsPanel", "Optimizer"), self.optimizer_combo)
        for boxes in self.option_boxes.values():
            for name, box in boxes.items():
                chapter6_form.addRow(engine_texts.text(name).replace("_", " "), box)
        chapter6_form.addRow(translate("ControlsPanel", "Weight decay λ"), self.weight_decay_spin)
        self.chapter6_form = chapter6_form
        self.optimizer_combo.currentIndexChanged.connect(self._optimizer_changed)
        for combo in (self.activation_combo, self.init_combo):
            combo.currentIndexChanged.connect(self._update_tooltips)  # the chosen entry's rule on the combo
        self.chapter6_button.toggled.connect(self._show_chapter6)

        self.note_label = QLabel()
        self.note_label.setObjectName("controls-note")
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet(f"color: {REFUSED_COLOUR};")
        self.note_label.hide()

        form = QFormLayout()
        # A row whose box cannot show its longest value beside the label (the seed, in a narrow window) puts
        # the box under its label rather than cutting digits off.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(translate("ControlsPanel", "Gate"), self.gate_combo)
        form.addRow(translate("ControlsPanel", "Method"), self.method_combo)
        form.addRow(translate("ControlsPanel", "Engine"), self.engine_combo)
        form.addRow(translate("ControlsPanel", "Hidden layers"), self.hidden_edit)
        form.addRow(translate("ControlsPanel", "Learning rate"), self.lr_spin)
        form.addRow("h", self.h_spin)
        form.addRow(translate("ControlsPanel", "Seed"), self.seed_spin)
        form.addRow(translate("ControlsPanel", "Steps"), self.steps_spin)
        form.addRow(translate("ControlsPanel", "Surface"), self.rate_combo)
        form.addRow(translate("ControlsPanel", "N (steps)"), self.rate_steps_spin)
        form.addRow("", self.stop_when_solved_check)

        buttons = QGridLayout()
        buttons.addWidget(self.start_button, 0, 0)
        buttons.addWidget(self.pause_button, 0, 1)
        buttons.addWidget(self.step_button, 1, 0)
        buttons.addWidget(self.step_count_spin, 1, 1)
        buttons.addWidget(self.reset_button, 2, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.chapter6_button)
        layout.addWidget(self.chapter6_summary)
        layout.addWidget(self.chapter6)
        layout.addWidget(self.note_label)
        layout.addLayout(buttons)

        options = tuple(box for boxes in self.option_boxes.values() for box in boxes.values())
        self.network_settings = (self.gate_combo, self.method_combo, self.engine_combo, self.hidden_edit,
                                 self.lr_spin, self.h_spin, self.seed_spin, self.steps_spin, self.activation_combo,
                                 self.init_combo, self.optimizer_combo, *options, self.weight_decay_spin)
        self.number_boxes = (self.lr_spin, self.h_spin, self.seed_spin, self.steps_spin, *options,
                             self.weight_decay_spin, self.rate_steps_spin, self.step_count_spin)
        self.setting_boxes = (self.hidden_edit, *self.number_boxes)  # every box that can refuse what is typed
        for box in self.setting_boxes:
            box.note_changed.connect(self._show_notes)
            if box is not self.hidden_edit:  # Space is typed there: "8, 4"
                box.space_pressed.connect(self.toggle_requested)
            if box is self.step_count_spin:
                box.entered.connect(self._request_step)
            else:
                box.entered.connect(self._request_start)
        for widget in (self.activation_combo, self.init_combo, self.optimizer_combo, *options,
                       self.weight_decay_spin):
            signal = widget.currentIndexChanged if isinstance(widget, QComboBox) else widget.valueChanged
            signal.connect(self._show_chapter6_summary)
        self._locked = False
        self._optimizer_changed()  # the first optimizer's option rows only, before set_config picks one
        self.set_config(config)
        self.set_rate(rate)
        self._update_tooltips()
        # Open when the settings given already use chapter 6 (say ``--optimizer adam``), closed otherwise.
        self.chapter6_button.setChecked(self._chapter6_choices(self.config()) != self._chapter6_choices(
            TrainConfig().validated()))
        self._show_chapter6(self.chapter6_button.isChecked())

    @staticmethod
    def _registry_combo(registry: dict, tooltip) -> QComboBox:
        """A combo of ``registry``'s keys (item data too), each item's tooltip ``tooltip(key)``."""
        combo = QComboBox()
        for i, key in enumerate(registry):
            combo.addItem(key, key)
            combo.setItemData(i, tooltip(key), Qt.ItemDataRole.ToolTipRole)
        return combo

    # --- values ---------------------------------------------------------------------------

    def config(self) -> TrainConfig:
        """The network settings as shown, exactly (validated: canonical names)."""
        optimizer = self.optimizer_combo.currentData()
        return TrainConfig(gate=self.gate_combo.currentData(), method=self.method_combo.currentData(),
                           hidden=self.hidden_edit.value(), lr=self.lr_spin.value(), h=self.h_spin.value(),
                           seed=self.seed_spin.value(), iterations=self.steps_spin.value(),
                           activation=self.activation_combo.currentData(), init=self.init_combo.currentData(),
                           optimizer=optimizer,
                           optimizer_options=tuple((name, box.value())
                                                   for name, box in self.option_boxes[optimizer].items()),
                           weight_decay=self.weight_decay_spin.value(),
                           engine=self.engine_combo.currentData()).validated()

    def set_config(self, config: TrainConfig) -> None:
        """Show ``config`` (a valid one; ValueError otherwise).  Only ``iterations`` can be outside the window's
        range (0 steps): it shows as 1 with a note."""
        config = config.validated()  # canonical names, and every option of its optimizer
        self.gate_combo.setCurrentIndex(self.gate_combo.findData(config.gate))
        self.method_combo.setCurrentIndex(self.method_combo.findData(config.method))
        self.hidden_edit.setValue(config.hidden)
        self.lr_spin.setValue(config.lr)
        self.h_spin.setValue(config.h)
        self.seed_spin.setValue(config.seed)
        self.steps_spin.setValue(config.iterations)
        self.activation_combo.setCurrentIndex(self.activation_combo.findData(config.activation))
        self.init_combo.setCurrentIndex(self.init_combo.findData(config.init))
        self.optimizer_combo.setCurrentIndex(self.optimizer_combo.findData(config.optimizer))  # options: defaults
        for name, value in config.optimizer_options:
            self.option_boxes[config.optimizer][name].setValue(value)
        self.weight_decay_spin.setValue(config.weight_decay)
        # the compiled engine where numba is missing: numpy, as the disabled entry says
        engine = "numpy" if config.engine == "compiled" and compiled_missing() else config.engine
        self.engine_combo.setCurrentIndex(self.engine_combo.findData(engine))

    def toggle_target(self, row: int) -> None:
        """Flip the target of truth-table row ``row`` (0 to 3, rows 00, 01, 10, 11): the gate becomes the
        function with those bits.  Nothing while the settings are locked."""
        if self._locked:
            return
        bits = list(gate_bits(self.gate_combo.currentData()))
        bits[row] = "1" if bits[row] == "0" else "0"
        self.gate_combo.setCurrentIndex(self.gate_combo.findData(canonical_gate("".join(bits))))

    def rate(self) -> UpdateRate:
        if self.rate_combo.currentData() == RATE_BY_STEPS:
            return UpdateRate(every_steps=self.rate_steps_spin.value())
        return UpdateRate()

    def set_rate(self, rate: UpdateRate) -> None:
        self.rate_combo.setCurrentIndex(self.rate_combo.findData(RATE_BY_STEPS if rate.every_steps else RATE_BY_CLOCK))
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
        return [box.note() for box in self.setting_boxes if box.note() and not self._hidden_option(box)]

    def _hidden_option(self, box) -> bool:
        """An option box of an optimizer not chosen: its note is not the learner's concern now."""
        chosen = self.optimizer_combo.currentData()
        return any(box in boxes.values() for key, boxes in self.option_boxes.items() if key != chosen)

    def option_names(self) -> list[str]:
        """The names of the optimizer options shown now: the chosen optimizer's, in its declaration order."""
        return [name for name, box in self.option_boxes[self.optimizer_combo.currentData()].items()
                if box.isVisibleTo(self.chapter6)]

    # --- state -----------------------------------------------------------------------------

    def set_state(self, state: State) -> None:
        idle = state in (State.READY, State.FINISHED)
        for widget in self.network_settings:
            widget.setEnabled(idle)
        self.rate_combo.setEnabled(idle)
        self.stop_when_solved_check.setEnabled(idle)
        self.rate_steps_spin.setEnabled(idle and self.rate_combo.currentData() == RATE_BY_STEPS)
        self.start_button.setEnabled(idle)
        self.pause_button.setEnabled(not idle)
        self.pause_button.setText(translate("ControlsPanel", "Resume") if state == State.PAUSED
                                  else translate("ControlsPanel", "Pause"))
        # Step works from a pause (the run then waits as it is) and past the end of a finished run.
        self.step_button.setEnabled(state != State.TRAINING)
        self.step_count_spin.setEnabled(state != State.TRAINING)
        self.reset_button.setEnabled(True)
        self._locked = not idle
        self._update_tooltips()

    def _update_tooltips(self) -> None:
        """Each setting's own tooltip, with why it is locked first while a run is under way."""
        locked = locked_note() if self._locked else ""
        for widget in self.network_settings:
            if isinstance(widget, Refusable):
                widget.set_locked_reason(locked)
        key = self.method_combo.currentData()
        tips = {self.gate_combo: translate("ControlsPanel", "The logic gate the network learns (or click a target in "
                                                            "the truth table)"),
                self.method_combo: method_tooltip(key) if key else ""}
        for combo in (self.activation_combo, self.init_combo, self.optimizer_combo, self.engine_combo):
            tips[combo] = combo.itemData(combo.currentIndex(), Qt.ItemDataRole.ToolTipRole) or ""
        for combo, tip in tips.items():
            combo.setToolTip("\n\n".join(part for part in (locked, tip) if part))

    def _optimizer_changed(self) -> None:
        """The chosen optimizer's options show, at its defaults; no other optimizer's option reaches config()."""
        chosen = self.optimizer_combo.currentData()
        for key, boxes in self.option_boxes.items():
            for option in OPTIMIZERS[key].options:
                box = boxes[option.name]
                if key == chosen:
                    box.blockSignals(True)  # one change of settings (the combo's), not one per option
                    box.setValue(option.default)
                    box.blockSignals(False)
                self.chapter6_form.setRowVisible(box, key == chosen)
        self._show_notes()  # a refusal shown in a box just reset is gone
        self._update_tooltips()

    @staticmethod
    def _chapter6_choices(config: TrainConfig) -> tuple:
        return config.activation, config.init, config.optimizer, config.optimizer_options, config.weight_decay

    def _show_chapter6(self, shown: bool) -> None:
        self.chapter6.setVisible(shown)
        self.chapter6_button.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self._show_chapter6_summary()

    def _show_chapter6_summary(self) -> None:
        """The chapter 6 choices in a line, under the button while they are hidden."""
        optimizer = self.optimizer_combo.currentData()
        options = ", ".join(f"{name} {format_number(box.value())}"
                            for name, box in self.option_boxes[optimizer].items())
        decay = self.weight_decay_spin.value()
        optimizer_text = f"{optimizer} ({options})" if options else optimizer
        summary = (translate("ControlsPanel", "{activation}, {init} init, {optimizer}, λ {decay}") if decay
                   else translate("ControlsPanel", "{activation}, {init} init, {optimizer}"))
        self.chapter6_summary.setText(summary.format(activation=self.activation_combo.currentData(),
                                                     init=self.init_combo.currentData(), optimizer=optimizer_text,
                                                     decay=format_number(decay)))
        self.chapter6_summary.setVisible(not self.chapter6_button.isChecked())

    def _rate_mode_changed(self) -> None:
        self.rate_steps_spin.setEnabled(self.rate_combo.isEnabled() and self.rate_combo.currentData() == RATE_BY_STEPS)

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
