"""Backups of the store file (SQLite's online backup API: consistent while the app runs) and restore."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from motcua.domain.clock import now
from motcua.i18n import tr


def backups_dir(data_dir: Path) -> Path:
    return data_dir / "backups"


def copy_database(conn: sqlite3.Connection, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".partial")
    destination = sqlite3.connect(partial)
    try:
        conn.backup(destination)
        destination.execute("PRAGMA journal_mode = DELETE")  # a backup is a single self-contained file
    finally:
        destination.close()
    partial.replace(target)
    return target


def backup(conn: sqlite3.Connection, data_dir: Path, target: Path | None = None) -> Path:
    return copy_database(conn, target or backups_dir(data_dir) / f"motcua-{now():%Y%m%d-%H%M%S}.sqlite3")


def validate_backup(path: Path, latest_version: int) -> int:
    """Check a file before restoring it; return its schema version or raise ValueError."""
    if not path.is_file():
        raise ValueError(tr("Không tìm thấy tệp sao lưu {path}.", path=str(path)))
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute("SELECT count(*) FROM events").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ValueError(tr("Tệp {path} không phải bản sao lưu hợp lệ: {e}", path=str(path), e=str(exc))) from exc
    if result != "ok":
        raise ValueError(tr("Tệp sao lưu bị hỏng: {r}", r=result))
    if version > latest_version:
        raise ValueError(tr("Bản sao lưu có phiên bản {v}, mới hơn phần mềm ({l}).", v=version, l=latest_version))
    return int(version)


def restore(store_path: Path, source: Path, latest_version: int) -> Path | None:
    """Replace the store with ``source`` after keeping the current file aside; returns where it went
    (None when there was no store yet: restoring onto a new PC)."""
    validate_backup(source, latest_version)
    store_path.parent.mkdir(parents=True, exist_ok=True)
    kept: Path | None = None
    if store_path.exists():
        kept = backups_dir(store_path.parent) / f"before-restore-{now():%Y%m%d-%H%M%S}.sqlite3"
        current = sqlite3.connect(store_path)
        try:
            copy_database(current, kept)
        finally:
            current.close()
    for suffix in ("-wal", "-shm"):
        Path(str(store_path) + suffix).unlink(missing_ok=True)
    staged = store_path.with_suffix(".restoring")
    shutil.copyfile(source, staged)
    staged.replace(store_path)
    return kept
