"""Argument helpers shared by the CLI command modules."""

from __future__ import annotations

import argparse
import calendar
import re
from datetime import date

_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_VN_DAY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def json_flag() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--json", action="store_true", help="kết quả dạng JSON cho script")
    return parent


def add_command(sub: argparse._SubParsersAction, name: str, handler, help: str, *,
                needs_store: bool = True, json: bool = True, permission: str | None = None) -> argparse.ArgumentParser:
    """A subcommand; with ``permission`` it acts as ``--actor``, which must be an active account whose
    roles may do that (checked before the handler runs, so a refusal writes nothing)."""
    parser = sub.add_parser(name, help=help, description=help, parents=[json_flag()] if json else [])
    parser.set_defaults(handler=handler, needs_store=needs_store, permission=permission)
    return parser


def day_argument(text: str) -> date:
    """A day as YYYY-MM-DD or DD/MM/YYYY, for argparse ``type=``: a bad one is a usage error (exit 2)
    whose message says what is wrong — the form, the month, or a day the month does not have."""
    value = text.strip()
    if m := _ISO_DAY.match(value):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif m := _VN_DAY.match(value):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        raise argparse.ArgumentTypeError(
            f"«{text}» không phải một ngày: viết YYYY-MM-DD hoặc DD/MM/YYYY, ví dụ 2026-03-01 hoặc 01/03/2026")
    if not 1 <= month <= 12:
        raise argparse.ArgumentTypeError(f"«{text}»: không có tháng {month} (tháng từ 1 đến 12)")
    if year < 1:
        raise argparse.ArgumentTypeError(f"«{text}»: năm {year} không hợp lệ")
    last = calendar.monthrange(year, month)[1]
    if day < 1:
        raise argparse.ArgumentTypeError(f"«{text}»: không có ngày {day}")
    if day > last:
        raise argparse.ArgumentTypeError(f"«{text}»: tháng {month}/{year} chỉ có {last} ngày")
    return date(year, month, day)
