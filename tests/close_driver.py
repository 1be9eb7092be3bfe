"""Closing ``python -m app`` mid-run in a subprocess, as a click on the window's close button would: the views'
and the lenses' ten-times-in-a-row tests share it."""

from __future__ import annotations

import subprocess
import sys

CLOSE_DRIVER = """
import sys
from PySide6.QtCore import QTimer
from app.__main__ import main
from app.qt import make_application
from app.session import State
from app.window import MainWindow

delay_ms, paused, args = int(sys.argv[1]), sys.argv[2] == "paused", sys.argv[3:]
app = make_application()
found = {}

def state_and_step(window):
    view = window.schedule_view
    if view is None:
        return window.controller.state, window.controller.trainer.iteration
    runs = window.session.runs(view)
    return runs.state, (runs.statuses[0].iteration if runs.statuses else 0)

def close(window):
    print(f"closing in {state_and_step(window)[0]} on {window.session.view} with {window.lens} in front", flush=True)
    window.close()

def poll():
    window = found.get("window")
    if window is None:
        window = next((w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()), None)
        if window is None:
            return
        found["window"] = window
    state, step = state_and_step(window)
    if paused and state == State.TRAINING and step > 0:
        window.controls.pause_button.click()
    if state == (State.PAUSED if paused else State.TRAINING) and "armed" not in found:
        found["armed"] = True
        timer.stop()
        QTimer.singleShot(delay_ms, lambda: close(window))

timer = QTimer(app)
timer.timeout.connect(poll)
timer.start(1)
sys.exit(main([*args, "--iterations", "100000000", "--autostart"]))
"""


def close_mid_run(args: list[str], delay_ms: int, paused: bool) -> subprocess.CompletedProcess:
    """Run ``python -m app *args`` training 10^8 steps, pause it first if ``paused``, and close the window
    ``delay_ms`` after it is training (or paused).  Its stdout says "closing in STATE on VIEW with LENS in front"."""
    return subprocess.run([sys.executable, "-c", CLOSE_DRIVER, str(delay_ms), "paused" if paused else "run", *args],
                          capture_output=True, text=True, timeout=300)


def assert_closed_cleanly(results, paused: bool, view: str, lens: str = "output") -> None:
    for result in results:
        assert result.returncode == 0, f"exit status {result.returncode}\n{result.stdout}\n{result.stderr[-2000:]}"
        said = f"closing in {'paused' if paused else 'training'} on {view} with {lens} in front"
        assert said in result.stdout, result.stdout
        assert result.stderr == "", result.stderr[-2000:]
