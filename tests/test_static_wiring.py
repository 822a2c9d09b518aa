"""One codebase, wired statically: every module imports, nothing is probed for, and no text tells an
official that a part of the application "is not installed"."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import unicodedata
from pathlib import Path

import motcua

PACKAGE = Path(motcua.__file__).resolve().parent
# The console entry points say which pip extra to install when PySide6 or FastAPI is absent (an install without
# the "ui" or "hub" extra): third-party packages only; an ImportError of our own code is re-raised.
EXTRAS_GATE = {PACKAGE / "entry.py"}
NOT_INSTALLED = ("chưa được cài đặt", "chưa được cài", "chưa cài đặt", "chưa cài", "not installed")


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def test_every_module_imports() -> None:
    # ``python -m`` scripts run their program when imported: they are only entry points, checked by the CLI tests.
    names = ["motcua", *(m.name for m in pkgutil.walk_packages(motcua.__path__, "motcua.")
                         if not m.name.endswith(".__main__"))]
    assert len(names) > 150 and "motcua.ui.dossier.print_menu" in names and "motcua.hub.cli" in names
    failed = {}
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as error:  # collected so that one run names every broken module
            failed[name] = repr(error)
    assert not failed, failed


def test_nothing_is_imported_optionally_or_by_name() -> None:
    found = []
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(PACKAGE.parent)
        for node in ast.walk(tree):
            if isinstance(node, ast.ExceptHandler) and path not in EXTRAS_GATE:
                caught = ast.unparse(node.type) if node.type is not None else ""
                if "ImportError" in caught or "ModuleNotFoundError" in caught:
                    found.append(f"{where}:{node.lineno}: except {caught}")
            elif isinstance(node, ast.Call):
                called = ast.unparse(node.func)
                if called in ("__import__", "importlib.import_module", "import_module", "importlib.util.find_spec",
                              "find_spec"):
                    found.append(f"{where}:{node.lineno}: {called}(…)")
    assert not found, "\n".join(found)


def test_no_text_says_a_part_is_not_installed() -> None:
    found = []
    for path in _sources():
        for line, value in _strings(ast.parse(path.read_text(encoding="utf-8"))):
            folded = unicodedata.normalize("NFC", value).casefold()
            if any(phrase in folded for phrase in NOT_INSTALLED):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {value!r}")
    assert not found, "\n".join(found)


def test_the_checks_above_would_catch_a_seam() -> None:
    seam = ast.parse('try:\n    import motcua.ui.x\nexcept ImportError:\n    TEXT = "Mô-đun này chưa được cài đặt"\n')
    assert any(isinstance(n, ast.ExceptHandler) and "ImportError" in ast.unparse(n.type) for n in ast.walk(seam))
    assert any(p in v.casefold() for _, v in _strings(seam) for p in NOT_INSTALLED)
