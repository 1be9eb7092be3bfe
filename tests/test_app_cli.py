"""``python -m app`` as scripts use it: bad values, the --exit-when-done/--screenshot/--report-json path, exact
values reaching the engine, a window that cannot be built, and quitting mid-run (Ctrl+C) many times in a row."""

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


def run_app(*args, timeout=180):
    return subprocess.run([*APP, *args], capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("args", [
    ["--gate", "XAND"], ["--method", "magic"], ["--hidden", "0"], ["--hidden", "65"], ["--hidden", "two"],
    ["--lr", "0"], ["--lr", "nan"], ["--lr", "-1"], ["--h", "1"], ["--seed", "-1"], ["--iterations", "-5"],
    ["--iterations", "0"], ["--every-steps", "0"], ["--screenshot", "/no/such/dir/shot.png"], ["--bogus"],
    ["--seed", "9223372036854775808"], ["--seed", "1.5"], ["--lr", "1e7"], ["--lr", "abc"], ["--h", "1e-13"],
    ["--iterations", "1e10"], ["--every-steps", "1000001"], ["--hidden", "1e3"],
])
def test_bad_values_exit_2_with_one_line_before_any_window(args):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}  # a window could not even open GL here
    result = subprocess.run([*APP, *args], capture_output=True, text=True, timeout=30, env=env)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "error" in lines[0], result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def error_line(result) -> str:
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    return result.stderr.strip().split("error: ", 1)[1]


def app_error(*args) -> str:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return error_line(subprocess.run([*APP, *args], capture_output=True, text=True, timeout=30, env=env))


def test_one_message_per_rule():
    rule = "iterations must be a whole number from 1 to 1000000000"
    assert app_error("--iterations", "0") == f"argument --iterations: {rule}, got 0"
    assert app_error("--iterations", "-5") == f"argument --iterations: {rule}, got -5"
    assert app_error("--iterations", "many") == f"argument --iterations: {rule}, got 'many'"


@pytest.mark.parametrize(("option", "value"), [
    ("--hidden", "65"), ("--lr", "-1"), ("--lr", "10000000"), ("--h", "1e-13"),
    ("--seed", "-1"), ("--seed", "9223372036854775808"),
])
def test_both_command_lines_say_the_same(option, value):
    engine = subprocess.run([sys.executable, "-m", "nn_core", "train", "--gate", "xor", "--method", "backprop",
                             option, value], capture_output=True, text=True, timeout=120)
    assert app_error(option, value) == error_line(engine)


@pytest.mark.parametrize("values", [
    ["--lr", "0.0001", "--iterations", "2000", "--seed", "2147483648", "--method", "forward", "--h", "1e-12"],
    ["--lr", "1e-10", "--iterations", "300", "--seed", "9223372036854775807", "--hidden", "7"],  # the book's tiny lr
], ids=["lr1e-4-seed2**31-forward-h1e-12", "lr1e-10-max-seed"])
def test_the_window_trains_with_exactly_the_values_given(tmp_path, values):
    report = tmp_path / "r.json"
    result = run_app(*values, "--gate", "nand", "--every-steps", "50", "--autostart", "--exit-when-done",
                     "--report-json", str(report))
    assert result.returncode == 0, result.stderr
    for bad in ("Traceback", "QThread", "Error while drawing item"):
        assert bad not in result.stderr
    data = json.loads(report.read_text())
    given = dict(zip(values[::2], values[1::2], strict=True))
    assert data["lr"] == float(given["--lr"]) and data["seed"] == int(given["--seed"])
    assert data["h"] == float(given.get("--h", "1e-4")) and data["hidden"] == [int(given.get("--hidden", "4"))]
    assert data["gate"] == "NAND" and data["method"] == given.get("--method", "backprop")
    assert data["total_iterations"] == data["iterations"] == int(given["--iterations"])
    assert data["every_steps"] == 50 and data["ended"] == "done"
    same = [part for option, value in given.items() if option != "--method" for part in (option, value)]
    engine = subprocess.run([sys.executable, "-m", "nn_core", "train", "--gate", "nand", "--method", data["method"],
                             *same, "--json"], capture_output=True, text=True, timeout=120)
    assert engine.returncode == 0, engine.stderr
    assert json.loads(engine.stdout)["final_loss"] == data["final_loss"]  # bit for bit: JSON floats round-trip


WRAPPER = """
import sys
import app.qt
import app.window
{patch}
from app.__main__ import main
sys.exit(main(["--iterations", "100", "--autostart"]))
"""


AFTER_INIT = """
original = app.window.MainWindow.__init__
def broken(self, *args, **kwargs):
    original(self, *args, **kwargs)  # the controller and its training thread exist by now
    raise RuntimeError("no room for the surface\\n(a second line)")
app.window.MainWindow.__init__ = broken
"""
# Half-built: MainWindow makes its controller (and thread) before the controls.
IN_CONTROLS = """
import app.controls
def broken(self, *args, **kwargs):
    raise RuntimeError("no room for the surface\\n(a second line)")
app.controls.ControlsPanel.__init__ = broken
"""


@pytest.mark.parametrize("patch", [AFTER_INIT, IN_CONTROLS], ids=["after-init", "half-built"])
def test_a_window_that_fails_to_build_ends_with_one_line_and_its_thread_stopped(patch):
    result = subprocess.run([sys.executable, "-c", WRAPPER.format(patch=patch)], capture_output=True, text=True,
                            timeout=180)
    assert result.returncode == 1, (result.returncode, result.stderr)  # not 134 / -6: no abort
    assert result.stderr == "gatelab: could not open the window: no room for the surface (a second line)\n"


def test_a_startup_error_is_one_line():
    patch = """
def no_display(argv=None, language=None, live=None):
    raise app.qt.StartupError("no display: set DISPLAY or run under xvfb-run")
app.qt.make_application = no_display
"""
    result = subprocess.run([sys.executable, "-c", WRAPPER.format(patch=patch)], capture_output=True, text=True,
                            timeout=180)
    assert (result.returncode, result.stderr) == (1, "gatelab: no display: set DISPLAY or run under xvfb-run\n")


def test_exit_when_done_writes_the_screenshot_and_the_report(tmp_path):
    shot, report = tmp_path / "shot.png", tmp_path / "report.json"
    result = run_app("--gate", "xor", "--method", "backprop", "--iterations", "3000", "--autostart",
                     "--exit-when-done", "--screenshot", str(shot), "--report-json", str(report))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "Error while drawing item" not in result.stdout + result.stderr
    data = json.loads(report.read_text())
    for key in ("iterations", "seconds", "us_per_step", "frames", "fps", "final_loss", "solved", "gate", "method",
                "hidden", "lr", "h", "seed", "total_iterations", "every_steps", "redraws_per_second", "ended"):
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
    deadline = time.monotonic() + 120
    for line in process.stderr:
        lines.append(line)
        if "state ready -> training" in line or time.monotonic() > deadline:
            break
    time.sleep(0.05 * (index % 5))  # quit at different moments of the run
    process.send_signal(signal.SIGINT)
    try:
        _, rest = process.communicate(timeout=60)
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


@pytest.mark.parametrize(("given", "trained"), [("IMPLY", "IMPLY"), ("1011", "x1 OR NOT x2"), ("0110", "XOR")])
def test_any_truth_table_from_the_command_line_is_the_one_trained(tmp_path, given, trained):
    report_file = tmp_path / "report.json"
    result = subprocess.run([sys.executable, "-m", "app", "--gate", given, "--iterations", "50", "--autostart",
                             "--exit-when-done", "--report-json", str(report_file)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(report_file.read_text())["gate"] == trained


def test_a_report_that_cannot_be_written_is_one_line_and_the_app_still_exits(tmp_path):
    directory = subprocess.run([sys.executable, "-m", "app", "--iterations", "20", "--autostart", "--exit-when-done",
                                "--report-json", str(tmp_path)], capture_output=True, text=True, timeout=180)
    assert directory.returncode == 2
    assert directory.stderr.strip().splitlines() == [f"gatelab: error: {tmp_path} is a directory, not a file"]
    full = subprocess.run([sys.executable, "-m", "app", "--iterations", "20", "--autostart", "--exit-when-done",
                           "--report-json", "/dev/full"], capture_output=True, text=True, timeout=180)
    assert full.returncode == 1, full.stderr
    assert full.stderr.strip().splitlines() == ["gatelab: could not write /dev/full: No space left on device"]


def test_engine_flag_reaches_the_engine_and_the_report(tmp_path):
    from nn_core.engines import compiled_missing

    engine = "numpy" if compiled_missing() else "compiled"
    report = tmp_path / "report.json"
    result = run_app("--gate", "OR", "--iterations", "500", "--engine", engine, "--autostart", "--exit-when-done",
                     "--report-json", str(report))
    assert result.returncode == 0, result.stderr
    data = json.loads(report.read_text())
    assert data["engine"] == engine and data["iterations"] == 500
    engine_run = json.loads(subprocess.run(
        [sys.executable, "-m", "nn_core", "train", "--gate", "OR", "--method", "backprop", "--iterations", "500",
         "--engine", engine, "--json"], capture_output=True, text=True, check=True).stdout)
    assert data["final_loss"] == engine_run["final_loss"]
    bad = run_app("--engine", "fortran")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "unknown engine 'fortran'" in bad.stderr
