"""The timelines, kept in SQL tables beside the store and brought up to date by event ``seq``.

Events are append-only and numbered, so timelines derived from them stay valid until a new event
arrives: each report first reads the log's mark (last seq, count, id of the last event) and derives again
only the dossiers touched since (or everything, on first use or when the store was replaced).

Where the tables live: in a cache file next to the store (``motcua.reports-cache.sqlite3``, attached
to the reading connection), so a report in a new process — the CLI, the app after a restart — starts
warm; when that is not possible (an in-memory store, a read-only folder, a connection inside a
transaction) in the connection's TEMP schema. Nothing is ever written to the store itself, and the
cache file may be deleted at any time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from motcua.reports.timeline import derive

CACHE_ALIAS = "motcua_report_cache"
CACHE_SUFFIX = ".reports-cache.sqlite3"
SCHEMA_TOKEN = "REPORT_SCHEMA"  # written in the figures' SQL, replaced by the schema in use
_FULL_REBUILD_ABOVE = 2_000  # touched dossiers: beyond this a full pass is as quick
_VERSION = 3  # bump when the tables' meaning changes: old cache files are then rebuilt

_TABLES = """
CREATE TABLE {s}.report_timeline (
    dossier_id     TEXT NOT NULL,
    code           TEXT NOT NULL,
    channel        TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    field_name     TEXT NOT NULL,
    received_at    TEXT,
    finished_at    TEXT,
    outcome        TEXT NOT NULL,
    timeliness     TEXT NOT NULL,
    clock_seq      INTEGER,         -- the last clock change: its event,
    clock_at       TEXT,            -- when,
    clock_due_at   TEXT,            -- the due moment then in force,
    clock_paused   TEXT,            -- since when paused (NULL: running),
    clock_changes  INTEGER NOT NULL, -- and how many changes there were
    procedure_name TEXT NOT NULL
);
-- Earlier clock changes, only for dossiers whose clock changed more than once.
CREATE TABLE {s}.report_clock (
    dossier_id   TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    at           TEXT NOT NULL,
    due_at       TEXT,
    paused_since TEXT
);
"""
_INDEXES = """
CREATE UNIQUE INDEX {s}.report_timeline_id ON report_timeline (dossier_id);
CREATE UNIQUE INDEX {s}.report_clock_by_dossier ON report_clock (dossier_id, seq);
"""
_STATE = """
CREATE TABLE IF NOT EXISTS {s}.report_state (
    version INTEGER NOT NULL, last_seq INTEGER NOT NULL, events INTEGER NOT NULL, last_id TEXT NOT NULL
);
"""

Mark = tuple[int, int, int, str]  # version, last seq, event count, id of the last event


def cache_path(conn: sqlite3.Connection) -> Path | None:
    """The cache file for the store behind ``conn`` (None for an in-memory store)."""
    for row in conn.execute("PRAGMA database_list"):
        if row[1] == "main":
            return Path(row[2]).with_name(Path(row[2]).stem + CACHE_SUFFIX) if row[2] else None
    return None


def _attached(conn: sqlite3.Connection) -> bool:
    return any(row[1] == CACHE_ALIAS for row in conn.execute("PRAGMA database_list"))


def _schema(conn: sqlite3.Connection, persistent: bool) -> str:
    if _attached(conn):
        return CACHE_ALIAS
    if conn.execute("SELECT 1 FROM temp.sqlite_master WHERE name = 'report_state'").fetchone():
        return "temp"  # this connection already keeps its timelines in TEMP
    path = cache_path(conn) if persistent else None
    if path is not None and not conn.in_transaction:
        try:
            conn.execute("ATTACH DATABASE ? AS " + CACHE_ALIAS, (str(path),))
            conn.execute(f"PRAGMA {CACHE_ALIAS}.journal_mode = WAL")
            conn.execute(f"PRAGMA {CACHE_ALIAS}.synchronous = OFF")  # a cache: rebuilt if ever damaged
            return CACHE_ALIAS
        except sqlite3.Error:
            if _attached(conn):
                conn.execute("DETACH DATABASE " + CACHE_ALIAS)
    conn.execute("PRAGMA temp.cache_size = -131072")  # keep TEMP tables in memory (≤ 128 MiB)
    return "temp"


def _store_mark(conn: sqlite3.Connection) -> Mark:
    row = conn.execute("SELECT COALESCE(MAX(seq), 0), COUNT(*) FROM events").fetchone()
    last = conn.execute("SELECT id FROM events WHERE seq = ?", (row[0],)).fetchone()
    return _VERSION, int(row[0]), int(row[1]), str(last[0]) if last else ""


def _cached_mark(conn: sqlite3.Connection, schema: str) -> Mark | None:
    conn.execute(_STATE.format(s=schema))
    row = conn.execute(f"SELECT version, last_seq, events, last_id FROM {schema}.report_state").fetchone()
    return (int(row[0]), int(row[1]), int(row[2]), str(row[3])) if row else None


def ensure_timelines(conn: sqlite3.Connection, *, persistent: bool = True) -> str:
    """Bring the timeline tables up to date with the event log; returns the schema holding them."""
    schema = _schema(conn, persistent)
    mark = _store_mark(conn)
    cached = _cached_mark(conn, schema)
    if cached == mark:
        return schema
    touched: list[str] | None = None
    if cached is not None and cached[0] == mark[0] and _still_prefix(conn, cached):
        touched = [r[0] for r in conn.execute("SELECT DISTINCT dossier_id FROM events WHERE seq > ?", (cached[1],))]
        if len(touched) > _FULL_REBUILD_ABOVE:
            touched = None
    with _writing(conn):
        if touched is None:
            _rebuild(conn, schema)
        else:
            _replace(conn, schema, touched)
        conn.execute(f"DELETE FROM {schema}.report_state")
        conn.execute(f"INSERT INTO {schema}.report_state VALUES (?, ?, ?, ?)", mark)
    return schema


@contextmanager
def timeline_tables(conn: sqlite3.Connection, *, persistent: bool = True) -> Iterator[str]:
    """Up-to-date timeline tables for the duration of a report; yields their schema.

    The cache file is detached again afterwards (when this call attached it): a connection that also
    writes to the store must not keep it attached, or every BEGIN IMMEDIATE of an intake would lock
    the cache file too."""
    attached_before = _attached(conn)
    schema = ensure_timelines(conn, persistent=persistent)
    try:
        yield schema
    finally:
        if schema == CACHE_ALIAS and not attached_before and not conn.in_transaction:
            conn.execute("DETACH DATABASE " + CACHE_ALIAS)


def _still_prefix(conn: sqlite3.Connection, cached: Mark) -> bool:
    """The log the cache was built from is still there, unchanged, with only new events after it."""
    _, last_seq, events, last_id = cached
    row = conn.execute("SELECT id, (SELECT COUNT(*) FROM events WHERE seq <= ?) FROM events WHERE seq = ?",
                       (last_seq, last_seq)).fetchone()
    return row is not None and str(row[0]) == last_id and int(row[1]) == events


class _writing:
    """A transaction on the cache (the connection runs in autocommit mode)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.owner = False

    def __enter__(self) -> None:
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN")
            self.owner = True

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        if self.owner:
            self.conn.execute("COMMIT" if kind is None else "ROLLBACK")


def _run(conn: sqlite3.Connection, script: str) -> None:
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _rebuild(conn: sqlite3.Connection, schema: str) -> None:
    conn.execute(f"DROP TABLE IF EXISTS {schema}.report_timeline")
    conn.execute(f"DROP TABLE IF EXISTS {schema}.report_clock")
    _run(conn, _TABLES.format(s=schema))
    derive(conn, schema)
    _run(conn, _INDEXES.format(s=schema))  # indexed after loading: quicker


def _replace(conn: sqlite3.Connection, schema: str, touched: list[str]) -> None:
    conn.execute("DROP TABLE IF EXISTS temp.report_touched")
    conn.execute("CREATE TEMP TABLE report_touched (dossier_id TEXT PRIMARY KEY)")
    conn.executemany("INSERT INTO temp.report_touched VALUES (?)", [(t,) for t in touched])
    for table in ("report_timeline", "report_clock"):
        conn.execute(f"DELETE FROM {schema}.{table} WHERE dossier_id IN (SELECT dossier_id FROM temp.report_touched)")
    derive(conn, schema, " AND dossier_id IN (SELECT dossier_id FROM temp.report_touched)")
    conn.execute("DROP TABLE temp.report_touched")


def forget(conn: sqlite3.Connection) -> None:
    """Make the next report rebuild the timelines from scratch (TEMP and cache file alike)."""
    if conn.execute("SELECT 1 FROM temp.sqlite_master WHERE name = 'report_state'").fetchone():
        conn.execute("DELETE FROM temp.report_state")
    path = cache_path(conn)
    if _attached(conn) or (path is not None and path.exists() and not conn.in_transaction):
        with timeline_tables(conn) as schema:
            if schema == CACHE_ALIAS:
                conn.execute(f"DELETE FROM {CACHE_ALIAS}.report_state")
