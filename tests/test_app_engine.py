"""The window's engine choice: it reaches the engine through TrainConfig, is disabled with the reason where numba
is missing, and the first compiled run's compile time shows in the status line."""

from __future__ import annotations

import numpy as np
import pytest
from gui_helpers import shown_panel

from app.controller import State
from app.worker import UpdateRate
from nn_core.config import TrainConfig
from nn_core.engines import ENGINES, MISSING, compiled_missing
from nn_core.trainer import Trainer

needs_numba = pytest.mark.skipif(compiled_missing() is not None, reason="numba is not installed (the compiled extra)")


@pytest.fixture
def panel(gui):
    controls, top = shown_panel(gui, UpdateRate(), 900)
    yield controls
    top.close()


def test_the_engine_combo_lists_every_engine_and_reaches_the_config(panel):
    combo = panel.engine_combo
    assert [combo.itemData(i) for i in range(combo.count())] == list(ENGINES)
    assert panel.config().engine == "numpy"
    assert combo in panel.network_settings  # locked while a run is under way, as every network setting
    if compiled_missing() is None:
        panel.set_config(TrainConfig(engine="compiled", method="staged"))
        assert panel.config() == TrainConfig(engine="compiled", method="staged").validated()


def test_without_numba_compiled_is_disabled_with_the_reason(gui, monkeypatch):
    monkeypatch.setattr("app.controls.compiled_missing", lambda: MISSING)
    controls, top = shown_panel(gui, UpdateRate(), 900)
    try:
        combo = controls.engine_combo
        item = combo.model().item(combo.findData("compiled"))
        assert not item.isEnabled() and MISSING in item.toolTip()
        controls.set_config(TrainConfig(engine="compiled"))  # say, a saved run from a machine with numba
        assert controls.config().engine == "numpy"
    finally:
        top.close()


@needs_numba
def test_a_compiled_run_trains_as_the_engine_does_and_shows_its_compile_time(make_window, gui, monkeypatch):
    import nn_core.compiled

    monkeypatch.setattr(nn_core.compiled, "compile_seconds", None)  # as in a fresh process: the first use
    compiled_before_run, run = [], Trainer.run

    def recording_run(self, *args, **kwargs):  # the worker's chunks: each starts Trainer.run's clock
        compiled_before_run.append((self, self.compile_seconds))
        return run(self, *args, **kwargs)

    monkeypatch.setattr(Trainer, "run", recording_run)
    config = TrainConfig(iterations=3000, engine="compiled", optimizer="adam", lr=0.05, activation="tanh")
    window = make_window(config)
    window.start()
    gui.waitUntil(lambda: window.controller.state == State.FINISHED, timeout=20_000)
    trainer = window.controller.trainer
    assert trainer.config.engine == "compiled" and trainer.iteration == 3000
    assert trainer.compile_seconds > 0
    assert "on the compiled engine" in window.status_text() and "to compile)" in window.status_text()
    reference = Trainer(config)
    reference.run()
    np.testing.assert_array_equal(trainer.network.params, reference.network.params)
    assert window.history.column("engine")[0] == "compiled"  # the runs table tells the engines apart
    chunks = [seconds for ran, seconds in compiled_before_run if ran is trainer]
    assert chunks and all(seconds is not None for seconds in chunks)  # compiled before any chunk's clock started
