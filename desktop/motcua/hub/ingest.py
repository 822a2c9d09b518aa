"""Push: validate each event (schema, commune scope, transition in hub order) and store or quarantine it.

One batch is one transaction under the feed lock; a rejected event is quarantined and the batch goes on.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from motcua.domain.clock import iso, now
from motcua.domain.events import Event, canonical_json
from motcua.domain.ids import is_uuid
from motcua.domain.states import TransitionRefused
from motcua.hub import tables as t
from motcua.hub.accounts import Device
from motcua.hub.database import HubDatabase, lock_feed, set_feed
from motcua.hub.errors import HubError
from motcua.hub.eventlog import event_digest, load_dossier, next_record, store_event
from motcua.sync.protocol import ProtocolError, PushRequest, PushResponse, PushResult, WireEvent


@dataclass
class _Batch:
    conn: Connection
    device: Device
    seq: int
    received_at: str
    client_time: str


def push(db: HubDatabase, device: Device, request: PushRequest) -> PushResponse:
    if request.device_id != device.id:
        raise HubError(403, "wrong_device", f"push.device_id {request.device_id} is not the device this token "
                       f"belongs to ({device.id})")
    received_at = iso(now())
    results: list[PushResult] = []
    with db.write() as conn:
        start = lock_feed(conn)
        batch = _Batch(conn, device, start, received_at, request.client_time)
        for raw in request.events:
            results.append(_ingest(batch, raw))
        if batch.seq != start:
            set_feed(conn, batch.seq)
        conn.execute(update(t.communes).where(t.communes.c.code == device.commune_code)
                     .values(last_push_at=received_at))
    return PushResponse(results, iso(now()))


def _raw_id(raw: Any) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and 0 < len(raw["id"]) <= 64:
        return str(raw["id"])
    text = json.dumps(raw, sort_keys=True, default=str)
    return "invalid:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _ingest(batch: _Batch, raw: Any) -> PushResult:
    event_id = _raw_id(raw)
    conn = batch.conn
    commune = batch.device.commune_code
    earlier = conn.execute(select(t.quarantine.c.reason, t.quarantine.c.received_at)
                           .where(t.quarantine.c.commune_code == commune, t.quarantine.c.event_id == event_id)).first()
    if earlier is not None:  # a replay answers with the stored result
        return PushResult(event_id, "quarantined", None, earlier.received_at, earlier.reason)
    try:
        wire = WireEvent.from_dict(raw)
        if not is_uuid(wire.id) or not is_uuid(wire.dossier_id):
            raise ProtocolError("event.id and event.dossier_id must be UUIDs")
        event = Event.from_wire(wire.to_event_wire())
    except (ProtocolError, ValueError, TypeError, KeyError) as exc:
        return _quarantine(batch, event_id, raw, f"malformed event: {exc}")

    stored = conn.execute(select(t.events.c.commune_code, t.events.c.hub_seq, t.events.c.hub_received_at,
                                 t.events.c.digest).where(t.events.c.id == event.id)).first()
    if stored is not None:
        if stored.commune_code != commune:
            return _quarantine(batch, event_id, raw, "event id is already used by another event; make a new id")
        reason = "" if stored.digest == event_digest(event) else \
            "an event with this id but different content was stored earlier; the stored event stands"
        return PushResult(event.id, "duplicate", int(stored.hub_seq), stored.hub_received_at, reason)

    before = load_dossier(conn, event.dossier_id)
    if before is not None and before.commune_code != commune:
        return _quarantine(batch, event_id, raw, f"dossier {event.dossier_id} does not belong to commune {commune}")
    try:
        after = next_record(before, event)
    except TransitionRefused as exc:
        return _quarantine(batch, event_id, raw, f"transition refused: {exc}")
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        return _quarantine(batch, event_id, raw, f"payload not understood for {event.type}: {exc!r}")

    batch.seq += 1
    store_event(conn, seq=batch.seq, commune_code=commune, event=event, kind="event", pushed_by=batch.device.id,
                device_seq=wire.device_seq, client_time=batch.client_time, received_at=batch.received_at,
                before=before, after=after)
    return PushResult(event.id, "stored", batch.seq, batch.received_at, "")


def _quarantine(batch: _Batch, event_id: str, raw: Any, reason: str) -> PushResult:
    try:
        text = canonical_json(raw)
    except (TypeError, ValueError):
        text = json.dumps(str(raw))
    batch.conn.execute(insert(t.quarantine).values(
        commune_code=batch.device.commune_code, event_id=event_id, device_id=batch.device.id, raw=text,
        reason=reason, received_at=batch.received_at))
    return PushResult(event_id, "quarantined", None, batch.received_at, reason)
