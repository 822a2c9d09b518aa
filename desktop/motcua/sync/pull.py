"""Pull: apply one page from the hub in ONE transaction, and move the cursor in that same transaction.

A crash between pages loses nothing and applies nothing twice: the cursor and the page's effects
commit together. Events already known (our own, or pulled before) are recognised by id.
A hub event is not applied on top of the row as it stands here: the dossier is re-folded from all its events
in the hub's order, this desk's not-yet-stored events after them (store.fold), so every desk that pulled the
same events holds the same row. A hub event that does not apply at its place is held as a conflict; a local
event the hub's order overtook stays in the log, out of the row, and the hub's quarantine tells the official.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from motcua.domain.calendar import DayOverride
from motcua.domain.clock import iso, now
from motcua.domain.events import Event
from motcua.domain.states import TransitionRefused
from motcua.i18n import tr
from motcua.protocol.messages import MAX_PULL_LIMIT
from motcua.store.calendar_days import put_override
from motcua.store.db import transaction
from motcua.store.fold import FoldCache, Reordering, add_hub_event
from motcua.sync.conflicts import record_conflict
from motcua.sync.meta import get_meta, put_meta

PAGE_SIZE = MAX_PULL_LIMIT


@dataclass
class PullSummary:
    pages: int = 0
    items: int = 0
    applied: int = 0
    known: int = 0
    conflicts: int = 0
    inbox: int = 0
    dossier_ids: set[str] | None = None
    kinds: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        if self.dossier_ids is None:
            self.dossier_ids = set()


def cursor(conn: sqlite3.Connection) -> int:
    return int(get_meta(conn, "cursor", 0) or 0)


def apply_page(conn: sqlite3.Connection, items: Iterable[Mapping[str, Any]], next_cursor: int,
               summary: PullSummary) -> None:
    """Apply every item and move the cursor, atomically."""
    with transaction(conn):
        apply_items(conn, items, next_cursor, summary)


def apply_items(conn: sqlite3.Connection, items: Iterable[Mapping[str, Any]], next_cursor: int,
                summary: PullSummary) -> None:
    """``apply_page`` inside the caller's transaction."""
    cache = FoldCache(conn)
    for item in items:
        summary.items += 1
        conn.execute("SAVEPOINT pull_item")
        try:
            _apply_item(conn, item, summary, cache)
        except (sqlite3.IntegrityError, ValueError, TypeError, KeyError, AttributeError) as exc:
            # No single item stops a desk's sync: what does not apply is held for an official, and
            # everything after it (other dossiers, catalog, announcements) still arrives.
            conn.execute("ROLLBACK TO pull_item")
            cache.rolled_back()
            _hold(conn, item, exc, summary)
        conn.execute("RELEASE pull_item")
    cache.flush()   # the rows of dossiers whose hub events landed before others
    if int(next_cursor) > cursor(conn):
        put_meta(conn, {"cursor": int(next_cursor)})
    summary.pages += 1


def _apply_item(conn: sqlite3.Connection, item: Mapping[str, Any], summary: PullSummary,
                cache: FoldCache) -> None:
    kind = str(item.get("kind", ""))
    summary.kinds.add(kind)
    seq = int(item["seq"])
    data = item.get("data") or {}
    if kind in ("event", "decision"):
        # A province decision is an event on the dossier like any other (protocol.PullItem).
        wire = data
        outcome = apply_remote_event(conn, wire, seq, cache)
        setattr(summary, outcome, getattr(summary, outcome) + 1)
        assert summary.dossier_ids is not None
        summary.dossier_ids.add(str(wire["dossier_id"]))
        return
    if kind == "announcement":
        conn.execute(
            "INSERT INTO announcements (hub_seq, title, body, published_at, data, received_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (hub_seq) DO NOTHING",
            (seq, str(data.get("title", "")), str(data.get("body_markdown", data.get("body", ""))),
             data.get("published_at"),
             _json(data), iso(now())),
        )
        summary.inbox += 1
        return
    applied_at = None
    if kind == "calendar":
        days = data["days"] if isinstance(data.get("days"), list) else [data] if "day" in data else []
        for day in days:
            put_override(conn, DayOverride(date.fromisoformat(str(day["day"])), bool(day["working"]),
                                           str(day.get("name", "")), str(day.get("source") or "tỉnh")))
        applied_at = iso(now()) if days else None
    # Catalog versions, decisions without an event, anything newer: kept for their owners to apply.
    conn.execute(
        "INSERT INTO sync_inbox (hub_seq, kind, data, received_at, applied_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (hub_seq) DO NOTHING",
        (seq, kind, _json(data), iso(now()), applied_at),
    )
    summary.inbox += 1


def _hold(conn: sqlite3.Connection, item: Mapping[str, Any], exc: Exception, summary: PullSummary) -> None:
    """Keep an item that could not be applied: an event as a conflict, anything else in the inbox."""
    data = item.get("data")
    data = data if isinstance(data, Mapping) else {}
    kind = str(item.get("kind", ""))
    seq = item.get("seq")
    if kind in ("event", "decision"):
        record_conflict(conn, "remote_not_applicable", str(data.get("dossier_id", "")), str(data.get("id", "")),
                        dict(data), seq if isinstance(seq, int) else None, not_applicable_reason(data, exc))
        summary.conflicts += 1
        return
    conn.execute("INSERT INTO sync_inbox (hub_seq, kind, data, received_at, applied_at) VALUES (?, ?, ?, ?, NULL)"
                 " ON CONFLICT (hub_seq) DO NOTHING", (int(seq or 0), kind, _json(dict(data)), iso(now())))
    summary.inbox += 1


def not_applicable_reason(wire: Mapping[str, Any], exc: Exception) -> str:
    """Why a hub event could not be applied here, for the official."""
    if isinstance(exc, sqlite3.IntegrityError) and "dossiers.code" in str(exc):
        payload = wire.get("payload")
        code = payload.get("code") if isinstance(payload, Mapping) else ""
        return tr("Mã hồ sơ {code} đã được dùng cho một hồ sơ khác trên máy này (hai máy cùng cấp một mã). "
                  "Hồ sơ từ máy chủ tỉnh được giữ lại ở đây, chưa áp dụng; các hồ sơ khác vẫn đồng bộ bình thường. "
                  "Liên hệ bộ phận hỗ trợ để cấp lại mã cho một trong hai hồ sơ.", code=str(code))
    return tr("Dữ liệu từ máy chủ tỉnh không áp dụng được trên máy này ({e}).", e=f"{type(exc).__name__}: {exc}")


def apply_remote_event(conn: sqlite3.Connection, wire: Mapping[str, Any], hub_seq: int,
                       cache: FoldCache | None = None) -> str:
    """Take one hub event (inside the caller's transaction): 'applied', 'known' or 'conflicts'.

    The dossier's row is then the fold of all its events in the hub's order (store.fold), whatever order
    they reached this desk in."""
    event_hub_seq = int(wire.get("hub_seq") or hub_seq)
    received_at = wire.get("hub_received_at")
    row = conn.execute("SELECT sync_state, hub_seq, dossier_id FROM events WHERE id = ?",
                       (str(wire["id"]),)).fetchone()
    if row is not None:
        if row["sync_state"] == "quarantined" or (row["hub_seq"] is not None and row["sync_state"] != "pending"):
            return "known"   # pulled before, or our own acknowledged event: nothing moves
        if cache is not None:
            cache.forget(row["dossier_id"])
        reordering = Reordering(conn, [row["dossier_id"]])
        if row["sync_state"] == "pending":
            # Our own event whose acknowledgement was lost: the hub has it, so it is sent.
            conn.execute("UPDATE events SET sync_state = 'sent', hub_seq = ?, hub_received_at = ? WHERE id = ?",
                         (event_hub_seq, received_at, str(wire["id"])))
        else:
            conn.execute("UPDATE events SET hub_seq = ?, hub_received_at = COALESCE(hub_received_at, ?)"
                         " WHERE id = ?", (event_hub_seq, received_at, str(wire["id"])))
        reordering.refold_moved()
        return "known"
    held = conn.execute("SELECT 1 FROM sync_conflicts WHERE kind = 'remote_not_applicable' AND event_id = ?",
                        (str(wire["id"]),)).fetchone()
    if held:
        return "known"
    event = Event.from_wire(wire)
    if event.type == "attachment_added":
        _expect_remote_file(conn, event.payload)
    try:
        add_hub_event(conn, event, event_hub_seq, received_at, cache)
    except TransitionRefused as exc:
        record_conflict(conn, "remote_not_applicable", event.dossier_id, event.id, dict(wire), event_hub_seq,
                        str(exc))
        return "conflicts"
    return "applied"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _expect_remote_file(conn: sqlite3.Connection, payload: Mapping[str, Any]) -> None:
    """A file attached on another desk: register it (the row the attachment list needs) so the event
    applies; the content stays on the hub until fetched, and ``motcua check`` lists it as missing."""
    sha256 = str(payload.get("sha256", ""))
    if len(sha256) == 64:
        conn.execute("INSERT OR IGNORE INTO attachments (sha256, size, mime, stored_at) VALUES (?, ?, ?, ?)",
                     (sha256, int(payload.get("size") or 0), str(payload.get("mime") or ""), iso(now())))
