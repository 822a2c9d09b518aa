"""The fallback for a Linux desk without a Secret Service keyring (GNOME Keyring, KWallet): the token
and private key in one file readable only by the desk's account (mode 0600), chosen explicitly with
``motcua sync enroll --token-file``.

The trade-off (docs/sync-client.md "Linux without a keyring"): the OS keyring encrypts its entries with
the user's login and locks them with the session; this file is protected by file permissions only, so
anyone who can read the account's files (root, a backup, the disk taken out of the PC) can read the
token and impersonate the desk until the province revokes it. It beats no sync at all.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, PasswordDeleteError

from motcua.i18n import tr

FILE_NAME = "sync-secrets.json"


class InsecureSecretFile(KeyringError):
    pass


def secret_file_path(conn: sqlite3.Connection) -> Path:
    """Next to the desk's database (one file per data folder, like the keyring entries per store)."""
    row = conn.execute("PRAGMA database_list").fetchone()
    return Path(row[2]).parent / FILE_NAME


class SecretFile(KeyringBackend):
    """A keyring backend over one JSON file created 0600; refuses a file others could read."""

    priority = 0  # never chosen by keyring itself: only where the desk was enrolled with --token-file

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def _read(self) -> dict[str, str]:
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return {}
        if os.name == "posix" and (stat.S_IMODE(info.st_mode) & 0o077 or info.st_uid != os.getuid()):
            raise InsecureSecretFile(tr("Tệp khóa {path} có thể bị tài khoản khác đọc (quyền phải là 600, chủ sở hữu "
                                        "là tài khoản này): chạy «chmod 600 {path}» rồi thử lại.",
                                        path=str(self.path)))
        data = json.loads(self.path.read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def _write(self, data: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)

    def get_password(self, service: str, username: str) -> str | None:
        return self._read().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._read()
        data[f"{service}/{username}"] = password
        self._write(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._read()
        if data.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError("no such secret")
        self._write(data)
