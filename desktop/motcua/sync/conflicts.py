"""Conflicts an official must resolve; never dropped.

Two kinds:
- ``local_quarantined``: the hub refused a local event in its order (e.g. the province stopped a
  dossier the commune meanwhile marked returned). The local event stays in the log, marked
  quarantined with the hub's reason.
- ``remote_not_applicable``: an event from the hub does not apply on top of the local dossier. It is
  held here, whole, until an official decides.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from motcua.domain.clock import iso, now
from motcua.domain.events import Event
from motcua.domain.states import TransitionRefused
from motcua.i18n import tr

RESOLUTIONS = ("keep_local", "apply_remote", "resend")


class ConflictError(ValueError):
    pass


@dataclass(frozen=True)
class Conflict:
    id: int
    dossier_id: str
    kind: str
    event_id: str
    event: dict[str, Any]
    hub_seq: int | None
    reason: str
    created_at: str
    resolved_at: str | None
    resolution: str

    @property
    def description(self) -> str:
        kind = self.event.get("type", "")
        if self.kind == "local_quarantined":
            from motcua.sync.reasons import plain_reason

            return tr("Máy chủ tỉnh không nhận thao tác «{kind}» của xã: {reason}", kind=kind,
                      reason=plain_reason(self.reason))
        return tr("Thao tác «{kind}» từ máy chủ tỉnh không áp dụng được lên hồ sơ trên máy này: {reason}",
                  kind=kind, reason=self.reason)


def record_conflict(conn: sqlite3.Connection, kind: str, dossier_id: str, event_id: str, event: dict[str, Any],
                    hub_seq: int | None, reason: str) -> None:
    conn.execute(
        "INSERT INTO sync_conflicts (dossier_id, kind, event_id, event, hub_seq, reason, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, event_id) DO UPDATE SET reason = excluded.reason",
        (dossier_id, kind, event_id, json.dumps(event, ensure_ascii=False), hub_seq, reason, iso(now())),
    )


def _conflict(row: sqlite3.Row) -> Conflict:
    return Conflict(row["id"], row["dossier_id"], row["kind"], row["event_id"], json.loads(row["event"]),
                    row["hub_seq"], row["reason"], row["created_at"], row["resolved_at"], row["resolution"])


def open_conflicts(conn: sqlite3.Connection, dossier_id: str | None = None) -> list[Conflict]:
    sql = "SELECT * FROM sync_conflicts WHERE resolved_at IS NULL"
    args: tuple[Any, ...] = ()
    if dossier_id:
        sql += " AND dossier_id = ?"
        args = (dossier_id,)
    return [_conflict(r) for r in conn.execute(sql + " ORDER BY id", args)]


def get_conflict(conn: sqlite3.Connection, conflict_id: int) -> Conflict | None:
    row = conn.execute("SELECT * FROM sync_conflicts WHERE id = ?", (conflict_id,)).fetchone()
    return _conflict(row) if row else None


def resolve(conn: sqlite3.Connection, conflict_id: int, resolution: str, actor: str, note: str = "") -> Conflict:
    """Close a conflict (caller holds the transaction).

    ``keep_local``: the commune's version stands; the hub's event stays recorded here.
    ``apply_remote``: apply the held hub event now (only if the dossier's state allows it).
    ``resend``: send a quarantined local event again (after the cause was fixed at the province).
    """
    from motcua.store.events import commit_event, event_exists
    from motcua.sync.outbox import requeue_quarantined

    conflict = get_conflict(conn, conflict_id)
    if conflict is None:
        raise ConflictError(tr("Không có xung đột số {id}.", id=conflict_id))
    if conflict.resolved_at:
        raise ConflictError(tr("Xung đột số {id} đã được giải quyết.", id=conflict_id))
    if resolution not in RESOLUTIONS:
        raise ConflictError(tr("Cách giải quyết phải là một trong: {names}.", names=", ".join(RESOLUTIONS)))
    if resolution == "apply_remote":
        if conflict.kind != "remote_not_applicable":
            raise ConflictError(tr("Chỉ áp dụng được thao tác đến từ máy chủ tỉnh."))
        event = Event.from_wire(conflict.event)
        if not event_exists(conn, event.id):
            try:
                commit_event(conn, event, sync_state="remote")
            except TransitionRefused as exc:
                raise ConflictError(tr("Vẫn chưa áp dụng được: {reason}", reason=str(exc))) from exc
            except sqlite3.IntegrityError as exc:  # its code is another local dossier's
                raise ConflictError(tr("Vẫn chưa áp dụng được: mã hồ sơ {code} đã có ở một hồ sơ khác trên máy này.",
                                       code=str(event.payload.get("code", "")))) from exc
            conn.execute("UPDATE events SET hub_seq = ? WHERE id = ?", (conflict.hub_seq, event.id))
    if resolution == "resend":
        if conflict.kind != "local_quarantined":
            raise ConflictError(tr("Chỉ gửi lại được thao tác của xã bị máy chủ tỉnh giữ lại."))
        requeue_quarantined(conn, conflict.event_id)
    text = resolution if not note else f"{resolution}: {note}"
    conn.execute("UPDATE sync_conflicts SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE id = ?",
                 (iso(now()), actor, text, conflict_id))
    resolved = get_conflict(conn, conflict_id)
    assert resolved is not None
    return resolved
