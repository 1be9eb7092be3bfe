"""``python -m app`` (also ``gatelab``): the GateLab window, and its command line.

Bad values end with one line on stderr and status 2 before any window opens.  The network and training
options are ``python -m nn_core train``'s own declarations (``nn_core.cli.run_options``): the same flags, ranges
and messages, read with the ranges ``nn_core.config`` gives them (as the window's boxes are).  A window
that cannot be built ends with one line on stderr and status 1, its training thread stopped.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
from pathlib import Path

from nn_core import cli
from nn_core.config import DEFAULT_ITERATIONS, EVERY_STEPS, RUN_ITERATIONS, arg_type
from nn_core.gates import TRUTH_TABLES
from nn_core.methods import METHODS

from .i18n import LANGUAGES
from .lenses import lens_keys
from .session import ATLAS_SEEDS, DEFAULT_ATLAS_SEEDS, PACE_RANGE

log = logging.getLogger("app")


def build_parser() -> argparse.ArgumentParser:
    p = cli.OneLineParser(prog="gatelab",
                          description="GateLab: watch a small neural network learn a logic gate.")
    p.add_argument("--gate", type=cli.GATE, default="XOR",
                   help=f"four target bits for rows 00, 01, 10, 11 (0110 is XOR) or a name: "
                        f"{', '.join(TRUTH_TABLES)} (default XOR)")
    p.add_argument("--method", type=cli.METHOD, default="backprop", help=f"{', '.join(METHODS)} (default backprop)")
    cli.run_options(p, iterations=False, engine=True)  # the network, optimizer, --lr, --h, --seed, --engine: nn_core's
    # A run in the window is at least one step (Start must do something): RUN_ITERATIONS, not the engine's 0.
    p.add_argument("--iterations", type=arg_type(RUN_ITERATIONS), default=DEFAULT_ITERATIONS,
                   help=f"training steps: {RUN_ITERATIONS.describe()} (default %(default)s)")
    p.add_argument("--every-steps", type=arg_type(EVERY_STEPS), default=None, metavar="N",
                   help="redraw the surface every N steps (waiting for each) instead of ~30 times a second: "
                   f"{EVERY_STEPS.describe()}")
    p.add_argument("--autostart", action="store_true", help="start training when the window shows")
    p.add_argument("--exit-when-done", action="store_true", help="close with status 0 when training ends")
    p.add_argument("--screenshot", type=Path, metavar="PNG", help="save the window as a PNG when training ends")
    p.add_argument("--report-json", type=Path, metavar="FILE",
                   help="write the run's settings, timing and result as JSON when it ends")
    p.add_argument("--view", choices=VIEW_CHOICES, default="single",
                   help="the view to show: single (one run), race (every method from the same seed, side by side), "
                        "gates (the six gates as one stacked computation) or atlas (seeds 0..K-1 at once, and the "
                        "success rate against width); default single")
    p.add_argument("--seeds", type=arg_type(ATLAS_SEEDS), default=DEFAULT_ATLAS_SEEDS, metavar="K",
                   help=f"the seed atlas trains seeds 0..K-1: {ATLAS_SEEDS.describe()} (default %(default)s)")
    p.add_argument("--lens", choices=lens_keys(), default="output", type=str.lower,
                   help="the single run's tab in front: " + ", ".join(lens_keys()) + " (default output)")
    p.add_argument("--pace", type=pace_type, default=None, metavar="STEPS_PER_S",
                   help="at most this many steps a second on screen, so a fast run can be watched "
                        f"({PACE_RANGE[0]:g} to {PACE_RANGE[1]:g}); the µs per step stays the method's compute time "
                        "(default: full speed)")
    p.add_argument("--lang", choices=LANGUAGES, default=None,
                   help="the interface language: en (English) or ja (日本語); default: the Language menu's choice, "
                        "else the system locale")
    p.add_argument("--load", type=Path, metavar="FILE",
                   help="go on from a saved run (File ▸ Save run, nn_core train --save): its settings (any flag "
                        "given here overrides them), step count, parameters and optimizer state; --iterations N "
                        "then means N more steps")
    p.add_argument("--verbose", action="store_true", help="debug logging on stderr")
    p.add_argument("--version", action="version", version=cli.version_text())
    return p


VIEW_CHOICES = ("single", "race", "gates", "atlas")


def pace_type(text: str) -> float:
    """``--pace``: steps per second, a finite number in PACE_RANGE (app.session.check_pace)."""
    from .session import check_pace

    try:
        return check_pace(float(text))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a number of steps per second from {PACE_RANGE[0]:g} to {PACE_RANGE[1]:g}, got {text!r}") from None


def given_flags(argv=None) -> set[str]:
    """The destinations of the options given on the command line (not those left at their defaults): these win
    over the remembered settings for this launch."""
    parser = build_parser()
    unset = object()  # argparse leaves alone what the namespace already has, unless the flag is given
    namespace = argparse.Namespace(**{action.dest: unset for action in parser._actions})
    parser.parse_args(argv, namespace=namespace)
    return {name for name, value in vars(namespace).items() if value is not unset}


def launch_config(base, args, given: set[str], more_steps_from: int | None = None):
    """``base`` (the remembered settings, or a loaded run's) with the run options given on the command line in
    place of its own, as ``nn_core train --load`` overrides a saved run: a new optimizer keeps the options of
    ``base``'s it also has.  With ``more_steps_from`` (a loaded run's step count) ``--iterations N`` means N
    more steps.  ValueError with one line if the result is not a valid config."""
    from dataclasses import replace

    from nn_core.optimizers import get_optimizer

    changes = {name: getattr(args, name) for name in (*cli.RUN_FIELDS, "hidden") if name in given}
    if "iterations" in changes and more_steps_from is not None:
        changes["iterations"] = more_steps_from + args.iterations
    optimizer = changes.get("optimizer", base.optimizer)
    declared = {option.name for option in get_optimizer(optimizer).options}
    options = {name: value for name, value in base.optimizer_options if name in declared}
    options.update({name: getattr(args, name) for name in cli.optimizer_option_flags() if name in given})
    return replace(base, **changes, optimizer_options=options).validated()


def parse_args(argv=None):
    """The arguments and a validated TrainConfig; exits 2 with one line on a bad value."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = cli.run_config(args)  # nn_core train's own: the same fields, checks and messages
    except ValueError as error:  # valid alone, not together (an option of another optimizer): as nn_core says it
        parser.error(str(error))
    args.given = given_flags(argv)
    args.saved_run = None
    if args.load is not None:
        from dataclasses import replace

        from nn_core import runfile

        try:
            saved = runfile.load(args.load)
        except runfile.RunFileError as error:  # one line that names the file
            parser.error(one_line(error))
        try:  # the flags given override its settings, as nn_core train --load has it
            loaded = launch_config(saved.config, args, args.given, more_steps_from=saved.iteration)
            runfile.fits(saved, loaded)
        except ValueError as error:  # an override its parameters or optimizer state cannot take
            parser.error(f"--load {args.load}: {one_line(error)}")
        args.saved_run = replace(saved, config=loaded)
    for path in (args.screenshot, args.report_json):
        if path is not None and not path.resolve().parent.is_dir():
            parser.error(f"no such directory for {path}")
        if path is not None and path.is_dir():
            parser.error(f"{path} is a directory, not a file")
    return args, config


def report(summary) -> dict:
    """The ``--report-json`` object: every setting of the run as the engine had it (``lr``, ``h`` and ``seed``
    exactly: JSON numbers round-trip; ``hidden`` a list of widths; ``optimizer_options`` an object of every
    option of the optimizer, defaults included), what it did and how it ended.  Missing numbers are null, never
    NaN.

    ``iterations`` is the steps trained, ``total_iterations`` the steps the run was set to; ``every_steps`` is
    null when the surface was redrawn by the clock (``redraws_per_second``)."""
    config, rate = summary.config, summary.rate
    return {**settings_report(config), "total_iterations": config.iterations, "every_steps": rate.every_steps,
            "redraws_per_second": None if rate.every_steps else rate.per_second,
            "ended": str(summary.ended),
            "iterations": summary.iterations, "seconds": finite(summary.seconds),
            "wall_seconds": finite(summary.wall_seconds), "us_per_step": finite(summary.us_per_step),
            "loss_evals_per_step": finite(summary.loss_evals_per_step), "frames": summary.frames,
            "fps": finite(summary.fps), "final_loss": finite(summary.final_loss), "solved": summary.solved,
            "diverged_at": summary.diverged_at}


def main(argv=None) -> int:
    args, config = parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    # Not theirs to say at debug level here: PyOpenGL lists every GL extension, and the
    # worker calls Trainer.run once per ~1 ms chunk (the app logs each run itself).
    logging.getLogger("OpenGL").setLevel(logging.WARNING)
    logging.getLogger("nn_core.trainer").setLevel(max(logging.INFO, logging.getLogger().level))

    from .liveview import LiveView
    from .qt import StartupError, make_application

    live = LiveView.for_this_platform()  # what keeps drawing from slowing training; undone as main returns
    try:
        try:
            app = make_application(language=args.lang, live=live)
        except StartupError as error:
            print(f"gatelab: {one_line(error)}", file=sys.stderr)
            return 1
        try:
            window, outcome = build_window(app, args, config, live)
        except Exception as error:  # noqa: BLE001 (any failure: one line, never a traceback or a running thread)
            log.debug("building the window failed", exc_info=True)
            stop_training_threads(app)
            print(f"gatelab: could not open the window: {one_line(error)}", file=sys.stderr)
            return 1
        status = app.exec()
        log.debug("event loop ended with %d", status)
        window.deleteLater()
        app.processEvents()
        return outcome["exit_code"] or status
    finally:
        live.restore()


def finite(value):
    """``value``, or None where it is not a finite number (JSON has no NaN)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def settings_report(config) -> dict:
    """Every setting of a run as the engine had it (``lr``, ``h`` and ``seed`` exactly: JSON numbers round-trip;
    ``hidden`` a list of widths; ``optimizer_options`` every option of the optimizer, defaults included), except
    its step count, which each report names its own way."""
    return {"gate": config.gate, "method": config.method, "hidden": list(config.hidden),
            "activation": config.activation, "init": config.init, "optimizer": config.optimizer,
            "optimizer_options": dict(config.optimizer_options), "weight_decay": config.weight_decay,
            "lr": config.lr, "h": config.h, "seed": config.seed, "engine": config.engine}


def schedule_report(window, view: str) -> dict:
    """The ``--report-json`` object of ``--view race`` (``results`` as ``nn_core bench --json``'s, one entry per
    method raced, and the drawing-cost run), ``--view atlas`` (``seeds, solved, failed_seeds`` and the rest of
    ``nn_core sweep --json``'s figures, and ``widths``: the width series) or ``--view gates`` (one entry per
    gate: ``gate, solved, final_loss``;
    the stack's and one network's µs per step).  ``frames`` and ``fps``: publications drawn, over the run's wall
    time.  Missing numbers are null."""
    session = window.session
    runs = session.runs(view)
    job = window.schedules.job
    report = {"view": view, **settings_report(runs.config), "iterations": runs.config.iterations,
              "pace": session.pace, "frames": runs.frames,
              "fps": finite(runs.fps), "wall_seconds": finite(runs.wall_seconds)}
    if view == "atlas":  # as nn_core sweep --json: seeds 0..K-1, the settings' own seed not used
        del report["seed"], report["pace"]
        report.update(job.report())
    elif view == "race":
        del report["method"]
        report["results"] = [{key: finite(value) for key, value in entry.items()} for entry in job.race.results()]
        cost = runs.extra.get("drawing_cost")
        report["drawing_cost"] = None if cost is None else {key: finite(value) for key, value in cost.items()}
    else:
        del report["gate"]
        report["results"] = [{key: finite(value) for key, value in entry.items()} for entry in job.stack.results()]
        report["us_per_step"] = finite(job.stack.us_per_step)
        report["single_network_us_per_step"] = finite(runs.extra.get("single_network_us"))
    return report


def build_window(app, args, config, live=None):
    """The shown MainWindow, wired to ``args``' options, and a dict whose ``exit_code`` they may set.  ``live``:
    the application's LiveView (app/liveview.py), for the window's controller and 3D view."""
    from PySide6.QtCore import QCoreApplication

    from .qt import quit_on_sigint
    from .settings import Settings
    from .window import MainWindow
    from .worker import UpdateRate

    # The flags given win over what was remembered, for this launch (over a loaded run's: parse_args).
    settings = Settings()
    run = getattr(args, "saved_run", None)
    if run is not None:
        config = run.config
    else:
        try:
            config = launch_config(settings.run_config(), args, getattr(args, "given", set()))
        except ValueError as error:  # the flags alone were valid: with the remembered rest they are not
            settings.note(QCoreApplication.translate(
                "Settings", "The remembered settings and the command line's do not go together ({reason}): the "
                "command line's are used with the defaults.").format(reason=one_line(error)))
    rate = UpdateRate(every_steps=args.every_steps) if args.every_steps else settings.rate()
    window = MainWindow(config, rate, settings=settings, live=live, view=getattr(args, "view", "single"),
                        pace=getattr(args, "pace", None), lens=getattr(args, "lens", "output"))
    if run is not None:
        window.shell.open_loaded(run, args.load)
    window.session.atlas_seeds = getattr(args, "seeds", DEFAULT_ATLAS_SEEDS)
    outcome = {"exit_code": 0}

    def save_screenshot():
        app.processEvents()  # let the final surface paint before the grab
        window.settle_lens()  # and the lens in front draw the last step (in the single run)
        if not window.screenshot().save(str(args.screenshot), "PNG"):
            print(f"gatelab: could not write {args.screenshot}", file=sys.stderr)
            outcome["exit_code"] = 1

    def on_finished(summary):
        if args.screenshot:
            save_screenshot()
        if args.report_json:
            try:
                args.report_json.write_text(json.dumps(report(summary), allow_nan=False, indent=2) + "\n")
            except OSError as error:  # a full disk, a path that became a directory: one line, and still exit
                print(f"gatelab: could not write {args.report_json}: {error.strerror or error}", file=sys.stderr)
                outcome["exit_code"] = 1
        if window.surface_view.gl_failed:  # trained, but not shown: a script must not read it as a good run
            print(f"gatelab: the 3D view could not be drawn: {window.surface_view.gl_failure}", file=sys.stderr)
            outcome["exit_code"] = 1
        if args.exit_when_done:
            window.close_now()

    def on_error(message):
        if args.exit_when_done:
            print(f"gatelab: training failed: {message}", file=sys.stderr)
            outcome["exit_code"] = 1
            window.close_now()

    def on_schedule_finished(view):
        if args.screenshot:
            save_screenshot()
        if args.report_json:
            try:
                args.report_json.write_text(json.dumps(schedule_report(window, view), allow_nan=False, indent=2)
                                            + "\n")
            except OSError as error:
                print(f"gatelab: could not write {args.report_json}: {error.strerror or error}", file=sys.stderr)
                outcome["exit_code"] = 1
        if args.exit_when_done:
            window.close_now()

    window.controller.run_finished.connect(on_finished)
    window.controller.error.connect(on_error)
    window.schedules.finished.connect(on_schedule_finished)
    window.schedules.error.connect(on_error)
    quit_on_sigint(app, window)
    window.show()
    if args.autostart:
        from PySide6.QtCore import QTimer
        QTimer.singleShot(0, window.start)
    return window, outcome


def stop_training_threads(app) -> None:
    """Stop every controller's training thread (a window that failed half-built still owns its controller):
    a QThread destroyed while running aborts the process."""
    from .controller import TrainingController

    for widget in app.topLevelWidgets():
        for controller in widget.findChildren(TrainingController):
            controller.shutdown()


def one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


if __name__ == "__main__":
    sys.exit(main())
