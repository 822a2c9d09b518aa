"""The optional programs say which extra to install instead of printing a traceback."""

import builtins

import pytest

from motcua import entry


def test_missing_extra_is_named(monkeypatch, capsys):
    real_import = builtins.__import__

    def no_pyside(name, *args, **kwargs):
        if name.startswith("PySide6") or name == "motcua.ui.app":
            raise ImportError("No module named 'PySide6'", name="PySide6")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyside)
    assert entry.desktop() == 2
    assert 'pip install "motcua[ui]"' in capsys.readouterr().err


def test_other_import_errors_are_not_hidden(monkeypatch):
    real_import = builtins.__import__

    def broken(name, *args, **kwargs):
        if name == "motcua.hub.cli":
            raise ImportError("cannot import name 'x'", name="motcua.hub.store.tables")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", broken)
    with pytest.raises(ImportError):
        entry.hub()
