"""What the province does at the hub: publish catalog versions, calendars and announcements, record
decisions on dossiers it decides, and watch every commune (last sync, pending, overdue, quarantine)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, insert, select, update

from motcua.catalog.validate import validate_procedure
from motcua.domain.clock import iso, now, parse_moment
from motcua.domain.events import Event, EventType
from motcua.domain.ids import uuid7
from motcua.domain.states import CLOCK_STOPPED, OPEN, Status, TransitionRefused
from motcua.hub.communes.accounts import active_device_counts
from motcua.hub.errors import HubError, conflict, invalid, not_found
from motcua.hub.store import tables as t
from motcua.hub.store.database import HubDatabase, lock_commune, lock_feed, set_feed
from motcua.hub.store.eventlog import Writes, load_dossiers, next_record

LEVELS = ("commune", "province", "commune_receives_province_decides")
PROVINCE_DEVICE = "province"
_PENDING = frozenset(OPEN | {Status.REGISTERED})


def publish_procedure(db: HubDatabase, procedure: dict[str, Any], source: str = "catalog") -> dict[str, Any]:
    """Publish one procedure version; it must pass the catalog's own validation (schema + rules)."""
    issues = validate_procedure(procedure, file=source)
    if issues:
        shown = "; ".join(str(i) for i in issues[:5])
        more = f" (+{len(issues) - 5} more)" if len(issues) > 5 else ""
        raise invalid(f"procedure not publishable: {shown}{more}")
    code, version, level = procedure["code"], procedure["version"], procedure["level"]
    published_at = iso(now())
    with db.write() as conn:
        seq = lock_feed(conn)
        current = conn.execute(select(t.catalog.c.version, t.catalog.c.feed_seq)
                               .where(t.catalog.c.code == code)).first()
        if current is not None and current.version == version:
            return {"code": code, "version": version, "seq": int(current.feed_seq), "status": "unchanged"}
        if current is not None and current.version > version:
            raise conflict(f"procedure {code}: version {current.version} is already published; "
                           f"publish a version above it, not {version}")
        seq += 1
        writes = Writes()
        writes.add_feed(seq, None, "catalog", procedure, published_at, PROVINCE_DEVICE)
        writes.flush(conn)
        values = {"version": version, "level": level, "feed_seq": seq, "published_at": published_at}
        if current is None:
            conn.execute(insert(t.catalog).values(code=code, **values))
        else:
            conn.execute(update(t.catalog).where(t.catalog.c.code == code).values(**values))
        set_feed(conn, seq)
    return {"code": code, "version": version, "seq": seq, "status": "published"}


def _calendar_entry(entry: Any) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise invalid("each calendar entry must be an object {day, working, name, source}")
    try:
        day = date.fromisoformat(str(entry.get("day"))).isoformat()
    except ValueError:
        raise invalid(f"calendar entry day {entry.get('day')!r} is not YYYY-MM-DD") from None
    if not isinstance(entry.get("working"), bool):
        raise invalid(f"calendar entry {day}: working must be true or false")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise invalid(f"calendar entry {day}: name must be a non-empty string")
    return {"day": day, "working": entry["working"], "name": name, "source": str(entry.get("source") or "")}


def publish_calendar(db: HubDatabase, entries: list[Any], commune_code: str | None = None) -> dict[str, Any]:
    if not entries:
        raise invalid("entries must hold at least one calendar day")
    clean = [_calendar_entry(e) for e in entries]
    return _publish(db, "calendar", clean, commune_code)


def publish_announcement(db: HubDatabase, title: str, body_markdown: str,
                         commune_code: str | None = None) -> dict[str, Any]:
    if not title.strip():
        raise invalid("announcement title must not be empty")
    item = {"id": uuid7(), "title": title, "body_markdown": body_markdown, "published_at": iso(now())}
    result = _publish(db, "announcement", [item], commune_code)
    return {**result, "id": item["id"]}


def _publish(db: HubDatabase, kind: str, items: list[dict[str, Any]], commune_code: str | None) -> dict[str, Any]:
    published_at = iso(now())
    with db.write() as conn:
        if commune_code is not None and conn.execute(
                select(t.communes.c.code).where(t.communes.c.code == commune_code)).first() is None:
            raise not_found(f"commune {commune_code} does not exist")
        seq = lock_feed(conn)
        first = seq + 1
        writes = Writes()
        for item in items:
            seq += 1
            writes.add_feed(seq, commune_code, kind, item, published_at, PROVINCE_DEVICE)
        writes.flush(conn)
        set_feed(conn, seq)
    return {"kind": kind, "count": len(items), "first_seq": first, "last_seq": seq}


def record_decision(db: HubDatabase, dossier_id: str, event_type: str, actor: str, payload: dict[str, Any],
                    occurred_at: datetime | None = None) -> dict[str, Any]:
    """A province decision on a dossier it decides: an event of the normal types, delivered by pull."""
    if not actor.strip():
        raise invalid("actor must name the deciding officer")
    if event_type not in set(EventType):
        raise invalid(f"event type {event_type!r} is not one of {', '.join(EventType)}")
    event = Event.new(dossier_id, EventType(event_type), actor, payload, occurred_at=occurred_at,
                      device_id=PROVINCE_DEVICE)
    received_at = iso(now())
    with db.write() as conn:
        known = load_dossiers(conn, [dossier_id]).get(dossier_id)
        if known is None:
            raise not_found(f"dossier {dossier_id} is not known at the hub (has its commune pushed it?)")
        lock_commune(conn, known.commune_code)  # first: the dossier cannot change under us
        before = load_dossiers(conn, [dossier_id])[dossier_id]
        if before.level == "commune":
            raise conflict(f"dossier {dossier_id} is decided by its commune (level commune), not the province")
        try:
            after = next_record(before, event)
        except TransitionRefused as exc:
            raise HubError(409, "transition_refused", f"dossier {dossier_id}: {exc}") from None
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise invalid(f"payload not understood for {event_type}: {exc!r}") from None
        seq = lock_feed(conn) + 1
        writes = Writes()
        writes.add_event(conn, seq=seq, commune_code=before.commune_code, event=event, kind="decision",
                         pushed_by=PROVINCE_DEVICE, device_seq=None, client_time=received_at,
                         received_at=received_at, before=before, after=after)
        writes.flush(conn)
        set_feed(conn, seq)
    return {"event": event.to_wire(), "hub_seq": seq, "commune_code": before.commune_code, "status": after.status}


def _is_overdue(status: int, due_at: str | None, rescheduled: str | None, paused: str | None,
                moment: datetime) -> bool:
    if Status(status) in CLOCK_STOPPED or paused:
        return False
    due = rescheduled or due_at
    if not due:
        return False
    try:
        return parse_moment(due) < moment
    except ValueError:
        return False


def communes_overview(db: HubDatabase) -> list[dict[str, Any]]:
    moment = now()
    pending: dict[str, int] = defaultdict(int)
    overdue: dict[str, int] = defaultdict(int)
    with db.read() as conn:
        communes = conn.execute(select(t.communes).order_by(t.communes.c.code)).all()
        rows = conn.execute(select(t.dossiers.c.commune_code, t.dossiers.c.status, t.dossiers.c.due_at,
                                   t.dossiers.c.rescheduled_due_at, t.dossiers.c.paused_since)
                            .where(t.dossiers.c.status.in_([int(s) for s in _PENDING])))
        for r in rows:
            pending[r.commune_code] += 1
            if _is_overdue(r.status, r.due_at, r.rescheduled_due_at, r.paused_since, moment):
                overdue[r.commune_code] += 1
        quarantined = dict(conn.execute(select(t.quarantine.c.commune_code, func.count())
                                        .where(t.quarantine.c.resolved_at.is_(None))
                                        .group_by(t.quarantine.c.commune_code)).all())
    devices = active_device_counts(db)
    out = []
    for c in communes:
        syncs = [x for x in (c.last_push_at, c.last_pull_at) if x]
        out.append({"code": c.code, "name": c.name, "agency_code": c.agency_code or "",
                    "last_push_at": c.last_push_at, "last_pull_at": c.last_pull_at,
                    "last_sync_at": max(syncs) if syncs else None, "active_devices": devices.get(c.code, 0),
                    "pending_dossiers": pending[c.code], "overdue_dossiers": overdue[c.code],
                    "pending_quarantine": int(quarantined.get(c.code, 0))})
    return out


def quarantine_list(db: HubDatabase, commune_code: str | None, limit: int = 500) -> list[dict[str, Any]]:
    query = (select(t.quarantine.c.commune_code, t.quarantine.c.event_id, t.quarantine.c.device_id,
                    t.quarantine.c.reason, t.quarantine.c.received_at, t.quarantine.c.raw)
             .where(t.quarantine.c.resolved_at.is_(None))
             .order_by(t.quarantine.c.received_at, t.quarantine.c.event_id).limit(limit))
    if commune_code is not None:
        query = query.where(t.quarantine.c.commune_code == commune_code)
    with db.read() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def commune_status(db: HubDatabase, commune_code: str) -> tuple[int, str | None]:
    with db.read() as conn:
        pending = conn.execute(select(func.count()).select_from(t.quarantine).where(
            t.quarantine.c.commune_code == commune_code, t.quarantine.c.resolved_at.is_(None))).scalar_one()
        last = conn.execute(select(t.communes.c.last_push_at).where(t.communes.c.code == commune_code)).scalar()
    return int(pending), last


def resolve_quarantined(db: HubDatabase, commune_code: str, event_id: str, note: str) -> dict[str, Any]:
    """The province has dealt with a quarantined event (e.g. the commune recorded a correcting event)."""
    if not note.strip():
        raise invalid("say how the quarantined event was resolved (note)")
    moment = iso(now())
    with db.write() as conn:
        row = conn.execute(select(t.quarantine.c.resolved_at).where(
            t.quarantine.c.commune_code == commune_code, t.quarantine.c.event_id == event_id)).first()
        if row is None:
            raise not_found(f"no quarantined event {event_id} for commune {commune_code}")
        if row.resolved_at is None:
            conn.execute(update(t.quarantine).where(t.quarantine.c.commune_code == commune_code,
                                                    t.quarantine.c.event_id == event_id)
                         .values(resolved_at=moment, resolution=f"dismissed: {note.strip()}"))
    return {"commune_code": commune_code, "event_id": event_id, "resolved_at": row.resolved_at or moment}
