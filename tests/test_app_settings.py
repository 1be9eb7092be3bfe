"""What the window remembers (app/settings.py): a second window opens as the first closed; a bad or corrupt
settings file gives the defaults and says so; the command line's flags win for that launch; no test touches the
user's own settings (conftest's isolated_settings)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from app.__main__ import build_parser, given_flags, launch_config
from app.settings import MAX_RECENT, Settings, open_store
from app.window import MainWindow
from app.worker import UpdateRate
from nn_core.config import TrainConfig

CHANGED = TrainConfig(gate="NAND", method="central", hidden=(8, 4), lr=0.5, h=1e-5, seed=12345678901234,
                      iterations=777, activation="tanh", init="he", optimizer="adam",
                      optimizer_options={"beta1": 0.8}, weight_decay=0.01).validated()


@pytest.fixture
def open_window(gui):
    """``open_window(**kwargs)``: a shown MainWindow made as ``python -m app`` makes it (settings remembered);
    every one is closed (remembering) at teardown if the test did not."""
    windows = []

    def make(**kwargs):
        window = MainWindow(**kwargs)
        gui.addWidget(window)
        with gui.waitExposed(window):
            window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
        assert window.controller.thread_finished


def test_the_store_is_the_tests_own(isolated_settings):
    assert Path(open_store().fileName()).is_relative_to(isolated_settings)


def test_a_second_window_opens_as_the_first_closed(open_window, gui, tmp_path):
    first = open_window()
    assert first.controls.config() == TrainConfig().validated()  # nothing remembered yet: the defaults
    assert first.shell.notice_text == ""
    first.controls.set_config(CHANGED)
    first.controls.set_rate(UpdateRate(every_steps=25))
    first.controls.set_stop_when_solved(True)
    first.resize(1100, 650)
    gui.waitUntil(lambda: first.width() == 1100, timeout=30_000)
    first.main_splitter.setSizes([280, 500, 320])
    first.shell.panel_actions["loss_curve"].setChecked(False)
    runs = [tmp_path / f"run{i}.json" for i in range(MAX_RECENT + 2)]
    for path in runs:
        path.write_text("{}")
        first.shell.settings.add_recent_file(path)
    runs[-1].unlink()  # a file that is gone is left out
    sizes = first.main_splitter.sizes()
    first.close()

    second = open_window()
    assert second.controls.config() == CHANGED and second.controller.config == CHANGED
    assert second.controls.rate() == UpdateRate(every_steps=25) and second.controls.stop_when_solved()
    assert (second.width(), second.height()) == (1100, 650)
    assert second.main_splitter.sizes() == sizes
    assert not second.shell.panel("loss_curve").isVisible()
    assert not second.shell.panel_actions["loss_curve"].isChecked()
    assert second.shell.panel("settings_panel").isVisible()
    # The newest MAX_RECENT were kept; the newest of them is gone since.
    expected = [str(p.resolve()) for p in reversed(runs)][1:MAX_RECENT]
    assert len(expected) == MAX_RECENT - 1
    assert second.shell.settings.recent_files() == expected
    recent = [a.data() for a in second.shell.recent_menu.actions() if a.data()]
    assert recent == expected
    assert second.shell.notice_text == ""


def test_a_given_config_wins_over_the_remembered_one(open_window):
    first = open_window()
    first.controls.set_config(CHANGED)
    first.close()
    given = TrainConfig(gate="OR", iterations=50).validated()
    second = open_window(config=given)
    assert second.controls.config() == given


def write_ini(text: str) -> Path:
    path = Path(open_store().fileName())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


@pytest.mark.parametrize(("garbage", "message"), [
    (b"\x00\xff\xfe garbage \x01" * 40, "could not be read"),  # Qt reads no entry from it
    (b"[[[[ not an ini ]]]\n\x00", "could not be read"),
    (random.Random(1).randbytes(400), "does not know"),  # Qt reads entries of garbage from it
    (b'hello=world\n[run]\nlr="0.5"\n', "does not know"),
], ids=["binary", "brackets", "random", "foreign"])
def test_a_corrupt_settings_file_gives_the_defaults_and_a_message(open_window, garbage, message):
    path = write_ini(garbage)
    window = open_window()
    assert window.controls.config() == TrainConfig(lr=0.5 if b"lr=" in garbage else 2.0).validated()
    assert message in window.shell.notice_text and str(path) in window.shell.notice_text
    window.close()  # and it is written afresh, clean
    assert Settings().problems == [] and Settings().run_config() == window.controls.config()


def test_each_bad_value_falls_back_alone(open_window):
    write_ini('[run]\nlr="-5"\nmethod="\\"no such method\\""\ngate="\\"NAND\\""\nseed=not json\n'
              'hidden="[8, 99]"\niterations=0\noptimizer="\\"adam\\""\noptimizer_options="{\\"rho\\": 0.5}"\n'
              'every_steps="\\"often\\""\n[ui]\nlanguage=klingon\n[window]\ngeometry=@ByteArray(nonsense)\n'
              'splitter_main=@ByteArray(nonsense)\n[files]\nrecent=7\nlast_folder="\\"/no/such/folder\\""\n')
    window = open_window()
    config = window.controls.config()
    default = TrainConfig().validated()
    assert config.gate == "NAND" and config.optimizer == "adam"  # the good values are kept
    assert (config.lr, config.method, config.seed, config.hidden, config.iterations) == (
        default.lr, default.method, default.seed, default.hidden, default.iterations)
    assert config.optimizer_options == TrainConfig(optimizer="adam").validated().optimizer_options
    assert window.controls.rate() == UpdateRate()
    notice = window.shell.notice_text
    for setting in ("lr", "method", "seed", "hidden", "iterations", "optimizer_options", "update rate", "language"):
        assert setting in notice, (setting, notice)
    assert window.shell.settings.recent_files() == [] and window.shell.settings.last_folder() == str(Path.home())


def test_the_language_key_is_plain_text_for_the_translations(isolated_settings):
    settings = Settings()
    settings.set_language("ja")
    assert settings.sync() is None
    assert QSettings(str(Path(open_store().fileName())), QSettings.Format.IniFormat).value("ui/language") == "ja"
    with pytest.raises(ValueError):
        settings.set_language("xx")


# --- the command line wins -------------------------------------------------------------------------------------

def test_only_the_flags_given_count():
    assert given_flags([]) == set()
    assert given_flags(["--lr", "0.5", "--autostart", "--hidden", "8"]) == {"lr", "autostart", "hidden"}


def launch(argv, remembered):
    args = build_parser().parse_args(argv)
    return launch_config(remembered, args, given_flags(argv))


def test_flags_change_only_what_they_name():
    assert launch([], CHANGED) == CHANGED
    assert launch(["--lr", "3", "--iterations", "9"], CHANGED) == TrainConfig(
        **{**CHANGED.__dict__, "lr": 3.0, "iterations": 9}).validated()
    # An option of the remembered optimizer joins its other options; a new optimizer starts from its defaults.
    assert dict(launch(["--beta2", "0.9"], CHANGED).optimizer_options) == {"beta1": 0.8, "beta2": 0.9}
    momentum = launch(["--optimizer", "momentum"], CHANGED)
    assert momentum.optimizer == "momentum" and dict(momentum.optimizer_options) == {"momentum": 0.9}
    assert launch(["--hidden", "3,3"], CHANGED).hidden == (3, 3)


def test_python_m_app_uses_the_remembered_settings_under_its_flags(tmp_path):
    settings = Settings()
    settings.set_run_config(TrainConfig(gate="AND", seed=3, lr=1.0, iterations=40000).validated())
    settings.set_rate(UpdateRate(every_steps=10))
    assert settings.sync() is None
    report = tmp_path / "report.json"
    result = subprocess.run([sys.executable, "-m", "app", "--iterations", "60", "--autostart", "--exit-when-done",
                             "--report-json", str(report)], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    data = json.loads(report.read_text())
    assert (data["gate"], data["seed"], data["lr"], data["iterations"]) == ("AND", 3, 1.0, 60)
    assert data["every_steps"] == 10
    # The launch's settings are remembered in turn (the flag's 60 steps too).
    assert Settings().run_config().iterations == 60


def test_scratch_settings_neither_follow_nor_change_the_users(open_window):
    first = open_window()
    first.controls.set_config(CHANGED)
    first.close()
    scratch = Settings.scratch()
    window = open_window(config=TrainConfig(iterations=10), settings=scratch)
    assert window.controls.rate() == UpdateRate() and scratch.recent_files() == []
    window.controls.set_config(TrainConfig(gate="OR", iterations=10))
    window.close()
    assert Settings().run_config() == CHANGED  # the user's, untouched
    assert scratch.run_config().gate == "OR"
    assert not Path(scratch.store.fileName()).is_relative_to(Path(open_store().fileName()).parent)
