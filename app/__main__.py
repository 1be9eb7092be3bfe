"""``python -m app`` (also ``gatelab``): the GateLab window, with DESIGN.md's command-line contract.

Bad values end with one line on stderr and status 2 before any window opens.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
from pathlib import Path

from nn_core.cli import OneLineParser
from nn_core.config import DEFAULT_ITERATIONS, DEFAULT_LR, TrainConfig
from nn_core.gates import GATES
from nn_core.methods import DEFAULT_H, METHODS
from nn_core.network import DEFAULT_HIDDEN

log = logging.getLogger("app")


def build_parser() -> argparse.ArgumentParser:
    p = OneLineParser(prog="gatelab", description="GateLab: watch a small neural network learn a logic gate.")
    p.add_argument("--gate", default="XOR", help=f"{', '.join(GATES)} (default XOR)")
    p.add_argument("--method", default="backprop", help=f"{', '.join(METHODS)} (default backprop)")
    p.add_argument("--hidden", type=int, default=DEFAULT_HIDDEN[0], help="hidden units (default %(default)s)")
    p.add_argument("--lr", type=float, default=DEFAULT_LR, help="learning rate (default %(default)s)")
    p.add_argument("--iterations", type=int, default=DEFAULT_ITERATIONS, help="training steps (default %(default)s)")
    p.add_argument("--seed", type=int, default=0, help="initialisation seed (default 0)")
    p.add_argument("--h", type=float, default=DEFAULT_H, help="finite-difference step (default %(default)s)")
    p.add_argument("--every-steps", type=int, default=None, metavar="N",
                   help="redraw the surface every N steps (waiting for each) instead of ~30 times a second")
    p.add_argument("--autostart", action="store_true", help="start training when the window shows")
    p.add_argument("--exit-when-done", action="store_true", help="close with status 0 when training ends")
    p.add_argument("--screenshot", type=Path, metavar="PNG", help="save the window as a PNG when training ends")
    p.add_argument("--report-json", type=Path, metavar="FILE", help="write the run's timing as JSON when it ends")
    p.add_argument("--verbose", action="store_true", help="debug logging on stderr")
    return p


def parse_args(argv=None):
    """The arguments and a validated TrainConfig; exits 2 with one line on a bad value."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = TrainConfig(gate=args.gate, method=args.method, hidden=(args.hidden,), lr=args.lr, h=args.h,
                             seed=args.seed, iterations=args.iterations).validated()
        if config.iterations < 1:
            raise ValueError("iterations must be at least 1")
        if args.every_steps is not None and args.every_steps < 1:
            raise ValueError(f"--every-steps must be at least 1, got {args.every_steps}")
    except ValueError as error:
        parser.error(str(error))
    for path in (args.screenshot, args.report_json):
        if path is not None and not path.resolve().parent.is_dir():
            parser.error(f"no such directory for {path}")
    return args, config


def report(summary) -> dict:
    """The ``--report-json`` object (DESIGN.md): missing numbers are null, never NaN."""
    def num(value):
        return value if value is not None and math.isfinite(value) else None

    return {"gate": summary.gate, "method": summary.method, "hidden": list(summary.hidden),
            "iterations": summary.iterations, "seconds": num(summary.seconds),
            "wall_seconds": num(summary.wall_seconds), "us_per_step": num(summary.us_per_step),
            "loss_evals_per_step": num(summary.loss_evals_per_step), "frames": summary.frames,
            "fps": num(summary.fps), "final_loss": num(summary.final_loss), "solved": summary.solved,
            "diverged_at": summary.diverged_at}


def main(argv=None) -> int:
    args, config = parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    # Not theirs to say at debug level here: PyOpenGL lists every GL extension, and the
    # worker calls Trainer.run once per ~1 ms chunk (the app logs each run itself).
    logging.getLogger("OpenGL").setLevel(logging.WARNING)
    logging.getLogger("nn_core.trainer").setLevel(max(logging.INFO, logging.getLogger().level))

    from .qt import make_application, quit_on_sigint
    from .window import MainWindow
    from .worker import UpdateRate

    app = make_application()
    rate = UpdateRate(every_steps=args.every_steps) if args.every_steps else UpdateRate()
    window = MainWindow(config, rate)
    exit_code = 0

    def on_finished(summary):
        nonlocal exit_code
        if args.screenshot:
            app.processEvents()  # let the final surface paint before the grab
            if not window.screenshot().save(str(args.screenshot), "PNG"):
                print(f"gatelab: could not write {args.screenshot}", file=sys.stderr)
                exit_code = 1
        if args.report_json:
            args.report_json.write_text(json.dumps(report(summary), allow_nan=False, indent=2) + "\n")
        if args.exit_when_done:
            window.close()

    def on_error(message):
        nonlocal exit_code
        if args.exit_when_done:
            print(f"gatelab: training failed: {message}", file=sys.stderr)
            exit_code = 1
            window.close()

    window.controller.run_finished.connect(on_finished)
    window.controller.error.connect(on_error)
    quit_on_sigint(app, window)
    window.show()
    if args.autostart:
        from PySide6.QtCore import QTimer
        QTimer.singleShot(0, window.start)
    status = app.exec()
    log.debug("event loop ended with %d", status)
    window.deleteLater()
    app.processEvents()
    return exit_code or status


if __name__ == "__main__":
    sys.exit(main())
