"""The document register: one number per issued paper, counted per kind of paper and year.

Nghị định 30/2020/NĐ-CP (Phụ lục I, II.3.a) numbers an agency's documents in a register that starts
again each year. The number is taken in the transaction that records the issuing event, so printing
never writes and a reprint shows the number the paper was issued under.
"""

from __future__ import annotations

import sqlite3

from motcua.domain.clock import to_local
from motcua.domain.events import Event, EventType

# Which event issues which numbered paper.
ISSUING_EVENTS: dict[str, str] = {   # keyed by EventType members
    EventType.RECEIVED: "receipt", EventType.SUPPLEMENT_REQUESTED: "supplement", EventType.REFUSED: "refusal",
    EventType.RESCHEDULED: "apology", EventType.STOPPED: "stop",
}


def register_issue(conn: sqlite3.Connection, event: Event) -> int | None:
    """Take the next number for the paper ``event`` issues (inside the caller's transaction); None when
    the event issues no numbered paper. Recording the same event twice keeps its first number."""
    kind = ISSUING_EVENTS.get(event.type)
    if kind is None:
        return None
    known = number_of(conn, event.id)
    if known is not None:
        return known
    year = to_local(event.occurred_at).year
    number = int(conn.execute("SELECT COALESCE(MAX(number), 0) + 1 FROM document_register WHERE kind = ? AND year = ?",
                              (kind, year)).fetchone()[0])
    conn.execute("INSERT INTO document_register (kind, year, number, event_id, dossier_id) VALUES (?, ?, ?, ?, ?)",
                 (kind, year, number, event.id, event.dossier_id))
    return number


def number_of(conn: sqlite3.Connection, event_id: str) -> int | None:
    """The register number of the paper an event issued, None when it has none."""
    row = conn.execute("SELECT number FROM document_register WHERE event_id = ?", (event_id,)).fetchone()
    return int(row[0]) if row else None
