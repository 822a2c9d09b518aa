"""Sync bookkeeping on a real store, without a hub: acknowledgements, pull pages, conflicts, status, clock."""

from __future__ import annotations

import random
import sqlite3
from datetime import timedelta

import pytest

from motcua.domain.clock import iso, now
from motcua.domain.events import Event
from motcua.protocol.signing import generate_private_key
from motcua.store.check import check_store
from motcua.store.db import transaction
from motcua.store.events import load_record
from motcua.sync.clock_watch import note_local_time, observe_hub_time
from motcua.sync.conflicts import ConflictError, open_conflicts
from motcua.sync.credentials import load_credentials, save_private_key, save_token
from motcua.sync.errors import NotEnrolled
from motcua.sync.meta import put_meta
from motcua.sync.outbox import apply_acknowledgements, pending_batch, pending_count, wire_event
from motcua.sync.pull import PullSummary, apply_page, cursor
from motcua.sync.resolution import resolve
from motcua.sync.resync import reset_for_resync
from motcua.sync.scheduler import Backoff
from motcua.sync.status import dossier_status, overview
from tests.sync.conftest import DeskStore


def test_outbox_state_comes_only_from_acknowledgements(store: DeskStore) -> None:
    dossier = store.new_dossier(extra_events=2)
    rows = pending_batch(store.conn)
    assert len(rows) == 3 and pending_count(store.conn) == 3
    # Nothing marks an event as "being sent": with no acknowledgement, everything stays pending.
    assert store.states() == {"pending": 3}
    with transaction(store.conn):
        summary = apply_acknowledgements(store.conn, [
            {"id": rows[0]["id"], "status": "stored", "hub_seq": 7, "hub_received_at": iso(now())},
            {"id": rows[1]["id"], "status": "duplicate", "hub_seq": 5, "hub_received_at": iso(now())},
            {"id": rows[2]["id"], "status": "quarantined", "reason": "transition refused: Không thể …"},
        ])
    assert (summary.stored, summary.duplicate, summary.quarantined) == (1, 1, 1)
    assert store.states() == {"sent": 2, "quarantined": 1}
    status = dossier_status(store.conn, dossier)
    assert status.state == "conflict" and "Không thể" in status.reasons[0]
    [conflict] = open_conflicts(store.conn)
    assert conflict.kind == "local_quarantined"
    with transaction(store.conn):
        resolve(store.conn, conflict.id, "resend", "lanhdao")
    assert store.states() == {"sent": 2, "pending": 1}
    assert wire_event(pending_batch(store.conn)[0])["device_seq"] == 3


def _pushed(store: DeskStore) -> int:
    """Acknowledge every pending event as the hub would (hub sequences 1, 2, …); returns the last."""
    rows = pending_batch(store.conn)
    with transaction(store.conn):
        apply_acknowledgements(store.conn, [{"id": r["id"], "status": "stored", "hub_seq": n,
                                             "hub_received_at": iso(now())} for n, r in enumerate(rows, 1)])
    return len(rows)


def test_an_item_that_does_not_apply_is_held_and_the_page_goes_on(store: DeskStore) -> None:
    dossier = store.new_dossier(extra_events=1)
    _pushed(store)
    broken = {"seq": 11, "kind": "event", "data": {"id": "x"}}   # no dossier, no type: held, not fatal
    good = _remote(dossier, "note", {"text": "Tỉnh ghi chú"})
    summary = PullSummary()
    apply_page(store.conn, [broken, {"seq": 12, "kind": "event", "data": good}], 12, summary)
    assert cursor(store.conn) == 12 and summary.applied == 1 and summary.conflicts == 1
    [held] = open_conflicts(store.conn)
    assert held.kind == "remote_not_applicable" and held.event_id == "x" and "KeyError" in held.reason
    apply_page(store.conn, [broken], 12, PullSummary())               # pulled again: still one conflict
    assert len(open_conflicts(store.conn)) == 1


def _remote(dossier_id: str, kind: str, payload: dict, *, minutes: int = 0) -> dict:
    event = Event.new(dossier_id, kind, "tinh.daklak", payload, occurred_at=now() + timedelta(minutes=minutes),
                      device_id="hub")
    return event.to_wire()


def test_pull_page_is_atomic_with_its_cursor(store: DeskStore, monkeypatch: pytest.MonkeyPatch) -> None:
    dossier = store.new_dossier(extra_events=1)
    _pushed(store)
    good = _remote(dossier, "note", {"text": "Tỉnh ghi chú"})

    def disk_gone(*_: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    with monkeypatch.context() as patch:  # the store fails as the cursor moves: the page must not half-apply
        patch.setattr("motcua.sync.pull.put_meta", disk_gone)
        with pytest.raises(sqlite3.OperationalError):
            apply_page(store.conn, [{"seq": 11, "kind": "event", "data": good}], 11, PullSummary())
    assert cursor(store.conn) == 0
    assert store.conn.execute("SELECT count(*) FROM events WHERE id = ?", (good["id"],)).fetchone()[0] == 0
    apply_page(store.conn, [{"seq": 11, "kind": "event", "data": good}], 11, PullSummary())
    apply_page(store.conn, [{"seq": 11, "kind": "event", "data": good}], 11, PullSummary())  # again: no-op
    assert cursor(store.conn) == 11
    assert store.conn.execute("SELECT count(*), max(hub_seq) FROM events WHERE id = ?", (good["id"],)).fetchone()[:] \
        == (1, 11)
    assert check_store(store.conn, store.data_dir).ok


def test_a_hub_event_the_hub_holds_first_wins_over_pending_local_work(store: DeskStore) -> None:
    dossier = store.new_dossier(extra_events=1)
    _pushed(store)                                               # received, handed over: at the hub
    store.desk.act(dossier, "resolved", "cc.tuphap", {"doc_number": "1/QĐ-UBND", "signer": "Lê Văn Hùng"})
    store.desk.act(dossier, "returned", "motnhanvien", {"to": "Người nhận", "to_id_number": "066090001234"})  # pending
    # Meanwhile the province stopped the dossier: the hub holds it before anything this desk has not sent.
    stop = _remote(dossier, "stopped", {"reason": "Tỉnh dừng xử lý"})
    catalog = {"seq": 4, "kind": "catalog", "data": {"code": "1.000001", "version": 2}}
    summary = PullSummary()
    apply_page(store.conn, [{"seq": 3, "kind": "decision", "data": stop}, catalog], 4, summary)
    assert (summary.applied, summary.conflicts) == (1, 0)
    record = load_record(store.conn, dossier)
    assert record is not None and record.status == 8 and record.closing_reason == "Tỉnh dừng xử lý"
    assert record.event_count == 3                               # the overtaken local work is out of the row …
    assert store.states() == {"sent": 2, "remote": 1, "pending": 2}   # … and still in the log, to be sent
    assert store.conn.execute("SELECT kind FROM sync_inbox").fetchone()[0] == "catalog"
    assert check_store(store.conn, store.data_dir).ok
    # The hub refuses the overtaken events in its order: the official sees them as conflicts.
    rows = pending_batch(store.conn)
    with transaction(store.conn):
        apply_acknowledgements(store.conn, [{"id": r["id"], "status": "quarantined",
                                             "reason": "transition refused: Không thể"} for r in rows])
    assert [c.kind for c in open_conflicts(store.conn, dossier)] == ["local_quarantined"] * 2
    assert dossier_status(store.conn, dossier).state == "conflict"
    assert load_record(store.conn, dossier) == record
    with transaction(store.conn):
        for conflict in open_conflicts(store.conn, dossier):
            resolve(store.conn, conflict.id, "keep_local", "lanhdao", "Đã trả kết quả cho công dân trước")
    assert open_conflicts(store.conn) == []
    assert check_store(store.conn, store.data_dir).ok


def test_a_hub_event_that_does_not_apply_in_the_hubs_order_is_held(store: DeskStore) -> None:
    dossier = store.new_dossier(extra_events=1)
    last = _pushed(store)
    before = load_record(store.conn, dossier)
    resolved = _remote(dossier, "returned", {"to": "Người nhận"})    # "returned" before any decision
    summary = PullSummary()
    apply_page(store.conn, [{"seq": last + 1, "kind": "event", "data": resolved}], last + 1, summary)
    [conflict] = open_conflicts(store.conn, dossier)
    assert summary.conflicts == 1 and conflict.kind == "remote_not_applicable"
    assert load_record(store.conn, dossier) == before
    with pytest.raises(ConflictError), transaction(store.conn):
        resolve(store.conn, conflict.id, "apply_remote", "lanhdao")


def test_calendar_and_announcements_are_applied(store: DeskStore) -> None:
    items = [
        {"seq": 1, "kind": "calendar", "data": {"day": "2026-05-02", "working": False, "name": "Nghỉ bù",
                                                "source": "QĐ 1/UBND"}},
        {"seq": 2, "kind": "announcement", "data": {"id": "a1", "title": "Hỏi đáp tháng 11",
                                                    "body_markdown": "**Nội dung**", "published_at": iso(now())}},
    ]
    apply_page(store.conn, items, 2, PullSummary())
    assert store.conn.execute("SELECT working, name FROM calendar_days WHERE day = '2026-05-02'").fetchone()[:] \
        == (0, "Nghỉ bù")
    assert store.conn.execute("SELECT title FROM announcements").fetchone()[0] == "Hỏi đáp tháng 11"


def test_resync_keeps_outbox_and_drafts(store: DeskStore) -> None:
    store.new_dossier(extra_events=2)
    with transaction(store.conn):
        store.conn.execute("INSERT INTO drafts (id, kind, data, updated_at) VALUES ('d1', 'intake', '{}', ?)",
                           (iso(now()),))
        put_meta(store.conn, {"cursor": 40})
    reset_for_resync(store.conn)
    assert cursor(store.conn) == 0
    assert store.states() == {"pending": 3}
    assert store.conn.execute("SELECT count(*) FROM drafts").fetchone()[0] == 1


def test_credentials_live_in_the_keyring_not_the_database(store: DeskStore, memory_keyring) -> None:
    with pytest.raises(NotEnrolled):
        load_credentials(store.conn)
    key = generate_private_key()
    save_private_key(store.conn, key)
    save_token(store.conn, "bi-mat-rat-dai-0123456789")
    assert load_credentials(store.conn).token == "bi-mat-rat-dai-0123456789"
    assert len(memory_keyring.secrets) == 2
    # Close before reading the files: reading a SQLite file in the same process drops its POSIX locks.
    store.conn.close()
    raw = (store.data_dir / "motcua.sqlite3").read_bytes()
    assert b"bi-mat-rat-dai" not in raw
    assert not any(b"bi-mat-rat-dai" in p.read_bytes() for p in store.data_dir.rglob("*") if p.is_file())


def test_status_reports_skew_and_a_clock_that_went_back(store: DeskStore) -> None:
    store.new_dossier(extra_events=0)
    put_meta(store.conn, {"hub_url": "https://hub.example", "last_error": "Không kết nối được máy chủ tỉnh."})
    sent = now()
    observe_hub_time(store.conn, iso(sent - timedelta(minutes=9)), sent, sent)
    note_local_time(store.conn, sent)
    note_local_time(store.conn, sent - timedelta(hours=3))
    view = overview(store.conn)
    assert view.state == "error" and view.pending == 1
    assert "Không kết nối được" in view.headline and "tự thử lại" in view.headline
    assert view.clock.skewed and view.clock.went_backwards
    assert any("nhanh hơn máy chủ tỉnh khoảng 9 phút" in w for w in view.warnings)
    assert any("bị lùi lại" in w for w in view.warnings)


def test_backoff_grows_with_jitter_and_is_capped() -> None:
    backoff = Backoff(base=5, factor=2, cap=900, jitter=0.3)
    rng = random.Random(1)
    delays = [backoff.delay(n, rng) for n in range(1, 12)]
    assert 3.5 <= delays[0] <= 6.5 and 7 <= delays[1] <= 13
    assert all(d <= 900 * 1.3 for d in delays) and delays[-1] >= 900 * 0.7
    assert len({round(backoff.delay(3, rng), 3) for _ in range(10)}) > 1   # jitter: not in lock-step
