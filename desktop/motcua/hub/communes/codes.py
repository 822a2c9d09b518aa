"""The hub's rules for dossier codes: which commune an agency code belongs to, and whose code a code is.

A dossier code is ``{agency}-{yyMMdd}-{sequence}`` (``domain.codes``). The hub keeps each commune's agency
code (set by the province, else bound by the commune's first enrolled desk, else by its first stored
dossier) and refuses a code that carries another agency, or one already used by another dossier of the
commune. Reasons never say which other commune holds an agency code or a dossier.
"""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from motcua.domain.codes import CodeFormatError, check_agency_code
from motcua.hub.errors import conflict, invalid
from motcua.hub.store import tables as t

MAX_WORKSTATION = 9


def valid_agency(code: str) -> str:
    """The agency code in its canonical form, or a 400."""
    try:
        return check_agency_code(code)
    except CodeFormatError:
        raise invalid(f"agency code {code!r} is not valid: dot-separated groups of digits and capitals, "
                      "e.g. 000.17.22.H56") from None


def agency_in(code: str) -> str | None:
    """The agency code a dossier code carries (its one dash-separated part shaped like one), or None."""
    found = []
    for part in code.split("-"):
        try:
            found.append(check_agency_code(part))
        except CodeFormatError:
            continue
    return found[0] if len(found) == 1 and code.split("-")[0].strip().upper() == found[0] else None


def commune_agency(conn: Connection, commune_code: str) -> str | None:
    return conn.execute(select(t.communes.c.agency_code).where(t.communes.c.code == commune_code)).scalar()


def agency_taken(conn: Connection, agency: str, commune_code: str) -> bool:
    """Whether another commune holds this agency code."""
    return conn.execute(select(t.communes.c.code).where(t.communes.c.agency_code == agency,
                                                        t.communes.c.code != commune_code)).first() is not None


def bind_agency(conn: Connection, commune_code: str, agency: str) -> str:
    """Give a commune without one this agency code (409 when another commune holds it); returns the
    commune's agency code. A commune that has one keeps it: the caller compares."""
    current = commune_agency(conn, commune_code)
    if current:
        return current
    if agency_taken(conn, agency, commune_code):
        raise conflict(f"agency code {agency} is not available to commune {commune_code}; check the desk's "
                       "agency code (motcua init --agency-code) or ask the province")
    conn.execute(update(t.communes).where(t.communes.c.code == commune_code).values(agency_code=agency))
    return agency


def free_workstation(conn: Connection, commune_code: str) -> int:
    """The workstation number for a new device of the commune: one no device ever had, else one only
    revoked devices had; 409 when nine active devices hold them all."""
    rows = conn.execute(select(t.devices.c.workstation, t.devices.c.revoked_at)
                        .where(t.devices.c.commune_code == commune_code)).all()
    used = {int(r.workstation) for r in rows}
    active = {int(r.workstation) for r in rows if r.revoked_at is None}
    for number in range(1, MAX_WORKSTATION + 1):
        if number not in used:
            return number
    for number in range(1, MAX_WORKSTATION + 1):
        if number not in active:
            return number
    raise conflict(f"commune {commune_code} already has {MAX_WORKSTATION} active devices, each with its own "
                   "workstation number; revoke one that is no longer used before enrolling another")
