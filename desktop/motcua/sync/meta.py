"""The sync bookkeeping values (table ``sync_meta``): hub address, cursor, last success, clock readings."""

from __future__ import annotations

import json
import sqlite3
from typing import Any


def get_meta(conn: sqlite3.Connection, key: str, default: Any = None) -> Any:
    row = conn.execute("SELECT value FROM sync_meta WHERE key = ?", (key,)).fetchone()
    return json.loads(row[0]) if row else default


def put_meta(conn: sqlite3.Connection, values: dict[str, Any]) -> None:
    """Write values; autocommits when the caller holds no transaction."""
    conn.executemany(
        "INSERT INTO sync_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [(k, json.dumps(v, ensure_ascii=False)) for k, v in values.items()],
    )


def all_meta(conn: sqlite3.Connection) -> dict[str, Any]:
    return {r[0]: json.loads(r[1]) for r in conn.execute("SELECT key, value FROM sync_meta")}
