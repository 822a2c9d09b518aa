"""The procedure an intake is for, as the intake needs it (name, processing time, version)."""

from __future__ import annotations

import sqlite3

from motcua.services.intake import ProcedureRef


def find_procedure(conn: sqlite3.Connection, code: str) -> ProcedureRef | None:
    """The current catalog version of ``code``, or None when the catalog does not have it."""
    try:
        from motcua.catalog import get_procedure  # the catalog package is optional for the core
    except ImportError:
        return None
    try:
        procedure = get_procedure(conn, code)
    except (LookupError, sqlite3.OperationalError):
        return None
    if procedure is None:
        return None
    time = procedure.processing_time
    fee_total = sum(int(f.amount_vnd or 0) for f in procedure.fees)
    return ProcedureRef(procedure.code, procedure.name, float(time.amount), str(time.unit),
                        procedure.version, procedure.field, fee_total)
