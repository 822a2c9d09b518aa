"""Where things live: the shipped data (db/, resources/) and the user's data directory."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "motcua"
DATA_DIR_ENV = "MOTCUA_DATA_DIR"


class ShippedDataMissing(RuntimeError):
    """The program's own data (migrations, catalog, fonts) is not where the installation should hold it."""


def install_root() -> Path:
    """The folder holding ``db/`` and ``resources/``.

    In order: $MOTCUA_ROOT (support staff pointing at another copy); the PyInstaller bundle; the package's own
    ``motcua/_data`` (a wheel: the build force-includes db/ and resources/ there); the source checkout (an editable
    install or ``PYTHONPATH=desktop``). Nothing found is an error, never an empty store.
    """
    override = os.environ.get("MOTCUA_ROOT")
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)  # set by PyInstaller's bootloader, absent otherwise
    if bundle:
        return Path(bundle)
    # The package's own folder (what importlib.resources.files("motcua") gives for an installed package,
    # without loading importlib.resources at every start).
    packaged = Path(__file__).resolve().parent / "_data"
    if (packaged / "db" / "migrations").is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "db" / "migrations").is_dir():
        return checkout
    raise ShippedDataMissing(f"the program's data (db/, resources/) is neither in {packaged} nor in {checkout}: "
                             "reinstall Một Cửa Xã")


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
