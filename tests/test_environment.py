"""The installed environment: it meets the declared floors, the Qt binding is sound, the engine stays free of Qt."""

import subprocess
import sys


def test_qt_binding_keeps_none_refcount():
    # PySide6 6.12.0 on CPython 3.11 drops a reference to None on every void call and
    # later aborts; pyproject holds it back there.  Prove the installed one is sound.
    from PySide6.QtCore import QObject

    obj = QObject()
    before = sys.getrefcount(None)
    for _ in range(1000):
        obj.setObjectName("gatelab")  # a void method
    leaked = before - sys.getrefcount(None)  # before the assert: pytest's rewrite binds None itself
    assert leaked == 0


def test_importing_nn_core_imports_no_qt():
    code = ("import sys, nn_core, nn_core.cli, nn_core.sweep, nn_core.bench; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'OpenGL', 'shiboken6')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_installed_versions_meet_the_declared_floors():
    # The floors in pyproject are what the code needs (checked by installing exactly them); an environment
    # below one fails here by name rather than later in a paint error or a crash.
    import tomllib
    from importlib.metadata import PackageNotFoundError, version
    from pathlib import Path

    from packaging.requirements import Requirement

    project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())["project"]
    requirements = [Requirement(r) for r in [*project["dependencies"], *project["optional-dependencies"]["test"]]]
    below = []
    for requirement in requirements:
        if requirement.marker and not requirement.marker.evaluate():
            continue
        try:
            installed = version(requirement.name)
        except PackageNotFoundError:
            installed = None
        if installed is None or not requirement.specifier.contains(installed, prereleases=True):
            below.append(f"{requirement} (installed: {installed})")
    assert not below
