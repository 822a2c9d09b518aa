"""The hub's migrations runner: numbered SQL files in db/hub, each applied in one transaction.

Refuses a database newer than the code. The same files run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, text

from motcua.domain.clock import iso, now
from motcua.hub.store.database import HubDatabase, HubDatabaseError
from motcua.paths import shipped

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_PG_MIGRATION_LOCK = 7_401_001  # pg_advisory_xact_lock key: two hubs starting together migrate once


@dataclass(frozen=True)
class HubMigration:
    version: int
    name: str
    path: Path


def migrations_dir() -> Path:
    return shipped("db", "hub")


def available(directory: Path | None = None) -> list[HubMigration]:
    found = []
    for path in sorted((directory or migrations_dir()).glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise HubDatabaseError(f"hub migration file name not understood: {path.name} (want NNNN_name.sql)")
        found.append(HubMigration(int(match.group(1)), path.stem, path))
    if not found:
        raise HubDatabaseError(f"no hub migrations found in {directory or migrations_dir()}: the installation is "
                               "incomplete")
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise HubDatabaseError(f"hub migration numbers must be unique, found {versions}")
    return found


def statements(sql: str) -> list[str]:
    """Split a migration into statements: ';' ends a statement at the end of a line; '--' comments go."""
    lines = [line.split("--", 1)[0].rstrip() for line in sql.splitlines()]
    out, current = [], []
    for line in lines:
        if not line.strip():
            continue
        current.append(line)
        if line.endswith(";"):
            out.append("\n".join(current).rstrip(";"))
            current = []
    if current:
        out.append("\n".join(current))
    return out


def _applied(conn: Connection) -> int:
    conn.execute(text("CREATE TABLE IF NOT EXISTS hub_schema_version "
                      "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"))
    return int(conn.execute(text("SELECT COALESCE(MAX(version), 0) FROM hub_schema_version")).scalar_one())


def migrate(db: HubDatabase, directory: Path | None = None) -> list[str]:
    """Bring the database up to date; return the names applied."""
    wanted = available(directory)
    newest = wanted[-1].version if wanted else 0
    done: list[str] = []
    with db.write() as conn:
        if not db.is_sqlite:
            conn.execute(text(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})"))
        current = _applied(conn)
    if current > newest:
        raise HubDatabaseError(f"the hub database is at version {current}, newer than this code ({newest}); "
                               "upgrade motcua before starting the hub")
    for migration in wanted:
        with db.write() as conn:
            if not db.is_sqlite:
                conn.execute(text(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})"))
            if migration.version <= _applied(conn):
                continue
            try:
                for statement in statements(migration.path.read_text(encoding="utf-8")):
                    conn.exec_driver_sql(statement)
            except Exception as exc:
                raise HubDatabaseError(f"hub migration {migration.name} failed: {exc}") from exc
            conn.execute(text("INSERT INTO hub_schema_version (version, name, applied_at) VALUES (:v, :n, :a)"),
                         {"v": migration.version, "n": migration.name, "a": iso(now())})
            done.append(migration.name)
    return done
