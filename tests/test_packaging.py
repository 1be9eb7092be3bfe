"""How GateLab is set up: ``make run`` installs the app alone and the window's system packages, ``make test``
adds the test tools and Xvfb; neither reinstalls what the other already did (Makefile, .ci/system-deps)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEST_TOOLS = ("pytest", "_pytest", "pytestqt", "pytest_xvfb", "pyvirtualdisplay", "hypothesis", "ruff")


def write_script(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + text)
    path.chmod(0o755)
    return path


def package_list(name: str) -> list[str]:
    lines = (ROOT / ".ci" / name).read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


# --- make run / make test ---------------------------------------------------------------------

@pytest.fixture
def project(tmp_path):
    """A copy of the Makefile and pyproject whose .venv python and system-deps only log their arguments."""
    shutil.copy(ROOT / "Makefile", tmp_path)
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    hour_ago = time.time() - 3600  # stamps made now are newer, whatever the clock's resolution
    os.utime(tmp_path / "pyproject.toml", (hour_ago, hour_ago))
    write_script(tmp_path / ".venv" / "bin" / "python", 'echo "python $*" >> "$(dirname "$0")/../../calls"\n')
    write_script(tmp_path / ".ci" / "system-deps", 'echo "system-deps $*" >> "$(dirname "$0")/../calls"\n')
    return tmp_path


def make(project: Path, target: str, *options: str) -> list[str]:
    """Runs ``make target`` in the copy; the commands the fakes received, in order."""
    calls = project / "calls"
    calls.unlink(missing_ok=True)
    done = subprocess.run(["make", "-s", *options, target, f"PYTHON={sys.executable}"], cwd=project,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    return calls.read_text().splitlines()


def installs(calls: list[str]) -> list[str]:
    return [call.split()[-1] for call in calls if "pip install" in call and "--upgrade pip" not in call]


def test_run_installs_the_app_without_the_test_tools(project):
    calls = make(project, "run")
    assert installs(calls) == [".[compiled]"]
    assert "system-deps runtime" in calls
    assert calls[-1] == "python -m app"
    assert not any("test" in call for call in calls), calls


def test_test_installs_the_test_tools_and_every_system_package(project):
    calls = make(project, "test")
    assert installs(calls) == [".[test,compiled]"]
    assert "system-deps test" in calls
    assert calls[-1] == "python -m pytest"


def test_run_after_test_reinstalls_nothing_and_test_after_run_adds_the_test_tools(project):
    make(project, "test")
    assert installs(make(project, "run")) == []
    assert installs(make(project, "test")) == []

    fresh = project / "fresh"
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns("fresh", "calls", ".installed-*"))
    assert installs(make(fresh, "run")) == [".[compiled]"]
    assert installs(make(fresh, "test")) == [".[test,compiled]"]
    assert installs(make(fresh, "run")) == []


@pytest.mark.parametrize("target", ["run", "test"])
def test_system_packages_come_before_the_venv_even_in_parallel(project, target):
    # python3-venv is one of them: on Debian `python3 -m venv` fails without it.  The slow fake gives a
    # parallel make every chance to start the venv early.
    write_script(project / ".ci" / "system-deps", 'sleep 0.5; echo "system-deps $*" >> "$(dirname "$0")/../calls"\n')
    calls = make(project, target, "-j4")
    first_python = next(i for i, call in enumerate(calls) if call.startswith("python"))
    assert first_python > 0 and all(call.startswith("system-deps") for call in calls[:first_python]), calls


def test_a_changed_pyproject_reinstalls(project):
    make(project, "test")
    later = time.time() + 60  # newer than the stamps whatever the clock's resolution (touch can tie with them)
    os.utime(project / "pyproject.toml", (later, later))
    assert installs(make(project, "run")) == [".[compiled]"]
    assert installs(make(project, "test")) == [".[test,compiled]"]


def test_the_app_runs_without_the_test_tools():
    # What `make run` installs must be enough: the app trains and exits with every test tool unimportable.
    code = (f"import runpy, sys; sys.modules.update(dict.fromkeys({TEST_TOOLS!r})); "
            "sys.argv = ['gatelab', '--iterations', '50', '--autostart', '--exit-when-done']; "
            "runpy.run_module('app', run_name='__main__', alter_sys=True)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=180)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    runtime = " ".join(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]).lower()
    assert not any(tool.replace("_", "-") in runtime for tool in TEST_TOOLS)


def test_numba_is_the_compiled_extra_not_a_runtime_dependency():
    # numba's wheels come months after each new CPython, and GateLab supports every Python from 3.11 on
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert not any("numba" in dependency.lower() for dependency in project["dependencies"])
    assert [d.split(">")[0] for d in project["optional-dependencies"]["compiled"]] == ["numba"]


# --- .ci/system-deps ----------------------------------------------------------------------------

def system_deps(tmp_path: Path, which: str, installed: bool, debian: bool = True) -> tuple[list[str], str]:
    """Runs .ci/system-deps with dpkg-query saying every package is (or is not) installed and apt-get, sudo
    logging instead of installing.  Returns the packages apt-get was asked to install, and stderr."""
    fakes = tmp_path / "bin"
    log = tmp_path / "apt-get.log"
    if debian:
        write_script(fakes / "dpkg-query", "echo 'install ok installed'\n" if installed else "exit 1\n")
        write_script(fakes / "apt-get", f'echo "$*" >> "{log}"\n')
    write_script(fakes / "sudo", 'exec "$@"\n')
    for tool in ("bash", "cat", "grep", "dirname", "id"):  # the script's own tools, and nothing of apt's
        (fakes / tool).symlink_to(shutil.which(tool))
    done = subprocess.run([shutil.which("bash"), str(ROOT / ".ci" / "system-deps"), which], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PATH": str(fakes)})
    assert done.returncode == 0, done.stderr
    calls = log.read_text().splitlines() if log.exists() else []
    install = [call.split() for call in calls if call.split()[:1] == ["install"]]
    return [p for call in install for p in call if not p.startswith("-") and p != "install"], done.stderr


def test_runtime_packages_are_what_the_window_needs_and_no_test_tool(tmp_path):
    runtime, _ = system_deps(tmp_path, "runtime", installed=False)
    assert sorted(runtime) == sorted(package_list("apt-packages"))
    assert {"libxcb-cursor0", "libgl1-mesa-dri", "python3-venv"} <= set(runtime)  # Qt xcb, Mesa GL, make's venv
    assert "xvfb" not in runtime


def test_the_test_target_installs_every_runtime_package_and_xvfb(tmp_path):
    runtime, _ = system_deps(tmp_path / "runtime", "runtime", installed=False)
    everything, _ = system_deps(tmp_path / "test", "test", installed=False)
    assert set(runtime) < set(everything)
    assert {"xvfb", "xauth"} <= set(everything)  # xvfb-run stops without xauth
    assert sorted(everything) == sorted(package_list("apt-packages") + package_list("apt-packages-test"))


@pytest.mark.parametrize("which", ["runtime", "test"])
def test_system_deps_installs_nothing_when_everything_is_there(tmp_path, which):
    assert system_deps(tmp_path, which, installed=True) == ([], "")


def test_system_deps_on_another_system_says_so_and_lets_make_go_on(tmp_path):
    packages, stderr = system_deps(tmp_path, "runtime", installed=False, debian=False)
    assert packages == [] and "not Debian or Ubuntu" in stderr


def test_system_deps_rejects_an_unknown_list():
    done = subprocess.run(["bash", str(ROOT / ".ci" / "system-deps"), "everything"], capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 2 and done.stderr.startswith("usage:")


# --- the package's own files and version, from the source tree (make run) ------------------------

def test_the_window_shows_gatelabs_icon_from_the_package(make_window):
    from PySide6.QtGui import QIcon

    window = make_window()
    shown = window.windowIcon().pixmap(64).toImage()
    assert not shown.isNull() and len({shown.pixel(x, 32) for x in range(64)}) > 2  # drawn, not blank
    assert shown == QIcon(str(ROOT / "app" / "resources" / "gatelab.svg")).pixmap(64).toImage()


@pytest.mark.parametrize("module", ["app", "nn_core"])
def test_version_prints_the_installed_version(module):
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    done = subprocess.run([sys.executable, "-m", module, "--version"], capture_output=True, text=True, cwd=ROOT,
                          timeout=180)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"gatelab {version}\n", "")


def test_version_of_a_source_tree_never_installed_says_so(monkeypatch):
    from importlib import metadata

    from nn_core import cli

    def not_installed(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", not_installed)
    assert cli.version_text() == "gatelab (version unknown: not installed)"
