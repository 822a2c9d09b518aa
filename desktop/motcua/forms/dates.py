"""Dates and times written the way Nghị định 30/2020 wants them on official papers.

Day numbers below 10 and the months January and February take a leading zero
("ngày 05 tháng 02 năm 2026", "ngày 15 tháng 3 năm 2026"); hours and minutes are two digits.
"""

from __future__ import annotations

from datetime import date, datetime

BLANK_DATE = "ngày ..... tháng ..... năm ........"
BLANK_TIME = "..... giờ ..... phút, ngày ..... tháng ..... năm ........"


def day_text(day: int) -> str:
    return f"{day:02d}"


def month_text(month: int) -> str:
    return f"{month:02d}" if month < 3 else str(month)


def date_words(value: date | None) -> str:
    """"ngày 05 tháng 02 năm 2026"; dotted blanks when the date is unknown."""
    if value is None:
        return BLANK_DATE
    return f"ngày {day_text(value.day)} tháng {month_text(value.month)} năm {value.year}"


def place_date_line(place: str, value: date | None) -> str:
    """"Đắk Lắk, ngày 05 tháng 02 năm 2026" (the italic line under "Số: …")."""
    return f"{place or '..........'}, {date_words(value)}"


def time_words(value: datetime | None) -> str:
    """"09 giờ 15 phút, ngày 12 tháng 02 năm 2026"."""
    if value is None:
        return BLANK_TIME
    return f"{value.hour:02d} giờ {value.minute:02d} phút, {date_words(value)}"


def short_date(value: date | None) -> str:
    """"12/02/2026" for table cells; empty when unknown."""
    return "" if value is None else f"{value.day:02d}/{value.month:02d}/{value.year}"


def short_datetime(value: datetime | None) -> str:
    """"09:15 12/02/2026" for table cells; empty when unknown."""
    return "" if value is None else f"{value.hour:02d}:{value.minute:02d} {short_date(value)}"
