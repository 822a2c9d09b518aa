"""Content-addressed attachments per commune, uploaded in resumable chunks.

Bytes on disk are the truth about progress: ``<root>/<commune>/<sha256>.part`` grows chunk by chunk
(each fsynced before it is acknowledged); when it reaches the declared size its SHA-256 is checked and
it becomes ``<root>/<commune>/<sha256>``, or it is discarded on a mismatch.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from sqlalchemy import delete, insert, select, update

from motcua.domain.clock import iso, now
from motcua.hub.errors import HubError, conflict, invalid, not_found
from motcua.hub.store import tables as t
from motcua.hub.store.database import HubDatabase
from motcua.protocol.messages import MAX_CHUNK_BYTES, ChunkAck, is_sha256

_locks: dict[tuple[str, str], threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock(commune: str, sha256: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault((commune, sha256), threading.Lock())


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class AttachmentStore:
    def __init__(self, db: HubDatabase, root: Path, max_bytes: int) -> None:
        self.db = db
        self.root = root
        self.max_bytes = max_bytes

    def final_path(self, commune: str, sha256: str) -> Path:
        return self.root / commune / sha256

    def _part_path(self, commune: str, sha256: str) -> Path:
        return self.root / commune / f"{sha256}.part"

    def _check_hash(self, sha256: str) -> None:
        if not is_sha256(sha256):
            raise invalid(f"{sha256!r} is not a lowercase SHA-256 hex string")

    def missing(self, commune: str, hashes: list[str]) -> list[str]:
        if not hashes:
            return []
        with self.db.read() as conn:
            have = set(conn.execute(select(t.attachments.c.sha256).where(
                t.attachments.c.commune_code == commune, t.attachments.c.complete == 1,
                t.attachments.c.sha256.in_(hashes))).scalars())
        return [h for h in dict.fromkeys(hashes) if h not in have]

    def status(self, commune: str, sha256: str) -> ChunkAck:
        self._check_hash(sha256)
        with self.db.read() as conn:
            row = conn.execute(select(t.attachments.c.total_size, t.attachments.c.complete).where(
                t.attachments.c.commune_code == commune, t.attachments.c.sha256 == sha256)).first()
        if row is not None and row.complete:
            return ChunkAck(int(row.total_size), True)
        part = self._part_path(commune, sha256)
        return ChunkAck(part.stat().st_size if row is not None and part.exists() else 0, False)

    def put_chunk(self, commune: str, sha256: str, offset: int, total: int, data: bytes) -> ChunkAck:
        self._check_hash(sha256)
        if total < 1 or total > self.max_bytes:
            raise HubError(413, "too_large", f"X-Total-Size must be between 1 and {self.max_bytes} bytes")
        if len(data) > MAX_CHUNK_BYTES:
            raise HubError(413, "too_large", f"a chunk may hold at most {MAX_CHUNK_BYTES} bytes")
        if offset < 0 or offset + len(data) > total:
            raise invalid(f"chunk [{offset}, {offset + len(data)}) does not fit in X-Total-Size {total}")
        if not data and offset != total:
            raise invalid("an empty chunk is only allowed to finish an upload")
        with _lock(commune, sha256):
            with self.db.write() as conn:
                row = conn.execute(select(t.attachments.c.total_size, t.attachments.c.complete).where(
                    t.attachments.c.commune_code == commune, t.attachments.c.sha256 == sha256)).first()
                if row is None:
                    conn.execute(insert(t.attachments).values(commune_code=commune, sha256=sha256, total_size=total,
                                                              complete=0, created_at=iso(now())))
                elif row.complete:
                    return ChunkAck(int(row.total_size), True)
                elif int(row.total_size) != total:
                    raise conflict(f"an upload of {sha256} with X-Total-Size {row.total_size} is in progress; "
                                   f"this chunk says {total}", received=self._received(commune, sha256))
            received = self._write(commune, sha256, offset, data)
            if received < total:
                return ChunkAck(received, False)
            return self._finish(commune, sha256, total)

    def _received(self, commune: str, sha256: str) -> int:
        part = self._part_path(commune, sha256)
        return part.stat().st_size if part.exists() else 0

    def _write(self, commune: str, sha256: str, offset: int, data: bytes) -> int:
        part = self._part_path(commune, sha256)
        part.parent.mkdir(parents=True, exist_ok=True)
        have = part.stat().st_size if part.exists() else 0
        if offset > have:
            raise conflict(f"offset {offset} is beyond the {have} bytes received so far; resume at {have}",
                           received=have)
        with part.open("r+b" if part.exists() else "wb") as handle:
            handle.truncate(offset)
            handle.seek(offset)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        return offset + len(data)

    def _finish(self, commune: str, sha256: str, total: int) -> ChunkAck:
        part = self._part_path(commune, sha256)
        actual = file_sha256(part)
        if actual != sha256:
            part.unlink(missing_ok=True)
            with self.db.write() as conn:
                conn.execute(delete(t.attachments).where(t.attachments.c.commune_code == commune,
                                                         t.attachments.c.sha256 == sha256))
            raise HubError(422, "hash_mismatch", f"the {total} bytes received hash to {actual}, not {sha256}; "
                           "the upload was discarded, send the file again")
        final = self.final_path(commune, sha256)
        os.replace(part, final)
        _fsync_dir(final.parent)
        with self.db.write() as conn:
            conn.execute(update(t.attachments).where(t.attachments.c.commune_code == commune,
                                                     t.attachments.c.sha256 == sha256)
                         .values(complete=1, completed_at=iso(now())))
        return ChunkAck(total, True)

    def store_whole(self, commune: str, sha256: str, data: bytes) -> None:
        """A file that arrived whole (USB bundle), already hash-checked by the caller."""
        if self.status(commune, sha256).complete:
            return
        for start in range(0, len(data), MAX_CHUNK_BYTES):
            self.put_chunk(commune, sha256, start, len(data), data[start:start + MAX_CHUNK_BYTES])

    def open_complete(self, commune: str, sha256: str) -> Path:
        self._check_hash(sha256)
        if not self.status(commune, sha256).complete:
            raise not_found(f"attachment {sha256} is not stored for commune {commune}")
        return self.final_path(commune, sha256)
