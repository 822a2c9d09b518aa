"""Accounts: who may sign in, which roles each holds, what each role may do; scrypt password hashes.

Roles are data: ``user_roles`` (migration 0004) holds every role of a person (a desk officer may also
be the administrator); ``users.role`` stays the primary role for readers that want one. What each role
may do is the one table ``ROLE_PERMISSIONS``. The window (sign-in, settings, the writer jobs) and the
command line (``--actor``) both ask this module, so a button shown by mistake or a typed actor name
still cannot act beyond the account's roles.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from motcua.domain.clock import iso, now
from motcua.domain.events import EventType
from motcua.domain.text import clean, fold
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

_DESK = frozenset({
    INTAKE, EventType.RECEIVED, EventType.REFUSED, EventType.HANDED_OVER, EventType.SUPPLEMENT_REQUESTED,
    EventType.SUPPLEMENTED, EventType.FEE_PAID, EventType.WITHDRAWN, EventType.RETURNED, EventType.RESCHEDULED,
    EventType.DOCUMENTS_UPDATED, EventType.ATTACHMENT_ADDED, EventType.NOTE,
})
_PROCESSING = frozenset({
    EventType.HANDED_OVER, EventType.SUPPLEMENT_REQUESTED, EventType.SUPPLEMENTED, EventType.FEE_REQUESTED,
    EventType.FEE_PAID, EventType.STOPPED, EventType.RESCHEDULED, EventType.DOCUMENTS_UPDATED,
    EventType.ATTACHMENT_ADDED, EventType.NOTE,
})
# The leader approves and signs: the decision (resolved) is theirs, after the specialist's work.
_ALL_ACTIONS = _DESK | _PROCESSING | {EventType.RESOLVED}

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


class NoSuchAccount(LookupError):
    """A name that is no account, or an account that is not active."""


@dataclass(frozen=True)
class User:
    username: str
    full_name: str
    role: str                       # the primary role (``users.role``)
    active: bool = True
    roles: tuple[str, ...] = ()     # every role held, the primary first; empty = the primary only

    def __post_init__(self) -> None:
        held = [self.role, *(r for r in self.roles if r != self.role)]
        object.__setattr__(self, "roles", tuple(r for r in ROLES if r in held))

    @property
    def role_label(self) -> str:
        return ", ".join(tr(ROLE_LABELS[r]) for r in self.roles)

    @property
    def display(self) -> str:
        """«Full Name (login)», as a person is picked in lists."""
        return f"{self.full_name} ({self.username})"

    def holds(self, role: str) -> bool:
        return role in self.roles

    def may(self, permission: str) -> bool:
        return any(may(role, permission) for role in self.roles)


def may(role: str, permission: str) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def roles_allowed(permission: str) -> list[str]:
    """The roles that may do ``permission``, in the usual order (for messages)."""
    return [role for role in ROLES if may(role, permission)]


def require(user: User, permission: str) -> None:
    if not user.may(permission):
        raise PermissionDenied(tr("Tài khoản «{u}» ({role}) không có quyền thực hiện thao tác này.",
                                  u=user.username, role=user.role_label))


def acting_user(conn: sqlite3.Connection, username: str, permission: str | None = None) -> User:
    """The active account acting as ``username``, checked for ``permission``.

    Raises ``NoSuchAccount`` (no such account, or deactivated) or ``PermissionDenied`` (no role that
    may), each naming what is wrong; nothing is written either way."""
    user = get_user(conn, username)
    if user is None and user_count(conn) == 0:
        raise NoSuchAccount(tr("Chưa có tài khoản nào: tạo quản trị hệ thống đầu tiên bằng «motcua init --admin "
                               "TÊN --admin-name \"Họ tên\"» (mật khẩu qua stdin), rồi thêm người bằng "
                               "«motcua user add»."))
    if user is None:
        raise NoSuchAccount(tr("Không có tài khoản «{u}»; người thực hiện phải là một tài khoản của xã "
                               "(xem «motcua user list»).", u=username.strip()))
    if not user.active:
        raise NoSuchAccount(tr("Tài khoản «{u}» đã bị khóa, không thực hiện được thao tác.", u=user.username))
    if permission is not None and not user.may(permission):
        allowed = ", ".join(tr(ROLE_LABELS[r]) for r in roles_allowed(permission))
        raise PermissionDenied(tr("Tài khoản «{u}» ({role}) không có quyền thực hiện thao tác này; "
                                  "cần vai trò: {allowed}.", u=user.username, role=user.role_label,
                                  allowed=allowed or tr("không vai trò nào")))
    return user


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
def _roles_of(conn: sqlite3.Connection, username: str) -> tuple[str, ...]:
    return tuple(r[0] for r in conn.execute("SELECT role FROM user_roles WHERE username = ?", (username,)))


def _user(conn: sqlite3.Connection, row: sqlite3.Row) -> User:
    return User(row["username"], row["full_name"], row["role"], bool(row["active"]),
                _roles_of(conn, row["username"]))


def user_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM users").fetchone()[0])


def list_users(conn: sqlite3.Connection) -> list[User]:
    return [_user(conn, r) for r in conn.execute("SELECT * FROM users ORDER BY role, username")]


def users_with_role(conn: sqlite3.Connection, roles: Iterable[str], *, active_only: bool = True) -> list[User]:
    """The accounts holding any of ``roles`` (active ones unless asked), by full name."""
    wanted = set(roles)
    found = [u for u in list_users(conn) if wanted & set(u.roles) and (u.active or not active_only)]
    return sorted(found, key=lambda u: (fold(u.full_name), u.username))


def full_names(conn: sqlite3.Connection) -> dict[str, str]:
    return {r[0]: r[1] for r in conn.execute("SELECT username, full_name FROM users")}


def get_user(conn: sqlite3.Connection, username: str) -> User | None:
    row = conn.execute("SELECT * FROM users WHERE username = ?", (username.strip().lower(),)).fetchone()
    return _user(conn, row) if row else None


def check_new_user(username: str, full_name: str, role: str, password: str, confirm: str | None = None,
                   *, extra_roles: Iterable[str] = ()) -> None:
    errors = Collector()
    if not _USERNAME.match(username):
        errors.add("username", tr("Tên đăng nhập gồm 3–32 ký tự: chữ thường không dấu, số, dấu chấm, gạch."))
    errors.require("full_name", clean(full_name), tr("họ và tên"))
    if role not in ROLES or any(r not in ROLES for r in extra_roles):
        errors.add("role", tr("Vai trò không hợp lệ: chọn trong {roles}.", roles=", ".join(ROLES)))
    if len(password) < MIN_PASSWORD:
        errors.add("password", tr("Mật khẩu cần ít nhất {n} ký tự.", n=MIN_PASSWORD))
    elif confirm is not None and confirm != password:
        errors.add("confirm", tr("Mật khẩu nhập lại không khớp."))
    errors.raise_if_any()


def create_user(conn: sqlite3.Connection, username: str, full_name: str, role: str, password: str,
                *, extra_roles: Iterable[str] = ()) -> User:
    """Add an account holding ``role`` (its primary) and ``extra_roles`` (call inside a transaction)."""
    username = username.strip().lower()
    extra = tuple(extra_roles)
    check_new_user(username, full_name, role, password, extra_roles=extra)
    if get_user(conn, username) is not None:
        raise ValidationFailed({"username": tr("Tên đăng nhập «{u}» đã có.", u=username)})
    conn.execute(
        "INSERT INTO users (username, full_name, role, password_hash, active, created_at) VALUES (?, ?, ?, ?, 1, ?)",
        (username, clean(full_name), role, hash_password(password), iso(now())),
    )
    user = User(username, clean(full_name), role, roles=extra)
    conn.executemany("INSERT OR IGNORE INTO user_roles (username, role) VALUES (?, ?)",
                     [(username, r) for r in user.roles])
    return user


def set_roles(conn: sqlite3.Connection, username: str, roles: Iterable[str]) -> User:
    """Give an account exactly ``roles`` (the first is its primary; call inside a transaction)."""
    wanted = [r for r in dict.fromkeys(roles)]
    target = get_user(conn, username)
    if target is None:
        raise NoSuchAccount(tr("Không có tài khoản «{u}».", u=username))
    if not wanted or any(r not in ROLES for r in wanted):
        raise ValidationFailed({"role": tr("Vai trò không hợp lệ: chọn trong {roles}.", roles=", ".join(ROLES))})
    last_admin = target.active and _other_active_admins(conn, username) == 0
    if "admin" in target.roles and "admin" not in wanted and last_admin:
        raise ValidationFailed({"role": tr("Phải còn ít nhất một quản trị hệ thống đang hoạt động.")})
    conn.execute("UPDATE users SET role = ? WHERE username = ?", (wanted[0], target.username))
    conn.execute("DELETE FROM user_roles WHERE username = ?", (target.username,))
    conn.executemany("INSERT INTO user_roles (username, role) VALUES (?, ?)", [(target.username, r) for r in wanted])
    user = get_user(conn, target.username)
    assert user is not None
    return user


def _other_active_admins(conn: sqlite3.Connection, username: str) -> int:
    return sum(1 for u in list_users(conn) if u.active and u.holds("admin") and u.username != username)


def set_password(conn: sqlite3.Connection, username: str, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationFailed({"password": tr("Mật khẩu cần ít nhất {n} ký tự.", n=MIN_PASSWORD)})
    conn.execute("UPDATE users SET password_hash = ? WHERE username = ?", (hash_password(password), username))


def set_active(conn: sqlite3.Connection, username: str, active: bool) -> None:
    if not active:
        target = get_user(conn, username)
        if target is not None and target.holds("admin") and _other_active_admins(conn, username) == 0:
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
    return _user(conn, row)


def check_recipient(conn: sqlite3.Connection, username: str, roles: Iterable[str], step_title: str) -> User:
    """The active account ``username`` if it holds one of ``roles`` (the roles of the step it is to take).

    Raises ``ValidationFailed`` on the ``to`` field, naming what is wrong: no such account, a locked
    account, or an account whose roles may not take the step."""
    wanted = tuple(roles)
    user = get_user(conn, username) if username.strip() else None
    if not username.strip():
        raise ValidationFailed({"to": tr("Chưa chọn người nhận.")})
    if user is None:
        raise ValidationFailed({"to": tr("Không có tài khoản «{u}»; chỉ chuyển cho một tài khoản của xã.",
                                         u=username.strip())})
    if not user.active:
        raise ValidationFailed({"to": tr("Tài khoản «{u}» đã bị khóa; không chuyển hồ sơ cho tài khoản đã khóa.",
                                         u=user.username)})
    if not set(wanted) & set(user.roles):
        needed = ", ".join(tr(ROLE_LABELS[r]) for r in wanted)
        raise ValidationFailed({"to": tr("{who} là {role}, không nhận được bước «{step}» (cần: {needed}).",
                                         who=user.display, role=user.role_label, step=step_title, needed=needed)})
    return user


def no_one_for(roles: Iterable[str]) -> str:
    """What to say when no active account may take a step."""
    return tr("Chưa có tài khoản {roles} — thêm ở Cài đặt.",
              roles=" / ".join(tr(ROLE_LABELS[r]).lower() for r in roles))
