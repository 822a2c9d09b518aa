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
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from motcua.domain.ids import uuid7
from motcua.i18n import tr
from motcua.sync.errors import NotEnrolled
from motcua.sync.meta import get_meta, put_meta

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


def new_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def public_key_b64(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def load_public_key(b64: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(b64))


def _private_to_text(key: Ed25519PrivateKey) -> str:
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return base64.b64encode(raw).decode("ascii")


def save_private_key(conn: sqlite3.Connection, key: Ed25519PrivateKey) -> None:
    keyring.set_password(SERVICE, f"{store_uid(conn)}:private_key", _private_to_text(key))


def save_token(conn: sqlite3.Connection, token: str) -> None:
    keyring.set_password(SERVICE, f"{store_uid(conn)}:token", token)


def load_private_key(conn: sqlite3.Connection) -> Ed25519PrivateKey | None:
    text = keyring.get_password(SERVICE, f"{store_uid(conn)}:private_key")
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(text)) if text else None


def load_credentials(conn: sqlite3.Connection) -> DeviceCredentials:
    uid = store_uid(conn)
    token = keyring.get_password(SERVICE, f"{uid}:token")
    key = load_private_key(conn)
    if not token or key is None:
        raise NotEnrolled(tr("Máy này chưa được đăng ký với máy chủ tỉnh (hoặc khóa trong kho khóa của hệ điều "
                             "hành đã bị xóa): chạy «motcua sync enroll»."))
    return DeviceCredentials(token, key)


def forget(conn: sqlite3.Connection) -> None:
    uid = store_uid(conn)
    for name in ("token", "private_key"):
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            keyring.delete_password(SERVICE, f"{uid}:{name}")
