"""Communes, devices and enrollment: who may talk to the hub, and for which commune."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update

from motcua.domain.clock import iso, now
from motcua.domain.ids import uuid7
from motcua.hub.communes.codes import bind_agency, free_workstation, valid_agency
from motcua.hub.errors import HubError, conflict, invalid, not_found, unauthorized
from motcua.hub.store import tables as t
from motcua.hub.store.credentials import hash_secret, new_enrollment_code, new_token, normalise_code
from motcua.hub.store.database import HubDatabase, lock_commune, lock_feed
from motcua.protocol.messages import EnrollRequest, EnrollResponse
from motcua.protocol.signing import SigningError, load_public_key

COMMUNE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
DEFAULT_CODE_TTL_HOURS = 72


@dataclass(frozen=True)
class Device:
    id: str
    commune_code: str
    name: str
    public_key: str
    bundle_cursor: int = 0


def create_commune(db: HubDatabase, code: str, name: str, agency_code: str = "") -> dict[str, Any]:
    """A new commune; ``agency_code`` (the prefix of its dossier codes) may be given now or bound later."""
    if not COMMUNE_CODE.match(code):
        raise invalid(f"commune code {code!r} is not valid: letters, digits, '.', '_' or '-', at most 64")
    if not name.strip():
        raise invalid("commune name must not be empty")
    agency = valid_agency(agency_code) if agency_code.strip() else _agency_or_none(code)
    with db.write() as conn:
        lock_feed(conn)  # as enrolments; a push racing for the code loses on the unique index
        if conn.execute(select(t.communes.c.code).where(t.communes.c.code == code)).first():
            raise conflict(f"commune {code} already exists")
        row = {"code": code, "name": name.strip(), "created_at": iso(now())}
        conn.execute(insert(t.communes).values(**row))
        if agency:
            bind_agency(conn, code, agency)
    return {**row, "agency_code": agency or ""}


def _agency_or_none(code: str) -> str | None:
    """A commune registered under its national agency code (the usual case) has that agency code."""
    try:
        return valid_agency(code)
    except HubError:
        return None


def set_agency(db: HubDatabase, commune_code: str, agency_code: str) -> dict[str, Any]:
    """The province sets (or corrects) a commune's agency code; refused when another commune holds it."""
    agency = valid_agency(agency_code)
    with db.write() as conn:
        if not lock_commune(conn, commune_code):  # a push may be binding it: wait for it
            raise not_found(f"commune {commune_code} does not exist")
        lock_feed(conn)  # and enrolments bind agency codes under the feed lock
        conn.execute(update(t.communes).where(t.communes.c.code == commune_code).values(agency_code=None))
        bind_agency(conn, commune_code, agency)
    return {"code": commune_code, "agency_code": agency}


def create_enrollment_code(db: HubDatabase, commune_code: str,
                           ttl_hours: int = DEFAULT_CODE_TTL_HOURS) -> dict[str, str]:
    if not 1 <= ttl_hours <= 24 * 30:
        raise invalid("ttl_hours must be between 1 and 720")
    code = new_enrollment_code()
    expires = datetime.now(UTC) + timedelta(hours=ttl_hours)
    with db.write() as conn:
        if not conn.execute(select(t.communes.c.code).where(t.communes.c.code == commune_code)).first():
            raise not_found(f"commune {commune_code} does not exist; create it first")
        conn.execute(insert(t.enrollment_codes).values(
            code_hash=hash_secret(normalise_code(code)), commune_code=commune_code, created_at=iso(now()),
            expires_at=expires.isoformat(timespec="seconds")))
    # Stored in UTC (compared as text); shown in the communes' time like every other moment (+07:00).
    return {"enrollment_code": code, "commune_code": commune_code, "expires_at": iso(expires)}


def enroll(db: HubDatabase, request: EnrollRequest, hub_public_key: str) -> EnrollResponse:
    try:
        load_public_key(request.public_key)
    except SigningError as exc:
        raise invalid(f"public_key: {exc}") from None
    agency = valid_agency(request.agency_code) if request.agency_code else None
    code_hash = hash_secret(normalise_code(request.enrollment_code))
    token = new_token()
    device_id = uuid7()
    moment = datetime.now(UTC).isoformat(timespec="seconds")
    with db.write() as conn:
        row = conn.execute(select(t.enrollment_codes).where(t.enrollment_codes.c.code_hash == code_hash)).first()
        if row is None or row.used_at is not None or row.expires_at < moment:
            raise HubError(403, "enrollment_refused",
                           "this enrollment code is unknown, already used or expired; ask the province for a new one")
        lock_commune(conn, row.commune_code)  # a push may be binding its agency code: wait for it
        lock_feed(conn)  # one enrolment at a time: workstation numbers and agency codes are handed out once
        commune_agency = bind_agency(conn, row.commune_code, agency) if agency else \
            (conn.execute(select(t.communes.c.agency_code).where(t.communes.c.code == row.commune_code)).scalar()
             or "")
        if agency and commune_agency != agency:
            raise conflict(f"this desk is set up with agency code {agency}, but commune {row.commune_code} has "
                           f"{commune_agency} at the hub; correct the desk's agency code (motcua init --agency-code) "
                           "or ask the province; the enrollment code was not used")
        workstation = free_workstation(conn, row.commune_code)
        used = conn.execute(update(t.enrollment_codes)
                            .where(t.enrollment_codes.c.code_hash == code_hash, t.enrollment_codes.c.used_at.is_(None))
                            .values(used_at=iso(now()), device_id=device_id))
        if used.rowcount != 1:
            raise HubError(403, "enrollment_refused", "this enrollment code was just used by another device")
        conn.execute(insert(t.devices).values(
            id=device_id, commune_code=row.commune_code, name=request.device_name, public_key=request.public_key,
            token_hash=hash_secret(token), created_at=iso(now()), bundle_cursor=0, workstation=workstation))
    return EnrollResponse(device_id, token, row.commune_code, hub_public_key, workstation, commune_agency)


def authenticate(db: HubDatabase, token: str | None) -> Device:
    if not token:
        raise unauthorized("missing bearer token: send 'Authorization: Bearer <token>'")
    with db.read() as conn:
        row = conn.execute(select(t.devices).where(t.devices.c.token_hash == hash_secret(token))).first()
    if row is None:
        raise unauthorized("unknown token: enroll this device again")
    if row.revoked_at is not None:
        raise unauthorized(f"this device was revoked by the province at {row.revoked_at}")
    return Device(row.id, row.commune_code, row.name, row.public_key, int(row.bundle_cursor))


def device_by_id(db: HubDatabase, device_id: str) -> Device:
    with db.read() as conn:
        row = conn.execute(select(t.devices).where(t.devices.c.id == device_id)).first()
    if row is None:
        raise not_found(f"device {device_id} is not enrolled at this hub")
    if row.revoked_at is not None:
        raise unauthorized(f"device {device_id} was revoked at {row.revoked_at}")
    return Device(row.id, row.commune_code, row.name, row.public_key, int(row.bundle_cursor))


def revoke(db: HubDatabase, device_id: str) -> dict[str, Any]:
    with db.write() as conn:
        row = conn.execute(select(t.devices).where(t.devices.c.id == device_id)).first()
        if row is None:
            raise not_found(f"device {device_id} is not enrolled at this hub")
        revoked_at = row.revoked_at or iso(now())
        conn.execute(update(t.devices).where(t.devices.c.id == device_id).values(revoked_at=revoked_at))
    return {"device_id": device_id, "commune_code": row.commune_code, "revoked_at": revoked_at}


def list_devices(db: HubDatabase, commune_code: str | None = None) -> list[dict[str, Any]]:
    query = (select(t.devices.c.id, t.devices.c.commune_code, t.devices.c.name, t.devices.c.workstation,
                    t.devices.c.created_at,
                    t.devices.c.last_seen_at, t.devices.c.revoked_at)
             .order_by(t.devices.c.commune_code, t.devices.c.created_at))
    if commune_code:
        query = query.where(t.devices.c.commune_code == commune_code)
    with db.read() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def active_device_counts(db: HubDatabase) -> dict[str, int]:
    with db.read() as conn:
        rows = conn.execute(select(t.devices.c.commune_code, func.count()).where(t.devices.c.revoked_at.is_(None))
                            .group_by(t.devices.c.commune_code))
        return {r[0]: int(r[1]) for r in rows}
