"""Reading a passphrase without putting it on the command line: a file, an environment variable, or a prompt."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

PASSPHRASE_ENV = "MOTCUA_BACKUP_PASSPHRASE"


class SecretUnavailable(ValueError):
    """No passphrase was given and there is no terminal to ask for one."""


def read_passphrase(file: Path | None, *, confirm: bool = False) -> str:
    """From ``file`` (its first line), else $MOTCUA_BACKUP_PASSPHRASE, else a prompt (twice when ``confirm``)."""
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SecretUnavailable(f"Không đọc được tệp mật khẩu {file}: {exc}") from None
        return text.splitlines()[0] if text.splitlines() else ""
    if (value := os.environ.get(PASSPHRASE_ENV)) is not None:
        return value
    if not sys.stdin.isatty():
        raise SecretUnavailable(f"Cần mật khẩu sao lưu: dùng --passphrase-file TỆP hoặc biến môi trường "
                                f"{PASSPHRASE_ENV} (không có bàn phím để hỏi).")
    first = getpass.getpass("Mật khẩu sao lưu: ")
    if confirm and getpass.getpass("Nhập lại mật khẩu sao lưu: ") != first:
        raise SecretUnavailable("Hai lần nhập mật khẩu không khớp; chưa thay đổi gì.")
    return first
