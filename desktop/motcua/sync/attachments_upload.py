"""Attachments to the hub: ask which files it lacks, then upload those in resumable chunks.

Content-addressed: a file is its SHA-256. Up to three files go at once, each on its own connection.
Every chunk acknowledgement says how many bytes the hub
holds; the upload always follows that number (and remembers it, so a cut connection resumes where
the hub stopped, without an extra round trip). Chunks start at 64 KB and grow while the link keeps
up (to 1 MB), shrinking again after a failure: on a bad line little is resent, on a good one few
round trips are spent. The hub's "complete" is trusted only for the whole size; then the hash is
remembered in ``sync_uploaded``.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from motcua.domain.clock import iso, now
from motcua.i18n import tr
from motcua.store.attachments import blob_path, hash_file
from motcua.sync.client import HubClient
from motcua.sync.errors import NotAcknowledged, SyncError

CHUNK_SIZE = 64 * 1024
MAX_CHUNK_SIZE = 1024 * 1024
TARGET_CHUNK_SECONDS = 2.0
ASK_BATCH = 500
UPLOAD_WORKERS = 3


@dataclass
class ChunkSizer:
    size: int = CHUNK_SIZE
    minimum: int = 16 * 1024
    maximum: int = MAX_CHUNK_SIZE

    def after_success(self, seconds: float, sent: int) -> None:
        if sent >= self.size and seconds < TARGET_CHUNK_SECONDS / 2:
            self.size = min(self.maximum, self.size * 2)
        elif seconds > TARGET_CHUNK_SECONDS * 2:
            self.size = max(self.minimum, self.size // 2)

    def after_failure(self) -> None:
        self.size = max(self.minimum, self.size // 2)


@dataclass
class UploadSummary:
    asked: int = 0
    uploaded_files: int = 0
    uploaded_bytes: int = 0
    already_there: int = 0


def upload_missing(conn: sqlite3.Connection, data_dir: Path, client: HubClient, hashes: Sequence[str],
                   *, chunk_size: int = CHUNK_SIZE, workers: int = UPLOAD_WORKERS,
                   progress: Callable[[str, int, int], None] | None = None) -> UploadSummary:
    """Upload what the hub lacks, ``workers`` files at a time (each on its own connection, so one
    file's round trips and loss recoveries overlap another's transfer). Only this thread touches the
    database: the hub's acknowledged offsets are collected and written here."""
    summary = UploadSummary()
    sizer = ChunkSizer(chunk_size, maximum=max(chunk_size, MAX_CHUNK_SIZE))
    offsets: dict[str, int] = {}
    lock = threading.Lock()

    def note(sha256: str, offset: int, total: int) -> None:
        with lock:
            offsets[sha256] = offset
        if progress:
            progress(sha256, offset, total)

    for start in range(0, len(hashes), ASK_BATCH):
        batch = list(hashes[start:start + ASK_BATCH])
        summary.asked += len(batch)
        missing = set(client.missing(batch))
        for sha256 in batch:
            if sha256 not in missing:
                summary.already_there += 1
                _confirm(conn, sha256)
        todo = [(sha, _remembered(conn, sha)) for sha in batch if sha in missing]
        first_error: BaseException | None = None
        clients = [client] + [client.clone() for _ in range(max(0, min(workers, len(todo)) - 1))]
        pool = ThreadPoolExecutor(max_workers=len(clients)) if len(clients) > 1 else None
        try:
            free = list(clients)
            running: dict[Future[int], tuple[str, HubClient]] = {}
            queue = list(todo)
            while queue or running:
                while queue and free and first_error is None:
                    sha, offset = queue.pop(0)
                    worker = free.pop()
                    call = (upload_one, data_dir, worker, sha, sizer, offset, note)
                    future: Future[int] = pool.submit(*call) if pool else _done(*call)
                    running[future] = (sha, worker)
                if not running:
                    break
                finished, _ = wait(list(running), return_when=FIRST_COMPLETED)
                for future in finished:
                    sha, worker = running.pop(future)
                    free.append(worker)
                    error = future.exception()
                    if error is None:
                        summary.uploaded_bytes += future.result()
                        summary.uploaded_files += 1
                        _confirm(conn, sha)
                    else:
                        first_error = first_error or error
                    with lock:
                        remembered = offsets.pop(sha, None)
                    if error is not None and remembered is not None:
                        _remember(conn, sha, remembered)
        finally:
            if pool:
                pool.shutdown(wait=True)
            for extra in clients[1:]:
                extra.transport.close()
        if first_error is not None:
            raise first_error
    return summary


def _done(function: Callable[..., int], *args: object) -> Future[int]:
    future: Future[int] = Future()
    try:
        future.set_result(function(*args))
    except Exception as exc:
        future.set_exception(exc)
    return future


def upload_one(data_dir: Path, client: HubClient, sha256: str, sizer: ChunkSizer, offset: int = 0,
               note: Callable[[str, int, int], None] | None = None) -> int:
    """Upload from ``offset`` (where we believe the hub stopped), following the hub's acknowledged
    offsets; returns the bytes sent now. Touches no database (it may run in a worker thread)."""
    path = blob_path(data_dir, sha256)
    if not path.is_file():
        raise SyncError(tr("Thiếu tệp đính kèm {sha} trên máy này; chạy «motcua check».", sha=sha256[:12]))
    total = path.stat().st_size
    if offset == 0 and hash_file(path)[0] != sha256:
        raise SyncError(tr("Tệp đính kèm {sha} trên máy này đã bị thay đổi; không gửi.", sha=sha256[:12]))
    offset = min(offset, total)
    sent = 0
    with path.open("rb") as handle:
        for _ in range(10_000):
            handle.seek(offset)
            chunk = handle.read(sizer.size)
            started = time.monotonic()
            try:
                answer = client.put_chunk(sha256, offset, total, chunk)
            except SyncError:
                sizer.after_failure()
                raise
            if answer.received > total:
                raise NotAcknowledged(tr("Máy chủ tỉnh xác nhận sai vị trí khi nhận tệp đính kèm."))
            if answer.complete:
                if answer.received != total:
                    raise NotAcknowledged(tr("Máy chủ tỉnh báo nhận đủ tệp nhưng sai kích thước."))
                return sent + len(chunk)
            if answer.received == offset + len(chunk):
                sent += len(chunk)
                sizer.after_success(time.monotonic() - started, len(chunk))
            offset = answer.received  # follow the hub: it may hold less (or more) than we thought
            if note:
                note(sha256, offset, total)
    raise NotAcknowledged(tr("Máy chủ tỉnh chưa xác nhận đã nhận đủ tệp đính kèm {sha}.", sha=sha256[:12]))


def _remembered(conn: sqlite3.Connection, sha256: str) -> int:
    row = conn.execute("SELECT received FROM sync_upload_progress WHERE sha256 = ?", (sha256,)).fetchone()
    return int(row[0]) if row else 0


def _remember(conn: sqlite3.Connection, sha256: str, received: int) -> None:
    conn.execute("INSERT INTO sync_upload_progress (sha256, received, updated_at) VALUES (?, ?, ?)"
                 " ON CONFLICT (sha256) DO UPDATE SET received = excluded.received, updated_at = excluded.updated_at",
                 (sha256, received, iso(now())))


def _forget(conn: sqlite3.Connection, sha256: str) -> None:
    conn.execute("DELETE FROM sync_upload_progress WHERE sha256 = ?", (sha256,))


def _confirm(conn: sqlite3.Connection, sha256: str) -> None:
    conn.execute("INSERT OR IGNORE INTO sync_uploaded (sha256, confirmed_at) VALUES (?, ?)", (sha256, iso(now())))
    _forget(conn, sha256)
