"""A forced full resync: pull everything again from the start of the hub's feed.

Keeps the outbox (pending and quarantined events stay exactly as they are), every draft, every
conflict and every local event; only the cursor and the "hub already has this file" memory reset.
Events already here are recognised by id, so pulling again adds nothing twice.
"""

from __future__ import annotations

import sqlite3

from motcua.store.db import transaction
from motcua.sync.meta import put_meta


def reset_for_resync(conn: sqlite3.Connection) -> None:
    with transaction(conn):
        put_meta(conn, {"cursor": 0})
        conn.execute("DELETE FROM sync_uploaded")
