"""Who can open this desk's backups: the administrator's passphrase and, optionally, the province's recovery key.

Setting the passphrase makes a fresh X25519 key pair for backups: the public half is kept in the settings (so
backups, automatic ones included, are sealed without asking anyone for anything) and the private half is kept
only sealed with the passphrase (scrypt). Every backup carries that sealed private half in its header, so a
backup opens with the passphrase alone on a new PC, after the store is lost. Changing the passphrase later
makes a new pair; older backups still open with the passphrase they were made under.

The recovery key is the province's X25519 public key (field support keeps the private half, made by
``motcua recovery-keygen``): a desk whose administrator is gone can still be restored.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from motcua.protocol.sealing_keys import (
    SCRYPT_N,
    SealError,
    b64,
    load_x25519_public,
    open_with_passphrase,
    private_key_pem,
    seal_with_passphrase,
    unb64,
    unwrap_with_private_key,
    wrap_for_public_key,
    x25519_private_raw,
    x25519_public_raw,
)
from motcua.store.db import transaction
from motcua.store.settings import get_value, put_values

PUBLIC = "backup_public_key"
SEALED_PRIVATE = "backup_sealed_private_key"
RECOVERY = "backup_recovery_public_key"
MIN_PASSPHRASE = 10


class WrongPassphrase(SealError):
    """The passphrase does not open this backup."""


@dataclass(frozen=True)
class BackupKeys:
    public_key: str
    sealed_private: dict[str, Any]
    recovery_public_key: str


def backup_keys(conn: sqlite3.Connection) -> BackupKeys | None:
    public, sealed = get_value(conn, PUBLIC), get_value(conn, SEALED_PRIVATE)
    if not public or not isinstance(sealed, dict):
        return None
    return BackupKeys(str(public), sealed, str(get_value(conn, RECOVERY) or ""))


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValueError(f"Mật khẩu sao lưu cần ít nhất {MIN_PASSPHRASE} ký tự.")


def set_passphrase(conn: sqlite3.Connection, passphrase: str, *, scrypt_n: int = SCRYPT_N) -> str:
    """A new backup key pair sealed with ``passphrase``; returns its public key."""
    check_passphrase(passphrase)
    key = X25519PrivateKey.generate()
    sealed = seal_with_passphrase(x25519_private_raw(key), passphrase, scrypt_n)
    public = b64(x25519_public_raw(key))
    with transaction(conn):
        put_values(conn, {PUBLIC: public, SEALED_PRIVATE: sealed})
    return public


def set_recovery_key(conn: sqlite3.Connection, public_key: str) -> None:
    """The province's recovery public key (base64 of 32 bytes), or "" to stop sealing backups to it."""
    if public_key:
        try:
            load_x25519_public(public_key)
        except (SealError, ValueError) as exc:
            raise ValueError(f"Khóa khôi phục không hợp lệ: {exc}") from None
    with transaction(conn):
        put_values(conn, {RECOVERY: public_key.strip()})


def recipients(keys: BackupKeys, data_key: bytes) -> list[dict[str, Any]]:
    entries = [{**wrap_for_public_key(data_key, load_x25519_public(keys.public_key)), "type": "desk",
                "sealed_private": keys.sealed_private}]
    if keys.recovery_public_key:
        entries.append({**wrap_for_public_key(data_key, load_x25519_public(keys.recovery_public_key)),
                        "type": "recovery"})
    return entries


def passphrase_opener(passphrase: str) -> Callable[[dict[str, Any]], bytes | None]:
    def opener(entry: dict[str, Any]) -> bytes | None:
        if entry.get("type") != "desk":
            return None
        try:
            raw = open_with_passphrase(entry.get("sealed_private"), passphrase)
        except SealError:
            raise WrongPassphrase("wrong passphrase") from None
        return unwrap_with_private_key(entry, X25519PrivateKey.from_private_bytes(raw))
    return opener


def recovery_opener(key: X25519PrivateKey) -> Callable[[dict[str, Any]], bytes | None]:
    mine = b64(x25519_public_raw(key))

    def opener(entry: dict[str, Any]) -> bytes | None:
        if entry.get("type") != "recovery" or entry.get("recipient") != mine:
            return None
        return unwrap_with_private_key(entry, key)
    return opener


def write_recovery_keypair(path: Path) -> str:
    """A new province recovery key: the private half to ``path`` (0600, refused if it exists), returns the public."""
    key = X25519PrivateKey.generate()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(private_key_pem(key))
    return b64(x25519_public_raw(key))


def public_of(text: str) -> str:
    return b64(unb64(text.strip(), "public key", 32))
