"""Issue 17 on a real hub (SQLite and PostgreSQL): dossier codes owned by the hub, workstation numbers,
authentication before the body, and nothing a client sends ending in a 500 or a lost batch."""

from __future__ import annotations

import gzip
import json
import threading
from pathlib import Path
from typing import Any

import httpx

from motcua.domain.events import Event
from motcua.domain.ids import uuid7

from .hubkit import ADMIN_TOKEN, HubProcess, agency_for, enroll, received_event


def _with_code(device_id: str, code: str) -> Event:
    event = received_event(device_id)
    return Event.new(event.dossier_id, "received", event.actor, {**event.payload, "code": code}, device_id=device_id)


def _results(response: httpx.Response) -> dict[str, dict[str, Any]]:
    assert response.status_code == 200, response.text
    return {r["id"]: r for r in response.json()["results"]}


def test_devices_of_one_commune_get_their_own_workstation_numbers(hub: HubProcess) -> None:
    first = enroll(hub, "000.17.22.H56", "máy 1")
    second = enroll(hub, "000.17.22.H56", "máy 2")
    with hub.admin() as admin:
        devices = admin.get("/api/v1/admin/devices", params={"commune_code": "000.17.22.H56"}).json()["devices"]
        communes = admin.get("/api/v1/admin/communes").json()["communes"]
        admin.post(f"/api/v1/admin/devices/{first.device_id}/revoke")
    assert sorted(d["workstation"] for d in devices) == [1, 2]
    assert communes[0]["agency_code"] == "000.17.22.H56"   # a commune registered under its agency code
    third = enroll(hub, "000.17.22.H56", "máy 3")          # a number no device ever had, not the revoked one's
    with hub.admin() as admin:
        numbers = {d["id"]: d["workstation"] for d in admin.get("/api/v1/admin/devices").json()["devices"]}
    assert numbers[third.device_id] == 3 and numbers[second.device_id] == 2


def test_enrolment_binds_or_checks_the_desks_agency_code(hub: HubProcess) -> None:
    from motcua.protocol.signing import generate_private_key, public_key_b64

    with hub.admin() as admin:
        admin.post("/api/v1/admin/communes", json={"code": "X1", "name": "Xã Một"})
        admin.post("/api/v1/admin/communes", json={"code": "X2", "name": "Xã Hai"})

        def enrol(commune: str, agency: str) -> httpx.Response:
            code = admin.post("/api/v1/admin/enrollment-codes", json={"commune_code": commune}).json()
            return admin.post("/api/v1/enroll", json={"enrollment_code": code["enrollment_code"], "device_name": "m",
                                                      "public_key": public_key_b64(generate_private_key()),
                                                      "agency_code": agency})

        bound = enrol("X1", "000.18.30.H56")
        assert bound.status_code == 200 and bound.json()["agency_code"] == "000.18.30.H56"
        assert bound.json()["workstation"] == 1
        taken = enrol("X2", "000.18.30.H56")      # another commune's agency: refused, not revealing whose
        assert taken.status_code == 409 and "X1" not in taken.text
        wrong = enrol("X1", "000.18.31.H56")      # the commune has another one: refused, the code is not spent
        assert wrong.status_code == 409 and "000.18.30.H56" in wrong.json()["detail"]


def test_a_code_clash_is_quarantined_and_the_rest_of_the_batch_is_stored(hub: HubProcess) -> None:
    one = enroll(hub, "C1", "máy 1")
    two = enroll(hub, "C1", "máy 2")
    code = f"{agency_for('C1')}-261123-0001"
    first = _with_code(one.device_id, code)
    assert _results(one.push([one.wire(first)]))[first.id]["status"] == "stored"
    clash = _with_code(two.device_id, code)
    fine = received_event(two.device_id)
    answer = _results(two.push([two.wire(clash), two.wire(fine)]))
    assert answer[fine.id]["status"] == "stored"
    assert answer[clash.id]["status"] == "quarantined"
    assert f"dossier code {code} is already used by another dossier of this commune" in answer[clash.id]["reason"]
    quarantined = two.http.get("/api/v1/quarantine").json()["items"]   # both sides see the same reason
    assert [q["reason"] for q in quarantined] == [answer[clash.id]["reason"]]
    again = _results(two.push([two.wire(clash)]))                      # a replay answers the same
    assert again[clash.id]["reason"] == answer[clash.id]["reason"]
    # The same code in another commune's own agency is another code: codes are unique per commune.
    other = enroll(hub, "C2")
    own = _with_code(other.device_id, f"{agency_for('C2')}-261123-0001")
    assert _results(other.push([other.wire(own)]))[own.id]["status"] == "stored"


def test_a_commune_cannot_push_another_communes_codes(hub: HubProcess) -> None:
    a = enroll(hub, "CA")
    b = enroll(hub, "CB")
    mine = received_event(b.device_id)
    assert _results(b.push([b.wire(mine)]))[mine.id]["status"] == "stored"   # binds CB's agency
    foreign = _with_code(a.device_id, f"{agency_for('CB')}-261123-0099")
    result = _results(a.push([a.wire(foreign)]))[foreign.id]
    assert result["status"] == "quarantined" and "agency code" in result["reason"]
    assert "CB" not in result["reason"]
    items, _ = a.pull_all()
    assert all(i["data"].get("id") != foreign.id for i in items)
    # An id stored in another commune is refused in words that do not say so.
    reuse = Event.new(mine.dossier_id, "received", "x", received_event(a.device_id).payload, device_id=a.device_id)
    same_id = Event.from_wire({**received_event(a.device_id).to_wire(), "id": mine.id})
    reasons = {r["id"]: r["reason"] for r in a.push([a.wire(reuse), a.wire(same_id)]).json()["results"]}
    assert reasons[reuse.id] == reasons[same_id.id]
    assert "commune" not in reasons[reuse.id].replace("by this commune", "")


def test_a_lone_surrogate_is_quarantined_and_the_batch_stands(hub: HubProcess) -> None:
    device = enroll(hub, "C1")
    good = received_event(device.device_id)
    bad = device.wire(received_event(device.device_id))
    bad["payload"]["applicant"]["name"] = "LONE-SURROGATE"
    later = received_event(device.device_id)
    body = json.dumps(device.push_body([device.wire(good), bad, device.wire(later)]))
    body = body.replace('"LONE-SURROGATE"', '"\\ud800"')
    assert "\\ud800" in body
    response = device.http.post("/api/v1/push", content=body.encode(), headers={"Content-Type": "application/json"})
    answer = _results(response)
    assert answer[good.id]["status"] == "stored" and answer[later.id]["status"] == "stored"
    assert answer[bad["id"]]["status"] == "quarantined" and "UTF-8" in answer[bad["id"]]["reason"]
    items = device.http.get("/api/v1/quarantine").json()["items"]
    assert [i["event_id"] for i in items] == [bad["id"]]
    nul = device.wire(received_event(device.device_id))
    nul["id"] = "\ud800" + uuid7()[1:]
    response = device.http.post("/api/v1/push", content=json.dumps(device.push_body([nul])).encode(),
                                headers={"Content-Type": "application/json"})
    assert response.status_code == 200 and response.json()["results"][0]["status"] == "quarantined"


def test_malformed_json_and_wrong_types_are_the_same_4xx_everywhere(hub: HubProcess) -> None:
    device = enroll(hub, "C1")
    json_type = {"Content-Type": "application/json"}
    statuses = {
        path: httpx.post(f"{hub.url}{path}", content=b"{not json", headers={**json_type, **auth}).status_code
        for path, auth in (("/api/v1/enroll", {}), ("/api/v1/push", {"Authorization": f"Bearer {device.token}"}),
                           ("/api/v1/attachments/missing", {"Authorization": f"Bearer {device.token}"}),
                           ("/api/v1/reports", {"Authorization": f"Bearer {device.token}"}),
                           ("/api/v1/admin/communes", {"Authorization": f"Bearer {ADMIN_TOKEN}"}))}
    assert set(statuses.values()) == {400}, statuses
    text = device.http.post("/api/v1/push", content=json.dumps(device.push_body([])).encode(),
                            headers={"Content-Type": "text/plain"})
    assert text.status_code == 415 and text.json()["error"] == "unsupported_media_type"
    chunk = device.http.put(f"/api/v1/attachments/{'0' * 64}", content=b"x",
                            headers={"X-Offset": "0", "X-Total-Size": "1", "Content-Type": "application/json"})
    assert chunk.status_code == 415


def _peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def test_authentication_comes_before_the_body(hub: HubProcess) -> None:
    device = enroll(hub, "C1")
    bomb = gzip.compress(b" " * (48 * 1024 * 1024))       # ~48 KB on the wire, 48 MiB inflated
    headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
    assert hub.proc is not None
    before = _peak_rss_kib(hub.proc.pid)
    statuses: list[int] = []

    def send() -> None:
        with httpx.Client(timeout=60) as client:
            statuses.append(client.post(f"{hub.url}/api/v1/push", content=bomb,
                                        headers={**headers, "Authorization": "Bearer nope"}).status_code)

    threads = [threading.Thread(target=send) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [401] * 40
    assert _peak_rss_kib(hub.proc.pid) - before < 64 * 1024, "unauthenticated bombs must not be inflated"
    over = device.http.post("/api/v1/push", content=bomb, headers=headers)
    assert over.status_code == 413 and over.json()["error"] == "too_large"
    assert httpx.post(f"{hub.url}/api/v1/admin/communes", content=bomb, headers=headers).status_code == 401
