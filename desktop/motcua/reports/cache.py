"""The timelines, kept in TEMP tables of the reading connection and brought up to date by event seq.

Events are append-only and numbered, so the timelines derived from them stay valid until a new event
arrives: each report first reads ``max(seq)`` and refolds only the dossiers touched since the last
look (or everything, on first use or when the store was replaced). Nothing is written to the store:
TEMP tables live with the connection, so this works on read-only connections too.
"""

from __future__ import annotations

import sqlite3

from motcua.reports.timeline import Timeline, read_timelines

_FULL_REBUILD_ABOVE = 2_000  # touched dossiers: beyond this a full pass is as quick

_SCHEMA = """
CREATE TEMP TABLE IF NOT EXISTS report_timeline (
    dossier_id     TEXT PRIMARY KEY,
    code           TEXT NOT NULL,
    channel        TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    field_name     TEXT NOT NULL,
    received_at    TEXT,
    finished_at    TEXT,
    outcome        TEXT NOT NULL,
    timeliness     TEXT NOT NULL,
    clock_at       TEXT,            -- the last clock change: when,
    clock_due_at   TEXT,            -- the due moment then in force,
    clock_paused   TEXT             -- and since when paused (NULL: running)
);
CREATE TEMP TABLE IF NOT EXISTS report_clock (
    dossier_id   TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    at           TEXT NOT NULL,
    due_at       TEXT,
    paused_since TEXT,
    PRIMARY KEY (dossier_id, seq)
);
CREATE TEMP TABLE IF NOT EXISTS report_state (last_seq INTEGER NOT NULL, events INTEGER NOT NULL);
"""


def _store_mark(conn: sqlite3.Connection) -> tuple[int, int]:
    row = conn.execute("SELECT COALESCE(MAX(seq), 0), COUNT(*) FROM events").fetchone()
    return int(row[0]), int(row[1])


def ensure_timelines(conn: sqlite3.Connection) -> None:
    """Bring ``temp.report_timeline`` and ``temp.report_clock`` up to date with the event log."""
    if not _has_schema(conn):
        conn.execute("PRAGMA temp.cache_size = -131072")  # keep the TEMP tables in memory (≤ 128 MiB)
        conn.executescript(_SCHEMA)
    last_seq, events = _store_mark(conn)
    state = conn.execute("SELECT last_seq, events FROM temp.report_state").fetchone()
    if state is not None and (int(state[0]), int(state[1])) == (last_seq, events):
        return
    touched: list[str] | None = None
    if state is not None and last_seq >= int(state[0]) and events >= int(state[1]):
        touched = [r[0] for r in conn.execute("SELECT DISTINCT dossier_id FROM events WHERE seq > ?", (state[0],))]
        if len(touched) > _FULL_REBUILD_ABOVE or events - int(state[1]) != _count_after(conn, int(state[0])):
            touched = None  # more than a few, or events appeared below the mark: start over
    _write(conn, read_timelines(conn, touched), touched)
    _set_mark(conn, last_seq, events)


def _count_after(conn: sqlite3.Connection, seq: int) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM events WHERE seq > ?", (seq,)).fetchone()[0])


def _has_schema(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM temp.sqlite_master WHERE name = 'report_state'").fetchone() is not None


def _write(conn: sqlite3.Connection, timelines: dict[str, Timeline], touched: list[str] | None) -> None:
    in_transaction = conn.in_transaction
    if not in_transaction:
        conn.execute("BEGIN")
    try:
        if touched is None:
            conn.execute("DELETE FROM temp.report_timeline")
            conn.execute("DELETE FROM temp.report_clock")
        else:
            for start in range(0, len(touched), 500):
                chunk = touched[start:start + 500]
                marks = ", ".join("?" for _ in chunk)
                conn.execute(f"DELETE FROM temp.report_timeline WHERE dossier_id IN ({marks})", chunk)
                conn.execute(f"DELETE FROM temp.report_clock WHERE dossier_id IN ({marks})", chunk)
        conn.executemany("INSERT INTO temp.report_timeline VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         [t.as_row() for t in timelines.values()])
        conn.executemany(
            "INSERT INTO temp.report_clock VALUES (?, ?, ?, ?, ?)",
            [(t.dossier_id, c.seq, c.at, c.due_at, c.paused_since) for t in timelines.values() for c in t.clock],
        )
    except BaseException:
        if not in_transaction:
            conn.execute("ROLLBACK")
        raise
    if not in_transaction:
        conn.execute("COMMIT")


def _set_mark(conn: sqlite3.Connection, last_seq: int, events: int) -> None:
    conn.execute("DELETE FROM temp.report_state")
    conn.execute("INSERT INTO temp.report_state VALUES (?, ?)", (last_seq, events))


def forget(conn: sqlite3.Connection) -> None:
    """Drop the cached timelines (the next report rebuilds them)."""
    if _has_schema(conn):
        conn.execute("DELETE FROM temp.report_state")
