"""MainWindow: lays out the views and controls and wires them to the TrainingController."""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from importlib import resources

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QEventLoop, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QIcon, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nn_core.config import TrainConfig
from nn_core.gates import is_solved
from nn_core.methods import METHODS

from . import formatting as fmt
from .atlas_view import AtlasView
from .controller import RunSummary, StartAction, State, TrainingController
from .controls import ControlsPanel
from .gates_view import GatesView
from .guide import describe_panels
from .inside import NetworkAt
from .lenses import LENSES, OUTPUT, lens_keys
from .liveview import NoLiveView
from .menus import Shell
from .mini_surface import MiniSurface
from .pace_box import PaceBox
from .panels import LossCurve, RunHistoryTable, TimingReadout, TruthTablePanel
from .race_view import RaceView
from .schedule_texts import schedule_status
from .schedule_worker import MINI_GRID, ScheduleController, preview_statuses
from .session import SCHEDULE_VIEWS, Session, View, replayed
from .settings import Settings
from .surface_view import SurfaceView
from .timeline import Timeline
from .worker import SURFACE_GRID, Progress, UpdateRate

VIEWS = (View.SINGLE, View.RACE, View.GATES, View.ATLAS)  # the order of the tabs

# The surface updates with every snapshot (~30/s); the panels of numbers at most this often while training:
# read at 10/s, they cost a third of the repaints.
PANEL_INTERVAL = 0.1
LENS_SHARE = 0.25  # at most this share of the GUI thread goes to the lens in front while training

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


def scrolled(page: QWidget) -> QScrollArea:
    """``page`` in a scroll area: a view larger than a small screen's room scrolls rather than widen the window
    beyond it."""
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
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
                and not self.window.training
                and event.modifiers() == Qt.KeyboardModifier.NoModifier):
            event.accept()  # the key goes to the button as a key press, not to the shortcut
            return True
        return False


class MainWindow(QMainWindow):
    closed = Signal()  # after the worker has stopped, as the window closes

    def __init__(self, config: TrainConfig | None = None, rate: UpdateRate | None = None, grid: int = SURFACE_GRID,
                 settings: Settings | None = None, live=None, view: View | str = View.SINGLE,
                 pace: float | None = None, lens: str = OUTPUT.key):
        """``config`` and ``rate``: as given, else as remembered in ``settings`` (the user's settings file when
        None; app.settings), which also gives the window its last size, panels and recent runs.  ``live``: the
        live-view machinery (app.liveview; a do-nothing one when None).  ``view``: the view shown first;
        ``pace``: steps per second, None for full speed; ``lens``: the single run's tab in front (app.lenses)."""
        super().__init__()
        settings = settings if settings is not None else Settings()
        config = config if config is not None else settings.run_config()
        rate = rate if rate is not None else settings.rate()
        self.live = live if live is not None else NoLiveView()
        self.setWindowTitle(translate("MainWindow", "GateLab — watch a network learn a logic gate"))
        self.setWindowIcon(app_icon())
        self.controller = TrainingController(config, rate, grid, parent=self, live=self.live)
        self.session = Session(self.controller.config, pace=pace, view=view)
        self.schedules = ScheduleController(self.session, self.controller.thread, self.live, parent=self)
        self.controller.set_pace(pace)
        self.controls = ControlsPanel(self.controller.config, self.controller.rate)
        self.surface_view = SurfaceView(grid, live=self.live)
        self.lens_views = {lens.key: lens.factory(self.live) for lens in LENSES}  # the single run's other tabs
        self.race_view = RaceView(surface_factory=self._lane_surface, choices=list(METHODS))
        self.gates_view = GatesView(grid=MINI_GRID, live=self.live)
        self.atlas_view = AtlasView()
        self.timeline = Timeline()
        self.pace_combo = PaceBox(pace)
        self.readout = TimingReadout()
        self.truth_table = TruthTablePanel()
        self.loss_curve = LossCurve()
        self.history = RunHistoryTable()
        self.status_label = QLabel()
        self.statusBar().addWidget(self.status_label, 1)
        self.last_summary: RunSummary | None = None
        self._latest_progress: Progress | None = None
        self._panels_shown_at = 0.0
        self._lens_due = 0.0  # the lens in front is shown the next live snapshot from then on (_show_inside)
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
        self.set_lens(lens)
        if self.session.view != View.SINGLE:
            self._on_view_changed(str(self.session.view))

    LANE_MINIMUM = (150, 140)  # five lanes side by side fit the middle of a 1300-pixel window

    def _lane_surface(self) -> MiniSurface:
        surface = MiniSurface(MINI_GRID, live=self.live)
        surface.setMinimumSize(*self.LANE_MINIMUM)
        return surface

    # --- layout --------------------------------------------------------------------------

    def _build_layout(self) -> None:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.controls)
        left_layout.addWidget(self.truth_table)
        left_layout.addStretch(1)
        left = scrolling(left, width=(260, 320))

        # The single run's ways of looking at its network, as tabs over the loss curve, which they all share.
        self.lens_tabs = QTabWidget()
        self.lens_tabs.setObjectName("lens-tabs")
        self.lens_tabs.setDocumentMode(True)
        self.lens_pages = {OUTPUT.key: self.surface_view}  # the lenses scroll on a small screen, as the views do
        self.lens_pages.update({lens.key: scrolled(self.lens_views[lens.key]) for lens in LENSES})
        for lens in (OUTPUT, *LENSES):
            index = self.lens_tabs.addTab(self.lens_pages[lens.key], translate("Lens", lens.title))
            self.lens_tabs.setTabToolTip(index, translate("Lens", lens.tip))
        center = QSplitter(Qt.Orientation.Vertical)
        center.addWidget(self.lens_tabs)
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

        # The views over one another, chosen by the tabs (and View ▸); replay and pace under them, for all three.
        self.view_tabs = QTabBar()
        self.view_tabs.setObjectName("view-tabs")
        for text, tip in ((translate("MainWindow", "Single run"),
                           translate("MainWindow", "One run: the 3D surface, the loss curve, the truth table and the "
                                     "timing")),
                          (translate("MainWindow", "Race the methods"),
                           translate("MainWindow", "Every gradient method from the same seed and settings, side by "
                                     "side, each at its true speed")),
                          (translate("MainWindow", "All gates"),
                           translate("MainWindow", "The six gates from the same seed and settings, trained as one "
                                     "stacked computation")),
                          (translate("MainWindow", "Seed atlas"),
                           translate("MainWindow", "Seeds 0 to K−1 at the same settings, trained as one stacked "
                                     "computation: which of them learn the gate, and how that changes with the "
                                     "width"))):
            self.view_tabs.setTabToolTip(self.view_tabs.addTab(text), tip)
        self.view_stack = QStackedWidget()
        self.view_stack.addWidget(center)
        for page in (self.race_view, self.gates_view, self.atlas_view):  # they scroll on a small screen
            self.view_stack.addWidget(scrolled(page))
        bottom = QHBoxLayout()
        bottom.setContentsMargins(4, 0, 4, 0)
        bottom.addWidget(self.timeline, 1)
        bottom.addSpacing(12)
        self.pace_label = pace_label = QLabel(translate("MainWindow", "Pace"))
        pace_label.setBuddy(self.pace_combo)
        bottom.addWidget(pace_label)
        bottom.addWidget(self.pace_combo)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.setSpacing(2)
        middle_layout.addWidget(self.view_tabs)
        middle_layout.addWidget(self.view_stack, 1)
        middle_layout.addLayout(bottom)
        self.right_column = right

        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(left)
        main.addWidget(middle)
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
        # The session model: the controls, tabs, pace and timeline edit it; the views follow it.
        m = self.session
        m.settings_changed.connect(self._show_settings)
        m.view_changed.connect(self._on_view_changed)
        m.state_changed.connect(self._on_schedule_state)
        m.runs_changed.connect(self._on_runs_changed)
        m.replay_moved.connect(self._show_replay)
        m.pace_changed.connect(self.controller.set_pace)
        m.pace_changed.connect(self.pace_combo.set_pace)
        self.pace_combo.pace_chosen.connect(self._set_pace)
        self.view_tabs.currentChanged.connect(lambda index: self.set_view(VIEWS[index]))
        self.timeline.moved.connect(self.session.replay_to)
        self.schedules.drawing.connect(self.race_view.show_drawing)
        self.race_view.chosen_changed.connect(self._choose_race_methods)
        m.race_methods_changed.connect(self._on_race_methods)
        self.schedules.error.connect(self._on_schedule_error)
        self.atlas_view.seeds_chosen.connect(self._choose_atlas_seeds)
        m.atlas_seeds_changed.connect(self._on_atlas_seeds)
        self.atlas_view.cancel_requested.connect(self.schedules.stop)
        self.atlas_view.seed_clicked.connect(self.load_atlas_seed)
        self.lens_tabs.currentChanged.connect(lambda _index: self._show_inside())

    # --- user actions ----------------------------------------------------------------------

    @property
    def training(self) -> bool:
        """A run trains now: the single run, a race or the gates (their settings are locked)."""
        view = self.schedule_view
        if view is None:
            return self.controller.state == State.TRAINING
        return self.session.runs(view).state == State.TRAINING

    @property
    def schedule_view(self) -> View | None:
        """The race or the gates when one of them is shown, else None (the single run)."""
        return self.session.view if self.session.view in SCHEDULE_VIEWS else None

    def start(self) -> None:
        self._error = None
        self.session.replay_live()
        if self.schedule_view is not None:
            self._start_schedule()
            return
        self.controller.start(self.session.settings, self.controls.rate(), self.controls.stop_when_solved())

    def _start_schedule(self) -> None:
        if self.schedule_view == View.RACE and not self.schedules.running:
            self.race_view.clear()  # the last race's rows (its drawing cost) are not this one's
        try:
            self.schedules.start(self.schedule_view)
        except ValueError as error:  # settings the engine refuses for a schedule: say why, change nothing
            self._on_schedule_error(str(error))

    def toggle_pause(self) -> None:
        self.session.replay_live()  # a Resume goes on live (a Pause shows where it stopped)
        if self.schedule_view is not None:
            state = self.session.runs(self.schedule_view).state
            self.schedules.resume() if state == State.PAUSED else self.schedules.pause()
        elif self.controller.state == State.PAUSED:
            self.controller.resume()
        else:
            self.controller.pause()

    def toggle(self) -> None:
        self._error = None
        self.session.replay_live()
        if self.schedule_view is not None:
            if self.session.runs(self.schedule_view).state in (State.TRAINING, State.PAUSED):
                self.toggle_pause()
            else:
                self._start_schedule()
            return
        self.controller.toggle(self.session.settings, self.controls.rate(), self.controls.stop_when_solved())

    def step(self) -> None:
        if self.schedule_view is not None:  # the race and the gates run whole (their Step is disabled)
            return
        self._error = None
        self.session.replay_live()
        self.controller.step(self.controls.step_count(), self.session.settings, self.controls.rate())
        if self.controls.steps_spin.value() != self.controller.config.iterations:  # Step past the end grew it
            self.controls.steps_spin.setValue(self.controller.config.iterations)

    def reset(self) -> None:
        self._error = None
        self.session.replay_live()
        if self.schedule_view is not None:
            self.schedules.reset(self.schedule_view)
            return
        self.controller.reset(self.session.settings)

    def set_view(self, view: View | str) -> None:
        """Show ``view``.  A run under way in another view stops first (one training thread): a single run keeps
        its network (Start continues it), a race or the gates keep what they reached (to replay)."""
        view = View(view)
        if view == self.session.view:
            return
        if self.schedules.running:
            self.schedules.stop()
        if self.controller.running:
            self.controller.stop()
        self.session.view = view

    def _choose_race_methods(self, keys: list) -> None:
        self.session.race_methods = keys  # the view's boxes never leave none ticked

    def _on_race_methods(self, keys) -> None:
        self.race_view.set_chosen(keys)
        if self.session.runs(View.RACE).state == State.READY and self.session.view == View.RACE:
            self._show_preview(View.RACE)

    def _choose_atlas_seeds(self, seeds: int) -> None:
        self.session.atlas_seeds = seeds  # the box holds only what the session takes

    def _on_atlas_seeds(self, seeds: int) -> None:
        self.atlas_view.set_seeds(seeds)
        if self.session.runs(View.ATLAS).state == State.READY and self.session.view == View.ATLAS:
            self._show_preview(View.ATLAS)

    def load_atlas_seed(self, seed: int) -> None:
        """The atlas's settings with seed ``seed``, in the single run, from its start: Start replays it."""
        runs = self.session.runs(View.ATLAS)
        if runs.config is None or runs.state in (State.TRAINING, State.PAUSED):
            return
        outcome = self.atlas_view.cell_text(seed).split("\n")[0]
        self.set_view(View.SINGLE)
        self.session.settings = replace(runs.config, seed=seed)
        self.controller.reset(self.session.settings)
        self.shell.show_notice(translate("MainWindow", "Loaded from the atlas: {outcome}. Press Start to replay it.")
                               .format(outcome=outcome))

    def _set_pace(self, pace: float | None) -> None:
        self.session.pace = pace

    def _sync_settings(self) -> None:
        """The controls' values into the model (the boxes only ever hold values the engine accepts)."""
        try:
            self.session.settings = self.controls.config()
        except ValueError as error:  # not expected: the boxes refuse what the engine would
            log.warning("settings not taken: %s", error)

    def _show_settings(self, config: TrainConfig) -> None:
        """The model's settings changed (by another view, a loaded run, a script): the controls show them."""
        if self.controls.config() != config:
            self.controls.set_config(config)

    def _toggle_target(self, row: int) -> None:
        """A click on a target: the gate with that bit flipped, now.  A network with steps trained starts again
        from its seed (as Reset), so the table, the markers and the status line all show the gate that trains."""
        self.controls.toggle_target(row)
        if not self.controller.fresh and not self.controller.running:
            self.reset()

    def _on_settings_edited(self) -> None:
        """While nothing is trained yet, show the new network at once; otherwise Reset applies it."""
        self._sync_settings()
        if self.applying_run:
            return
        if self.schedule_view is not None:
            if self.session.runs(self.schedule_view).state == State.READY:
                self._show_preview(self.schedule_view)  # the seeded networks of the settings shown
            self._show_start_button()
            self._show_status()
            return
        if self.controller.fresh and self.controller.state == State.READY:
            self.controller.reset(self.session.settings)
        elif not self.controller.running:
            self._show_status()
        self._show_start_button()

    # --- the views, replay and the schedules ---------------------------------------------------------

    def _on_view_changed(self, view: str) -> None:
        view = View(view)
        index = VIEWS.index(view)
        blocked = self.view_tabs.blockSignals(True)
        self.view_tabs.setCurrentIndex(index)
        self.view_tabs.blockSignals(blocked)
        self.view_stack.setCurrentIndex(index)
        self.shell.show_panel("side_panel", self.shell.panel_actions["side_panel"].isChecked())
        self.truth_table.setVisible(view == View.SINGLE)  # the single run's (each race lane and gate shows its own)
        if view == View.SINGLE:
            self.controls.set_state(self.controller.state)
            self._on_progress(self.controller.current_progress())
        else:
            runs = self.session.runs(view)
            self.controls.set_state(runs.state)
            if runs.statuses:
                self._show_schedule(view, runs.statuses)
            else:
                self._show_preview(view)
        self._show_view_controls()

    def _show_view_controls(self) -> None:
        """What depends on the view and its state: Step (the single run's), the timeline, Start's text."""
        view = self.schedule_view
        self.race_view.set_choices_enabled(self.session.runs(View.RACE).state not in (State.TRAINING, State.PAUSED))
        for widget in (self.timeline, self.pace_label, self.pace_combo):  # the atlas keeps no steps and has no pace
            widget.setVisible(view != View.ATLAS)
        if view is not None:
            if view == View.RACE:  # every chosen method races: the Method box is the single run's and the gates'
                self.controls.method_combo.setEnabled(False)
            self.controls.step_button.setEnabled(False)
            self.controls.step_count_spin.setEnabled(False)
            self.controls.stop_when_solved_check.setEnabled(False)
        self._update_timeline()
        self._show_start_button()
        self._show_status()

    def _show_preview(self, view: View) -> None:
        """Before a race or the gates start: each run's seeded network, from the session's settings."""
        methods = self.session.race_methods
        if view == View.RACE:
            self.race_view.set_methods(methods)
        if view == View.ATLAS:
            self.atlas_view.show_ready(self.session.atlas_seeds, self.session.settings)
            return
        self._show_schedule(view, preview_statuses(view, self.session.settings, MINI_GRID, methods))

    def _show_schedule(self, view: View, statuses) -> None:
        if view == View.ATLAS:
            self.atlas_view.show_status(statuses[0])
        elif view == View.RACE:
            self.race_view.show(statuses)
        else:
            self.gates_view.show_statuses(statuses)

    def _on_schedule_state(self, view: str, state: str) -> None:
        if view == View.ATLAS:
            self.atlas_view.set_state(State(state))
        if View(view) != self.session.view:
            return
        self.controls.set_state(State(state))
        self._show_view_controls()

    def _on_runs_changed(self, view: str) -> None:
        view = View(view)
        if view != self.session.view:
            return
        runs = self.session.runs(view)
        if runs.state != State.TRAINING:
            self._update_timeline()  # a paused or stopped run's last statuses come after its state
        if self.session.replay_step is None:
            if runs.statuses:
                self._show_schedule(view, runs.statuses)
            else:
                self._show_preview(view)
        cost = runs.extra.get("drawing_cost")
        if view == View.RACE and cost is not None:
            self.race_view.set_drawing_cost(cost["method"], cost["us_per_step_drawn"], cost["us_per_step_headless"],
                                            runs.config.iterations)
        one = runs.extra.get("single_network_us")
        if view == View.GATES and one is not None:
            self.gates_view.set_single_network_us(one)
        waited = time.perf_counter() - self._panels_shown_at
        if runs.state != State.TRAINING or waited >= PANEL_INTERVAL:
            self._panels_shown_at = time.perf_counter()
            self._show_status()
            if runs.state == State.TRAINING:
                self._update_timeline()  # its label follows the leader, ten times a second

    def _replay_logs(self):
        """The replay logs of the view shown, and its total steps."""
        view = self.schedule_view
        if view is None:
            return {"": self.controller.replay}, self.controller.config.iterations
        runs = self.session.runs(view)
        return runs.logs, (runs.config.iterations if runs.config is not None else 0)

    def _update_timeline(self) -> None:
        """The timeline over the kept steps of the view shown; it moves only while nothing trains."""
        logs, total = self._replay_logs()
        longest = max(logs.values(), key=lambda log_: len(log_.steps), default=None)
        steps = longest.steps if longest is not None else np.zeros(0, dtype=np.int64)
        view = self.schedule_view
        state = self.controller.state if view is None else self.session.runs(view).state
        blocked = self.timeline.blockSignals(True)  # new steps are not a learner's move
        self.timeline.set_steps(steps, max(total, 1))
        if state == State.TRAINING or self.session.replay_step is None:
            self.timeline.go_to_end()  # live: the timeline shows the last step kept
        self.timeline.blockSignals(blocked)
        self.timeline.set_enabled_for_replay(state != State.TRAINING and len(steps) > 1)

    def _show_replay(self, step: int | None) -> None:
        """Every panel of the view shown at ``step`` from the replay logs (None: the live runs again)."""
        view = self.schedule_view
        if view == View.ATLAS:  # the atlas keeps no replay: its timeline stays off
            return
        if view is not None:
            runs = self.session.runs(view)
            if step is None:
                if runs.statuses:
                    self._show_schedule(view, runs.statuses)
                return
            statuses = [replayed(status, runs.logs[status.key], step, MINI_GRID) for status in runs.statuses
                        if status.key in runs.logs]
            if view == View.RACE:
                self.race_view.show_lanes(statuses)  # the table and the chart keep the race's results
            else:
                self.gates_view.show_statuses(statuses)
            return
        if step is None:
            self.loss_curve.set_marker(None)
            if self.controller.worker.idle:
                self._on_progress(self.controller.current_progress())
            return
        log_ = self.controller.replay
        if not len(log_.steps) or self._latest_progress is None:
            return
        index = log_.nearest(max(step, int(log_.steps[0])))
        z = log_.surface_at(index, self.controller.config, self.controller.grid)
        outputs, loss = log_.outputs_at(index), log_.loss_at(index)
        shown = int(log_.steps[index])
        latest = self._latest_progress
        snapshot = replace(latest.snapshot, iteration=shown, loss=loss, outputs=outputs, surface=z,
                           solved=bool(is_solved(outputs, latest.snapshot.targets)))
        self.surface_view.set_surface(z)
        self.truth_table.show_progress(replace(latest, snapshot=snapshot))
        self.loss_curve.set_marker(shown, loss)
        self._show_inside()

    # --- what the controller says ------------------------------------------------------------

    def _on_progress(self, progress: Progress) -> None:
        s = progress.snapshot
        if s.surface is not None:
            self.surface_view.set_surface(s.surface)
        self._latest_progress = progress
        if self.controller.state != State.TRAINING and self.schedule_view is None:
            self._update_timeline()  # a pause or a stop keeps its step: the timeline reaches it
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
            self._show_inside()
        self._show_status()  # its step count too (a pause's own snapshot comes after the state change)

    # --- the lenses: the single run's network seen from inside ---------------------------------

    @property
    def lens(self) -> str:
        """The key of the single run's tab in front (``app.lenses``; "output" for the surface)."""
        page = self.lens_tabs.currentWidget()
        return next(key for key, shown in self.lens_pages.items() if shown is page)

    def set_lens(self, key: str) -> None:
        """Bring the tab ``key`` to the front.  ValueError for a key not in ``app.lenses``."""
        if key in self.lens_pages:
            self.lens_tabs.setCurrentWidget(self.lens_pages[key])
        else:
            raise ValueError(f"no lens {key!r}; choose from {', '.join(lens_keys())}")

    def network_at(self) -> NetworkAt | None:
        """The single run's network as shown: at the replayed step, else the latest snapshot's; with the path of
        its kept steps up to there.  None before the first snapshot."""
        log_ = self.controller.replay
        steps = log_.steps
        step = self.session.replay_step
        if step is not None and len(steps):
            index = log_.nearest(max(step, int(steps[0])))
            params, shown, loss = log_.params_at(index), int(steps[index]), log_.loss_at(index)
        else:
            progress = self._latest_progress
            if progress is None or progress.snapshot.params is None:
                return None
            s = progress.snapshot
            params, shown, loss = s.params, s.iteration, s.loss
        kept = steps <= shown
        live = step is None and self.controller.state == State.TRAINING
        return NetworkAt(self.controller.config, params, shown, loss, steps[kept], log_.all_params()[kept], live)

    def _show_inside(self) -> None:
        """The lens in front shows the network as shown (only the one in front: the others wait their turn).
        While training, a lens gets at most LENS_SHARE of the GUI thread: after a call that took t seconds the
        next live snapshot is shown to it t / LENS_SHARE later (a 64,64,64 network's maps take a while), so the
        window keeps answering; a pause, the end and replay are shown at once."""
        view = self.lens_views.get(self.lens)
        if view is None or self.schedule_view is not None:
            return
        at = self.network_at()
        if at is None or (at.live and time.perf_counter() < self._lens_due):
            return
        started = time.perf_counter()
        view.show_network(at)
        self._lens_due = started + (time.perf_counter() - started) / LENS_SHARE

    def settle_lens(self, seconds: float = 60.0) -> None:
        """Show the lens in front the network as shown now, and process events until it has drawn it (at most
        ``seconds``): a script's screenshot then shows the last step, though a large network's gradient check
        takes seconds."""
        QCoreApplication.processEvents()
        self._show_inside()
        deadline = time.monotonic() + seconds
        while self.lens_pending() and time.monotonic() < deadline:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            time.sleep(0.01)
        QCoreApplication.processEvents()  # its last drawing painted

    def lens_pending(self) -> bool:
        """True while the lens in front has not yet drawn the network last shown to it (one that computes in the
        background or on a timer says so by ``behind()``)."""
        view = self.lens_views.get(self.lens)
        return bool(view is not None and hasattr(view, "behind") and view.behind())

    def _on_trainer_replaced(self, trainer) -> None:
        self.session.replay_live()
        self.surface_view.set_targets(trainer.targets)
        self.readout.show_trainer(trainer)
        self.loss_curve.clear_curve()
        self._show_start_button()  # Reset from READY changes no state, but Start no longer continues

    def _on_state_changed(self, state: str) -> None:
        if self.schedule_view is not None:  # the single run stopped as another view was chosen
            return
        self.controls.set_state(State(state))
        self._update_timeline()
        self.truth_table.set_editable(self.controls.gate_combo.isEnabled())  # targets change with the settings
        self._show_start_button()
        self._show_panels()  # a snapshot held back while training (PANEL_INTERVAL) is shown now

    def _on_run_finished(self, summary: RunSummary) -> None:
        self.last_summary = summary
        self._show_status()

    def _on_error(self, message: str) -> None:
        self._error = message
        self._show_status()
        self._show_training_error(translate("MainWindow", "Training stopped with an error:\n\n{message}\n\n"
                                            "The network was reset to its seed.").format(message=message))

    def _on_schedule_error(self, message: str) -> None:
        """The race or the gates could not start, or failed: a box says why."""
        self._error = message
        self._show_training_error(translate("MainWindow", "The runs stopped with an error:\n\n{message}\n\n"
                                            "Nothing else changed; Start tries again.").format(message=message))

    def _show_training_error(self, text: str) -> None:
        """A warning box that does not block the window."""
        box = QMessageBox(QMessageBox.Icon.Warning, translate("MainWindow", "GateLab: training failed"), text,
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
        if self.schedule_view is not None:
            return schedule_status(self.session, self.schedule_view, self.schedules.measuring_drawing)
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
        return self.controller.start_action(self.session.settings)

    def _start_hint(self) -> str:
        """What Start will do with the settings shown, when that is not plain to see."""
        action, c = self._start_action(), self.controller
        if action == StartAction.FURTHER:
            return translate("MainWindow", " — Start trains this run on to step {step}").format(
                step=fmt.count(self.session.settings.iterations))
        if action == StartAction.NEW_RUN and c.trainer.iteration and self.session.settings != c.config:
            return translate("MainWindow", " — settings changed: Start or Step begins a new run with them, "
                             "from the seed")
        return ""

    def _show_start_button(self) -> None:
        if self.schedule_view is not None:
            again = self.session.runs(self.schedule_view).state == State.FINISHED
            self.controls.start_button.setText(translate("MainWindow", "Start again") if again
                                               else translate("MainWindow", "Start"))
            return
        action = self._start_action()
        same = self.session.settings == self.controller.config
        again = action == StartAction.NEW_RUN and same
        text = translate("MainWindow", "Start again") if again else translate("MainWindow", self.START_TEXTS[action])
        self.controls.start_button.setText(text)

    def screenshot(self) -> QPixmap:
        """The whole window, 3D view included (a plain grab() misses what pyqtgraph paints on the GL view)."""
        shot = self.grab()
        painter = QPainter(shot)
        # The large view, the race's and the gates' small ones, and any lens's 3D view.
        for view in self.findChildren(QWidget):
            if not hasattr(view, "grabFramebuffer") or not view.isVisible():
                continue
            frame = view.grabFramebuffer()
            if frame.isNull():
                continue
            frame.setDevicePixelRatio(view.devicePixelRatioF())
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
            self.hide()  # gone at once, though a long step (central on 64,64,64) must end before the thread does
            for view in self.lens_views.values():
                if hasattr(view, "shutdown"):
                    view.shutdown()  # its background work ends before the interpreter does
            self.schedules.shutdown()
            self.controller.shutdown()
            self.closed.emit()
        super().closeEvent(event)
