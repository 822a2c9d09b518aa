"""Conflicts an official must resolve; never dropped.

Two kinds:
- ``local_quarantined``: the hub refused a local event in its order (e.g. the province stopped a
  dossier the commune meanwhile marked returned). The local event stays in the log, marked
  quarantined with the hub's reason.
- ``remote_not_applicable``: an event from the hub does not apply on top of the local dossier. It is
  held here, whole, until an official decides.

How an official closes one is ``sync.resolution``; this module only records and reads them.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from motcua.domain.clock import iso, now
from motcua.i18n import tr
from motcua.sync.reasons import plain_reason


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
