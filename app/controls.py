"""ControlsPanel: the settings of a run and the buttons that drive it.

It turns its widgets into a ``TrainConfig`` and an ``UpdateRate``, and enables
them to match the controller's state; the window connects the buttons.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nn_core.config import H_RANGE, MAX_HIDDEN, MAX_ITERATIONS, MAX_LR, TrainConfig
from nn_core.gates import GATES
from nn_core.methods import METHODS

from .controller import State
from .worker import UpdateRate

MAX_SEED = 2**31 - 1
RATE_BY_CLOCK = "~30/s"
RATE_BY_STEPS = "every N steps"


class ScientificSpinBox(QDoubleSpinBox):
    """A spin box for values spanning many decades (h): shown as 1e-04, stepped ×10 or ÷10."""

    def __init__(self, low: float, high: float, parent=None):
        super().__init__(parent)
        self.setDecimals(15)
        self.setRange(low, high)

    def textFromValue(self, value: float) -> str:
        return f"{value:.3g}"

    def valueFromText(self, text: str) -> float:
        return float(text)

    def validate(self, text: str, pos: int):
        try:
            value = float(text)
        except ValueError:
            return QValidator.State.Intermediate, text, pos
        ok = self.minimum() <= value <= self.maximum()
        return (QValidator.State.Acceptable if ok else QValidator.State.Intermediate), text, pos

    def stepBy(self, steps: int) -> None:
        self.setValue(min(max(self.value() * 10.0**steps, self.minimum()), self.maximum()))


def method_tooltip(key: str) -> str:
    method = METHODS[key]
    return f"{method.title}\n{method.equation}\nCost: {method.cost}"


class ControlsPanel(QGroupBox):
    def __init__(self, config: TrainConfig, rate: UpdateRate, parent=None):
        super().__init__("Network and run", parent)
        self.gate_combo = QComboBox()
        self.gate_combo.addItems(list(GATES))
        self.gate_combo.setToolTip("The logic gate the network learns")
        self.method_combo = QComboBox()
        for i, key in enumerate(METHODS):
            self.method_combo.addItem(key, key)
            self.method_combo.setItemData(i, method_tooltip(key), Qt.ItemDataRole.ToolTipRole)
        self.method_combo.currentIndexChanged.connect(self._show_method_tooltip)

        self.hidden_spin = QSpinBox()
        self.hidden_spin.setRange(1, MAX_HIDDEN)
        self.hidden_spin.setToolTip(f"Hidden units (1 to {MAX_HIDDEN})")
        self.lr_spin = QDoubleSpinBox()
        self.lr_spin.setDecimals(3)
        self.lr_spin.setRange(0.001, MAX_LR)
        self.lr_spin.setSingleStep(0.1)
        self.lr_spin.setToolTip("Learning rate: each step does p -= lr · dL/dp")
        self.h_spin = ScientificSpinBox(*H_RANGE)
        self.h_spin.setToolTip("Finite-difference step h (arrows: ×10 / ÷10). Too small and rounding error "
                               "swamps L(p+h) − L(p), worst for the forward difference; backprop ignores h.")
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, MAX_SEED)
        self.seed_spin.setToolTip("Initialisation seed: the same seed is the same starting network in every method")
        self.steps_spin = QSpinBox()
        self.steps_spin.setRange(1, MAX_ITERATIONS)
        self.steps_spin.setSingleStep(1000)
        self.steps_spin.setGroupSeparatorShown(True)
        self.steps_spin.setToolTip("Training steps in a run")

        self.rate_combo = QComboBox()
        self.rate_combo.addItems([RATE_BY_CLOCK, RATE_BY_STEPS])
        self.rate_combo.setToolTip("How often the surface is redrawn. \"every N steps\" waits for each drawing, "
                                   "as the seed's program did: at N = 1 you see what drawing costs.")
        self.rate_steps_spin = QSpinBox()
        self.rate_steps_spin.setRange(1, 1_000_000)
        self.rate_steps_spin.setValue(1000)
        self.rate_steps_spin.setPrefix("N = ")
        self.rate_combo.currentIndexChanged.connect(self._rate_mode_changed)

        self.start_button = QPushButton("Start")
        self.start_button.setToolTip("Train to the configured steps (Space)")
        self.pause_button = QPushButton("Pause")
        self.pause_button.setToolTip("Pause or resume (Space)")
        self.step_button = QPushButton("Step")
        self.step_button.setToolTip("Train exactly the chosen number of steps")
        self.step_count_spin = QSpinBox()
        self.step_count_spin.setRange(1, 1_000_000)
        self.step_count_spin.setPrefix("× ")
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip("Back to the seeded network, with the settings above (Ctrl+R)")

        form = QFormLayout()
        form.addRow("Gate", self.gate_combo)
        form.addRow("Method", self.method_combo)
        form.addRow("Hidden units", self.hidden_spin)
        form.addRow("Learning rate", self.lr_spin)
        form.addRow("h", self.h_spin)
        form.addRow("Seed", self.seed_spin)
        form.addRow("Steps", self.steps_spin)
        rate_row = QHBoxLayout()
        rate_row.addWidget(self.rate_combo, 1)
        rate_row.addWidget(self.rate_steps_spin, 1)
        rate_widget = QWidget()
        rate_widget.setLayout(rate_row)
        rate_row.setContentsMargins(0, 0, 0, 0)
        form.addRow("Surface", rate_widget)

        buttons = QGridLayout()
        buttons.addWidget(self.start_button, 0, 0)
        buttons.addWidget(self.pause_button, 0, 1)
        buttons.addWidget(self.step_button, 1, 0)
        buttons.addWidget(self.step_count_spin, 1, 1)
        buttons.addWidget(self.reset_button, 2, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)

        self.network_settings = (self.gate_combo, self.method_combo, self.hidden_spin, self.lr_spin, self.h_spin,
                                 self.seed_spin, self.steps_spin)
        self.set_config(config)
        self.set_rate(rate)

    # --- values ---------------------------------------------------------------------------

    def config(self) -> TrainConfig:
        return TrainConfig(gate=self.gate_combo.currentText(), method=self.method_combo.currentData(),
                           hidden=(self.hidden_spin.value(),), lr=self.lr_spin.value(), h=self.h_spin.value(),
                           seed=self.seed_spin.value(), iterations=self.steps_spin.value()).validated()

    def set_config(self, config: TrainConfig) -> None:
        self.gate_combo.setCurrentText(config.gate)
        self.method_combo.setCurrentIndex(self.method_combo.findData(config.method))
        self._show_method_tooltip()
        self.hidden_spin.setValue(config.hidden[0])
        self.lr_spin.setValue(config.lr)
        self.h_spin.setValue(config.h)
        self.seed_spin.setValue(config.seed)
        self.steps_spin.setValue(max(1, config.iterations))

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
        return self.step_count_spin.value()

    # --- state -----------------------------------------------------------------------------

    def set_state(self, state: State) -> None:
        idle = state in (State.READY, State.FINISHED)
        for widget in self.network_settings:
            widget.setEnabled(idle)
        self.rate_combo.setEnabled(idle)
        self.rate_steps_spin.setEnabled(idle and self.rate_combo.currentText() == RATE_BY_STEPS)
        self.start_button.setEnabled(idle)
        self.start_button.setText("Start again" if state == State.FINISHED else "Start")
        self.pause_button.setEnabled(not idle)
        self.pause_button.setText("Resume" if state == State.PAUSED else "Pause")
        # Step works from a pause (the run then waits as it is) and past the end of a finished run.
        self.step_button.setEnabled(state != State.TRAINING)
        self.step_count_spin.setEnabled(state != State.TRAINING)
        self.reset_button.setEnabled(True)

    def _rate_mode_changed(self) -> None:
        self.rate_steps_spin.setEnabled(self.rate_combo.isEnabled() and self.rate_combo.currentText() == RATE_BY_STEPS)

    def _show_method_tooltip(self) -> None:
        key = self.method_combo.currentData()
        if key:
            self.method_combo.setToolTip(method_tooltip(key))
