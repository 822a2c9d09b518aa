"""Dates as Nghị định 30/2020 writes them: leading zeros for days < 10 and for January, February."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from motcua.forms.dates import date_words, place_date_line, short_date, time_words


@pytest.mark.parametrize(("day", "text"), [
    (date(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),
    (date(2026, 1, 9), "ngày 09 tháng 01 năm 2026"),
    (date(2026, 1, 10), "ngày 10 tháng 01 năm 2026"),
    (date(2026, 3, 5), "ngày 05 tháng 3 năm 2026"),
    (date(2026, 9, 30), "ngày 30 tháng 9 năm 2026"),
    (date(2026, 10, 1), "ngày 01 tháng 10 năm 2026"),
    (date(2026, 12, 31), "ngày 31 tháng 12 năm 2026"),
])
def test_date_words(day: date, text: str) -> None:
    assert date_words(day) == text


def test_place_and_date_line() -> None:
    assert place_date_line("Đắk Lắk", date(2026, 2, 5)) == "Đắk Lắk, ngày 05 tháng 02 năm 2026"


def test_time_words() -> None:
    assert time_words(datetime(2026, 2, 12, 9, 15)) == "09 giờ 15 phút, ngày 12 tháng 02 năm 2026"
    assert time_words(datetime(2026, 11, 3, 14, 5)) == "14 giờ 05 phút, ngày 03 tháng 11 năm 2026"


def test_unknown_dates_are_blanks_to_fill() -> None:
    assert date_words(None).startswith("ngày ....")
    assert "giờ" in time_words(None)
    assert short_date(None) == ""
    assert short_date(date(2026, 2, 5)) == "05/02/2026"
