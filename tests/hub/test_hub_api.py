"""The sync API against a live hub process, on SQLite and on PostgreSQL."""

from __future__ import annotations

import hashlib
import os

import httpx

from motcua.protocol.messages import ChunkAck, MissingResponse, PullResponse, PushResponse, StatusResponse

from .hubkit import OCTETS, HubProcess, enroll, follow_up, received_event, shipped_procedure


def test_enrollment_code_is_one_time(hub: HubProcess) -> None:
    with hub.admin() as admin:
        admin.post("/api/v1/admin/communes", json={"code": "X1", "name": "Xã Một"})
        code = admin.post("/api/v1/admin/enrollment-codes", json={"commune_code": "X1"}).json()["enrollment_code"]
    body = {"enrollment_code": code, "device_name": "pc", "public_key": "A" * 43 + "="}
    first = httpx.post(f"{hub.url}/api/v1/enroll", json=body)
    assert first.status_code == 200 and first.json()["ack"] == "enroll"
    again = httpx.post(f"{hub.url}/api/v1/enroll", json=body)
    assert again.status_code == 403
    assert again.json()["error"] == "enrollment_refused"


def test_push_stores_deduplicates_and_quarantines_without_blocking(hub: HubProcess) -> None:
    device = enroll(hub, "C1")
    created = received_event(device.device_id)
    illegal = follow_up(device.device_id, created.dossier_id, "returned")   # not resolved yet
    moved = follow_up(device.device_id, created.dossier_id)
    events = [device.wire(created), device.wire(illegal), device.wire(moved), {"id": 7, "type": "junk"}]
    response = device.push(events)
    assert response.status_code == 200
    parsed = PushResponse.from_dict(response.json())
    assert [r.status for r in parsed.results] == ["stored", "quarantined", "stored", "quarantined"]
    assert parsed.results[0].hub_seq and parsed.results[2].hub_seq
    assert parsed.results[2].hub_seq > parsed.results[0].hub_seq
    assert "transition refused" in parsed.results[1].reason
    assert "malformed event" in parsed.results[3].reason

    replay = PushResponse.from_dict(device.push(events[:3]).json())
    assert [r.status for r in replay.results] == ["duplicate", "quarantined", "duplicate"]
    assert replay.results[0].hub_seq == parsed.results[0].hub_seq
    assert replay.results[1].reason == parsed.results[1].reason

    quarantine = device.http.get("/api/v1/quarantine").json()
    assert quarantine["ack"] == "quarantine" and len(quarantine["items"]) == 2
    status = StatusResponse.from_dict(device.http.get("/api/v1/status").json())
    assert status.commune_code == "C1" and status.pending_quarantine == 2 and status.last_push_at


def test_gzip_request_body_is_accepted(hub: HubProcess) -> None:
    device = enroll(hub, "C1")
    response = device.push([device.wire(received_event(device.device_id)) for _ in range(10)], compress=True)
    assert response.status_code == 200, response.text
    assert {r["status"] for r in response.json()["results"]} == {"stored"}
    other = enroll(hub, "C1", "máy 2")
    pulled = other.http.get("/api/v1/pull", headers={"Accept-Encoding": "gzip"})
    assert pulled.headers["content-encoding"] == "gzip" and len(pulled.json()["items"]) == 10


def test_pull_shows_other_devices_events_and_province_items(hub: HubProcess) -> None:
    first = enroll(hub, "C1", "máy 1")
    second = enroll(hub, "C1", "máy 2")
    created = received_event(first.device_id, level="commune_receives_province_decides")
    first.push([first.wire(created), first.wire(follow_up(first.device_id, created.dossier_id))])
    with hub.admin() as admin:
        procedure = shipped_procedure(version=2)
        assert admin.post("/api/v1/admin/catalog", json={"procedures": [procedure]}).json()["ack"] == "catalog"
        broken = {**procedure, "version": 3, "level": "district"}
        refused = admin.post("/api/v1/admin/catalog", json={"procedures": [broken]})
        assert refused.status_code == 400 and "level" in refused.json()["detail"]
        admin.post("/api/v1/admin/calendar", json={"entries": [
            {"day": "2027-02-05", "working": False, "name": "Tết", "source": "QĐ 1/2026"}]})
        admin.post("/api/v1/admin/announcements", json={"title": "Hỏi đáp", "body_markdown": "**Hỏi:** …"})
        decision = admin.post("/api/v1/admin/decisions", json={
            "dossier_id": created.dossier_id, "type": "resolved", "actor": "Sở KH&CN",
            "payload": {"decision": "approved"}})
        assert decision.status_code == 200, decision.text

    own, _ = first.pull_all()
    assert [i["kind"] for i in own] == ["catalog", "calendar", "announcement", "decision"]
    others, cursor = second.pull_all(limit=2)
    assert [i["kind"] for i in others] == ["event", "event", "catalog", "calendar", "announcement", "decision"]
    assert [i["data"]["id"] for i in others[:2]] == [created.id, others[1]["data"]["id"]]
    assert others[-1]["data"]["type"] == "resolved"
    assert [i["seq"] for i in others] == sorted(i["seq"] for i in others)
    page = PullResponse.from_dict(second.http.get("/api/v1/pull", params={"cursor": cursor}).json())
    assert page.items == [] and page.next_cursor == cursor and not page.more


def test_decision_refused_for_a_commune_level_dossier(hub: HubProcess) -> None:
    device = enroll(hub, "C1")
    created = received_event(device.device_id, level="commune")
    device.push([device.wire(created)])
    with hub.admin() as admin:
        response = admin.post("/api/v1/admin/decisions", json={
            "dossier_id": created.dossier_id, "type": "resolved", "actor": "Sở", "payload": {}})
    assert response.status_code == 409
    assert "decided by its commune" in response.json()["detail"]


def test_attachment_chunks_resume_and_verify(hub: HubProcess) -> None:
    device = enroll(hub, "C1")
    data = os.urandom(300_000)
    sha = hashlib.sha256(data).hexdigest()
    missing = MissingResponse.from_dict(device.http.post("/api/v1/attachments/missing",
                                                         json={"hashes": [sha]}).json())
    assert missing.missing == [sha]
    first = device.http.put(f"/api/v1/attachments/{sha}", content=data[:100_000],
                            headers={"X-Offset": "0", "X-Total-Size": str(len(data)), **OCTETS})
    assert ChunkAck.from_dict(first.json()) == ChunkAck(100_000, False)
    gap = device.http.put(f"/api/v1/attachments/{sha}", content=data[200_000:],
                          headers={"X-Offset": "200000", "X-Total-Size": str(len(data)),
                                   **OCTETS})
    assert gap.status_code == 409 and gap.json()["received"] == 100_000
    status = ChunkAck.from_dict(device.http.get(f"/api/v1/attachments/{sha}/status").json(), "attachment_status")
    assert status == ChunkAck(100_000, False)
    done = device.upload(data, sha, chunk=100_000, start=status.received)
    assert done == {"ack": "chunk", "received": len(data), "complete": True}
    assert device.http.post("/api/v1/attachments/missing", json={"hashes": [sha]}).json()["missing"] == []
    assert device.http.get(f"/api/v1/attachments/{sha}").content == data


def test_attachment_with_wrong_hash_is_discarded(hub: HubProcess) -> None:
    device = enroll(hub, "C1")
    data = b"not what the name says"
    sha = hashlib.sha256(b"something else").hexdigest()
    response = device.http.put(f"/api/v1/attachments/{sha}", content=data,
                               headers={"X-Offset": "0", "X-Total-Size": str(len(data)), **OCTETS})
    assert response.status_code == 422 and response.json()["error"] == "hash_mismatch"
    status = device.http.get(f"/api/v1/attachments/{sha}/status").json()
    assert status == {"ack": "attachment_status", "received": 0, "complete": False}


def test_errors_are_problem_json(hub: HubProcess) -> None:
    device = enroll(hub, "C1")
    cases = [
        device.http.post("/api/v1/push", json={"protocol": 2, "device_id": device.device_id,
                                               "client_time": "x", "events": []}),
        device.http.post("/api/v1/push", json=device.push_body([{}] * 201)),
        device.http.post("/api/v1/push", content=b"{not json", headers={"Content-Type": "application/json"}),
        device.http.get("/api/v1/pull", params={"cursor": -1}),
        device.http.get("/api/v1/nowhere"),
        device.http.put(f"/api/v1/attachments/{'0' * 64}", content=b"x",
                        headers={"X-Offset": "0", "X-Total-Size": "0", **OCTETS}),
        device.http.post("/api/v1/push", content=b"\x1f\x8b garbage", headers={"Content-Encoding": "gzip"}),
    ]
    for response in cases:
        assert 400 <= response.status_code < 500, response.text
        body = response.json()
        assert set(body) >= {"error", "detail"} and body["detail"], body


def test_admin_overview_counts_pending_and_overdue(hub: HubProcess) -> None:
    device = enroll(hub, "C1")
    late = received_event(device.device_id)
    late_wire = device.wire(late)
    late_wire["payload"]["due_at"] = "2020-01-02T17:00:00+07:00"
    device.push([late_wire, device.wire(received_event(device.device_id))])
    with hub.admin() as admin:
        communes = admin.get("/api/v1/admin/communes").json()["communes"]
        assert httpx.get(f"{hub.url}/api/v1/admin/communes",
                         headers={"Authorization": f"Bearer {device.token}"}).status_code == 401
    (row,) = communes
    assert row["code"] == "C1" and row["pending_dossiers"] == 2 and row["overdue_dossiers"] == 1
    assert row["last_sync_at"] and row["active_devices"] == 1
