"""``python -m app.soak``: a long run with the live view on, measured (issue 4, "long runs").

Runs the window in a child process for a short run and a long one (backprop on XOR, surface ~30/s by
default) and prints, for each: peak RSS (VmHWM), wall time, surface frames drawn, progress notifications
the worker posted and the GUI handled, the most that ever waited in the event queue at once (the
high-water mark: the worker coalesces snapshots, so it should stay at 1 however long the run), the
event loop's worst lag, and the step count the readout shows at the end.  Then the RSS growth
between the two.  Without a display it runs the children under ``xvfb-run``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time

from .bench import on_a_display

GROWTH_LIMIT_MB = 30.0  # issue 4: between 100,000 and 2,000,000 steps


def peak_rss_mb() -> float:
    """VmHWM: the most resident memory this process has had."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def child(iterations: int, gate: str, method: str) -> dict:
    """One run in this process, the window shown, counting what crosses between the threads."""
    from PySide6.QtCore import QEvent, QObject, Qt, QTimer

    from nn_core.config import TrainConfig

    from .liveview import LiveView
    from .qt import StartupError, make_application
    from .settings import Settings
    from .window import MainWindow

    live = LiveView.for_this_platform()  # as python -m app has it
    try:
        app = make_application(live=live)
    except StartupError as error:
        live.restore()
        sys.exit(f"app.soak: {error}")  # one line, status 1
    window = MainWindow(TrainConfig(gate=gate, method=method, iterations=iterations),
                        settings=Settings.scratch(), live=live)  # not the user's remembered settings
    controller, worker = window.controller, window.controller.worker
    lock = threading.Lock()
    count = {"posted": 0, "handled": 0, "high_water": 0, "progress_posted": 0, "max_lag": 0.0}

    def posted(progress=False):  # in the worker thread, just after a queued call to the controller was posted
        with lock:
            count["posted"] += 1
            if progress:  # how many calls wait in the queue, this one included, as a snapshot is announced
                count["progress_posted"] += 1
                count["high_water"] = max(count["high_water"], count["posted"] - count["handled"])

    class CountDelivered(QObject):
        """The controller's queued calls from the worker (MetaCall events) as the GUI thread handles them."""

        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.MetaCall:
                with lock:
                    count["handled"] += 1
            return False

    direct = Qt.ConnectionType.DirectConnection
    worker.progress_ready.connect(lambda: posted(progress=True), direct)
    worker.run_ended.connect(lambda *_: posted(), direct)
    worker.failed.connect(lambda *_: posted(), direct)
    counter = CountDelivered()
    controller.installEventFilter(counter)

    tick = {"last": 0.0}
    lag_timer = QTimer()
    lag_timer.setInterval(50)

    def start_lag_timer():  # once the window is up: the first show and GL set-up are not the run
        tick["last"] = time.perf_counter()
        lag_timer.start()

    def on_tick():  # how late the event loop runs a 50 ms timer: a busy or flooded loop runs it late
        now = time.perf_counter()
        count["max_lag"] = max(count["max_lag"], now - tick["last"] - 0.050)
        tick["last"] = now

    lag_timer.timeout.connect(on_tick)
    result = {}

    def finished(summary):
        lag_timer.stop()
        steps_text = window.readout.text("steps")
        result.update(
            iterations=iterations, gate=gate, method=method, state=str(controller.state),
            trainer_steps=controller.trainer.iteration, shown_steps=int(steps_text.split("/")[0].replace(",", "")),
            frames=summary.frames, drawn=window.surface_view.frames, fps=summary.fps,
            us_per_step=summary.us_per_step, wall_seconds=summary.wall_seconds, solved=summary.solved,
            history_points=len(controller.trainer.history.arrays()[0]),
            progress_posted=count["progress_posted"], posted=count["posted"], handled=count["handled"],
            queue_high_water=count["high_water"], max_loop_lag_ms=1000 * count["max_lag"])
        window.close()

    controller.run_finished.connect(finished)
    window.show()
    QTimer.singleShot(0, window.start)
    QTimer.singleShot(1000, start_lag_timer)
    started = time.perf_counter()
    app.exec()
    live.restore()
    result["process_seconds"] = time.perf_counter() - started
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def run_child(iterations: int, gate: str = "XOR", method: str = "backprop", timeout: float = 1800) -> dict:
    """``child`` in a fresh process (so its peak RSS is its own); the figures as a dict."""
    command = [sys.executable, "-m", "app.soak", "--child", str(iterations), "--gate", gate, "--method", method]
    result = subprocess.run(on_a_display(command, "app.soak"), capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"app.soak child failed (status {result.returncode}): {result.stderr.strip()[-1000:]}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["stderr"] = result.stderr
    return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--short", type=int, default=100_000, help="steps of the first run (default %(default)s)")
    parser.add_argument("--long", type=int, default=2_000_000, help="steps of the second run (default %(default)s)")
    parser.add_argument("--gate", default="XOR")
    parser.add_argument("--method", default="backprop")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--child", type=int, metavar="N", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(child(args.child, args.gate, args.method)))
        return 0
    if not 1 <= args.short <= args.long:
        parser.error("need 1 <= --short <= --long")
    runs = [run_child(n, args.gate, args.method) for n in (args.short, args.long)]
    growth = runs[1]["peak_rss_mb"] - runs[0]["peak_rss_mb"]
    report = {"short": runs[0], "long": runs[1], "rss_growth_mb": growth, "growth_limit_mb": GROWTH_LIMIT_MB}
    for run in runs:
        run.pop("stderr")
    if args.json:
        print(json.dumps(report))
        return 0
    print(f"soak: {args.gate} {args.method}, surface ~30/s")
    print(f"{'steps':>10} {'peak RSS MB':>12} {'wall s':>8} {'frames':>7} {'posted':>7} {'handled':>8} "
          f"{'queue max':>9} {'loop lag ms':>11} {'shown steps':>12}")
    for r in runs:
        print(f"{r['iterations']:>10,} {r['peak_rss_mb']:>12.1f} {r['process_seconds']:>8.1f} {r['frames']:>7} "
              f"{r['progress_posted']:>7} {r['handled']:>8} {r['queue_high_water']:>9} "
              f"{r['max_loop_lag_ms']:>11.1f} {r['shown_steps']:>12,}")
    verdict = "within" if growth < GROWTH_LIMIT_MB else "OVER"
    print(f"peak RSS growth {growth:+.1f} MB ({verdict} the {GROWTH_LIMIT_MB:g} MB limit); "
          f"loss history kept {runs[1]['history_points']} points")
    return 0


if __name__ == "__main__":
    sys.exit(main())
