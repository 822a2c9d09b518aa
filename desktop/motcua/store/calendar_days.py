"""The official calendar as data: days off and worked weekend days on top of the national base."""

from __future__ import annotations

import sqlite3
from datetime import date

from motcua.domain.calendar import DayOverride, WorkCalendar
from motcua.store.settings import get_settings


def overrides(conn: sqlite3.Connection) -> list[DayOverride]:
    return [DayOverride(date.fromisoformat(r["day"]), bool(r["working"]), r["name"], r["source"])
            for r in conn.execute("SELECT * FROM calendar_days ORDER BY day")]


def put_override(conn: sqlite3.Connection, override: DayOverride) -> None:
    conn.execute(
        "INSERT INTO calendar_days (day, working, name, source) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (day) DO UPDATE SET working = excluded.working, name = excluded.name, source = excluded.source",
        (override.day.isoformat(), int(override.working), override.name, override.source),
    )


def remove_override(conn: sqlite3.Connection, day: date) -> bool:
    return conn.execute("DELETE FROM calendar_days WHERE day = ?", (day.isoformat(),)).rowcount > 0


def load_calendar(conn: sqlite3.Connection) -> WorkCalendar:
    return WorkCalendar.build(get_settings(conn).hours(), overrides(conn))
