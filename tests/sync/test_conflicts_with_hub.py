"""The province decides while the commune, offline, moves the same dossier on: nothing is dropped."""

from __future__ import annotations

import json
from pathlib import Path

from motcua.store.check import check_store
from motcua.store.db import transaction
from motcua.store.events import load_record
from motcua.sync.conflicts import open_conflicts
from motcua.sync.engine import sync_round
from motcua.sync.resolution import resolve
from motcua.sync.status import dossier_status, overview
from tests.hub.hubkit import WORKTREE, HubProcess
from tests.sync.conftest import DeskStore, enroll_store


def test_province_stops_a_dossier_the_commune_returned_offline(store: DeskStore, hub: HubProcess,
                                                               tmp_path: Path) -> None:
    enroll_store(store, hub)
    dossier = store.new_dossier(extra_events=1)                    # received, handed over
    record = load_record(store.conn, dossier)
    assert record is not None
    # A valid catalog entry (the shipped format the hub checks), made "commune receives, province decides".
    shipped = WORKTREE / "db" / "catalog" / "procedures"
    source = shipped / f"{record.procedure_code}.json"
    entry = json.loads((source if source.exists() else sorted(shipped.glob("*.json"))[0]).read_text("utf-8"))
    entry.update(code=record.procedure_code, name=record.procedure_name or entry["name"],
                 level="commune_receives_province_decides")
    procedure = tmp_path / "procedure.json"
    procedure.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
    hub.cli("publish-catalog", str(procedure))
    sync_round(store.conn, store.data_dir)
    # The province stops it; the commune, offline, resolves and returns it.
    hub.cli("decide", dossier, "stopped", "--actor", "so.khcn", "--payload",
            json.dumps({"reason": "Không đủ điều kiện theo quy định của tỉnh"}, ensure_ascii=False))
    store.desk.act(dossier, "resolved", "cc.tuphap", {"doc_number": "1/QĐ-UBND", "signer": "Lê Văn Hùng"})
    store.desk.act(dossier, "returned", "motnhanvien", {"to": "Người nhận", "to_id_number": "066090001234"})
    result = sync_round(store.conn, store.data_dir)
    assert result.quarantined == 2
    assert store.states() == {"sent": 2, "quarantined": 2, "remote": 1}   # kept, marked, never dropped
    conflicts = open_conflicts(store.conn, dossier)
    assert sorted(c.kind for c in conflicts) == ["local_quarantined", "local_quarantined"]
    assert all("Không" in c.description or "không" in c.description for c in conflicts)
    view = dossier_status(store.conn, dossier)
    assert view.state == "conflict" and view.reasons
    assert overview(store.conn).state == "attention"
    # The row is the hub's order: the province's stop stands; the commune's return waits for the official.
    record = load_record(store.conn, dossier)
    assert record is not None and record.status == 8 and record.event_count == 3
    assert check_store(store.conn, store.data_dir).ok
    # Pulling again (or a full resync) does not duplicate the conflict.
    sync_round(store.conn, store.data_dir)
    assert len(open_conflicts(store.conn, dossier)) == 2
    with transaction(store.conn):
        for conflict in conflicts:
            resolve(store.conn, conflict.id, "keep_local", "lanhdao.xa", "Đã trả kết quả; báo cáo Sở bằng văn bản")
    assert open_conflicts(store.conn) == []
