"""PaceBox: how fast a run goes on screen, full speed (the timing experiment) or a number of steps a second."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox

translate = QCoreApplication.translate

PRESETS = (1, 10, 100, 1_000, 10_000, 100_000)  # steps per second


class PaceBox(QComboBox):
    """Full speed, or one of PRESETS steps per second (a pace given on the command line is added to them).
    ``pace_chosen`` gives the pace: a float, or None for full speed."""

    pace_chosen = Signal(object)

    def __init__(self, pace: float | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("pace")
        self.addItem(translate("PaceBox", "full speed"), None)
        for steps in PRESETS:
            self._add(float(steps))
        self.setToolTip(translate("PaceBox", "How fast the run goes on screen: full speed (the timing experiment), "
                                  "or at most this many steps a second, so that a fast method's run can be "
                                  "watched. The µs per step shown stays the method's own compute time."))
        self.set_pace(pace)
        self.currentIndexChanged.connect(lambda _index: self.pace_chosen.emit(self.pace()))

    def _add(self, steps: float) -> int:
        text = translate("PaceBox", "1 step/s") if steps == 1 else translate("PaceBox", "{steps} steps/s").format(
            steps=f"{steps:,.10g}")
        self.addItem(text, steps)
        return self.count() - 1

    def pace(self) -> float | None:
        return self.currentData()

    def set_pace(self, pace: float | None) -> None:
        """Show ``pace`` (added as an entry if it is not one), without emitting ``pace_chosen``."""
        index = self.findData(pace) if pace is not None else 0
        if index < 0:
            index = self._add(float(pace))
        blocked = self.blockSignals(True)
        self.setCurrentIndex(index)
        self.blockSignals(blocked)
