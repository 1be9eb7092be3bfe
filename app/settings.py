"""What the window remembers between launches, in a QSettings INI file (one per user).

Every value is checked as it is read: a missing, stale or unreadable value falls back to its default and adds
a sentence to ``Settings.problems`` (the window shows them on its status line); reading never fails.  The
last run settings are checked field by field with ``TrainConfig.validated`` (the engine's own rules), so one bad
field costs only that field.  Values are stored as JSON text: an INI file keeps no types, and a list of one
item would come back as a bare string.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import weakref
from dataclasses import fields, replace
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings

from nn_core.config import EVERY_STEPS, RUN_ITERATIONS, TrainConfig

from .worker import UpdateRate

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

ORGANIZATION = "GateLab"
APPLICATION = "GateLab"
MAX_RECENT = 8
LANGUAGES = ("en", "ja")
LANGUAGE_KEY = "ui/language"  # read at startup by app.i18n
GROUPS = ("run", "window", "view", "ui", "files")  # every key is in one of these; others are dropped as garbage


def open_store() -> QSettings:
    """The user's settings file: INI format on every platform (readable, and the same code reads it)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


class Settings:
    """Typed, checked access to the remembered values; ``problems`` lists what was refused while reading."""

    def __init__(self, store: QSettings | None = None):
        self.store = store if store is not None else open_store()
        self.problems: list[str] = []
        path = Path(self.store.fileName())
        keys = self.store.allKeys()
        unreadable = path.is_file() and path.stat().st_size > 0 and not keys  # Qt skips what it cannot parse
        if self.store.status() != QSettings.Status.NoError or unreadable:
            self.note(translate("Settings", "The settings file {path} could not be read; GateLab starts with "
                                "its defaults.").format(path=path))
        # Garbage Qt could parse reads as entries of no group of ours: dropped, so the file is clean when saved.
        unknown = [key for key in keys if key.split("/", 1)[0] not in GROUPS]
        if unknown:
            for key in unknown:
                self.store.remove(key)
            self.note(translate("Settings", "The settings file {path} held entries GateLab does not know (a "
                                "damaged file?): {count} dropped.").format(path=path, count=len(unknown)))

    @classmethod
    def scratch(cls) -> Settings:
        """Settings in a temporary file of their own, empty at first and deleted with this object: for windows
        that must neither follow nor change the user's (app.bench, app.soak)."""
        folder = tempfile.mkdtemp(prefix="gatelab-settings-")
        settings = cls(QSettings(str(Path(folder) / "scratch.ini"), QSettings.Format.IniFormat))
        weakref.finalize(settings, shutil.rmtree, folder, ignore_errors=True)  # also at exit
        return settings

    def note(self, text: str) -> None:
        """Add ``text`` (a sentence) to ``problems``, once."""
        if text not in self.problems:
            log.info("%s", text)
            self.problems.append(text)

    def _json(self, key: str):
        """The JSON value stored at ``key``, or None if none is; ValueError if it is not JSON."""
        raw = self.store.value(key)
        if raw is None:
            return None
        if not isinstance(raw, str):
            raise ValueError(f"{key} is not text")
        return json.loads(raw)

    def _set_json(self, key: str, value) -> None:
        self.store.setValue(key, json.dumps(value))

    # --- the last run settings ----------------------------------------------------------------

    def run_config(self) -> TrainConfig:
        """The settings of the last session, checked one field at a time: a field the engine refuses now (a
        method since removed, a value out of range, garbage) is the default, with a note in ``problems``."""
        config = TrainConfig().validated()
        # In the dataclass's order: the optimizer comes before its options, which are checked against it.
        for field in fields(TrainConfig):
            key = f"run/{field.name}"
            try:
                value = self._json(key)
                if value is None:
                    continue
                if field.name == "hidden":
                    value = tuple(value) if isinstance(value, list) else value
                if field.name == "optimizer_options" and not isinstance(value, dict):
                    raise ValueError("the optimizer's options must be an object")
                if field.name == "iterations":
                    RUN_ITERATIONS.check(value)
                config = replace(config, **{field.name: value}).validated()
            except (ValueError, TypeError) as error:
                if field.name == "optimizer":  # its options belong to the optimizer refused
                    config = replace(config, optimizer_options=()).validated()
                self.note(translate("Settings", "The remembered {setting} could not be used ({reason}); "
                                    "it is back to its default.").format(setting=field.name, reason=error))
        return config

    def set_run_config(self, config: TrainConfig) -> None:
        for field in fields(TrainConfig):
            value = getattr(config, field.name)
            if field.name == "hidden":
                value = list(value)
            elif field.name == "optimizer_options":
                value = dict(value)
            self._set_json(f"run/{field.name}", value)

    def rate(self) -> UpdateRate:
        """The surface's update rate: by the clock, or every N steps."""
        try:
            every = self._json("run/every_steps")
            if every is None or every == 0:
                return UpdateRate()
            return UpdateRate(every_steps=EVERY_STEPS.check(every))
        except (ValueError, TypeError) as error:
            self.note(translate("Settings", "The remembered update rate could not be used ({reason}); the "
                                "surface is redrawn by the clock.").format(reason=error))
            return UpdateRate()

    def set_rate(self, rate: UpdateRate) -> None:
        self._set_json("run/every_steps", rate.every_steps or 0)

    def stop_when_solved(self) -> bool:
        value = self._checked("run/stop_when_solved", bool, False)
        return value

    def set_stop_when_solved(self, on: bool) -> None:
        self._set_json("run/stop_when_solved", bool(on))

    def _checked(self, key: str, kind: type, default):
        try:
            value = self._json(key)
        except ValueError:
            value = "?"
        if value is None:
            return default
        if not isinstance(value, kind):
            self.note(translate("Settings", "The remembered value of {key} could not be used; it is back to "
                                "its default.").format(key=key))
            return default
        return value

    # --- the window ----------------------------------------------------------------------------

    def _bytes(self, key: str) -> QByteArray | None:
        value = self.store.value(key)
        return value if isinstance(value, QByteArray) else None

    def geometry(self) -> QByteArray | None:
        """What QWidget.saveGeometry gave, or None."""
        return self._bytes("window/geometry")

    def window_state(self) -> QByteArray | None:
        """What QMainWindow.saveState gave, or None."""
        return self._bytes("window/state")

    def set_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self.store.setValue("window/geometry", geometry)
        self.store.setValue("window/state", state)

    def splitter(self, name: str) -> QByteArray | None:
        """What QSplitter.saveState gave for the splitter ``name``, or None."""
        return self._bytes(f"window/splitter_{name}")

    def set_splitter(self, name: str, state: QByteArray) -> None:
        self.store.setValue(f"window/splitter_{name}", state)

    def panel_shown(self, name: str) -> bool:
        return self._checked(f"view/{name}", bool, True)

    def set_panel_shown(self, name: str, shown: bool) -> None:
        self._set_json(f"view/{name}", bool(shown))

    # --- language, folders, recent runs ----------------------------------------------------------

    def language(self) -> str | None:
        """"en" or "ja" as chosen in the Language menu, or None (the system's language)."""
        value = self.store.value(LANGUAGE_KEY)
        if value is None:
            return None
        if value not in LANGUAGES:
            self.note(translate("Settings", "The remembered language {value!r} is not one GateLab has; the "
                                "system's language is used.").format(value=value))
            return None
        return value

    def set_language(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")
        self.store.setValue(LANGUAGE_KEY, language)  # plain text: the i18n module reads it as it is

    def last_folder(self) -> str:
        """The folder of the last run opened, saved or exported, if it still exists; else the home folder."""
        value = self._checked("files/last_folder", str, "")
        return value if value and Path(value).is_dir() else str(Path.home())

    def set_last_folder(self, folder: str | Path) -> None:
        self._set_json("files/last_folder", str(folder))

    def recent_files(self) -> list[str]:
        """Runs opened or saved, newest first, at most MAX_RECENT; files that are gone are left out."""
        value = self._checked("files/recent", list, [])
        paths = [p for p in value if isinstance(p, str)]
        return [p for p in dict.fromkeys(paths) if Path(p).is_file()][:MAX_RECENT]

    def add_recent_file(self, path: str | Path) -> list[str]:
        path = str(Path(path).resolve())
        recent = [path] + [p for p in self.recent_files() if p != path]
        self._set_json("files/recent", recent[:MAX_RECENT])
        return recent[:MAX_RECENT]

    def clear_recent_files(self) -> None:
        self._set_json("files/recent", [])

    def sync(self) -> str | None:
        """Write to disk now; a sentence if that failed (a read-only folder), else None."""
        self.store.sync()
        if self.store.status() == QSettings.Status.AccessError:
            return translate("Settings", "The settings could not be saved to {path}.").format(
                path=self.store.fileName())
        return None
