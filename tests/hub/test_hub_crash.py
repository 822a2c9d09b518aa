"""Crash safety: SIGKILL the hub mid-push, restart, replay; cut uploads mid-body and resume.
Afterwards every event exists exactly once and every attachment hash verifies."""

from __future__ import annotations

import hashlib
import os
import socket
import threading
import time
from typing import Any

import httpx
import pytest

from motcua.domain.events import Event

from .hubkit import OCTETS, DeviceClient, HubProcess, check_hub_invariants, enroll, follow_up, received_event

pytestmark = pytest.mark.slow


def _batches(device: DeviceClient, dossiers: int, batch_size: int = 150) -> list[list[dict[str, Any]]]:
    events: list[Event] = []
    for _ in range(dossiers):
        created = received_event(device.device_id)
        events += [created, follow_up(device.device_id, created.dossier_id),
                   Event.new(created.dossier_id, "note", "An", {"text": "ghi chú"}, device_id=device.device_id)]
    wires = [device.wire(e) for e in events]
    return [wires[i:i + batch_size] for i in range(0, len(wires), batch_size)]


def _push_until_done(device: DeviceClient, batches: list[list[dict[str, Any]]], stop: threading.Event,
                     outcomes: list[str], failures: list[str]) -> None:
    """A client that pushes in order and retries a batch until the hub acknowledges it."""
    for batch in batches:
        while not stop.is_set():
            try:
                body = device.push(batch).json()
            except (httpx.HTTPError, ValueError) as exc:
                failures.append(type(exc).__name__)
                time.sleep(0.05)
                continue
            if body.get("ack") == "push":
                outcomes.extend(r["status"] for r in body["results"])
                break


def test_sigkill_mid_push_then_restart_and_replay(hub: HubProcess) -> None:
    devices = [enroll(hub, commune, f"máy {i}") for i, commune in enumerate(["A", "A", "B", "C"])]
    plans = {d.device_id: _batches(d, dossiers=600) for d in devices}
    outcomes: list[str] = []
    failures: list[str] = []
    stop = threading.Event()
    threads = [threading.Thread(target=_push_until_done, args=(d, plans[d.device_id], stop, outcomes, failures))
               for d in devices]
    for thread in threads:
        thread.start()
    kills_while_pushing = 0
    for delay in (0.4, 0.7, 0.3):
        time.sleep(delay)
        kills_while_pushing += any(t.is_alive() for t in threads)
        hub.kill()                       # mid-push: several batches are in flight
        time.sleep(0.2)
        hub.start()
    for thread in threads:
        thread.join(timeout=240)
    stop.set()
    assert not any(t.is_alive() for t in threads)
    assert "quarantined" not in outcomes
    assert kills_while_pushing >= 2 and failures, "the hub must have died under the pushers"

    # Every client now replays everything it ever sent (it cannot know what the dead hub committed).
    for device in devices:
        for batch in plans[device.device_id]:
            results = device.push(batch).json()["results"]
            assert {r["status"] for r in results} == {"duplicate"}

    total = sum(len(b) for plan in plans.values() for b in plan)
    counts = check_hub_invariants(hub.database_url, hub.data_dir)
    assert counts["events"] == total

    # A fresh device of commune A pulls every A event exactly once, nothing else.
    observer = enroll(hub, "A", "máy mới")
    items, _ = observer.pull_all(limit=500)
    ids = [i["data"]["id"] for i in items if i["kind"] == "event"]
    expected = {w["id"] for d in devices if d.commune_code == "A" for b in plans[d.device_id] for w in b}
    assert len(ids) == len(set(ids)) == len(expected) and set(ids) == expected


def _cut_upload(hub: HubProcess, device: DeviceClient, sha: str, offset: int, total: int, chunk: bytes) -> None:
    """Send a PUT whose body stops half-way, then drop the connection."""
    head = (f"PUT /api/v1/attachments/{sha} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {device.token}\r\nX-Offset: {offset}\r\nX-Total-Size: {total}\r\n"
            f"Content-Type: application/octet-stream\r\nContent-Length: {len(chunk)}\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", hub.port)) as sock:
        sock.sendall(head + chunk[:len(chunk) // 2])
        time.sleep(0.2)
    time.sleep(0.2)


def test_cut_connections_and_sigkill_mid_upload_then_resume(hub: HubProcess) -> None:
    device = enroll(hub, "A")
    data = os.urandom(1_000_000)
    sha = hashlib.sha256(data).hexdigest()
    size = len(data)

    _cut_upload(hub, device, sha, 0, size, data[:250_000])
    assert device.http.get(f"/api/v1/attachments/{sha}/status").json()["received"] == 0

    first = device.http.put(f"/api/v1/attachments/{sha}", content=data[:250_000],
                            headers={"X-Offset": "0", "X-Total-Size": str(size), **OCTETS})
    assert first.json()["received"] == 250_000
    _cut_upload(hub, device, sha, 250_000, size, data[250_000:500_000])
    assert device.http.get(f"/api/v1/attachments/{sha}/status").json() == {
        "ack": "attachment_status", "received": 250_000, "complete": False}

    hub.kill()
    hub.start()
    status = device.http.get(f"/api/v1/attachments/{sha}/status").json()
    assert status["received"] == 250_000 and not status["complete"]
    # A resent chunk overlapping what the hub has is harmless (rewritten from its offset).
    device.upload(data, sha, chunk=250_000, start=0)
    assert device.http.get(f"/api/v1/attachments/{sha}/status").json() == {
        "ack": "attachment_status", "received": size, "complete": True}
    assert device.http.get(f"/api/v1/attachments/{sha}").content == data
    counts = check_hub_invariants(hub.database_url, hub.data_dir)
    assert counts["attachments"] == 1
