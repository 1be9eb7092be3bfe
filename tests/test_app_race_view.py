"""The race view, fed RunStatus values built from real Trainers (a few hundred steps of each method)."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import replace

import numpy as np
import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel

from app import formatting as fmt
from app.race_view import COLUMN_KEYS, CSV_FIELDS, SEED_ROWS, SEED_STEPS, RaceView
from nn_core.config import TrainConfig
from nn_core.methods import method_keys
from nn_core.schedule import RunStatus
from nn_core.trainer import Trainer

METHODS = ["central", "forward", "staged", "vectorized", "backprop"]
SEED_FIGURES = [11_100.0, 160.0, 104.0, 89.0, 86.0]  # the seed's table, 20,000 steps


class FakeSurface(QLabel):
    """Stands in for MiniSurface: records what the view asks of it."""

    made: list[FakeSurface] = []

    def __init__(self):
        super().__init__()
        self.title = self.subtitle = None
        self.surfaces: list[np.ndarray] = []
        self.targets: list[np.ndarray] = []
        FakeSurface.made.append(self)

    def set_surface(self, z) -> bool:
        self.surfaces.append(np.array(z))
        return True

    def set_targets(self, targets) -> None:
        self.targets.append(np.array(targets))

    def set_title(self, text) -> None:
        self.title = text

    def set_subtitle(self, text) -> None:
        self.subtitle = text


def status_of(trainer: Trainer, until: int) -> RunStatus:
    return RunStatus(key=trainer.config.method, config=trainer.config, iteration=trainer.iteration, until=until,
                     loss=trainer.loss(), outputs=trainer.outputs(), targets=trainer.targets.ravel().copy(),
                     surface=trainer.surface(12), seconds=trainer.compute_seconds,
                     loss_evals_per_step=trainer.loss_evals_per_step, solved=trainer.solved(),
                     diverged_at=trainer.diverged_at)


def trained(method: str, steps: int, until: int) -> RunStatus:
    trainer = Trainer(TrainConfig(method=method, iterations=until))
    trainer.run(until=steps)
    return status_of(trainer, until)


@pytest.fixture(scope="module")
def race() -> list[RunStatus]:
    """A race of 20,000 steps stopped early: every method a few hundred steps in, all projected."""
    return [trained(m, steps, SEED_STEPS) for m, steps in zip(METHODS, (100, 150, 200, 300, 400), strict=True)]


@pytest.fixture(scope="module")
def short_race() -> list[RunStatus]:
    """A race of 300 steps: central and forward half way, the others finished."""
    return [trained(m, 150 if m in ("central", "forward") else 300, 300) for m in METHODS]


@pytest.fixture
def view(gui):
    FakeSurface.made.clear()
    view = RaceView(FakeSurface)
    gui.addWidget(view)
    view.resize(1300, 720)
    with gui.waitExposed(view):
        view.show()
    return view


def row_of(view: RaceView, label: str) -> int:
    return [row.label for row in view.model.rows].index(label)


def cell(view: RaceView, label: str, key: str) -> str:
    return view.column(key)[row_of(view, label)]


def us_text(us: float) -> str:
    """µs/step as the view writes it (one decimal below 1,000: a busy machine may push central past it)."""
    return fmt.number(us, ",.1f" if us < 1000 else ",.0f")


def twenty_thousand(status: RunStatus) -> float:
    return status.us_per_step * SEED_STEPS / 1e6


# --- 1. the table ----------------------------------------------------------------------------------


def test_the_race_rows_show_each_status_numbers_formatted(view, race):
    view.set_methods(METHODS)
    view.show(race)
    for s in race:
        assert s.iteration > 0 and not s.finished
        assert cell(view, s.key, "method") == s.key
        assert cell(view, s.key, "us_per_step") == us_text(s.us_per_step)
        assert cell(view, s.key, "loss_evals") == fmt.number(s.loss_evals_per_step, ".4g")
        assert cell(view, s.key, "time_20000") == f"{fmt.seconds(twenty_thousand(s))} (projected)"
        assert cell(view, s.key, "final_loss") == fmt.number(s.loss, ".3g")
        assert cell(view, s.key, "solved") == ("✓" if s.solved else "✗")
    # The loss evaluations a step are the methods' own costs (P = 17 parameters for 4 hidden units).
    assert [float(c) for c in view.column("loss_evals")[:5]] == [34, 18, 18, 34, 1]
    # A 20,000-step run: "time for this run" would repeat "time for 20,000 steps", so it is hidden.
    assert view.table.isColumnHidden(COLUMN_KEYS.index("run_time"))
    assert view.headers() == ["method", "µs/step", "loss evaluations per step", "time for 20,000 steps",
                              "× central", "final loss", "solved"]


def test_times_central_is_centrals_us_per_step_over_each_methods(view, race):
    view.show(race)
    central = race[0].us_per_step
    for s in race:
        assert cell(view, s.key, "speed") == fmt.times(central / s.us_per_step)
        value = view.model.data(view.model.index(row_of(view, s.key), COLUMN_KEYS.index("speed")),
                                Qt.ItemDataRole.UserRole)
        assert value == pytest.approx(central / s.us_per_step)
    assert cell(view, "central", "speed") == "1×"
    # Without central in the race the column is blank.
    view.set_methods(METHODS[1:])
    view.show(race[1:])
    assert view.column("speed")[:4] == ["", "", "", ""]


def test_a_finished_method_shows_its_measured_time_an_unfinished_one_a_projection(view, short_race):
    view.show(short_race)
    run_time = COLUMN_KEYS.index("run_time")
    assert not view.table.isColumnHidden(run_time)
    assert view.model.headerData(run_time, Qt.Orientation.Horizontal) == "time for\n300 steps"
    for s in short_race:
        if s.key in ("central", "forward"):
            assert s.projected
            assert cell(view, s.key, "run_time") == f"{fmt.seconds(s.us_per_step * 300 / 1e6)} (projected)"
        else:
            assert s.finished and not s.projected
            assert cell(view, s.key, "run_time") == fmt.seconds(s.seconds)
        # 20,000 steps is always a projection of a 300-step run.
        assert cell(view, s.key, "time_20000") == f"{fmt.seconds(twenty_thousand(s))} (projected)"


def test_a_diverged_method_says_where(view, race):
    diverged = replace(race[4], iteration=120, diverged_at=121)
    view.show([diverged])
    assert cell(view, "backprop", "solved") == "diverged at step 121"
    assert "diverged at step 121" == view.lanes["backprop"].progress.text
    # Its seconds are for 120 steps, not the run's: "time for this run" is a projection from µs/step.
    short = replace(diverged, until=1000)
    view.show([short])
    assert cell(view, "backprop", "run_time") == f"{fmt.seconds(short.us_per_step * 1000 / 1e6)} (projected)"


def test_the_seed_rows_give_the_seeds_own_20000_step_figures(view, race):
    view.show(race)
    seed_rows = [row for row in view.model.rows if row.kind == "seed"]
    assert [row.seconds_20000 for row in seed_rows] == SEED_FIGURES
    assert [row.label for row in seed_rows] == [QCoreApplication.translate("RaceView", s.label) for s in SEED_ROWS]
    texts = [cell(view, row.label, "time_20000") for row in seed_rows]
    assert texts == ["~3 h 05 min (projected)", "~2 min 40 s", "~1 min 44 s", "~1 min 29 s", "~1 min 26 s"]
    assert [cell(view, row.label, "us_per_step") for row in seed_rows] == [
        "~555,000", "~8,000", "~5,200", "~4,450", "~4,300"]
    # Measured on another machine: no speed against this machine's central, no loss, no "solved".
    for row in seed_rows:
        assert [cell(view, row.label, key) for key in ("loss_evals", "speed", "final_loss", "solved")] == [""] * 4
        tip = view.model.data(view.model.index(row_of(view, row.label), 0), Qt.ItemDataRole.ToolTipRole)
        assert "20,000 steps" in tip and "his machine" in tip
    tip = view.model.headerData(COLUMN_KEYS.index("time_20000"), Qt.Orientation.Horizontal,
                                Qt.ItemDataRole.ToolTipRole)
    assert "seed's author" in tip and "20,000 steps" in tip
    assert [row.kind for row in view.model.rows] == ["race"] * 5 + ["seed"] * 5


def test_the_drawing_cost_row_projects_the_measured_us_per_step(view, race):
    view.show(race)
    view.set_drawing_cost("central", 500.0, 100.0, 20_000)
    label = "central, surface redrawn every step"
    assert view.model.rows[-1].label == label
    assert cell(view, label, "us_per_step") == "500.0"
    assert cell(view, label, "time_20000") == "10.00 s (projected)"
    assert cell(view, label, "speed") == fmt.times(race[0].us_per_step / 500.0)
    assert cell(view, label, "loss_evals") == "34"
    tip = view.model.data(view.model.index(row_of(view, label), 0), Qt.ItemDataRole.ToolTipRole)
    assert "5×" in tip and "100.0" in tip
    # A shorter run: "time for this run" is the same µs/step over its steps.
    view.set_drawing_cost("central", 500.0, 100.0, 3_000)
    assert view.model.rows[-1].seconds == pytest.approx(1.5)
    # Not measured yet: "—", never NaN.
    view.set_drawing_cost("central", float("nan"), None, 20_000)
    assert cell(view, label, "us_per_step") == fmt.MISSING
    assert cell(view, label, "time_20000") == fmt.MISSING


def test_a_fresh_race_shows_no_nan_anywhere(view):
    fresh = [trained(m, 0, SEED_STEPS) for m in METHODS]
    assert math.isnan(fresh[0].us_per_step)
    view.show(fresh)
    view.set_drawing_cost("central", None, None, SEED_STEPS)
    texts = [text for row in view.cells() for text in row]
    assert texts and not any("nan" in text.lower() for text in texts)
    assert view.column("us_per_step")[:5] == [fmt.MISSING] * 5
    assert view.column("time_20000")[:5] == [fmt.MISSING] * 5
    assert all(lane.speed.text() == "— µs/step" for lane in view.lanes.values())
    assert "nan" not in view.to_markdown().lower()
    assert "nan" not in view.to_csv().lower()
    assert not any("nan" in text.lower() for text in view.chart.bar_texts())
    assert all(math.isfinite(end) for end in view.chart.bar_ends())


# --- 2. exports ------------------------------------------------------------------------------------


def test_the_csv_gives_the_raw_numbers_back(view, race):
    view.show(race)
    view.set_drawing_cost("central", 512.25, 101.5, SEED_STEPS)
    rows = list(csv.DictReader(io.StringIO(view.to_csv())))
    assert list(rows[0]) == list(CSV_FIELDS)
    assert [r["row"] for r in rows] == ["race"] * 5 + ["seed"] * 5 + ["drawing"]
    for s, r in zip(race, rows, strict=False):
        assert r["method"] == s.key
        assert float(r["us_per_step"]) == s.us_per_step  # full precision: equal, not approximately
        assert float(r["loss_evals_per_step"]) == s.loss_evals_per_step
        assert float(r["seconds"]) == s.full_run_seconds
        assert r["projected"] == "true"
        assert float(r["seconds_20000"]) == pytest.approx(twenty_thousand(s), rel=1e-12)
        assert float(r["times_central"]) == pytest.approx(race[0].us_per_step / s.us_per_step, rel=1e-12)
        assert float(r["final_loss"]) == s.loss
        assert r["solved"] == ("true" if s.solved else "false")
        assert r["diverged_at"] == ""
    assert [float(r["seconds_20000"]) for r in rows[5:10]] == SEED_FIGURES
    assert [r["projected_20000"] for r in rows[5:10]] == ["true", "false", "false", "false", "false"]
    assert rows[10]["method"] == "central, surface redrawn every step"
    assert float(rows[10]["us_per_step"]) == 512.25 and float(rows[10]["us_per_step_headless"]) == 101.5
    assert "," not in rows[5]["us_per_step"]  # no thousands separators: 555000.0


def test_the_markdown_is_the_table_as_shown(view, short_race):
    view.show(short_race)
    text = view.to_markdown()
    lines = text.splitlines()
    table = [line for line in lines if line.startswith("|")]
    def cells(line):
        return [c.strip() for c in line.strip("|").split(" | ")]
    assert cells(table[0]) == view.headers()
    assert set(table[1].strip("|").split("|")) == {"---"}
    assert [cells(line) for line in table[2:]] == [[c.strip() for c in row] for row in view.cells()]
    assert "(projected)" in table[2]  # central, half way
    assert "timed by the author" in text


def test_copy_puts_the_text_on_the_clipboard(view, race, gui):
    view.show(race)
    clipboard = QGuiApplication.clipboard()
    clipboard.clear()
    gui.mouseClick(view.copy_markdown_button, Qt.MouseButton.LeftButton)
    assert clipboard.text() == view.to_markdown()
    gui.mouseClick(view.copy_csv_button, Qt.MouseButton.LeftButton)
    assert clipboard.text() == view.to_csv()
    actions = {action.text(): action for action in view.table.actions()}
    assert set(actions) == {"Copy as Markdown", "Copy as CSV"}
    actions["Copy as Markdown"].trigger()
    assert clipboard.text() == view.to_markdown()


def test_save_writes_the_file_and_refuses_a_bad_path(view, race, tmp_path):
    view.show(race)
    path = tmp_path / "race.csv"
    view.save(path, "csv")
    assert path.read_text(encoding="utf-8") == view.to_csv()
    view.save(tmp_path / "race.md", "markdown")
    assert (tmp_path / "race.md").read_text(encoding="utf-8") == view.to_markdown()
    with pytest.raises(OSError, match="could not be written"):
        view.save(tmp_path / "no such folder" / "race.csv", "csv")
    with pytest.raises(ValueError, match="markdown or csv"):
        view.save(tmp_path / "race.txt", "txt")
    assert not (tmp_path / "race.txt").exists()


# --- 3. the bar chart ------------------------------------------------------------------------------


def test_the_chart_has_a_bar_per_row_at_log10_of_its_seconds(view, race):
    view.show(race)
    view.set_drawing_cost("central", 800.0, 100.0, SEED_STEPS)
    chart = view.chart
    labels = chart.bar_labels()
    seeds = [QCoreApplication.translate("RaceView", s.short) for s in SEED_ROWS]
    assert labels == seeds + ["central, drawn every step"] + METHODS  # the ladder, slowest first
    expected = SEED_FIGURES + [800.0 * SEED_STEPS / 1e6] + [twenty_thousand(s) for s in race]
    assert chart.bar_ends() == pytest.approx([math.log10(v) for v in expected], rel=1e-12)
    x0 = np.atleast_1d(chart.bars.opts["x0"])
    assert np.all(x0 == chart.base) and chart.base < min(chart.bar_ends())
    # The axis is labelled in seconds at whole decades.
    majors = chart.getAxis("bottom")._tickLevels[0]
    assert len(majors) >= 2
    assert all(float(value).is_integer() and label == chart.seconds_label(int(value)) for value, label in majors)
    assert chart.seconds_label(0) == "1 s" and chart.seconds_label(4) == "10,000 s"
    assert chart.seconds_label(-2) == "0.01 s" and chart.seconds_label(5) == "1e5 s"
    # The seed's bars in another colour than the race's.
    brushes = chart.bars.opts["brushes"]
    assert brushes[1].rgb() != brushes[-1].rgb()
    assert chart.bar_texts()[1] == "~2 min 40 s"


# --- 4. lanes ----------------------------------------------------------------------------------------


def test_each_lane_shows_its_methods_surface_progress_and_speed(view, race):
    view.set_methods(METHODS)
    view.show(race)
    view.show(race)
    assert [s.title for s in FakeSurface.made] == METHODS
    for s, surface in zip(race, FakeSurface.made, strict=True):
        lane = view.lanes[s.key]
        assert lane.surface is surface
        assert len(surface.surfaces) == 2 and np.array_equal(surface.surfaces[-1], s.surface)
        assert len(surface.targets) == 1 and np.array_equal(surface.targets[0], [0, 1, 1, 0])  # once: unchanged
        assert lane.progress.fraction == pytest.approx(s.iteration / SEED_STEPS)
        assert lane.progress.text == f"{s.iteration:,} / 20,000 steps"
        assert lane.speed.text() == f"{us_text(s.us_per_step)} µs/step"
        assert surface.subtitle.startswith(f"loss {fmt.number(s.loss, '.3g')}")


def test_set_methods_rebuilds_the_lanes(view, race, gui):
    view.set_methods(METHODS)
    old = list(FakeSurface.made)
    view.set_methods(["backprop", "central"])
    assert list(view.lanes) == ["backprop", "central"]
    assert len(FakeSurface.made) == len(old) + 2
    assert [s.title for s in FakeSurface.made[-2:]] == ["backprop", "central"]
    assert view.lanes_layout.count() == 2
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not any(shiboken6.isValid(surface) for surface in old)
    assert [row.label for row in view.model.rows if row.kind == "race"] == ["backprop", "central"]
    # A status for a method with no lane gets one.
    view.show([race[1]])
    assert list(view.lanes) == ["backprop", "central", "forward"]


def test_clear_forgets_the_race(view, race):
    view.show(race)
    view.set_drawing_cost("central", 500.0, 100.0, SEED_STEPS)
    view.clear()
    assert list(view.lanes) == METHODS
    assert view.column("us_per_step")[:5] == [fmt.MISSING] * 5
    assert [row.kind for row in view.model.rows] == ["race"] * 5 + ["seed"] * 5
    assert all(lane.progress.fraction == 0.0 for lane in view.lanes.values())


def test_every_method_key_can_race(view):
    # The table's reference costs assume the five methods of the design; a new method still gets a row.
    keys = method_keys()
    view.set_methods(keys)
    assert [row.label for row in view.model.rows if row.kind == "race"] == keys
