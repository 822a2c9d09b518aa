"""Report periods: a month, a quarter, a year or custom dates, as half-open moments [start, end).

A period covers whole days in Vietnam time: it starts at 00:00 of its first day and ends at 00:00 of
the day after its last day. Moments are compared as the store writes them (ISO 8601, +07:00), so the
boundaries are given in exactly that text form too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from motcua.domain.clock import VN_TZ, iso
from motcua.i18n import tr

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class PeriodError(ValueError):
    """A period that cannot be understood."""


@dataclass(frozen=True)
class Period:
    first: date          # first day, inclusive
    last: date           # last day, inclusive
    kind: str = "custom"  # month | quarter | year | custom

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise PeriodError(tr("Ngày kết thúc ({last}) trước ngày bắt đầu ({first}).",
                                 last=self.last.isoformat(), first=self.first.isoformat()))

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(0, 0), VN_TZ)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(0, 0), VN_TZ)

    @property
    def start_text(self) -> str:
        return iso(self.start)

    @property
    def end_text(self) -> str:
        return iso(self.end)

    @property
    def key(self) -> str:
        """Machine form, accepted back by ``parse_period``: 2026-02, 2026-Q1, 2026, 2026-02-01..2026-02-15."""
        if self.kind == "month":
            return f"{self.first:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        if self.kind == "year":
            return f"{self.first.year}"
        return f"{self.first.isoformat()}..{self.last.isoformat()}"

    @property
    def label(self) -> str:
        """For people: «Tháng 02/2026», «Quý I/2026», «Năm 2026», «Từ 01/02/2026 đến 15/02/2026»."""
        if self.kind == "month":
            return tr("Tháng {m:02d}/{y}", m=self.first.month, y=self.first.year)
        if self.kind == "quarter":
            return tr("Quý {q}/{y}", q=_ROMAN[(self.first.month - 1) // 3 + 1], y=self.first.year)
        if self.kind == "year":
            return tr("Năm {y}", y=self.first.year)
        return tr("Từ {a:%d/%m/%Y} đến {b:%d/%m/%Y}", a=self.first, b=self.last)

    def months(self) -> list[Period]:
        """The calendar months the period touches, clipped to the period (for the monthly trend)."""
        result = []
        cursor = self.first.replace(day=1)
        while cursor <= self.last:
            following = _next_month(cursor)
            first, last = max(cursor, self.first), min(following - timedelta(days=1), self.last)
            whole = first == cursor and last == following - timedelta(days=1)
            result.append(Period(first, last, "month" if whole else "custom"))
            cursor = following
        return result


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month(year: int, number: int) -> Period:
    first = date(year, number, 1)
    return Period(first, _next_month(first) - timedelta(days=1), "month")


def quarter(year: int, number: int) -> Period:
    first = date(year, 3 * (number - 1) + 1, 1)
    last = _next_month(date(year, 3 * number, 1)) - timedelta(days=1)
    return Period(first, last, "quarter")


def year(number: int) -> Period:
    return Period(date(number, 1, 1), date(number, 12, 31), "year")


def custom(first: date, last: date) -> Period:
    return Period(first, last, "custom")


def parse_period(text: str) -> Period:
    """«2026-02», «2026-Q1», «2026» or «2026-02-01..2026-02-15»."""
    text = text.strip()
    try:
        if m := _MONTH.match(text):
            return month(int(m.group(1)), int(m.group(2)))
        if m := _QUARTER.match(text):
            return quarter(int(m.group(1)), int(m.group(2)))
        if m := _YEAR.match(text):
            return year(int(m.group(1)))
        if ".." in text:
            a, b = text.split("..", 1)
            return custom(date.fromisoformat(a.strip()), date.fromisoformat(b.strip()))
    except ValueError as exc:
        if isinstance(exc, PeriodError):
            raise
        raise PeriodError(tr("Kỳ báo cáo «{text}» không hợp lệ: {error}", text=text, error=str(exc))) from None
    raise PeriodError(tr("Kỳ báo cáo «{text}» không hiểu được (ví dụ: 2026-02, 2026-Q1, 2026).", text=text))


# -- quick ranges for lists ------------------------------------------------------------------------
# "Which dossiers did we receive last month?": the ranges a person picks from a list, worked out from
# today's date. Weeks start on Monday, as Vietnamese calendars print them. Labels are source text for tr().
QUICK_RANGES: tuple[tuple[str, str], ...] = (
    ("today", "Hôm nay"),
    ("this_week", "Tuần này"),
    ("this_month", "Tháng này"),
    ("last_month", "Tháng trước"),
    ("this_year", "Năm nay"),
    ("last_7_days", "7 ngày qua"),
    ("last_30_days", "30 ngày qua"),
    ("last_90_days", "90 ngày qua"),
    ("last_12_months", "12 tháng qua"),
)
_LAST_DAYS = {"last_7_days": 7, "last_30_days": 30, "last_90_days": 90}


def week(day: date) -> Period:
    """Monday to Sunday of the week that holds ``day``."""
    monday = day - timedelta(days=day.weekday())
    return Period(monday, monday + timedelta(days=6))


def quick_range(key: str, today: date) -> Period:
    """The period a ``QUICK_RANGES`` key names, seen from ``today``; «N ngày qua» ends today and counts it."""
    if key == "today":
        return custom(today, today)
    if key == "this_week":
        return week(today)
    if key == "this_month":
        return month(today.year, today.month)
    if key == "last_month":
        previous = today.replace(day=1) - timedelta(days=1)
        return month(previous.year, previous.month)
    if key == "this_year":
        return year(today.year)
    if key in _LAST_DAYS:
        return custom(today - timedelta(days=_LAST_DAYS[key] - 1), today)
    if key == "last_12_months":
        try:
            year_ago = today.replace(year=today.year - 1)
        except ValueError:  # 29 February: a year before, February has 28 days
            year_ago = today.replace(year=today.year - 1, day=28)
        return custom(year_ago + timedelta(days=1), today)
    raise KeyError(key)
