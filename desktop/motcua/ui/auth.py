"""Users, roles and what each role may do; passwords hashed with scrypt and a per-user salt.

No Qt here: the sign-in dialog (``signin.py``) and the settings page use these functions, and the
worker jobs check ``require`` again before calling a service, so a button shown by mistake still
cannot act beyond the role.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import sqlite3
from dataclasses import dataclass

from motcua.domain.clock import iso, now
from motcua.domain.text import clean
from motcua.i18n import tr
from motcua.services.validation import Collector, ValidationFailed

ROLES = ("receiver", "specialist", "leader", "admin")
ROLE_LABELS = {
    "receiver": "Cán bộ tiếp nhận",
    "specialist": "Công chức chuyên môn",
    "leader": "Lãnh đạo",
    "admin": "Quản trị hệ thống",
}

# Permissions that are not dossier events.
INTAKE = "intake"
MANAGE_USERS = "manage_users"
EDIT_SETTINGS = "edit_settings"
CONNECT_PROVINCE = "connect_province"   # enrol this installation with the provincial hub

_DESK = frozenset({INTAKE, "received", "refused", "handed_over", "supplement_requested", "supplemented",
                   "fee_paid", "withdrawn", "returned", "rescheduled", "documents_updated", "attachment_added",
                   "note"})
_PROCESSING = frozenset({"handed_over", "supplement_requested", "supplemented", "fee_requested", "fee_paid",
                         "stopped", "resolved", "rescheduled", "documents_updated", "attachment_added", "note"})
_ALL_ACTIONS = _DESK | _PROCESSING

# The role → allowed actions table, as data. A leader decides; only an administrator manages accounts
# and connects the installation to the province.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "receiver": _DESK,
    "specialist": _PROCESSING,
    "leader": _ALL_ACTIONS,
    "admin": _ALL_ACTIONS | {MANAGE_USERS, EDIT_SETTINGS, CONNECT_PROVINCE},
}

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,31}$")
MIN_PASSWORD = 8
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P, _DKLEN = 2**14, 8, 1, 32


class PermissionDenied(PermissionError):
    """The signed-in role may not do this."""


@dataclass(frozen=True)
class User:
    username: str
    full_name: str
    role: str
    active: bool = True

    @property
    def role_label(self) -> str:
        return tr(ROLE_LABELS[self.role])

    def may(self, permission: str) -> bool:
        return may(self.role, permission)


def may(role: str, permission: str) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def require(user: User, permission: str) -> None:
    if not user.may(permission):
        raise PermissionDenied(tr("Tài khoản «{u}» ({role}) không có quyền thực hiện thao tác này.",
                                  u=user.username, role=user.role_label))


# -- passwords -----------------------------------------------------------------------------------
def hash_password(password: str, *, salt: bytes | None = None) -> str:
    if salt is None:
        import secrets

        salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P,
                            dklen=_DKLEN)
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt_hex), n=int(n), r=int(r),
                                p=int(p), dklen=len(digest_hex) // 2)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, bytes.fromhex(digest_hex))


# -- the users table -----------------------------------------------------------------------------
def _user(row: sqlite3.Row) -> User:
    return User(row["username"], row["full_name"], row["role"], bool(row["active"]))


def user_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM users").fetchone()[0])


def list_users(conn: sqlite3.Connection) -> list[User]:
    return [_user(r) for r in conn.execute("SELECT * FROM users ORDER BY role, username")]


def get_user(conn: sqlite3.Connection, username: str) -> User | None:
    row = conn.execute("SELECT * FROM users WHERE username = ?", (username.strip().lower(),)).fetchone()
    return _user(row) if row else None


def check_new_user(username: str, full_name: str, role: str, password: str, confirm: str | None = None) -> None:
    errors = Collector()
    if not _USERNAME.match(username):
        errors.add("username", tr("Tên đăng nhập gồm 3–32 ký tự: chữ thường không dấu, số, dấu chấm, gạch."))
    errors.require("full_name", clean(full_name), tr("họ và tên"))
    if role not in ROLES:
        errors.add("role", tr("Vai trò không hợp lệ."))
    if len(password) < MIN_PASSWORD:
        errors.add("password", tr("Mật khẩu cần ít nhất {n} ký tự.", n=MIN_PASSWORD))
    elif confirm is not None and confirm != password:
        errors.add("confirm", tr("Mật khẩu nhập lại không khớp."))
    errors.raise_if_any()


def create_user(conn: sqlite3.Connection, username: str, full_name: str, role: str, password: str) -> User:
    """Add an account (call inside a transaction)."""
    username = username.strip().lower()
    check_new_user(username, full_name, role, password)
    if get_user(conn, username) is not None:
        raise ValidationFailed({"username": tr("Tên đăng nhập «{u}» đã có.", u=username)})
    conn.execute(
        "INSERT INTO users (username, full_name, role, password_hash, active, created_at) VALUES (?, ?, ?, ?, 1, ?)",
        (username, clean(full_name), role, hash_password(password), iso(now())),
    )
    return User(username, clean(full_name), role)


def set_password(conn: sqlite3.Connection, username: str, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationFailed({"password": tr("Mật khẩu cần ít nhất {n} ký tự.", n=MIN_PASSWORD)})
    conn.execute("UPDATE users SET password_hash = ? WHERE username = ?", (hash_password(password), username))


def set_active(conn: sqlite3.Connection, username: str, active: bool) -> None:
    if not active:
        admins = conn.execute("SELECT count(*) FROM users WHERE role = 'admin' AND active = 1 AND username != ?",
                              (username,)).fetchone()[0]
        target = get_user(conn, username)
        if target is not None and target.role == "admin" and admins == 0:
            raise ValidationFailed({"active": tr("Phải còn ít nhất một quản trị hệ thống đang hoạt động.")})
    conn.execute("UPDATE users SET active = ? WHERE username = ?", (int(active), username))


@functools.cache
def _dummy_hash() -> str:
    return hash_password("motcua-no-such-user", salt=b"\0" * 16)


def authenticate(conn: sqlite3.Connection, username: str, password: str) -> User | None:
    """The active user with this name and password, or None (same work whether or not the name exists)."""
    row = conn.execute("SELECT * FROM users WHERE username = ?", (username.strip().lower(),)).fetchone()
    ok = verify_password(password, row["password_hash"] if row else _dummy_hash())
    if row is None or not ok or not row["active"]:
        return None
    return _user(row)
