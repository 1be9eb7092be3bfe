"""Stress: hundreds of rapid Start/Stop/Reset and Pause/Resume cycles through the window's buttons and
shortcuts, and closing ``python -m app`` in every state of a run, ten times each, in subprocesses."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.controller import State
from nn_core.config import TrainConfig
from nn_core.trainer import Trainer

THREAD_NAME = "gatelab-training"


def native_threads() -> list[str]:
    """Names of this process's OS threads (QThreads included, unlike threading.enumerate())."""
    names = []
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/comm") as f:
                names.append(f.read().strip())
        except FileNotFoundError:  # the thread ended while we looked
            pass
    return names


def training_threads() -> int:
    return sum(1 for name in native_threads() if THREAD_NAME.startswith(name))  # comm is cut to 15 characters


def click(gui, button, real=True):
    """A mouse click through Qt's input path, or (``real=False``) QAbstractButton.click(): the same signal
    without the ~25 ms repaint of the GL window that QTest's click waits for, so the cycles come quicker."""
    assert button.isEnabled(), button.text()
    if real:
        gui.mouseClick(button, Qt.MouseButton.LeftButton)
    else:
        button.click()


def shown_steps(window) -> int:
    return int(window.readout.text("steps").split("/")[0].replace(",", ""))


def assert_idle_and_consistent(window, state=State.READY):
    c = window.controller
    assert c.state == state and c.worker.idle and not c.trainer.paused
    assert shown_steps(window) == c.trainer.iteration
    assert window.controls.start_button.isEnabled() and not window.controls.pause_button.isEnabled()


@pytest.fixture
def no_log_errors(caplog):
    """Nothing logged at WARNING or above (e.g. "the training worker did not stop")."""
    caplog.set_level(logging.WARNING)
    yield
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text


def test_200_rapid_start_stop_reset_cycles(make_window, gui, no_log_errors):
    window = make_window(TrainConfig(iterations=10_000_000, seed=4))
    c, controls = window.controller, window.controls
    seeded = c.trainer.network.params.copy()
    gui.wait(100)  # let GL and Qt start their helper threads before counting
    python_threads, os_threads = threading.active_count(), len(native_threads())
    assert training_threads() == 1
    started = time.perf_counter()
    trained = 0
    for i in range(200):
        real = i % 5 == 0  # every fifth cycle by mouse, the rest by button.click()
        click(gui, controls.start_button, real)
        assert c.state == State.TRAINING and not controls.start_button.isEnabled()
        if i % 10 == 1:  # now and then let the run train, snapshots arrive and the window repaint
            gui.waitUntil(lambda: c.trainer.iteration > 0, timeout=5000)
        elif i % 10 == 6:
            QApplication.processEvents()
        c.stop()  # there is no Stop button: the window stops a run only by Reset or closing
        assert_idle_and_consistent(window)
        trained = max(trained, c.trainer.iteration)
        click(gui, controls.start_button, real)  # continues from where it stopped
        if i % 10 == 3:
            QApplication.processEvents()
        if i % 3:
            click(gui, controls.reset_button, real)
        else:
            gui.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
        assert_idle_and_consistent(window)
        assert c.trainer.iteration == 0
    seconds = time.perf_counter() - started
    np.testing.assert_array_equal(c.trainer.network.params, seeded)
    assert trained > 0  # the runs really trained between the clicks
    assert threading.active_count() == python_threads
    assert training_threads() == 1 and len(native_threads()) <= os_threads  # Qt's pooled threads may expire
    print(f"200 Start/Stop/Start/Reset cycles in {seconds:.2f} s")

    window.close()
    assert c.thread_finished
    gui.waitUntil(lambda: training_threads() == 0, timeout=2000)  # the OS thread exits just after QThread's run


def test_100_pause_resume_cycles_by_button_and_space(make_window, gui, no_log_errors):
    window = make_window(TrainConfig(iterations=10_000_000))
    c, controls = window.controller, window.controls
    gui.wait(100)
    python_threads, os_threads = threading.active_count(), len(native_threads())
    click(gui, controls.start_button)
    gui.waitUntil(lambda: c.trainer.iteration > 0, timeout=5000)
    started = time.perf_counter()
    for i in range(100):
        if i % 2:
            click(gui, controls.pause_button, real=i % 3 == 0)
        else:
            gui.keyClick(window, Qt.Key.Key_Space)
        assert c.state == State.PAUSED and c.trainer.paused and controls.pause_button.text() == "Resume"
        assert not controls.start_button.isEnabled() and controls.step_button.isEnabled()  # Step works from a pause
        if i % 5 == 0:
            gui.wait(1)
        if i % 2:
            gui.keyClick(window, Qt.Key.Key_Space)
        else:
            click(gui, controls.pause_button, real=i % 3 == 0)
        assert c.state == State.TRAINING and not c.trainer.paused and controls.pause_button.text() == "Pause"
    seconds = time.perf_counter() - started
    at = c.trainer.iteration
    gui.waitUntil(lambda: c.trainer.iteration > at, timeout=5000)  # still training after all that

    click(gui, controls.pause_button)
    gui.wait(60)  # the pause takes effect within 50 ms
    paused_at = c.trainer.iteration
    gui.wait(200)
    assert c.trainer.iteration == paused_at and c.state == State.PAUSED
    c.stop()
    assert_idle_and_consistent(window)
    assert c.trainer.iteration == paused_at
    assert threading.active_count() == python_threads
    assert training_threads() == 1 and len(native_threads()) <= os_threads
    print(f"100 Pause/Resume cycles in {seconds:.2f} s")

    # The network after all those pauses is exactly the one the engine reaches in as many plain steps.
    headless = Trainer(c.config)
    for _ in range(paused_at):
        headless.step()
    np.testing.assert_array_equal(c.trainer.network.params, headless.network.params)


# --- closing python -m app in each state of a run, in subprocesses -------------------------------------------

# Runs ``python -m app`` itself (app.__main__.main), and from a timer in its event loop puts the window into a
# state and closes it, as a user's click on the window's close button would.  Prints what it did.
DRIVER = r"""
import sys
from PySide6.QtCore import QTimer
from app.__main__ import main
from app.controller import State
from app.qt import make_application
from app.window import MainWindow

case, delay_ms = sys.argv[1], int(sys.argv[2])
app = make_application()
found = {}

def close(window):
    c = window.controller
    print(f"closing in {c.state} at step {c.trainer.iteration}", flush=True)
    window.close()

def poll():
    window = found.get("window")
    if window is None:
        window = next((w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()), None)
        if window is None:
            return
        found["window"] = window
        if case == "finish":
            window.controller.run_finished.connect(lambda summary: close(window))
            timer.stop()
            return
        if case == "step":
            window.controls.step_count_spin.setValue(1_000_000)
            window.controls.step_button.click()
    c = window.controller
    if case == "pause" and c.state == State.TRAINING and c.trainer.iteration > 0:
        window.controls.pause_button.click()
    if c.state == (State.PAUSED if case == "pause" else State.TRAINING) and "armed" not in found:
        found["armed"] = True
        timer.stop()
        QTimer.singleShot(delay_ms, lambda: close(window))

timer = QTimer(app)
timer.timeout.connect(poll)
timer.start(1)
args = ["--iterations", "300" if case == "finish" else "100000000"]
sys.exit(main(args if case == "step" else [*args, "--autostart"]))
"""

CLOSE_CASES = {"start": "training", "pause": "paused", "step": "training", "finish": "finished"}
REPEATS = 10


def close_in(case: str, index: int) -> tuple[int, str, str, float]:
    started = time.perf_counter()
    delay_ms = (index * 7) % 50  # close at different moments: before the first snapshot, and later
    result = subprocess.run([sys.executable, "-c", DRIVER, case, str(delay_ms)], capture_output=True, text=True,
                            timeout=60)
    return result.returncode, result.stdout, result.stderr, time.perf_counter() - started


@pytest.mark.parametrize("case", list(CLOSE_CASES))
def test_closing_the_window_in_each_state_exits_cleanly_every_time(case):
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda i: close_in(case, i), range(REPEATS)))
    for code, out, err, seconds in results:
        assert code == 0, f"exit status {code}\n{out}\n{err[-2000:]}"
        assert f"closing in {CLOSE_CASES[case]}" in out, out
        for bad in ("QThread: Destroyed while thread is still running", "Traceback", "Error while drawing item"):
            assert bad not in err, err[-2000:]
        assert err == "", err[-2000:]  # quiet by default: a clean run says nothing on stderr
        assert seconds < 30
    print(f"{case}: {REPEATS} closes, slowest process {max(r[3] for r in results):.2f} s")
