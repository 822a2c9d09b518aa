"""Command-line text that is not UTF-8 (a Latin-1 terminal, a file named on another system): found before
anything runs, and said precisely instead of a traceback from deep inside the store."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from motcua.i18n import tr


def _readable(value: str) -> str:
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _bad(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def undecodable_argument(args: argparse.Namespace) -> str | None:
    """The message for the first argument holding bytes that are not UTF-8, or None."""
    given = vars(args)
    named = isinstance(given.get("name"), str) and bool(given["name"]) and not _bad(given["name"])
    for name, value in given.items():
        values = value if isinstance(value, list | tuple) else [value]
        for raw in values:
            item = str(raw) if isinstance(raw, Path) else raw
            if name == "data_dir" or not isinstance(item, str) or not _bad(item):
                continue  # the data directory is only opened, never stored as text
            shown = _readable(item)
            if os.path.lexists(item):
                if named:  # read from that path, stored under the --name given
                    continue
                return tr("Tên tệp «{name}» có ký tự không phải UTF-8 nên không lưu được vào hồ sơ. Hãy đổi tên tệp "
                          "(chỉ dùng chữ, số, dấu cách, gạch nối) rồi thử lại.", name=Path(shown).name)
            option = "--" + name.replace("_", "-")
            return tr("Giá trị của {option} «{value}» có byte không phải UTF-8 (dấu «�»). Hãy đặt bàn phím/terminal "
                      "ở bảng mã UTF-8 và nhập lại; chưa có gì được ghi.", option=option, value=shown)
    return None
