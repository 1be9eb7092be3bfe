"""What the GUI tests of the settings panel share: a shown panel to type into, and typing as a learner does."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from app.controls import ControlsPanel
from app.worker import UpdateRate
from nn_core.config import TrainConfig


def shown_panel(gui, rate: UpdateRate, height: int, chapter6: bool = False) -> tuple[ControlsPanel, QWidget]:
    """A shown, active ControlsPanel (typing and Tab need the focus) with a line edit after it to Tab to, and the
    top widget holding both (keep it alive; close it after)."""
    top = QWidget()
    layout = QVBoxLayout(top)
    controls = ControlsPanel(TrainConfig(), rate)
    controls.chapter6_button.setChecked(chapter6)
    layout.addWidget(controls)
    layout.addWidget(QLineEdit())
    gui.addWidget(top)
    top.resize(300, height)
    with gui.waitExposed(top):
        top.show()
    with gui.waitActive(top):
        top.activateWindow()
    return controls, top


def type_into(gui, box, text: str, commit=Qt.Key.Key_Tab) -> None:
    """As a learner: focus the box, select its text, delete it, type ``text``, then Tab (or Enter)."""
    box.setFocus()
    gui.waitUntil(box.hasFocus, timeout=30_000)
    box.selectAll()
    gui.keyClick(box, Qt.Key.Key_Delete)
    gui.keyClicks(box, text)
    gui.keyClick(box, commit)
