"""The background loop retries on its own after failures (no local write needed) and wakes on "sync now"."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from motcua.sync.scheduler import Backoff, SyncScheduler
from motcua.sync.status import overview
from tests.hub.hubkit import HubProcess
from tests.sync.conftest import COMMUNE, DeskStore, enroll_store


def wait_for(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_scheduler_retries_until_the_hub_is_back_and_wakes_on_demand(store: DeskStore, tmp_path: Path) -> None:
    hub = HubProcess(tmp_path / "hub")
    hub.data_dir.mkdir(parents=True)
    hub.cli("create-commune", COMMUNE, "Xã Ea Kao")
    hub.start()
    enroll_store(store, hub)
    hub.stop()                                    # the province's server goes down
    store.new_dossier()                           # the desk keeps working offline
    rounds: list[Exception | None] = []
    scheduler = SyncScheduler(store.data_dir, interval=3600, backoff=Backoff(base=0.2, cap=1.0, jitter=0.3),
                              on_round=lambda result, error: rounds.append(error), seed=3)
    scheduler.start()
    try:
        assert wait_for(lambda: len(rounds) >= 3, 15), "the loop must keep retrying by itself"
        assert all(e is not None for e in rounds) and scheduler.failures >= 3
        view = overview(store.conn)
        assert view.state == "error" and view.pending == 5
        assert "Không kết nối được" in view.headline
        hub.start()                               # back; nobody touches the desk
        assert wait_for(lambda: overview(store.conn).state == "synced", 20), overview(store.conn).headline
        assert overview(store.conn).pending == 0
        # Now the loop sleeps for an hour; "sync now" sends a new intake at once.
        time.sleep(0.3)
        store.new_dossier(extra_events=0)
        scheduler.sync_now()
        assert wait_for(lambda: overview(store.conn).pending == 0, 10)
        assert scheduler.next_delay == 3600
    finally:
        scheduler.stop()
        hub.stop()
