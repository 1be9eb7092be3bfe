"""Saved runs: one JSON file holding a run's config, step count, parameters and optimizer state.

The file (``FORMAT``, ``VERSION``)::

    {"format": "gatelab-run", "version": 1,
     "config": {...every TrainConfig field...},            # hidden as a list, optimizer_options as an object
     "iteration": N,                                      # steps done
     "params": {"W1": [[...]], "b1": [...], ...},         # the book's names; W is (n_in, n_out), b is 1-D
     "optimizer_state": {"v": {"W1": ..., ...}, "iter": t}}   # arrays in the params' layout, counts as ints

Floats are written with Python's round-tripping repr, so a loaded run goes on bit for bit as if it had
never stopped (``Trainer.restore``).  ``loads`` checks everything and refuses a bad file whole with one
``RunFileError`` line; ``save`` and ``export_npz`` write atomically (a failed write leaves the old file).
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import math
import numbers
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .config import MAX_ITERATIONS, TrainConfig
from .network import param_count, param_layout
from .optimizers import get_optimizer
from .ranges import Range

FORMAT = "gatelab-run"
VERSION = 1
# A run of the largest network (3 hidden layers of 64) with Adam's state is about 0.6 MB; anything far
# larger is not a run, and is refused before it is read.
MAX_BYTES = 16 * 1024 * 1024

ITERATION = Range("iteration", 0, MAX_ITERATIONS, integer=True)
_KEYS = ("format", "version", "config", "iteration", "params", "optimizer_state")


MAX_MESSAGE = 300  # characters: a message quoting a value from the file never grows with the file


class RunFileError(ValueError):
    """A run file that cannot be read or is not a valid run; ``str(error)`` is one line for the user (line
    breaks made spaces, cut to ``MAX_MESSAGE`` characters with "…")."""

    def __init__(self, message: str):
        line = " ".join(str(message).splitlines())
        super().__init__(line if len(line) <= MAX_MESSAGE else line[: MAX_MESSAGE - 1] + "…")


@dataclass(frozen=True, eq=False)
class SavedRun:
    """A run stopped at ``iteration`` steps, enough to go on exactly.

    ``config``: a validated ``TrainConfig``.  ``params``: ``(P,)`` float64, the vector layout of
    ``network.param_layout(config.hidden)``.  ``optimizer_state``: the config's optimizer's
    ``state()``: ``(P,)`` float64 arrays (momentum's ``v``; Adam's ``m``, ``v``) and whole-number
    counts (Adam's ``iter``).  The arrays are read-only copies.  ValueError (one line) if the
    parts do not fit together.  Two runs are equal when every part is equal, arrays bit for bit.
    """

    config: TrainConfig
    iteration: int
    params: np.ndarray
    optimizer_state: dict

    def __post_init__(self):
        if not isinstance(self.config, TrainConfig) or self.config != self.config.validated():
            raise ValueError("a saved run needs a validated TrainConfig")
        object.__setattr__(self, "iteration", ITERATION.check(self.iteration))
        params = _frozen(self.params)
        if params.shape != (param_count(self.config.hidden),) or not np.isfinite(params).all():
            raise ValueError(f"the parameters must be {param_count(self.config.hidden)} finite numbers for hidden "
                             f"{_hidden_text(self.config.hidden)}, got shape {params.shape}")
        object.__setattr__(self, "params", params)
        expected = _initial_state(self.config)
        state = dict(self.optimizer_state)
        if set(state) != set(expected):
            raise ValueError(f"the {self.config.optimizer} optimizer's state is {_names(expected)}, "
                             f"got {_names(state)}")
        checked = {}
        for name, initial in expected.items():
            if isinstance(initial, np.ndarray):
                value = _frozen(state[name])
                if value.shape != initial.shape or not np.isfinite(value).all():
                    raise ValueError(f"the {self.config.optimizer} optimizer's {name!r} must be finite numbers "
                                     f"of shape {initial.shape}, got shape {value.shape}")
            else:
                value = Range(f"the {self.config.optimizer} optimizer's {name!r}", 0, MAX_ITERATIONS,
                              integer=True).check(state[name])
            checked[name] = value
        object.__setattr__(self, "optimizer_state", checked)

    def __eq__(self, other):
        if not isinstance(other, SavedRun):
            return NotImplemented
        return (self.config == other.config and self.iteration == other.iteration
                and _same(self.params, other.params) and self.optimizer_state.keys() == other.optimizer_state.keys()
                and all(_same(value, other.optimizer_state[name]) for name, value in self.optimizer_state.items()))

    __hash__ = None

    def named_params(self) -> dict[str, np.ndarray]:
        """``{"W1": (2, H1), "b1": (H1,), ..., "bL": (1,)}``: read-only views of ``params``."""
        return _named(self.params, self.config.hidden)


def _whole(value, setting: Range):
    """``setting.check(value)`` for a file's value; a string is named as one (Range shows ``"3"`` as 3)."""
    if isinstance(value, str):
        raise RunFileError(f"{setting.name} must be {setting.describe()}, got a string")
    try:
        return setting.check(value)
    except ValueError as error:
        raise RunFileError(str(error)) from None


def _frozen(value) -> np.ndarray:
    array = np.array(value, dtype=np.float64)  # a copy: the caller's array may go on changing
    array.flags.writeable = False
    return array


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape and (
            a.view(np.uint64) == b.view(np.uint64)).all()  # bit for bit: tells -0.0 from 0.0
    return a == b


def _named(vector: np.ndarray, hidden) -> dict[str, np.ndarray]:
    return {name: vector[cut].reshape(shape) for name, shape, cut in param_layout(hidden)}


def _names(mapping) -> str:
    return ", ".join(map(repr, mapping)) if mapping else "none"


def _hidden_text(hidden) -> str:
    return ",".join(map(str, hidden))


def _initial_state(config: TrainConfig) -> dict:
    """The config's optimizer's fresh ``state()``: its names, which are arrays and which counts."""
    optimizer = get_optimizer(config.optimizer)((param_count(config.hidden),), config.lr,
                                                **dict(config.optimizer_options))
    return optimizer.state()


def from_trainer(trainer) -> SavedRun:
    """The run of ``trainer`` (a ``Trainer``) as it stands: copies of its parameters and optimizer state.
    Call it while the trainer is not stepping (paused, stopped or finished), or the two may not match."""
    return SavedRun(config=trainer.config, iteration=trainer.iteration, params=trainer.network.params,
                    optimizer_state=trainer.optimizer.state())


# --- writing ---------------------------------------------------------------------------------------------

def _config_json(config: TrainConfig) -> dict:
    """Every field of ``config`` (``dataclasses.fields``, so a new field is saved too) as JSON values."""
    out = {}
    for field in dataclasses.fields(TrainConfig):
        value = getattr(config, field.name)
        if field.name == "optimizer_options":
            value = dict(value)
        elif isinstance(value, tuple):
            value = list(value)
        out[field.name] = value
    return out


def to_json(run: SavedRun) -> dict:
    """The file's object (see the module docstring), with nested lists for arrays."""
    def named(vector):
        return {name: array.tolist() for name, array in _named(vector, run.config.hidden).items()}

    return {"format": FORMAT, "version": VERSION, "config": _config_json(run.config), "iteration": run.iteration,
            "params": named(run.params),
            "optimizer_state": {name: named(value) if isinstance(value, np.ndarray) else int(value)
                                for name, value in run.optimizer_state.items()}}


def dumps(run: SavedRun) -> str:
    """The run file's text: JSON, floats in repr form (read back exactly), ends with a newline."""
    return json.dumps(to_json(run), allow_nan=False, indent=1) + "\n"


def _write_atomic(path, write: Callable[[io.BufferedWriter], None]) -> None:
    """``write(file)`` into a new file beside ``path``, flushed to disk, then renamed over ``path``.

    A failure anywhere (``write`` raising, a full disk) leaves whatever was at ``path`` as it was
    and removes the new file.  OSError as the system gives it.
    """
    path = os.fspath(path)
    folder, name = os.path.split(os.path.abspath(path))
    while True:
        temp = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.tmp")
        try:  # os.open, not mkstemp: the file gets the usual permissions (0666 less the umask), not 0600
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    with contextlib.suppress(OSError, AttributeError):  # the rename itself made durable (POSIX; not on Windows)
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def save(path, run: SavedRun) -> None:
    """Writes ``run`` to ``path`` (``dumps``) atomically: a temporary file in the same folder, fsync,
    ``os.replace``.  OSError if it cannot be written; then the old file, if any, is unchanged."""
    data = dumps(run).encode("utf-8")
    _write_atomic(path, lambda file: file.write(data))


def export_npz(path_or_file, run: SavedRun) -> None:
    """The parameters in the book's layout as an ``.npz``: arrays ``W1`` ``(2, H1)``, ``b1`` ``(H1,)``,
    ..., ``bL`` ``(1,)``, which ``numpy.load`` reads.  A path is written atomically and exactly as
    given (no ``.npz`` is added); a file object (binary, writable) is written in place."""
    arrays = {name: np.array(array) for name, array in run.named_params().items()}
    if hasattr(path_or_file, "write"):
        np.savez(path_or_file, **arrays)
    else:
        _write_atomic(path_or_file, lambda file: np.savez(file, **arrays))


# --- reading ---------------------------------------------------------------------------------------------

def _refuse_constant(token):
    raise RunFileError(f"not a GateLab run: {token} is not a number JSON allows")


def _no_duplicates(pairs):
    out = {}
    for key, value in pairs:
        if key in out:
            raise RunFileError(f"the key {key!r} appears twice in one object")
        out[key] = value
    return out


def _parse(text) -> object:
    if isinstance(text, (bytes, bytearray, memoryview)):
        if len(text) > MAX_BYTES:
            raise RunFileError(f"not a GateLab run: larger than {MAX_BYTES // 2**20} MB")
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise RunFileError("not a GateLab run: not UTF-8 text") from None
    if not isinstance(text, str):
        raise TypeError(f"loads takes str or bytes, got {type(text).__name__}")
    if len(text) > MAX_BYTES:
        raise RunFileError(f"not a GateLab run: larger than {MAX_BYTES // 2**20} MB")
    try:
        return json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as error:
        if error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string"):
            raise RunFileError("not a GateLab run: the JSON ends too early (is the file cut short?)") from None
        raise RunFileError(f"not a GateLab run: not JSON (line {error.lineno}, column {error.colno}: "
                           f"{error.msg})") from None
    except RecursionError:
        raise RunFileError("not a GateLab run: JSON nested too deeply") from None
    except ValueError as error:  # a number of more than 4300 digits, say
        if isinstance(error, RunFileError):
            raise
        raise RunFileError(f"not a GateLab run: {str(error).splitlines()[0]}") from None


def _exact_keys(obj, expected, where: str) -> None:
    missing = [key for key in expected if key not in obj]
    if missing:
        raise RunFileError(f"{where} lacks {', '.join(map(repr, missing))}")
    extra = [key for key in obj if key not in expected]
    if extra:
        raise RunFileError(f"{where} has an unknown key {extra[0]!r}")


def _object(value, where: str) -> dict:
    if not isinstance(value, dict):
        raise RunFileError(f"{where} must be a JSON object, got {_kind(value)}")
    return value


def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return format(value) if len(str(value)) < 40 else "a number"


def _shape(value, depth: int = 0) -> tuple[int, ...] | None:
    """The shape of a nested list (a number: ``()``); None if ragged or nested deeper than a parameter array.
    Each item is looked at once, and never below depth 3, so any JSON takes linear time."""
    if not isinstance(value, list):
        return ()
    if depth >= 2:
        return None
    if not value:
        return (0,)
    inner = _shape(value[0], depth + 1)
    for item in value[1:]:
        if inner is None or _shape(item, depth + 1) != inner:
            return None
    return None if inner is None else (len(value), *inner)


def _array(value, shape: tuple[int, ...], where: str) -> np.ndarray:
    """``value`` (nested lists of numbers) as a float64 array of ``shape``; RunFileError otherwise."""
    got = _shape(value)
    if got != shape:
        got_text = "no regular shape (a ragged or deeply nested list)" if got is None else (
            f"shape {got}" if got else _kind(value))
        raise RunFileError(f"{where} has {got_text}, the config needs {shape}")
    flat = value if len(shape) == 1 else [x for row in value for x in row]
    for i, x in enumerate(flat):
        if not isinstance(x, numbers.Real) or isinstance(x, bool):
            raise RunFileError(f"{where} holds {_kind(x)} at {_index(i, shape)}, not a number")
        try:
            finite = math.isfinite(float(x))
        except OverflowError:  # an integer beyond the float range
            finite = False
        if not finite:
            raise RunFileError(f"{where} holds a number that is not finite at {_index(i, shape)}")
    return np.array(flat, dtype=np.float64).reshape(shape)


def _index(i: int, shape) -> str:
    return f"[{i}]" if len(shape) == 1 else f"[{i // shape[1]}][{i % shape[1]}]"


def _named_arrays(value, hidden, where: str) -> np.ndarray:
    """A ``{"W1": ..., "b1": ...}`` object as the ``(P,)`` vector of ``param_layout(hidden)``."""
    obj = _object(value, where)
    layout = param_layout(hidden)
    _exact_keys(obj, [name for name, _shape, _cut in layout], where)
    vector = np.empty(param_count(hidden))
    for name, shape, cut in layout:
        vector[cut] = _array(obj[name], shape, f"{where}.{name}").ravel()
    return vector


def _config(value) -> TrainConfig:
    obj = _object(value, "config")
    _exact_keys(obj, [field.name for field in dataclasses.fields(TrainConfig)], "config")
    options = obj["optimizer_options"]
    if not isinstance(options, dict):
        raise RunFileError(f"config.optimizer_options must be a JSON object, got {_kind(options)}")
    try:
        config = TrainConfig(**obj).validated()
    except (ValueError, TypeError, ArithmeticError) as error:
        raise RunFileError(f"config: {str(error).splitlines()[0] if str(error) else type(error).__name__}") from None
    missing = [name for name, _value in config.optimizer_options if name not in options]
    if missing:
        raise RunFileError(f"config.optimizer_options lacks {', '.join(map(repr, missing))}")
    return config


def from_json(obj) -> SavedRun:
    """The run in a parsed file's object (``json.loads``'s result); RunFileError with one line if any part
    is missing, extra, of the wrong type or shape, out of range or not finite."""
    if not isinstance(obj, dict):
        raise RunFileError(f"not a GateLab run: the file holds {_kind(obj)}, not a JSON object")
    if obj.get("format") != FORMAT:
        got = f"its format is {obj['format']!r}" if "format" in obj else "it has no 'format' key"
        raise RunFileError(f"not a GateLab run: {got}, expected {FORMAT!r}")
    version = obj.get("version")
    if "version" not in obj:
        raise RunFileError("not a GateLab run: it has no 'version' key")
    if not isinstance(version, int) or isinstance(version, bool):
        raise RunFileError(f"not a GateLab run: its version is {_kind(version)}, expected {VERSION}")
    if version != VERSION:
        raise RunFileError(f"a GateLab run of version {version}; this GateLab reads version {VERSION}")
    _exact_keys(obj, _KEYS, "the run file")
    config = _config(obj["config"])
    iteration = _whole(obj["iteration"], ITERATION)
    params = _named_arrays(obj["params"], config.hidden, "params")
    expected = _initial_state(config)
    state_obj = _object(obj["optimizer_state"], "optimizer_state")
    _exact_keys(state_obj, list(expected), f"optimizer_state (of {config.optimizer})")
    state = {}
    for name, initial in expected.items():
        if isinstance(initial, np.ndarray):
            state[name] = _named_arrays(state_obj[name], config.hidden, f"optimizer_state.{name}")
            if name in get_optimizer(config.optimizer).squared_state and (state[name] < 0).any():
                raise RunFileError(f"optimizer_state.{name} has a negative number: it sums squared gradients")
        else:
            state[name] = _whole(state_obj[name], Range(f"optimizer_state.{name}", 0, MAX_ITERATIONS, integer=True))
    try:
        return SavedRun(config=config, iteration=iteration, params=params, optimizer_state=state)
    except ValueError as error:  # every part was checked above; kept so that nothing else escapes
        raise RunFileError(str(error)) from None


def loads(text: str | bytes) -> SavedRun:
    """The run in ``text`` (a run file's content); RunFileError with one line if it is not one
    (not JSON, NaN or Infinity, a duplicate key, larger than ``MAX_BYTES``, or what ``from_json`` refuses)."""
    obj = _parse(text)
    try:
        return from_json(obj)
    except RecursionError:  # a deeply nested value quoted in a message, when called deep in a stack
        raise RunFileError("not a GateLab run: JSON nested too deeply") from None


def load(path) -> SavedRun:
    """The run saved at ``path``.  RunFileError with one line, naming the file, if it cannot be read,
    is larger than ``MAX_BYTES`` (refused before reading) or is not a valid run (``loads``)."""
    where = os.fspath(path)
    try:
        with open(path, "rb") as file:
            if os.fstat(file.fileno()).st_size > MAX_BYTES:
                raise RunFileError(f"{where}: not a GateLab run: larger than {MAX_BYTES // 2**20} MB")
            data = file.read(MAX_BYTES + 1)  # a pipe or device reports no size: read no more than the limit
    except OSError as error:
        raise RunFileError(f"cannot read {where}: {error.strerror or error}") from None
    try:
        return loads(data)
    except RunFileError as error:
        raise RunFileError(f"{where}: {error}") from None


def fits(run: SavedRun, config: TrainConfig) -> None:
    """ValueError with one line unless ``run``'s parameters and optimizer state fit ``config`` (a validated
    config): the same hidden layers, seed and initialisation, and an optimizer with the same state (names and
    kinds)."""
    if tuple(config.hidden) != tuple(run.config.hidden):
        raise ValueError(f"hidden {_hidden_text(config.hidden)} does not fit the saved run's parameters "
                         f"(hidden {_hidden_text(run.config.hidden)})")
    if (config.seed, config.init) != (run.config.seed, run.config.init):
        raise ValueError(f"the seed and the initialisation choose a starting network, and a loaded run goes on from "
                         f"its saved parameters (seed {run.config.seed}, {run.config.init} init): leave them as saved")
    expected = _initial_state(config)
    if set(expected) != set(run.optimizer_state) or any(
            isinstance(value, np.ndarray) != isinstance(run.optimizer_state[name], np.ndarray)
            for name, value in expected.items()):
        raise ValueError(f"the {config.optimizer} optimizer (state: {_names(expected)}) cannot go on from the "
                         f"saved {run.config.optimizer} state ({_names(run.optimizer_state)})")


__all__ = ["FORMAT", "VERSION", "MAX_BYTES", "RunFileError", "SavedRun", "from_trainer", "dumps", "loads", "save",
           "load", "export_npz", "to_json", "from_json", "fits"]
