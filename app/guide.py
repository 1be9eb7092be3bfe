"""The Guide (Help ▸ Guide) and the panels' "What's this?" texts, in the interface language.

The Guide is one HTML document per language, ``app/i18n/guide_en.html`` and ``guide_ja.html`` (package data),
shown in a non-modal dialog: one per parent window, raised again when asked for twice.
"""

from __future__ import annotations

from importlib import resources

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWhatsThis

from . import i18n

translate = QCoreApplication.translate
GUIDE = "guide_{language}.html"  # in app/i18n


def guide_html(language: str | None = None) -> str:
    """The Guide as HTML, in ``language`` (default: the interface language); English when there is none."""
    folder = resources.files("app") / "i18n"
    page = folder / GUIDE.format(language=language or i18n.current_language())
    if not page.is_file():
        page = folder / GUIDE.format(language="en")
    return page.read_text(encoding="utf-8")


class GuideDialog(QDialog):
    """The Guide: a scrolling page and a Close button; non-modal, so the window stays usable beside it."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("guide")
        self.setWindowTitle(translate("GuideDialog", "GateLab guide"))
        self.setModal(False)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setHtml(guide_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)  # Qt's own text: 閉じる in Japanese
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(640, 600)


def show_guide(parent=None) -> GuideDialog:
    """Show the Guide beside ``parent`` (the main window), making it the first time; the same dialog after."""
    dialog = getattr(parent, "_guide_dialog", None) if parent is not None else None
    if dialog is None:
        dialog = GuideDialog(parent)
        if parent is not None:
            parent._guide_dialog = dialog
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def whats_this_texts() -> dict[str, str]:
    """The "What's this?" text of each panel of the main window, by the window's attribute name."""
    return {
        "controls": translate(
            "Guide", "<b>Network and run</b>: the logic gate to learn, how the gradient is computed (numerical "
            "differentiation or backpropagation), the hidden layers, the learning rate, h, the seed and the steps of "
            "a run. <b>Chapter 6</b> holds the activation function, the initial weights, the optimizer and weight "
            "decay. Start, Pause, Step × N and Reset drive the run."),
        "truth_table": translate(
            "Guide", "<b>Truth table</b>: the four input rows, their targets, the network's output and ✓ when it is "
            "within 0.1 of its target. Click a target to flip it and learn another function."),
        "surface_view": translate(
            "Guide", "<b>3D surface</b>: the network's output y over the unit square (x1, x2), coloured by height; the "
            "markers are the targets. Drag to rotate, scroll to zoom, double-click to frame the scene again."),
        "loss_curve": translate(
            "Guide", "<b>Loss curve</b>: the loss (binary cross-entropy over the four rows) against the step, on a log "
            "scale. Zoom with the mouse; the \"A\" button follows the run again."),
        "readout": translate(
            "Guide", "<b>Timing</b>: elapsed time, steps per second, compute µs/step (gradient and update only), wall "
            "µs/step (drawing included) and the share of the time spent drawing: the seed's experiment, live."),
        "history": translate(
            "Guide", "<b>Finished runs</b>: one row per run, to compare methods and settings. Click a header to sort; "
            "right-click to copy the table as CSV or Markdown."),
    }


def describe_panels(window) -> None:
    """Give each panel of ``window`` (a MainWindow) its "What's this?" text, and the window the Shift+F1 action
    that asks for it (Qt's own, with Qt's translated text)."""
    for name, text in whats_this_texts().items():
        getattr(window, name).setWhatsThis(text)
    action = QWhatsThis.createAction(window)
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    window.addAction(action)
    window.whats_this_action = action
