"""GateLab as a wheel: built from the source, installed into a fresh virtual environment and run from a directory
outside the repository, it finds its icon, desktop entry and translations as package data and says its version.

No network: the wheel is built with the test environment's setuptools (the ``test`` extra's floor has
``bdist_wheel`` built in), and the fresh environment gets the runtime dependencies as links to the test
environment's copies of exactly those distributions, never the editable GateLab install beside them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
VERSION = PROJECT["project"]["version"]
# What the repository holds beside the package source; a copy without them builds the same wheel.
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache",
                                    ".hypothesis", "tmp")
PACKAGE_DATA = ("app/resources/gatelab.svg", "app/resources/gatelab.png", "app/resources/gatelab.desktop")
SHARED = ("share/applications/gatelab.desktop", "share/icons/hicolor/scalable/apps/gatelab.svg",
          "share/icons/hicolor/256x256/apps/gatelab.png")


def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def build_wheel(source: Path, out: Path) -> Path:
    """The wheel of the project at ``source`` (a copy: setuptools writes build/ and *.egg-info beside it, and
    a build/ left from an older tree would put its stale files in the wheel)."""
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                           "--disable-pip-version-check", "-q", str(source), "-w", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,) = out.glob("gatelab-*.whl")
    return wheel


def runtime_distributions() -> set[str]:
    """The names of the distributions GateLab needs to run (its dependencies and theirs), as installed here."""
    wanted = [Requirement(r) for r in PROJECT["project"]["dependencies"]]
    names: set[str] = set()
    while wanted:
        requirement = wanted.pop()
        if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
            continue
        name = metadata.distribution(requirement.name).metadata["Name"].lower()
        if name not in names:
            names.add(name)
            wanted += [Requirement(r) for r in metadata.requires(name) or []]
    return names


def link_dependencies(site_packages: Path) -> list[str]:
    """Links in ``site_packages`` to the top-level files and folders (packages, their .libs, their .dist-info)
    of each runtime distribution of this environment.  Returns the names linked."""
    linked = []
    for name in sorted(runtime_distributions()):
        dist = metadata.distribution(name)
        assert dist.files is not None, f"{name} was installed without a file list (RECORD)"
        tops = {file.parts[0] for file in dist.files if file.parts[0] not in ("..", "__pycache__")}
        for top in sorted(tops):
            link = site_packages / top
            if not link.exists():  # PySide6's three distributions share the PySide6 folder
                link.symlink_to(Path(dist.locate_file(top)).resolve())
                linked.append(top)
    return linked


def site_packages(venv: Path) -> Path:
    ask = "import sysconfig; print(sysconfig.get_path('purelib'))"
    return Path(subprocess.run([venv / "bin" / "python", "-c", ask], capture_output=True, text=True,
                               check=True).stdout.strip())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source") / "gatelab"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    return build_wheel(source, tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="module")
def fresh(wheel, tmp_path_factory) -> Path:
    """A virtual environment made now, without pip, with the wheel installed and the dependencies linked."""
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    link_dependencies(site_packages(venv))
    # This environment's pip, working on the fresh one (pip --python): the script's #! is the fresh python.
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                           "--no-index", "--disable-pip-version-check", "-q", str(wheel)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return venv


@pytest.fixture
def elsewhere(tmp_path) -> Path:
    """A directory outside the repository, to run from."""
    assert not tmp_path.resolve().is_relative_to(ROOT)
    return tmp_path


def run(command, cwd: Path, **env) -> subprocess.CompletedProcess:
    """``command`` as a user runs it: none of the test run's PYTHONPATH or virtual environment around it."""
    clean = {key: value for key, value in os.environ.items()
             if key not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSAFEPATH", "VIRTUAL_ENV", "PYTHONSTARTUP")}
    return subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True, timeout=180,
                          env={**clean, **env})


# --- what the wheel holds -------------------------------------------------------------------------

def test_the_wheel_holds_the_package_data_and_the_desktop_files(wheel):
    names = wheel_names(wheel)
    assert set(PACKAGE_DATA) <= names
    assert {f"gatelab-{VERSION}.data/data/{path}" for path in SHARED} <= names
    assert {"app/__main__.py", "nn_core/__main__.py", "nn_core/cli.py"} <= names
    assert not any(name.startswith(("tests/", "resources/")) or "__pycache__" in name for name in names)
    # Every translation and guide the source has (i18n's *.qm, *.html) goes in; its .ts sources stay out.
    i18n = {path.relative_to(ROOT).as_posix() for pattern in ("*.qm", "*.html")
            for path in (ROOT / "app" / "i18n").glob(pattern)}
    assert i18n <= names
    assert not any(name.endswith(".ts") for name in names)


def test_the_translation_globs_pick_up_compiled_translations_and_guides_only(tmp_path):
    # Files of the kinds the i18n folder holds, made in a copy: what pyproject's globs catch whatever is there.
    source = tmp_path / "gatelab"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    made = ("app/i18n/zz_test.qm", "app/i18n/guide_zz_test.html", "app/i18n/zz_test.ts", "app/i18n/zz_test.txt")
    for name in made:
        (source / name).parent.mkdir(exist_ok=True)
        (source / name).write_text("test")
    names = wheel_names(build_wheel(source, tmp_path / "dist"))
    assert [name in names for name in made] == [True, True, False, False]


# --- installed in a fresh environment, run from elsewhere ------------------------------------------

def test_the_fresh_environment_has_the_dependencies_and_not_the_editable_install(fresh):
    installed = site_packages(fresh)
    # The tests below would pass with the repository's code if a path to it leaked in: none is there.
    assert not list(installed.glob("__editable__*")) and not list(installed.glob("*.pth"))
    assert {"numpy", "PySide6", "shiboken6", "pyqtgraph", "OpenGL"} <= {p.name for p in installed.iterdir()}


@pytest.mark.parametrize("command", [["bin/gatelab"], ["bin/python", "-m", "app"], ["bin/python", "-m", "nn_core"]])
def test_version_prints_the_installed_version(fresh, elsewhere, command):
    done = run([fresh / command[0], *command[1:], "--version"], elsewhere)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"gatelab {VERSION}\n", "")


def test_the_installed_app_runs_its_installed_code_and_finds_its_package_data(fresh, elsewhere):
    script = fresh / "bin" / "gatelab"
    assert script.read_text().splitlines()[0] == f"#!{fresh / 'bin' / 'python'}"
    code = ("import json, app, nn_core, app.window as window\n"
            "from importlib import metadata, resources\n"
            "from PySide6.QtGui import QGuiApplication\n"
            "qt = QGuiApplication([])\n"
            "files = resources.files('app')\n"
            "print(json.dumps({'app': app.__file__, 'nn_core': nn_core.__file__,\n"
            "                  'metadata': str(metadata.distribution('gatelab').locate_file('')),\n"
            "                  'icon_null': window.app_icon().pixmap(64).isNull(),\n"
            "                  'desktop': (files / 'resources' / 'gatelab.desktop').read_text()}))\n")
    done = run([fresh / "bin" / "python", "-c", code], elsewhere, QT_QPA_PLATFORM="offscreen")
    assert done.returncode == 0 and done.stderr == "", done.stderr
    found = json.loads(done.stdout)
    site_packages = Path(found["metadata"]).resolve()
    assert site_packages.is_relative_to(fresh.resolve())
    assert Path(found["app"]).resolve() == site_packages / "app" / "__init__.py"
    assert Path(found["nn_core"]).resolve() == site_packages / "nn_core" / "__init__.py"
    assert found["icon_null"] is False
    assert "Exec=gatelab" in found["desktop"] and "Icon=gatelab" in found["desktop"]
    for path in SHARED:  # where desktops look, from the wheel's data files
        assert (fresh / path).read_bytes() == (ROOT / "app" / "resources" / Path(path).name).read_bytes()


def test_the_installed_command_trains_and_reports(fresh, elsewhere):
    report = elsewhere / "report.json"
    assert os.environ.get("DISPLAY")  # pytest-xvfb's screen: the window really opens
    done = run([fresh / "bin" / "gatelab", "--iterations", "200", "--autostart", "--exit-when-done",
                "--report-json", report], elsewhere)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    result = json.loads(report.read_text())
    assert (result["gate"], result["method"], result["ended"]) == ("XOR", "backprop", "done")
    assert result["iterations"] == result["total_iterations"] == 200
