"""The QApplication, set up the way GateLab's GL views need it."""

from __future__ import annotations

import signal

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QApplication

from . import i18n
from .gl_platform import StartupError, check_display, choose_pyopengl_platform, release_display

__all__ = ["StartupError", "configure_qt", "make_application", "quit_on_sigint"]


def configure_qt() -> None:
    """Call before the QApplication exists: GL widgets must share one context, or a second fails (GL error
    1281)."""
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


def make_application(argv=None, language: str | None = None, live=None) -> QApplication:
    """The QApplication (made once), with PyOpenGL set to use the OpenGL API of Qt's context, and the interface
    language installed (i18n.py): ``language`` (``en``/``ja``, the ``--lang`` flag) or, when the application is
    made here, the ``ui/language`` setting or the system locale.  Widgets built after this speak it.

    Call it before anything imports PyOpenGL (``OpenGL``, ``pyqtgraph.opengl``; ``app.surface_view`` imports
    them only when a SurfaceView is built).  Raises StartupError (one sentence) when GateLab cannot run here:
    no display to open, or no OpenGL context to be had (gl_platform.py).

    ``live``: the application's LiveView (app/liveview.py), installed here, before the QApplication and its
    threads exist when it is made here; the caller restores it when the application ends.
    """
    app = QApplication.instance()
    if app is None:
        check_display()
        configure_qt()
        if live is not None:
            live.install()
        try:
            app = QApplication(argv or ["gatelab"])
        finally:
            release_display()
        app.setApplicationName("GateLab")
        app.setDesktopFileName("gatelab")
        i18n.install(app, i18n.choose_language(language))
    else:
        if live is not None:
            live.install()
        if language is not None:
            i18n.install(app, i18n.choose_language(language))
    choose_pyopengl_platform()
    return app


def quit_on_sigint(app: QApplication, window) -> None:
    """Ctrl+C in the terminal closes the window (stopping the worker) and quits.

    Python runs signal handlers only when it has control, so a timer hands it
    control a few times a second while Qt's loop waits.  The handler may run
    in the middle of any Python code of the GUI thread (a paint, a slot holding
    a lock), so it only posts the close to the event loop.
    """
    def handle(_signum, _frame):
        QTimer.singleShot(0, window.close_now)  # no "are you sure?": the terminal asked to quit

    signal.signal(signal.SIGINT, handle)
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(200)
