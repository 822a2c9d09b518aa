"""The device's secrets: its hub token and its Ed25519 private key, kept in the OS keyring only.

Never in the database or a config file. Entries are keyed by a random identity stored in the
database (``store_uid``), so two data folders on one PC never share credentials.
"""

from __future__ import annotations

import base64
import contextlib
import sqlite3
from dataclasses import dataclass

import keyring
import keyring.errors
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from motcua.domain.ids import uuid7
from motcua.i18n import tr
from motcua.sync.errors import NotEnrolled
from motcua.sync.meta import get_meta, put_meta
from motcua.sync.signing import public_key_b64

SERVICE = "motcua-sync"


@dataclass(frozen=True)
class DeviceCredentials:
    token: str
    private_key: Ed25519PrivateKey

    def public_key_b64(self) -> str:
        return public_key_b64(self.private_key)


def store_uid(conn: sqlite3.Connection) -> str:
    uid = get_meta(conn, "store_uid")
    if not uid:
        uid = uuid7()
        put_meta(conn, {"store_uid": uid})
    return str(uid)


def _account(conn: sqlite3.Connection, name: str) -> str:
    return f"{store_uid(conn)}:{name}"


def save_private_key(conn: sqlite3.Connection, key: Ed25519PrivateKey) -> None:
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    keyring.set_password(SERVICE, _account(conn, "private_key"), base64.b64encode(raw).decode("ascii"))


def save_token(conn: sqlite3.Connection, token: str) -> None:
    keyring.set_password(SERVICE, _account(conn, "token"), token)


def load_private_key(conn: sqlite3.Connection) -> Ed25519PrivateKey | None:
    text = keyring.get_password(SERVICE, _account(conn, "private_key"))
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(text)) if text else None


def load_credentials(conn: sqlite3.Connection) -> DeviceCredentials:
    token = keyring.get_password(SERVICE, _account(conn, "token"))
    key = load_private_key(conn)
    if not token or key is None:
        raise NotEnrolled(tr("Máy này chưa được đăng ký với máy chủ tỉnh (hoặc khóa trong kho khóa của hệ điều "
                             "hành đã bị xóa): chạy «motcua sync enroll»."))
    return DeviceCredentials(token, key)


def forget(conn: sqlite3.Connection) -> None:
    for name in ("token", "private_key"):
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            keyring.delete_password(SERVICE, _account(conn, name))
