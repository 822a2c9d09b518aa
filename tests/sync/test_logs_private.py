"""Nothing personal in logs: after a good sync round, a failing one and hostile requests carrying applicants'
data, no log or diagnostic file of the desk or the hub holds a name, ID number, phone or address."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from motcua.sync.credentials import load_credentials
from motcua.sync.engine import sync_round
from motcua.sync.errors import SyncError
from tests.hub.hubkit import HubProcess
from tests.sync.conftest import DeskStore, enroll_store, pdf_bytes

STORES = {".sqlite3", ".sqlite3-wal", ".sqlite3-shm", ".db"}


def applicants(store: DeskStore) -> list[str]:
    values: set[str] = set()
    for (payload,) in store.conn.execute("SELECT payload FROM events WHERE type = 'received'"):
        applicant = json.loads(payload).get("applicant") or {}
        values |= {str(applicant[k]) for k in ("name", "id_number", "phone", "address") if applicant.get(k)}
    return sorted(values)


def diagnostic_files(root: Path) -> list[Path]:
    """Every file that is not a store, a scanned attachment or a key: logs, crash reports, diagnostics."""
    return [p for p in root.rglob("*") if p.is_file() and not any(str(p).endswith(s) for s in STORES)
            and "attachments" not in p.parts and "blobs" not in p.parts and not p.name.endswith(".pem")]


def test_logs_hold_no_applicant_data(store: DeskStore, hub: HubProcess) -> None:
    enroll_store(store, hub)
    dossiers = [store.new_dossier() for _ in range(4)]
    store.attach(dossiers[0], pdf_bytes(3, 50_000))
    assert sync_round(store.conn, store.data_dir).pushed > 0
    personal = applicants(store)
    assert len(personal) >= 12

    # Hostile or broken requests that carry the applicants' data: the hub must answer without logging it.
    token = load_credentials(store.conn).token
    body = {"protocol": 1, "device_id": "x", "client_time": "bad", "events": [
        {"id": "not-a-uuid", "type": "received", "payload": {"applicant": {"name": personal[0],
                                                                           "id_number": personal[1]}}}]}
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    for data in (json.dumps(body), json.dumps(body)[:-7], json.dumps({"protocol": personal})):
        answer = requests.post(f"{hub.url}/api/v1/push", data=data.encode(), headers=headers, timeout=10)
        assert 400 <= answer.status_code < 500

    hub.kill()                                                   # a failing round
    store.new_dossier()
    with pytest.raises(SyncError):
        sync_round(store.conn, store.data_dir)
    hub.start()
    sync_round(store.conn, store.data_dir)
    personal = applicants(store)

    desk_log = json.dumps([list(r) for r in store.conn.execute("SELECT * FROM sync_log")], ensure_ascii=False)
    files = diagnostic_files(store.data_dir) + diagnostic_files(hub.data_dir)
    assert hub.log in files
    texts = {"sync_log": desk_log} | {str(p): p.read_bytes().decode("utf-8", "replace") for p in files}
    leaks = {(where, value) for where, text in texts.items() for value in personal if value in text}
    assert not leaks
