"""Files attached on another desk of the commune: fetched from the hub after a pull, hash-checked.

A pulled ``attachment_added`` event registers the file (so the dossier shows it); its bytes come
here, are written beside their final place, fsynced, checked against the SHA-256, then renamed.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
from pathlib import Path

from motcua.i18n import tr
from motcua.store.attachments import blob_path
from motcua.sync.client import HubClient
from motcua.sync.errors import HubRefused, NotAcknowledged


def files_to_fetch(conn: sqlite3.Connection, data_dir: Path) -> list[str]:
    rows = conn.execute("SELECT DISTINCT a.sha256 FROM attachments a JOIN dossier_attachments d"
                        " ON d.sha256 = a.sha256 JOIN events e ON e.id = d.event_id WHERE e.sync_state = 'remote'")
    return [r[0] for r in rows if not blob_path(data_dir, r[0]).is_file()]


def fetch_missing(conn: sqlite3.Connection, data_dir: Path, client: HubClient) -> int:
    fetched = 0
    for sha256 in files_to_fetch(conn, data_dir):
        try:
            fetch_one(data_dir, client, sha256)
        except HubRefused:
            continue  # not (yet) complete at the hub: the next round tries again
        fetched += 1
    return fetched


def fetch_one(data_dir: Path, client: HubClient, sha256: str) -> None:
    response = client.transport.request("GET", f"/api/v1/attachments/{sha256}")
    if response.status_code >= 400:
        raise HubRefused(tr("Máy chủ tỉnh chưa có tệp đính kèm {sha}.", sha=sha256[:12]))
    data = response.content
    if hashlib.sha256(data).hexdigest() != sha256:
        raise NotAcknowledged(tr("Tệp đính kèm {sha} tải về không khớp mã băm; sẽ tải lại.", sha=sha256[:12]))
    target = blob_path(data_dir, sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp:
        tmp.write(data)
        tmp.flush()
        os.fsync(tmp.fileno())
    os.replace(tmp.name, target)
