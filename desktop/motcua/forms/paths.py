"""Where the forms package finds its shipped data: form-set definitions and fonts."""

from __future__ import annotations

from pathlib import Path

from motcua.paths import shipped


def form_sets_dir() -> Path:
    return shipped("db", "forms")


def fonts_dir() -> Path:
    return shipped("resources", "fonts")


def catalog_file(procedure_code: str) -> Path:
    return shipped("db", "catalog", "procedures", f"{procedure_code}.json")
