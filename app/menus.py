"""The window's desktop shell: its menus and shortcuts, saving and opening runs, exports, and what it remembers.

``Shell(window, settings)`` adds a menu bar to a MainWindow and wires it to the window's own actions (Start/Pause
on Space, Reset on Ctrl+R, Reset view on Ctrl+0).  Runs are saved as ``nn_core.runfile``'s JSON text and every
file is written with QSaveFile: a failed write leaves the old file as it was.  A run being trained is stopped
where it is before it is saved or exported (the worker thread owns the Trainer while it steps it); Start then
continues it.  Each export is also a plain function of (window, path), for scripts and tests.
"""

from __future__ import annotations

import csv
import importlib.metadata
import io
import logging
import platform
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QEvent,
    QIODevice,
    QObject,
    QSaveFile,
    Qt,
    qVersion,
)
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QImage, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from . import i18n
from .controller import State
from .lenses import LENSES, OUTPUT
from .settings import Settings

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

RUN_SUFFIX = ".json"
StandardKey = QKeySequence.StandardKey
# Where the platform has no standard key for these (a bare X11 session has none for full screen), these.
FALLBACK_KEYS = {StandardKey.Quit: "Ctrl+Q", StandardKey.FullScreen: "F11"}
STEP_KEY = "Ctrl+T"


class FileError(Exception):
    """A file could not be read, written or used; the text is one sentence for the user."""


# --- files ---------------------------------------------------------------------------------------------------

def write_file(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (QSaveFile: a temporary file renamed over the old one only when
    complete).  FileError with Qt's reason if the folder is not writable or the disk is full."""
    out = QSaveFile(str(path))
    if not out.open(QIODevice.OpenModeFlag.WriteOnly):
        raise FileError(translate("Menus", "{path} could not be written: {reason}.").format(
            path=path, reason=out.errorString()))
    if out.write(QByteArray(data)) != len(data):
        reason = out.errorString()
        out.cancelWriting()
        out.commit()
        raise FileError(translate("Menus", "{path} could not be written: {reason}.").format(path=path, reason=reason))
    if not out.commit():
        raise FileError(translate("Menus", "{path} could not be written: {reason}.").format(
            path=path, reason=out.errorString()))


def png_bytes(image: QImage) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if image.isNull() or not image.save(buffer, "PNG"):
        raise FileError(translate("Menus", "The picture could not be made."))
    return bytes(buffer.data())


def idle_trainer(window):
    """The window's Trainer, with no run under way: a run being trained or paused is stopped where it is (the
    worker owns the Trainer while it steps it).  Start continues it from there."""
    controller = window.controller
    if controller.running:
        controller.stop()
    return controller.trainer


def save_run(window, path: str | Path) -> None:
    """Save the window's run (settings, step count, parameters, optimizer state) to ``path`` as
    ``nn_core.runfile`` JSON.  FileError if it cannot be written."""
    from nn_core import runfile

    text = runfile.dumps(runfile.from_trainer(idle_trainer(window)))
    write_file(path, text.encode("utf-8"))


def read_run(path: str | Path):
    """The ``SavedRun`` in ``path``; FileError (one sentence) if it cannot be read or is not a good run file."""
    from nn_core import runfile

    try:
        with open(path, "rb") as file:
            data = file.read(runfile.MAX_BYTES + 1)  # no more: loads refuses a larger file as not a run
        return runfile.loads(data)
    except OSError as error:
        reason = error.strerror or str(error)
    except runfile.RunFileError as error:
        reason = str(error)
    raise FileError(translate("Menus", "{path} could not be opened: {reason}.").format(
        path=Path(path).name, reason=reason.rstrip(".")))


def open_run(window, run) -> None:
    """Show a loaded run: its settings in the controls, its network in every view; Start or Step goes on from
    its step count exactly as if it had never stopped.  The single run's view is shown."""
    window.set_view("single")
    window.applying_run = True  # the boxes change one by one: no Reset for each
    try:
        window.controls.set_config(run.config)
    finally:
        window.applying_run = False
    window.controller.load_run(run)
    window.last_summary = None
    window._show_start_button()
    window._show_status()


def export_view_png(window, path: str | Path) -> QImage:
    """The 3D view at its full resolution (device pixels) as a PNG; the image written.  FileError without a
    3D view or if the file cannot be written."""
    image = window.surface_view.grabFramebuffer()
    if image.isNull():
        raise FileError(translate("Menus", "The 3D view is not drawn, so there is no picture of it to save."))
    write_file(path, png_bytes(image))
    return image


def export_window_png(window, path: str | Path) -> None:
    """The whole window, 3D view included, as a PNG (as ``--screenshot`` saves it)."""
    write_file(path, png_bytes(window.screenshot().toImage()))


def loss_history(window) -> list[tuple[int, float]]:
    """(step, loss) pairs of the run shown, as the loss curve has them (thinned to at most ~2,000 points)."""
    progress = window._latest_progress
    if progress is None:
        return []
    s = progress.snapshot
    return [(int(step), float(loss)) for step, loss in zip(s.history_steps, s.history_losses, strict=True)]


def export_loss_csv(window, path: str | Path) -> None:
    """The loss history as CSV: a header ``step,loss``, then one row per point (losses with every digit)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["step", "loss"])
    writer.writerows((step, repr(loss)) for step, loss in loss_history(window))
    write_file(path, out.getvalue().encode("utf-8"))


def export_runs_csv(window, path: str | Path) -> None:
    """The Finished runs table as shown, as CSV."""
    write_file(path, window.history.to_csv().encode("utf-8"))


def export_runs_markdown(window, path: str | Path) -> None:
    """The Finished runs table as shown, as a Markdown table."""
    write_file(path, window.history.to_markdown().encode("utf-8"))


def export_race_markdown(window, path: str | Path) -> None:
    """The race's table (methods, the seed's reference rows, the drawing cost) as a Markdown table."""
    write_file(path, window.race_view.to_markdown().encode("utf-8"))


def export_race_csv(window, path: str | Path) -> None:
    """The race's table as CSV, numbers with every digit."""
    write_file(path, window.race_view.to_csv().encode("utf-8"))


def export_npz(window, path: str | Path) -> None:
    """The network's parameters in the book's layout (W1, b1, ...) as a NumPy .npz file."""
    from nn_core import runfile

    buffer = io.BytesIO()
    runfile.export_npz(buffer, runfile.from_trainer(idle_trainer(window)))
    write_file(path, buffer.getvalue())


# --- about --------------------------------------------------------------------------------------------------

def gatelab_version() -> str:
    try:
        return importlib.metadata.version("gatelab")
    except importlib.metadata.PackageNotFoundError:
        return translate("About", "unknown (not installed)")


def opengl_renderer(window) -> str | None:
    """The OpenGL renderer of the 3D view's context, or None if it has none."""
    view = window.surface_view.view
    if view is None or window.surface_view.gl_failed or not view.isValid():
        return None
    try:
        from OpenGL import GL

        view.makeCurrent()
        try:
            name = GL.glGetString(GL.GL_RENDERER)
        finally:
            view.doneCurrent()
        return name.decode(errors="replace") if name else None
    except Exception:  # noqa: BLE001 - only a line of the About box
        log.debug("no OpenGL renderer name", exc_info=True)
        return None


def numba_version() -> str:
    """numba's version, for the compiled engine, or why it is not there (numba is an optional extra)."""
    try:
        return importlib.metadata.version("numba")
    except importlib.metadata.PackageNotFoundError:
        return translate("About", "not installed (the compiled engine needs it)")


def about_text(window) -> str:
    """GateLab's version and what it runs on, one item a line (the About box's text, and what Copy copies)."""
    import numpy
    import pyqtgraph
    import PySide6

    renderer = opengl_renderer(window) or translate("About", "unknown")
    return "\n".join([
        translate("About", "GateLab {version}").format(version=gatelab_version()),
        translate("About", "Python {version}").format(version=platform.python_version()),
        translate("About", "Qt {version}").format(version=qVersion()),
        translate("About", "PySide6 {version}").format(version=PySide6.__version__),
        translate("About", "pyqtgraph {version}").format(version=pyqtgraph.__version__),
        translate("About", "numpy {version}").format(version=numpy.__version__),
        translate("About", "numba {version}").format(version=numba_version()),
        translate("About", "OpenGL renderer: {renderer}").format(renderer=renderer),
        translate("About", "Platform: {platform}").format(platform=f"{platform.system()} {platform.machine()}, "
                                                           f"{QGuiApplication.platformName()}"),
    ])


class AboutDialog(QDialog):
    """GateLab's version and its libraries', with a Copy button (for a bug report)."""

    def __init__(self, window):
        super().__init__(window)
        self.setObjectName("about-gatelab")
        self.setWindowTitle(translate("About", "About GateLab"))
        self.text = about_text(window)
        intro = QLabel(translate("About", "GateLab: watch a small neural network learn a logic gate."))
        details = QLabel(self.text)
        details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(translate("About", "&Copy"))
        self.copy_button.setToolTip(translate("About", "Copy these versions to the clipboard"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(lambda: QApplication.clipboard().setText(self.text))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(details)
        layout.addWidget(buttons)


# --- the shell ------------------------------------------------------------------------------------------------

# The note after a language change, also written in the language chosen (each language names itself).
NEXT_START_IN_ITSELF = {"en": "GateLab will use English the next time it starts.",
                        "ja": "次に起動したときから日本語で表示します。"}


class Shell(QObject):
    """The menus of ``window`` (a MainWindow) and the file, settings and title work behind them."""

    PANELS = ("settings_panel", "loss_curve", "side_panel")

    def __init__(self, window, settings: Settings):
        super().__init__(window)
        self.window = window
        self.settings = settings
        self.path: Path | None = None  # the run file shown, if any
        self._saved = None  # (trainer, step) of the run as last saved or opened
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice_text = ""  # the notice in full
        window.statusBar().addPermanentWidget(self.notice)
        self._build_actions()
        self._build_menus()
        window.controller.progress.connect(self._update_modified)
        window.controller.trainer_replaced.connect(lambda _trainer: self._update_modified())
        window.controller.state_changed.connect(self._on_state_changed)
        window.session.view_changed.connect(self._on_view_changed)
        for act in self.table_export_actions.values():
            act.setEnabled(window.session.view == "race")
        for act in self.single_run_actions():
            act.setEnabled(window.session.view == "single")
        self._update_title()
        self._update_modified()
        window.installEventFilter(self)  # the Full screen tick follows the window (a window manager may change it)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.window and event.type() == QEvent.Type.WindowStateChange:
            blocked = self.full_screen_action.blockSignals(True)
            self.full_screen_action.setChecked(self.window.isFullScreen())
            self.full_screen_action.blockSignals(blocked)
        return False

    # --- building ------------------------------------------------------------------------------------------

    def _action(self, text: str, slot, shortcut=None, tip: str | None = None, checkable: bool = False) -> QAction:
        """An action of the window (its shortcut works wherever the focus is in it); a checkable one calls
        ``slot(checked)`` whenever it changes, by the menu or by code."""
        act = QAction(text, self.window)
        act.setCheckable(checkable)
        if isinstance(shortcut, StandardKey):
            keys = QKeySequence.keyBindings(shortcut)
            if not keys and shortcut in FALLBACK_KEYS:
                keys = [QKeySequence(FALLBACK_KEYS[shortcut])]
            act.setShortcuts(keys)
        elif shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if tip:
            act.setStatusTip(tip)
            act.setToolTip(tip)
        (act.toggled if checkable else act.triggered).connect(slot)
        self.window.addAction(act)
        return act

    def _build_actions(self) -> None:
        w = self.window
        self.open_action = self._action(translate("Menus", "&Open run…"), self.open_dialog, StandardKey.Open,
                                        translate("Menus", "Open a saved run and go on from where it stopped"))
        self.save_action = self._action(translate("Menus", "&Save run"), self.save, StandardKey.Save,
                                        translate("Menus", "Save the run: its settings, step count, parameters "
                                                  "and optimizer state"))
        self.save_as_action = self._action(translate("Menus", "Save run &as…"), self.save_as_dialog,
                                           StandardKey.SaveAs, translate("Menus", "Save the run to a new file"))
        # The window's own Quit, Start/Pause, Reset and Reset view: the same actions, named for the menus.
        self.quit_action = w.quit_action
        keys = QKeySequence.keyBindings(StandardKey.Quit) or [QKeySequence(FALLBACK_KEYS[StandardKey.Quit])]
        self.quit_action.setShortcuts(keys)
        self.quit_action.setText(translate("Menus", "&Quit"))
        w.toggle_action.setText(translate("Menus", "&Start/Pause"))
        w.reset_action.setText(translate("Menus", "&Reset"))
        w.reset_view_action.setText(translate("Menus", "Reset &view"))
        self.step_action = self._action(translate("Menus", "S&tep"), w.step, STEP_KEY,
                                        translate("Menus", "Train the number of steps in the Step × N box"))

        self.export_actions = {
            "view_png": self._action(translate("Menus", "&3D view as PNG…"), lambda: self.export_dialog("view_png")),
            "window_png": self._action(translate("Menus", "&Window as PNG…"),
                                       lambda: self.export_dialog("window_png")),
            "loss_csv": self._action(translate("Menus", "&Loss history as CSV…"),
                                     lambda: self.export_dialog("loss_csv")),
            "runs_csv": self._action(translate("Menus", "Finished runs as &CSV…"),
                                     lambda: self.export_dialog("runs_csv")),
            "runs_markdown": self._action(translate("Menus", "Finished runs as &Markdown…"),
                                          lambda: self.export_dialog("runs_markdown")),
            "npz": self._action(translate("Menus", "&Network as NumPy arrays (.npz)…"),
                                lambda: self.export_dialog("npz"),
                                tip=translate("Menus", "W1, b1, W2, b2, … in the book's layout")),
        }

        self.table_export_actions = {
            "race_markdown": self._action(translate("Menus", "Race table as M&arkdown…"),
                                          lambda: self.export_dialog("race_markdown")),
            "race_csv": self._action(translate("Menus", "Race table as C&SV…"), lambda: self.export_dialog("race_csv")),
        }
        self.export_actions.update(self.table_export_actions)

        self.view_group = QActionGroup(self.window)
        self.view_actions = {}
        for number, (key, text, tip) in enumerate((
                ("single", translate("Menus", "Si&ngle run"), translate("Menus", "One run, large")),
                ("race", translate("Menus", "&Race the methods"),
                 translate("Menus", "Every gradient method from the same seed, side by side at its true speed")),
                ("gates", translate("Menus", "All &gates"),
                 translate("Menus", "The six gates from the same seed, as one stacked computation")),
                ("atlas", translate("Menus", "Seed &atlas"),
                 translate("Menus", "Seeds 0 to K−1 at the same settings: which learn the gate, and the success rate "
                           "against width"))), start=1):
            act = self._action(text, lambda _on=False, key=key: self.window.set_view(key), f"Ctrl+{number}", tip)
            act.setCheckable(True)
            act.setChecked(key == str(self.window.session.view))
            self.view_group.addAction(act)
            self.view_actions[key] = act

        # The single run's tabs (app.lenses): choosing one shows the single run with that tab in front.
        self.lens_group = QActionGroup(self.window)
        self.lens_actions = {}
        for number, lens in enumerate((OUTPUT, *LENSES), start=1):
            act = self._action(translate("Lens", lens.title), lambda _on=False, key=lens.key: self.show_lens(key),
                               f"Alt+{number}", translate("Lens", lens.tip))
            act.setCheckable(True)  # after: its slot is for a choice (triggered), not for every change
            act.setChecked(lens.key == self.window.lens)
            self.lens_group.addAction(act)
            self.lens_actions[lens.key] = act
        self.window.lens_tabs.currentChanged.connect(self._on_lens_changed)

        self.panel_actions = {}
        for name, text in zip(self.PANELS, (translate("Menus", "&Settings and truth table"),
                                            translate("Menus", "L&oss curve"),
                                            translate("Menus", "&Timing and finished runs")), strict=True):
            act = self._action(text, lambda on, name=name: self.show_panel(name, on), checkable=True)
            act.setChecked(True)
            self.panel_actions[name] = act
        self.full_screen_action = self._action(translate("Menus", "&Full screen"), self.set_full_screen,
                                               StandardKey.FullScreen, checkable=True)

        self.language_group = QActionGroup(self.window)
        self.language_actions = {}
        self.settings.language()  # read to check it: a bad remembered value is reported with the others
        current = i18n.current_language()  # the language in use (--lang, the setting or the system's)
        for key, name in (("en", "&English"), ("ja", "日本語 (&J)")):  # each language named in itself
            act = self._action(name, lambda _on=False, key=key: self.set_language(key))
            act.setCheckable(True)
            act.setChecked(key == current)
            self.language_group.addAction(act)
            self.language_actions[key] = act

        self.guide_action = self._action(translate("Menus", "&Guide"), self.show_guide, StandardKey.HelpContents)
        self.about_action = self._action(translate("Menus", "&About GateLab"), self.show_about)
        self.about_qt_action = self._action(translate("Menus", "About &Qt"), QApplication.aboutQt)

    def _build_menus(self) -> None:
        w = self.window
        bar = w.menuBar()
        file_menu = bar.addMenu(translate("Menus", "&File"))
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu(translate("Menus", "&Recent runs"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self._fill_recent_menu()
        file_menu.addSeparator()
        file_menu.addAction(self.save_action)
        file_menu.addAction(self.save_as_action)
        self.export_menu = file_menu.addMenu(translate("Menus", "&Export"))
        for act in self.export_actions.values():
            self.export_menu.addAction(act)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        run_menu = bar.addMenu(translate("Menus", "&Run"))
        for act in (w.toggle_action, self.step_action, w.reset_action):
            run_menu.addAction(act)
        run_menu.addSeparator()
        run_menu.addAction(w.reset_view_action)

        view_menu = bar.addMenu(translate("Menus", "&View"))
        for act in self.view_actions.values():
            view_menu.addAction(act)
        self.lens_menu = view_menu.addMenu(translate("Menus", "Single run: look &inside"))
        for act in self.lens_actions.values():
            self.lens_menu.addAction(act)
        view_menu.addSeparator()
        for act in self.panel_actions.values():
            view_menu.addAction(act)
        view_menu.addSeparator()
        view_menu.addAction(self.full_screen_action)
        self.language_menu = view_menu.addMenu(translate("Menus", "&Language"))
        for act in self.language_actions.values():
            self.language_menu.addAction(act)

        help_menu = bar.addMenu(translate("Menus", "&Help"))
        for act in (self.guide_action, self.about_action, self.about_qt_action):
            help_menu.addAction(act)
        self.menus = {"file": file_menu, "run": run_menu, "view": view_menu, "help": help_menu}

    def _fill_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        recent = self.settings.recent_files()
        for number, path in enumerate(recent, start=1):
            act = menu.addAction(f"&{number} {Path(path).name}")
            act.setData(path)
            act.setStatusTip(path)
            act.setToolTip(path)
            act.triggered.connect(lambda _on=False, path=path: self.open_path(path))
        if not recent:
            none = menu.addAction(translate("Menus", "No recent runs"))
            none.setEnabled(False)
        menu.addSeparator()
        clear = menu.addAction(translate("Menus", "&Clear the list"))
        clear.setEnabled(bool(recent))
        clear.triggered.connect(self.settings.clear_recent_files)

    # --- remembering ---------------------------------------------------------------------------------------

    def splitters(self) -> dict:
        return {"main": self.window.main_splitter, "center": self.window.center_splitter}

    def restore(self) -> None:
        """Put back the window's geometry, splitters and panels as they were when it last closed."""
        w, s = self.window, self.settings
        geometry = s.geometry()
        if geometry is not None and not w.restoreGeometry(geometry):
            s.note(translate("Settings", "The remembered window size could not be used."))
        state = s.window_state()
        if state is not None:
            w.restoreState(state)
        for name, splitter in self.splitters().items():
            saved = s.splitter(name)
            if saved is not None and not splitter.restoreState(saved):
                s.note(translate("Settings", "The remembered panel sizes could not be used."))
        for name in self.PANELS:
            self.panel_actions[name].setChecked(s.panel_shown(name))
        w.controls.set_stop_when_solved(s.stop_when_solved())
        if s.problems:
            self.show_notice(" ".join(s.problems))

    def remember(self) -> None:
        """Store what the next launch starts with: the window's geometry and panels, the settings shown, the update
        rate."""
        w, s = self.window, self.settings
        self.full_screen_action.setChecked(False)  # the size to come back to is the normal one
        s.set_window(w.saveGeometry(), w.saveState())
        for name, splitter in self.splitters().items():
            s.set_splitter(name, splitter.saveState())
        for name, act in self.panel_actions.items():
            s.set_panel_shown(name, act.isChecked())
        s.set_run_config(w.session.settings)
        s.set_rate(w.controls.rate())
        s.set_stop_when_solved(w.controls.stop_when_solved())
        problem = s.sync()
        if problem:
            log.warning("%s", problem)

    # --- messages ------------------------------------------------------------------------------------------

    def show_notice(self, text: str) -> None:
        """A sentence at the right of the status line, until the next one or the next run.  Cut short in the
        middle to half the window's width (a long path must not widen the window); the tooltip has it whole."""
        room = max(self.window.width() // 2, 200)
        self.notice.setText(self.notice.fontMetrics().elidedText(text, Qt.TextElideMode.ElideMiddle, room))
        self.notice.setToolTip(text)
        self.notice_text = text

    def show_error(self, title: str, text: str) -> None:
        """A refusal: the status line says it, and a message box (not blocking the window) explains it."""
        self.show_notice(text)
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("file-error")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _on_state_changed(self, state: str) -> None:
        if state == State.TRAINING:
            self.show_notice("")
        self._update_modified()

    # --- title and the modified marker ---------------------------------------------------------------------

    def _update_title(self) -> None:
        if self.path is None:
            self.window.setWindowTitle(translate("Menus", "GateLab — watch a network learn a logic gate[*]"))
        else:
            self.window.setWindowTitle(translate("Menus", "{file}[*] — GateLab").format(file=self.path.name))

    def shown_step(self) -> int:
        progress = self.window._latest_progress
        return progress.snapshot.iteration if progress is not None else 0

    def _update_modified(self, *_args) -> None:
        """Modified: the network has trained steps that are not in the file shown (or in no file)."""
        trainer, step = self.window.controller.trainer, self.shown_step()
        saved = self._saved is not None and self._saved[0] is trainer and self._saved[1] == step
        self.window.setWindowModified(step > 0 and not saved)
        single = self.window.session.view == "single"  # the race's and the gates' runs are not saved
        self.save_action.setEnabled(single and (step > 0 or self.window.controller.running))
        self.save_as_action.setEnabled(self.save_action.isEnabled())

    def _mark_saved(self, path: Path) -> None:
        self.path = path
        trainer = self.window.controller.trainer
        self._saved = (trainer, trainer.iteration)
        self.settings.add_recent_file(path)
        self.settings.set_last_folder(path.parent)
        self._update_title()
        self._update_modified()

    # --- saving and opening --------------------------------------------------------------------------------

    def _folder_for(self, name: str) -> str:
        return str(Path(self.settings.last_folder()) / name)

    def _run_name(self) -> str:
        c = self.window.controller.config
        return f"{c.gate}-{c.method}-step{self.shown_step()}"

    def save(self) -> bool:
        """Save to the file shown if this run came from it or was saved to it; otherwise ask where."""
        if self.path is not None and self._saved is not None and self._saved[0] is self.window.controller.trainer:
            return self.save_to(self.path)
        return self.save_as_dialog()

    def save_as_dialog(self) -> bool:
        path, _filter = QFileDialog.getSaveFileName(
            self.window, translate("Menus", "Save run"), self._folder_for(self._run_name() + RUN_SUFFIX),
            translate("Menus", "GateLab runs (*.json)"))
        if not path:
            return False
        path = Path(path)
        if path.suffix == "":
            path = path.with_suffix(RUN_SUFFIX)
        return self.save_to(path)

    def save_to(self, path: str | Path) -> bool:
        """Save the run to ``path``; on failure a message and nothing else changes.  True if saved."""
        path = Path(path)
        was_running = self.window.controller.running
        try:
            save_run(self.window, path)
        except FileError as error:
            self.show_error(translate("Menus", "GateLab: the run was not saved"), str(error))
            return False
        self._mark_saved(path)
        step = f"{self.window.controller.trainer.iteration:,}"
        if was_running:
            text = translate("Menus", "The run stopped at step {step} to be saved in {file}; Continue goes on from "
                             "there.").format(file=path.name, step=step)
        else:
            text = translate("Menus", "Saved {file} at step {step}.").format(file=path.name, step=step)
        self.show_notice(text)
        return True

    def open_dialog(self) -> bool:
        path, _filter = QFileDialog.getOpenFileName(
            self.window, translate("Menus", "Open run"), self.settings.last_folder(),
            translate("Menus", "GateLab runs (*.json);;All files (*)"))
        return bool(path) and self.open_path(path)

    def open_path(self, path: str | Path) -> bool:
        """Open the run in ``path``.  A file that cannot be used is refused whole: a message, and the settings,
        the network, the views and the runs table stay as they were.  True if opened."""
        path = Path(path)
        if not self.window.may_replace_run():
            return False
        try:
            run = read_run(path)
        except FileError as error:
            self.show_error(translate("Menus", "GateLab: the run was not opened"), str(error))
            return False
        self.open_loaded(run, path)
        return True

    def open_loaded(self, run, path: str | Path) -> None:
        """Show ``run`` (a SavedRun read from ``path``) and go on from it."""
        path = Path(path)
        open_run(self.window, run)
        self._mark_saved(path)
        self.show_notice(translate("Menus", "Opened {file} at step {step}.").format(
            file=path.name, step=f"{run.iteration:,}"))

    # --- exports ------------------------------------------------------------------------------------------

    EXPORTS = {  # key: (function, file name ending)
        "view_png": (export_view_png, "-3d.png"),
        "window_png": (export_window_png, "-window.png"),
        "loss_csv": (export_loss_csv, "-loss.csv"),
        "runs_csv": (export_runs_csv, "runs.csv"),
        "runs_markdown": (export_runs_markdown, "runs.md"),
        "npz": (export_npz, "-network.npz"),
        "race_markdown": (export_race_markdown, "race.md"),
        "race_csv": (export_race_csv, "race.csv"),
    }

    @staticmethod
    def export_filter(key: str) -> str:
        """The file dialog's filter for the export ``key``."""
        png = translate("Menus", "PNG images (*.png)")
        csv_files = translate("Menus", "CSV files (*.csv)")
        return {"view_png": png, "window_png": png, "loss_csv": csv_files, "runs_csv": csv_files,
                "race_csv": csv_files, "race_markdown": translate("Menus", "Markdown files (*.md)"),
                "runs_markdown": translate("Menus", "Markdown files (*.md)"),
                "npz": translate("Menus", "NumPy arrays (*.npz)")}[key]

    def export_dialog(self, key: str) -> bool:
        """Ask where, then export ``key`` (one of EXPORTS) there.  True if written."""
        _function, ending = self.EXPORTS[key]
        name = ending if key.startswith(("runs", "race")) else self._run_name() + ending
        path, _filter = QFileDialog.getSaveFileName(
            self.window, translate("Menus", "Export"), self._folder_for(name), self.export_filter(key))
        return bool(path) and self.export_to(key, path)

    def export_to(self, key: str, path: str | Path) -> bool:
        """Export ``key`` (one of EXPORTS) to ``path``; a failure shows why and changes nothing.  True if
        written."""
        function = self.EXPORTS[key][0]
        path = Path(path)
        try:
            function(self.window, path)
        except FileError as error:
            self.show_error(translate("Menus", "GateLab: nothing was exported"), str(error))
            return False
        self.settings.set_last_folder(path.parent)
        self.show_notice(translate("Menus", "Exported {file}.").format(file=path.name))
        return True

    # --- view, language, help ---------------------------------------------------------------------------------

    def panel(self, name: str):
        w = self.window
        return {"settings_panel": w.main_splitter.widget(0), "loss_curve": w.center_splitter.widget(1),
                "side_panel": w.main_splitter.widget(2)}[name]

    def show_panel(self, name: str, shown: bool) -> None:
        if name == "side_panel":  # timing and finished runs belong to the single run's view
            shown = shown and self.window.schedule_view is None
        self.panel(name).setVisible(shown)

    def show_lens(self, key: str) -> None:
        """The single run, with the tab ``key`` (app.lenses) in front."""
        self.window.set_view("single")
        self.window.set_lens(key)

    def _on_lens_changed(self, _index: int) -> None:
        act = self.lens_actions.get(self.window.lens)
        if act is not None:
            blocked = self.lens_group.blockSignals(True)
            act.setChecked(True)
            self.lens_group.blockSignals(blocked)

    def _on_view_changed(self, view: str) -> None:
        blocked = self.view_group.blockSignals(True)
        self.view_actions[view].setChecked(True)
        self.view_group.blockSignals(blocked)
        self.show_panel("side_panel", self.panel_actions["side_panel"].isChecked())
        for act in self.table_export_actions.values():
            act.setEnabled(view == "race")
        for act in self.single_run_actions():
            act.setEnabled(view == "single")
        self._update_modified()

    def single_run_actions(self) -> list[QAction]:
        """What acts on the single run only (its file, its 3D view, its loss, its network)."""
        return [self.save_action, self.save_as_action,
                *(self.export_actions[key] for key in ("view_png", "loss_csv", "npz"))]

    def set_full_screen(self, on: bool) -> None:
        if on:
            self.window.showFullScreen()
        else:
            self.window.showNormal()

    def set_language(self, key: str) -> None:
        """Remember the language for the next start (the text is translated as the window is built)."""
        self.settings.set_language(key)
        self.settings.sync()
        name = {"en": "English", "ja": "日本語"}[key]
        text = translate("Menus", "GateLab will use {language} the next time it starts.").format(language=name)
        if key != i18n.current_language():  # also in the language chosen, for a learner who reads only that one
            text += "\n" + NEXT_START_IN_ITSELF[key]
        self.show_notice(text)
        box = QMessageBox(QMessageBox.Icon.Information, translate("Menus", "Language"), text,
                          QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("language-note")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def show_guide(self) -> None:
        from .guide import show_guide  # written with the translations; imported only when asked for

        show_guide(self.window)

    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
