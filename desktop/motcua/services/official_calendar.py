"""The official calendar of a year: the days off on weekdays, the worked weekend days, and every day set by hand.

One service for ``motcua calendar`` and the window's calendar dialog.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta

from motcua.domain.calendar import DayOverride
from motcua.domain.text import clean
from motcua.i18n import tr
from motcua.services.validation import ValidationFailed
from motcua.store.calendar_days import load_calendar, put_override, remove_override
from motcua.store.db import transaction

NATIONAL = "national"   # the source of a day that comes from the national base, not from the calendar table


@dataclass(frozen=True)
class CalendarDay:
    day: date
    working: bool
    name: str
    source: str   # the legal source typed for a day set by hand, or NATIONAL

    @property
    def set_by_hand(self) -> bool:
        return self.source != NATIONAL


def year_days(conn: sqlite3.Connection, year: int) -> list[CalendarDay]:
    """The days of ``year`` that differ from a plain week (weekday off, weekend worked) or were set by hand."""
    calendar = load_calendar(conn)
    rows: list[CalendarDay] = []
    day = date(year, 1, 1)
    while day.year == year:
        working, reason = calendar.day_info(day)
        weekend = day.weekday() >= 5
        if (not working and not weekend) or (working and weekend) or day in calendar.overrides:
            source = calendar.overrides[day].source if day in calendar.overrides else NATIONAL
            rows.append(CalendarDay(day, working, reason, source))
        day += timedelta(days=1)
    return rows


def set_day(conn: sqlite3.Connection, day: date, working: bool, name: str, source: str = "") -> DayOverride:
    """Make ``day`` a working day or a day off, with its reason; ValidationFailed (nothing written) without one."""
    name = clean(name)
    if not name:
        raise ValidationFailed({"name": tr("Cần ghi lý do, ví dụ «Nghỉ bù Tết» hoặc «Làm bù thứ Bảy».")})
    override = DayOverride(day, working, name, clean(source))
    with transaction(conn):
        put_override(conn, override)
    return override


def unset_day(conn: sqlite3.Connection, day: date) -> bool:
    """Remove ``day`` from the official calendar; False when it was not in it."""
    with transaction(conn):
        return remove_override(conn, day)
