"""The outbox: local events the hub has not acknowledged, and what its acknowledgements change.

There is no "sending" state. An event is ``pending`` until an acknowledgement names it: then it is
``sent`` (stored or duplicate, with the hub's sequence) or ``quarantined`` (with the hub's reason).
A crash, a cut connection or a lost answer leaves it ``pending`` and it is simply sent again; the hub
recognises it by id.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from motcua.domain.clock import iso, now
from motcua.protocol.messages import MAX_PUSH_EVENTS
from motcua.store.events import row_to_event
from motcua.store.fold import Reordering, dossiers_of
from motcua.sync.conflicts import record_conflict

BATCH_SIZE = MAX_PUSH_EVENTS


@dataclass(frozen=True)
class AckSummary:
    stored: int = 0
    duplicate: int = 0
    quarantined: int = 0
    unknown: int = 0

    @property
    def acknowledged(self) -> int:
        return self.stored + self.duplicate + self.quarantined


def pending_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM events WHERE sync_state = 'pending'").fetchone()[0])


def pending_batch(conn: sqlite3.Connection, limit: int = BATCH_SIZE, after_seq: int = 0) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT * FROM events WHERE sync_state = 'pending' AND seq > ? ORDER BY seq LIMIT ?", (after_seq, limit)
    ).fetchall()


def wire_event(row: sqlite3.Row) -> dict[str, Any]:
    data = row_to_event(row).to_wire()
    data["device_seq"] = row["device_seq"]
    return data


def pending_attachment_hashes(conn: sqlite3.Connection) -> list[str]:
    """Files referenced by unacknowledged events that the hub has not confirmed."""
    rows = conn.execute(
        "SELECT DISTINCT json_extract(e.payload, '$.sha256') FROM events e"
        " WHERE e.sync_state = 'pending' AND e.type = 'attachment_added'"
        " AND json_extract(e.payload, '$.sha256') NOT IN (SELECT sha256 FROM sync_uploaded)"
    )
    return [r[0] for r in rows if r[0]]


def apply_acknowledgements(conn: sqlite3.Connection, results: Iterable[Mapping[str, Any]]) -> AckSummary:
    """Record the hub's answer for each event (caller holds the transaction). The hub's sequence may put
    these events in another order than this desk made them (another desk's events between them, one
    quarantined): the dossiers whose fold order moved are re-folded."""
    results = list(results)
    counts = {"stored": 0, "duplicate": 0, "quarantined": 0, "unknown": 0}
    reordering = Reordering(conn, dossiers_of(conn, (str(r.get("id", "")) for r in results)))
    for result in results:
        status = str(result.get("status", ""))
        event_id = str(result.get("id", ""))
        if status in ("stored", "duplicate"):
            conn.execute(
                "UPDATE events SET sync_state = 'sent', sync_error = '', hub_seq = COALESCE(?, hub_seq),"
                " hub_received_at = COALESCE(?, hub_received_at) WHERE id = ? AND sync_state IN ('pending', 'sent')",
                (result.get("hub_seq"), result.get("hub_received_at"), event_id),
            )
        elif status == "quarantined":
            reason = str(result.get("reason") or "")
            mark_quarantined(conn, event_id, reason, result.get("hub_received_at"))
        else:
            status = "unknown"
        counts[status] += 1
    reordering.refold_moved()
    return AckSummary(**counts)


def mark_quarantined(conn: sqlite3.Connection, event_id: str, reason: str, hub_received_at: str | None) -> None:
    row = conn.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
    if row is None or row["sync_state"] == "remote":
        return
    conn.execute("UPDATE events SET sync_state = 'quarantined', sync_error = ?, hub_received_at = ? WHERE id = ?",
                 (reason, hub_received_at, event_id))
    conn.execute(
        "INSERT INTO sync_quarantine (event_id, dossier_id, reason, hub_received_at, recorded_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (event_id) DO UPDATE SET reason = excluded.reason",
        (event_id, row["dossier_id"], reason, hub_received_at, iso(now())),
    )
    record_conflict(conn, "local_quarantined", row["dossier_id"], event_id, wire_event(row), None, reason)


def requeue_quarantined(conn: sqlite3.Connection, event_id: str) -> bool:
    """Send a quarantined event again (after the official fixed the cause on the hub's side)."""
    changed = conn.execute("UPDATE events SET sync_state = 'pending', sync_error = '' WHERE id = ?"
                           " AND sync_state = 'quarantined'", (event_id,)).rowcount
    conn.execute("DELETE FROM sync_quarantine WHERE event_id = ?", (event_id,))
    return changed > 0


def unacknowledged_wire(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every event not yet acknowledged, for a bundle (pending only; quarantined wait for an official)."""
    return [wire_event(r) for r in conn.execute("SELECT * FROM events WHERE sync_state = 'pending' ORDER BY seq")]
