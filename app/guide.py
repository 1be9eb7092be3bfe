"""Placeholder for the Guide dialog (Help ▸ Guide): the translations' branch brings the real one."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox


def show_guide(parent) -> QMessageBox:
    """A short note on where the guide is, not blocking the window."""
    box = QMessageBox(QMessageBox.Icon.Information, QCoreApplication.translate("Guide", "GateLab guide"),
                      QCoreApplication.translate("Guide", "Pick a gate and a method, then press Start (Space). "
                                                 "README.md explains every control."),
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("guide")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
