"""Shared set-up for the GUI tests (pytest-qt under Xvfb via pytest-xvfb).

GL widgets need shared contexts, and LiveView's tests Qt's plain event loop, set before pytest-qt makes the
QApplication.
A paint error must fail a test: pyqtgraph catches exceptions while drawing
and only reports them ("Error while drawing item"), so the ``gui`` fixture
also fails on that text and on any Qt warning in the log.

The machine running the tests may be busy: a test waits for a condition
(``gui.waitUntil(..., timeout=30_000)``, which ends as soon as it holds),
never a fixed time in the hope that something has happened by then, and
asserts what happened, not how fast.
"""

from __future__ import annotations

import os

import pytest

from app.liveview import PLAIN_EVENT_LOOP
from app.qt import configure_qt

configure_qt()
os.environ.setdefault(*PLAIN_EVENT_LOOP)  # the event loop a LiveView follows, as LiveView.install() chooses it

PAINT_ERROR = "Error while drawing item"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory, monkeypatch):
    """Every test reads and writes its own settings file, in a folder of its own (not in tmp_path, whose files
    some tests list), never the user's: app.settings opens an INI file in the user scope, whose folder this
    moves, for this process and, through the environment, for the ``python -m app`` it starts.  Yields it."""
    from PySide6.QtCore import QSettings

    folder = tmp_path_factory.mktemp("settings")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))  # where Qt puts user settings on Linux and BSD
    monkeypatch.setenv("APPDATA", str(folder))  # and on Windows
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
    yield folder


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


@pytest.fixture
def note_pauses():
    """``note_pauses(trainer) -> list``: wraps ``trainer.run`` so that each pause that takes effect (Trainer.run's
    ``on_pause``, called in the worker just before it waits) appends the step it stopped at.  After an entry
    appears the trainer takes no step until resumed: a test waits for it rather than sleeping "long enough"."""

    def note(trainer) -> list[int]:
        taken: list[int] = []
        run = trainer.run

        def run_noting_pauses(*args, on_pause=None, **kwargs):
            def paused():
                if on_pause is not None:
                    on_pause()
                taken.append(trainer.iteration)

            return run(*args, on_pause=paused, **kwargs)

        trainer.run = run_noting_pauses
        return taken

    return note
