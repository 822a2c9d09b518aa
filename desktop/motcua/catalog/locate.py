"""Where the shipped catalog lives.

The lead owns motcua/paths.py; until motcua.paths.data_root() lands, this one function knows the
source-tree layout, so switching is a one-line change.
"""

from __future__ import annotations

from pathlib import Path

import motcua


def data_root() -> Path:
    """The repository's db/ directory (migrations, catalog)."""
    return Path(motcua.__file__).resolve().parents[2] / "db"


def catalog_dir() -> Path:
    return data_root() / "catalog"


def procedures_dir() -> Path:
    return catalog_dir() / "procedures"


def schema_path() -> Path:
    return catalog_dir() / "procedure.schema.json"
