"""Closing the window mid-run with each lens in front exits cleanly, ten times in a row (a lens computing in the
background, or drawing a snapshot, as the window goes)."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from app.lenses import LENSES

CLOSE_DRIVER = """
import sys
from PySide6.QtCore import QTimer
from app.__main__ import main
from app.qt import make_application
from app.session import State
from app.window import MainWindow

lens, delay_ms, paused = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "paused"
app = make_application()
found = {}

def close(window):
    print(f"closing in {window.controller.state} with {window.lens} in front", flush=True)
    window.close()

def poll():
    window = found.get("window")
    if window is None:
        window = next((w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()), None)
        if window is None:
            return
        found["window"] = window
    state = window.controller.state
    if paused and state == State.TRAINING and window.controller.trainer.iteration > 0:
        window.controls.pause_button.click()
    if state == (State.PAUSED if paused else State.TRAINING) and "armed" not in found:
        found["armed"] = True
        timer.stop()
        QTimer.singleShot(delay_ms, lambda: close(window))

timer = QTimer(app)
timer.timeout.connect(poll)
timer.start(1)
sys.exit(main(["--lens", lens, "--hidden", "4,4", "--iterations", "100000000", "--autostart"]))
"""


def close_lens(lens: str, index: int, paused: bool) -> subprocess.CompletedProcess:
    delay_ms = (index * 37) % 400  # before the lens's first drawing, during one, and later
    return subprocess.run([sys.executable, "-c", CLOSE_DRIVER, lens, str(delay_ms), "paused" if paused else "run"],
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("paused", [False, True], ids=["training", "paused"])
@pytest.mark.parametrize("lens", [lens.key for lens in LENSES])
def test_closing_with_a_lens_in_front_mid_run_exits_cleanly_ten_times_in_a_row(lens, paused):
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda i: close_lens(lens, i, paused), range(10)))
    for result in results:
        assert result.returncode == 0, f"exit status {result.returncode}\n{result.stdout}\n{result.stderr[-2000:]}"
        assert f"closing in {'paused' if paused else 'training'} with {lens} in front" in result.stdout, result.stdout
        assert result.stderr == "", result.stderr[-2000:]
