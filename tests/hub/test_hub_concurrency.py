"""Concurrent pushes (issue 17): pushes of different communes run side by side (the feed counter is locked
only to number a batch's rows at its end), pushes of one commune one after the other. With real hubs
(SQLite; PostgreSQL with two workers) and eight desks of four communes pushing, replaying and pulling at
once: nothing is lost, nothing is stored twice, every desk pulls each of its commune's other events exactly
once, and projections match their events. Two communes racing for one event id or dossier id: one stores
it, the other is answered with a quarantine, never a 500."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from motcua.domain.ids import uuid7

from .hubkit import (
    DeviceClient,
    HubProcess,
    check_hub_invariants,
    database_url_for,
    enroll,
    follow_up,
    received_event,
    running_hub,
)

COMMUNES = 4
DESKS_PER_COMMUNE = 2
ROUNDS = 8


@pytest.fixture(params=[("sqlite", 1), pytest.param(("postgres", 2), marks=pytest.mark.postgres)],
                ids=["sqlite", "postgres-2-workers"])
def busy_hub(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, HubProcess]]:
    engine, workers = request.param
    cluster = request.getfixturevalue("pg") if engine == "postgres" else None
    url = database_url_for(engine, tmp_path, cluster)
    with running_hub(url, tmp_path, workers=workers) as hub:
        yield url, hub


def _run_all(jobs: list[Any]) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(len(jobs))

    def run(job: Any) -> None:
        try:
            start.wait(timeout=60)
            job()
        except BaseException as exc:  # reported by the caller
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return errors


def test_concurrent_desks_lose_nothing_duplicate_nothing_and_pull_everything(
        busy_hub: tuple[str, HubProcess]) -> None:
    url, hub = busy_hub
    desks = [enroll(hub, f"XA{c}", f"máy {d}") for c in range(COMMUNES) for d in range(DESKS_PER_COMMUNE)]
    stored: dict[str, list[int]] = {}          # event id → hub_seqs answered "stored"
    pushed_by: dict[str, str] = {}             # event id → device id
    lock = threading.Lock()
    done = threading.Event()
    pulled: dict[str, list[tuple[int, str]]] = {d.device_id: [] for d in desks}

    def pusher(desk: DeviceClient) -> None:
        mine: list[str] = []
        for round_ in range(ROUNDS):
            events = [received_event(desk.device_id) for _ in range(3)]
            mine.extend(e.dossier_id for e in events)
            events += [follow_up(desk.device_id, dossier) for dossier in mine[-6:-3]]
            wire = [desk.wire(e) for e in events]
            for attempt in range(2 if round_ % 3 == 0 else 1):   # every third batch is replayed
                response = desk.push(wire)
                assert response.status_code == 200, response.text
                for result in response.json()["results"]:
                    assert result["status"] in ("stored", "duplicate"), result
                    with lock:
                        if result["status"] == "stored":
                            stored.setdefault(result["id"], []).append(result["hub_seq"])
                            pushed_by[result["id"]] = desk.device_id
                        else:
                            assert attempt == 1 or result["id"] in stored

    def puller(desk: DeviceClient) -> None:
        cursor = 0
        while True:
            finished = done.is_set()
            items, cursor = desk.pull_all(cursor, limit=7)
            pulled[desk.device_id].extend((item["seq"], item["data"]["id"]) for item in items)
            if finished:
                return
            done.wait(0.05)

    pullers = [threading.Thread(target=puller, args=(desk,)) for desk in desks]
    for thread in pullers:
        thread.start()
    errors = _run_all([lambda desk=desk: pusher(desk) for desk in desks])
    done.set()
    for thread in pullers:
        thread.join(timeout=120)
    assert not errors, errors

    expected_events = len(desks) * ROUNDS * 3 + len(desks) * (ROUNDS - 1) * 3
    assert len(stored) == expected_events
    assert all(len(seqs) == 1 for seqs in stored.values()), "an event was stored twice"
    seqs = sorted(seq for seqs in stored.values() for seq in seqs)
    assert seqs == list(range(1, len(seqs) + 1)), "the answered hub_seqs are the feed, gap-free"
    for desk in desks:
        got = pulled[desk.device_id]
        assert len({seq for seq, _ in got}) == len(got), "an item was pulled twice"
        others = {event_id for event_id, device in pushed_by.items()
                  if device != desk.device_id and _commune(desks, device) == desk.commune_code}
        assert {event_id for _, event_id in got} == others
    counts = check_hub_invariants(url, hub.data_dir)
    assert counts["events"] == expected_events


def _commune(desks: list[DeviceClient], device_id: str) -> str:
    return next(d.commune_code for d in desks if d.device_id == device_id)


def test_one_commune_desks_on_one_dossier_and_communes_racing_for_one_id(
        busy_hub: tuple[str, HubProcess]) -> None:
    url, hub = busy_hub
    first, second = enroll(hub, "XB1", "máy 1"), enroll(hub, "XB1", "máy 2")
    other = enroll(hub, "XB2", "máy 1")
    # Two desks of one commune move the same dossiers at once: each change is checked in hub order.
    dossiers = [received_event(first.device_id) for _ in range(20)]
    assert first.push([first.wire(e) for e in dossiers]).status_code == 200
    answers: list[dict[str, Any]] = []

    def move(desk: DeviceClient) -> None:
        response = desk.push([desk.wire(follow_up(desk.device_id, d.dossier_id)) for d in dossiers])
        assert response.status_code == 200, response.text
        answers.extend(response.json()["results"])

    assert not _run_all([lambda: move(first), lambda: move(second)])
    assert len(answers) == 40
    # Two communes push one event id (and one dossier id) at once, twelve times: one stores it, the other
    # hears a quarantine, and neither batch loses its other events.
    outcomes: list[tuple[str, str]] = []
    for _ in range(12):
        shared = received_event(first.device_id, dossier_id=uuid7())
        theirs = received_event(other.device_id, dossier_id=shared.dossier_id)
        clash = {**other.wire(theirs), "id": shared.id}

        def send(desk: DeviceClient, event: dict[str, Any]) -> None:
            extra = received_event(desk.device_id)
            response = desk.push([event, desk.wire(extra)])
            assert response.status_code == 200, response.text
            results = response.json()["results"]
            assert results[1]["status"] == "stored", results
            outcomes.append((desk.commune_code, results[0]["status"]))

        mine, clashing = first.wire(shared), clash
        assert not _run_all([lambda m=mine: send(first, m), lambda c=clashing: send(other, c)])
    statuses = sorted(status for _, status in outcomes)
    assert statuses == ["quarantined"] * 12 + ["stored"] * 12
    check_hub_invariants(url, hub.data_dir)
