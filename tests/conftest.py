"""Shared set-up for the GUI tests (pytest-qt under Xvfb via pytest-xvfb).

GL widgets need shared contexts, set before pytest-qt makes the QApplication.
A paint error must fail a test: pyqtgraph catches exceptions while drawing
and only reports them ("Error while drawing item"), so the ``gui`` fixture
also fails on that text and on any Qt warning in the log.
"""

from __future__ import annotations

import pytest

from app.qt import configure_qt

configure_qt()

PAINT_ERROR = "Error while drawing item"


@pytest.fixture
def gui(qtbot, qtlog, capfd):
    """qtbot, checked afterwards: no Qt warning, no pyqtgraph paint error."""
    yield qtbot
    out, err = capfd.readouterr()
    assert PAINT_ERROR not in out + err, out + err
    assert "Traceback" not in out + err, out + err
    problems = [r.message for r in qtlog.records if r.type.name in ("QtWarningMsg", "QtCriticalMsg", "QtFatalMsg")]
    assert not problems, problems


@pytest.fixture
def make_window(gui):
    """``make_window(config=..., rate=...)``: a shown MainWindow, closed (worker stopped) at teardown."""
    from app.window import MainWindow

    windows = []

    def make(config=None, rate=None):
        from app.worker import UpdateRate
        from nn_core.config import TrainConfig

        window = MainWindow(config or TrainConfig(iterations=2000), rate or UpdateRate())
        gui.addWidget(window)
        with gui.waitExposed(window):
            window.show()
        with gui.waitActive(window):  # keyboard shortcuts need the active window
            window.activateWindow()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
        assert window.controller.closed and window.controller.thread_finished
