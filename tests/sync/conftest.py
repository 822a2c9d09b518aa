"""Shared fixtures for the sync client tests: real SQLite stores, real hub processes, an in-memory keyring."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import keyring
import pytest

from motcua.domain.clock import now
from motcua.domain.ids import uuid7
from motcua.services.demo import SampleFactory
from motcua.services.desk import Desk
from motcua.services.intake import parse_intake
from tests.conftest import TEST_SETTINGS, open_desk_store
from tests.hub.hubkit import HubProcess, PostgresCluster, database_url_for, postgres_or_skip, running_hub
from tests.sync.keyrings import MemoryKeyring

COMMUNE = "000.17.22.H56"


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@dataclass
class DeskStore:
    data_dir: Path
    conn: sqlite3.Connection
    desk: Desk
    factory: SampleFactory

    def new_dossier(self, extra_events: int = 4) -> str:
        """One received dossier plus ``extra_events`` events (a hand-over, then notes)."""
        moment = now() - timedelta(hours=2)
        outcome = self.desk.intake(parse_intake(self.factory.intake(moment)), "motnhanvien")
        dossier_id = outcome.record.id
        for index in range(extra_events):
            if index == 0:
                self.desk.act(dossier_id, "handed_over", "motnhanvien", {"to": "cc.tuphap"})
            else:
                self.desk.act(dossier_id, "note", "cc.tuphap", {"text": f"Ghi chú số {index}"})
        return dossier_id

    def attach(self, dossier_id: str, content: bytes, name: str = "scan.pdf") -> str:
        path = self.data_dir / f"in-{hashlib.sha256(content).hexdigest()[:8]}.pdf"
        path.write_bytes(content)
        self.desk.attach(dossier_id, path, "motnhanvien", name=name)
        return hashlib.sha256(content).hexdigest()

    def states(self) -> dict[str, int]:
        return {r[0]: r[1] for r in self.conn.execute("SELECT sync_state, count(*) FROM events GROUP BY 1")}


def make_store(directory: Path, seed: int = 2026) -> DeskStore:
    # Each desk its own device (hand-overs go to the demo staff's accounts).
    conn = open_desk_store(directory, settings={**TEST_SETTINGS, "agency_code": COMMUNE, "device_id": uuid7()})
    return DeskStore(directory, conn, Desk(conn, directory), SampleFactory(seed))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[DeskStore]:
    desk_store = make_store(tmp_path / "desk")
    yield desk_store
    desk_store.conn.close()


def pdf_bytes(seed: int, size: int) -> bytes:
    """A PDF-looking file of ``size`` bytes, distinct per seed."""
    head = f"%PDF-1.4\n% tệp thử {seed}\n".encode()
    body = hashlib.sha256(str(seed).encode()).hexdigest().encode() * (size // 64 + 1)
    return (head + body)[:size]




@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubProcess]:
    process = HubProcess(tmp_path / "hub")
    process.data_dir.mkdir(parents=True)
    process.cli("create-commune", COMMUNE, "Xã Ea Kao")
    process.start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def pg() -> Iterator[PostgresCluster]:
    with postgres_or_skip() as cluster:
        yield cluster


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def province(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[HubProcess]:
    """A real hub on each engine: SQLite, and PostgreSQL where a cluster can be started (else skipped)."""
    cluster = request.getfixturevalue("pg") if request.param == "postgres" else None
    with running_hub(database_url_for(request.param, tmp_path, cluster), tmp_path) as process:
        yield process


def enroll_store(desk_store: DeskStore, hub_process: HubProcess, ca_file: str | None = None) -> None:
    from motcua.sync.enroll import enroll

    code = hub_process.cli("enroll-code", COMMUNE)["enrollment_code"]  # type: ignore[index]
    enroll(desk_store.conn, hub_process.url, code, device_name="may-1", ca_file=ca_file)


def hub_db(hub_process: HubProcess) -> sqlite3.Connection:
    conn = sqlite3.connect(hub_process.data_dir / "hub.sqlite3", timeout=30)
    conn.row_factory = sqlite3.Row
    return conn
