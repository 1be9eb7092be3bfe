"""Import layering (docs/design.md): the engine (nn_core) imports no Qt; the session model imports no Qt; the
views do not import the training thread's machinery (they are handed what they need, such as the live view).

What a module imports at run time is checked in a fresh interpreter (sys.modules after the import); what a view
imports is read from its source (an import under ``if TYPE_CHECKING:`` is for annotations only and not counted).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QT = ("PySide6", "shiboken6", "pyqtgraph", "OpenGL")  # Qt, its bindings' runtime, and what draws with it
MODEL_MODULES = ["app.session", "app.pace",  # the Qt-free session model, and the pace both workers keep
                 "app.gradcheck_worker"]  # the gradient check's process: numpy only
VIEW_MODULES = ["app.surface_view", "app.panels", "app.timeline", "app.race_view", "app.gates_view", "app.pace_box",
                "app.mini_surface", "app.schedule_texts", "app.units_view", "app.network_diagram",
                "app.landscape_view", "app.inside", "app.lenses", "app.gradcheck_view"]
MACHINERY = ["app.worker", "app.schedule_worker", "app.controller", "app.liveview", "app.gil", "app.cores"]

IMPORT_ALL = textwrap.dedent("""
    import importlib, json, pkgutil, sys
    names = sys.argv[1:]
    if names == ["nn_core"]:  # every module of the package but __main__, which runs the CLI when imported
        import nn_core
        names = ["nn_core"] + [m.name for m in pkgutil.walk_packages(nn_core.__path__, "nn_core.")
                               if m.name != "nn_core.__main__"]
    for name in names:
        importlib.import_module(name)
    print(json.dumps({"imported": names, "loaded": sorted(sys.modules)}))
""")


def loaded_by_importing(*names: str) -> tuple[list[str], list[str]]:
    """The modules imported, and every module in sys.modules after importing them in a fresh interpreter."""
    out = subprocess.run([sys.executable, "-c", IMPORT_ALL, *names], capture_output=True, text=True, check=True,
                         cwd=ROOT).stdout
    data = json.loads(out.strip().splitlines()[-1])
    return data["imported"], data["loaded"]


def qt_among(modules) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in QT)


def imports_in_source(path: Path, module: str) -> set[str]:
    """Every module ``path`` (the module ``module``) imports, anywhere in it (functions included), relative
    imports resolved; ``from m import a`` counts as ``m`` and ``m.a`` (``a`` may be a submodule).  Imports under
    ``if TYPE_CHECKING:`` are left out."""
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module
    found: set[str] = set()

    def visit(node):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def forbidden_in(imported: set[str], forbidden) -> list[str]:
    return sorted(name for name in imported if any(name == f or name.startswith(f + ".") for f in forbidden))


def source_of(module: str) -> Path:
    return ROOT.joinpath(*module.split(".")).with_suffix(".py")


def test_the_engine_imports_no_qt():
    imported, loaded = loaded_by_importing("nn_core")
    assert "nn_core.trainer" in imported and "nn_core.cli" in imported and len(imported) > 10
    assert qt_among(loaded) == []
    main = imports_in_source(ROOT / "nn_core" / "__main__.py", "nn_core.__main__")
    assert qt_among(main) == []


@pytest.mark.parametrize("module", MODEL_MODULES)
def test_the_session_model_imports_no_qt(module):
    # The file in this tree: an editable install elsewhere could otherwise lend its own app.session.
    if not source_of(module).exists():
        pytest.fail(f"{source_of(module).relative_to(ROOT)} does not exist: the session model is checked here")
    imported, loaded = loaded_by_importing(module)
    assert imported == [module]
    assert qt_among(loaded) == []


def test_the_check_sees_qt_where_it_is_imported():
    _imported, loaded = loaded_by_importing("app.formatting", "app.worker")
    assert "PySide6" in qt_among(loaded)


@pytest.mark.parametrize("module", [m for m in VIEW_MODULES if source_of(m).exists()])
def test_views_do_not_import_the_training_machinery(module):
    imported = imports_in_source(source_of(module), module)
    assert forbidden_in(imported, MACHINERY) == []


def test_the_views_checked_include_the_3d_view_and_the_panels():
    assert source_of("app.surface_view").exists() and source_of("app.panels").exists()


def test_the_source_scan_finds_relative_nested_and_from_imports(tmp_path):
    source = tmp_path / "view.py"
    source.write_text(textwrap.dedent("""
        from typing import TYPE_CHECKING
        from . import formatting
        from .worker import Progress
        if TYPE_CHECKING:
            from .controller import RunSummary
        def later():
            import app.liveview
    """))
    imported = imports_in_source(source, "app.view")
    assert forbidden_in(imported, MACHINERY) == ["app.liveview", "app.worker", "app.worker.Progress"]
    assert "app.formatting" in imported
    window = imports_in_source(ROOT / "app" / "window.py", "app.window")
    assert "app.controller" in forbidden_in(window, MACHINERY)  # the window wires the views to the controller
