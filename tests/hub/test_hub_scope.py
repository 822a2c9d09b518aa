"""Every request is scoped to its token's commune; revoked tokens are refused."""

from __future__ import annotations

import hashlib

import httpx

from .hubkit import HubProcess, enroll, follow_up, hub_cli, received_event


def test_commune_a_cannot_read_or_write_commune_b(hub: HubProcess) -> None:
    a = enroll(hub, "A")
    b = enroll(hub, "B")
    b_dossier = received_event(b.device_id)
    stored = b.push([b.wire(b_dossier)]).json()["results"][0]
    assert stored["status"] == "stored"
    secret = b"giay to cua xa B"
    sha = hashlib.sha256(secret).hexdigest()
    b.upload(secret, sha)

    # A writes to B's dossier: quarantined, B's projection untouched.
    intrusion = a.push([a.wire(follow_up(a.device_id, b_dossier.dossier_id))]).json()["results"][0]
    assert intrusion["status"] == "quarantined"
    assert intrusion["reason"].startswith("id not accepted")   # never that the dossier exists elsewhere
    # A replays B's event id: not "duplicate" (that would confirm it exists), quarantined.
    stolen = a.push([{**b_dossier.to_wire(), "device_seq": 1}]).json()["results"][0]
    assert stolen["status"] == "quarantined" and stolen["hub_seq"] is None
    assert stolen["reason"] == intrusion["reason"]             # the same words for a dossier and an event id

    # A never sees B's items, nor B's attachment, nor B's quarantine.
    items, _ = a.pull_all()
    assert all(i["data"].get("dossier_id") != b_dossier.dossier_id for i in items)
    assert a.http.post("/api/v1/attachments/missing", json={"hashes": [sha]}).json()["missing"] == [sha]
    assert a.http.get(f"/api/v1/attachments/{sha}").status_code == 404
    assert a.http.get(f"/api/v1/attachments/{sha}/status").json()["complete"] is False
    assert all(q["commune_code"] == "A" for q in a.http.get("/api/v1/quarantine").json()["items"])
    assert b.http.get("/api/v1/quarantine").json()["items"] == []

    # B still sees its own dossier from another device and nothing of A's.
    b2 = enroll(hub, "B", "máy 2")
    b_items, _ = b2.pull_all()
    assert [i["data"]["id"] for i in b_items if i["kind"] == "event"] == [b_dossier.id]


def test_push_for_another_device_id_is_refused(hub: HubProcess) -> None:
    a = enroll(hub, "A")
    b = enroll(hub, "B")
    body = a.push_body([])
    body["device_id"] = b.device_id
    response = a.http.post("/api/v1/push", json=body)
    assert response.status_code == 403 and response.json()["error"] == "wrong_device"


def test_revoked_and_unknown_tokens_get_401(hub: HubProcess) -> None:
    device = enroll(hub, "A")
    assert device.http.get("/api/v1/status").status_code == 200
    with hub.admin() as admin:
        revoked = admin.post(f"/api/v1/admin/devices/{device.device_id}/revoke")
        assert revoked.json()["ack"] == "revoked"
    for response in (device.http.get("/api/v1/status"), device.http.get("/api/v1/pull"),
                     device.push([device.wire(received_event(device.device_id))])):
        assert response.status_code == 401
        assert "revoked" in response.json()["detail"]
    assert httpx.get(f"{hub.url}/api/v1/status", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert httpx.get(f"{hub.url}/api/v1/status").status_code == 401


def test_cli_revoke_takes_effect_on_the_running_hub(hub: HubProcess) -> None:
    device = enroll(hub, "A")
    hub_cli(hub.data_dir, hub.database_url, "revoke", device.device_id)
    assert device.http.get("/api/v1/status").status_code == 401


def test_admin_api_needs_the_admin_token(hub: HubProcess) -> None:
    device = enroll(hub, "A")
    for token in (device.token, "", "wrong"):
        response = httpx.post(f"{hub.url}/api/v1/admin/communes", json={"code": "Z", "name": "Z"},
                              headers={"Authorization": f"Bearer {token}"} if token else {})
        assert response.status_code == 401, response.text
