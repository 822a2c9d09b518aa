"""The working-day calendar: legal due dates in working days, working hours or calendar days.

Base: weekends and the national public holidays of the ``holidays`` package (Vietnam, including
lunar Tết, compensatory days and the Saturdays the government swaps for days off). On top: the
official calendar as data (``DayOverride``), which a province publishes and a commune may edit, so a
decision moving a working day never needs a code change.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache

from motcua.domain.clock import to_local
from motcua.i18n import tr

_SEARCH_LIMIT_DAYS = 3 * 366  # a calendar with no working day in three years is broken data


class TimeUnit(StrEnum):
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    CALENDAR_DAYS = "calendar_days"
    # "Ngay trong ngày; tiếp nhận sau <cutoff> thì trả trong ngày làm việc tiếp theo" (e.g. chứng thực,
    # Nghị định 23/2015 Điều 7): the amount is not used, the cutoff is.
    SAME_DAY = "same_day"


class Timeliness(StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"

    @property
    def label(self) -> str:
        return tr({"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}[self.value])


@dataclass(frozen=True)
class OfficeHours:
    """Working periods of a working day, in order (default 07:00–11:30 and 13:30–17:00)."""

    periods: tuple[tuple[time, time], ...] = ((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0)))

    def __post_init__(self) -> None:
        if not self.periods:
            raise ValueError("office hours need at least one period")
        previous_end = time(0, 0)
        for start, end in self.periods:
            if not (previous_end <= start < end):
                raise ValueError(f"office hours must be increasing, non-overlapping periods: {self.periods}")
            previous_end = end

    @property
    def seconds_per_day(self) -> int:
        return sum(_seconds(end) - _seconds(start) for start, end in self.periods)

    @property
    def opening(self) -> time:
        return self.periods[0][0]

    @property
    def closing(self) -> time:
        return self.periods[-1][1]

    @classmethod
    def parse(cls, text: str) -> OfficeHours:
        """'07:00-11:30,13:30-17:00' → OfficeHours."""
        periods = []
        for chunk in text.split(","):
            start, end = chunk.strip().split("-")
            periods.append((time.fromisoformat(start.strip()), time.fromisoformat(end.strip())))
        return cls(tuple(periods))

    def format(self) -> str:
        return ",".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in self.periods)


@dataclass(frozen=True)
class DayOverride:
    """One entry of the official calendar: a day made a day off, or a weekend day made a working day."""

    day: date
    working: bool
    name: str
    source: str = ""


def _seconds(moment: time) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


@lru_cache(maxsize=64)
def _national(year: int) -> tuple[dict[date, str], frozenset[date]]:
    import holidays  # imported lazily: it is slow to import and the CLI's quick commands don't need it

    calendar = holidays.country_holidays("VN", years=year, language="vi")
    names = {day: str(name) for day, name in calendar.items()}
    return names, frozenset(d for d in getattr(calendar, "weekend_workdays", ()) if d.year == year)


@dataclass
class WorkCalendar:
    hours: OfficeHours = field(default_factory=OfficeHours)
    overrides: dict[date, DayOverride] = field(default_factory=dict)
    use_national_holidays: bool = True

    @classmethod
    def build(cls, hours: OfficeHours | None = None, overrides: Iterable[DayOverride] = ()) -> WorkCalendar:
        return cls(hours=hours or OfficeHours(), overrides={o.day: o for o in overrides})

    # -- days ------------------------------------------------------------------------------------
    def day_info(self, day: date) -> tuple[bool, str]:
        """(is a working day, why) — the reason names the holiday or the override."""
        override = self.overrides.get(day)
        if override is not None:
            return override.working, override.name
        if self.use_national_holidays:
            names, worked_weekend_days = _national(day.year)
            if day in names:
                return False, names[day]
            if day in worked_weekend_days:
                return True, tr("Ngày làm việc bù")
        if day.weekday() >= 5:
            return False, tr("Thứ Bảy") if day.weekday() == 5 else tr("Chủ nhật")
        return True, ""

    def is_working_day(self, day: date) -> bool:
        return self.day_info(day)[0]

    def working_days_from(self, day: date) -> Iterator[date]:
        """Working days from ``day`` on (inclusive)."""
        for offset in range(_SEARCH_LIMIT_DAYS):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                yield candidate
        raise ValueError(tr("Lịch làm việc không có ngày làm việc nào sau {day}.", day=day.isoformat()))

    def next_working_day(self, day: date) -> date:
        """The first working day on or after ``day``."""
        return next(self.working_days_from(day))

    # -- working time ----------------------------------------------------------------------------
    def _periods_from(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Office periods (as aware datetimes) that end after ``moment``, in order."""
        moment = to_local(moment)
        tz = moment.tzinfo
        for day in self.working_days_from(moment.date()):
            for start, end in self.hours.periods:
                period_end = datetime.combine(day, end, tz)
                if period_end > moment:
                    yield datetime.combine(day, start, tz), period_end

    def start_of_work(self, moment: datetime) -> datetime:
        """When work on something arriving at ``moment`` can start: itself inside office hours,
        otherwise the next opening (after closing time: the next working morning)."""
        start, _ = next(self._periods_from(moment))
        return max(start, to_local(moment))

    def add_working_seconds(self, start: datetime, seconds: float) -> datetime:
        if seconds < 0:
            raise ValueError("cannot add negative working time")
        remaining = timedelta(seconds=seconds)
        cursor = to_local(start)
        for period_start, period_end in self._periods_from(cursor):
            begin = max(cursor, period_start)
            available = period_end - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
        raise AssertionError("unreachable")  # _periods_from raises first

    def working_seconds_between(self, start: datetime, end: datetime) -> int:
        start, end = to_local(start), to_local(end)
        if end <= start:
            return 0
        total = 0.0
        for period_start, period_end in self._periods_from(start):
            if period_start >= end:
                break
            total += (min(period_end, end) - max(period_start, start)).total_seconds()
        return int(total)

    # -- legal deadlines -------------------------------------------------------------------------
    def due(self, received: datetime, amount: float, unit: TimeUnit | str, cutoff: time | None = None) -> datetime:
        """The legal due moment for a processing time of ``amount`` ``unit`` from ``received``.

        Working days count as ``amount × the day's office hours`` of working time from the moment work
        can start (so 5 days from Monday morning end Friday at closing). Calendar days end at closing
        time of the N-th day after receipt; when that day is not a working day the period ends at the
        close of the next working day (Bộ luật Dân sự 2015, Điều 148.5). Same-day work ends at closing
        on the day work can start, or on the next working day when it starts at or after ``cutoff``.
        """
        if amount < 0:
            raise ValueError(tr("Thời hạn giải quyết không được âm."))
        unit = TimeUnit(unit)
        received = to_local(received)
        if unit is TimeUnit.SAME_DAY:
            start = self.start_of_work(received)
            day = start.date()
            if cutoff is not None and start.time() >= cutoff:
                day = self.next_working_day(day + timedelta(days=1))
            return datetime.combine(day, self.hours.closing, received.tzinfo)
        if unit is TimeUnit.CALENDAR_DAYS:
            last_day = self.next_working_day(received.date() + timedelta(days=int(amount)))
            return datetime.combine(last_day, self.hours.closing, received.tzinfo)
        seconds = amount * (self.hours.seconds_per_day if unit is TimeUnit.WORKING_DAYS else 3600)
        return self.add_working_seconds(self.start_of_work(received), seconds)

    def extend_for_pause(self, due: datetime, paused_from: datetime, paused_until: datetime) -> datetime:
        """Move ``due`` by the working time the dossier spent waiting on the applicant."""
        paused = self.working_seconds_between(paused_from, paused_until)
        if paused == 0:
            return to_local(due)
        return self.add_working_seconds(to_local(due), paused)


def classify(resolved_at: datetime, due_at: datetime) -> Timeliness:
    """Early: resolved before the due day; on time: on the due day, not after the due moment; late: after."""
    resolved_at, due_at = to_local(resolved_at), to_local(due_at)
    if resolved_at > due_at:
        return Timeliness.LATE
    if resolved_at.date() == due_at.date():
        return Timeliness.ON_TIME
    return Timeliness.EARLY
