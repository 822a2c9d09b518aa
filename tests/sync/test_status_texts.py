"""What the desk says about sync in the cases issue 17 found wrong: a desk that never synced, and a
desk the province revoked (it says so and stops retrying on its own)."""

from __future__ import annotations

import time

import pytest

from motcua.sync.engine import sync_round
from motcua.sync.errors import DeviceRevoked
from motcua.sync.meta import get_meta
from motcua.sync.scheduler import Backoff, SyncScheduler
from motcua.sync.status import overview
from tests.hub.hubkit import HubProcess
from tests.sync.conftest import DeskStore, enroll_store


def test_a_desk_that_never_synced_does_not_say_it_is_synced(store: DeskStore, hub: HubProcess) -> None:
    enroll_store(store, hub)
    view = overview(store.conn)
    assert view.state == "pending" and "Chưa đồng bộ lần nào" in view.headline
    assert "Đã đồng bộ đầy đủ" not in view.headline
    sync_round(store.conn, store.data_dir)
    assert overview(store.conn).state == "synced"


def test_a_revoked_desk_says_so_and_stops_retrying(store: DeskStore, hub: HubProcess) -> None:
    enroll_store(store, hub)
    store.new_dossier(extra_events=0)
    hub.cli("revoke", str(get_meta(store.conn, "hub_device_id")))
    with pytest.raises(DeviceRevoked):
        sync_round(store.conn, store.data_dir)
    view = overview(store.conn)
    assert view.state == "error" and "thu hồi" in view.headline and "không tự thử lại" in view.headline
    assert "sẽ tự thử lại" not in view.headline

    scheduler = SyncScheduler(store.data_dir, interval=0.2, backoff=Backoff(base=0.1, cap=0.2, jitter=0.0))
    scheduler.start()
    try:
        deadline = time.monotonic() + 30
        while scheduler.rounds < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)
        assert scheduler.rounds == 1 and scheduler.next_delay is None   # waits for "sync now", no timer
        scheduler.sync_now()
        deadline = time.monotonic() + 30
        while scheduler.rounds < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert scheduler.rounds == 2
    finally:
        scheduler.stop()
