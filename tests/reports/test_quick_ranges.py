"""Quick ranges for lists («Tuần này», «Tháng trước»…): pure date arithmetic, weeks from Monday."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.reports.period import QUICK_RANGES, quick_range, week

KEYS = [key for key, _ in QUICK_RANGES]


@pytest.mark.parametrize(("key", "today", "first", "last"), [
    ("today", date(2026, 3, 4), date(2026, 3, 4), date(2026, 3, 4)),
    ("this_week", date(2026, 3, 4), date(2026, 3, 2), date(2026, 3, 8)),     # a Wednesday
    ("this_week", date(2026, 3, 2), date(2026, 3, 2), date(2026, 3, 8)),     # a Monday starts its own week
    ("this_week", date(2026, 3, 8), date(2026, 3, 2), date(2026, 3, 8)),     # a Sunday ends it
    ("this_week", date(2026, 1, 1), date(2025, 12, 29), date(2026, 1, 4)),   # across the new year
    ("this_month", date(2026, 2, 14), date(2026, 2, 1), date(2026, 2, 28)),
    ("this_month", date(2024, 2, 29), date(2024, 2, 1), date(2024, 2, 29)),  # leap year
    ("last_month", date(2026, 3, 31), date(2026, 2, 1), date(2026, 2, 28)),
    ("last_month", date(2026, 1, 15), date(2025, 12, 1), date(2025, 12, 31)),
    ("this_year", date(2026, 7, 9), date(2026, 1, 1), date(2026, 12, 31)),
    ("last_7_days", date(2026, 3, 4), date(2026, 2, 26), date(2026, 3, 4)),
    ("last_30_days", date(2026, 3, 4), date(2026, 2, 3), date(2026, 3, 4)),
    ("last_90_days", date(2026, 3, 4), date(2025, 12, 5), date(2026, 3, 4)),
    ("last_12_months", date(2026, 3, 4), date(2025, 3, 5), date(2026, 3, 4)),
    ("last_12_months", date(2024, 2, 29), date(2023, 3, 1), date(2024, 2, 29)),
])
def test_quick_range(key: str, today: date, first: date, last: date) -> None:
    span = quick_range(key, today)
    assert (span.first, span.last) == (first, last)


def test_month_ranges_keep_their_report_names() -> None:
    assert quick_range("last_month", date(2026, 3, 10)).label == "Tháng 02/2026"
    assert quick_range("this_year", date(2026, 3, 10)).key == "2026"
    assert quick_range("this_week", date(2026, 3, 4)).label == "Từ 02/03/2026 đến 08/03/2026"


def test_an_unknown_key_is_an_error() -> None:
    with pytest.raises(KeyError):
        quick_range("next_week", date(2026, 3, 4))


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)), st.sampled_from(KEYS))
def test_every_range_is_whole_days_around_or_before_today(today: date, key: str) -> None:
    span = quick_range(key, today)
    assert span.first <= span.last
    if key == "last_month":
        assert span.last < today.replace(day=1) and span.last + timedelta(days=1) == today.replace(day=1)
    else:
        assert span.first <= today <= span.last


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)))
def test_weeks_run_monday_to_sunday(day: date) -> None:
    span = week(day)
    assert span.first.weekday() == 0 and span.last.weekday() == 6 and span.first <= day <= span.last
