"""One sync round: upload missing attachments, push the outbox, pull until caught up.

Each step commits what the hub acknowledged as it goes, so a round cut anywhere resumes cleanly.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from motcua.domain.clock import iso, now
from motcua.i18n import tr
from motcua.services.changes import Changes
from motcua.store.db import transaction
from motcua.sync.attachments_download import fetch_missing
from motcua.sync.attachments_upload import CHUNK_SIZE, upload_missing
from motcua.sync.client import HubClient
from motcua.sync.clock_watch import note_local_time, observe_hub_time
from motcua.sync.credentials import load_credentials
from motcua.sync.errors import NotEnrolled, SyncError
from motcua.sync.meta import get_meta, put_meta
from motcua.sync.outbox import BATCH_SIZE, apply_acknowledgements, pending_attachment_hashes, pending_batch, wire_event
from motcua.sync.pull import PAGE_SIZE, PullSummary, apply_page, cursor
from motcua.sync.reports_upload import send_reports
from motcua.sync.transport import Transport

ROUND_SECONDS = 55.0   # a round's overall deadline; what was acknowledged before it stays done


@dataclass
class RoundResult:
    pushed: int = 0
    quarantined: int = 0
    pulled: int = 0
    uploaded_files: int = 0
    uploaded_bytes: int = 0
    downloaded_files: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    dossier_ids: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)

    def changes(self) -> Changes:
        """What a view may need to redraw after this round (the sync badge always)."""
        return Changes(frozenset(self.dossier_ids), dossiers=bool(self.dossier_ids), catalog="catalog" in self.kinds,
                       calendar="calendar" in self.kinds, sync=True)


@dataclass(frozen=True)
class HubConfig:
    url: str
    ca_file: str | None
    device_id: str
    commune_code: str
    proxy: str | None = None


def hub_config(conn: sqlite3.Connection) -> HubConfig:
    url = get_meta(conn, "hub_url")
    if not url:
        raise NotEnrolled(tr("Máy này chưa được đăng ký với máy chủ tỉnh: chạy «motcua sync enroll»."))
    return HubConfig(str(url), get_meta(conn, "ca_file"), str(get_meta(conn, "hub_device_id", "")),
                     str(get_meta(conn, "commune_code", "")), get_meta(conn, "proxy"))


def make_client(conn: sqlite3.Connection, **client_options: object) -> HubClient:
    config = hub_config(conn)
    credentials = load_credentials(conn)
    transport = Transport(config.url, token=credentials.token, ca_file=config.ca_file, proxy=config.proxy)
    return HubClient(transport, **client_options)  # type: ignore[arg-type]


def sync_round(conn: sqlite3.Connection, data_dir: Path, client: HubClient | None = None, *,
               batch_size: int = BATCH_SIZE, page_size: int = PAGE_SIZE, chunk_size: int = CHUNK_SIZE,
               round_seconds: float = ROUND_SECONDS) -> RoundResult:
    """Run one full round; records success or the reason of failure, then re-raises failures.

    No request starts, and none waits in silence, after ``round_seconds``: a hub that accepts and never
    answers ends the round with RoundTimedOut (retried on the timer), not after minutes of retries."""
    started = now()
    result = RoundResult()
    own_client = client is None
    note_local_time(conn, started)
    try:
        client = client or make_client(conn)
        counter = client.transport.counter
        sent0, received0 = counter.sent, counter.received
        client.transport.deadline = time.monotonic() + round_seconds
        try:
            config = hub_config(conn)
            _upload(conn, data_dir, client, result, chunk_size)
            _push(conn, client, config.device_id, result, batch_size)
            _pull(conn, client, result, page_size)
            result.downloaded_files = fetch_missing(conn, data_dir, client)
            send_reports(conn, client)  # this and last month's figures to the province, when changed
        finally:
            client.transport.deadline = None
            result.bytes_sent = counter.sent - sent0
            result.bytes_received = counter.received - received0
            if own_client:
                client.transport.close()
    except SyncError as exc:
        _log(conn, started, ok=False, result=result, error=str(exc), retry=exc.retry)
        raise
    except Exception as exc:  # a bug or a hub speaking nonsense: still shown, still retried
        _log(conn, started, ok=False, result=result, error=tr("Lỗi không mong đợi khi đồng bộ: {e}", e=repr(exc)))
        raise
    _log(conn, started, ok=True, result=result)
    return result


def _upload(conn: sqlite3.Connection, data_dir: Path, client: HubClient, result: RoundResult, chunk_size: int) -> None:
    hashes = pending_attachment_hashes(conn)
    if hashes:
        summary = upload_missing(conn, data_dir, client, hashes, chunk_size=chunk_size)
        result.uploaded_files += summary.uploaded_files
        result.uploaded_bytes += summary.uploaded_bytes


def _push(conn: sqlite3.Connection, client: HubClient, device_id: str, result: RoundResult, batch_size: int) -> None:
    after = 0
    while True:
        rows = pending_batch(conn, batch_size, after)
        if not rows:
            return
        after = rows[-1]["seq"]
        sent_at = now()
        answer = client.push(device_id, [wire_event(r) for r in rows])
        with transaction(conn):
            summary = apply_acknowledgements(conn, [r.to_dict() for r in answer.results])
            observe_hub_time(conn, answer.hub_time, sent_at, now())
        result.pushed += summary.stored + summary.duplicate
        result.quarantined += summary.quarantined
        result.dossier_ids.update(r["dossier_id"] for r in rows)


def _pull(conn: sqlite3.Connection, client: HubClient, result: RoundResult, page_size: int) -> None:
    summary = PullSummary()
    while True:
        sent_at = now()
        answer = client.pull(cursor(conn), page_size)
        apply_page(conn, [i.to_dict() for i in answer.items], answer.next_cursor, summary)
        observe_hub_time(conn, answer.hub_time, sent_at, now())
        result.pulled += len(answer.items)
        if not answer.more or not answer.items:
            break
    assert summary.dossier_ids is not None
    result.dossier_ids.update(summary.dossier_ids)
    result.kinds.update(summary.kinds)


def _log(conn: sqlite3.Connection, started: object, *, ok: bool, result: RoundResult, error: str = "",
         kind: str = "sync", retry: bool = True) -> None:
    finished = iso(now())
    values: dict[str, object] = {"last_attempt": finished, "last_error": error if not ok else "",
                                 "last_error_retried": bool(ok or retry)}
    if ok:
        values["last_success"] = finished
    put_meta(conn, values)
    log_entry(conn, kind, iso(started), finished, ok, pushed=result.pushed, pulled=result.pulled,
              uploaded=result.uploaded_files, bytes_sent=result.bytes_sent, bytes_received=result.bytes_received,
              error=error)


def log_entry(conn: sqlite3.Connection, kind: str, started_at: str, finished_at: str, ok: bool, *, pushed: int = 0,
              pulled: int = 0, uploaded: int = 0, bytes_sent: int = 0, bytes_received: int = 0,
              error: str = "") -> None:
    conn.execute(
        "INSERT INTO sync_log (started_at, finished_at, kind, ok, pushed, pulled, uploaded, bytes_sent,"
        " bytes_received, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (started_at, finished_at, kind, int(ok), pushed, pulled, uploaded, bytes_sent, bytes_received, error),
    )
    # Keep the log bounded: the last 2,000 rounds are plenty to explain a week of trouble.
    conn.execute("DELETE FROM sync_log WHERE id <= (SELECT MAX(id) - 2000 FROM sync_log)")
