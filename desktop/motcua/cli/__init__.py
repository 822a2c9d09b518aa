"""``motcua``: the desk's command line, built on the same services as the desktop app.

Every subcommand module exposes ``register(subparsers)``; handlers are ``handler(args, conn) -> int``
(``conn`` is None for commands that declare ``needs_store=False``).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sqlite3
import sys
from collections.abc import Sequence
from types import ModuleType

from motcua import __version__
from motcua.cli.output import NOT_FOUND, REFUSED, STORE_PROBLEM, USAGE, fail
from motcua.cli.text_args import undecodable_argument
from motcua.paths import data_dir, store_file


def _command_modules() -> list[ModuleType]:
    from motcua.cli import (
        catalog_commands,
        dossier_commands,
        print_commands,
        privacy_commands,
        report_commands,
        settings_commands,
        store_commands,
        sync_commands,
        time_commands,
        user_commands,
    )

    return [dossier_commands, settings_commands, store_commands, time_commands, catalog_commands, print_commands,
            sync_commands, report_commands, privacy_commands, user_commands]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="motcua", description="Một Cửa Xã — bộ phận một cửa cấp xã (dòng lệnh)."
    )
    parser.add_argument("--version", action="version", version=f"motcua {__version__}")
    parser.add_argument("--data-dir", help="thư mục dữ liệu (mặc định: $MOTCUA_DATA_DIR hoặc thư mục của hệ điều hành)")
    parser.add_argument("--actor", help="tài khoản thực hiện thao tác (mặc định: $MOTCUA_USER hoặc tên đăng nhập "
                                        "hệ điều hành); phải là tài khoản đang hoạt động có vai trò được làm thao tác")
    sub = parser.add_subparsers(dest="command", metavar="<lệnh>", required=True)
    for module in _command_modules():
        module.register(sub)
    return parser


def default_actor() -> str:
    return os.environ.get("MOTCUA_USER") or getpass.getuser()


def main(argv: Sequence[str] | None = None) -> int:
    from motcua.domain.states import TransitionRefused
    from motcua.services.accounts import NoSuchAccount, PermissionDenied, acting_user
    from motcua.services.desk import NotFound, NotInitialised
    from motcua.services.validation import ValidationFailed
    from motcua.store.db import StoreError, open_store

    parser = build_parser()
    args = parser.parse_args(argv)
    undecodable = undecodable_argument(args)
    if undecodable:
        return fail(undecodable, as_json=bool(getattr(args, "json", False)), code=USAGE)
    args.data_dir_path = data_dir(args.data_dir)
    args.actor = args.actor or default_actor()
    as_json = bool(getattr(args, "json", False))
    conn: sqlite3.Connection | None = None
    try:
        if getattr(args, "needs_store", True):
            conn = open_store(store_file(args.data_dir_path))
        if conn is not None and getattr(args, "permission", None):
            args.user = acting_user(conn, args.actor, args.permission)
        return int(args.handler(args, conn))
    except (NoSuchAccount, PermissionDenied) as exc:
        return fail(str(exc), as_json=as_json, code=REFUSED)
    except ValidationFailed as exc:
        return fail("dữ liệu không hợp lệ", as_json=as_json, code=REFUSED, errors=exc.errors)
    except (TransitionRefused, NotInitialised) as exc:
        return fail(str(exc), as_json=as_json, code=REFUSED)
    except NotFound as exc:
        return fail(str(exc), as_json=as_json, code=NOT_FOUND)
    except StoreError as exc:
        return fail(str(exc), as_json=as_json, code=STORE_PROBLEM)
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    finally:
        if conn is not None:
            conn.close()
