"""The due-date calculator and the official calendar."""

from __future__ import annotations

import argparse
import sqlite3
from datetime import time

from motcua.cli.common import add_command
from motcua.cli.output import OK, emit_json, say
from motcua.domain.calendar import TimeUnit, WorkCalendar
from motcua.domain.clock import iso, now, parse_day, parse_moment
from motcua.paths import store_file
from motcua.services import official_calendar
from motcua.services.validation import ValidationFailed
from motcua.store.calendar_days import load_calendar
from motcua.store.db import connect


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "due", cmd_due, "tính ngày hẹn trả theo ngày/giờ làm việc", needs_store=False)
    p.add_argument("--received", help="thời điểm tiếp nhận, ví dụ «2026-02-12 09:00» (mặc định: bây giờ)")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--days", type=float, help="số ngày làm việc")
    group.add_argument("--hours", type=float, help="số giờ làm việc")
    group.add_argument("--calendar-days", type=int, help="số ngày theo lịch (hạn cuối rơi vào ngày nghỉ thì lùi)")
    group.add_argument("--same-day", action="store_true", help="trả trong ngày (hết giờ làm việc của ngày nhận)")
    p.add_argument("--cutoff", help="với --same-day: nhận từ giờ này (HH:MM) thì trả ngày làm việc tiếp theo")

    p = add_command(sub, "calendar", cmd_calendar_list, "lịch làm việc: ngày nghỉ, ngày làm bù")
    p.add_argument("--year", type=int, default=None, help="năm cần xem (mặc định: năm nay)")
    csub = p.add_subparsers(dest="calendar_command")
    q = add_command(csub, "set", cmd_calendar_set, "đặt một ngày là ngày nghỉ hoặc ngày làm việc")
    q.add_argument("day")
    kind = q.add_mutually_exclusive_group(required=True)
    kind.add_argument("--off", action="store_true", help="ngày nghỉ")
    kind.add_argument("--work", action="store_true", help="ngày làm việc (ví dụ thứ Bảy làm bù)")
    q.add_argument("--name", required=True, help="lý do, ví dụ «Nghỉ bù Tết»")
    q.add_argument("--source", default="", help="văn bản căn cứ")
    q = add_command(csub, "unset", cmd_calendar_unset, "bỏ một ngày khỏi lịch chính thức")
    q.add_argument("day")


def _calendar_for(args: argparse.Namespace) -> WorkCalendar:
    """The store's calendar when a store exists (without creating one), otherwise the national default."""
    path = store_file(args.data_dir_path)
    if not path.exists():
        return WorkCalendar.build()
    conn = connect(path, readonly=True)
    try:
        return load_calendar(conn)
    except sqlite3.OperationalError:
        return WorkCalendar.build()
    finally:
        conn.close()


def cmd_due(args: argparse.Namespace, _conn: None) -> int:
    try:
        received = parse_moment(args.received) if args.received else now()
    except ValueError as exc:
        raise ValidationFailed({"received": str(exc)}) from None
    cutoff = None
    if args.cutoff:
        if not args.same_day:
            raise ValidationFailed({"cutoff": "--cutoff chỉ dùng cùng --same-day"})
        try:
            cutoff = time.fromisoformat(args.cutoff)
        except ValueError:
            raise ValidationFailed({"cutoff": f"giờ chốt «{args.cutoff}» không hợp lệ (HH:MM)"}) from None
    if args.same_day:
        amount, unit = 0.0, TimeUnit.SAME_DAY
    else:
        amount = next(v for v in (args.days, args.hours, args.calendar_days) if v is not None)
        unit = (TimeUnit.WORKING_DAYS if args.days is not None else
                TimeUnit.WORKING_HOURS if args.hours is not None else TimeUnit.CALENDAR_DAYS)
    if amount < 0:
        raise ValidationFailed({"amount": "thời hạn không được âm"})
    due = _calendar_for(args).due(received, amount, unit, cutoff)
    if args.json:
        emit_json({"due": iso(due)})
    else:
        say(due.strftime("%H:%M ngày %d/%m/%Y"))
    return OK


def cmd_calendar_list(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    rows = [{"day": d.day.isoformat(), "working": d.working, "name": d.name, "source": d.source}
            for d in official_calendar.year_days(conn, args.year or now().year)]
    if args.json:
        emit_json(rows)
    else:
        for row in rows:
            say(f"{row['day']}  {'làm việc' if row['working'] else 'nghỉ    '}  {row['name']}  [{row['source']}]")
    return OK


def cmd_calendar_set(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    try:
        day = parse_day(args.day)
    except ValueError as exc:
        raise ValidationFailed({"day": str(exc)}) from None
    override = official_calendar.set_day(conn, day, bool(args.work), args.name, args.source)
    if args.json:
        emit_json({"day": day.isoformat(), "working": override.working, "name": override.name})
    else:
        say(f"{day:%d/%m/%Y}: {'ngày làm việc' if override.working else 'ngày nghỉ'} — {override.name}")
    return OK


def cmd_calendar_unset(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    try:
        day = parse_day(args.day)
    except ValueError as exc:
        raise ValidationFailed({"day": str(exc)}) from None
    removed = official_calendar.unset_day(conn, day)
    if args.json:
        emit_json({"day": day.isoformat(), "removed": removed})
    else:
        say(f"{day:%d/%m/%Y}: " + ("đã bỏ khỏi lịch chính thức" if removed else "không có trong lịch chính thức"))
    return OK
