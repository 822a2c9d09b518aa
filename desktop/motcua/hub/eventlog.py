"""Appending to the hub's feed and event log, and keeping the hub's dossier projection.

Callers hold the feed lock (``database.lock_feed``) for the whole transaction and pass the next seq.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import Connection, insert, select, update

from motcua.domain.events import Event, canonical_json
from motcua.domain.projection import DossierRecord, apply
from motcua.hub import tables as t

_RECORD_FIELDS = {f.name for f in fields(DossierRecord)}


def event_digest(event: Event) -> str:
    return hashlib.sha256(canonical_json(event.to_wire()).encode("utf-8")).hexdigest()


def append_feed(conn: Connection, seq: int, commune_code: str | None, kind: str, data: dict[str, Any],
                created_at: str, pushed_by: str = "") -> None:
    conn.execute(insert(t.feed).values(seq=seq, commune_code=commune_code, kind=kind, pushed_by=pushed_by,
                                       data=canonical_json(data), created_at=created_at))


@dataclass(frozen=True)
class HubDossier:
    commune_code: str
    level: str
    record: DossierRecord


def load_dossier(conn: Connection, dossier_id: str) -> HubDossier | None:
    row = conn.execute(select(t.dossiers.c.commune_code, t.dossiers.c.level, t.dossiers.c.record)
                       .where(t.dossiers.c.id == dossier_id)).first()
    if row is None:
        return None
    stored = json.loads(row.record)
    record = DossierRecord(**{k: v for k, v in stored.items() if k in _RECORD_FIELDS})
    return HubDossier(row.commune_code, row.level, record)


def procedure_level(conn: Connection, event: Event) -> str:
    """The implementing level: the creating event's procedure payload, else the published catalog."""
    procedure = event.payload.get("procedure") if isinstance(event.payload, dict) else None
    if isinstance(procedure, dict):
        if isinstance(procedure.get("level"), str) and procedure["level"]:
            return str(procedure["level"])
        code = procedure.get("code")
        if isinstance(code, str) and code:
            level = conn.execute(select(t.catalog.c.level).where(t.catalog.c.code == code)).scalar()
            return str(level or "")
    return ""


def store_event(conn: Connection, *, seq: int, commune_code: str, event: Event, kind: str, pushed_by: str,
                device_seq: int | None, client_time: str, received_at: str,
                before: HubDossier | None, after: DossierRecord) -> None:
    """Write one accepted event: feed row, event index row, dossier projection."""
    data = {**event.to_wire(), "device_seq": device_seq, "hub_received_at": received_at}
    append_feed(conn, seq, commune_code, kind, data, received_at, pushed_by)
    conn.execute(insert(t.events).values(
        id=event.id, commune_code=commune_code, dossier_id=event.dossier_id, type=event.type,
        occurred_at=data["occurred_at"], device_id=event.device_id, device_seq=device_seq, pushed_by=pushed_by,
        hub_seq=seq, hub_received_at=received_at, client_time=client_time, digest=event_digest(event)))
    row = {"status": after.status, "procedure_code": after.procedure_code, "due_at": after.due_at,
           "rescheduled_due_at": after.rescheduled_due_at, "paused_since": after.paused_since,
           "record": canonical_json(after.as_row()), "updated_at": received_at}
    if before is None:
        conn.execute(insert(t.dossiers).values(id=event.dossier_id, commune_code=commune_code,
                                               level=procedure_level(conn, event), **row))
    else:
        conn.execute(update(t.dossiers).where(t.dossiers.c.id == event.dossier_id).values(**row))


def next_record(before: HubDossier | None, event: Event) -> DossierRecord:
    """The fold step; raises TransitionRefused, or ValueError/TypeError/KeyError on a malformed payload."""
    return apply(before.record if before else None, event)
