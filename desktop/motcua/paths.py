"""Where things live: the shipped data (db/, resources/) and the user's data directory."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "motcua"
DATA_DIR_ENV = "MOTCUA_DATA_DIR"


def install_root() -> Path:
    """The folder holding ``db/`` and ``resources/``: the PyInstaller bundle, or the source checkout."""
    override = os.environ.get("MOTCUA_ROOT")
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parents[2]


def shipped(*parts: str) -> Path:
    """A shipped data file or folder, e.g. ``shipped("db", "migrations")``."""
    return install_root().joinpath(*parts)


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The user's data directory: ``--data-dir``, else $MOTCUA_DATA_DIR, else the platform's default."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def store_file(directory: Path) -> Path:
    return directory / "motcua.sqlite3"
