"""``python -m app.bench`` (part of ``make bench``): what the live view costs.

Runs the app itself (``--autostart --exit-when-done --report-json``) for
backprop on XOR with the surface redrawn ~30 times a second, and the engine's
Trainer headless with the same settings, alternately, several times each;
prints the best of each and their ratio.  On a shared machine slow spells
last seconds and move that ratio from run to run.  µs/step is gradient and
update only (the readout's figure); wall µs/step also counts snapshots and
yielding to the GUI.  Without a display it runs the app under ``xvfb-run``.

Then one run of the app by turns of half a second: drawing, not drawing, and
paused while the engine trains headless in the same process on the same CPU.
Steps taken in the same seconds give the live view's own cost, and that is
held to the target.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nn_core.config import TrainConfig
from nn_core.trainer import Trainer, us_per_step

from .lenses import lens_keys

TARGET_RATIO = 1.10  # issue 3: the live view within 10% of headless


def on_a_display(command: list[str], prog: str) -> list[str]:
    """``command`` as is where there is a display, else under ``xvfb-run``."""
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return command
    if not shutil.which("xvfb-run"):
        raise SystemExit(f"{prog}: no display and no xvfb-run (make system-deps installs Xvfb)")
    return ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", *command]


def headless(config: TrainConfig) -> dict:
    trainer = Trainer(config)
    started = time.perf_counter()
    trainer.run()
    wall = time.perf_counter() - started
    return {"us_per_step": trainer.us_per_step, "wall_us_per_step": us_per_step(wall, trainer.iteration)}


def run_child(command: list[str]) -> subprocess.CompletedProcess:
    """A child process of the app, on a display; exits with one line if it fails."""
    result = subprocess.run(on_a_display(command, "app.bench"), capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise SystemExit(f"app.bench: the app failed (status {result.returncode}): {result.stderr.strip()[-500:]}")
    return result


def live(config: TrainConfig) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        command = [sys.executable, "-m", "app", "--gate", config.gate, "--method", config.method,
                   "--hidden", ",".join(map(str, config.hidden)), "--iterations", str(config.iterations),
                   "--seed", str(config.seed), "--autostart", "--exit-when-done", "--report-json", str(report)]
        run_child(command)
        if not report.exists():
            raise SystemExit("app.bench: the app wrote no report")
        data = json.loads(report.read_text())
    return {"us_per_step": data["us_per_step"],
            "wall_us_per_step": us_per_step(data["wall_seconds"], data["iterations"]),
            "frames": data["frames"], "fps": data["fps"]}


PHASE_SECONDS = 0.5
PHASES = ("drawn", "undrawn", "headless")
SETTLE_SECONDS = 0.1  # after a headless turn, not counted


def phases_child(iterations: int) -> None:
    """In a child process with a display, by turns of PHASE_SECONDS: the window trains and draws; it trains
    and draws nothing; it is paused while this thread, moved to the training CPU, trains a Trainer of its own
    (headless).  Prints JSON: steps, compute and wall seconds of each."""
    from PySide6.QtCore import QTimer

    from .liveview import LiveView
    from .qt import StartupError, make_application
    from .settings import Settings
    from .window import MainWindow
    from .worker import UpdateRate

    view = LiveView.for_this_platform()  # as python -m app has it
    try:
        app = make_application(live=view)
    except StartupError as error:
        view.restore()
        sys.exit(f"app.bench: {error}")  # one line, status 1
    config = TrainConfig(gate="XOR", method="backprop", iterations=iterations).validated()
    window = MainWindow(config, UpdateRate(), settings=Settings.scratch(), live=view)  # not the user's settings
    controller = window.controller
    totals = {name: [0, 0.0, 0.0] for name in PHASES}  # [steps, compute s, wall s]
    turn = {"phase": 0, "mark": None, "headless": Trainer(config)}  # mark: where the counted phase began

    def marks(trainer: Trainer) -> list:
        return [trainer.iteration, trainer.compute_seconds, time.perf_counter()]

    def count(name: str, trainer: Trainer, started: list | None) -> None:
        if started is not None:
            now = marks(trainer)
            for i in range(3):
                totals[name][i] += now[i] - started[i]

    def switch():
        trainer = controller.trainer  # read while the worker trains: a phase edge is off by a step at most
        count(PHASES[turn["phase"]], trainer, turn["mark"])
        turn["phase"] = (turn["phase"] + 1) % len(PHASES)
        controller.drawing = PHASES[turn["phase"]] == "drawn"
        if PHASES[turn["phase"]] == "headless":
            trainer.pause()
            other = turn["headless"]
            if other.finished:
                other = turn["headless"] = Trainer(config)
            started = marks(other)
            # On the training CPU: the GUI thread runs there while the run trains (LiveView.share_training_core).
            while time.perf_counter() - started[2] < PHASE_SECONDS and not other.finished:
                other.run(until=min(config.iterations, other.iteration + 1000))
            count("headless", other, started)
            turn["phase"] = 0
            controller.drawing = True
            trainer.resume()
            timer.start()  # the drawn phase gets its whole PHASE_SECONDS
            # The window catches up on the half second it was paused: that is not what drawing costs.
            turn["mark"] = None
            QTimer.singleShot(round(1000 * SETTLE_SECONDS), lambda: turn.update(mark=marks(trainer)))
            return
        turn["mark"] = marks(trainer)

    timer = QTimer()
    timer.timeout.connect(switch)

    def finished(_summary):
        timer.stop()
        count(PHASES[turn["phase"]], controller.trainer, turn["mark"])
        window.close()

    def begin():
        turn["mark"] = marks(controller.trainer)
        timer.start(round(1000 * PHASE_SECONDS))
        window.start()

    controller.run_finished.connect(finished)
    window.show()
    QTimer.singleShot(0, begin)
    app.exec()
    view.restore()
    print(json.dumps({name: {"us_per_step": us_per_step(compute, steps), "wall_us_per_step": us_per_step(wall, steps),
                             "steps": steps}
                      for name, (steps, compute, wall) in totals.items()}))


def phases(iterations: int) -> dict:
    result = run_child([sys.executable, "-m", "app.bench", "--phases-child", str(iterations)])
    data = json.loads(result.stdout.strip().splitlines()[-1])
    for key in ("us_per_step", "wall_us_per_step"):
        data[f"{key}_ratio"] = data["drawn"][key] / data["headless"][key]
    return data


def app_report(*args: str) -> dict:
    """Run the app with ``args`` and ``--autostart --exit-when-done --report-json``; its report."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        run_child([sys.executable, "-m", "app", *args, "--autostart", "--exit-when-done", "--report-json", str(report)])
        if not report.exists():
            raise SystemExit("app.bench: the app wrote no report")
        return json.loads(report.read_text())


def views(iterations: int) -> dict:
    """The race in the window against ``nn_core bench`` headless, same settings, in one run; the gates' stack
    against one network; frames per second with 5 and 6 small surfaces live."""
    from nn_core.bench import bench_methods
    from nn_core.methods import METHODS

    config = TrainConfig(gate="XOR", iterations=iterations).validated()
    headless_results = {entry["method"]: entry for entry in bench_methods(config, list(METHODS))}
    race = app_report("--view", "race", "--gate", config.gate, "--iterations", str(iterations))
    rows = [{"method": entry["method"], "race_us_per_step": entry["us_per_step"],
             "headless_us_per_step": headless_results[entry["method"]]["us_per_step"],
             "ratio": entry["us_per_step"] / headless_results[entry["method"]]["us_per_step"]}
            for entry in race["results"]]
    gates = app_report("--view", "gates", "--method", "backprop", "--iterations", str(iterations))
    lenses = []  # the single run (backprop) with each tab in front: does looking inside slow the training?
    for key in lens_keys():
        single = app_report("--lens", key, "--method", "backprop", "--gate", config.gate, "--iterations",
                            str(iterations))
        lenses.append({"lens": key, "us_per_step": single["us_per_step"],
                       "headless_us_per_step": headless_results["backprop"]["us_per_step"],
                       "ratio": single["us_per_step"] / headless_results["backprop"]["us_per_step"]})
    return {"iterations": iterations, "race": rows, "race_fps": race["fps"], "race_frames": race["frames"],
            "lenses": lenses, "drawing_cost": race["drawing_cost"], "gates_us_per_step": gates["us_per_step"],
            "single_network_us_per_step": gates["single_network_us_per_step"], "gates_fps": gates["fps"],
            "gates_frames": gates["frames"]}


def print_views(data: dict) -> None:
    print(f"race in the window ({data['iterations']:,} steps, 5 small surfaces live) against nn_core bench headless:")
    print(f"{'method':<11} {'race µs/step':>13} {'headless':>9} {'race/headless':>14}")
    for row in data["race"]:
        verdict = "" if abs(row["ratio"] - 1) <= TARGET_RATIO - 1 else "  (outside 10%)"
        print(f"{row['method']:<11} {row['race_us_per_step']:>13.1f} {row['headless_us_per_step']:>9.1f} "
              f"{row['ratio']:>14.3f}{verdict}")
    print(f"race: {data['race_frames']:,} frames, {data['race_fps']:.1f} fps")
    cost = data["drawing_cost"]
    if cost:
        print(f"drawing cost: {cost['method']} with its surface redrawn every step: "
              f"{cost['us_per_step_drawn']:,.0f} µs/step against {cost['us_per_step_headless']:,.1f} headless")
    print(f"all gates (backprop): six networks {data['gates_us_per_step']:.2f} µs/step, one network "
          f"{data['single_network_us_per_step']:.2f} µs/step "
          f"({data['gates_us_per_step'] / data['single_network_us_per_step']:.2f}×); "
          f"{data['gates_frames']:,} frames, {data['gates_fps']:.1f} fps with 6 small surfaces")
    print("the single run (backprop) with each tab in front, against nn_core bench headless:")
    for row in data["lenses"]:
        print(f"{row['lens']:<11} {row['us_per_step']:>13.1f} {row['headless_us_per_step']:>9.1f} "
              f"{row['ratio']:>14.3f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=50_000, help="steps per run (default %(default)s)")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each, alternating (default %(default)s)")
    parser.add_argument("--phases-iterations", type=int, default=200_000,
                        help="steps of the run drawn by turns (default %(default)s)")
    parser.add_argument("--views-iterations", type=int, default=20_000,
                        help="steps of the race and the gates views (default %(default)s)")
    parser.add_argument("--views-only", action="store_true", help="only the race and gates views' figures")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--phases-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phases_child:
        phases_child(args.phases_child)
        return 0
    if min(args.iterations, args.repeats, args.phases_iterations, args.views_iterations) < 1:
        parser.error("--iterations, --repeats, --phases-iterations and --views-iterations must be at least 1")
    if args.views_only:
        data = views(args.views_iterations)
        print(json.dumps(data)) if args.json else print_views(data)
        return 0
    config = TrainConfig(gate="XOR", method="backprop", iterations=args.iterations).validated()
    runs = {"headless": [], "live": []}
    for _ in range(args.repeats):
        runs["headless"].append(headless(config))
        runs["live"].append(live(config))
    best = {kind: min(results, key=lambda r: r["us_per_step"]) for kind, results in runs.items()}
    by_turns = phases(args.phases_iterations)
    ratio = best["live"]["us_per_step"] / best["headless"]["us_per_step"]
    wall_ratio = best["live"]["wall_us_per_step"] / best["headless"]["wall_us_per_step"]
    report = {"gate": config.gate, "method": config.method, "hidden": list(config.hidden),
              "iterations": config.iterations, "repeats": args.repeats, "headless": best["headless"],
              "live": best["live"], "ratio": ratio, "wall_ratio": wall_ratio, "target_ratio": TARGET_RATIO,
              "runs": runs, "phases": by_turns, "views": views(args.views_iterations)}
    if args.json:
        print(json.dumps(report))
        return 0
    h, v = best["headless"], best["live"]
    hidden = ",".join(map(str, config.hidden))
    print(f"live view: {config.gate} {config.method}, {hidden} hidden, {config.iterations:,} steps, "
          f"surface ~30/s, best of {args.repeats}")
    print(f"{'':<10} {'µs/step':>9} {'wall µs/step':>13} {'frames':>7} {'fps':>6}")
    print(f"{'headless':<10} {h['us_per_step']:>9.1f} {h['wall_us_per_step']:>13.1f} {'-':>7} {'-':>6}")
    print(f"{'live view':<10} {v['us_per_step']:>9.1f} {v['wall_us_per_step']:>13.1f} {v['frames']:>7} "
          f"{v['fps']:>6.1f}")
    pairs = ", ".join(f"{v['us_per_step'] / h['us_per_step']:.2f}"
                      for h, v in zip(runs["headless"], runs["live"], strict=True))
    print(f"live/headless: {ratio:.3f} (µs/step), {wall_ratio:.3f} (wall time); each live run / the headless "
          f"run before it: {pairs}")
    print(f"one run of {args.phases_iterations:,} steps, by turns of {PHASE_SECONDS:g} s: the window drawing, "
          f"not drawing, paused while the engine trains headless on the same CPU:")
    for name in PHASES:
        phase = by_turns[name]
        print(f"{name:<10} {phase['us_per_step']:>9.1f} {phase['wall_us_per_step']:>13.1f}   {phase['steps']:,} steps")
    cost = by_turns["us_per_step_ratio"]
    verdict = "within" if cost <= TARGET_RATIO else "OUTSIDE"
    print(f"drawn/headless: {cost:.3f} (µs/step, {verdict} the {TARGET_RATIO:.2f} target), "
          f"{by_turns['wall_us_per_step_ratio']:.3f} (wall time)")
    print_views(report["views"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
