"""Saving and opening runs in the window (File ▸ Save run, Open run, Recent runs; ``python -m app --load``): a run
saved part-way and opened in a fresh window goes on bit for bit as the engine's unbroken run; a bad file is
refused whole and nothing changes."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys

import numpy as np
import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.controller import State
from nn_core import runfile
from nn_core.config import TrainConfig
from nn_core.trainer import Trainer

N, M = 300, 200


def engine_params(config: TrainConfig, steps: int) -> np.ndarray:
    trainer = Trainer(config)
    trainer.run(until=steps, grid=None)
    assert trainer.iteration == steps
    return trainer.network.params.copy()


def step_window(window, gui, steps: int) -> None:
    window.controls.step_count_spin.setValue(steps)
    before = window.controller.trainer.iteration
    window.step()
    gui.waitUntil(lambda: window.controller.state != State.TRAINING
                  and window.controller.trainer.iteration == before + steps, timeout=60_000)


@pytest.mark.parametrize("config", [
    TrainConfig(gate="XOR", iterations=N + M),
    TrainConfig(gate="NAND", hidden=(3, 2), optimizer="adam", lr=0.05, activation="tanh", iterations=N + M),
    TrainConfig(gate="XNOR", method="central", optimizer="momentum", lr=0.5, weight_decay=0.001, seed=7,
                iterations=N + M),
], ids=["sgd", "adam", "momentum"])
def test_saved_opened_and_continued_is_the_engines_run_bit_for_bit(make_window, gui, tmp_path, config):
    config = config.validated()
    first = make_window(config)
    step_window(first, gui, N)
    path = tmp_path / "run.json"
    assert first.shell.save_to(path)
    assert runfile.load(path).iteration == N
    assert first.windowTitle() == "run.json[*] — GateLab" and not first.isWindowModified()

    second = make_window(TrainConfig(gate="OR", iterations=50))
    assert second.shell.open_path(path)
    c = second.controller
    assert second.controls.config() == config and c.config == config
    assert c.trainer.iteration == N and c.state == State.READY
    np.testing.assert_array_equal(c.trainer.network.params, first.controller.trainer.network.params)
    # The surface is the loaded network's.
    np.testing.assert_allclose(second.surface_view.surface_z(), c.trainer.surface(c.grid), atol=1e-6)
    assert second.windowTitle() == "run.json[*] — GateLab" and not second.isWindowModified()
    assert second.controls.start_button.text() == "Continue"
    second.start()
    gui.waitUntil(lambda: c.state == State.FINISHED, timeout=60_000)
    assert c.trainer.iteration == N + M
    np.testing.assert_array_equal(c.trainer.network.params, engine_params(config, N + M))
    # The readout's rates count this session's steps only (M), not the N the file came with.
    second._show_panels()
    assert second.readout.text("loss_evals") == f"{c.trainer.objective.loss_evals / M:.4g}"
    assert second.isWindowModified()  # trained past what the file holds


def test_saving_while_training_stops_the_run_where_it_is_and_start_continues(make_window, gui, tmp_path):
    window = make_window(TrainConfig(iterations=1_000_000_000))
    window.start()
    gui.waitUntil(lambda: window.shell.shown_step() > 100, timeout=60_000)
    path = tmp_path / "mid.json"
    assert window.shell.save_to(path)
    c = window.controller
    assert c.state == State.READY and not c.running
    saved = runfile.load(path)
    assert saved.iteration == c.trainer.iteration > 100
    np.testing.assert_array_equal(saved.params, c.trainer.network.params)
    assert window.controls.start_button.text() == "Continue"
    assert window.shell.notice_text == (f"The run stopped at step {saved.iteration:,} to be saved in mid.json; "
                                          "Continue goes on from there.")
    window.start()
    gui.waitUntil(lambda: window.shell.shown_step() > saved.iteration + 100, timeout=60_000)
    window.toggle_pause()
    gui.waitUntil(lambda: c.state == State.PAUSED, timeout=30_000)
    assert window.shell.save_to(path)  # from a pause too
    assert runfile.load(path).iteration == c.trainer.iteration > saved.iteration


def bad_files(tmp_path, good: str) -> dict:
    data = json.loads(good)
    wrong_shape = dict(data, params={**data["params"], "W1": [[1.0, 2.0]]})
    bad_version = dict(data, version=99)
    nan = good.replace(str(data["params"]["b1"][0]), "NaN", 1)
    files = {
        "not json": "this is not a run",
        "wrong shape": json.dumps(wrong_shape),
        "bad version": json.dumps(bad_version),
        "nan": nan,
        "truncated": good[: len(good) // 2],
    }
    paths = {}
    for name, text in files.items():
        paths[name] = tmp_path / f"{name.replace(' ', '-')}.json"
        paths[name].write_text(text)
    paths["binary"] = tmp_path / "binary.json"
    paths["binary"].write_bytes(b"\xff\xfe\x00\x01" * 50)
    paths["huge"] = tmp_path / "huge.json"
    paths["huge"].write_bytes(b" " * (runfile.MAX_BYTES + 1))
    paths["missing"] = tmp_path / "no-such-run.json"
    paths["a folder"] = tmp_path
    return paths


def test_a_bad_file_changes_nothing(make_window, gui, tmp_path):
    window = make_window(TrainConfig(gate="AND", iterations=40))
    window.start()
    gui.waitUntil(lambda: window.controller.state == State.FINISHED, timeout=60_000)
    step_window(window, gui, 5)  # past the end: a trained, modified run
    good = tmp_path / "good.json"
    other = TrainConfig(gate="XOR", hidden=(5,), iterations=90).validated()
    runfile.save(good, runfile.from_trainer(Trainer(other)))
    c = window.controller
    before = (window.controls.config(), c.trainer, c.trainer.iteration, c.trainer.network.params.copy(),
              window.surface_view.surface_z(), window.history.rows(), window.loss_curve.curve.xData.copy(),
              window.windowTitle(), window.isWindowModified(), window.shell.settings.recent_files(), c.state)
    for name, path in bad_files(tmp_path, good.read_text()).items():
        assert not window.shell.open_path(path), name
        box = window.findChild(QMessageBox, "file-error")
        assert box is not None and "could not be opened" in box.text(), name
        assert path.name in box.text() and "\n" not in box.text().strip(), (name, box.text())
        box.close()
        box.deleteLater()
        gui.waitUntil(lambda: window.findChild(QMessageBox, "file-error") is None, timeout=30_000)
        after = (window.controls.config(), c.trainer, c.trainer.iteration, c.trainer.network.params,
                 window.surface_view.surface_z(), window.history.rows(), window.loss_curve.curve.xData,
                 window.windowTitle(), window.isWindowModified(), window.shell.settings.recent_files(), c.state)
        for was, now in zip(before, after, strict=True):
            if isinstance(was, np.ndarray):
                np.testing.assert_array_equal(was, now)
            else:
                assert was == now or was is now, name
    assert window.shell.open_path(good)  # and a good one is taken
    assert window.controls.config() == other and window.history.rows() == before[5]


def test_the_dialogs_save_open_and_the_recent_menu(make_window, gui, tmp_path, monkeypatch):
    window = make_window(TrainConfig(iterations=60))
    assert not window.shell.save_action.isEnabled()  # nothing trained yet
    window.start()
    gui.waitUntil(lambda: window.controller.state == State.FINISHED, timeout=60_000)
    assert window.shell.save_action.isEnabled() and window.isWindowModified()
    asked = []

    def save_name(parent, caption, folder, filters):
        asked.append(folder)
        return str(tmp_path / "chosen"), filters  # no suffix: .json is added

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    window.shell.save_action.trigger()
    saved = tmp_path / "chosen.json"
    assert runfile.load(saved).iteration == 60 and asked[0].endswith("XOR-backprop-step60.json")
    assert window.windowTitle() == "chosen.json[*] — GateLab" and not window.isWindowModified()
    # Save again: the same file, without asking.
    step_window(window, gui, 10)
    assert window.isWindowModified()
    window.shell.save_action.trigger()
    assert len(asked) == 1 and runfile.load(saved).iteration == 70 and not window.isWindowModified()

    second = make_window(TrainConfig(gate="NOR", iterations=10))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(saved), ""))
    second.shell.open_action.trigger()
    assert second.controller.trainer.iteration == 70 and second.controls.config().gate == "XOR"
    second.controller.reset(TrainConfig(gate="NOR", iterations=10))
    second.shell._fill_recent_menu()
    entries = [a for a in second.shell.recent_menu.actions() if a.data()]
    assert [a.data() for a in entries] == [str(saved)] and entries[0].text() == "&1 chosen.json"
    entries[0].trigger()
    assert second.controller.trainer.iteration == 70


def test_a_save_that_fails_says_so_and_keeps_the_old_file(make_window, gui, tmp_path):
    window = make_window(TrainConfig(iterations=30))
    window.start()
    gui.waitUntil(lambda: window.controller.state == State.FINISHED, timeout=60_000)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert not window.shell.save_to(blocker / "run.json")
    box = window.findChild(QMessageBox, "file-error")
    assert box is not None and "could not be written" in box.text()
    assert window.isWindowModified() and window.shell.path is None and blocker.read_text() == "x"


# --- python -m app --load ---------------------------------------------------------------------------------------

def test_load_at_launch_goes_on_bit_for_bit(tmp_path):
    config = TrainConfig(gate="NAND", optimizer="adam", lr=0.05, iterations=N + M).validated()
    trainer = Trainer(config)
    trainer.run(until=N, grid=None)
    path = tmp_path / "part.json"
    runfile.save(path, runfile.from_trainer(trainer))
    report = tmp_path / "report.json"
    result = subprocess.run([sys.executable, "-m", "app", "--load", str(path), "--autostart", "--exit-when-done",
                             "--report-json", str(report)], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    data = json.loads(report.read_text())
    engine = Trainer(config)
    engine.run(grid=None)
    assert (data["gate"], data["optimizer"], data["iterations"]) == ("NAND", "adam", N + M)
    assert data["final_loss"] == engine.loss()  # bit for bit: JSON floats round-trip
    # Flags given override the saved settings, as nn_core train --load has it: --iterations N is N more steps.
    result = subprocess.run([sys.executable, "-m", "app", "--load", str(path), "--iterations", str(2 * M),
                             "--lr", "0.01", "--autostart", "--exit-when-done", "--report-json", str(report)],
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    changed = TrainConfig(**{**config.__dict__, "iterations": N + 2 * M, "lr": 0.01}).validated()
    engine = Trainer.from_saved(dataclasses.replace(runfile.load(path), config=changed))
    engine.run(grid=None)
    data = json.loads(report.read_text())
    assert (data["lr"], data["iterations"], data["total_iterations"]) == (0.01, N + 2 * M, N + 2 * M)
    assert data["final_loss"] == engine.loss()


def test_load_at_launch_refuses_a_bad_file_or_an_override_it_cannot_take_with_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "gatelab-run", "version": 1}')
    good = tmp_path / "good.json"
    runfile.save(good, runfile.from_trainer(Trainer(TrainConfig().validated())))
    for path, flags in ((bad, []), (tmp_path / "missing.json", []), (good, ["--hidden", "8"]),
                        (good, ["--optimizer", "adam"])):
        result = subprocess.run([sys.executable, "-m", "app", "--load", str(path), *flags], capture_output=True,
                                text=True, timeout=60, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "error" in lines[0] and str(path) in lines[0], result.stderr
        assert "Traceback" not in result.stderr


def test_opening_a_run_over_a_long_run_under_way_asks_first(make_window, gui, tmp_path, monkeypatch):
    window = make_window(TrainConfig(gate="AND", iterations=10_000_000))
    good = tmp_path / "good.json"
    other = TrainConfig(gate="XOR", hidden=(5,), iterations=90).validated()
    runfile.save(good, runfile.from_trainer(Trainer(other)))
    window._ask_before_closing = True  # as for a learner (the tests' windows close without asking)
    monkeypatch.setattr(window, "_long_run_under_way", lambda: True)  # trained over a minute, not finished
    asked = []
    answer = QMessageBox.StandardButton.Cancel
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: asked.append(args[2]) or answer)
    assert not window.shell.open_path(good)
    assert len(asked) == 1 and "lose this one" in asked[0]
    assert window.controls.config().gate == "AND"  # kept
    answer = QMessageBox.StandardButton.Open
    assert window.shell.open_path(good)
    assert window.controls.config() == other
    window._ask_before_closing = False
