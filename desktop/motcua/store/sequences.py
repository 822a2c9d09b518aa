"""Allocation of the daily dossier-code sequence, inside the caller's write transaction."""

from __future__ import annotations

import sqlite3
from datetime import date

from motcua.domain.codes import CodeScheme


def next_code(conn: sqlite3.Connection, scheme: CodeScheme, day: date) -> str:
    """The next unused code for ``day``. Must run inside ``transaction(conn)``: the write lock makes the
    counter and the dossier that uses it commit together, or neither."""
    number = conn.execute(
        "INSERT INTO code_sequences (agency, day, workstation, last_number) VALUES (?, ?, ?, 1)"
        " ON CONFLICT (agency, day, workstation) DO UPDATE SET last_number = last_number + 1"
        " RETURNING last_number",
        (scheme.agency, day.isoformat(), scheme.workstation),
    ).fetchone()[0]
    code = scheme.format(day, number)
    # Belt and braces: a code restored from a backup or typed in by hand must not be reissued.
    while conn.execute("SELECT 1 FROM dossiers WHERE code = ?", (code,)).fetchone():
        number = conn.execute(
            "UPDATE code_sequences SET last_number = last_number + 1 WHERE agency = ? AND day = ? AND workstation = ?"
            " RETURNING last_number",
            (scheme.agency, day.isoformat(), scheme.workstation),
        ).fetchone()[0]
        code = scheme.format(day, number)
    return code
