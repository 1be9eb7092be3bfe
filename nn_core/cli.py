"""``python -m nn_core``: train, bench, gradcheck, sweep and explain."""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import sys
from dataclasses import replace
from importlib import metadata

import numpy as np

from . import config as settings
from . import gradcheck, runfile
from .activations import ACTIVATIONS, DEFAULT_ACTIVATION, get_activation
from .bench import bench_baseline, bench_engines, bench_sweep, ladder, print_ladder
from .config import DEFAULT_ITERATIONS, DEFAULT_LR, TrainConfig, arg_type, parse_hidden
from .engines import DEFAULT_ENGINE, ENGINES, compiled_missing, get_engine
from .explain import UNCLEAR_MARGIN, explain
from .gates import INPUTS, TRUTH_TABLES, canonical_gate, gate_bits
from .gradcheck import norm_relative_error, relative_error  # noqa: F401  (the formulas gradcheck reports, by name)
from .initializers import DEFAULT_INIT, INITIALIZERS, get_initializer
from .methods import DEFAULT_H, METHODS, get_method
from .network import DEFAULT_HIDDEN, param_layout
from .optimizers import DEFAULT_OPTIMIZER, OPTIMIZERS, get_optimizer
from .sweep import DEFAULT_CHECK_EVERY, sweep
from .sweep import check_size as check_sweep_size
from .trainer import Trainer

log = logging.getLogger("nn_core")


def version_text() -> str:
    """``gatelab X.Y.Z``, the installed distribution's version (pyproject's ``[project] version``): what
    ``--version`` prints for ``gatelab``, ``python -m app`` and ``python -m nn_core``."""
    try:
        return f"gatelab {metadata.version('gatelab')}"
    except metadata.PackageNotFoundError:  # a source tree run without `pip install` (its own PYTHONPATH)
        return "gatelab (version unknown: not installed)"


class OneLineParser(argparse.ArgumentParser):
    """Bad arguments: one line on stderr and status 2, without the usage block."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _choice(canonical):
    def parse(text):
        try:
            return canonical(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
    return parse


def _hidden(text):
    """The widths as reports carry them: one hidden layer as a number (``4``), several as a tuple (``(8, 4)``)."""
    hidden = parse_hidden(text)
    return hidden[0] if len(hidden) == 1 else hidden


GATE = _choice(canonical_gate)
METHOD = _choice(lambda text: get_method(text).key)
HIDDEN = _choice(_hidden)
ACTIVATION = _choice(lambda text: get_activation(text).key)
INIT = _choice(lambda text: get_initializer(text).key)
OPTIMIZER = _choice(lambda text: get_optimizer(text).key)
ENGINE = _choice(get_engine)
WEIGHT_DECAY = arg_type(settings.WEIGHT_DECAY)
LR = arg_type(settings.LR)
H = arg_type(settings.H)
SEED = arg_type(settings.SEED)
ITERATIONS = arg_type(settings.ITERATIONS)
SEEDS = arg_type(settings.SEEDS)


def optimizer_option_flags() -> dict[str, tuple]:
    """``{name: (Option, [optimizer keys])}``: every option the optimizers declare, once, with who has it."""
    flags: dict[str, tuple] = {}
    for key, cls in OPTIMIZERS.items():
        for option in cls.options:
            flags.setdefault(option.name, (option, []))[1].append(key)
    return flags


def run_options(p, seed=True, iterations=True, engine=False) -> None:
    """The network and training options, declared once for train, bench, gradcheck and sweep.  The choices,
    and each optimizer's own options, come from the registries.  ``engine``: also ``--engine``."""
    p.add_argument("--hidden", type=HIDDEN, default=_hidden(",".join(map(str, DEFAULT_HIDDEN))),
                   help="hidden layer widths, comma-separated: 4, 4,4 or 8,4 (up to 3 layers of up to 64; "
                        "default %(default)s)")
    p.add_argument("--activation", type=ACTIVATION, default=DEFAULT_ACTIVATION,
                   help=f"hidden activation: {', '.join(ACTIVATIONS)} (default %(default)s)")
    p.add_argument("--init", type=INIT, default=DEFAULT_INIT,
                   help="weight initialisation: " + ", ".join(f"{key} {e.formula}" for key, e in INITIALIZERS.items())
                   + " (default %(default)s)")
    p.add_argument("--optimizer", type=OPTIMIZER, default=DEFAULT_OPTIMIZER,
                   help=f"{', '.join(OPTIMIZERS)} (the book's rules; each steps with --lr; default %(default)s)")
    for option, owners in optimizer_option_flags().values():
        p.add_argument(option.flag, dest=option.name, type=arg_type(option.range), default=None,
                       help=f"{option.help} ({option.range.describe()}; {', '.join(owners)}; "
                            f"default {option.default:g})")
    def ranged(what: str, setting) -> str:  # the help gives the range the value is checked against
        return f"{what}: {setting.describe()} (default %(default)s)"

    p.add_argument("--weight-decay", type=WEIGHT_DECAY, default=0.0,
                   help=ranged("λ of the L2 term λ/2 Σ W² on the weights", settings.WEIGHT_DECAY))
    p.add_argument("--lr", type=LR, default=DEFAULT_LR, help=ranged("learning rate, for every optimizer", settings.LR))
    p.add_argument("--h", type=H, default=DEFAULT_H, help=ranged("finite-difference step", settings.H))
    if seed:
        p.add_argument("--seed", type=SEED, default=0, help=ranged("initialisation seed", settings.SEED))
    if iterations:
        p.add_argument("--iterations", type=ITERATIONS, default=DEFAULT_ITERATIONS,
                       help=ranged("training steps", settings.ITERATIONS))
    if engine:
        p.add_argument("--engine", type=ENGINE, default=DEFAULT_ENGINE,
                       help=f"{'; '.join(ENGINES.values())} (default %(default)s)")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print one JSON object and nothing else")
    common.add_argument("--verbose", action="store_true", help="debug logging on stderr")
    gate_help = (f"four target bits for rows 00, 01, 10, 11 (0110 is XOR) or a name: "
                 f"{', '.join(TRUTH_TABLES)}")

    parser = OneLineParser(prog="python -m nn_core",
                           description="GateLab's engine: a 2-input network learning a logic gate.")
    parser.add_argument("--version", action="version", version=version_text())
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    parser.commands = sub.choices  # name -> subparser, for --load's check of which flags were given

    p = sub.add_parser("train", parents=[common], help="train one network")
    # required unless --load gives them (checked in main)
    p.add_argument("--gate", type=GATE, default=None, help=gate_help + " (required unless --load)")
    p.add_argument("--method", type=METHOD, default=None, help=", ".join(METHODS) + " (required unless --load)")
    run_options(p, engine=True)
    saved_run_options(p)

    p = sub.add_parser("bench", parents=[common], help="time every gradient method on one setting")
    p.add_argument("--gate", type=GATE, default="XOR", help=gate_help)
    run_options(p, engine=True)
    p.add_argument("--methods", default=",".join(METHODS), help="comma-separated method keys")
    p.add_argument("--sweep-seeds", type=SEEDS, default=100, help="seeds for the sweep comparison (default 100)")

    p = sub.add_parser("gradcheck", parents=[common], help="every method's gradient against backprop")
    p.add_argument("--gate", type=GATE, default="XOR", help=gate_help)
    run_options(p, iterations=False)
    p.add_argument("--h-curve", action="store_true",
                   help="also the error of forward and central against h from 1e-12 to 1e-1 (45 steps) and the "
                        "fitted log-log slopes of truncation and rounding error; --json adds h_curve")

    p = sub.add_parser("sweep", parents=[common], help="train seeds 0..K-1 at once")
    p.add_argument("--gate", type=GATE, default="XOR", help=gate_help)
    p.add_argument("--method", type=METHOD, default="backprop", help=", ".join(METHODS) + " (default backprop)")
    p.add_argument("--seeds", type=SEEDS, default=100,
                   help=f"train seeds 0..K-1 at once: {settings.SEEDS.describe()} (default %(default)s)")
    p.add_argument("--check-every", type=arg_type(settings.CHECK_EVERY), default=DEFAULT_CHECK_EVERY,
                   help="steps between the checks of which seeds are solved (default %(default)s)")
    run_options(p, seed=False, engine=True)

    p = sub.add_parser("explain", parents=[common], help="train one network and name the gate each unit computes")
    p.add_argument("--gate", type=GATE, default="XOR", help=gate_help + " (default XOR)")
    p.add_argument("--method", type=METHOD, default="backprop", help=", ".join(METHODS) + " (default backprop)")
    run_options(p, engine=True)
    load_option(p)
    return parser


def load_option(p) -> None:
    """--load (train and explain): go on from a saved run (nn_core.runfile)."""
    p.add_argument("--load", metavar="FILE",
                   help="go on from a run saved with --save: its config (any flag given here overrides it), its "
                        "parameters, step count and optimizer state; --iterations N then means N more steps "
                        "(without it: up to the saved run's total)")


def saved_run_options(p) -> None:
    """train's --load, --save and --export-npz (saved runs: nn_core.runfile)."""
    load_option(p)
    p.add_argument("--save", metavar="FILE",
                   help="after training, save the run (config, step count, parameters, optimizer state) as JSON; "
                        "written atomically")
    p.add_argument("--export-npz", metavar="FILE",
                   help="after training, write the parameters as a NumPy .npz in the book's layout "
                        "(W1, b1, W2, b2, ...; numpy.load reads it)")


def given_flags(argv) -> set[str]:
    """The dests of the options written on the command line ``argv``, told apart from argparse's defaults
    by parsing again with every default replaced by a marker."""
    parser = build_parser()
    args = parser.parse_args(argv)
    unset = object()  # not a str: argparse converts only str defaults
    parser.commands[args.command].set_defaults(**{dest: unset for dest in vars(args) if dest != "command"})
    return {dest for dest, value in vars(parser.parse_args(argv)).items() if value is not unset}


def loaded_run(args, argv) -> runfile.SavedRun:
    """The run of ``--load``, its config overridden by the flags given in ``argv`` and ``--iterations N``
    meaning N more steps.  RunFileError or ValueError with one line (a bad file; an override the saved
    parameters or optimizer state do not fit)."""
    saved = runfile.load(args.load)
    given = given_flags(argv)
    values = {field.name: getattr(saved.config, field.name) for field in dataclasses.fields(TrainConfig)}
    for name in values.keys() - {"iterations", "optimizer_options"}:
        if name in given:
            values[name] = getattr(args, name)
    options = dict(saved.config.optimizer_options)
    if values["optimizer"] != saved.config.optimizer:  # keep only what the new optimizer also has
        declared = {option.name for option in get_optimizer(values["optimizer"]).options}
        options = {name: value for name, value in options.items() if name in declared}
    options.update({name: getattr(args, name) for name in optimizer_option_flags() if name in given})
    values["optimizer_options"] = options
    if "iterations" in given:
        values["iterations"] = saved.iteration + args.iterations
    config = TrainConfig(**values).validated()
    try:
        runfile.fits(saved, config)
    except ValueError as error:
        raise ValueError(f"--load {args.load}: {error}") from None
    return dataclasses.replace(saved, config=config)


def check_output_path(flag: str, path: str) -> None:
    """ValueError with one line if ``path`` cannot be a new file: its folder missing, or a folder itself."""
    if not path.strip():
        raise ValueError(f"{flag} needs a file name")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ValueError(f"{flag} {path}: no folder {folder}")
    if os.path.isdir(path):
        raise ValueError(f"{flag} {path}: is a folder")


def main(argv=None) -> int:
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if args.command == "bench":
        if args.iterations < 1:  # zero steps time nothing: every ratio would be NaN, which JSON cannot carry
            parser.error("bench needs --iterations of at least 1")
        try:
            args.methods = [get_method(m).key for m in args.methods.split(",") if m.strip()]
        except ValueError as error:
            parser.error(str(error))
        if not args.methods:
            parser.error("--methods names no method")
    try:
        if args.command == "train":
            for flag, path in (("--save", args.save), ("--export-npz", args.export_npz)):
                if path is not None:
                    check_output_path(flag, path)
            if args.load is not None:
                args.saved_run = loaded_run(args, argv)
            elif args.gate is None or args.method is None:
                missing = [flag for flag, value in (("--gate", args.gate), ("--method", args.method)) if value is None]
                parser.error(f"the following arguments are required: {', '.join(missing)} (or --load FILE)")
        if args.command == "explain" and args.load is not None:
            args.saved_run = loaded_run(args, argv)
        if getattr(args, "saved_run", None) is None:
            config = run_config(args)  # settings valid alone but not together (an option of another optimizer)
            if args.command in ("sweep", "bench"):
                check_sweep_size(config, args.seeds if args.command == "sweep" else args.sweep_seeds)
    except ValueError as error:  # RunFileError too: a bad saved run
        parser.error(str(error))
    try:
        report = COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (| head): nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as error:  # --save or --export-npz could not write (the disk full, say)
        print(f"{parser.prog}: error: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(report, default=_jsonable, allow_nan=False))
    return 0


RUN_FIELDS = ("gate", "method", "lr", "h", "seed", "iterations", "activation", "init", "optimizer", "weight_decay",
              "engine")


def run_config(args, **overrides) -> TrainConfig:
    """The validated config of the parsed arguments; ValueError with one line for a bad combination, or for
    the compiled engine where numba is missing."""
    fields = {k: getattr(args, k) for k in RUN_FIELDS if hasattr(args, k)}
    options = {name: getattr(args, name) for name in optimizer_option_flags() if getattr(args, name) is not None}
    config = TrainConfig(hidden=args.hidden, optimizer_options=options, **{**fields, **overrides}).validated()
    if config.engine == "compiled" and compiled_missing():
        raise ValueError(compiled_missing())
    return config


def _settings(config: TrainConfig) -> dict:
    """The chapter-6 settings every report carries, as JSON fields."""
    return {"activation": config.activation, "init": config.init, "optimizer": config.optimizer,
            "optimizer_options": dict(config.optimizer_options), "weight_decay": config.weight_decay}


def _describe(config: TrainConfig) -> str:
    """``4 hidden (sigmoid, xavier init), sgd lr 2``: the network and how it trains, for text output."""
    options = ", ".join(f"{name} {value:g}" for name, value in config.optimizer_options)
    options = f" ({options})" if options else ""
    decay = f", weight decay {config.weight_decay:g}" if config.weight_decay else ""
    return (f"{','.join(map(str, config.hidden))} hidden ({config.activation}, {config.init} init), "
            f"{config.optimizer}{options} lr {config.lr:g}{decay}")


def _progress(args):
    """``show(label, snapshot)``: a progress line on stderr, only when a person watches the terminal."""
    if args.json or not sys.stderr.isatty():
        return None

    def show(label, snapshot):
        done = snapshot.iteration / snapshot.total if snapshot.total else 1.0
        end = "\n" if snapshot.iteration >= snapshot.total or snapshot.diverged_at else ""
        print(f"\r{label}: step {snapshot.iteration:,}/{snapshot.total:,} ({done:5.1%}) loss {snapshot.loss:.4g}",
              end=end, file=sys.stderr, flush=True)
    return show


def write_outputs(args, trainer: Trainer) -> None:
    """train's --save and --export-npz; OSError with one line naming the file if one cannot be written."""
    run = runfile.from_trainer(trainer)
    for path, write in ((args.save, runfile.save), (args.export_npz, runfile.export_npz)):
        if path is not None:
            try:
                write(path, run)
            except OSError as error:
                raise OSError(f"cannot write {path}: {error.strerror or error}") from None


def cmd_train(args) -> dict:
    saved = getattr(args, "saved_run", None)
    trainer = Trainer(run_config(args)) if saved is None else Trainer.from_saved(saved)
    log.debug("training %s from step %d", trainer.config, trainer.iteration)
    show = _progress(args)
    label = f"{trainer.config.gate} {trainer.config.method}"
    trainer.run(on_snapshot=show and (lambda snapshot: show(label, snapshot)), every_seconds=0.25, grid=None)
    write_outputs(args, trainer)
    steps = trainer.iteration - trainer.first_iteration  # timed in this run (all of them unless --load)
    hidden = trainer.config.hidden
    report = {
        "gate": trainer.config.gate, "gate_bits": gate_bits(trainer.config.gate), "method": trainer.config.method,
        "hidden": hidden[0] if len(hidden) == 1 else hidden, **_settings(trainer.config),
        "engine": trainer.config.engine, "compile_seconds": trainer.compile_seconds or 0.0,
        "lr": trainer.config.lr, "h": trainer.config.h, "seed": trainer.config.seed,
        "iterations": trainer.iteration, "start_iteration": trainer.first_iteration,
        "final_loss": trainer.loss(), "seconds": trainer.compute_seconds,
        "us_per_step": trainer.us_per_step if steps else None,
        "loss_evals_per_step": trainer.loss_evals_per_step if steps else  # 0 steps: the cost model's figure
        trainer.method.loss_evals(trainer.network.size),
        "diverged": trainer.diverged_at is not None, "diverged_at": trainer.diverged_at,
        "solved": trainer.solved(), "outputs": trainer.outputs(), "targets": trainer.targets.ravel(),
    }
    if not args.json:
        rows = [f"{a:.0f} {b:.0f} -> {y:.4f}  (target {t:.0f})"
                for (a, b), y, t in zip(INPUTS, report["outputs"], report["targets"], strict=True)]
        us = f"{report['us_per_step']:.1f}" if steps else "-"
        print(f"{report['gate']} with {report['method']}, {_describe(trainer.config)}, seed {report['seed']}, "
              f"{trainer.config.engine} engine")
        if saved is not None:
            print(f"went on from step {trainer.first_iteration:,} of {args.load} to step {trainer.iteration:,}")
        if trainer.compile_seconds:
            print(f"compiled engine: {trainer.compile_seconds:.2f} s to compile or load its cache (not in µs/step)")
        print(*rows, sep="\n")
        evals = report["loss_evals_per_step"]
        print(f"{steps:,} steps in {report['seconds']:.2f} s ({us} µs/step, "
              f"{evals:g} loss evaluation{'' if evals == 1 else 's'}/step), final loss {report['final_loss']:.6f}")
        if report["diverged"]:
            print(f"diverged at step {report['diverged_at']:,}: the update stopped being finite")
        print("solved" if report["solved"] else "not solved (an output is more than 0.1 from its target)")
    return report


def cmd_bench(args) -> dict:
    config = run_config(args, method="backprop")
    engines = bench_engines(replace(config, engine="numpy"), args.methods, progress=_progress(args))
    results = engines[config.engine]  # the chosen engine's: one result per method, as before
    baseline = bench_baseline(config, iterations=min(args.iterations, 2000)) if "central" in args.methods else None
    sweep_report = bench_sweep(config, args.sweep_seeds, iterations=min(args.iterations, 2000))
    rungs, checks = ladder(engines, baseline, sweep_report)
    report = {"gate": config.gate, "iterations": args.iterations, "seed": config.seed, "hidden": args.hidden,
              **_settings(config), "engine": config.engine, "lr": config.lr, "results": results,
              "book_baseline": baseline, "sweep": sweep_report, "compile_seconds": engines["compile_seconds"],
              "ladder": rungs, "targets": checks}
    if not args.json:
        print(f"{config.gate}, {_describe(config)}, {args.iterations:,} steps, seed {config.seed}")
        for engine in ("numpy", "compiled"):
            if engines[engine] is None:
                continue
            print(f"{engine + ' engine':<16} {'seconds':>9} {'µs/step':>9} {'loss evals':>10} {'vs central':>10} "
                  f"{'final loss':>11}  solved")
            for r in engines[engine]:
                speed = f"{r['speedup_vs_central']:.1f}×" if r["speedup_vs_central"] else "-"
                print(f"{r['method']:<16} {r['seconds']:>9.2f} {r['us_per_step']:>9.2f} "
                      f"{r['loss_evals_per_step']:>10g} {speed:>10} {r['final_loss']:>11.2e}  "
                      f"{'yes' if r['solved'] else 'no'}")
        if baseline:
            print(f"central {baseline['central_us_per_step']:.1f} µs/step vs the book's numerical_gradient loop "
                  f"{baseline['book_us_per_step']:.1f} µs/step: {baseline['central_vs_book']:.2f} of its time")
        s = sweep_report
        print(f"sweep of {s['seeds']} seeds × {s['iterations']:,} steps ({s['method']}): {s['sweep_seconds']:.2f} s, "
              f"{s['us_per_network_step']:.3f} µs per network-step; one by one {s['single_us_per_network_step']:.1f} "
              f"µs ({s['speedup']:.1f}× slower); the book's numerical_gradient loop {s['book_us_per_step']:.0f} µs "
              f"a step ({s['vs_book']:,.0f}× slower)")
        print()
        print_ladder(rungs, checks, engines)
    return report


def cmd_gradcheck(args) -> dict:
    config = run_config(args)
    check = gradcheck.check_gradients(config)

    def named(vector):
        return {name: vector[cut].reshape(shape) for name, shape, cut in param_layout(config.hidden)}

    errors, norm_errors = check["max_rel_error"], check["norm_rel_error"]
    report = {"gate": config.gate, "seed": config.seed, "hidden": args.hidden, "params": named(check["params"]),
              "loss": check["loss"], "gradients": {k: named(g) for k, g in check["gradients"].items()},
              "max_rel_error": errors, "norm_rel_error": norm_errors}
    curve = gradcheck.error_vs_h(config) if args.h_curve else None
    if curve is not None:
        report["h_curve"] = {"h": curve["h"], **curve["norm_rel_error"]}
    if not args.json:
        print(f"{config.gate}, {args.hidden} hidden units, seed {config.seed}, h {config.h:g}: "
              f"loss {report['loss']:.6f}, {check['params'].size} parameters")
        print(f"{'method':<11} {'max relative error':>19} {'norm-wise relative error':>25}  (vs backprop)")
        for key, err in errors.items():
            print(f"{key:<11} {err:>19.2e} {norm_errors[key]:>25.2e}")
        print("Read the norm-wise column: max is the worst single component, large when one is near 0.")
        if curve is not None:
            print_h_curve(curve)
    return report


def print_h_curve(curve: dict) -> None:
    """gradcheck --h-curve's text: the norm-wise error at each power of ten of h, each method's best h and
    the fitted log-log slopes of the truncation and rounding regimes."""
    hs, errors = curve["h"], curve["norm_rel_error"]
    print()
    print("norm-wise relative error against h (every power of ten of the curve's "
          f"{hs.size} points from {hs[0]:g} to {hs[-1]:g}):")
    print(f"{'h':>7} " + " ".join(f"{key:>10}" for key in errors))
    for i, h in enumerate(hs):
        if abs(np.log10(h) - round(np.log10(h))) < 1e-9:
            print(f"{h:>7.0e} " + " ".join(f"{errors[key][i]:>10.2e}" for key in errors))
    for key, values in errors.items():
        best = int(np.argmin(values))
        parts = []
        for name, (low, high) in gradcheck.REGIMES.items():
            try:
                slope = f"{gradcheck.fitted_slope(hs, values, low, high):+.2f}"
            except ValueError:  # an error of exactly 0 there: no straight line on log-log axes
                slope = "-"
            parts.append(f"{name} slope {slope} (h {low:g} to {high:g})")
        print(f"{key}: smallest error {values[best]:.1e} at h {hs[best]:.1e}; " + ", ".join(parts))
    print("Truncation error falls as h (forward) or h² (central); rounding error grows as 1/h. "
          "The book's h 1e-4 sits just above central's best h.")


def cmd_sweep(args) -> dict:
    check_every = args.check_every
    result = sweep(run_config(args), args.seeds, check_every=check_every)
    report = {"gate": result.config.gate, "method": result.config.method, "hidden": args.hidden,
              **_settings(result.config), "engine": result.config.engine, "lr": result.config.lr,
              "iterations": result.config.iterations, "seeds": args.seeds, "solved": int(result.solved.sum()),
              "failed_seeds": result.failed_seeds, "diverged_seeds": [int(s) for s in np.flatnonzero(result.diverged)],
              "seconds": result.seconds, "check_every": result.check_every,
              "steps_to_solved": result.steps_to_solved, "median_steps_to_solved": result.median_steps_to_solved,
              "solved_then_lost_seeds": result.solved_then_lost_seeds}
    if not args.json:
        print(f"{report['gate']} with {report['method']}, {_describe(result.config)}, {result.config.engine} engine, "
              f"{report['iterations']:,} steps: "
              f"{report['solved']} of {args.seeds} seeds solved in {report['seconds']:.2f} s")
        median = report["median_steps_to_solved"]
        print(f"median steps to solved: {'-' if median is None else f'{median:,g}'} "
              f"(checked every {check_every:,} steps: a seed solved by step N)")
        if report["failed_seeds"]:
            print("failed seeds:", " ".join(map(str, report["failed_seeds"])))
        if report["diverged_seeds"]:
            print("diverged seeds:", " ".join(map(str, report["diverged_seeds"])))
        if report["solved_then_lost_seeds"]:
            print(f"solved at a check but not at the end ({len(report['solved_then_lost_seeds'])}):",
                  " ".join(map(str, report["solved_then_lost_seeds"])))
    return report


def cmd_explain(args) -> dict:
    saved = getattr(args, "saved_run", None)
    trainer = Trainer(run_config(args)) if saved is None else Trainer.from_saved(saved)
    show = _progress(args)
    label = f"{trainer.config.gate} {trainer.config.method}"
    trainer.run(on_snapshot=show and (lambda snapshot: show(label, snapshot)), every_seconds=0.25, grid=None)
    units = explain(trainer.network)
    config = trainer.config
    report = {
        "gate": config.gate, "gate_bits": gate_bits(config.gate), "method": config.method,
        "hidden": config.hidden[0] if len(config.hidden) == 1 else config.hidden, **_settings(config),
        "engine": config.engine, "lr": config.lr, "seed": config.seed, "iterations": trainer.iteration,
        "start_iteration": trainer.first_iteration, "final_loss": trainer.loss(), "solved": trainer.solved(),
        "diverged": trainer.diverged_at is not None, "outputs": trainer.outputs(), "unclear_margin": UNCLEAR_MARGIN,
        "units": [unit.as_dict() for unit in units],
    }
    if not args.json:
        print(f"{config.gate} with {config.method}, {_describe(config)}, seed {config.seed}, "
              f"{trainer.iteration:,} steps: final loss {report['final_loss']:.6f}, "
              f"{'solved' if report['solved'] else 'not solved'}")
        if saved is not None:
            print(f"went on from step {trainer.first_iteration:,} of {args.load}")
        width = max(len(unit.function) for unit in units)
        for unit in units:
            place = f"{unit.name} (layer {unit.layer}, unit {unit.index})"
            also = f"   (of x1, x2: {unit.of_inputs})" if unit.function not in (unit.of_inputs, "unclear") else ""
            print(f"{place:<24} ≈ {unit.function:<{width}}   margin {unit.margin:.2f}{also}")
        print(f"margin: the least clear row's distance from the unit's midpoint (0.5 for a sigmoid), 0 to 0.5; "
              f"unclear below {UNCLEAR_MARGIN:g}")
    return report


COMMANDS = {"train": cmd_train, "bench": cmd_bench, "gradcheck": cmd_gradcheck, "sweep": cmd_sweep,
            "explain": cmd_explain}


def _jsonable(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (np.floating, np.integer, np.bool_)):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
