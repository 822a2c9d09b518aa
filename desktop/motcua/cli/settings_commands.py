"""``motcua settings``: read and change the commune's settings, checked by the same service as the
setup wizard and Cài đặt (issuing body, place, signers, office hours, form set…)."""

from __future__ import annotations

import argparse
import sqlite3

from motcua.cli.common import add_command
from motcua.cli.output import OK, emit_json, say
from motcua.services.commune_settings import KEYS, key_label, paper_settings, save_settings
from motcua.store.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "settings", cmd_show, "xem và sửa cài đặt của đơn vị (cơ quan ban hành, địa danh, người ký…)")
    actions = p.add_subparsers(dest="settings_action", metavar="<việc>")
    add_command(actions, "show", cmd_show, "xem các cài đặt và giá trị in trên biểu mẫu")
    s = add_command(actions, "set", cmd_set, "đặt một cài đặt: motcua settings set KHÓA GIÁ_TRỊ")
    s.add_argument("key", metavar="KHÓA", choices=[k.key for k in KEYS],
                   help="một trong: " + ", ".join(k.key for k in KEYS))
    s.add_argument("value", metavar="GIÁ_TRỊ", help="giá trị mới (chuỗi rỗng \"\" để bỏ, dùng mặc định)")


def cmd_show(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    settings = get_settings(conn)
    paper = paper_settings(conn, settings)
    printed = {"desk_name": paper.desk_name, "desk_short_name": paper.short_name, "agency_name": paper.parent_name,
               "place_name": paper.place}
    for name, signer in paper.signers.items():
        prefix = "" if name == "default" else f"{name}_"
        printed[f"{prefix}signer_title"] = signer.title
        printed[f"{prefix}signer_name"] = signer.name
    if args.json:
        emit_json({"settings": {k.key: getattr(settings, k.key) for k in KEYS}, "printed": printed})
        return OK
    for k in KEYS:
        value = getattr(settings, k.key)
        shown = str(value) if value not in ("", None) else "—"
        if not value and printed.get(k.key):
            shown += f"  (mặc định in: {printed[k.key]})"
        say(f"{k.key:<24} {shown}    # {key_label(k.key)}")
    return OK


def cmd_set(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    checked = save_settings(conn, {args.key: args.value})
    if args.json:
        emit_json({"set": checked})
    else:
        value = checked[args.key]
        say(f"Đã đặt {key_label(args.key)}: {value if value != '' else '(mặc định)'}.")
    return OK
