"""Intake drafts in the store's ``drafts`` table: saved as the official types, resumed after a crash.

Plain functions on a connection (no Qt): the wizard runs the writes on the writer thread and the
reads on its own connection. A draft's id is the dossier id it will become, so saving the same
draft twice, or the intake twice, never makes two of anything.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from motcua.domain.clock import iso, now
from motcua.store.db import transaction

INTAKE = "intake"


@dataclass(frozen=True)
class Draft:
    id: str
    kind: str
    data: dict[str, Any]
    updated_at: str


def save_draft(conn: sqlite3.Connection, draft_id: str, kind: str, data: dict[str, Any]) -> None:
    """Create or replace a draft (its own transaction)."""
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True)
    with transaction(conn):
        conn.execute(
            "INSERT INTO drafts (id, kind, data, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, data = excluded.data,"
            " updated_at = excluded.updated_at",
            (draft_id, kind, payload, iso(now())),
        )


def load_draft(conn: sqlite3.Connection, draft_id: str) -> Draft | None:
    row = conn.execute("SELECT id, kind, data, updated_at FROM drafts WHERE id = ?", (draft_id,)).fetchone()
    return _draft(row) if row else None


def list_drafts(conn: sqlite3.Connection, kind: str = INTAKE) -> list[Draft]:
    """Drafts of one kind, the most recently touched first."""
    rows = conn.execute("SELECT id, kind, data, updated_at FROM drafts WHERE kind = ?"
                        " ORDER BY updated_at DESC, id DESC", (kind,)).fetchall()
    return [_draft(r) for r in rows]


def latest_draft(conn: sqlite3.Connection, kind: str = INTAKE) -> Draft | None:
    drafts = list_drafts(conn, kind)
    return drafts[0] if drafts else None


def delete_draft(conn: sqlite3.Connection, draft_id: str) -> bool:
    with transaction(conn):
        return conn.execute("DELETE FROM drafts WHERE id = ?", (draft_id,)).rowcount > 0


def _draft(row: sqlite3.Row | tuple[Any, ...]) -> Draft:
    draft_id, kind, data, updated_at = tuple(row)
    try:
        loaded = json.loads(data)
    except ValueError:
        loaded = {}
    return Draft(draft_id, kind, loaded if isinstance(loaded, dict) else {}, updated_at)
