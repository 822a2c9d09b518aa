"""The event log table: append, read back, and the projection kept beside it."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator

from motcua.domain.clock import iso, parse_moment
from motcua.domain.events import Event, EventType
from motcua.domain.projection import COLUMNS, DossierRecord, apply
from motcua.store.register import register_issue

_INSERT_DOSSIER = (
    f"INSERT INTO dossiers ({', '.join(COLUMNS)}) VALUES ({', '.join('?' for _ in COLUMNS)}) "
    f"ON CONFLICT (id) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in COLUMNS if c != 'id')}"
)


def row_to_event(row: sqlite3.Row) -> Event:
    return Event(row["id"], row["dossier_id"], row["type"], row["actor"], parse_moment(row["occurred_at"]),
                 json.loads(row["payload"]), row["device_id"])


def append_event(conn: sqlite3.Connection, event: Event, *, sync_state: str = "pending") -> int:
    """Insert one event (inside the caller's transaction); returns its local sequence number."""
    device_seq = None
    if sync_state == "pending":
        device_seq = conn.execute(
            "SELECT COALESCE(MAX(device_seq), 0) + 1 FROM events WHERE device_id = ?", (event.device_id,)
        ).fetchone()[0]
    cursor = conn.execute(
        "INSERT INTO events (id, dossier_id, type, actor, occurred_at, payload, device_id, device_seq, sync_state)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (event.id, event.dossier_id, event.type, event.actor, iso(event.occurred_at), event.payload_json(),
         event.device_id, device_seq, sync_state),
    )
    register_issue(conn, event)  # a paper this event issues takes its number in the same transaction
    return int(cursor.lastrowid or 0)


# Events the hub holds first, by its sequence; then the rest (hub_seq NULL) by local append order. The row is
# folded in this order (store/fold.py), so the timeline and every paper read the events in it too.
FOLD_ORDER = "hub_seq IS NULL, hub_seq, seq"


def events_of(conn: sqlite3.Connection, dossier_id: str) -> list[Event]:
    """A dossier's events in the order its row is folded (the hub's, then this desk's unsent ones)."""
    rows = conn.execute(f"SELECT * FROM events WHERE dossier_id = ? ORDER BY {FOLD_ORDER}", (dossier_id,))
    return [row_to_event(r) for r in rows]


def all_events(conn: sqlite3.Connection) -> Iterator[Event]:
    """Every event in append order, streamed."""
    for row in conn.execute("SELECT * FROM events ORDER BY dossier_id, seq"):
        yield row_to_event(row)


def event_exists(conn: sqlite3.Connection, event_id: str) -> bool:
    return conn.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone() is not None


def save_record(conn: sqlite3.Connection, record: DossierRecord) -> None:
    conn.execute(_INSERT_DOSSIER, tuple(getattr(record, c) for c in COLUMNS))


def record_attachment(conn: sqlite3.Connection, event: Event) -> None:
    """The attachment projection: one row per attachment_added event."""
    p = event.payload
    conn.execute(
        "INSERT OR IGNORE INTO dossier_attachments (event_id, dossier_id, sha256, name, added_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (event.id, event.dossier_id, p["sha256"], p.get("name", ""), iso(event.occurred_at)),
    )


def load_record(conn: sqlite3.Connection, dossier_id: str) -> DossierRecord | None:
    row = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM dossiers WHERE id = ?", (dossier_id,)).fetchone()
    return DossierRecord(**dict(row)) if row else None


def commit_event(conn: sqlite3.Connection, event: Event, record: DossierRecord | None = None,
                 *, sync_state: str = "pending") -> DossierRecord:
    """Append ``event`` and update the projection: the one way a dossier changes (caller holds the
    transaction). ``record`` is the dossier's current row if the caller already has it."""
    current = record if record is not None else load_record(conn, event.dossier_id)
    updated = apply(current, event)
    append_event(conn, event, sync_state=sync_state)
    save_record(conn, updated)
    if event.type == EventType.ATTACHMENT_ADDED:
        record_attachment(conn, event)
    return updated
