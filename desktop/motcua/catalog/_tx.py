"""The write transaction helper.

The core's motcua.store.db.transaction is the one to use; the fallback only exists so this package
works on a branch where the core has not landed yet. Delete the fallback once it has.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

try:
    from motcua.store.db import transaction
except ImportError:  # pragma: no cover - only before the core store lands

    @contextmanager
    def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


__all__ = ["transaction"]
