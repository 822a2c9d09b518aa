"""How an official closes a sync conflict: keep the commune's version, apply the hub's event now, or send a
quarantined local event again. Kept apart from ``conflicts`` (which records and reads them) so the outbox can
record a quarantine without importing what resolves it."""

from __future__ import annotations

import sqlite3

from motcua.domain.clock import iso, now
from motcua.domain.events import Event
from motcua.domain.states import TransitionRefused
from motcua.i18n import tr
from motcua.store.events import commit_event, event_exists
from motcua.store.fold import Reordering, add_hub_event
from motcua.sync.conflicts import Conflict, ConflictError, get_conflict
from motcua.sync.outbox import requeue_quarantined

RESOLUTIONS = ("keep_local", "apply_remote", "resend")


def resolve(conn: sqlite3.Connection, conflict_id: int, resolution: str, actor: str, note: str = "") -> Conflict:
    """Close a conflict (caller holds the transaction).

    ``keep_local``: the commune's version stands; the hub's event stays recorded here.
    ``apply_remote``: apply the held hub event now, at its place in the hub's order (only if it applies there).
    ``resend``: send a quarantined local event again (after the cause was fixed at the province).
    """
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
        _apply_remote(conn, conflict)
    if resolution == "resend":
        if conflict.kind != "local_quarantined":
            raise ConflictError(tr("Chỉ gửi lại được thao tác của xã bị máy chủ tỉnh giữ lại."))
        reordering = Reordering(conn, [conflict.dossier_id])
        requeue_quarantined(conn, conflict.event_id)
        reordering.refold_moved()
    text = resolution if not note else f"{resolution}: {note}"
    conn.execute("UPDATE sync_conflicts SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE id = ?",
                 (iso(now()), actor, text, conflict_id))
    resolved = get_conflict(conn, conflict_id)
    assert resolved is not None
    return resolved


def _apply_remote(conn: sqlite3.Connection, conflict: Conflict) -> None:
    event = Event.from_wire(conflict.event)
    if event_exists(conn, event.id):
        return
    try:
        if conflict.hub_seq is not None:
            add_hub_event(conn, event, conflict.hub_seq, None)
        else:
            commit_event(conn, event, sync_state="remote")
    except TransitionRefused as exc:
        raise ConflictError(tr("Vẫn chưa áp dụng được: {reason}", reason=str(exc))) from exc
    except sqlite3.IntegrityError as exc:  # its code is another local dossier's
        raise ConflictError(tr("Vẫn chưa áp dụng được: mã hồ sơ {code} đã có ở một hồ sơ khác trên máy này.",
                               code=str(event.payload.get("code", "")))) from exc
