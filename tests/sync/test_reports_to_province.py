"""The monthly report travels to the province: real desks, a REAL hub process (SQLite and PostgreSQL),
the province reading the aggregate through the admin API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import inspect

from motcua.cli import main as motcua_main
from motcua.domain.clock import now
from motcua.hub.province.reports_store import commune_reports
from motcua.hub.store.database import HubDatabase
from motcua.hub.store.migrations import migrate
from motcua.reports.figures import Figures, compute_report
from motcua.reports.payload import report_payload
from motcua.reports.period import Period, month, parse_period, settle
from motcua.store.db import transaction
from motcua.store.settings import put_values
from motcua.sync.credentials import load_credentials
from motcua.sync.engine import make_client, sync_round
from motcua.sync.enroll import enroll
from motcua.sync.meta import get_meta
from motcua.sync.reports_upload import (
    SENT_KEY,
    last_report,
    months_to_send,
    official_months_to_send,
    send_reports,
)
from tests.hub.hubkit import (
    HubProcess,
    PostgresCluster,
    create_commune,
    database_url_for,
    postgres_or_skip,
    running_hub,
)
from tests.sync.conftest import COMMUNE, DeskStore, make_store

OTHER = "000.17.22.H99"


@pytest.fixture(scope="module")
def pg() -> Iterator[PostgresCluster]:
    with postgres_or_skip() as cluster:
        yield cluster


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    cluster = request.getfixturevalue("pg") if request.param == "postgres" else None
    return database_url_for(request.param, tmp_path, cluster)


@pytest.fixture
def province(database_url: str, tmp_path: Path) -> Iterator[HubProcess]:
    """A real hub process with the province's admin token."""
    with running_hub(database_url, tmp_path) as process:
        yield process


def desk(tmp_path: Path, hub: HubProcess, commune: str, name: str, seed: int) -> DeskStore:
    """A commune's desk store (settings of ``commune``), enrolled with the hub."""
    store = make_store(tmp_path / f"desk-{commune}", seed=seed)
    with transaction(store.conn):
        put_values(store.conn, {"agency_code": commune, "commune_name": name})
    with hub.admin() as admin:
        create_commune(admin, commune, name)
        code = admin.post("/api/v1/admin/enrollment-codes", json={"commune_code": commune}).json()["enrollment_code"]
    enroll(store.conn, hub.url, code, device_name=f"may-{commune}")
    return store


def work(store: DeskStore, dossiers: int, *, resolve: int = 0, withdraw: int = 0) -> None:
    ids = [store.new_dossier(extra_events=1) for _ in range(dossiers)]
    for dossier in ids[:resolve]:
        store.desk.act(dossier, "resolved", "cc.tuphap", {"doc_number": "1/QĐ-UBND", "signer": "Lê Văn Hùng"})
    for dossier in ids[resolve:resolve + withdraw]:
        store.desk.act(dossier, "withdrawn", "motnhanvien", {"reason": "Công dân xin rút hồ sơ"})


def read(hub: HubProcess, period: str, **params: str) -> dict[str, Any]:
    with hub.admin() as admin:
        response = admin.get("/api/v1/admin/reports", params={"period": period, **params})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ack"] == "reports"
    return body


def counts(figures: dict[str, Any]) -> dict[str, int]:
    return Figures.from_dict(figures).counts()


def this_month() -> Period:
    """The current month as the desk sends it: counted up to now (issue 16)."""
    return settle(months_to_send(now().date())[1], now())


def device_http(store: DeskStore, hub: HubProcess) -> httpx.Client:
    token = load_credentials(store.conn).token
    return httpx.Client(base_url=hub.url, headers={"Authorization": f"Bearer {token}"}, timeout=30)


def test_a_commune_syncs_and_the_province_reads_its_figures(province: HubProcess, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    store = desk(tmp_path, province, COMMUNE, "Xã Ea Kao", seed=1)
    work(store, 5, resolve=2, withdraw=1)
    sync_round(store.conn, store.data_dir)
    period = this_month()
    body = read(province, period.key)
    expected = compute_report(store.conn, period)
    assert body["communes_reporting"] == 1 and body["not_reporting"] == []
    [row] = body["by_commune"]
    assert row["commune"] == COMMUNE and row["name"] == "Xã Ea Kao" and row["province"] == "Đắk Lắk"
    assert counts(row["figures"]) == expected.total.counts() == counts(body["totals"])
    assert expected.total.new == 5 and expected.total.resolved == 2 and expected.total.withdrawn == 1
    assert {r["field"]: counts(r) for r in body["by_field"]} == {n: f.counts() for n, f in expected.by_field}
    assert [p["province"] for p in body["by_province"]] == ["Đắk Lắk"]
    assert body["province"] == "Đắk Lắk"              # the answer names the province, not null
    assert counts(body["by_province"][0]["totals"]) == expected.total.counts()
    # Last month travelled too (nothing happened then: zeros, but sent).
    previous = months_to_send(now().date())[0]
    assert read(province, previous.key)["communes_reporting"] == 1
    official = [p.key for p in official_months_to_send(now().date())]
    assert sorted(get_meta(store.conn, SENT_KEY)) == sorted([previous.key, period.key, *official])
    # `motcua sync status` tells the last report sent.
    assert last_report(store.conn)["last"]["period"] == period.key
    assert motcua_main(["--data-dir", str(store.data_dir), "sync", "status"]) == 0
    assert f"Báo cáo gửi tỉnh gần nhất: «{parse_period(period.key).label}», lúc " in capsys.readouterr().out
    assert motcua_main(["--data-dir", str(store.data_dir), "sync", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["report"]["last"]["period"] == period.key and status["report"]["error"] == ""


def test_only_changed_months_are_sent_again(province: HubProcess, tmp_path: Path) -> None:
    store = desk(tmp_path, province, COMMUNE, "Xã Ea Kao", seed=2)
    work(store, 2)
    sync_round(store.conn, store.data_dir)
    period = this_month()
    first = get_meta(store.conn, SENT_KEY)
    client = make_client(store.conn)
    try:
        again = send_reports(store.conn, client)
        assert again.sent == [] and sorted(again.unchanged) == sorted(first)
        work(store, 1, resolve=1)
        changed = send_reports(store.conn, client)
    finally:
        client.transport.close()
    # last month's figures did not change (calendar or official)
    assert changed.sent == [official_months_to_send(now().date())[1].key, period.key]
    assert get_meta(store.conn, SENT_KEY)[period.key]["hash"] != first[period.key]["hash"]
    assert counts(read(province, period.key)["totals"]) == compute_report(store.conn, period).total.counts()


def test_two_communes_add_up_per_month_and_per_quarter(province: HubProcess, tmp_path: Path) -> None:
    a = desk(tmp_path, province, COMMUNE, "Xã Ea Kao", seed=3)
    b = desk(tmp_path, province, OTHER, "Xã Hòa Thắng", seed=4)
    with province.admin() as admin:
        create_commune(admin, "000.17.22.H00", "Xã chưa gửi")
    work(a, 4, resolve=1)
    work(b, 3, withdraw=1)
    today = now().date()
    quarter = parse_period(f"{today.year}-Q{(today.month - 1) // 3 + 1}")
    for store in (a, b):
        sync_round(store.conn, store.data_dir)
        client = make_client(store.conn)
        try:  # the desk sends two months at a time: walk through the quarter as the months go by
            for part in quarter.months()[1:]:
                send_reports(store.conn, client, today=part.first + timedelta(days=3))
        finally:
            client.transport.close()
    period = this_month()
    body = read(province, period.key)
    fa, fb = compute_report(a.conn, period).total, compute_report(b.conn, period).total
    assert body["communes_reporting"] == 2 and body["not_reporting"] == ["000.17.22.H00"]
    assert counts(body["totals"]) == (fa + fb).counts()
    assert {r["commune"]: counts(r["figures"]) for r in body["by_commune"]} == {COMMUNE: fa.counts(),
                                                                               OTHER: fb.counts()}
    only_b = read(province, period.key, commune=OTHER)
    assert only_b["communes_reporting"] == 1 and counts(only_b["totals"]) == fb.counts()
    # The quarter, rolled up from the three monthly reports, equals the quarter computed at the desk.
    q = read(province, quarter.key)
    so_far = settle(quarter, now())  # the current quarter: counted to now, as its current month was sent
    qa, qb = compute_report(a.conn, so_far).total, compute_report(b.conn, so_far).total
    assert q["kind"] == "quarter" and q["months"] == [m.key for m in quarter.months()]
    assert all(row["complete"] for row in q["coverage"]), q["coverage"]
    assert {r["commune"]: counts(r["figures"]) for r in q["by_commune"]} == {COMMUNE: qa.counts(),
                                                                            OTHER: qb.counts()}
    assert counts(q["totals"]) == (qa + qb).counts()
    year = read(province, str(today.year))
    assert year["kind"] == "year" and len(year["months"]) == 12 and len(year["coverage"]) == 2


def test_a_commune_cannot_post_for_another_nor_read_the_province(province: HubProcess, tmp_path: Path) -> None:
    a = desk(tmp_path, province, COMMUNE, "Xã Ea Kao", seed=5)
    desk(tmp_path, province, OTHER, "Xã Hòa Thắng", seed=6)
    work(a, 2)
    period = this_month()
    payload = report_payload(a.conn, period)
    payload["commune"]["code"] = OTHER
    with device_http(a, province) as http:
        refused = http.post("/api/v1/reports", json={"protocol": 1, "period": period.key, "payload": payload})
        assert refused.status_code == 403, refused.text
        assert refused.json()["error"] == "commune_mismatch"
        assert http.get("/api/v1/admin/reports", params={"period": period.key}).status_code in (401, 403)
        wrong_month = http.post("/api/v1/reports", json={"protocol": 1, "period": "2020-01",
                                                         "payload": report_payload(a.conn, period)})
        assert wrong_month.status_code == 400, wrong_month.text
        broken = report_payload(a.conn, period)
        broken["totals"]["new_desk"] += 1                        # no longer reconciles
        assert http.post("/api/v1/reports", json={"protocol": 1, "period": period.key,
                                                  "payload": broken}).status_code == 400
    assert httpx.get(f"{province.url}/api/v1/admin/reports", params={"period": period.key}).status_code == 401
    assert read(province, period.key)["communes_reporting"] == 0
    # A desk whose settings name another commune does not send, and says why.
    with transaction(a.conn):
        put_values(a.conn, {"agency_code": OTHER})
    sync_round(a.conn, a.data_dir)
    assert "khác mã xã đã đăng ký" in last_report(a.conn)["error"]
    assert read(province, period.key)["communes_reporting"] == 0


def test_posting_twice_is_idempotent(province: HubProcess, tmp_path: Path) -> None:
    store = desk(tmp_path, province, COMMUNE, "Xã Ea Kao", seed=7)
    work(store, 3, resolve=1)
    period = this_month()
    payload = report_payload(store.conn, period)
    body = {"protocol": 1, "period": period.key, "payload": payload}
    with device_http(store, province) as http:
        first = http.post("/api/v1/reports", json=body).json()
        second = http.post("/api/v1/reports", json=body).json()
        assert first["ack"] == second["ack"] == "report" and first["period"] == period.key
        assert (first["status"], second["status"]) == ("stored", "unchanged")
        assert second["stored_at"] == first["stored_at"]
        # The same figures generated again later: still unchanged.
        later = {**payload, "generated_at": "2099-01-01T00:00:00+07:00"}
        assert http.post("/api/v1/reports", json={**body, "payload": later}).json()["status"] == "unchanged"
        # Different figures generated earlier than the kept report: the kept one stays.
        older = report_payload(store.conn, period)
        older["generated_at"] = "2000-01-01T00:00:00+07:00"
        older["by_procedure"] = []
        assert http.post("/api/v1/reports", json={**body, "payload": older}).json()["status"] == "older"
    result = read(province, period.key)
    assert result["communes_reporting"] == 1
    assert counts(result["totals"]) == compute_report(store.conn, period).total.counts()
    db = HubDatabase(province.database_url)
    try:
        with db.read() as conn:
            assert conn.execute(commune_reports.select()).all().__len__() == 1
    finally:
        db.dispose()


def test_the_reports_table_matches_its_description(database_url: str) -> None:
    db = HubDatabase(database_url)
    try:
        migrate(db)
        actual = {c["name"]: c["nullable"] for c in inspect(db.engine).get_columns("commune_reports")}
        assert set(actual) == {c.name for c in commune_reports.columns}
        for column in commune_reports.columns:
            if not column.primary_key:
                assert actual[column.name] == column.nullable, column.name
    finally:
        db.dispose()


def test_months_to_send_crosses_the_year() -> None:
    assert [p.key for p in months_to_send(date(2027, 1, 3))] == ["2026-12", "2027-01"]
    assert months_to_send(date(2026, 11, 23)) == [month(2026, 10), month(2026, 11)]
