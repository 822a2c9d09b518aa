"""The procedure an intake is for, as the intake needs it (name, processing time, version)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from motcua.catalog.repository import ProcedureNotFound, get_procedure
from motcua.domain.calendar import WorkCalendar
from motcua.domain.clock import iso
from motcua.services.intake import ProcedureRef


def find_procedure(conn: sqlite3.Connection, code: str) -> ProcedureRef | None:
    """The current catalog version of ``code``, or None when the catalog does not have it."""
    try:
        procedure = get_procedure(conn, code)
    except ProcedureNotFound:
        return None
    time = procedure.processing_time
    return ProcedureRef(procedure.code, procedure.name, float(time.amount), str(time.unit),
                        procedure.version, procedure.field, 0, time.cutoff, procedure.fees, time.stages)


def time_unset(conn: sqlite3.Connection, code: str) -> bool:
    """The catalog has ``code`` but not its processing time yet: it cannot be received (it can be looked up)."""
    try:
        return get_procedure(conn, code).time_unset
    except ProcedureNotFound:
        return False


def charge_fees(procedure: ProcedureRef, quantities: Mapping[int, tuple[int, int]]) -> tuple[int, list[dict[str, Any]]]:
    """(total, the lines the receipt lists) for an intake: the catalog's fees charged for the
    quantities given (one unit, one group when none is), or the total a non-catalog procedure carries."""
    if not procedure.fees:
        return procedure.fee_total, []
    from motcua.catalog.fees import charge_all, total

    charges = charge_all(procedure.fees, dict(quantities))
    return total(charges), [c.as_payload() for c in charges]


def stage_deadlines(calendar: WorkCalendar, received_at: datetime, stages: tuple[Any, ...]) -> list[dict[str, Any]]:
    """When each stage of a staged procedure must end (the commune forwards by the first), each
    counted from the end of the one before, as the catalog's stages say."""
    out = []
    cursor = received_at
    for stage in stages:
        cursor = calendar.due(cursor, float(stage.amount), stage.unit)
        out.append({"by": stage.by, "agency": stage.agency, "due_at": iso(cursor)})
    return out
