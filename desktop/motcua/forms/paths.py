"""Where the forms package finds its data: form-set definitions and fonts.

Both live at the repository root (``db/forms``, ``resources/fonts``); a frozen build places the
same folders next to the executable and sets ``MOTCUA_ROOT``.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    override = os.environ.get("MOTCUA_ROOT")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[3]


def form_sets_dir() -> Path:
    return project_root() / "db" / "forms"


def fonts_dir() -> Path:
    return project_root() / "resources" / "fonts"
