"""Two desks of one commune and their dossier codes, against a REAL hub process (SQLite and PostgreSQL):
enrolled one after the other they get their own workstation numbers; when two dossiers still share a
code (a desk set up before the hub handed out numbers), the clash waits as a conflict for the official
and the desk keeps syncing everything else (issue 17)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from motcua.cli import main as motcua_main
from motcua.store.db import transaction
from motcua.store.settings import get_settings, put_values
from motcua.sync.conflicts import open_conflicts
from motcua.sync.engine import sync_round
from motcua.sync.enroll import enroll
from motcua.sync.meta import get_meta
from tests.hub.hubkit import (
    HubProcess,
    PostgresCluster,
    create_commune,
    database_url_for,
    postgres_or_skip,
    running_hub,
)
from tests.sync.conftest import COMMUNE, DeskStore, make_store


@pytest.fixture(scope="module")
def pg() -> Iterator[PostgresCluster]:
    with postgres_or_skip() as cluster:
        yield cluster


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def province(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[HubProcess]:
    cluster = request.getfixturevalue("pg") if request.param == "postgres" else None
    with running_hub(database_url_for(request.param, tmp_path, cluster), tmp_path) as process:
        yield process


def desk(tmp_path: Path, hub: HubProcess, name: str, seed: int) -> DeskStore:
    """A desk of COMMUNE set up with the default `motcua init` (workstation 0), then enrolled."""
    store = make_store(tmp_path / name, seed=seed)
    assert get_settings(store.conn).workstation == 0
    with hub.admin() as admin:
        create_commune(admin, COMMUNE, "Xã Ea Kao")
        code = admin.post("/api/v1/admin/enrollment-codes", json={"commune_code": COMMUNE}).json()["enrollment_code"]
    enroll(store.conn, hub.url, code, device_name=name)
    return store


def codes(store: DeskStore) -> set[str]:
    return {r[0] for r in store.conn.execute("SELECT code FROM dossiers")}


def test_two_desks_enrolled_one_after_the_other_never_share_a_code(province: HubProcess, tmp_path: Path) -> None:
    first = desk(tmp_path, province, "may-1", seed=1)
    second = desk(tmp_path, province, "may-2", seed=2)
    assert (get_settings(first.conn).workstation, get_settings(second.conn).workstation) == (1, 2)
    for store in (first, second):
        for _ in range(3):
            store.new_dossier(extra_events=1)
    assert not codes(first) & codes(second)
    for store in (first, second, first):
        result = sync_round(store.conn, store.data_dir)
        assert result.quarantined == 0
    assert codes(first) == codes(second) and len(codes(first)) == 6
    assert not open_conflicts(first.conn) and not open_conflicts(second.conn)


def test_a_clash_waits_for_the_official_and_everything_else_syncs(province: HubProcess, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    first = desk(tmp_path, province, "may-1", seed=1)
    second = desk(tmp_path, province, "may-2", seed=2)
    with transaction(second.conn):  # as if set up by hand like the first one, before the hub gave numbers
        put_values(second.conn, {"workstation": get_settings(first.conn).workstation})
    mine = first.new_dossier(extra_events=1)
    theirs = second.new_dossier(extra_events=1)
    clashing = codes(first) & codes(second)
    assert len(clashing) == 1
    sync_round(first.conn, first.data_dir)

    later = first.new_dossier(extra_events=1)          # more work of the first desk after the clash
    sync_round(first.conn, first.data_dir)
    with province.admin() as admin:
        assert admin.post("/api/v1/admin/announcements", json={"title": "Lịch trực Tết",
                                                                "body_markdown": "Trực đủ."}).status_code == 200
    result = sync_round(second.conn, second.data_dir)  # does not stop: the clash is held, the rest arrives
    assert result.quarantined == 2                     # its dossier's intake (the clash) and the hand-over after it
    assert get_meta(second.conn, "last_error") == ""
    local = {r[0] for r in second.conn.execute("SELECT id FROM dossiers")}
    assert later in local and mine not in local and theirs in local
    assert second.conn.execute("SELECT count(*) FROM announcements").fetchone()[0] == 1
    conflicts = open_conflicts(second.conn)
    kinds = sorted(c.kind for c in conflicts)
    assert kinds == ["local_quarantined"] * 2 + ["remote_not_applicable"] * 2   # each intake and its hand-over
    remote = next(c for c in conflicts if c.kind == "remote_not_applicable" and c.event["type"] == "received")
    assert remote.dossier_id == mine and next(iter(clashing)) in remote.description
    local_conflict = next(c for c in conflicts if c.kind == "local_quarantined" and c.event["type"] == "received")
    assert local_conflict.dossier_id == theirs and "đã được một hồ sơ khác của xã dùng" in local_conflict.description

    again = sync_round(second.conn, second.data_dir)   # every later round is clean; the clash keeps waiting
    assert get_meta(second.conn, "last_error") == "" and again.quarantined == 0
    assert len(open_conflicts(second.conn)) == 4

    capsys.readouterr()
    assert motcua_main(["--data-dir", str(second.data_dir), "sync", "conflicts", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert {c["dossier_id"] for c in shown} == {mine, theirs}
    with province.admin() as admin:   # the province sees the same reason the desk was given
        items = admin.get("/api/v1/admin/quarantine", params={"commune_code": COMMUNE}).json()["items"]
    assert local_conflict.reason in [i["reason"] for i in items]
