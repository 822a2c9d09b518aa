from datetime import date, datetime

import pytest

from motcua.domain.calendar import DayOverride, OfficeHours, Timeliness, WorkCalendar, classify
from motcua.domain.clock import VN_TZ


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN_TZ)


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar.build()


def test_weekends_and_tet_are_not_working_days(cal):
    assert not cal.is_working_day(date(2026, 2, 14))  # Saturday
    assert not cal.is_working_day(date(2026, 2, 15))  # Sunday
    for day in range(16, 21):                          # Tết Bính Ngọ 2026
        working, why = cal.day_info(date(2026, 2, day))
        assert not working and "Tết" in why
    assert cal.is_working_day(date(2026, 2, 23))


def test_five_working_days_skip_tet(cal):
    # Thursday 12/02 09:00 + 5 working days: 13/02, then Tết and a weekend, then 23–26/02.
    assert cal.due(at("2026-02-12 09:00"), 5, "working_days") == at("2026-02-26 09:00")


def test_week_from_monday_morning_ends_friday_closing(cal):
    assert cal.due(at("2026-03-02 07:00"), 5, "working_days") == at("2026-03-06 17:00")


def test_intake_after_closing_starts_next_working_morning(cal):
    assert cal.start_of_work(at("2026-03-06 17:30")) == at("2026-03-09 07:00")  # Friday evening → Monday
    assert cal.due(at("2026-03-06 17:30"), 1, "working_days") == at("2026-03-09 17:00")
    assert cal.start_of_work(at("2026-03-04 12:00")) == at("2026-03-04 13:30")  # lunch break


def test_processing_time_in_hours(cal):
    assert cal.due(at("2026-03-04 10:00"), 4, "working_hours") == at("2026-03-04 16:00")  # 1.5 h, lunch, 2.5 h
    assert cal.due(at("2026-03-04 16:00"), 8, "working_hours") == at("2026-03-05 16:00")
    # 40 hours = 5 working days of 8 hours: the same as --days 5
    assert cal.due(at("2026-02-12 09:00"), 40, "working_hours") == cal.due(at("2026-02-12 09:00"), 5, "working_days")


def test_compensatory_day_off_is_not_working(cal):
    # Giỗ Tổ Hùng Vương 2026 falls on Sunday 26/04: Monday 27/04 is the compensatory day off.
    working, why = cal.day_info(date(2026, 4, 27))
    assert not working and "bù" in why
    assert cal.due(at("2026-04-24 09:00"), 1, "working_days") == at("2026-04-28 09:00")


def test_worked_saturday_from_the_official_calendar():
    base = WorkCalendar.build()
    swapped = WorkCalendar.build(overrides=[
        DayOverride(date(2026, 3, 7), True, "Làm bù", "Thông báo của UBND tỉnh"),
        DayOverride(date(2026, 3, 9), False, "Nghỉ bù", "Thông báo của UBND tỉnh"),
    ])
    assert base.due(at("2026-03-06 09:00"), 1, "working_days") == at("2026-03-09 09:00")
    assert swapped.due(at("2026-03-06 09:00"), 1, "working_days") == at("2026-03-07 09:00")
    assert swapped.due(at("2026-03-06 09:00"), 2, "working_days") == at("2026-03-10 09:00")


def test_national_swapped_saturday_is_working(cal):
    # The package knows Saturday 22/08/2026 is worked in exchange for Monday 31/08.
    assert cal.is_working_day(date(2026, 8, 22))
    assert not cal.is_working_day(date(2026, 8, 31))


def test_calendar_days_landing_on_holiday_move_to_end_of_next_working_day(cal):
    # 10/02 + 7 calendar days = 17/02 (Tết) → ends at closing of Monday 23/02 (Điều 148.5 BLDS).
    assert cal.due(at("2026-02-10 09:00"), 7, "calendar_days") == at("2026-02-23 17:00")
    # 02/03 + 4 = 06/03, a Friday: ends at its closing time.
    assert cal.due(at("2026-03-02 09:00"), 4, "calendar_days") == at("2026-03-06 17:00")


def test_supplement_pause_extends_due_by_paused_working_time(cal):
    due = at("2026-03-06 17:00")
    # Paused from Wednesday 10:00 to the next Monday 10:00: Wed 5h + Thu 8h + Fri 8h + Mon 3h = 24 h.
    paused_from, paused_until = at("2026-03-04 10:00"), at("2026-03-09 10:00")
    assert cal.working_seconds_between(paused_from, paused_until) == 24 * 3600
    assert cal.extend_for_pause(due, paused_from, paused_until) == at("2026-03-11 17:00")
    assert cal.extend_for_pause(due, at("2026-03-07 08:00"), at("2026-03-08 20:00")) == due  # weekend only


def test_custom_office_hours():
    cal = WorkCalendar.build(hours=OfficeHours.parse("07:30-11:30,13:00-17:00"))
    assert cal.hours.seconds_per_day == 8 * 3600
    assert cal.due(at("2026-03-04 06:00"), 1, "working_days") == at("2026-03-04 17:00")
    with pytest.raises(ValueError):
        OfficeHours.parse("13:00-17:00,07:00-11:00")


def test_classify_early_on_time_late():
    due = at("2026-03-06 17:00")
    assert classify(at("2026-03-05 16:00"), due) is Timeliness.EARLY
    assert classify(at("2026-03-06 08:00"), due) is Timeliness.ON_TIME
    assert classify(at("2026-03-06 17:00"), due) is Timeliness.ON_TIME
    assert classify(at("2026-03-06 17:01"), due) is Timeliness.LATE
    assert Timeliness.LATE.label == "Quá hạn"


def test_negative_time_refused(cal):
    with pytest.raises(ValueError):
        cal.due(at("2026-03-04 10:00"), -1, "working_days")


def test_calendar_without_working_days_fails_clearly():
    closed = WorkCalendar(OfficeHours(), {}, False)
    closed.is_working_day = lambda day: False  # type: ignore[method-assign]
    with pytest.raises(ValueError, match="không có ngày làm việc"):
        closed.due(at("2026-03-04 10:00"), 1, "working_days")


@pytest.mark.parametrize(("received", "due"), [
    ("2026-02-05 09:00", "2026-02-05 17:00"),  # Thursday morning: the same day at closing
    ("2026-02-05 14:59", "2026-02-05 17:00"),
    ("2026-02-05 15:00", "2026-02-06 17:00"),  # at the cut-off: the next working day
    ("2026-02-06 16:00", "2026-02-09 17:00"),  # Friday after the cut-off: Monday
    ("2026-02-05 18:30", "2026-02-06 17:00"),  # after closing: work starts Friday 07:00, before the cut-off
    ("2026-02-07 10:00", "2026-02-09 17:00"),  # Saturday: Monday
    ("2026-02-13 15:30", "2026-02-23 17:00"),  # the last day before Tết, late: after the holiday
])
def test_same_day_with_a_cutoff(cal, received, due):
    from datetime import time

    assert cal.due(at(received), 0, "same_day", time(15, 0)) == at(due)


def test_same_day_without_a_cutoff_ends_at_closing(cal):
    assert cal.due(at("2026-02-05 16:45"), 0, "same_day") == at("2026-02-05 17:00")
