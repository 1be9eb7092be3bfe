"""The window's menus: every action is there, with its shortcut shown and a mnemonic; the exports write files that
read back; a folder that cannot be written gives a message and the window goes on."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox

from app.controller import State
from app.lenses import LENSES
from app.menus import FALLBACK_KEYS, AboutDialog, Shell, export_loss_csv, export_view_png
from nn_core.config import TrainConfig

StandardKey = QKeySequence.StandardKey


def menu_texts(menu) -> list[str]:
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def standard(key) -> list[str]:
    keys = QKeySequence.keyBindings(key) or [QKeySequence(FALLBACK_KEYS[key])]
    return [k.toString() for k in keys]


def test_every_menu_and_action_is_there_with_its_shortcut_and_mnemonic(make_window):
    window = make_window()
    shell = window.shell
    bar = [a.text() for a in window.menuBar().actions()]
    assert bar == ["&File", "&Run", "&View", "&Help"]
    file_menu, run_menu, view_menu, help_menu = (shell.menus[k] for k in ("file", "run", "view", "help"))
    assert menu_texts(file_menu) == ["&Open run…", "&Recent runs", "&Save run", "Save run &as…", "&Export", "&Quit"]
    assert menu_texts(shell.export_menu) == ["&3D view as PNG…", "&Window as PNG…", "&Loss history as CSV…",
                                             "Finished runs as &CSV…", "Finished runs as &Markdown…",
                                             "&Network as NumPy arrays (.npz)…", "Race table as M&arkdown…",
                                             "Race table as C&SV…"]
    assert menu_texts(run_menu) == ["&Start/Pause", "S&tep", "&Reset", "Reset &view"]
    assert menu_texts(view_menu) == ["Si&ngle run", "&Race the methods", "All &gates", "Seed &atlas",
                                     "Single run: look &inside", "&Settings and truth table",
                                     "L&oss curve", "&Timing and finished runs", "&Full screen", "&Language"]
    assert menu_texts(shell.language_menu) == ["&English", "日本語 (&J)"]
    assert menu_texts(shell.lens_menu) == ["Output"] + [lens.title for lens in LENSES]
    assert [[k.toString() for k in act.shortcuts()] for act in shell.lens_menu.actions()] == [
        [f"Alt+{number}"] for number in range(1, len(LENSES) + 2)]
    assert menu_texts(help_menu) == ["&Guide", "&About GateLab", "About &Qt"]
    # The window's own actions are in the menus (not copies): one shortcut each.
    assert window.toggle_action in run_menu.actions() and window.reset_action in run_menu.actions()
    assert window.reset_view_action in run_menu.actions() and window.quit_action in file_menu.actions()
    shortcuts = {a.text(): [k.toString() for k in a.shortcuts()] for a in window.actions()}
    assert shortcuts["&Start/Pause"] == ["Space"] and shortcuts["&Reset"] == ["Ctrl+R"]
    assert shortcuts["Reset &view"] == ["Ctrl+0"] and shortcuts["S&tep"] == ["Ctrl+T"]
    assert shortcuts["&Open run…"] == standard(StandardKey.Open)
    assert shortcuts["&Save run"] == standard(StandardKey.Save)
    assert shortcuts["Save run &as…"] == standard(StandardKey.SaveAs)
    assert shortcuts["&Quit"] == standard(StandardKey.Quit)
    assert shortcuts["&Full screen"] == standard(StandardKey.FullScreen)
    assert [shortcuts[text] for text in ("Si&ngle run", "&Race the methods", "All &gates", "Seed &atlas")] == [
        ["Ctrl+1"], ["Ctrl+2"], ["Ctrl+3"], ["Ctrl+4"]]
    taken = [k for keys in shortcuts.values() for k in keys]
    assert len(taken) == len(set(taken)), "a shortcut is given twice"
    # Every item of every menu has a mnemonic (keyboard reachable), each its own letter in its menu.
    for menu in (file_menu, run_menu, view_menu, help_menu, shell.export_menu, shell.language_menu):
        letters = [text[text.index("&") + 1].lower() for text in menu_texts(menu) if "&" in text]
        assert len(letters) == len(menu_texts(menu)) == len(set(letters)), menu_texts(menu)
    assert len({text[text.index("&") + 1] for text in bar}) == len(bar)


def test_shortcuts_drive_the_window(make_window, gui):
    window = make_window(TrainConfig(iterations=50))
    window.controls.step_count_spin.setValue(7)
    gui.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)  # Step
    gui.waitUntil(lambda: window.controller.state == State.READY and window.controller.trainer.iteration == 7,
                  timeout=30_000)
    assert window.isWindowModified()  # trained steps that are in no file
    gui.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)  # Reset
    gui.waitUntil(lambda: window.controller.trainer.iteration == 0, timeout=30_000)
    assert not window.isWindowModified()


def test_the_view_menu_hides_and_shows_each_panel(make_window):
    window = make_window()
    shell = window.shell
    for name, act in shell.panel_actions.items():
        panel = shell.panel(name)
        assert panel.isVisible()
        act.trigger()
        assert not act.isChecked() and not panel.isVisible()
        act.trigger()
        assert act.isChecked() and panel.isVisible()


def test_choosing_a_language_writes_the_key_and_says_when_it_applies(make_window, gui):
    window = make_window()
    window.shell.language_actions["ja"].trigger()
    assert window.shell.settings.store.value("ui/language") == "ja"
    note = window.findChild(QMessageBox, "language-note")
    assert note is not None and "next time it starts" in note.text()
    assert "次に起動したときから日本語で表示します。" in note.text()  # in the language chosen too
    assert "next time it starts" in window.shell.notice_text
    assert window.shell.language_actions["ja"].isChecked() and not window.shell.language_actions["en"].isChecked()
    window.shell.language_actions["en"].trigger()
    assert window.shell.settings.store.value("ui/language") == "en"


def test_about_names_the_versions_and_copies_them(make_window, gui):
    import numpy
    import PySide6

    window = make_window()
    window.shell.about_action.trigger()
    dialog = window.findChild(AboutDialog, "about-gatelab")
    assert dialog is not None
    assert f"PySide6 {PySide6.__version__}" in dialog.text and f"numpy {numpy.__version__}" in dialog.text
    assert dialog.text.splitlines()[0].startswith("GateLab ")
    assert "OpenGL renderer: " in dialog.text
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == dialog.text
    dialog.close()


def test_the_guide_opens_from_help(make_window, gui):
    window = make_window()
    before = set(QApplication.topLevelWidgets())
    window.shell.guide_action.trigger()  # F1

    def new_dialogs():
        return [w for w in set(QApplication.topLevelWidgets()) - before if isinstance(w, QDialog) and w.isVisible()]

    gui.waitUntil(lambda: len(new_dialogs()) == 1, timeout=30_000)
    new_dialogs()[0].close()


# --- exports --------------------------------------------------------------------------------------------------

def trained_window(make_window, gui, steps=30):
    window = make_window(TrainConfig(iterations=steps))
    window.start()
    gui.waitUntil(lambda: window.controller.state == State.FINISHED, timeout=60_000)
    return window


def test_the_3d_view_png_has_the_views_device_pixels(make_window, gui, tmp_path):
    window = trained_window(make_window, gui)
    path = tmp_path / "view.png"
    image = export_view_png(window, path)
    read = QImage(str(path))
    view = window.surface_view.view
    ratio = view.devicePixelRatio()
    assert (read.width(), read.height()) == (round(view.width() * ratio), round(view.height() * ratio))
    assert (read.width(), read.height()) == (image.width(), image.height())
    # Not blank: the surface has more than a handful of colours.
    pixels = np.frombuffer(read.convertToFormat(QImage.Format.Format_RGB32).constBits(), np.uint32)
    assert len(np.unique(pixels)) > 50


def test_the_loss_history_csv_parses_to_the_curve(make_window, gui, tmp_path):
    window = trained_window(make_window, gui)
    path = tmp_path / "loss.csv"
    export_loss_csv(window, path)
    rows = list(csv.reader(io.StringIO(path.read_text())))
    assert rows[0] == ["step", "loss"]
    steps = [int(r[0]) for r in rows[1:]]
    losses = [float(r[1]) for r in rows[1:]]
    assert steps[0] == 0 and steps[-1] == 30 and steps == sorted(steps)
    assert losses[-1] == window.controller.trainer.loss()  # every digit


def test_every_export_through_its_dialog(make_window, gui, tmp_path, monkeypatch):
    window = trained_window(make_window, gui)
    shell: Shell = window.shell
    asked = []

    def choose(parent, caption, folder, filters):
        asked.append((folder, filters))
        return str(tmp_path / f"out{len(asked)}"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    single = [key for key in shell.EXPORTS if not key.startswith("race")]  # the race's table: the views' test
    for key in single:
        shell.export_actions[key].trigger()
    files = {key: tmp_path / f"out{i}" for i, key in enumerate(single, start=1)}
    assert all(path.stat().st_size > 0 for path in files.values())
    assert asked[0][1] == "PNG images (*.png)" and asked[0][0].endswith("XOR-backprop-step30-3d.png")
    assert not QImage(str(files["window_png"])).isNull()
    shot = QImage(str(files["window_png"]))
    assert shot.width() >= window.width()
    runs = list(csv.reader(io.StringIO(files["runs_csv"].read_text())))
    assert runs[0] == window.history.headers() and len(runs) == 2 and runs[1][0] == "XOR"
    assert files["runs_markdown"].read_text() == window.history.to_markdown()
    assert window.shell.settings.last_folder() == str(tmp_path)


def test_the_network_npz_has_the_books_names(make_window, gui, tmp_path):
    window = trained_window(make_window, gui)
    path = tmp_path / "net.npz"
    assert window.shell.export_to("npz", path)
    with np.load(path) as arrays:
        assert {"W1", "b1", "W2", "b2"} <= set(arrays.files)
        np.testing.assert_array_equal(arrays["W1"].shape, (2, 4))


@pytest.mark.parametrize("key", ["view_png", "window_png", "loss_csv", "runs_csv", "runs_markdown", "npz"])
def test_a_place_that_cannot_be_written_says_so_and_the_window_goes_on(make_window, gui, tmp_path, key):
    window = trained_window(make_window, gui)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    target = blocker / "x"  # its folder is a file: no one can write there, root included
    assert not window.shell.export_to(key, target)
    box = window.findChild(QMessageBox, "file-error")
    assert box is not None and "could not be written" in box.text() and str(target) in box.text()
    assert "could not be written" in window.shell.notice_text
    assert blocker.read_text() == "not a folder"
    box.close()
    window.start()  # the window still works: a new run
    gui.waitUntil(lambda: window.controller.state == State.FINISHED, timeout=60_000)


def test_full_screen_toggles_and_the_normal_size_is_remembered(make_window, gui):
    window = make_window()
    size = window.size()
    window.shell.full_screen_action.trigger()
    assert window.isFullScreen() and window.shell.full_screen_action.isChecked()
    window.shell.full_screen_action.trigger()
    assert not window.isFullScreen()
    window.shell.full_screen_action.trigger()
    window.shell.remember()  # closing in full screen stores the normal geometry
    assert not window.isFullScreen() and not window.shell.full_screen_action.isChecked()
    window.showFullScreen()  # as a window manager may: the tick follows
    assert window.shell.full_screen_action.isChecked()
    window.showNormal()
    assert not window.shell.full_screen_action.isChecked()
    gui.waitUntil(lambda: window.size() == size, timeout=30_000)


def test_a_long_notice_is_cut_in_the_middle_and_the_window_keeps_its_width(make_window, gui):
    window = make_window()
    width = window.width()
    text = "The settings file /" + "very/" * 400 + "deep/GateLab.ini could not be read."
    window.shell.show_notice(text)
    QApplication.processEvents()  # the layout takes the new text
    assert window.width() == width and window.shell.notice_text == text
    shown = window.shell.notice.text()
    assert "…" in shown and shown.startswith("The settings") and shown.endswith("read.")
    assert window.shell.notice.toolTip() == text


def test_the_view_menu_and_keys_choose_the_view_and_the_race_table_exports(make_window, gui, tmp_path):
    window = make_window(TrainConfig(iterations=40))
    shell = window.shell
    assert not shell.export_actions["race_csv"].isEnabled()  # no race shown: nothing to export
    gui.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert str(window.session.view) == "race" and window.view_tabs.currentIndex() == 1
    assert shell.view_actions["race"].isChecked() and shell.export_actions["race_csv"].isEnabled()
    with gui.waitSignal(window.schedules.finished, timeout=120_000):
        window.start()
    assert shell.export_to("race_csv", tmp_path / "race.csv")
    assert shell.export_to("race_markdown", tmp_path / "race.md")
    rows = (tmp_path / "race.csv").read_text().splitlines()
    assert rows[0].startswith("row,method") and any(",backprop," in row for row in rows)
    assert "| backprop |" in (tmp_path / "race.md").read_text()
    shell.view_actions["gates"].trigger()
    assert str(window.session.view) == "gates" and window.view_stack.currentIndex() == 2
