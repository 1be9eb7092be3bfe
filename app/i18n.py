"""The interface language: English (the source texts) or Japanese (``app/i18n/gatelab_ja.qm``).

Which one: the ``--lang`` flag, else the ``ui/language`` setting (the Language menu writes it), else the system
locale (Japanese -> ``ja``, anything else -> ``en``).  ``install`` loads GateLab's catalogue and Qt's own
(``qtbase_ja``: the standard dialog buttons) into the QApplication; call it before any widget is built.

Every text the window shows goes through ``QCoreApplication.translate(context, text)`` with an explicit context
(the class or module that shows it), so ``pyside6-lupdate`` records the context that runs.  Texts with numbers
are whole sentences with named placeholders, formatted after translation.  The catalogue is made with
``make translations`` (pyside6-lupdate over app/, then pyside6-lrelease); the terms follow the Japanese edition
of the book (数値微分, 誤差逆伝播法, 学習率, 隠れ層 ...).
"""

from __future__ import annotations

import logging
from importlib import resources

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

LANGUAGES = ("en", "ja")
SETTING = "ui/language"  # written by the Language menu, read at the next start
# The settings file the window keeps (an INI file per user, as app/settings.py opens it).
ORGANIZATION = APPLICATION = "GateLab"
CATALOGUE = "gatelab_{language}.qm"  # in the i18n folder beside this module
QT_CATALOGUE = "qtbase_{language}"  # Qt's own, in QLibraryInfo's translations folder

log = logging.getLogger(__name__)
_installed: list[QTranslator] = []
_current = "en"


def catalogue_path(language: str):
    """The compiled catalogue of ``language`` (a Traversable under the ``app`` package; it may not exist)."""
    return resources.files("app") / "i18n" / CATALOGUE.format(language=language)


def system_language() -> str:
    """``ja`` when the system locale is Japanese (LANG=ja_JP.UTF-8 ...), else ``en``."""
    return "ja" if QLocale.system().language() == QLocale.Language.Japanese else "en"


def settings_store() -> QSettings:
    """The user's GateLab settings (INI format, user scope: ``~/.config/GateLab/GateLab.ini`` on Linux)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


def stored_language() -> str | None:
    """The ``ui/language`` setting when it names a language GateLab has, else None (the Language menu's warning
    about a bad value is the settings' business)."""
    value = settings_store().value(SETTING)
    return value if isinstance(value, str) and value in LANGUAGES else None


def choose_language(flag: str | None = None) -> str:
    """``flag`` (``--lang``) > the ``ui/language`` setting > the system locale."""
    if flag is not None:
        if flag not in LANGUAGES:
            raise ValueError(f"unknown language {flag!r}: one of {', '.join(LANGUAGES)}")
        return flag
    return stored_language() or system_language()


def install(app: QCoreApplication, language: str) -> str:
    """Load ``language``'s catalogues into ``app`` (replacing any installed here before) and return the language
    in use.  English needs none.  A catalogue that cannot be loaded leaves English (a logged warning)."""
    global _current
    uninstall(app)
    _current = "en"
    if language == "en":
        return _current
    path = catalogue_path(language)
    ours = QTranslator(app)
    with resources.as_file(path) as file:
        if not ours.load(str(file)):
            log.warning("no %s catalogue at %s: the interface stays English", language, file)
            return _current
    app.installTranslator(ours)
    _installed.append(ours)
    qt = QTranslator(app)
    if qt.load(QT_CATALOGUE.format(language=language), QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    _current = language
    return _current


def uninstall(app: QCoreApplication) -> None:
    """Remove the catalogues ``install`` loaded: the texts are English again (for widgets built after)."""
    global _current
    while _installed:
        app.removeTranslator(_installed.pop())
    _current = "en"


def current_language() -> str:
    """The language ``install`` set up last (``en`` before any)."""
    return _current
