"""The end-state both sides must reach, whatever happened on the way."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from motcua.store.check import check_store

COMMUNE = "000.17.22.H56"


def assert_exactly_once(desk: sqlite3.Connection, desk_dir: Path, hub_dir: Path, commune: str = COMMUNE) -> None:
    """Every local event is on the hub exactly once with the hub's sequence recorded here, nothing is
    pending, every attached file is complete at the hub and hashes to its name, the desk store checks."""
    local = {r[0]: r[1] for r in desk.execute("SELECT id, hub_seq FROM events WHERE sync_state != 'remote'")}
    hub = sqlite3.connect(hub_dir / "hub.sqlite3", timeout=30)
    try:
        rows = hub.execute("SELECT id, hub_seq FROM events WHERE commune_code = ?", (commune,)).fetchall()
        feed_ids = [r[0] for r in hub.execute("SELECT json_extract(data, '$.id') FROM feed WHERE kind = 'event'")]
        complete = {r[0] for r in hub.execute("SELECT sha256 FROM attachments WHERE complete = 1 AND commune_code = ?",
                                              (commune,))}
    finally:
        hub.close()
    hub_events = dict(rows)
    assert len(rows) == len(hub_events)
    assert len(feed_ids) == len(set(feed_ids)), "an event appears twice in the hub's feed"
    missing = set(local) - set(hub_events)
    assert not missing, f"{len(missing)} local events never reached the hub"
    assert all(local[i] == hub_events[i] for i in local), "local hub_seq must be the hub's"
    pending = desk.execute("SELECT count(*) FROM events WHERE sync_state = 'pending'").fetchone()[0]
    assert pending == 0
    wanted = {r[0] for r in desk.execute(
        "SELECT json_extract(payload, '$.sha256') FROM events WHERE type = 'attachment_added'")}
    assert wanted <= complete
    for sha in wanted:
        path = hub_dir / "attachments" / commune / sha
        assert hashlib.sha256(path.read_bytes()).hexdigest() == sha
    report = check_store(desk, desk_dir)
    assert report.ok, report.problems[:5]
