"""Time in the commune: every timestamp we make is timezone-aware, in Asia/Ho_Chi_Minh."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime:
    return datetime.now(VN_TZ)


def to_local(moment: datetime) -> datetime:
    """Aware datetime in Vietnam time; a naive one is taken to be Vietnam time already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=VN_TZ)
    return moment.astimezone(VN_TZ)


def parse_moment(text: str) -> datetime:
    """Parse an ISO 8601 / 'YYYY-MM-DD HH:MM' string; naive values are Vietnam time."""
    text = text.strip()
    try:
        return to_local(datetime.fromisoformat(text))
    except ValueError:
        pass
    for pattern in ("%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y%m%d%H%M%S"):
        try:
            return to_local(datetime.strptime(text, pattern))
        except ValueError:
            continue
    raise ValueError(f"not a date/time: {text!r} (use YYYY-MM-DD HH:MM)")


def moment_label(text: str) -> str:
    """A stored moment as people read it: «17:27 07/12/2026» (Vietnam time)."""
    return parse_moment(text).strftime("%H:%M %d/%m/%Y")


def parse_day(text: str) -> date:
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise ValueError(f"not a date: {text!r} (use YYYY-MM-DD)") from None


def iso(moment: datetime) -> str:
    """The one text form of a moment in the store and on the wire: ISO 8601 with offset, seconds."""
    return to_local(moment).isoformat(timespec="seconds")
