"""Opening the commune store: pragmas, migrations (after a backup), and write transactions.

Connections run in autocommit mode; every write goes through ``transaction(conn)`` which takes the
write lock up front (BEGIN IMMEDIATE) so two processes never interleave an intake.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from motcua.domain.clock import now
from motcua.i18n import tr
from motcua.paths import shipped

BUSY_TIMEOUT_MS = 15_000
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class StoreError(Exception):
    """The store cannot be used as asked (newer than the code, damaged, migration failed)."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path


def migrations_dir() -> Path:
    return shipped("db", "migrations")


def available_migrations(directory: Path | None = None) -> list[Migration]:
    found = []
    for path in sorted((directory or migrations_dir()).glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if not match:
            raise StoreError(f"migration file name not understood: {path.name} (want NNNN_name.sql)")
        found.append(Migration(int(match.group(1)), path.stem, path))
    if not found:
        raise StoreError(f"no migrations found in {directory or migrations_dir()}: the installation is incomplete")
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions) or (versions and versions[0] < 1):
        raise StoreError(f"migration numbers must be unique and start at 1, found {versions}")
    return found


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A configured connection, no migrations (readers, backups, checks)."""
    if readonly:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None,
                               check_same_thread=False)
    else:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    if not readonly:
        conn.execute("PRAGMA journal_mode = WAL")
        # FULL: an acknowledged intake survives a power cut, not only a process crash.
        conn.execute("PRAGMA synchronous = FULL")
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction, holding the write lock from the start; rolled back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def open_store(path: Path, *, migrate: bool = True) -> sqlite3.Connection:
    """Open (creating if needed) the store at ``path`` and bring its schema up to date."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = connect(path)
        version = schema_version(conn)
    except sqlite3.DatabaseError as exc:
        raise StoreError(tr("Không mở được tệp dữ liệu {path}: {error}", path=str(path), error=str(exc))) from exc
    migrations = available_migrations()
    latest = migrations[-1].version if migrations else 0
    if version > latest:
        conn.close()
        raise StoreError(
            tr("Tệp dữ liệu {path} có phiên bản {v}, mới hơn phần mềm này (phiên bản {latest}). "
               "Hãy cập nhật phần mềm; không mở tệp để tránh làm hỏng dữ liệu.",
               path=str(path), v=version, latest=latest)
        )
    pending = [m for m in migrations if m.version > version]
    if pending and migrate:
        kept = backup_before_migration(conn, path, version) if version > 0 else None
        try:
            for migration in pending:
                apply_migration(conn, migration)
            if any(REBUILD_MARKER in m.path.read_text(encoding="utf-8") for m in pending) and version > 0:
                _rebuild_dossiers(conn)
        except (StoreError, sqlite3.Error) as exc:
            if kept is None:
                raise
            raise StoreError(f"{exc} " + tr("Bản sao dữ liệu trước khi nâng cấp được giữ tại {p}.", p=str(kept))) \
                from exc
        if kept is not None and kept.suffix == ".sqlite3":
            kept.unlink()   # a plain copy of every citizen's data is kept only while the migration may need it
    return conn


# A migration that adds projected columns says so; the rows are then refolded from their events.
REBUILD_MARKER = "-- motcua: rebuild dossiers"


def _rebuild_dossiers(conn: sqlite3.Connection) -> None:
    from motcua.store.check import rebuild_projections  # only after a migration that asks for it

    with transaction(conn):
        rebuild_projections(conn)


def apply_migration(conn: sqlite3.Connection, migration: Migration) -> None:
    """Run one migration and its version bump in a single transaction."""
    sql = migration.path.read_text(encoding="utf-8")
    try:
        conn.executescript(f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {migration.version};\nCOMMIT;")
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise StoreError(f"migration {migration.name} failed and was rolled back: {exc}") from exc


def backup_before_migration(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    """The store as it was before a migration: sealed like a backup (and kept) when a backup passphrase is set;
    otherwise a plain copy, which ``open_store`` deletes once every migration has succeeded."""
    from motcua.store.backup import safety_copy

    return safety_copy(conn, path.parent, f"before-migration-v{version}-{now():%Y%m%d-%H%M%S}")
