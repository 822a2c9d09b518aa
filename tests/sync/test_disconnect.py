"""«Ngắt kết nối»: disconnect a desk from the hub and enrol it again, against REAL hub processes.

Real SQLite stores, real hubs on loopback, the in-memory keyring of the sync tests. The end state after a
new enrolment is the one every sync test asserts (``verify.assert_exactly_once``): every local event on
the hub exactly once, nothing pending, every file complete, ``motcua check`` clean.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.errors import KeyringError

from motcua.store.check import check_store
from motcua.store.db import transaction
from motcua.store.settings import put_values
from motcua.sync.disconnect import FORMER_KEY, disconnect, traces
from motcua.sync.engine import sync_round
from motcua.sync.errors import KeyringUnavailable, NotEnrolled, Unreachable
from motcua.sync.meta import all_meta
from motcua.sync.status import overview
from tests.hub.hubkit import HubProcess
from tests.sync import verify
from tests.sync.conftest import COMMUNE, DeskStore, enroll_store, hub_db, make_store, pdf_bytes
from tests.sync.keyrings import MemoryKeyring
from tests.sync.test_cli import motcua


def _snapshot(store: DeskStore) -> dict[str, object]:
    """What a disconnection must not change: the dossiers, the events (ids, facts), files, conflicts."""
    conn = store.conn
    return {
        "dossiers": conn.execute("SELECT * FROM dossiers ORDER BY id").fetchall(),
        "events": conn.execute("SELECT id, dossier_id, type, payload FROM events ORDER BY seq").fetchall(),
        "remote": conn.execute("SELECT id FROM events WHERE sync_state = 'remote' ORDER BY seq").fetchall(),
        "quarantined": conn.execute("SELECT id FROM events WHERE sync_state = 'quarantined'").fetchall(),
        "conflicts": conn.execute("SELECT * FROM sync_conflicts ORDER BY id").fetchall(),
        "files": sorted(p.name for p in (store.data_dir / "attachments").rglob("*") if p.is_file()),
    }


def _fresh_hub(directory: Path) -> Iterator[HubProcess]:
    process = HubProcess(directory)
    process.data_dir.mkdir(parents=True)
    process.cli("create-commune", COMMUNE, "Xã Ea Kao")
    process.start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def other_hub(tmp_path: Path) -> Iterator[HubProcess]:
    yield from _fresh_hub(tmp_path / "hub-2")


def _assert_disconnected(store: DeskStore, keys: MemoryKeyring) -> None:
    meta = all_meta(store.conn)
    for key in ("hub_url", "hub_device_id", "commune_code", "hub_public_key", "ca_file", "cursor", "last_success"):
        assert key not in meta, key
    uid = meta["store_uid"]
    assert [account for _, account in keys.secrets if account.startswith(uid)] == []
    assert not traces(store.conn).any
    view = overview(store.conn)
    assert view.state == "not_enrolled" and not view.enrolled and view.cursor == 0
    with pytest.raises(NotEnrolled):
        sync_round(store.conn, store.data_dir)


def test_disconnect_keeps_the_work_and_a_new_enrolment_sends_it_exactly_once(
        store: DeskStore, hub: HubProcess, tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    # Another desk of the commune, so this one has pulled events that must never be applied twice.
    colleague = make_store(tmp_path / "desk-2", seed=11)
    with transaction(colleague.conn):
        put_values(colleague.conn, {"workstation": 2})  # two workstations of one desk: distinct dossier codes
    enroll_store(colleague, hub)
    colleague.new_dossier()
    sync_round(colleague.conn, colleague.data_dir)

    enroll_store(store, hub)
    first = store.new_dossier()
    store.attach(first, pdf_bytes(3, 50_000))
    sync_round(store.conn, store.data_dir)
    assert store.states() == {"sent": 6, "remote": 5}

    hub.stop()                                          # offline: the official keeps working
    store.new_dossier(extra_events=2)
    store.desk.act(first, "note", "cc.tuphap", {"text": "Ghi chú khi mất mạng"})
    with pytest.raises(Unreachable):
        sync_round(store.conn, store.data_dir)
    assert store.states() == {"sent": 6, "pending": 4, "remote": 5}
    before = _snapshot(store)
    old_device = all_meta(store.conn)["hub_device_id"]

    result = disconnect(store.conn)
    assert (result.unsent, result.resend, result.quarantined) == (4, 6, 0)
    assert result.hub_url == hub.url and result.commune_code == COMMUNE and result.device_id == old_device
    assert result.secrets_forgotten == 2
    _assert_disconnected(store, memory_keyring)
    assert _snapshot(store) == before                   # nothing local is lost or rewritten
    assert store.states() == {"pending": 10, "remote": 5}  # the old hub's acknowledgements are offered again
    assert all_meta(store.conn)[FORMER_KEY][-1]["device_id"] == old_device
    assert check_store(store.conn, store.data_dir).ok

    with pytest.raises(NotEnrolled, match="chưa kết nối"):  # a second disconnection has nothing to do
        disconnect(store.conn)

    hub.start()
    enroll_store(store, hub)                            # a new code, a new device
    assert all_meta(store.conn)["hub_device_id"] != old_device
    again = sync_round(store.conn, store.data_dir)
    assert again.pushed == 10
    verify.assert_exactly_once(store.conn, store.data_dir, hub.data_dir)
    assert _snapshot(store) == before                   # the colleague's events came back, applied once only
    with hub_db(hub) as db:
        assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 15
    # The colleague receives this desk's work (6 before, 4 offline) once each: the replays added nothing to the feed.
    pulled = sync_round(colleague.conn, colleague.data_dir)
    assert pulled.pulled == 10
    assert colleague.states() == {"sent": 5, "remote": 10}
    assert check_store(colleague.conn, colleague.data_dir).ok


def test_moving_to_another_hub_sends_everything_the_old_one_had(
        store: DeskStore, hub: HubProcess, other_hub: HubProcess, memory_keyring: MemoryKeyring) -> None:
    """The rescue case: a desk enrolled against a test hub, moved to the real one."""
    enroll_store(store, hub)
    dossier = store.new_dossier()
    store.attach(dossier, pdf_bytes(5, 120_000))
    sync_round(store.conn, store.data_dir)
    store.new_dossier(extra_events=1)
    assert store.states() == {"sent": 6, "pending": 2}

    result = disconnect(store.conn)
    assert result.unsent == 2 and result.resend == 6
    _assert_disconnected(store, memory_keyring)
    enroll_store(store, other_hub)
    sync_round(store.conn, store.data_dir)
    verify.assert_exactly_once(store.conn, store.data_dir, other_hub.data_dir)   # the file was uploaded again too
    assert overview(store.conn).state == "synced"


def test_a_desk_never_enrolled_is_refused_and_nothing_is_written(store: DeskStore) -> None:
    store.new_dossier()
    before = _snapshot(store)
    with pytest.raises(NotEnrolled) as refused:
        disconnect(store.conn)
    assert str(refused.value) == "Máy này chưa kết nối với hệ thống của tỉnh nên không có gì để ngắt kết nối."
    assert all_meta(store.conn) == {} and _snapshot(store) == before
    assert store.states() == {"pending": 5}


class PowerCut(BaseException):
    """The process dies: nothing after this point runs."""


class DyingKeyring(MemoryKeyring):
    """The OS keyring, until the power is cut while the first secret is being deleted."""

    def __init__(self, secrets: dict[tuple[str, str], str]) -> None:
        super().__init__()
        self.secrets = dict(secrets)

    def delete_password(self, service: str, username: str) -> None:
        raise PowerCut


class LockedKeyring(MemoryKeyring):
    def __init__(self, secrets: dict[tuple[str, str], str]) -> None:
        super().__init__()
        self.secrets = dict(secrets)

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringError("kho khóa đang bị khóa")


def test_a_crash_between_the_store_and_the_keyring_converges_on_a_rerun(
        store: DeskStore, hub: HubProcess, memory_keyring: MemoryKeyring) -> None:
    enroll_store(store, hub)
    store.new_dossier()
    sync_round(store.conn, store.data_dir)
    store.new_dossier(extra_events=0)
    secrets = dict(memory_keyring.secrets)
    assert len(secrets) == 2

    keyring.set_keyring(DyingKeyring(secrets))
    with pytest.raises(PowerCut):
        disconnect(store.conn)
    # The store transaction committed: the desk says it is not enrolled, with stale secrets left behind.
    assert "hub_url" not in all_meta(store.conn) and overview(store.conn).state == "not_enrolled"
    assert store.states() == {"pending": 6}
    assert traces(store.conn).secrets and not traces(store.conn).in_store

    keyring.set_keyring(memory_keyring)                 # the PC restarts; support runs it again
    result = disconnect(store.conn)
    assert result.hub_url is None and result.secrets_forgotten == 2 and result.unsent == 6 and result.resend == 0
    _assert_disconnected(store, memory_keyring)
    assert store.states() == {"pending": 6}
    with pytest.raises(NotEnrolled):
        disconnect(store.conn)
    enroll_store(store, hub)
    sync_round(store.conn, store.data_dir)
    verify.assert_exactly_once(store.conn, store.data_dir, hub.data_dir)


def test_a_keyring_that_will_not_let_go_is_said_plainly_and_a_rerun_finishes(
        store: DeskStore, hub: HubProcess, memory_keyring: MemoryKeyring) -> None:
    enroll_store(store, hub)
    keyring.set_keyring(LockedKeyring(memory_keyring.secrets))
    with pytest.raises(KeyringUnavailable, match="chưa xóa được khóa truy cập"):
        disconnect(store.conn)
    assert "hub_url" not in all_meta(store.conn)
    keyring.set_keyring(memory_keyring)
    assert disconnect(store.conn).secrets_forgotten == 2
    _assert_disconnected(store, memory_keyring)


def test_cli_disconnect(store: DeskStore, hub: HubProcess, tmp_path: Path) -> None:
    keys = tmp_path / "keyring.json"
    code = hub.cli("enroll-code", COMMUNE)["enrollment_code"]  # type: ignore[index]
    assert motcua(store.data_dir, keys, "sync", "enroll", "--hub", hub.url, "--code", code).returncode == 0
    store.new_dossier(extra_events=2)

    out = motcua(store.data_dir, keys, "sync", "disconnect")        # not a terminal, no --yes: not done
    assert out.returncode == 2 and "--yes" in out.stderr
    assert "hub_url" in all_meta(store.conn)

    out = motcua(store.data_dir, keys, "sync", "disconnect", "--yes", "--json")
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    assert answer["unsent"] == 3 and answer["resend"] == 0 and answer["hub_url"] == hub.url
    assert answer["commune_code"] == COMMUNE and answer["secrets_forgotten"] == 2
    assert json.loads(keys.read_text()) == {}
    assert "hub_url" not in all_meta(store.conn) and store.states() == {"pending": 3}

    out = motcua(store.data_dir, keys, "sync", "disconnect", "--yes")
    assert out.returncode == 1 and "chưa kết nối với hệ thống của tỉnh" in out.stderr
    out = motcua(store.data_dir, keys, "sync", "disconnect", "--yes", "--json")
    assert out.returncode == 1 and "chưa kết nối" in json.loads(out.stdout)["error"]

    code = hub.cli("enroll-code", COMMUNE)["enrollment_code"]  # type: ignore[index]
    assert motcua(store.data_dir, keys, "sync", "enroll", "--hub", hub.url, "--code", code).returncode == 0
    out = motcua(store.data_dir, keys, "sync", "disconnect", "--yes")
    assert out.returncode == 0, out.stderr
    assert "Giữ lại 3 thay đổi chưa gửi" in out.stdout and "thu hồi mã máy cũ" in out.stdout


def test_items_from_the_hub_left_behind_make_room_for_another_hubs(store: DeskStore) -> None:
    """Both hubs number their feed from 1: the new hub's first announcement must not be dropped as known."""
    from motcua.domain.clock import iso, now
    from motcua.sync.disconnect import make_room_for_another_hub
    from motcua.sync.meta import put_meta
    from motcua.sync.pull import PullSummary, apply_page

    def announce(seq: int, title: str) -> None:
        apply_page(store.conn, [{"seq": seq, "kind": "announcement",
                                 "data": {"id": title, "title": title, "published_at": iso(now())}}],
                   seq, PullSummary())

    announce(1, "Từ máy chủ thử")
    with transaction(store.conn):
        put_meta(store.conn, {FORMER_KEY: [{"hub_url": "https://thu.example"}]})
        make_room_for_another_hub(store.conn, "https://thu.example")  # the same hub again: nothing moves
    assert [r[0] for r in store.conn.execute("SELECT hub_seq FROM announcements")] == [1]
    with transaction(store.conn):
        make_room_for_another_hub(store.conn, "https://motcua.daklak.gov.vn")
    announce(1, "Từ máy chủ tỉnh")
    titles = [r[0] for r in store.conn.execute("SELECT title FROM announcements ORDER BY hub_seq DESC")]
    assert titles == ["Từ máy chủ tỉnh", "Từ máy chủ thử"]
