"""The device's secrets: its hub token and its Ed25519 private key, kept in the OS keyring.

Never in the database. Where Linux has no Secret Service keyring the official may choose, at enrolment,
a file readable only by the desk's account (``secret_file``; sync meta ``secret_store`` = "file").
Entries are keyed by a random identity stored in the database (``store_uid``), so two data folders on
one PC never share credentials.
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
from keyring.backend import KeyringBackend

from motcua.domain.ids import uuid7
from motcua.i18n import tr
from motcua.protocol.signing import public_key_b64
from motcua.sync.errors import KeyringUnavailable, NotEnrolled
from motcua.sync.meta import get_meta, put_meta
from motcua.sync.secret_file import SecretFile, secret_file_path

SERVICE = "motcua-sync"
SECRET_STORE_KEY = "secret_store"   # sync meta: "keyring" (default) or "file" (enrolled with --token-file)


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


def has_keyring() -> bool:
    """Whether this PC has an OS keyring (on Linux: a Secret Service such as GNOME Keyring or KWallet)."""
    return not type(keyring.get_keyring()).__module__.startswith("keyring.backends.fail")


def keyring_warning(conn: sqlite3.Connection) -> str:
    """Said at start (sync status, the Đồng bộ page) when the secrets' keyring has gone missing."""
    if get_meta(conn, "hub_url") and get_meta(conn, SECRET_STORE_KEY) != "file" and not has_keyring():
        return tr("Không tìm thấy kho khóa của hệ điều hành (trên Linux: GNOME Keyring hoặc KWallet) nên máy không "
                  "đọc được khóa truy cập để đồng bộ. Hãy bật lại kho khóa, hoặc ngắt kết nối rồi đăng ký lại với "
                  "«motcua sync enroll --token-file» (xem docs/sync-client.md).")
    return ""


def secret_backend(conn: sqlite3.Connection) -> KeyringBackend:
    """Where this store's secrets live: the OS keyring, or the 0600 file it was enrolled with."""
    if get_meta(conn, SECRET_STORE_KEY) == "file":
        return SecretFile(secret_file_path(conn))
    return keyring.get_keyring()


def _account(conn: sqlite3.Connection, name: str) -> str:
    return f"{store_uid(conn)}:{name}"


def save_private_key(conn: sqlite3.Connection, key: Ed25519PrivateKey) -> None:
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    secret_backend(conn).set_password(SERVICE, _account(conn, "private_key"), base64.b64encode(raw).decode("ascii"))


def save_token(conn: sqlite3.Connection, token: str) -> None:
    secret_backend(conn).set_password(SERVICE, _account(conn, "token"), token)


def load_private_key(conn: sqlite3.Connection) -> Ed25519PrivateKey | None:
    text = secret_backend(conn).get_password(SERVICE, _account(conn, "private_key"))
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(text)) if text else None


def load_credentials(conn: sqlite3.Connection) -> DeviceCredentials:
    try:
        token = secret_backend(conn).get_password(SERVICE, _account(conn, "token"))
        key = load_private_key(conn)
    except keyring.errors.KeyringError as exc:  # no keyring any more, or a token file others could read
        raise KeyringUnavailable(keyring_warning(conn) or str(exc)) from exc
    if not token or key is None:
        raise NotEnrolled(tr("Máy này chưa được đăng ký với máy chủ tỉnh (hoặc khóa trong kho khóa của hệ điều "
                             "hành đã bị xóa): chạy «motcua sync enroll»."))
    return DeviceCredentials(token, key)


def forget(conn: sqlite3.Connection) -> None:
    for name in ("token", "private_key"):
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            secret_backend(conn).delete_password(SERVICE, _account(conn, name))
