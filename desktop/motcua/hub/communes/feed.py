"""Pull: one commune's view of the feed after a cursor — its other devices' events, province decisions,
catalog versions, calendar days and announcements. Never another commune's items."""

from __future__ import annotations

import json

from sqlalchemy import or_, select, update

from motcua.domain.clock import iso, now
from motcua.hub.communes.accounts import Device
from motcua.hub.errors import invalid
from motcua.hub.store import tables as t
from motcua.hub.store.database import HubDatabase
from motcua.protocol.messages import MAX_PULL_LIMIT, PullItem, PullResponse


def read_feed(db: HubDatabase, commune_code: str, exclude_device: str, cursor: int, limit: int) -> PullResponse:
    if cursor < 0:
        raise invalid("cursor must be ≥ 0")
    if not 1 <= limit <= MAX_PULL_LIMIT:
        raise invalid(f"limit must be between 1 and {MAX_PULL_LIMIT}")
    with db.read() as conn:
        # Read the counter first: every seq ≤ it is committed (seqs commit in order), so the cursor we
        # hand back can never jump over a row that commits after this read.
        top = int(conn.execute(select(t.hub_counters.c.value).where(t.hub_counters.c.name == "feed")).scalar_one())
        rows = conn.execute(
            select(t.feed.c.seq, t.feed.c.kind, t.feed.c.data)
            .where(t.feed.c.seq > cursor, t.feed.c.seq <= top,
                   or_(t.feed.c.commune_code == commune_code, t.feed.c.commune_code.is_(None)),
                   or_(t.feed.c.kind != "event", t.feed.c.pushed_by != exclude_device))
            .order_by(t.feed.c.seq).limit(limit + 1)
        ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = int(rows[-1].seq) if more else max(cursor, top)
    items = [PullItem(int(r.seq), r.kind, json.loads(r.data)) for r in rows]
    return PullResponse(items, next_cursor, more, iso(now()))


def pull(db: HubDatabase, device: Device, cursor: int, limit: int) -> PullResponse:
    response = read_feed(db, device.commune_code, device.id, cursor, limit)
    moment = iso(now())
    with db.write() as conn:
        conn.execute(update(t.communes).where(t.communes.c.code == device.commune_code).values(last_pull_at=moment))
        conn.execute(update(t.devices).where(t.devices.c.id == device.id).values(last_seen_at=moment))
    return response
