"""A dossier's row as the fold of ALL its events in the hub's order.

The hub orders: events it holds are folded by their hub sequence, then this desk's events the hub has not
stored (pending, or quarantined and waiting for an official) in local append order. A local event that no
longer applies where it stands (the hub's order overtook it) is left out of the row, never deleted; the hub
quarantines it when it arrives there and the official sees it as a conflict. Every desk of a commune that has
pulled the same hub events therefore holds the same row.

When a hub event arrives, the row is rebuilt from the events rather than changed on top of what is there;
when it lands at the end of the order (the usual case) folding it onto the row is the same thing and costs
one step, so a dossier with thousands of events stays fast.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator

from motcua.domain.events import Event, EventType
from motcua.domain.projection import DossierRecord, apply, fold_events
from motcua.domain.states import TransitionRefused
from motcua.store.events import (
    append_event,
    commit_event,
    load_record,
    record_attachment,
    row_to_event,
    save_record,
)

# Events the hub holds first, by its sequence; then the rest (hub_seq NULL) by local append order.
FOLD_ORDER = "hub_seq IS NULL, hub_seq, seq"


def fold_order_ids(conn: sqlite3.Connection, dossier_id: str) -> list[str]:
    """The ids of a dossier's events in fold order (cheap: no payload is read)."""
    return [r[0] for r in conn.execute(f"SELECT id FROM events WHERE dossier_id = ? ORDER BY {FOLD_ORDER}",
                                       (dossier_id,))]


def ordered_events(conn: sqlite3.Connection, dossier_id: str) -> list[tuple[Event, int | None]]:
    """A dossier's events in fold order, each with its hub sequence (None when the hub has not stored it)."""
    rows = conn.execute(f"SELECT * FROM events WHERE dossier_id = ? ORDER BY {FOLD_ORDER}", (dossier_id,))
    return [(row_to_event(r), r["hub_seq"]) for r in rows]


def all_ordered_events(conn: sqlite3.Connection) -> Iterator[tuple[Event, int | None]]:
    """Every event, dossier by dossier, each dossier's in fold order (streamed; for ``motcua check``)."""
    for row in conn.execute(f"SELECT * FROM events ORDER BY dossier_id, {FOLD_ORDER}"):
        yield row_to_event(row), row["hub_seq"]


def refold(conn: sqlite3.Connection, dossier_id: str) -> DossierRecord | None:
    """Rebuild one dossier's row from all its events in fold order (inside the caller's transaction)."""
    record, _ = fold_events(event for event, _ in ordered_events(conn, dossier_id))
    if record is not None and record != load_record(conn, dossier_id):
        save_record(conn, record)
    return record


class Reordering:
    """Refold the dossiers whose fold order a change of sync bookkeeping moved (an acknowledgement giving hub
    sequences, a quarantine): take the order before, make the change, then call ``refold_moved``."""

    def __init__(self, conn: sqlite3.Connection, dossier_ids: Iterable[str]) -> None:
        self.conn = conn
        self.before = {d: fold_order_ids(conn, d) for d in set(dossier_ids)}

    def refold_moved(self) -> set[str]:
        moved = {d for d, order in self.before.items() if fold_order_ids(self.conn, d) != order}
        for dossier_id in moved:
            refold(self.conn, dossier_id)
        return moved


def dossiers_of(conn: sqlite3.Connection, event_ids: Iterable[str]) -> set[str]:
    """The dossiers these (local) events belong to."""
    ids = list(event_ids)
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        found.update(r[0] for r in conn.execute(
            f"SELECT DISTINCT dossier_id FROM events WHERE id IN ({', '.join('?' for _ in part)})", part))
    return found


def add_hub_event(conn: sqlite3.Connection, event: Event, hub_seq: int,
                  hub_received_at: str | None) -> DossierRecord:
    """Store an event the hub holds at ``hub_seq`` and refold its dossier (inside the caller's transaction).

    Raises TransitionRefused, having written nothing, when the event does not apply at its place in the
    hub's order."""
    later = conn.execute("SELECT 1 FROM events WHERE dossier_id = ? AND (hub_seq IS NULL OR hub_seq > ?) LIMIT 1",
                         (event.dossier_id, hub_seq)).fetchone()
    if later is None:
        # It goes last: folding it onto the row is the refold.
        record = commit_event(conn, event, sync_state="remote")
    else:
        events = ordered_events(conn, event.dossier_id)
        place = next((i for i, (_, seq) in enumerate(events) if seq is None or seq > hub_seq), len(events))
        in_order = [e for e, _ in events[:place]] + [event] + [e for e, _ in events[place:]]
        folded, refused = fold_events(in_order)
        if any(e.id == event.id for e in refused) or folded is None:
            raise _refusal_at(in_order, event)
        append_event(conn, event, sync_state="remote")
        save_record(conn, folded)
        if event.type == EventType.ATTACHMENT_ADDED:
            record_attachment(conn, event)
        record = folded
    conn.execute("UPDATE events SET hub_seq = ?, hub_received_at = ? WHERE id = ?",
                 (hub_seq, hub_received_at, event.id))
    return record


def _refusal_at(in_order: list[Event], event: Event) -> TransitionRefused:
    """Why ``event`` is refused where it stands: the transition error of folding up to it."""
    before, _ = fold_events(in_order[:in_order.index(event)])
    try:
        apply(before, event)
    except TransitionRefused as exc:
        return exc
    return TransitionRefused(event.type)
