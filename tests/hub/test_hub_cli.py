"""The province's chores through `motcua-hub` commands, seen by devices through a live hub (SQLite)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from .hubkit import HubProcess, enroll, follow_up, hub_cli, received_event, shipped_procedure


@pytest.fixture
def sqlite_hub(tmp_path: Path) -> Iterator[HubProcess]:
    process = HubProcess(tmp_path / "hub-data", f"sqlite:///{tmp_path / 'hub.sqlite3'}").start()
    try:
        yield process
    finally:
        process.stop()


def _run(hub: HubProcess, *args: str) -> object:
    return json.loads(hub_cli(hub.data_dir, hub.database_url, *args).stdout)


def test_publishing_and_deciding_from_the_command_line(sqlite_hub: HubProcess, tmp_path: Path) -> None:
    hub = sqlite_hub
    device = enroll(hub, "A")
    created = received_event(device.device_id, level="commune_receives_province_decides")
    device.push([device.wire(created)])

    procedure = tmp_path / "1.003560.json"
    procedure.write_text(json.dumps(shipped_procedure(version=3), ensure_ascii=False), encoding="utf-8")
    calendar = tmp_path / "calendar.json"
    calendar.write_text(json.dumps([{"day": "2027-02-08", "working": False, "name": "Tết Đinh Mùi",
                                     "source": "Thông báo 1/TB-UBND"}]), encoding="utf-8")
    assert _run(hub, "publish-catalog", str(procedure)) == [
        {"code": "1.000656", "version": 3, "seq": 2, "status": "published"}]
    assert _run(hub, "publish-catalog", str(procedure))[0]["status"] == "unchanged"
    _run(hub, "publish-calendar", str(calendar))
    _run(hub, "announce", "Lịch hỏi đáp tháng 12", "--body", "Thứ Năm, 14:00", "--commune", "A")
    decided = _run(hub, "decide", created.dossier_id, "resolved", "--actor", "Sở KH&CN", "--decision", "approved")
    assert decided["status"] == 9

    other = enroll(hub, "A", "máy 2")
    items, _ = other.pull_all()
    assert [i["kind"] for i in items] == ["event", "catalog", "calendar", "announcement", "decision"]
    assert items[-1]["data"]["payload"] == {"decision": "approved"}
    overview = _run(hub, "communes")
    assert overview[0]["code"] == "A" and overview[0]["pending_dossiers"] == 0

    older = tmp_path / "old.json"
    older.write_text(json.dumps(shipped_procedure(version=2), ensure_ascii=False), encoding="utf-8")
    refused = hub_cli(hub.data_dir, hub.database_url, "publish-catalog", str(older), check=False)
    assert refused.returncode == 1 and "version 3 is already published" in refused.stderr


def test_quarantine_retry_and_resolve(sqlite_hub: HubProcess) -> None:
    hub = sqlite_hub
    first = enroll(hub, "A", "máy 1")
    second = enroll(hub, "A", "máy 2")
    created = received_event(first.device_id)
    early = follow_up(second.device_id, created.dossier_id)          # arrives before the dossier exists
    result = second.push([second.wire(early)]).json()["results"][0]
    assert result["status"] == "quarantined"
    assert _run(hub, "quarantine", "--commune", "A")[0]["event_id"] == early.id

    first.push([first.wire(created)])
    retried = _run(hub, "quarantine-retry", "A", early.id)
    assert retried["status"] == "stored" and retried["hub_seq"] == 2
    assert _run(hub, "quarantine", "--commune", "A") == []
    replay = second.push([{**early.to_wire(), "device_seq": 1}]).json()["results"][0]
    assert replay["status"] == "duplicate" and replay["hub_seq"] == 2

    junk = first.push([{"id": "x", "type": "?"}]).json()["results"][0]
    again = hub_cli(hub.data_dir, hub.database_url, "quarantine-retry", "A", junk["id"], check=False)
    assert again.returncode == 0 and json.loads(again.stdout)["status"] == "quarantined"
    _run(hub, "quarantine-resolve", "A", junk["id"], "--note", "thiết bị lỗi, đã báo xã")
    assert first.http.get("/api/v1/status").json()["pending_quarantine"] == 0


def test_enroll_code_expiry_is_in_the_communes_time(tmp_path: Path) -> None:
    """Every moment the hub shows is +07:00, the enrolment code's expiry too (issue 17)."""
    database_url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    hub_cli(tmp_path, database_url, "create-commune", "000.17.22.H56", "Xã Ea Kao")
    shown = json.loads(hub_cli(tmp_path, database_url, "enroll-code", "000.17.22.H56").stdout)
    assert shown["expires_at"].endswith("+07:00")
