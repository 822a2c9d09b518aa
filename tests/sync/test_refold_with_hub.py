"""Desks fold a dossier in the hub's order, against a REAL hub process (SQLite and PostgreSQL): two desks of one
commune that moved the same dossier offline, in different orders, end with the same row, the fold of the hub's
events (issue 17 #11)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from motcua.domain.projection import DossierRecord, project
from motcua.store.check import check_store
from motcua.store.events import load_record, row_to_event
from motcua.sync.conflicts import open_conflicts
from motcua.sync.engine import make_client, sync_round
from motcua.sync.enroll import enroll
from motcua.sync.pull import PullSummary, apply_page, cursor
from motcua.sync.resync import reset_for_resync
from tests.hub.hubkit import (
    HubProcess,
    create_commune,
)
from tests.sync.conftest import COMMUNE, DeskStore, make_store


def enrolled(tmp_path: Path, hub: HubProcess, name: str, seed: int) -> DeskStore:
    store = make_store(tmp_path / name, seed=seed)
    with hub.admin() as admin:
        create_commune(admin, COMMUNE, "Xã Ea Kao")
        code = admin.post("/api/v1/admin/enrollment-codes", json={"commune_code": COMMUNE}).json()["enrollment_code"]
    enroll(store.conn, hub.url, code, device_name=name)
    return store


def hub_order(desk: DeskStore, dossier_id: str) -> list[tuple[str, int]]:
    """The dossier's events the hub holds, in the hub's order, as this desk learnt their places."""
    return [tuple(r) for r in desk.conn.execute(  # type: ignore[misc]
        "SELECT id, hub_seq FROM events WHERE dossier_id = ? AND hub_seq IS NOT NULL ORDER BY hub_seq", (dossier_id,))]


def folded_in_hub_order(a: DeskStore, b: DeskStore, dossier_id: str) -> DossierRecord | None:
    """The fold of the hub's events, once both desks agree on the hub's order."""
    order = hub_order(a, dossier_id)
    assert order == hub_order(b, dossier_id)
    events = {r["id"]: row_to_event(r) for r in a.conn.execute("SELECT * FROM events WHERE dossier_id = ?",
                                                                (dossier_id,))}
    return project(events[i] for i, _ in order)


def rows(conn: sqlite3.Connection) -> list[tuple]:
    return [tuple(r) for r in conn.execute("SELECT * FROM dossiers ORDER BY id")]


def two_desks(hub: HubProcess, tmp_path: Path) -> tuple[DeskStore, DeskStore, str]:
    """Desk A takes in a dossier and syncs; desk B of the same commune, enrolled after it, pulls it."""
    a = enrolled(tmp_path, hub, "desk-a", 2026)
    b = enrolled(tmp_path, hub, "desk-b", 31)
    dossier = a.new_dossier(extra_events=0)                    # received
    sync_round(a.conn, a.data_dir)
    sync_round(b.conn, b.data_dir)
    assert load_record(b.conn, dossier) == load_record(a.conn, dossier)
    return a, b, dossier


def test_two_desks_moving_one_dossier_offline_end_with_the_hubs_row(province: HubProcess, tmp_path: Path) -> None:
    a, b, dossier = two_desks(province, tmp_path)
    # Offline, A hands it over; B (which never saw the hand-over) asks the citizen for a supplement.
    a.desk.act(dossier, "handed_over", "motnhanvien", {"to": "cc.tuphap"})
    b.desk.act(dossier, "supplement_requested", "motnhanvien", {"reason": "Thiếu bản sao giấy khai sinh"})
    sync_round(a.conn, a.data_dir)
    result = sync_round(b.conn, b.data_dir)       # B's request lands after A's hand-over in the hub's order
    assert result.quarantined == 0
    sync_round(a.conn, a.data_dir)
    expected = folded_in_hub_order(a, b, dossier)
    assert expected is not None and expected.status == 5 and expected.assigned_to == "cc.tuphap"
    assert load_record(a.conn, dossier) == expected == load_record(b.conn, dossier)
    assert rows(a.conn) == rows(b.conn)
    assert open_conflicts(a.conn) == [] and open_conflicts(b.conn) == []
    assert check_store(a.conn, a.data_dir).ok and check_store(b.conn, b.data_dir).ok
    # Pulling everything again changes nothing.
    before = rows(b.conn), b.states()
    reset_for_resync(b.conn)
    sync_round(b.conn, b.data_dir)
    sync_round(b.conn, b.data_dir)
    assert (rows(b.conn), b.states()) == before


def test_a_desks_own_events_take_the_hubs_places(province: HubProcess, tmp_path: Path) -> None:
    """A's two offline actions are split by the hub: B's stop comes between them in the hub's order, so A's
    decision is refused there while A's later note is stored; A's row drops the decision, like B's."""
    a, b, dossier = two_desks(province, tmp_path)
    a.desk.act(dossier, "handed_over", "motnhanvien", {"to": "cc.tuphap"})
    sync_round(a.conn, a.data_dir)
    sync_round(b.conn, b.data_dir)
    a.desk.act(dossier, "resolved", "cc.tuphap", {"doc_number": "1/QĐ-UBND", "signer": "Lê Văn Hùng"})
    a.desk.act(dossier, "note", "cc.tuphap", {"text": "Đã ký quyết định"})
    b.desk.act(dossier, "stopped", "motnhanvien", {"reason": "Công dân đề nghị dừng"})
    sync_round(b.conn, b.data_dir)
    result = sync_round(a.conn, a.data_dir)
    assert result.quarantined == 1                 # the decision: the hub had the dossier stopped by then
    sync_round(b.conn, b.data_dir)
    expected = folded_in_hub_order(a, b, dossier)
    assert expected is not None and expected.status == 8 and expected.event_count == 4
    assert load_record(a.conn, dossier) == expected == load_record(b.conn, dossier)
    [conflict] = open_conflicts(a.conn, dossier)
    assert conflict.kind == "local_quarantined" and conflict.event["type"] == "resolved"
    assert a.states() == {"sent": 3, "quarantined": 1, "remote": 1}
    assert check_store(a.conn, a.data_dir).ok and check_store(b.conn, b.data_dir).ok


def test_a_pulled_event_goes_before_unpushed_local_work(province: HubProcess, tmp_path: Path) -> None:
    """B pulls A's hand-over while B holds an unpushed note: the row folds the hand-over first, the note after."""
    a, b, dossier = two_desks(province, tmp_path)
    a.desk.act(dossier, "handed_over", "motnhanvien", {"to": "cc.tuphap"})
    sync_round(a.conn, a.data_dir)
    b.desk.act(dossier, "note", "motnhanvien", {"text": "Công dân gọi hỏi tiến độ"})
    note_id = b.conn.execute("SELECT id FROM events WHERE sync_state = 'pending'").fetchone()[0]
    client = make_client(b.conn)
    try:
        answer = client.pull(cursor(b.conn), 100)
    finally:
        client.transport.close()
    apply_page(b.conn, [i.to_dict() for i in answer.items], answer.next_cursor, PullSummary())
    record = load_record(b.conn, dossier)
    assert record is not None and record.status == 4 and record.assigned_to == "cc.tuphap"
    assert record.last_event_id == note_id and record.event_count == 3
    assert b.states() == {"remote": 2, "pending": 1}
    again = load_record(b.conn, dossier)
    apply_page(b.conn, [i.to_dict() for i in answer.items], answer.next_cursor, PullSummary())   # twice
    assert load_record(b.conn, dossier) == again
    sync_round(b.conn, b.data_dir)
    sync_round(a.conn, a.data_dir)
    assert load_record(a.conn, dossier) == load_record(b.conn, dossier) == folded_in_hub_order(a, b, dossier)
    assert check_store(b.conn, b.data_dir).ok
