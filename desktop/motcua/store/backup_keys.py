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
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from motcua.protocol.sealing_keys import (
    SCRYPT_N,
    SealError,
    b64,
    load_x25519_private_pem,
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


def passphrase_problem(passphrase: str, *, avoid: Iterable[str] = ()) -> str | None:
    """Why ``passphrase`` is too weak to guard every citizen's data, in plain Vietnamese; None when it will do.
    ``avoid``: what it must not be (the administrator's sign-in password, the account name)."""
    if len(passphrase) < MIN_PASSPHRASE:
        return f"Mật khẩu sao lưu cần ít nhất {MIN_PASSPHRASE} ký tự."
    if passphrase.strip() != passphrase or not passphrase.strip():
        return "Mật khẩu sao lưu không được bắt đầu hay kết thúc bằng dấu cách."
    folded = _folded(passphrase)
    for other in avoid:
        if other and (passphrase == other or folded == _folded(other)):
            return "Mật khẩu sao lưu phải khác mật khẩu đăng nhập và tên tài khoản."
    if len(set(folded)) < 5:
        return "Mật khẩu sao lưu quá đơn giản: cần ít nhất 5 ký tự khác nhau."
    if any(folded in run or folded in run[::-1] for run in _RUNS):
        return "Mật khẩu sao lưu là một dãy ký tự liên tiếp (như 1234567890 hay qwerty…), rất dễ đoán."
    rest = folded
    for word in _COMMON_WORDS:
        rest = rest.replace(word, "")
    if not rest.strip("0123456789"):
        return "Mật khẩu sao lưu chỉ gồm từ thông dụng và chữ số, rất dễ đoán; hãy thêm vài từ riêng."
    return None


def check_passphrase(passphrase: str, *, avoid: Iterable[str] = ()) -> None:
    """ValueError with the reason when the passphrase is too weak (``passphrase_problem``)."""
    problem = passphrase_problem(passphrase, avoid=avoid)
    if problem:
        raise ValueError(problem)


def passphrase_strength(passphrase: str, *, avoid: Iterable[str] = ()) -> int:
    """0 refused, 1 acceptable, 2 good, 3 strong: longer passphrases and more kinds of characters score higher."""
    if passphrase_problem(passphrase, avoid=avoid):
        return 0
    kinds = sum(1 for test in (str.islower, str.isupper, str.isdigit) if any(test(c) for c in passphrase))
    kinds += any(not c.isalnum() for c in passphrase)
    return 1 + (len(passphrase) >= 14 or kinds >= 3) + (len(passphrase) >= 20 or (len(passphrase) >= 14 and kinds >= 3))


_RUNS = ("01234567890", "abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm", "1qaz2wsx3edc4rfv5tgb6yhn")
_COMMON_WORDS = ("matkhau", "password", "passwd", "motcuaxa", "motcua", "quantri", "admin",
                 "abc", "qwerty", "123")


def _folded(text: str) -> str:
    """Lower case, tone marks and đ folded, letters and digits only: what a guesser would try first."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def key_values(passphrase: str, *, scrypt_n: int = SCRYPT_N) -> dict[str, Any]:
    """A new backup key pair as the settings keep it: the public half, and the private half sealed with
    ``passphrase`` (scrypt; never the passphrase itself). Slow on purpose: call it outside a transaction."""
    check_passphrase(passphrase)
    key = X25519PrivateKey.generate()
    sealed = seal_with_passphrase(x25519_private_raw(key), passphrase, scrypt_n)
    return {PUBLIC: b64(x25519_public_raw(key)), SEALED_PRIVATE: sealed}


def set_passphrase(conn: sqlite3.Connection, passphrase: str, *, scrypt_n: int = SCRYPT_N) -> str:
    """A new backup key pair sealed with ``passphrase``; returns its public key."""
    values = key_values(passphrase, scrypt_n=scrypt_n)
    with transaction(conn):
        put_values(conn, values)
    return str(values[PUBLIC])


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


def load_recovery_key(path: Path) -> X25519PrivateKey:
    """The province's private recovery key from its file (``motcua recovery-keygen``); ValueError, in plain
    Vietnamese, when the file cannot be read or holds no such key."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"Không đọc được tệp khóa khôi phục {path}: {exc.strerror or exc}.") from None
    try:
        return load_x25519_private_pem(data)
    except SealError:
        raise ValueError(f"Tệp {path.name} không phải khóa khôi phục riêng của tỉnh (tệp do «motcua "
                         "recovery-keygen» tạo).") from None


def write_recovery_keypair(path: Path) -> str:
    """A new province recovery key: the private half to ``path`` (0600, refused if it exists), returns the public."""
    key = X25519PrivateKey.generate()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(private_key_pem(key))
    return b64(x25519_public_raw(key))


def public_of(text: str) -> str:
    return b64(unb64(text.strip(), "public key", 32))
