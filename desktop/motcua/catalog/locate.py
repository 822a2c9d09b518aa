"""Where the shipped catalog lives (under the install root's db/, see motcua.paths)."""

from __future__ import annotations

from pathlib import Path

from motcua.paths import shipped


def data_root() -> Path:
    """The shipped db/ directory (migrations, catalog)."""
    return shipped("db")


def catalog_dir() -> Path:
    return data_root() / "catalog"


def procedures_dir() -> Path:
    return catalog_dir() / "procedures"


def schema_path() -> Path:
    return catalog_dir() / "procedure.schema.json"


def national_snapshot_path() -> Path:
    """The trimmed snapshot of the national procedure records (db/catalog/national/)."""
    return catalog_dir() / "national" / "snapshot.json.gz"


def portal_extract_path() -> Path:
    """The extract of the portal's list for the ministries the snapshot lacks (db/catalog/national/)."""
    return catalog_dir() / "national" / "portal_extract.json"
