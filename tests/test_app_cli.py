"""``python -m app`` as scripts use it: bad values, the --exit-when-done/--screenshot/--report-json path,
and quitting mid-run (Ctrl+C) many times in a row."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from PySide6.QtGui import QImage

APP = [sys.executable, "-m", "app"]


def run_app(*args, timeout=60):
    return subprocess.run([*APP, *args], capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("args", [
    ["--gate", "XAND"], ["--method", "magic"], ["--hidden", "0"], ["--hidden", "65"], ["--hidden", "two"],
    ["--lr", "0"], ["--lr", "nan"], ["--lr", "-1"], ["--h", "1"], ["--seed", "-1"], ["--iterations", "-5"],
    ["--iterations", "0"], ["--every-steps", "0"], ["--screenshot", "/no/such/dir/shot.png"], ["--bogus"],
])
def test_bad_values_exit_2_with_one_line_before_any_window(args):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}  # a window could not even open GL here
    result = subprocess.run([*APP, *args], capture_output=True, text=True, timeout=30, env=env)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "error" in lines[0], result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_exit_when_done_writes_the_screenshot_and_the_report(tmp_path):
    shot, report = tmp_path / "shot.png", tmp_path / "report.json"
    result = run_app("--gate", "xor", "--method", "backprop", "--iterations", "3000", "--autostart",
                     "--exit-when-done", "--screenshot", str(shot), "--report-json", str(report))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "Error while drawing item" not in result.stdout + result.stderr
    data = json.loads(report.read_text())
    for key in ("iterations", "seconds", "us_per_step", "frames", "fps", "final_loss", "solved"):
        assert key in data, key
    assert data["iterations"] == 3000 and data["solved"] is True
    assert data["seconds"] > 0 and data["us_per_step"] > 0 and data["frames"] >= 1 and data["fps"] > 0
    assert 0 < data["final_loss"] < 0.05
    image = QImage(str(shot))
    assert image.width() >= 1000 and image.height() >= 600
    assert shot.stat().st_size > 30_000  # a real window, not a blank image
    # the 3D view (dark background) is in the picture, not just the widgets around it
    dark = sum(1 for x in range(0, image.width(), 16) for y in range(0, image.height(), 16)
               if max(image.pixelColor(x, y).getRgb()[:3]) < 60)
    assert dark > 200


def quit_mid_run(index: int) -> tuple[int, str]:
    """Start a long run, wait until it trains, press Ctrl+C (SIGINT); the exit status and stderr."""
    process = subprocess.Popen([*APP, "--iterations", "100000000", "--autostart", "--verbose"],
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    lines = []
    deadline = time.monotonic() + 30
    for line in process.stderr:
        lines.append(line)
        if "state ready -> training" in line or time.monotonic() > deadline:
            break
    time.sleep(0.05 * (index % 5))  # quit at different moments of the run
    process.send_signal(signal.SIGINT)
    try:
        _, rest = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        _, rest = process.communicate()
        return -999, "".join(lines) + rest
    return process.returncode, "".join(lines) + rest


def test_quitting_mid_run_twenty_times_exits_cleanly():
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(quit_mid_run, range(20)))
    for code, stderr in results:
        assert code == 0, f"exit status {code}\n{stderr[-2000:]}"
        assert "state ready -> training" in stderr
        assert "controller shut down" in stderr
        for bad in ("Traceback", "QThread: Destroyed", "Error while drawing item", "Segmentation"):
            assert bad not in stderr, stderr[-2000:]
