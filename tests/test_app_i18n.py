"""The Japanese interface: a complete, current catalogue; every text the window shows in Japanese; the language
chosen by --lang, then the ui/language setting, then the system locale; the Guide in both languages."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QGroupBox, QLabel, QTabBar, QTableView, QTableWidget, QWidget

from app import engine_texts, i18n
from app.controller import State
from app.controls import STEP_COUNT, locked_note
from app.guide import GuideDialog, guide_html, show_guide
from app.lenses import lens_keys
from app.panels import ProgressStrip
from app.session import View
from app.worker import UpdateRate
from nn_core.activations import ACTIVATIONS
from nn_core.config import EVERY_STEPS, HIDDEN, LR, RUN_ITERATIONS, SEED, WEIGHT_DECAY, H, TrainConfig
from nn_core.engines import ENGINES
from nn_core.gates import TRUTH_TABLES
from nn_core.initializers import INITIALIZERS
from nn_core.methods import METHODS
from nn_core.optimizers import OPTIMIZERS

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "app" / "i18n" / "gatelab_ja.ts"
COMPILED = ROOT / "app" / "i18n" / "gatelab_ja.qm"
TOOLS = Path(sys.executable).parent  # pyside6-lupdate and pyside6-lrelease come with PySide6
FINISH_MS = 30_000

# Words a Japanese text may keep in Latin letters: names the learner types or reads in the book's code, units
# and symbols.  Any other English word in a text the window shows is a text left untranslated.
KEYS = {word for key in (*METHODS, *ACTIVATIONS, *INITIALIZERS, *OPTIMIZERS, *ENGINES)
        for word in re.findall(r"[A-Za-z][A-Za-z0-9]*", key)}
GATE_WORDS = {word for name in TRUTH_TABLES for word in name.split()}
ALLOWED = KEYS | GATE_WORDS | {
    "GateLab", "Space", "Ctrl", "Shift", "CSV", "Markdown", "ReLU", "Relu", "Sigmoid", "Xavier", "He", "SGD",
    "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam", "L2", "lr", "std0", "x1", "x2", "beta1", "beta2",
    "s", "min", "ms",  # units: "0.27 s", "2 min 05 s", "4.2 ms"
    "PNG", "JSON", "npz", "NumPy", "Qt", "numba", "pip", "gatelab",  # file formats and the libraries' names
    "English",  # the Language menu names each language in itself
    "Page", "Home", "End",  # keys' names, as on the keyboard: "Page Up/Down", "Home", "End"
}
UNIT_NAME = re.compile(r"h\d+|d[12]")  # hidden units h1, h2.1 (as the book's W1), the landscape's directions d1, d2
MARKUP = re.compile(r"<[^>]*>|&\w+;")  # a rich text's tags and entities, not shown as words
QUOTED = re.compile(r"`[^`]*`")  # a command: `nn_core train`
CODE = re.compile(r"\S*[_/=(\[^]\S*")  # file names, identifiers, calls and formulas: dL/dp, W_k, N(0, 1)


def english_words(text: str) -> list[str]:
    """The words of ``text`` a Japanese interface should not show: Latin words of two letters or more that are
    neither on the allow-list nor part of code, a formula or a rich text's markup."""
    words = re.findall(r"[A-Za-z][A-Za-z0-9]*", CODE.sub(" ", QUOTED.sub(" ", MARKUP.sub(" ", text))))
    return [word for word in words if len(word) > 1 and word not in ALLOWED and not UNIT_NAME.fullmatch(word)]


def catalogue_entries(path: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(path).getroot()
    return {(context.findtext("name"), message.findtext("source")): message.find("translation")
            for context in root.iter("context") for message in context.iter("message")}


# --- the catalogue ------------------------------------------------------------------------------------------------

def test_the_catalogue_is_complete_and_matches_the_sources(tmp_path):
    """A fresh pyside6-lupdate over app/ finds exactly the committed entries: none new, none vanished, every one
    translated; and the committed .qm is what pyside6-lrelease makes of the .ts."""
    fresh = tmp_path / "gatelab_ja.ts"
    shutil.copy(CATALOGUE, fresh)
    sources = sorted(str(path) for path in (ROOT / "app").glob("*.py"))
    subprocess.run([str(TOOLS / "pyside6-lupdate"), *sources, "-ts", str(fresh), "-no-obsolete", "-locations",
                    "none"], check=True, capture_output=True, timeout=120)
    committed, updated = catalogue_entries(CATALOGUE), catalogue_entries(fresh)
    assert set(updated) == set(committed), (set(updated) ^ set(committed))
    for key, translation in committed.items():
        assert translation.get("type") is None, key  # not "unfinished", "vanished" or "obsolete"
        assert translation.text and translation.text.strip(), key
        placeholders = set(re.findall(r"\{\w+\}", key[1]))
        assert set(re.findall(r"\{\w+\}", translation.text)) == placeholders, key
    compiled = tmp_path / "gatelab_ja.qm"
    subprocess.run([str(TOOLS / "pyside6-lrelease"), str(CATALOGUE), "-qm", str(compiled)], check=True,
                   capture_output=True, timeout=120)
    assert compiled.read_bytes() == COMPILED.read_bytes(), "run: make translations"


def test_every_engine_text_the_window_shows_is_in_the_catalogue():
    """A registry entry added to nn_core without its words in engine_texts.ENGINE_TEXTS fails here."""
    texts = [name for setting in (HIDDEN, LR, H, SEED, RUN_ITERATIONS, EVERY_STEPS, WEIGHT_DECAY, STEP_COUNT)
             for name in [setting.name]]
    texts += [text for method in METHODS.values() for text in (method.title, method.cost)]
    texts += [text for entry in (*ACTIVATIONS.values(), *INITIALIZERS.values()) for text in (entry.title, entry.book)]
    texts += [cls.title for cls in OPTIMIZERS.values()]
    texts += [text for cls in OPTIMIZERS.values() for option in cls.options for text in (option.name, option.help)]
    missing = [text for text in texts if text and text not in engine_texts.ENGINE_TEXTS]
    assert not missing
    translated = {source for context, source in catalogue_entries(CATALOGUE) if context == engine_texts.CONTEXT}
    assert set(engine_texts.ENGINE_TEXTS) <= translated


def test_range_rules_and_refusals_read_as_the_engine_words_them_in_english():
    for setting in (HIDDEN, LR, H, SEED, RUN_ITERATIONS, EVERY_STEPS, WEIGHT_DECAY, STEP_COUNT,
                    *(option.range for cls in OPTIMIZERS.values() for option in cls.options)):
        assert engine_texts.describe(setting) == setting.describe()
        for got in ("abc", "-5", 1e300):
            assert engine_texts.refusal(setting, got) == setting.message(got)
    from nn_core.config import parse_hidden
    for text in ("4,,4", "65", "1,2,3,4", "", "0"):
        with pytest.raises(ValueError) as refused:
            parse_hidden(text)
        assert engine_texts.hidden_refusal(text) == str(refused.value)


# --- the window in Japanese -----------------------------------------------------------------------------------

@pytest.fixture
def japanese(qapp):
    """GateLab's and Qt's Japanese catalogues installed while the test builds its widgets; English after."""
    assert i18n.install(qapp, "ja") == "ja"
    yield
    i18n.uninstall(qapp)


def shown_texts(window) -> list[tuple[str, str]]:
    """(where, text) for every text the window can show: titles, labels, buttons, combo items (but the keys the
    learner picks: gates, methods, activations, initialisations, optimizers), progress bars, tooltips, "What's
    this?", table headers and cells (the race's table too), the views' tabs, actions, the loss axes, the race's
    chart and the status line."""
    keys = {window.controls.gate_combo, window.controls.method_combo, window.controls.activation_combo,
            window.controls.init_combo, window.controls.optimizer_combo}
    texts = [("title", window.windowTitle()), ("status", window.status_label.text())]
    for widget in [window, *window.findChildren(QWidget)]:
        name = f"{type(widget).__name__} {widget.objectName()}"
        texts += [(f"{name} tooltip", widget.toolTip()), (f"{name} what's this", widget.whatsThis())]
        if isinstance(widget, QLabel):
            texts.append((name, widget.text()))
        if isinstance(widget, QAbstractButton):
            texts.append((name, widget.text()))
        if isinstance(widget, QGroupBox):
            texts.append((name, widget.title()))
        if isinstance(widget, ProgressStrip):  # a race lane's "300 / 300 steps"
            texts.append((name, widget.text))
        if isinstance(widget, QComboBox):
            for i in range(widget.count()):
                texts.append((f"{name} item tooltip", widget.itemData(i, Qt.ItemDataRole.ToolTipRole) or ""))
                if widget not in keys:
                    texts.append((f"{name} item", widget.itemText(i)))
        if isinstance(widget, QTabBar):
            for i in range(widget.count()):
                texts += [(f"{name} tab", widget.tabText(i)), (f"{name} tab tooltip", widget.tabToolTip(i))]
        if isinstance(widget, QTableView) and not isinstance(widget, QTableWidget):
            model = widget.model()
            for col in range(model.columnCount()):
                texts += [(f"{name} header {role.name}", model.headerData(col, Qt.Orientation.Horizontal, role) or "")
                          for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)]
                texts += [(f"{name} cell {role.name}", model.index(row, col).data(role) or "")
                          for row in range(model.rowCount())
                          for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)]
        if isinstance(widget, QTableWidget):
            for col in range(widget.columnCount()):
                header = widget.horizontalHeaderItem(col)
                texts += [(f"{name} header", header.text()), (f"{name} header tooltip", header.toolTip())]
            key_columns = ({window.history.keys.index(key) for key in ("gate", "method", "activation", "init",
                                                                       "optimizer")}
                           if widget is window.history.table else set())
            for row in range(widget.rowCount()):
                for col in range(widget.columnCount()):
                    item = widget.item(row, col)
                    texts.append((f"{name} cell tooltip", item.toolTip()))
                    if col not in key_columns:
                        texts.append((f"{name} cell", item.text()))
        for action in widget.actions():
            texts.append((f"{name} action", action.text()))
    for axis in ("left", "bottom"):
        texts.append((f"loss axis {axis}", window.loss_curve.getAxis(axis).labelText))
    chart = window.race_view.chart
    texts += [("race chart axis", chart.getAxis("bottom").labelText),
              *(("race chart bar", text) for text in (*chart.bar_labels(), *chart.bar_texts()))]
    for view in window.findChildren(pg.GraphicsView):  # what the plots and diagrams draw: axes, legends, labels
        for item in view.scene().items():
            if isinstance(item, pg.TextItem):
                texts.append(("graphics text", item.toPlainText()))
            elif isinstance(item, pg.AxisItem):
                texts.append(("graphics axis", item.labelText))
            elif isinstance(item, pg.LabelItem):
                texts.append(("graphics label", item.text))
    return [(where, text) for where, text in texts if text]


def untranslated(window) -> list[tuple[str, str, list[str]]]:
    return [(where, text, words) for where, text in shown_texts(window) if (words := english_words(text))]


def test_the_japanese_window_shows_no_english_before_and_after_a_run(japanese, make_window, gui):
    window = make_window(TrainConfig(iterations=300))
    window.controls.chapter6_button.setChecked(True)
    assert not untranslated(window)
    assert window.controls.start_button.text() == "開始"
    assert window.readout.title() == "計測" and window.truth_table.title().startswith("真理値表")
    assert "誤差逆伝播法" in window.controls.method_combo.toolTip()  # backprop's tooltip: the book's term

    with gui.waitSignal(window.controller.run_finished, timeout=FINISH_MS):
        window.controls.start_button.click()
    assert window.history.table.rowCount() == 1
    assert not untranslated(window)
    # Locked settings say why, in Japanese.
    window.controls.steps_spin.setValue(10_000_000)
    window.controls.start_button.click()
    gui.waitUntil(lambda: window.controller.state == State.TRAINING, timeout=FINISH_MS)
    assert window.controls.lr_spin.toolTip().startswith(locked_note()) and "リセット" in locked_note()
    assert not untranslated(window)
    window.reset()
    window.controls.steps_spin.setValue(300)
    # The race and the gates views, before and after their runs; the status line speaks of them.
    for view, status in ((View.RACE, "の競走"), (View.GATES, "6 つのゲート")):
        window.set_view(view)
        assert status in window.status_text()
        assert not untranslated(window)
        with gui.waitSignal(window.schedules.finished, timeout=FINISH_MS):
            window.controls.start_button.click()
        assert status in window.status_text()
        assert not untranslated(window)
    assert window.race_view.headers()[:2] == ["計算方法", "µs/ステップ"]
    # The seed atlas before and after its run, and each lens of the single run showing a trained network.
    window.session.atlas_seeds = 20
    window.set_view(View.ATLAS)
    assert not untranslated(window)
    with gui.waitSignal(window.schedules.finished, timeout=FINISH_MS):
        window.controls.start_button.click()
    assert not untranslated(window)
    window.set_view(View.SINGLE)
    for key in lens_keys()[1:]:
        window.set_lens(key)
        gui.wait(300)
    check = window.lens_views["gradcheck"]
    gui.waitUntil(lambda: check.table_shown is not None and check.curve_shown is not None,
                  timeout=FINISH_MS)  # the gradient check's table and curve, from its own process
    assert not untranslated(window)


def test_the_status_line_reads_in_japanese_after_step_start_and_reset(japanese, make_window, gui):
    window = make_window(TrainConfig(gate="XOR", method="backprop", iterations=400))
    assert window.status_text() == "準備完了：XOR・backprop・隠れ層 4。開始（Space）を押してください"
    window.controls.step_count_spin.setValue(5)
    window.controls.step_button.click()
    gui.waitUntil(lambda: window.controller.state == State.READY and window.controller.trainer.iteration == 5,
                  timeout=FINISH_MS)
    gui.waitUntil(lambda: window.status_text() == "ステップ 5 で待機中（XOR・backprop・隠れ層 4）", timeout=FINISH_MS)
    assert window.controls.start_button.text() == "続行"
    with gui.waitSignal(window.controller.run_finished, timeout=FINISH_MS):
        window.controls.start_button.click()
    status = window.status_text()
    assert status.startswith("XOR・backprop・隠れ層 4 の学習が ") and status.endswith("で終了：解けました"), status
    assert window.history.column("result") == ["解けた"]
    window.controls.seed_spin.setValue(7)
    assert window.status_text().endswith("新しい設定の学習をシードから始めます"), window.status_text()
    window.controls.reset_button.click()
    assert window.status_text() == "準備完了：XOR・backprop・隠れ層 4。開始（Space）を押してください"
    assert not english_words(window.status_label.text())


def test_a_refused_value_is_explained_in_japanese(japanese, make_window, gui):
    window = make_window()
    box = window.controls.lr_spin
    box.lineEdit().setText("0")
    box.lineEdit().textEdited.emit("0")
    assert not box.commit()
    assert box.note() == "学習率は0 より大きく 1000000 以下の数でなければなりません（入力：0）。2 のままにしました"
    assert not english_words(box.note()) and not english_words(box.toolTip())
    hidden = window.controls.hidden_edit
    hidden.setText("4,,4")
    hidden.textEdited.emit("4,,4")
    assert not hidden.commit()
    assert hidden.note().startswith("隠れ層は 4 や 8,4 のように") and not english_words(hidden.note())


def test_the_loss_curves_menu_reads_in_japanese(japanese, make_window):
    """pyqtgraph's right-click menu: its first level, through GateLab's catalogue (app/plot_texts.py)."""
    curve = make_window().loss_curve
    menu = curve.getViewBox().menu
    texts = [action.text() for action in menu.actions() if action.text()]
    assert texts[:4] == ["すべて表示", "X 軸", "Y 軸", "マウスの操作"], texts
    assert curve.getPlotItem().ctrlMenu.title() == "グラフのオプション"
    assert not [text for text in texts if english_words(text)]


def test_the_surface_rate_is_read_from_the_item_not_its_translated_text(japanese, make_window):
    window = make_window(rate=UpdateRate(every_steps=50))
    assert window.controls.rate_combo.currentText() == "N ステップごと"
    assert window.controls.rate() == UpdateRate(every_steps=50)
    assert window.controls.rate_steps_spin.isEnabled()
    assert UpdateRate(every_steps=50).describe() == "50 ステップごと"


def test_every_control_has_a_tooltip_and_every_panel_a_whats_this_in_both_languages(qapp, make_window):
    for language in ("en", "ja"):
        i18n.install(qapp, language)
        try:
            window = make_window()
            controls = window.controls
            inputs = [widget for widget in controls.findChildren(QWidget)
                      if widget.focusPolicy() != Qt.FocusPolicy.NoFocus and widget.parent() is not None
                      and type(widget).__name__ in ("QComboBox", "NumberBox", "HiddenBox", "QCheckBox", "QPushButton",
                                                    "QToolButton")]
            assert len(inputs) >= 20
            assert all(widget.toolTip() for widget in inputs), [w for w in inputs if not w.toolTip()]
            for panel in (controls, window.truth_table, window.surface_view, window.loss_curve, window.readout,
                          window.history):
                assert panel.whatsThis()
            assert ("数値微分" in controls.whatsThis()) == (language == "ja")
            assert bool(untranslated(window)) == (language == "en")  # the check of English words finds them
            assert window.whats_this_action.shortcut().toString() == "Shift+F1"
        finally:
            i18n.uninstall(qapp)


# --- the Guide ------------------------------------------------------------------------------------------------------

def test_the_guide_is_one_non_modal_dialog_in_the_interface_language(japanese, make_window, gui):
    window = make_window()
    guide = show_guide(window)
    assert isinstance(guide, GuideDialog) and guide.isVisible() and not guide.isModal()
    assert show_guide(window) is guide
    text = guide.browser.toPlainText()
    assert guide.windowTitle() == "GateLab ガイド"
    for term in ("誤差逆伝播法", "中心差分", "前方差分", "数値微分", "学習率", "python -m nn_core bench", "1e-12"):
        assert term in text, term
    guide.close()
    assert window.isVisible()


def test_the_english_guide_covers_panels_methods_the_seed_and_what_to_try():
    text = guide_html("en")
    for term in ("numerical_gradient", "backprop", "staged", "vectorized", "forward", "python -m nn_core bench",
                 "Hidden layers 2 on XOR", "h = 1e-12", "Learning rate 100", "Finished runs", "Timing"):
        assert term in text, term
    assert "誤差逆伝播法" in guide_html("ja") and guide_html("fr") == text  # no such guide: English


# --- choosing the language ------------------------------------------------------------------------------------------

PROBE = """
import sys
from PySide6.QtCore import QCoreApplication
from app.i18n import settings_store
from app.qt import make_application
app = make_application(language=sys.argv[1] or None)
if len(sys.argv) > 2:
    settings = settings_store()
    settings.setValue("ui/language", sys.argv[2])
    settings.sync()
print(QCoreApplication.translate("ControlsPanel", "Start"), QCoreApplication.translate("QPlatformTheme", "Close"))
"""


def probe(tmp_path, flag: str = "", store: str | None = None, locale: str = "C.UTF-8") -> str:
    """What a new GateLab process shows for Start (and Qt's Close button), with ``--lang flag`` ('' for none),
    the system locale ``locale`` and settings of its own under ``tmp_path``; ``store`` writes ui/language after."""
    env = {**os.environ, "LC_ALL": locale, "LANG": locale, "LANGUAGE": "", "XDG_CONFIG_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", PROBE, flag, *([store] if store else [])], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_language_is_the_flag_then_the_setting_then_the_system_locale(tmp_path):
    assert probe(tmp_path) == "Start Close"  # an English locale, nothing stored
    assert probe(tmp_path, locale="ja_JP.UTF-8") == "開始 閉じる"  # the system locale
    assert probe(tmp_path, flag="en", locale="ja_JP.UTF-8") == "Start Close"  # the flag beats the locale
    assert probe(tmp_path, flag="ja") == "開始 閉じる"
    probe(tmp_path, flag="en", store="ja")  # the Language menu's choice, for the next start
    assert probe(tmp_path) == "開始 閉じる"  # the setting beats the locale
    assert probe(tmp_path, flag="en") == "Start Close"  # the flag beats the setting
    probe(tmp_path, flag="en", store="en")
    assert probe(tmp_path, locale="ja_JP.UTF-8") == "Start Close"
    probe(tmp_path, flag="en", store="klingon")  # not a language GateLab has: the locale decides
    assert probe(tmp_path, locale="ja_JP.UTF-8") == "開始 閉じる"


def test_a_bad_lang_exits_2_with_one_line():
    result = subprocess.run([sys.executable, "-m", "app", "--lang", "fr"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "--lang" in result.stderr and "ja" in result.stderr
    assert "Traceback" not in result.stderr


def test_choose_language_refuses_an_unknown_flag():
    with pytest.raises(ValueError, match="unknown language 'de'"):
        i18n.choose_language("de")
    assert QCoreApplication.translate("ControlsPanel", "Start") == "Start"  # no catalogue installed here
