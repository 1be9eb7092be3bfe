"""The replay timeline: a play/pause button, a slider over a run's kept steps and the step it shows.

The slider's value is an index into the kept steps (``nn_core.replay.KeptSteps``), not a step number: the kept
steps are dense early and spaced out later, so equal slider distances are equal numbers of kept states.  The
widget holds only the steps; the window shows the state recorded at ``moved``'s step (``nn_core.replay``).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QStyle, QToolButton, QWidget

from . import formatting

translate = QCoreApplication.translate

PLAY_SECONDS = 10.0  # playing goes through the whole log in about this long ...
MIN_TICK_MS = 16  # ... one kept step per tick, at most ~60 a second (a longer log moves several a tick) ...
MAX_TICK_MS = 250  # ... and at least 4 a second (a log of under 40 steps plays in less than PLAY_SECONDS)


class Timeline(QWidget):
    """A play/pause button, a slider over the recorded steps (value: index into them) and "step N of T".

    ``moved(step)`` (a Python int) when the user moves the slider (drag, click, keys: arrows, Page Up/Down,
    Home/End) and at each step while playing.  Playing goes through the rest of the log, ``play_seconds`` for
    the whole of it (``PLAY_SECONDS``; one to several indices a tick, ticks every ``MIN_TICK_MS`` to
    ``MAX_TICK_MS``), from the start when already at the end, and stops at the end.
    ``set_enabled_for_replay(False)`` while a run trains (the views show live data then).
    """

    moved = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.play_seconds = PLAY_SECONDS
        self._steps = np.zeros(0, dtype=np.int64)
        self._total = 0
        self._stride = 1  # indices per tick while playing

        self.play_button = QToolButton(self)
        self.play_button.setAutoRaise(True)
        self.play_button.clicked.connect(self.toggle_play)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(0, 0)
        self.slider.setPageStep(10)
        self.slider.valueChanged.connect(self._on_value)
        self.slider.setToolTip(translate(
            "Timeline", "Move through the run's kept steps: every step early on, then further apart.\n"
                        "Arrow keys: one kept step; Page Up/Down: ten; Home: the first; End: the latest."))
        self.slider.setAccessibleName(translate("Timeline", "Replay position"))
        self.label = QLabel(self)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setAccessibleName(translate("Timeline", "Step shown"))
        self.setAccessibleName(translate("Timeline", "Replay timeline"))

        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)

        # Home and End from anywhere in the widget (the slider handles them itself when it has the focus).
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for key, slot in ((Qt.Key.Key_Home, self.go_to_start), (Qt.Key.Key_End, self.go_to_end)):
            shortcut = QShortcut(QKeySequence(key), self, context=context)
            shortcut.activated.connect(slot)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.play_button)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)
        self._show_play_state()
        self._update_label()
        self.set_enabled_for_replay(False)

    # --- what the window calls ------------------------------------------------------------------------

    def set_steps(self, steps, total: int) -> None:
        """The recorded steps (increasing ints) and the run's total.  The slider stays on the step it showed if
        that step is still recorded, else (or if it was at the end) goes to the last one; ``moved`` is emitted,
        when enabled for replay, only if the step shown changes."""
        before = self.position_step
        at_end = self.slider.value() == self.slider.maximum()
        steps = np.asarray(steps, dtype=np.int64).ravel()
        self._steps = steps.copy()
        self._total = int(total)
        index = len(steps) - 1
        if before is not None and not at_end:
            found = int(np.searchsorted(steps, before))
            if found < len(steps) and steps[found] == before:
                index = found
        self.slider.blockSignals(True)
        try:
            self.slider.setRange(0, max(0, len(steps) - 1))
            self.slider.setValue(max(0, index))
        finally:
            self.slider.blockSignals(False)
        self._update_label()
        self._update_enabled()
        if len(steps) < 2:
            self.stop()
        if self.position_step != before and self.position_step is not None and self.isEnabled():
            self.moved.emit(self.position_step)

    def set_enabled_for_replay(self, enabled: bool) -> None:
        """Enabled during a pause or after a run; disabled (playing stopped) while a run trains."""
        if not enabled:
            self.stop()
        self.setEnabled(enabled)
        self._update_enabled()

    @property
    def steps(self) -> np.ndarray:
        return self._steps.copy()

    @property
    def position_step(self) -> int | None:
        """The step the slider is on, None when no step is recorded."""
        return int(self._steps[self.slider.value()]) if len(self._steps) else None

    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    def go_to_end(self) -> None:
        """To the last recorded step (``moved`` if the slider moves)."""
        self.slider.setValue(self.slider.maximum())

    def go_to_start(self) -> None:
        self.slider.setValue(self.slider.minimum())

    def toggle_play(self) -> None:
        if self.playing:
            self.stop()
        else:
            self.play()

    def play(self) -> None:
        """Play from here (from the start when at the end) to the end, then stop."""
        count = len(self._steps)
        if count < 2 or not self.isEnabled():
            return
        if self.slider.value() == self.slider.maximum():
            self.slider.setValue(0)
        seconds_per_index = self.play_seconds / (count - 1)
        interval = min(MAX_TICK_MS, max(MIN_TICK_MS, round(1000 * seconds_per_index)))
        self._stride = max(1, round(interval / (1000 * seconds_per_index)))
        self.timer.start(interval)
        self._show_play_state()

    def stop(self) -> None:
        """Stop playing (the slider stays where it is)."""
        self.timer.stop()
        self._show_play_state()

    # --- inside -----------------------------------------------------------------------------------------

    def _tick(self) -> None:
        self.slider.setValue(min(self.slider.value() + self._stride, self.slider.maximum()))
        if self.slider.value() >= self.slider.maximum():
            self.stop()

    def _on_value(self, _index: int) -> None:
        self._update_label()
        if self.position_step is not None and self.isEnabled():  # disabled: the views show live data
            self.moved.emit(self.position_step)

    def _update_label(self) -> None:
        step = self.position_step
        if step is None:
            self.label.setText(translate("Timeline", "No step kept yet"))
        else:
            text = translate("Timeline", "step {step} of {total}")
            total = formatting.count(self._total)
            # As wide as the widest it will be, so the slider does not change length while playing.
            widest = self.label.fontMetrics().horizontalAdvance(text.format(step=total, total=total))
            self.label.setMinimumWidth(widest + 4)
            self.label.setText(text.format(step=formatting.count(step), total=total))

    def _update_enabled(self) -> None:
        self.play_button.setEnabled(len(self._steps) >= 2)
        self.slider.setEnabled(len(self._steps) >= 2)
        if self.isEnabled():
            self.setToolTip("")
        else:
            self.setToolTip(translate("Timeline", "Replay is available when the run is paused or has finished."))

    def _show_play_state(self) -> None:
        style = self.style()
        if self.playing:
            self.play_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaPause))
            self.play_button.setToolTip(translate("Timeline", "Pause the replay"))
            self.play_button.setAccessibleName(translate("Timeline", "Pause the replay"))
        else:
            self.play_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
            self.play_button.setToolTip(translate(
                "Timeline", "Play the kept steps from here to the end (the whole run in about {seconds} s)").format(
                seconds=f"{self.play_seconds:g}"))
            self.play_button.setAccessibleName(translate("Timeline", "Play the replay"))
