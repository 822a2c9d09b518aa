"""Appending to the hub's feed and event log, and keeping the hub's dossier projection.

Writers collect rows in a ``Writes`` and flush them with one executemany per table (a push batch costs a
handful of statements, not a handful per event). A push numbers its feed rows from 1 while it checks,
writes the projection, and only then takes the feed lock (``database.lock_feed``) to shift its numbers
past the last allocated seq and write the numbered rows: the lock is held for that short final step.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from motcua.domain.events import Event, canonical_json
from motcua.domain.projection import DossierRecord, apply
from motcua.hub.store import tables as t

_RECORD_FIELDS = {f.name for f in fields(DossierRecord)}
_DOSSIER_CHANGES = ("status", "procedure_code", "due_at", "rescheduled_due_at", "paused_since", "record",
                    "updated_at")


def event_digest(event: Event) -> str:
    return hashlib.sha256(canonical_json(event.to_wire()).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class HubDossier:
    commune_code: str
    level: str
    record: DossierRecord


def load_dossiers(conn: Connection, dossier_ids: Iterable[str]) -> dict[str, HubDossier]:
    ids = list(dict.fromkeys(dossier_ids))
    out: dict[str, HubDossier] = {}
    for start in range(0, len(ids), 500):
        rows = conn.execute(select(t.dossiers.c.id, t.dossiers.c.commune_code, t.dossiers.c.level,
                                   t.dossiers.c.record).where(t.dossiers.c.id.in_(ids[start:start + 500])))
        for row in rows:
            stored = json.loads(row.record)
            record = DossierRecord(**{k: v for k, v in stored.items() if k in _RECORD_FIELDS})
            out[row.id] = HubDossier(row.commune_code, row.level, record)
    return out


def procedure_level(conn: Connection, event: Event) -> str:
    """The implementing level: the creating event's procedure payload, else the published catalog."""
    procedure = event.payload.get("procedure")
    if isinstance(procedure, dict):
        if isinstance(procedure.get("level"), str) and procedure["level"]:
            return str(procedure["level"])
        code = procedure.get("code")
        if isinstance(code, str) and code:
            level = conn.execute(select(t.catalog.c.level).where(t.catalog.c.code == code)).scalar()
            return str(level or "")
    return ""


def next_record(before: HubDossier | None, event: Event) -> DossierRecord:
    """The fold step; raises TransitionRefused, or ValueError/TypeError/KeyError on a malformed payload."""
    return apply(before.record if before else None, event)


@dataclass
class Writes:
    """Rows to write at the end of one transaction, in feed order."""

    feed: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    quarantine: list[dict[str, Any]] = field(default_factory=list)
    new_dossiers: dict[str, dict[str, Any]] = field(default_factory=dict)
    changed_dossiers: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add_feed(self, seq: int, commune_code: str | None, kind: str, data: dict[str, Any], created_at: str,
                 pushed_by: str = "") -> None:
        self.feed.append({"seq": seq, "commune_code": commune_code, "kind": kind, "pushed_by": pushed_by,
                          "data": canonical_json(data), "created_at": created_at})

    def add_event(self, conn: Connection, *, seq: int, commune_code: str, event: Event, kind: str,
                  pushed_by: str, device_seq: int | None, client_time: str, received_at: str,
                  before: HubDossier | None, after: DossierRecord) -> None:
        """One accepted event: feed row, event index row, dossier projection."""
        data = {**event.to_wire(), "device_seq": device_seq, "hub_received_at": received_at}
        self.add_feed(seq, commune_code, kind, data, received_at, pushed_by)
        self.events.append({
            "id": event.id, "commune_code": commune_code, "dossier_id": event.dossier_id, "type": event.type,
            "occurred_at": data["occurred_at"], "device_id": event.device_id, "device_seq": device_seq,
            "pushed_by": pushed_by, "hub_seq": seq, "hub_received_at": received_at, "client_time": client_time,
            "digest": event_digest(event)})
        row = {"status": after.status, "procedure_code": after.procedure_code, "due_at": after.due_at,
               "rescheduled_due_at": after.rescheduled_due_at, "paused_since": after.paused_since,
               "record": canonical_json(after.as_row()), "updated_at": received_at}
        if event.dossier_id in self.new_dossiers:
            self.new_dossiers[event.dossier_id].update(row)
        elif before is None:
            self.new_dossiers[event.dossier_id] = {"id": event.dossier_id, "commune_code": commune_code,
                                                   "level": procedure_level(conn, event), "code": after.code,
                                                   **row}
        else:
            self.changed_dossiers[event.dossier_id] = {"b_id": event.dossier_id, **row}

    def flush(self, conn: Connection) -> None:
        self.flush_feed(conn)
        self.flush_state(conn)

    def flush_feed(self, conn: Connection, offset: int = 0) -> None:
        """The numbered rows (feed, event index), their seqs shifted by ``offset``."""
        if self.feed:
            conn.execute(insert(t.feed), [{**row, "seq": row["seq"] + offset} for row in self.feed])
        if self.events:
            conn.execute(insert(t.events), [{**row, "hub_seq": row["hub_seq"] + offset} for row in self.events])

    def flush_state(self, conn: Connection) -> None:
        """The rows that carry no seq: quarantine entries and the dossier projection."""
        if self.quarantine:
            conn.execute(insert(t.quarantine), self.quarantine)
        if self.new_dossiers:
            conn.execute(insert(t.dossiers), list(self.new_dossiers.values()))
        if self.changed_dossiers:
            conn.execute(update(t.dossiers).where(t.dossiers.c.id == bindparam("b_id"))
                         .values({name: bindparam(name) for name in _DOSSIER_CHANGES}),
                         list(self.changed_dossiers.values()))
