"""Backups of the store file (SQLite's online backup API: consistent while the app runs) and restore.

A backup is sealed by default (privacy/sealed.py): it opens with the administrator's backup passphrase or the
province's recovery key (privacy/backup_keys.py), and holds nothing readable about a citizen. A plain copy is
written only when asked for explicitly. Restore decrypts into a staging file next to the store, checks it is a
sound store, and only then replaces the current one: a wrong passphrase, a changed byte or a file that is not a
store leaves everything as it was.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from motcua.domain.clock import iso, now
from motcua.i18n import tr
from motcua.protocol.sealed import NotSealed, Tampered, decrypt_to, open_data_key, read_sealed, write_sealed
from motcua.protocol.sealing_keys import SealError
from motcua.store import backup_keys
from motcua.store.db import connect

SEALED_SUFFIX = ".motcua-backup"


class BackupKeyMissing(ValueError):
    """No backup passphrase is set on this desk, so a sealed backup cannot be made."""


def backups_dir(data_dir: Path) -> Path:
    return data_dir / "backups"


def copy_database(conn: sqlite3.Connection, target: Path, *, durable: bool = True) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".partial")
    destination = sqlite3.connect(partial)
    try:
        if not durable:  # a staging copy deleted right after: no fsync
            destination.execute("PRAGMA synchronous = OFF")
        conn.backup(destination)
        destination.execute("PRAGMA journal_mode = DELETE")  # a backup is a single self-contained file
    finally:
        destination.close()
    partial.replace(target)
    return target


def default_target(data_dir: Path, plain: bool) -> Path:
    """A new file named by the moment; a second backup within the same second gets «-2», «-3»… and never
    replaces the first."""
    folder, stem = backups_dir(data_dir), f"motcua-{now():%Y%m%d-%H%M%S}"
    suffix = ".sqlite3" if plain else SEALED_SUFFIX
    target, number = folder / f"{stem}{suffix}", 1
    while target.exists():
        number += 1
        target = folder / f"{stem}-{number}{suffix}"
    return target


def backup(conn: sqlite3.Connection, data_dir: Path, target: Path | None = None, *, plain: bool = False) -> Path:
    """A sealed backup (or, with ``plain``, a readable SQLite copy); BackupKeyMissing when no passphrase is set."""
    target = target or default_target(data_dir, plain)
    if plain:
        return copy_database(conn, target)
    keys = backup_keys.backup_keys(conn)
    if keys is None:
        raise BackupKeyMissing(tr("Chưa đặt mật khẩu sao lưu nên không thể mã hóa bản sao lưu. Người quản trị "
                                  "đặt bằng «motcua backup-passphrase» (hoặc dùng --plain nếu chấp nhận bản "
                                  "sao lưu không mã hóa)."))
    data_key = os.urandom(32)
    header = {"format": "motcua-backup", "created_at": iso(now()), "recipients": backup_keys.recipients(keys, data_key)}
    target.parent.mkdir(parents=True, exist_ok=True)
    if _seal_frozen_store(conn, target, header, data_key):
        return target
    staging = target.with_name(f".{target.name}.staging.sqlite3")
    try:
        copy_database(conn, staging, durable=False)
        with open(staging, "rb") as source:
            write_sealed(target, source, header, data_key)
    finally:
        staging.unlink(missing_ok=True)
    return target


def safety_copy(conn: sqlite3.Connection, data_dir: Path, stem: str) -> Path:
    """The data as it is, kept before a migration or a restore changes it: sealed like a backup when a backup
    passphrase is set (it opens with ``motcua restore``), else a plain SQLite copy (the caller says how long it
    is kept)."""
    if backup_keys.backup_keys(conn) is None:
        return copy_database(conn, backups_dir(data_dir) / f"{stem}.sqlite3")
    return backup(conn, data_dir, backups_dir(data_dir) / f"{stem}{SEALED_SUFFIX}")


class _AsRollbackJournal:
    """The store file as read, with its header's write/read versions (bytes 18 and 19) set from WAL (2) to
    rollback journal (1): what ``PRAGMA journal_mode = DELETE`` does, so the copy is one self-contained file."""

    def __init__(self, handle: BinaryIO):
        self.handle = handle
        self.position = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        if self.position < 20 and data:
            patched = bytearray(data)
            for offset in (18, 19):
                if self.position <= offset < self.position + len(patched):
                    patched[offset - self.position] = 1
            data = bytes(patched)
        self.position += len(data)
        return data


def _seal_frozen_store(conn: sqlite3.Connection, target: Path, header: dict[str, Any], data_key: bytes) -> bool:
    """Seal the store file itself in one pass, when it can be frozen: the WAL folded into it and truncated, then
    the write lock held while it is read (no commit and no checkpoint can change it meanwhile; readers go on).
    False, having written nothing, when it cannot (a reader kept the WAL, or a transaction is open): the caller
    then copies through SQLite's online backup first."""
    if conn.in_transaction:
        return False
    path = Path(conn.execute("PRAGMA database_list").fetchone()[2])
    busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    conn.execute("BEGIN IMMEDIATE")
    try:
        wal = Path(f"{path}-wal")
        if busy or (wal.exists() and wal.stat().st_size > 0):
            return False
        with open(path, "rb") as source:
            write_sealed(target, _AsRollbackJournal(source), header, data_key)  # type: ignore[arg-type]
        return True
    finally:
        conn.execute("ROLLBACK")


def validate_backup(path: Path, latest_version: int, shown: Path | None = None) -> int:
    """Check a plain store file before restoring it; return its schema version or raise ValueError."""
    shown = shown or path
    if not path.is_file():
        raise ValueError(tr("Không tìm thấy tệp sao lưu {path}.", path=str(shown)))
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute("SELECT count(*) FROM events").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ValueError(tr("Tệp {path} không phải bản sao lưu hợp lệ: {e}", path=str(shown), e=str(exc))) from exc
    if result != "ok":
        raise ValueError(tr("Tệp sao lưu bị hỏng: {r}", r=result))
    if version > latest_version:
        raise ValueError(tr("Bản sao lưu có phiên bản {v}, mới hơn phần mềm ({l}).", v=version, l=latest_version))
    return int(version)


def unseal_backup(source: Path, staged: Path, *, passphrase: str | None = None,
                  recovery_key: X25519PrivateKey | None = None) -> None:
    """Decrypt a sealed backup into ``staged``; ValueError (nothing left behind) when it cannot be opened."""
    unchanged = tr("Không khôi phục gì; dữ liệu hiện tại giữ nguyên.")
    try:
        sealed = read_sealed(source)
        if sealed.header.get("format") != "motcua-backup":
            raise ValueError(tr("Tệp {path} không phải bản sao lưu của Một Cửa Xã.", path=str(source))
                             + " " + unchanged)
        if recovery_key is not None:
            data_key = open_data_key(sealed, backup_keys.recovery_opener(recovery_key))
        elif passphrase is not None:
            data_key = open_data_key(sealed, backup_keys.passphrase_opener(passphrase))
        else:
            raise ValueError(tr("Bản sao lưu này được mã hóa: cần mật khẩu sao lưu (--passphrase-file, biến môi "
                                "trường MOTCUA_BACKUP_PASSPHRASE, hoặc nhập khi được hỏi) hoặc khóa khôi phục "
                                "của tỉnh (--recovery-key).") + " " + unchanged)
        with open(staged, "wb") as out:
            decrypt_to(sealed, data_key, out)
            out.flush()
            os.fsync(out.fileno())
    except backup_keys.WrongPassphrase:
        staged.unlink(missing_ok=True)
        raise ValueError(tr("Mật khẩu sao lưu không đúng: không mở được bản sao lưu.") + " " + unchanged) from None
    except Tampered as exc:
        staged.unlink(missing_ok=True)
        raise ValueError(tr("Bản sao lưu đã bị sửa đổi hoặc hỏng ({why}).", why=str(exc)) + " " + unchanged) from None
    except NotSealed:
        staged.unlink(missing_ok=True)
        raise
    except SealError as exc:
        staged.unlink(missing_ok=True)
        if recovery_key is not None:
            raise ValueError(tr("Khóa khôi phục này không mở được bản sao lưu: bản sao lưu không được mã hóa cho "
                                "khóa này (khóa của tỉnh khác, hoặc khóa khôi phục được đặt sau lần sao lưu này).")
                             + " " + unchanged) from None
        raise ValueError(f"{tr('Không mở được bản sao lưu')} ({exc}). {unchanged}") from None
    except BaseException:
        staged.unlink(missing_ok=True)
        raise


def restore(store_path: Path, source: Path, latest_version: int, *, passphrase: str | None = None,
            recovery_key: X25519PrivateKey | None = None) -> Path | None:
    """Replace the store with ``source`` after keeping the current file aside; returns where it went
    (None when there was no store yet: restoring onto a new PC). Nobody may have the store open."""
    staged = _staged_restore(store_path, source, latest_version, passphrase, recovery_key)
    return _swap_in(store_path, staged)


def pending_restore_file(store_path: Path) -> Path:
    return store_path.with_suffix(".pending-restore")


def stage_restore(store_path: Path, source: Path, latest_version: int, *, passphrase: str | None = None,
                  recovery_key: X25519PrivateKey | None = None) -> Path:
    """Open and check ``source`` now (ValueError, nothing changed, when it cannot be restored) and leave it
    beside the store, to replace it at the next start (``finish_pending_restore``): the running app keeps the
    store open, and an open file cannot be replaced on Windows."""
    staged = _staged_restore(store_path, source, latest_version, passphrase, recovery_key)
    pending = pending_restore_file(store_path)
    staged.replace(pending)
    return pending


def finish_pending_restore(store_path: Path) -> Path | None:
    """At start, before the store is opened: swap in a restore staged by ``stage_restore``; returns where the
    previous data was kept (None when nothing was pending, or there was no store)."""
    pending = pending_restore_file(store_path)
    if not pending.is_file():
        return None
    return _swap_in(store_path, pending)


def _staged_restore(store_path: Path, source: Path, latest_version: int, passphrase: str | None,
                    recovery_key: X25519PrivateKey | None) -> Path:
    if not source.is_file():
        raise ValueError(tr("Không tìm thấy tệp sao lưu {path}.", path=str(source)))
    store_path.parent.mkdir(parents=True, exist_ok=True)
    staged = store_path.with_suffix(".restoring")
    staged.unlink(missing_ok=True)
    try:
        try:
            unseal_backup(source, staged, passphrase=passphrase, recovery_key=recovery_key)
        except NotSealed:
            shutil.copyfile(source, staged)
        validate_backup(staged, latest_version, source)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    return staged


def _swap_in(store_path: Path, staged: Path) -> Path | None:
    kept: Path | None = None
    if store_path.exists():
        current = connect(store_path)
        try:
            kept = safety_copy(current, store_path.parent, f"before-restore-{now():%Y%m%d-%H%M%S}")
        finally:
            current.close()
    for suffix in ("-wal", "-shm"):
        Path(str(store_path) + suffix).unlink(missing_ok=True)
    staged.replace(store_path)
    return kept
