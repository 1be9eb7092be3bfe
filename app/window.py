"""MainWindow: lays out the views and controls and wires them to the TrainingController."""

from __future__ import annotations

import logging
import time
from importlib import resources

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QIcon, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from nn_core.config import TrainConfig

from . import formatting as fmt
from .controller import RunSummary, StartAction, State, TrainingController
from .controls import ControlsPanel
from .guide import describe_panels
from .menus import Shell
from .panels import LossCurve, RunHistoryTable, TimingReadout, TruthTablePanel
from .settings import Settings
from .surface_view import SurfaceView
from .worker import SURFACE_GRID, Progress, UpdateRate

# The surface updates with every snapshot (~30/s); the panels of numbers at most this often while training:
# read at 10/s, they cost a third of the repaints.
PANEL_INTERVAL = 0.1

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

START_SIZE = (1300, 720)  # on a screen with room for it; smaller screens get their available area
TITLE_BAR = 40  # a window manager's frame, not in the window's own size: keep it on screen too


def app_icon() -> QIcon:
    """GateLab's icon, ``app/resources/gatelab.svg``: package data, so the same file from a source tree, an
    editable install or an installed wheel.  A null QIcon if Qt cannot read it (no SVG plugin)."""
    with resources.as_file(resources.files(__package__) / "resources" / "gatelab.svg") as path:
        return QIcon(str(path))


def scrolling(column: QWidget, width: tuple[int, int]) -> QScrollArea:
    """``column`` in a vertical scroll area ``width`` (min, max) wide: on a short screen (1366×768, or a
    1920×1080 one at scale 2) its panels keep their sizes and scroll rather than squeeze or hang off it."""
    area = QScrollArea()
    area.setWidget(column)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    low, high = width
    column.setMinimumWidth(low - area.verticalScrollBar().sizeHint().width())
    area.setMinimumWidth(low)
    area.setMaximumWidth(high)
    return area


class CheckableTakesSpace(QObject):
    """An event filter: a checkable button that has the focus takes Space itself (the window's Space shortcut
    would otherwise win, and a keyboard user could never tick it)."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched, event) -> bool:
        # While a run trains the settings are disabled and the focus may fall to the fold button: Space pauses.
        if (event.type() == QEvent.Type.ShortcutOverride and event.key() == Qt.Key.Key_Space
                and self.window.controller.state != State.TRAINING
                and event.modifiers() == Qt.KeyboardModifier.NoModifier):
            event.accept()  # the key goes to the button as a key press, not to the shortcut
            return True
        return False


class MainWindow(QMainWindow):
    closed = Signal()  # after the worker has stopped, as the window closes

    def __init__(self, config: TrainConfig | None = None, rate: UpdateRate | None = None, grid: int = SURFACE_GRID,
                 settings: Settings | None = None, live=None):
        """``config`` and ``rate``: as given, else as remembered in ``settings`` (the user's settings file when
        None; app.settings), which also gives the window its last size, panels and recent runs.  ``live``: the
        application's LiveView (app/liveview.py), given to the controller and the 3D view; None: none."""
        super().__init__()
        settings = settings if settings is not None else Settings()
        config = config if config is not None else settings.run_config()
        rate = rate if rate is not None else settings.rate()
        self.setWindowTitle(translate("MainWindow", "GateLab — watch a network learn a logic gate"))
        self.setWindowIcon(app_icon())
        self.controller = TrainingController(config, rate, grid, parent=self, live=live)
        self.controls = ControlsPanel(self.controller.config, self.controller.rate)
        self.surface_view = SurfaceView(grid, live=live)
        self.readout = TimingReadout()
        self.truth_table = TruthTablePanel()
        self.loss_curve = LossCurve()
        self.history = RunHistoryTable()
        self.status_label = QLabel()
        self.statusBar().addWidget(self.status_label, 1)
        self.last_summary: RunSummary | None = None
        self._latest_progress: Progress | None = None
        self._panels_shown_at = 0.0
        self._error: str | None = None  # the last worker failure, shown until the next action
        self._ask_before_closing = True
        self.applying_run = False  # a saved run's settings are being put in the boxes: no Reset for each
        self._build_layout()
        self._build_actions()
        describe_panels(self)  # "What's this?" (Shift+F1) on each panel
        self._connect()
        self.fit_to_screen()
        self.shell = Shell(self, settings)  # menus, files, what is remembered (app.menus)
        self.shell.restore()
        self._on_trainer_replaced(self.controller.trainer)
        self._on_progress(self.controller.current_progress())
        self._on_state_changed(str(self.controller.state))

    # --- layout --------------------------------------------------------------------------

    def _build_layout(self) -> None:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.controls)
        left_layout.addWidget(self.truth_table)
        left_layout.addStretch(1)
        left = scrolling(left, width=(260, 320))

        center = QSplitter(Qt.Orientation.Vertical)
        center.addWidget(self.surface_view)
        center.addWidget(self.loss_curve)
        center.setStretchFactor(0, 3)
        center.setStretchFactor(1, 1)
        center.setSizes([480, 200])
        self.center_splitter = center

        # The timing readout and the finished runs side by side in one column: the runs are compared by it.
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.readout)
        right_layout.addWidget(self.history, 1)
        right = scrolling(right, width=(300, 440))

        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(left)
        main.addWidget(center)
        main.addWidget(right)
        main.setStretchFactor(1, 1)
        main.setSizes([300, 580, 420])  # the run table's first columns show; the rest scroll
        main.setChildrenCollapsible(False)
        self.main_splitter = main
        self.setCentralWidget(main)

    def _build_actions(self) -> None:
        def action(text, shortcut, slot):
            act = QAction(text, self)
            act.setShortcut(QKeySequence(shortcut))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(slot)
            self.addAction(act)
            return act

        self.toggle_action = action(translate("MainWindow", "Start/Pause"), Qt.Key.Key_Space, self.toggle)
        self.reset_action = action(translate("MainWindow", "Reset"), "Ctrl+R", self.reset)
        self.reset_view_action = action(translate("MainWindow", "Reset view"), "Ctrl+0", self.surface_view.reset_view)
        self.quit_action = action(translate("MainWindow", "Quit"), "Ctrl+Q", self.close)

    def _connect(self) -> None:
        # Space on a focused check box or fold button ticks it, as everywhere in Qt, rather than Start/Pause.
        self._space_filter = CheckableTakesSpace(self)
        for button in self.findChildren(QAbstractButton):
            if button.isCheckable():
                button.installEventFilter(self._space_filter)
        c = self.controller
        c.progress.connect(self._on_progress)
        c.state_changed.connect(self._on_state_changed)
        c.trainer_replaced.connect(self._on_trainer_replaced)
        c.run_finished.connect(self._on_run_finished)
        c.run_ended.connect(self.history.add_run)
        c.error.connect(self._on_error)
        self.surface_view.gl_failed_changed.connect(self._show_status)
        self.controls.start_button.clicked.connect(self.start)
        self.controls.pause_button.clicked.connect(self.toggle_pause)
        self.controls.step_button.clicked.connect(self.step)
        self.controls.reset_button.clicked.connect(self.reset)
        self.controls.start_requested.connect(self.start)  # Enter in a setting's box
        self.controls.toggle_requested.connect(self.toggle)  # Space in a number box whose text is complete
        self.controls.step_requested.connect(self.step)  # Enter in the Step × N box
        for widget in self.controls.network_settings:
            signal = widget.currentIndexChanged if hasattr(widget, "currentIndexChanged") else widget.valueChanged
            signal.connect(self._on_settings_edited)
        # A click on a target in the truth table picks the gate with that target flipped; the table shows it.
        self.truth_table.target_toggled.connect(self._toggle_target)
        self.controls.gate_combo.currentTextChanged.connect(self.truth_table.show_gate)

    # --- user actions ----------------------------------------------------------------------

    def start(self) -> None:
        self._error = None
        self.controller.start(self.controls.config(), self.controls.rate(), self.controls.stop_when_solved())

    def toggle_pause(self) -> None:
        if self.controller.state == State.PAUSED:
            self.controller.resume()
        else:
            self.controller.pause()

    def toggle(self) -> None:
        self._error = None
        self.controller.toggle(self.controls.config(), self.controls.rate(), self.controls.stop_when_solved())

    def step(self) -> None:
        self._error = None
        self.controller.step(self.controls.step_count(), self.controls.config(), self.controls.rate())
        if self.controls.steps_spin.value() != self.controller.config.iterations:  # Step past the end grew it
            self.controls.steps_spin.setValue(self.controller.config.iterations)

    def reset(self) -> None:
        self._error = None
        self.controller.reset(self.controls.config())

    def _toggle_target(self, row: int) -> None:
        """A click on a target: the gate with that bit flipped, now.  A network with steps trained starts again
        from its seed (as Reset), so the table, the markers and the status line all show the gate that trains."""
        self.controls.toggle_target(row)
        if not self.controller.fresh and not self.controller.running:
            self.reset()

    def _on_settings_edited(self) -> None:
        """While nothing is trained yet, show the new network at once; otherwise Reset applies it."""
        if self.applying_run:
            return
        if self.controller.fresh and self.controller.state == State.READY:
            self.controller.reset(self.controls.config())
        elif not self.controller.running:
            self._show_status()
        self._show_start_button()

    # --- what the controller says ------------------------------------------------------------

    def _on_progress(self, progress: Progress) -> None:
        s = progress.snapshot
        if s.surface is not None:
            self.surface_view.set_surface(s.surface)
        self._latest_progress = progress
        waited = time.perf_counter() - self._panels_shown_at
        if self.controller.state != State.TRAINING or s.finished or waited >= PANEL_INTERVAL:
            self._show_panels()

    def _show_panels(self) -> None:
        """The numbers, the truth table, the loss curve and the status line, from the latest snapshot."""
        progress = self._latest_progress
        if progress is not None:
            self._panels_shown_at = time.perf_counter()
            self.readout.show_progress(progress)
            self.truth_table.show_progress(progress)
            self.loss_curve.show_progress(progress)
        self._show_status()  # its step count too (a pause's own snapshot comes after the state change)

    def _on_trainer_replaced(self, trainer) -> None:
        self.surface_view.set_targets(trainer.targets)
        self.readout.show_trainer(trainer)
        self.loss_curve.clear_curve()
        self._show_start_button()  # Reset from READY changes no state, but Start no longer continues

    def _on_state_changed(self, state: str) -> None:
        self.controls.set_state(State(state))
        self.truth_table.set_editable(self.controls.gate_combo.isEnabled())  # targets change with the settings
        self._show_start_button()
        self._show_panels()  # a snapshot held back while training (PANEL_INTERVAL) is shown now

    def _on_run_finished(self, summary: RunSummary) -> None:
        self.last_summary = summary
        self._show_status()

    def _on_error(self, message: str) -> None:
        self._error = message
        self._show_status()
        box = QMessageBox(QMessageBox.Icon.Warning, translate("MainWindow", "GateLab: training failed"),
                          translate("MainWindow", "Training stopped with an error:\n\n{message}\n\n"
                                    "The network was reset to its seed.").format(message=message),
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("training-error")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _show_status(self) -> None:
        text = self.status_text()
        if self.surface_view.gl_failed:  # never "solved" above a 3D view that is not drawn
            text = translate("MainWindow", "{status} — 3D view off: {reason}").format(
                status=text, reason=self.surface_view.gl_failure)
        self.status_label.setText(text)

    def status_text(self) -> str:
        c = self.controller
        config = c.config
        # The run as a noun phrase, then whole sentences around it (a language may order them its own way).
        what = plain = translate("MainWindow", "{gate} with {method}, {hidden} hidden").format(
            gate=config.gate, method=config.method, hidden=",".join(map(str, config.hidden)))
        if config.engine == "compiled":
            what = translate("MainWindow", "{gate} with {method} on the compiled engine, {hidden} hidden").format(
                gate=config.gate, method=config.method, hidden=",".join(map(str, config.hidden)))
            if c.trainer.compile_seconds:  # this process's first compiled run: its compile, apart from µs/step
                what = translate("MainWindow", "{run} ({seconds} to compile)").format(
                    run=what, seconds=fmt.seconds(c.trainer.compile_seconds))
        s = self._latest_progress.snapshot if self._latest_progress else None
        step = fmt.count(s.iteration if s else c.trainer.iteration)
        if s is not None and s.diverged_at is not None:
            return translate("MainWindow", "{run}: diverged at step {step} (the update stopped being finite); "
                             "Reset to try again").format(run=what, step=f"{s.diverged_at:,}")
        if c.state == State.TRAINING and config.engine == "compiled" and c.trainer.compile_seconds is None:
            return translate("MainWindow", "Compiling the compiled engine's loops for {run} (once in a while, up to a "
                             "minute; not counted in any time)…").format(run=plain)
        if c.state == State.TRAINING:
            return translate("MainWindow", "Training {run}, surface {rate} — step {step}").format(
                run=what, rate=c.rate.describe(), step=step)
        if c.state == State.PAUSED:
            return translate("MainWindow", "Paused at step {step} ({run})").format(step=step, run=what)
        if c.state == State.FINISHED:
            summary = self.last_summary
            solved = c.trainer.solved()
            if summary is None:  # an opened run that had already finished: no time of this session to give
                text = (translate("MainWindow", "{run} at step {step}: solved") if solved else
                        translate("MainWindow", "{run} at step {step}: not solved (an output is more than 0.1 "
                                  "from its target)"))
                return text.format(run=what, step=step) + self._start_hint()
            if solved:
                text = translate("MainWindow", "Finished {run} in {time}: solved")
            else:
                text = translate("MainWindow", "Finished {run} in {time}: not solved (an output is more than 0.1 "
                                 "from its target)")
            return text.format(run=what, time=fmt.seconds(summary.wall_seconds)) + self._start_hint()
        if self._error is not None:
            return translate("MainWindow", "Training failed: {error}. The network was reset to its seed; Start to "
                             "try again").format(error=self._error)
        pending = self._start_hint()
        if c.trainer.iteration:
            return translate("MainWindow", "Ready at step {step} ({run})").format(step=step, run=what) + pending
        return translate("MainWindow", "Ready: {run}. Press Start (Space)").format(run=what) + pending

    def fit_to_screen(self) -> None:
        """Open at START_SIZE, or at the screen's available area where that is smaller, centred on it."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(*START_SIZE)
            return
        room = screen.availableGeometry()
        width = min(START_SIZE[0], room.width())
        height = min(START_SIZE[1], room.height() - TITLE_BAR)
        self.resize(max(width, self.minimumSizeHint().width()), max(height, self.minimumSizeHint().height()))
        if width < START_SIZE[0]:  # a narrow screen: the side columns at their narrowest, the 3D view the rest
            left, right = (self.main_splitter.widget(i).minimumWidth() for i in (0, 2))
            self.main_splitter.setSizes([left, width - left - right, right])
        frame = self.frameGeometry()
        frame.moveCenter(room.center())
        self.move(max(frame.left(), room.left()), max(frame.top(), room.top()))

    START_TEXTS = {StartAction.START: QT_TRANSLATE_NOOP("MainWindow", "Start"),
                   StartAction.CONTINUE: QT_TRANSLATE_NOOP("MainWindow", "Continue"),
                   StartAction.RESUME: QT_TRANSLATE_NOOP("MainWindow", "Start"),
                   StartAction.FURTHER: QT_TRANSLATE_NOOP("MainWindow", "Train on"),
                   StartAction.NEW_RUN: QT_TRANSLATE_NOOP("MainWindow", "New run")}  # translated when shown

    def _start_action(self) -> StartAction:
        return self.controller.start_action(self.controls.config())

    def _start_hint(self) -> str:
        """What Start will do with the settings shown, when that is not plain to see."""
        action, c = self._start_action(), self.controller
        if action == StartAction.FURTHER:
            return translate("MainWindow", " — Start trains this run on to step {step}").format(
                step=fmt.count(self.controls.config().iterations))
        if action == StartAction.NEW_RUN and c.trainer.iteration and self.controls.config() != c.config:
            return translate("MainWindow", " — settings changed: Start or Step begins a new run with them, "
                             "from the seed")
        return ""

    def _show_start_button(self) -> None:
        action = self._start_action()
        same = self.controls.config() == self.controller.config
        again = action == StartAction.NEW_RUN and same
        text = translate("MainWindow", "Start again") if again else translate("MainWindow", self.START_TEXTS[action])
        self.controls.start_button.setText(text)

    def screenshot(self) -> QPixmap:
        """The whole window, 3D view included (a plain grab() misses what pyqtgraph paints on the GL view)."""
        shot = self.grab()
        view = self.surface_view
        frame = view.grabFramebuffer()
        frame.setDevicePixelRatio(view.devicePixelRatioF())
        painter = QPainter(shot)
        painter.drawImage(view.mapTo(self, QPoint(0, 0)), frame)
        painter.end()
        return shot

    # --- closing ----------------------------------------------------------------------------

    ASK_AFTER_SECONDS = 60.0  # closing during a run trained longer than this asks first

    def _long_run_under_way(self) -> bool:
        progress = self._latest_progress
        return self.controller.running and progress is not None and progress.wall_seconds > self.ASK_AFTER_SECONDS

    def may_replace_run(self) -> bool:
        """True unless a run trained for over a minute is under way and the learner keeps it (Open run asks
        as closing does)."""
        if not self._ask_before_closing or not self._long_run_under_way():
            return True
        answer = QMessageBox.question(
            self, "GateLab", translate("MainWindow", "A run has trained for more than a minute and is not "
                                       "finished.\n\nOpen the other run and lose this one?"),
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Open

    def close_now(self) -> None:
        """Close without asking (Ctrl+C in the terminal, scripts)."""
        self._ask_before_closing = False
        self.close()

    def closeEvent(self, event) -> None:
        if self._ask_before_closing and not self.controller.closed and self._long_run_under_way():
            answer = QMessageBox.question(
                self, "GateLab", translate("MainWindow", "A run has trained for more than a minute and is not "
                                           "finished.\n\nClose GateLab and lose it?"),
                QMessageBox.StandardButton.Close | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Close:
                event.ignore()
                return
        # Stop and join the worker and drop its pending snapshots before the window goes.
        if not self.controller.closed:
            if hasattr(self, "shell"):  # a window that failed half-built has nothing to remember
                self.shell.remember()
            self.controller.shutdown()
            self.closed.emit()
        super().closeEvent(event)
