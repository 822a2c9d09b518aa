"""Account commands: ``motcua user list | add | roles | deactivate | activate | password``.

Managing accounts needs an administrator as ``--actor``; the very first account of a store (which must
be an administrator) is the one exception, as in ``motcua init --admin``. Passwords are read from
stdin (one line), never from the command line where other users of the machine could see them.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys

from motcua.cli.common import add_command
from motcua.cli.output import NOT_FOUND, OK, emit_json, fail, say
from motcua.services import accounts
from motcua.services.validation import ValidationFailed
from motcua.store.db import transaction


def register(sub: argparse._SubParsersAction) -> None:
    parser = add_command(sub, "user", cmd_list, "tài khoản và vai trò (quản trị hệ thống)")
    actions = parser.add_subparsers(dest="user_action", metavar="<việc>")
    p = add_command(actions, "list", cmd_list, "danh sách tài khoản")
    p = add_command(actions, "add", cmd_add, "thêm tài khoản (mật khẩu đọc từ stdin)")
    p.add_argument("username", help="tên đăng nhập: chữ thường không dấu, số, dấu chấm, gạch")
    p.add_argument("--name", required=True, help="họ và tên")
    p.add_argument("--role", action="append", required=True, choices=accounts.ROLES,
                   help="vai trò (lặp lại được: một người có thể giữ nhiều vai trò; vai trò đầu là vai trò chính)")
    p = add_command(actions, "roles", cmd_roles, "đặt lại vai trò của một tài khoản",
                    permission=accounts.MANAGE_USERS)
    p.add_argument("username")
    p.add_argument("--role", action="append", required=True, choices=accounts.ROLES)
    for name, active in (("deactivate", False), ("activate", True)):
        p = add_command(actions, name, cmd_active, "khóa tài khoản" if not active else "mở lại tài khoản",
                        permission=accounts.MANAGE_USERS)
        p.add_argument("username")
        p.set_defaults(active=active)
    p = add_command(actions, "password", cmd_password, "đặt mật khẩu mới (đọc từ stdin)",
                    permission=accounts.MANAGE_USERS)
    p.add_argument("username")


def _row(user: accounts.User) -> dict[str, object]:
    return {"username": user.username, "full_name": user.full_name, "roles": list(user.roles),
            "active": user.active}


def cmd_list(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    users = accounts.list_users(conn)
    if args.json:
        emit_json([_row(u) for u in users])
        return OK
    for u in users:
        say(f"{u.username}\t{u.full_name}\t{u.role_label}" + ("" if u.active else "\t(đã khóa)"))
    say(f"({len(users)} tài khoản)")
    return OK


def _password() -> str:
    return sys.stdin.readline().rstrip("\n")


def cmd_add(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    roles = list(dict.fromkeys(args.role))
    if accounts.user_count(conn) == 0:
        if "admin" not in roles:
            raise ValidationFailed({"role": "tài khoản đầu tiên phải là quản trị hệ thống (--role admin)"})
    else:
        accounts.acting_user(conn, args.actor, accounts.MANAGE_USERS)
    password = _password()
    with transaction(conn):
        user = accounts.create_user(conn, args.username, args.name, roles[0], password, extra_roles=roles[1:])
    if args.json:
        emit_json(_row(user))
    else:
        say(f"Đã thêm tài khoản «{user.username}» — {user.full_name} ({user.role_label}).")
    return OK


def _target(conn: sqlite3.Connection, username: str) -> accounts.User | None:
    return accounts.get_user(conn, username)


def cmd_roles(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    if _target(conn, args.username) is None:
        return fail(f"không có tài khoản «{args.username}»", as_json=args.json, code=NOT_FOUND)
    with transaction(conn):
        user = accounts.set_roles(conn, args.username.strip().lower(), args.role)
    if args.json:
        emit_json(_row(user))
    else:
        say(f"«{user.username}»: {user.role_label}.")
    return OK


def cmd_active(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    target = _target(conn, args.username)
    if target is None:
        return fail(f"không có tài khoản «{args.username}»", as_json=args.json, code=NOT_FOUND)
    with transaction(conn):
        accounts.set_active(conn, target.username, args.active)
    user = _target(conn, target.username)
    assert user is not None
    if args.json:
        emit_json(_row(user))
    else:
        say(f"«{user.username}»: {'đang hoạt động' if user.active else 'đã khóa'}.")
    return OK


def cmd_password(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    target = _target(conn, args.username)
    if target is None:
        return fail(f"không có tài khoản «{args.username}»", as_json=args.json, code=NOT_FOUND)
    password = _password()
    with transaction(conn):
        accounts.set_password(conn, target.username, password)
    if args.json:
        emit_json({"username": target.username, "password_changed": True})
    else:
        say(f"Đã đặt mật khẩu mới cho «{target.username}».")
    return OK
