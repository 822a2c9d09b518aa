"""The client against a REAL hub process: enrol, push, pull, attachments, resilience to kills and replays."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import requests

from motcua.store.attachments import blob_path
from motcua.store.check import check_store
from motcua.sync.client import HubClient
from motcua.sync.engine import make_client, sync_round
from motcua.sync.errors import AuthRefused, NotAcknowledged, SyncError, Unreachable
from motcua.sync.outbox import pending_batch, wire_event
from motcua.sync.status import overview
from tests.hub.hubkit import HubProcess
from tests.sync import verify
from tests.sync.conftest import COMMUNE, DeskStore, enroll_store, make_store, pdf_bytes


def assert_exactly_once(store: DeskStore, hub: HubProcess) -> None:
    verify.assert_exactly_once(store.conn, store.data_dir, hub.data_dir)


def test_enroll_push_pull_round_trip(store: DeskStore, hub: HubProcess, tmp_path: Path) -> None:
    enroll_store(store, hub)
    dossiers = [store.new_dossier() for _ in range(5)]
    sha = store.attach(dossiers[0], pdf_bytes(1, 300_000))
    result = sync_round(store.conn, store.data_dir)
    assert result.pushed == 26 and result.uploaded_files == 1
    assert_exactly_once(store, hub)
    # A second desk of the same commune receives everything.
    other = make_store(tmp_path / "desk2", seed=7)
    enroll_store(other, hub)
    received = sync_round(other.conn, other.data_dir)
    assert received.downloaded_files == 1
    assert received.changes().dossier_ids == frozenset(dossiers) and received.changes().sync
    assert other.conn.execute("SELECT count(*) FROM events WHERE sync_state = 'remote'").fetchone()[0] == 26
    assert check_store(other.conn, other.data_dir).ok           # the file came too, hash checked
    assert other.conn.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 5
    view = overview(store.conn)
    assert view.state == "synced", view.headline
    assert sha


def test_replayed_push_is_answered_as_duplicate(store: DeskStore, hub: HubProcess) -> None:
    enroll_store(store, hub)
    store.new_dossier()
    batch = [wire_event(r) for r in pending_batch(store.conn)]
    client = make_client(store.conn)
    device = store.conn.execute("SELECT json_extract(value, '$') FROM sync_meta WHERE key = 'hub_device_id'")
    device_id = device.fetchone()[0]
    first = client.push(device_id, batch)
    second = client.push(device_id, batch)            # the answer to the first was "lost"
    assert {r.status for r in first.results} == {"stored"}
    assert {r.status for r in second.results} == {"duplicate"}
    assert [r.hub_seq for r in first.results] == [r.hub_seq for r in second.results]
    sync_round(store.conn, store.data_dir)             # the outbox still holds them: sent again, harmless
    assert_exactly_once(store, hub)


class _KillingClient(HubClient):
    """Kills the hub (SIGKILL) while the N-th push request is in flight."""

    def __init__(self, inner: HubClient, hub: HubProcess, at_push: int, delay: float):
        super().__init__(inner.transport, attempts=1)
        self.hub, self.at_push, self.delay, self.pushes = hub, at_push, delay, 0
        self.timer: threading.Timer | None = None

    def push(self, device_id, events):  # type: ignore[no-untyped-def]
        self.pushes += 1
        if self.pushes == self.at_push:
            self.timer = threading.Timer(self.delay, self.hub.kill)
            self.timer.start()
        return super().push(device_id, events)


@pytest.mark.parametrize("delay", [0.0, 0.01, 0.03])
def test_hub_killed_mid_push_then_restarted(store: DeskStore, hub: HubProcess, delay: float) -> None:
    enroll_store(store, hub)
    for _ in range(40):
        store.new_dossier()
    client = _KillingClient(make_client(store.conn), hub, at_push=3, delay=delay)
    with pytest.raises(SyncError):
        sync_round(store.conn, store.data_dir, client, batch_size=20)
    assert client.timer is not None
    client.timer.join()
    states = store.states()
    assert states["sent"] >= 40 and states["pending"] >= 40      # cut in the middle of the outbox
    assert set(states) == {"pending", "sent"}                   # never stuck in an in-between state
    hub.start()
    sync_round(store.conn, store.data_dir)
    assert_exactly_once(store, hub)


class _CuttingClient(HubClient):
    """Drops the connection after a few chunks (counted over all parallel uploads), as a flaky 3G link
    does: the hub stored the chunk, we never heard back."""

    def __init__(self, inner: HubClient, cut_after: int, shared: dict[str, object] | None = None):
        super().__init__(inner.transport, attempts=1)
        self.cut_after = cut_after
        self.shared = shared if shared is not None else {"chunks": 0, "lock": threading.Lock()}

    def clone(self) -> HubClient:
        return _CuttingClient(HubClient(self.transport.clone()), self.cut_after, self.shared)

    def put_chunk(self, sha256: str, offset: int, total: int, chunk: bytes):  # type: ignore[override]
        with self.shared["lock"]:  # type: ignore[attr-defined]
            self.shared["chunks"] = int(self.shared["chunks"]) + 1  # type: ignore[call-overload]
            number = self.shared["chunks"]
        answer = super().put_chunk(sha256, offset, total, chunk)
        if number == self.cut_after:
            raise Unreachable("cut")
        return answer


def test_upload_resumes_after_cuts_and_hashes_verify(store: DeskStore, hub: HubProcess) -> None:
    enroll_store(store, hub)
    dossier = store.new_dossier(extra_events=1)
    shas = [store.attach(dossier, pdf_bytes(seed, 2_500_000)) for seed in range(3)]
    for cut in (2, 2, 3):
        client = _CuttingClient(make_client(store.conn), cut)
        with pytest.raises(Unreachable):
            sync_round(store.conn, store.data_dir, client)
    assert store.states() == {"pending": 5}
    sync_round(store.conn, store.data_dir)
    assert_exactly_once(store, hub)
    assert all(blob_path(store.data_dir, s).exists() for s in shas)


def test_captive_portal_200_is_not_success(store: DeskStore, tmp_path: Path) -> None:
    """Something answers 200 with a login page: nothing may be marked sent."""
    import http.server

    class Portal(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            body = b"<html><body>Dang nhap wifi mien phi</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Portal)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        from motcua.protocol.signing import generate_private_key
        from motcua.store.db import transaction
        from motcua.sync.credentials import save_private_key, save_token
        from motcua.sync.meta import put_meta

        save_private_key(store.conn, generate_private_key())
        save_token(store.conn, "t")
        with transaction(store.conn):
            put_meta(store.conn, {"hub_url": f"http://127.0.0.1:{server.server_address[1]}",
                                  "hub_device_id": "d", "commune_code": COMMUNE})
        store.new_dossier()
        client = make_client(store.conn, attempts=2, pause=0.01)
        with pytest.raises(NotAcknowledged):
            sync_round(store.conn, store.data_dir, client)
        assert store.states() == {"pending": 5}
        view = overview(store.conn)
        assert view.state == "error" and "wifi" in view.last_error
    finally:
        server.shutdown()


def test_revoked_device_is_told_to_enrol_again(store: DeskStore, hub: HubProcess) -> None:
    enroll_store(store, hub)
    device_id = store.conn.execute("SELECT json_extract(value, '$') FROM sync_meta WHERE key = 'hub_device_id'"
                                   ).fetchone()[0]
    hub.cli("revoke", device_id)
    store.new_dossier(extra_events=0)
    with pytest.raises(AuthRefused) as caught:
        sync_round(store.conn, store.data_dir)
    assert "đăng ký lại" in str(caught.value)
    assert not caught.value.retry


def test_status_needs_the_token(store: DeskStore, hub: HubProcess) -> None:
    enroll_store(store, hub)
    client = make_client(store.conn)
    assert client.status()["commune_code"] == COMMUNE
    plain = requests.get(hub.url + "/api/v1/status", timeout=10)
    assert plain.status_code == 401          # scoped: nothing without the device's token


def test_upload_follows_the_hub_when_it_holds_less_than_remembered(store: DeskStore, hub: HubProcess) -> None:
    enroll_store(store, hub)
    dossier = store.new_dossier(extra_events=0)
    sha = store.attach(dossier, pdf_bytes(77, 300_000))
    # We believe 200 kB went through, but the hub lost its partial file: it answers 409 "resume at 0".
    store.conn.execute("INSERT INTO sync_upload_progress (sha256, received, updated_at) VALUES (?, 200000, '')",
                       (sha,))
    result = sync_round(store.conn, store.data_dir)
    assert result.uploaded_files == 1
    assert_exactly_once(store, hub)
