"""Report periods: a month, a quarter, a year or custom dates, as half-open moments [start, end).

A period covers whole days in Vietnam time: it starts at 00:00 of its first day and ends at 00:00 of
the day after its last day. Moments are compared as the store writes them (ISO 8601, +07:00), so the
boundaries are given in exactly that text form too.

Two ways to cut a month, a quarter or a year:
- calendar: 01/02–28/02, 01/01–31/03, 01/01–30/06, 01/01–31/12 (``2026-02``, ``2026-Q1``, ``2026-H1``,
  ``2026``);
- the official cut-off of periodic reports (Nghị định 09/2019/NĐ-CP, Điều 12): from the 15th of the month
  before to the 14th — a quarter from 15/12 to 14/03, the first half-year from 15/12 to 14/06 and the
  second from 15/06 to 14/12, a year from 15/12 of the year before to 14/12 (``ky:2026-02``,
  ``ky:2026-Q1``, ``ky:2026-H1``, ``ky:2026``). What is submitted uses these. The days are as Thông tư
  06/2022/TT-UBDT, Điều 6 restates Điều 12 (docs/forms/SOURCES.md).

A period that has not ended is counted up to a moment (``settle``): its figures are what is known
now, and its label says so; a period that has not begun is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from motcua.domain.clock import VN_TZ, iso
from motcua.i18n import tr

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_HALF = re.compile(r"^(\d{4})-[Hh]([12])$")
_YEAR = re.compile(r"^(\d{4})$")
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
OFFICIAL_PREFIX = "ky:"  # "kỳ báo cáo": the official cut-off periods
CUTOFF_DAY = 15  # an official period starts on the 15th of the month before and ends on the 14th


class PeriodError(ValueError):
    """A period that cannot be understood."""


@dataclass(frozen=True)
class Period:
    first: date          # first day, inclusive
    last: date           # last day, inclusive
    kind: str = "custom"  # month | quarter | half | year | custom, or official_ + month, quarter, half, year
    until: datetime | None = None  # an unfinished period: counted up to this moment (see ``settle``)

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise PeriodError(tr("Ngày kết thúc ({last}) trước ngày bắt đầu ({first}).",
                                 last=self.last.isoformat(), first=self.first.isoformat()))

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(0, 0), VN_TZ)

    @property
    def full_end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(0, 0), VN_TZ)

    @property
    def end(self) -> datetime:
        """Where the period's figures stop: its end, or the moment an unfinished one is counted to."""
        return min(self.full_end, self.until) if self.until is not None else self.full_end

    @property
    def official(self) -> bool:
        return self.kind.startswith("official_")

    @property
    def unfinished(self) -> bool:
        return self.until is not None and self.until < self.full_end

    @property
    def start_text(self) -> str:
        return iso(self.start)

    @property
    def end_text(self) -> str:
        return iso(self.end)

    @property
    def key(self) -> str:
        """Machine form, accepted back by ``parse_period``: 2026-02, 2026-Q1, 2026-H1, 2026, ky:2026-02,
        ky:2026-Q1, ky:2026-H1, ky:2026, 2026-02-01..2026-02-15."""
        base = self.kind.removeprefix("official_")
        named = self.last if self.official else self.first  # an official period is named by its last month
        text = {"month": f"{named:%Y-%m}", "quarter": f"{named.year}-Q{(named.month - 1) // 3 + 1}",
                "half": f"{named.year}-H{(named.month - 1) // 6 + 1}", "year": f"{named.year}"}.get(base)
        if text is None:
            return f"{self.first.isoformat()}..{self.last.isoformat()}"
        return OFFICIAL_PREFIX + text if self.official else text

    @property
    def label(self) -> str:
        """For people: «Tháng 02/2026», «Quý I/2026», «Năm 2026», «Từ 01/02/2026 đến 15/02/2026»; an official
        period with its dates, «Kỳ báo cáo tháng 02/2026 (từ 15/01/2026 đến 14/02/2026)»; an unfinished
        one says up to when it is counted."""
        named = self.last if self.official else self.first
        base = self.kind.removeprefix("official_")
        if base == "month":
            text = tr("Tháng {m:02d}/{y}", m=named.month, y=named.year)
        elif base == "quarter":
            text = tr("Quý {q}/{y}", q=_ROMAN[(named.month - 1) // 3 + 1], y=named.year)
        elif base == "half":
            text = (tr("6 tháng đầu năm {y}", y=named.year) if named.month <= 6
                    else tr("6 tháng cuối năm {y}", y=named.year))
        elif base == "year":
            text = tr("Năm {y}", y=named.year)
        else:
            text = tr("Từ {a:%d/%m/%Y} đến {b:%d/%m/%Y}", a=self.first, b=self.last)
        if self.official:
            text = tr("Kỳ báo cáo {what} (từ {a:%d/%m/%Y} đến {b:%d/%m/%Y})", what=text[:1].lower() + text[1:],
                      a=self.first, b=self.last)
        if self.unfinished and self.until is not None:
            text += tr(" — chưa kết thúc, số liệu tính đến {t:%H} giờ {t:%M}, ngày {t:%d/%m/%Y}",
                       t=self.until.astimezone(VN_TZ))
        return text

    def months(self) -> list[Period]:
        """The months the period touches, clipped to the period (for the monthly trend): official
        months for an official period, calendar months otherwise."""
        if self.official:
            parts = []
            cursor = self.last.replace(day=1)
            while True:
                part = official_month(cursor.year, cursor.month)
                if part.last < self.first:
                    break
                parts.append(part)
                cursor = cursor.replace(day=1) - timedelta(days=1)
            return [_until(p, self.until) for p in reversed(parts) if self.until is None or p.start < self.until]
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


def half_year(year_number: int, number: int) -> Period:
    """The first (1) or second (2) half of a calendar year."""
    first = date(year_number, 6 * (number - 1) + 1, 1)
    last = _next_month(date(year_number, 6 * number, 1)) - timedelta(days=1)
    return Period(first, last, "half")


def year(number: int) -> Period:
    return Period(date(number, 1, 1), date(number, 12, 31), "year")


def custom(first: date, last: date) -> Period:
    return Period(first, last, "custom")


def _cutoff_start(year_number: int, month_number: int) -> date:
    """The 15th of the month before (month_number, year_number)."""
    before = date(year_number, month_number, 1) - timedelta(days=1)
    return before.replace(day=CUTOFF_DAY)


def official_month(year_number: int, number: int) -> Period:
    """Kỳ báo cáo tháng: from the 15th of the month before to the 14th of this month."""
    return Period(_cutoff_start(year_number, number), date(year_number, number, CUTOFF_DAY - 1), "official_month")


def official_quarter(year_number: int, number: int) -> Period:
    """Kỳ báo cáo quý: from the 15th of the month before the quarter to the 14th of its last month."""
    return Period(_cutoff_start(year_number, 3 * (number - 1) + 1), date(year_number, 3 * number, CUTOFF_DAY - 1),
                  "official_quarter")


def official_half_year(year_number: int, number: int) -> Period:
    """Kỳ báo cáo 6 tháng: from 15/12 of the year before to 14/06, or from 15/06 to 14/12."""
    return Period(_cutoff_start(year_number, 6 * (number - 1) + 1), date(year_number, 6 * number, CUTOFF_DAY - 1),
                  "official_half")


def official_year(number: int) -> Period:
    """Kỳ báo cáo năm: from 15/12 of the year before to 14/12."""
    return Period(date(number - 1, 12, CUTOFF_DAY), date(number, 12, CUTOFF_DAY - 1), "official_year")


def official_month_of(day: date) -> Period:
    """The official month a day falls in: from the 15th on, the next month's."""
    if day.day < CUTOFF_DAY:
        return official_month(day.year, day.month)
    following = _next_month(day.replace(day=1))
    return official_month(following.year, following.month)


def official(period: Period) -> Period:
    """The official cut-off period named like a calendar month, quarter or year."""
    if period.kind == "month":
        return official_month(period.first.year, period.first.month)
    if period.kind == "quarter":
        return official_quarter(period.first.year, (period.first.month - 1) // 3 + 1)
    if period.kind == "half":
        return official_half_year(period.first.year, (period.first.month - 1) // 6 + 1)
    if period.kind == "year":
        return official_year(period.first.year)
    raise PeriodError(tr("Chỉ tháng, quý, 6 tháng hoặc năm có kỳ báo cáo chốt số liệu."))


def _until(period: Period, moment: datetime | None) -> Period:
    if moment is None or moment >= period.full_end:
        return period
    return Period(period.first, period.last, period.kind, moment)


def settle(period: Period, moment: datetime) -> Period:
    """The period as it can be reported at ``moment``: a finished one whole, an unfinished one counted
    up to ``moment`` (its label says so); one that has not begun is refused."""
    if period.start > moment:
        raise PeriodError(tr("«{label}» chưa bắt đầu: không có số liệu để báo cáo.",
                             label=period.label))
    # The store stamps moments to the second and the end is exclusive: count the current second too.
    return _until(period, moment.replace(microsecond=0) + timedelta(seconds=1))


def parse_period(text: str) -> Period:
    """«2026-02», «2026-Q1», «2026-H1», «2026» or «2026-02-01..2026-02-15»; «ky:2026-02», «ky:2026-Q1»,
    «ky:2026-H1», «ky:2026» for the official cut-off periods."""
    text = text.strip()
    if text.lower().startswith(OFFICIAL_PREFIX):
        return official(parse_period(text[len(OFFICIAL_PREFIX):]))
    try:
        if m := _MONTH.match(text):
            return month(int(m.group(1)), int(m.group(2)))
        if m := _QUARTER.match(text):
            return quarter(int(m.group(1)), int(m.group(2)))
        if m := _HALF.match(text):
            return half_year(int(m.group(1)), int(m.group(2)))
        if m := _YEAR.match(text):
            return year(int(m.group(1)))
        if ".." in text:
            a, b = text.split("..", 1)
            return custom(date.fromisoformat(a.strip()), date.fromisoformat(b.strip()))
    except ValueError as exc:
        if isinstance(exc, PeriodError):
            raise
        raise PeriodError(tr("Kỳ báo cáo «{text}» không hợp lệ: {error}", text=text, error=str(exc))) from None
    raise PeriodError(tr("Kỳ báo cáo «{text}» không hiểu được (ví dụ: 2026-02, 2026-Q1, 2026-H1, 2026; kỳ chốt "
                         "số liệu: ky:2026-02, ky:2026-Q1, ky:2026-H1, ky:2026).", text=text))


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
