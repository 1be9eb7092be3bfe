"""Logging: quiet by default, debug lines with ``--verbose``, and a worker's failure logged with its traceback
while the learner sees one short line."""

from __future__ import annotations

import logging
import subprocess
import sys

import numpy as np
from PySide6.QtWidgets import QMessageBox

from app.controller import State
from nn_core import methods
from nn_core.config import TrainConfig
from nn_core.methods import METHODS, GradientMethod

RUN = [sys.executable, "-m", "app", "--iterations", "300", "--autostart", "--exit-when-done"]
PATIENCE = 180  # seconds; only a hang takes this long (a busy machine only slows the run)


def test_a_clean_run_says_nothing_on_stderr():
    result = subprocess.run(RUN, capture_output=True, text=True, timeout=PATIENCE)
    assert result.returncode == 0
    assert result.stderr == "" and result.stdout == ""


def test_verbose_prints_debug_lines_on_stderr():
    result = subprocess.run([*RUN, "--verbose"], capture_output=True, text=True, timeout=PATIENCE)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    for expected in ("DEBUG app.worker: run 1: training to step 300",
                     "DEBUG app.controller: state ready -> training",
                     "DEBUG app.worker: run 1 ended: done at step 300",
                     "DEBUG app.controller: state training -> finished",
                     "DEBUG app.controller: controller shut down"):
        assert any(line.startswith(expected) for line in lines), (expected, result.stderr)
    assert all(line.split()[0] in ("DEBUG", "INFO") for line in lines), result.stderr  # nothing went wrong
    # PyOpenGL's extension list and the trainer's per-chunk lines are held back even with --verbose.
    assert not any(line.split()[1].startswith(("OpenGL", "nn_core.trainer")) for line in lines), result.stderr


def raising_method(after: int) -> GradientMethod:
    calls = {"n": 0}

    def gradient(objective, h):
        calls["n"] += 1
        if calls["n"] > after:
            raise ArithmeticError("the test method gave up")
        return methods.backprop(objective, h)

    return GradientMethod("raising", "Raises on purpose", "-", "-", lambda p: 1, gradient)


def test_a_worker_failure_is_logged_with_its_traceback_and_shown_in_one_line(make_window, gui, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG, logger="app")
    monkeypatch.setitem(METHODS, "raising", raising_method(after=30))
    window = make_window(TrainConfig(method="raising", iterations=1000))
    with gui.waitSignal(window.controller.error, timeout=30_000) as failed:
        window.start()
    gui.waitUntil(lambda: window.controller.state == State.READY, timeout=30_000)

    message = failed.args[0]
    assert message == "ArithmeticError: the test method gave up"  # one line for the learner
    box = window.findChild(QMessageBox, "training-error")
    assert box is not None and "Traceback" not in box.text() and message in box.text()
    assert "Traceback" not in window.status_label.text() and message in window.status_label.text()
    box.close()

    failures = [r for r in caplog.records if r.name == "app.worker" and r.levelno == logging.ERROR]
    assert len(failures) == 1 and failures[0].getMessage() == "run 1 failed"
    assert failures[0].exc_info is not None and failures[0].exc_info[0] is ArithmeticError
    logged = caplog.text
    assert "Traceback (most recent call last)" in logged and "in gradient" in logged  # where it was raised
    assert "raise ArithmeticError" in logged
    assert np.isfinite(window.controller.trainer.network.params).all()
