"""Attachments to the hub: ask which files it lacks, then upload those in resumable chunks.

Content-addressed: a file is its SHA-256. A cut connection resumes at the offset the hub reports.
The hub's "complete" is trusted only after it says so for the whole size; then the hash is
remembered in ``sync_uploaded``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from motcua.domain.clock import iso, now
from motcua.i18n import tr
from motcua.store.attachments import blob_path, hash_file
from motcua.sync.client import HubClient
from motcua.sync.errors import NotAcknowledged, SyncError

CHUNK_SIZE = 64 * 1024
ASK_BATCH = 500


@dataclass
class UploadSummary:
    asked: int = 0
    uploaded_files: int = 0
    uploaded_bytes: int = 0
    already_there: int = 0


def upload_missing(conn: sqlite3.Connection, data_dir: Path, client: HubClient, hashes: Sequence[str],
                   *, chunk_size: int = CHUNK_SIZE,
                   progress: Callable[[str, int, int], None] | None = None) -> UploadSummary:
    summary = UploadSummary()
    for start in range(0, len(hashes), ASK_BATCH):
        batch = list(hashes[start:start + ASK_BATCH])
        summary.asked += len(batch)
        missing = set(client.missing(batch))
        for sha256 in batch:
            if sha256 not in missing:
                summary.already_there += 1
                _confirm(conn, sha256)
                continue
            summary.uploaded_bytes += upload_one(data_dir, client, sha256, chunk_size=chunk_size, progress=progress)
            summary.uploaded_files += 1
            _confirm(conn, sha256)
    return summary


def upload_one(data_dir: Path, client: HubClient, sha256: str, *, chunk_size: int = CHUNK_SIZE,
               progress: Callable[[str, int, int], None] | None = None) -> int:
    """Upload from wherever the hub stopped; returns the bytes sent now."""
    path = blob_path(data_dir, sha256)
    if not path.is_file():
        raise SyncError(tr("Thiếu tệp đính kèm {sha} trên máy này; chạy «motcua check».", sha=sha256[:12]))
    total = path.stat().st_size
    state = client.upload_status(sha256)
    if state.complete:
        return 0
    offset = state.received
    if offset > total or offset < 0:
        offset = 0
    if offset == 0 and hash_file(path)[0] != sha256:
        raise SyncError(tr("Tệp đính kèm {sha} trên máy này đã bị thay đổi; không gửi.", sha=sha256[:12]))
    sent = 0
    with path.open("rb") as handle:
        handle.seek(offset)
        while offset < total or total == 0:
            chunk = handle.read(chunk_size)
            answer = client.put_chunk(sha256, offset, total, chunk)
            received = answer.received
            if received < offset or received > total:
                raise NotAcknowledged(tr("Máy chủ tỉnh xác nhận sai vị trí khi nhận tệp đính kèm."))
            sent += len(chunk)
            if answer.complete:
                if received != total:
                    raise NotAcknowledged(tr("Máy chủ tỉnh báo nhận đủ tệp nhưng sai kích thước."))
                return sent
            if received != offset + len(chunk):
                handle.seek(received)  # the hub kept less (or more) than we sent: follow the hub
            offset = received
            if progress:
                progress(sha256, offset, total)
            if total == 0:
                break
    raise NotAcknowledged(tr("Máy chủ tỉnh chưa xác nhận đã nhận đủ tệp đính kèm {sha}.", sha=sha256[:12]))


def _confirm(conn: sqlite3.Connection, sha256: str) -> None:
    conn.execute("INSERT OR IGNORE INTO sync_uploaded (sha256, confirmed_at) VALUES (?, ?)", (sha256, iso(now())))
