"""Push: validate each event (schema, commune scope, transition in hub order) and store or quarantine it.

One batch is one transaction under its commune's lock (``database.lock_commune``): pushes of one commune
run one after the other, pushes of different communes side by side. A rejected event is quarantined and
the batch goes on. What the batch needs from the database is read up front, and its rows are written with
one executemany per table, so a 200-event push costs a few statements. Accepted events are numbered from 1
while they are checked; the feed lock is taken only at the end (``database.take_seqs``), to shift those
numbers past the last allocated seq and write the numbered rows, so the feed stays gap-free and commits in
seq order.

Two communes may race for one global name (an event id, a dossier id, an agency code) that neither has
stored yet: the loser's insert fails on the unique index, and its whole batch is run again, where it
finds the winner's row and is answered as if the race had never been.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.exc import IntegrityError

from motcua.domain.clock import iso, now
from motcua.domain.events import Event, canonical_json
from motcua.domain.ids import is_uuid
from motcua.domain.states import TransitionRefused
from motcua.hub.communes.accounts import Device
from motcua.hub.communes.codes import agency_in, agency_taken, bind_agency, commune_agency
from motcua.hub.errors import HubError, safe_text, storable
from motcua.hub.store import tables as t
from motcua.hub.store.database import HubDatabase, lock_commune, take_seqs
from motcua.hub.store.eventlog import HubDossier, Writes, event_digest, load_dossiers, next_record
from motcua.protocol.messages import ProtocolError, PushRequest, PushResponse, PushResult, WireEvent

# The same words whether the id belongs to another commune or is taken otherwise: never say which.
NOT_ACCEPTED_ID = "id not accepted: this event or dossier id cannot be used by this commune; make a new id"
RACE_ATTEMPTS = 3  # a batch that lost a race for a global name runs again (the second run cannot lose it)


@dataclass
class _StoredEvent:
    commune_code: str
    hub_seq: int
    hub_received_at: str
    digest: str


@dataclass
class _Batch:
    conn: Connection
    device: Device
    seq: int                                        # events accepted so far (numbered from 1)
    received_at: str
    client_time: str
    quarantined: dict[str, tuple[str, str]]         # event id → (reason, received_at)
    stored: dict[str, _StoredEvent]
    dossiers: dict[str, HubDossier]
    codes: set[str] = field(default_factory=set)    # dossier codes of the commune the batch may meet
    agency: str | None = None                       # the commune's agency code (None: not bound yet)
    writes: Writes = field(default_factory=Writes)
    fresh: set[str] = field(default_factory=set)    # ids stored by this batch: their seqs count from 1


def push(db: HubDatabase, device: Device, request: PushRequest) -> PushResponse:
    if request.device_id != device.id:
        raise HubError(403, "wrong_device", f"push.device_id {request.device_id} is not the device this token "
                       f"belongs to ({device.id})")
    for attempt in range(1, RACE_ATTEMPTS + 1):
        try:
            return _push_once(db, device, request)
        except IntegrityError:
            if attempt == RACE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _push_once(db: HubDatabase, device: Device, request: PushRequest) -> PushResponse:
    received_at = iso(now())
    ids = [_raw_id(raw) for raw in request.events]
    dossier_ids = [str(raw["dossier_id"]) for raw in request.events
                   if isinstance(raw, dict) and isinstance(raw.get("dossier_id"), str)]
    with db.write() as conn:
        lock_commune(conn, device.commune_code, last_push_at=received_at)
        batch = _Batch(conn, device, 0, received_at, request.client_time,
                       _quarantined(conn, device.commune_code, ids), _stored(conn, ids),
                       load_dossiers(conn, dossier_ids), _codes(conn, device.commune_code, request.events),
                       commune_agency(conn, device.commune_code))
        results = [_ingest(batch, event_id, raw) for event_id, raw in zip(ids, request.events, strict=True)]
        conn.execute(update(t.devices).where(t.devices.c.id == device.id).values(last_seen_at=received_at))
        batch.writes.flush_state(conn)
        if batch.seq:
            start = take_seqs(conn, batch.seq)  # the feed lock, held from here to commit: two inserts
            batch.writes.flush_feed(conn, start)
            results = [replace(r, hub_seq=r.hub_seq + start) if r.id in batch.fresh and r.hub_seq is not None
                       else r for r in results]
    return PushResponse(results, iso(now()))


def _quarantined(conn: Connection, commune: str, ids: list[str]) -> dict[str, tuple[str, str]]:
    if not ids:
        return {}
    rows = conn.execute(select(t.quarantine.c.event_id, t.quarantine.c.reason, t.quarantine.c.received_at)
                        .where(t.quarantine.c.commune_code == commune, t.quarantine.c.event_id.in_(ids)))
    return {r.event_id: (r.reason, r.received_at) for r in rows}


def _codes(conn: Connection, commune: str, events: list[Any]) -> set[str]:
    """The commune's dossier codes among those the batch's events carry."""
    wanted = list({str(raw["payload"]["code"]) for raw in events
                   if isinstance(raw, dict) and isinstance(raw.get("payload"), dict)
                   and isinstance(raw["payload"].get("code"), str) and storable(raw["payload"]["code"])})
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        found.update(conn.execute(select(t.dossiers.c.code).where(
            t.dossiers.c.commune_code == commune, t.dossiers.c.code.in_(wanted[start:start + 500]))).scalars())
    return found


def _stored(conn: Connection, ids: list[str]) -> dict[str, _StoredEvent]:
    if not ids:
        return {}
    rows = conn.execute(select(t.events.c.id, t.events.c.commune_code, t.events.c.hub_seq,
                               t.events.c.hub_received_at, t.events.c.digest).where(t.events.c.id.in_(ids)))
    return {r.id: _StoredEvent(r.commune_code, int(r.hub_seq), r.hub_received_at, r.digest) for r in rows}


def _raw_id(raw: Any) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and 0 < len(raw["id"]) <= 64 \
            and storable(raw["id"]):
        return str(raw["id"])
    text = json.dumps(raw, sort_keys=True, default=str)  # ASCII: a lone surrogate is escaped, not fatal
    return "invalid:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _ingest(batch: _Batch, event_id: str, raw: Any) -> PushResult:
    commune = batch.device.commune_code
    known = batch.stored.get(event_id)
    stored_here = known is not None and known.commune_code == commune
    if event_id in batch.quarantined and not stored_here:  # a replay answers with the stored result
        reason, received_at = batch.quarantined[event_id]
        return PushResult(event_id, "quarantined", None, received_at, reason)
    if not storable(raw):
        return _quarantine(batch, event_id, raw, "malformed event: it holds a NUL character or text that is not "
                           "valid UTF-8 (a lone surrogate)")
    try:
        wire = WireEvent.from_dict(raw)
        if not is_uuid(wire.id) or not is_uuid(wire.dossier_id):
            raise ProtocolError("event.id and event.dossier_id must be UUIDs")
        event = Event.from_wire(wire.to_event_wire())
    except (ProtocolError, ValueError, TypeError, KeyError) as exc:
        return _quarantine(batch, event_id, raw, f"malformed event: {exc}")

    stored = batch.stored.get(event.id)
    if stored is not None:
        if stored.commune_code != commune:
            return _quarantine(batch, event_id, raw, NOT_ACCEPTED_ID)
        reason = "" if stored.digest == event_digest(event) else \
            "an event with this id but different content was stored earlier; the stored event stands"
        return PushResult(event.id, "duplicate", stored.hub_seq, stored.hub_received_at, reason)

    before = batch.dossiers.get(event.dossier_id)
    if before is not None and before.commune_code != commune:
        return _quarantine(batch, event_id, raw, NOT_ACCEPTED_ID)
    try:
        after = next_record(before, event)
    except TransitionRefused as exc:
        return _quarantine(batch, event_id, raw, f"transition refused: {exc}")
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        return _quarantine(batch, event_id, raw, f"payload not understood for {event.type}: {exc!r}")
    if before is None:
        refused = _code_refused(batch, after.code)
        if refused:
            return _quarantine(batch, event_id, raw, refused)
        batch.codes.add(str(after.code))

    batch.seq += 1
    batch.writes.add_event(batch.conn, seq=batch.seq, commune_code=commune, event=event, kind="event",
                           pushed_by=batch.device.id, device_seq=wire.device_seq, client_time=batch.client_time,
                           received_at=batch.received_at, before=before, after=after)
    level = before.level if before else ""
    batch.dossiers[event.dossier_id] = HubDossier(commune, level, after)
    batch.stored[event.id] = _StoredEvent(commune, batch.seq, batch.received_at, event_digest(event))
    batch.fresh.add(event.id)
    return PushResult(event.id, "stored", batch.seq, batch.received_at, "")


def _code_refused(batch: _Batch, code: str | None) -> str:
    """Why a new dossier's code cannot be the commune's ("" when it can); binds the commune's agency code
    on its first dossier when neither the province nor an enrolment set it."""
    if not code:
        return "dossier code: a new dossier must carry its code"
    agency = agency_in(code)
    if agency is None:
        return f"dossier code {code} does not start with an agency code (e.g. 000.17.22.H56-261123-0001)"
    if batch.agency is None:
        if agency_taken(batch.conn, agency, batch.device.commune_code):
            return f"dossier code {code} does not carry this commune's agency code"
        batch.agency = bind_agency(batch.conn, batch.device.commune_code, agency)
    if agency != batch.agency:
        return f"dossier code {code} does not carry this commune's agency code ({batch.agency})"
    if code in batch.codes:
        return (f"dossier code {code} is already used by another dossier of this commune; the desk that made "
                "it must give this dossier a new code (each desk needs its own workstation number)")
    return ""


def _quarantine(batch: _Batch, event_id: str, raw: Any, reason: str) -> PushResult:
    reason = safe_text(reason)
    try:
        text = canonical_json(raw)
        text.encode("utf-8")
        if "\x00" in text:
            raise ValueError("NUL")
    except (TypeError, ValueError):  # UnicodeEncodeError is a ValueError: kept ASCII-escaped, as received
        text = json.dumps(raw, sort_keys=True, default=str)
    batch.writes.quarantine.append({
        "commune_code": batch.device.commune_code, "event_id": event_id, "device_id": batch.device.id, "raw": text,
        "reason": reason, "received_at": batch.received_at, "resolution": ""})
    batch.quarantined[event_id] = (reason, batch.received_at)
    return PushResult(event_id, "quarantined", None, batch.received_at, reason)


def retry_quarantined(db: HubDatabase, commune_code: str, event_id: str) -> PushResult:
    """Validate a quarantined event again (its dossier may have moved on since). Stored: the quarantine
    entry is resolved and a replay of the id answers "duplicate" with its hub_seq. Refused again: the
    entry stays, with the new reason."""
    moment = iso(now())
    with db.write() as conn:
        lock_commune(conn, commune_code)
        row = conn.execute(select(t.quarantine).where(t.quarantine.c.commune_code == commune_code,
                                                      t.quarantine.c.event_id == event_id)).first()
        if row is None:
            raise HubError(404, "not_found", f"no quarantined event {event_id} for commune {commune_code}")
        if row.resolved_at is not None:
            raise HubError(409, "conflict", f"quarantined event {event_id} was already resolved: {row.resolution}")
        raw = json.loads(row.raw)
        dossier_id = raw.get("dossier_id") if isinstance(raw, dict) else None
        device = Device(row.device_id, commune_code, "", "")
        batch = _Batch(conn, device, 0, moment, "", {}, _stored(conn, [event_id]),
                       load_dossiers(conn, [dossier_id] if isinstance(dossier_id, str) and storable(dossier_id)
                                     else []),
                       _codes(conn, commune_code, [raw]), commune_agency(conn, commune_code))
        result = _ingest(batch, event_id, raw)
        batch.writes.quarantine.clear()  # the entry exists already: update it instead
        batch.writes.flush_state(conn)
        if result.status == "quarantined":
            conn.execute(update(t.quarantine).where(t.quarantine.c.commune_code == commune_code,
                                                    t.quarantine.c.event_id == event_id).values(reason=result.reason))
        else:
            if batch.seq:
                start = take_seqs(conn, batch.seq)
                batch.writes.flush_feed(conn, start)
                result = replace(result, hub_seq=(result.hub_seq or 0) + start)
            conn.execute(update(t.quarantine).where(t.quarantine.c.commune_code == commune_code,
                                                    t.quarantine.c.event_id == event_id)
                         .values(resolved_at=moment,
                                 resolution=f"{result.status} on retry as hub_seq {result.hub_seq}"))
    return result
