"""Qt lives in motcua/ui alone: the CLI and the hub must run where Qt is not installed."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "desktop" / "motcua"


def qt_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        found += [n for n in names if n.split(".")[0] in {"PySide6", "shiboken6", "PyQt5", "PyQt6"}]
    return found


def test_no_qt_outside_ui():
    offenders = {
        str(path.relative_to(PACKAGE)): imports
        for path in PACKAGE.rglob("*.py")
        if "ui" not in path.relative_to(PACKAGE).parts[:1] and (imports := qt_imports(path))
    }
    assert offenders == {}


def test_the_check_itself_sees_qt_imports(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from PySide6.QtCore import QObject\n", encoding="utf-8")
    assert qt_imports(sample) == ["PySide6.QtCore"]


def test_ui_emits_go_through_the_pyside_workaround():
    """PySide6 6.12.0's emit() steals a reference to True; motcua.ui.qtcompat.emit gives it back."""
    offenders = [str(path.relative_to(PACKAGE)) for path in (PACKAGE / "ui").rglob("*.py")
                 if path.name != "qtcompat.py" and ".emit(" in path.read_text(encoding="utf-8")]
    assert offenders == []


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


def test_the_hub_never_imports_the_desk():
    """The hub runs on a server: it shares motcua.protocol and motcua.domain with the desk, never the desk's
    sync client, store or UI (issue 15)."""
    forbidden = ("motcua.sync", "motcua.store", "motcua.ui")
    offenders = {
        str(path.relative_to(PACKAGE)): bad
        for path in (PACKAGE / "hub").rglob("*.py")
        if (bad := [m for m in imported_modules(path) if m == "motcua" or m.startswith(forbidden)])
    }
    assert offenders == {}


def test_the_protocol_belongs_to_neither_side():
    offenders = {
        str(path.relative_to(PACKAGE)): bad
        for path in (PACKAGE / "protocol").rglob("*.py")
        if (bad := [m for m in imported_modules(path)
                    if m.startswith(("motcua.sync", "motcua.hub", "motcua.store", "motcua.ui"))])
    }
    assert offenders == {}
