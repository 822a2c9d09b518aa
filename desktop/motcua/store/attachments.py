"""Attachment files: content-addressed (SHA-256) under the data directory, deduplicated, checked."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from motcua.domain.clock import iso, now
from motcua.i18n import tr

# Sniffed from the first bytes, never trusted from the file name.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)


class AttachmentError(ValueError):
    pass


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    mime: str


def sniff_mime(head: bytes) -> str | None:
    for signature, mime in _SIGNATURES:
        if head.startswith(signature):
            return mime
    return None


def attachments_root(data_dir: Path) -> Path:
    return data_dir / "attachments"


def blob_path(data_dir: Path, sha256: str) -> Path:
    return attachments_root(data_dir) / sha256[:2] / sha256[2:4] / sha256


def hash_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def store_file(conn: sqlite3.Connection, data_dir: Path, source: Path, *, max_bytes: int) -> StoredFile:
    """Copy ``source`` into the content store (once per content) and register it."""
    if not source.is_file():
        raise AttachmentError(tr("Không tìm thấy tệp {path}.", path=str(source)))
    size = source.stat().st_size
    if size == 0:
        raise AttachmentError(tr("Tệp {name} rỗng.", name=source.name))
    if size > max_bytes:
        raise AttachmentError(tr("Tệp {name} nặng {mb:.1f} MB, vượt giới hạn {limit} MB.",
                                 name=source.name, mb=size / 1e6, limit=max_bytes // 1_000_000))
    with source.open("rb") as handle:
        mime = sniff_mime(handle.read(16))
    if mime is None:
        raise AttachmentError(tr("Tệp {name} không phải PDF, JPEG, PNG hoặc TIFF.", name=source.name))
    sha256, size = hash_file(source)
    target = blob_path(data_dir, sha256)
    if not target.exists() or hash_file(target)[0] != sha256:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write beside the target, flush to disk, then rename: a crash leaves no half-written blob.
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp, source.open("rb") as src:
            while chunk := src.read(1 << 20):
                tmp.write(chunk)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp.name, target)
    conn.execute("INSERT OR IGNORE INTO attachments (sha256, size, mime, stored_at) VALUES (?, ?, ?, ?)",
                 (sha256, size, mime, iso(now())))
    return StoredFile(sha256, size, mime)


def verify_all(conn: sqlite3.Connection, data_dir: Path) -> list[str]:
    """Problems with stored files: missing, or content no longer matching its hash."""
    problems = []
    for row in conn.execute("SELECT sha256, size FROM attachments ORDER BY sha256"):
        path = blob_path(data_dir, row["sha256"])
        if not path.exists():
            problems.append(f"attachment {row['sha256']} is missing ({path})")
            continue
        digest, size = hash_file(path)
        if digest != row["sha256"] or size != row["size"]:
            problems.append(f"attachment {row['sha256']} is altered (now {digest}, {size} bytes)")
    return problems
