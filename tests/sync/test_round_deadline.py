"""A sync round has an overall deadline: a hub that accepts connections and never answers ends the
round with a clear status instead of minutes of retries (issue 17, item 6)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from motcua.store.db import transaction
from motcua.sync import engine
from motcua.sync.engine import sync_round
from motcua.sync.errors import RoundTimedOut
from motcua.sync.meta import get_meta, put_meta
from tests.hub.hubkit import HubProcess
from tests.sync.conftest import DeskStore, enroll_store


@pytest.fixture
def silent_hub() -> Iterator[str]:
    """A TCP server that accepts every connection, reads what comes and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            held.append(conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join(timeout=5)
    for conn in held:
        conn.close()
    server.close()


def test_a_silent_hub_ends_the_round_by_its_deadline(store: DeskStore, hub: HubProcess, silent_hub: str) -> None:
    enroll_store(store, hub)
    store.new_dossier(extra_events=1)
    with transaction(store.conn):
        put_meta(store.conn, {"hub_url": silent_hub})
    assert engine.ROUND_SECONDS <= 60
    started = time.monotonic()
    with pytest.raises(RoundTimedOut):
        sync_round(store.conn, store.data_dir, round_seconds=4)
    assert time.monotonic() - started < 8   # not 3 × 90 s
    error = str(get_meta(store.conn, "last_error"))
    assert "thời hạn của một lần đồng bộ" in error and "thử lại theo lịch" in error
    row = store.conn.execute("SELECT ok, bytes_sent FROM sync_log ORDER BY id DESC LIMIT 1").fetchone()
    assert row["ok"] == 0 and row["bytes_sent"] > 0   # what went out without an answer is counted
    assert store.states().get("pending", 0) == 2      # nothing marked sent without the hub's word
