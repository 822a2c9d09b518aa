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


# -- layers ------------------------------------------------------------------------------------------------------
# Lowest first; a package may import its own layer and the ones below, never above. Imports inside functions
# count too (they once hid cycles). The hub is the province's server: it speaks the shared protocol and the
# domain, and never reaches into the desk's store, sync client or windows.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"domain", "i18n", "paths", "__version__"}),
    frozenset({"store", "protocol"}),
    frozenset({"catalog", "forms", "reports", "search", "services", "privacy"}),
    frozenset({"sync", "hub"}),
    frozenset({"cli", "ui", "entry", "__main__"}),
)
FORBIDDEN: dict[str, frozenset[str]] = {
    "hub": frozenset({"sync", "store", "ui", "cli", "services"}),
    "sync": frozenset({"hub"}),
    "protocol": frozenset({"store"}),
}


def package_imports(package: Path = PACKAGE) -> dict[str, dict[str, set[str]]]:
    """{importing top-level package: {imported top-level package: {files}}} over every import statement."""
    found: dict[str, dict[str, set[str]]] = {}
    for path in package.rglob("*.py"):
        rel = path.relative_to(package)
        source = rel.parts[0].removesuffix(".py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "motcua" and len(parts) > 1 and parts[1] != source:
                    found.setdefault(source, {}).setdefault(parts[1], set()).add(str(rel))
    return found


def layer_of(name: str) -> int:
    return next(level for level, members in enumerate(LAYERS) if name in members)


def layer_violations(imports: dict[str, dict[str, set[str]]]) -> list[str]:
    wrong = []
    for source, targets in sorted(imports.items()):
        for target, files in sorted(targets.items()):
            if target not in {p for layer in LAYERS for p in layer}:
                continue  # a module of the package's own root that is not a package (e.g. motcua.py typed)
            if layer_of(target) > layer_of(source) or target in FORBIDDEN.get(source, frozenset()):
                wrong.append(f"{source} → {target}: {', '.join(sorted(files))}")
    return wrong


def test_every_package_has_a_layer():
    packages = {p.name.removesuffix(".py") for p in PACKAGE.iterdir()
                if (p.is_dir() and (p / "__init__.py").exists()) or (p.suffix == ".py" and p.stem != "__init__")}
    assert packages <= {p for layer in LAYERS for p in layer}, packages - {p for layer in LAYERS for p in layer}


def test_packages_import_only_their_layer_and_below():
    assert layer_violations(package_imports()) == []


def test_the_layer_check_sees_an_upward_import(tmp_path):
    package = tmp_path / "motcua"
    (package / "store").mkdir(parents=True)
    (package / "hub").mkdir()
    (package / "store" / "db.py").write_text("def f():\n    from motcua.ui import app\n", encoding="utf-8")
    (package / "hub" / "api.py").write_text("from motcua.sync.client import Client\n", encoding="utf-8")
    assert layer_violations(package_imports(package)) == ["hub → sync: hub/api.py", "store → ui: store/db.py"]


def test_every_ui_package_says_what_lives_there():
    """ui/ is grouped by what a person works on (intake, dossier, lists, sync, settings…): each package opens
    with a docstring a newcomer reads to find the room (issue 15)."""
    silent = [str(init.parent.relative_to(PACKAGE)) for init in (PACKAGE / "ui").rglob("__init__.py")
              if not ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))]
    assert silent == []
