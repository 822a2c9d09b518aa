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
from dataclasses import dataclass

from motcua.domain.events import Event, EventType
from motcua.domain.projection import DossierRecord, Folding, fold_events
from motcua.store.events import (
    FOLD_ORDER,
    append_event,
    commit_event,
    load_record,
    record_attachment,
    row_to_event,
    save_record,
)


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


@dataclass
class _Place:
    """Where the last hub event of a dossier went: the fold of the hub's events up to it (``position`` is its hub
    sequence), the hub's events after it, the local tail, and whether the row still has to be written."""

    before: Folding
    position: int
    after: list[tuple[Event, int]]
    tail: list[Event]
    unsaved: bool = False

    def holds(self, hub_seq: int) -> bool:
        """Whether ``hub_seq`` falls between this place and the next hub event after it."""
        return hub_seq > self.position and (not self.after or hub_seq < self.after[0][1])

    def row(self) -> DossierRecord:
        folding = self.before.copy()
        for event, _ in self.after:
            folding.add(event)
        for event in self.tail:
            folding.add(event)
        record = folding.record()
        assert record is not None
        return record


class FoldCache:
    """Where each dossier a pull page touched stands, so that a run of hub events arriving in the hub's order
    in front of other events (this desk's own, stored at the hub after them, or its local tail) costs one step
    each: the row is folded once when the run ends (``flush``), not once per event from the first event. Valid
    for one page, inside its transaction; ``forget`` a dossier before anything else reads or changes it."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.places: dict[str, _Place] = {}
        self.touched: set[str] = set()

    def forget(self, dossier_id: str) -> None:
        place = self.places.pop(dossier_id, None)
        if place is not None and place.unsaved:
            save_record(self.conn, place.row())

    def flush(self) -> None:
        for dossier_id in list(self.places):
            self.forget(dossier_id)

    def rolled_back(self) -> None:
        """After a ROLLBACK TO a savepoint: a row written when a place was forgotten may be undone, so every
        dossier this cache touched is folded again from its events (a rare path: an item that failed)."""
        self.places.clear()
        for dossier_id in sorted(self.touched):
            refold(self.conn, dossier_id)


def add_hub_event(conn: sqlite3.Connection, event: Event, hub_seq: int, hub_received_at: str | None,
                  cache: FoldCache | None = None) -> DossierRecord | None:
    """Store an event the hub holds at ``hub_seq`` and refold its dossier (inside the caller's transaction).
    With a ``cache``, the row of a run of events landing before others may wait for ``cache.flush()`` (the
    answer is then None).

    Raises TransitionRefused, having written nothing, when the event does not apply at its place in the
    hub's order."""
    own = cache is None
    cache = cache if cache is not None else FoldCache(conn)
    later = conn.execute("SELECT 1 FROM events WHERE dossier_id = ? AND (hub_seq IS NULL OR hub_seq > ?) LIMIT 1",
                         (event.dossier_id, hub_seq)).fetchone()
    if later is None:
        # It goes last: folding it onto the row is the refold.
        cache.forget(event.dossier_id)
        appended = commit_event(conn, event, sync_state="remote")
        conn.execute("UPDATE events SET hub_seq = ?, hub_received_at = ? WHERE id = ?",
                     (hub_seq, hub_received_at, event.id))
        return appended
    place = cache.places.get(event.dossier_id)
    known_row = place is not None and place.holds(hub_seq)
    if place is None or not known_row:
        cache.forget(event.dossier_id)
        events = ordered_events(conn, event.dossier_id)
        start = Folding()
        for earlier, seq in events:
            if seq is not None and seq < hub_seq:
                start.add(earlier)
        place = _Place(start, hub_seq, [(e, seq) for e, seq in events if seq is not None and seq > hub_seq],
                       [e for e, seq in events if seq is None])
    through = place.before.copy()
    refusal = through.add(event)
    if refusal is not None:
        raise refusal
    moved = _Place(through, hub_seq, place.after, place.tail)
    # The row is written now unless an earlier event of this run already wrote it (so its code is in place).
    record = None if known_row and not own else moved.row()
    append_event(conn, event, sync_state="remote")
    if record is not None:
        save_record(conn, record)
    if event.type == EventType.ATTACHMENT_ADDED:
        record_attachment(conn, event)
    conn.execute("UPDATE events SET hub_seq = ?, hub_received_at = ? WHERE id = ?",
                 (hub_seq, hub_received_at, event.id))
    moved.unsaved = record is None
    cache.touched.add(event.dossier_id)
    cache.places[event.dossier_id] = moved   # remembered only once everything is written
    return record
