"""The same settings give the same network in the GUI (real Start click), in the engine's Trainer, in
``python -m nn_core train --json`` (bit for bit) and in ``sweep`` for that seed (within 1e-9, same solved)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from PySide6.QtCore import Qt

from nn_core.config import TrainConfig
from nn_core.sweep import sweep
from nn_core.trainer import Trainer


def set_controls(controls, config: TrainConfig) -> None:
    """As a learner would: every network setting through its widget."""
    controls.gate_combo.setCurrentText(config.gate)
    controls.method_combo.setCurrentIndex(controls.method_combo.findData(config.method))
    controls.hidden_edit.setValue(config.hidden)
    controls.lr_spin.setValue(config.lr)
    controls.h_spin.setValue(config.h)
    controls.seed_spin.setValue(config.seed)
    controls.steps_spin.setValue(config.iterations)


@pytest.mark.parametrize("config", [
    TrainConfig(gate="XOR", method="backprop", hidden=(5,), lr=1.5, seed=7, iterations=3000),
    TrainConfig(gate="NAND", method="staged", hidden=(3,), lr=2.0, h=1e-3, seed=11, iterations=600),
], ids=["xor-backprop", "nand-staged"])
def test_gui_train_cli_and_sweep_agree(make_window, gui, config):
    window = make_window(TrainConfig(gate="AND", method="central", iterations=100))
    set_controls(window.controls, config)
    assert window.controls.config() == config.validated()
    with gui.waitSignal(window.controller.run_finished, timeout=60_000) as finished:
        gui.mouseClick(window.controls.start_button, Qt.MouseButton.LeftButton)
    assert finished.args[0].iterations == config.iterations
    gui_trainer = window.controller.trainer
    params = gui_trainer.network.params

    engine = Trainer(config)
    engine.run()
    np.testing.assert_array_equal(params, engine.network.params)  # bit-identical

    cli = subprocess.run([sys.executable, "-m", "nn_core", "train", "--gate", config.gate, "--method", config.method,
                          "--hidden", str(config.hidden[0]), "--lr", repr(config.lr), "--h", repr(config.h),
                          "--seed", str(config.seed), "--iterations", str(config.iterations), "--json"],
                         capture_output=True, text=True, timeout=120)
    assert cli.returncode == 0, cli.stderr
    report = json.loads(cli.stdout)
    assert report["iterations"] == config.iterations and report["diverged"] is False
    assert report["final_loss"] == gui_trainer.loss()  # JSON floats round-trip exactly: full precision
    assert report["outputs"] == gui_trainer.outputs().tolist()
    assert report["solved"] == gui_trainer.solved() == finished.args[0].solved

    swept = sweep(config, seeds=config.seed + 1)
    np.testing.assert_allclose(swept.params[config.seed], params, rtol=0, atol=1e-9)
    assert bool(swept.solved[config.seed]) == gui_trainer.solved()
    assert not swept.diverged[config.seed]
