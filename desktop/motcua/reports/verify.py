"""Checking the derived timelines against a replay of each dossier's events through the core projection.

Kept apart from ``timeline`` (which ``cache`` uses to derive the tables) so that neither imports the other.
"""

from __future__ import annotations

import sqlite3

from motcua.reports.cache import timeline_tables
from motcua.reports.timeline import read_back, timeline_by_projection
from motcua.store.events import row_to_event


def verify_timelines(conn: sqlite3.Connection) -> list[str]:
    """Dossiers (ids) whose derived timeline differs from a replay through the core projection."""
    with timeline_tables(conn) as schema:
        derived = read_back(conn, schema)
    differing = []
    for (dossier_id,) in conn.execute("SELECT DISTINCT dossier_id FROM events ORDER BY dossier_id").fetchall():
        rows = conn.execute("SELECT * FROM events WHERE dossier_id = ? ORDER BY seq", (dossier_id,)).fetchall()
        replayed = timeline_by_projection([row_to_event(r) for r in rows], [int(r["seq"]) for r in rows])
        if replayed != derived.get(dossier_id):
            differing.append(str(dossier_id))
    return differing
