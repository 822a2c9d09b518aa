"""Watching this PC's clock: its offset from the hub's clock, and whether it ever went backwards.

The hub's clock orders events; a desk clock off by more than five minutes (or set back) makes
receipts and due dates wrong, so the status shows it to the official.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from motcua.domain.clock import iso, now, parse_moment
from motcua.sync.meta import get_meta, put_meta

SKEW_LIMIT_SECONDS = 300
BACKWARDS_TOLERANCE_SECONDS = 60


@dataclass(frozen=True)
class ClockReading:
    skew_seconds: float | None       # local minus hub; positive = this PC is ahead
    measured_at: str | None
    went_backwards: bool
    backwards_from: str | None
    backwards_to: str | None

    @property
    def skewed(self) -> bool:
        return self.skew_seconds is not None and abs(self.skew_seconds) > SKEW_LIMIT_SECONDS


def observe_hub_time(conn: sqlite3.Connection, hub_time: str | None, sent_at: datetime, answered_at: datetime) -> None:
    """Record the offset, taking the hub's time as the middle of the round trip."""
    if not hub_time:
        return
    try:
        hub = parse_moment(hub_time)
    except ValueError:
        return
    middle = sent_at + (answered_at - sent_at) / 2
    put_meta(conn, {"clock_skew_seconds": round((middle - hub).total_seconds(), 1),
                    "clock_skew_measured_at": iso(answered_at)})


def note_local_time(conn: sqlite3.Connection, moment: datetime | None = None) -> None:
    """Remember the latest local time seen; a later reading earlier than it means the clock went back."""
    moment = moment or now()
    last_text = get_meta(conn, "clock_last_seen")
    if last_text:
        last = parse_moment(last_text)
        if (last - moment).total_seconds() > BACKWARDS_TOLERANCE_SECONDS:
            put_meta(conn, {"clock_backwards": {"from": iso(last), "to": iso(moment)}})
            put_meta(conn, {"clock_last_seen": iso(moment)})
            return
        if moment <= last:
            return
    put_meta(conn, {"clock_last_seen": iso(moment)})


def reading(conn: sqlite3.Connection) -> ClockReading:
    backwards = get_meta(conn, "clock_backwards") or {}
    skew = get_meta(conn, "clock_skew_seconds")
    return ClockReading(float(skew) if skew is not None else None, get_meta(conn, "clock_skew_measured_at"),
                        bool(backwards), backwards.get("from"), backwards.get("to"))


def acknowledge_backwards(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM sync_meta WHERE key = 'clock_backwards'")
