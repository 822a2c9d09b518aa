"""Issue 16: the hub adds up the communes' reports on the official periods they report (``ky:``, cut off
from the 15th to the 14th, Nghị định 09/2019/NĐ-CP, Điều 12): an official quarter at the hub equals the sum
of its three official months, and equals the quarter the desks compute themselves. A real hub process."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from motcua.domain.clock import VN_TZ
from motcua.hub.province.reports_aggregate import roll_up
from motcua.reports.figures import Figures
from motcua.reports.payload import report_payload
from motcua.reports.period import Period, official_half_year, official_quarter
from motcua.services.desk import Desk
from motcua.services.intake import Applicant, IntakeRequest, ProcedureRef
from motcua.store.db import open_store, transaction
from motcua.store.settings import put_values
from tests.hub.hubkit import DeviceClient, HubProcess, enroll

SHORT = ProcedureRef("1.001193", "Đăng ký khai sinh", 1, "working_days", 1, "Hộ tịch", 0)
LONG = ProcedureRef("1.004837", "Cấp giấy phép xây dựng", 40, "working_days", 1, "Xây dựng", 0)
RESULT = {"doc_number": "12/GKS", "signer": "Lê Thị Mai"}
QUARTER = official_quarter(2025, 2)  # 15/03/2025 – 14/06/2025: ended, whatever day the suite runs
COMMUNES = ("000.17.22.H56", "000.17.22.H57")


def _at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=VN_TZ)


@pytest.fixture
def desks(tmp_path: Path) -> Iterator[list[tuple[str, Any]]]:
    """Two communes' desks with dossiers around and across the official quarter's boundaries."""
    made = []
    for n, code in enumerate(COMMUNES):
        conn = open_store(tmp_path / f"desk-{n}" / "motcua.sqlite3")
        with transaction(conn):
            put_values(conn, {"commune_name": f"Xã {n}", "agency_code": code, "device_id": f"desk-{n}",
                              "province_name": "Đắk Lắk"})
        desk = Desk(conn, tmp_path / f"desk-{n}")
        days = [QUARTER.first - timedelta(days=3), QUARTER.first, date(2025, 4, 14), date(2025, 4, 15),
                date(2025, 5, 20), date(2025, 6, 14), date(2025, 6, 15)][n:]
        codes = []
        for i, day in enumerate(days):
            procedure = LONG if i % 2 else SHORT
            request = IntakeRequest(procedure_code=procedure.code, procedure=procedure,
                                    applicant=Applicant("Lê Văn An"), received_at=_at(day),
                                    channel=("desk", "online", "post")[i % 3])
            codes.append(desk.intake(request, "binh").record.code)
        desk.act(codes[0], "resolved", "huy", RESULT, at=_at(date(2025, 3, 20)))
        desk.act(codes[1], "withdrawn", "binh", {"reason": "Rút"}, at=_at(date(2025, 4, 16)))
        desk.act(codes[2], "resolved", "huy", RESULT, at=_at(date(2025, 5, 15), 8))
        desk.act(codes[3], "stopped", "huy", {"reason": "Dừng"}, at=_at(date(2025, 6, 14), 16))
        made.append((code, conn))
    yield made
    for _, conn in made:
        conn.close()


def _send(device: DeviceClient, conn: Any, period: Period) -> dict[str, Any]:
    payload = report_payload(conn, period)
    assert payload["period"]["key"] == period.key and payload["period"]["kind"] == "official_month"
    response = device.http.post("/api/v1/reports", json={"protocol": 1, "period": period.key, "payload": payload})
    assert response.status_code == 200, response.text
    assert response.json()["period"] == period.key
    return payload


def _read(hub: HubProcess, period: str) -> dict[str, Any]:
    with hub.admin() as admin:
        response = admin.get("/api/v1/admin/reports", params={"period": period})
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_an_official_quarter_at_the_hub_is_the_sum_of_its_official_months(hub: HubProcess, desks) -> None:
    months = QUARTER.months()
    assert [m.key for m in months] == ["ky:2025-04", "ky:2025-05", "ky:2025-06"]
    sent: dict[str, list[Figures]] = {}
    quarters: dict[str, Figures] = {}
    for code, conn in desks:
        device = enroll(hub, code)
        try:
            sent[code] = [Figures.from_dict(_send(device, conn, m)["totals"]) for m in months]
        finally:
            device.http.close()
        # At the desk: the official quarter is its three official months rolled up (flows add, stocks at ends).
        quarters[code] = Figures.from_dict(report_payload(conn, QUARTER)["totals"])
        assert quarters[code] == roll_up(sent[code]) and quarters[code].reconciles()
        assert quarters[code].new > 0 and quarters[code].resolved > 0
    # At the hub: each official month is the communes' months added up ...
    for i, m in enumerate(months):
        body = _read(hub, m.key)
        assert body["kind"] == "official_month" and body["communes_reporting"] == 2
        assert Figures.from_dict(body["totals"]) == sum((sent[c][i] for c in COMMUNES), Figures())
    # ... and the official quarter is the sum of its three official months, equal to the desks' own quarters.
    body = _read(hub, QUARTER.key)
    assert body["kind"] == "official_quarter" and body["months"] == [m.key for m in months]
    assert all(row["complete"] for row in body["coverage"])
    monthly = [Figures.from_dict(_read(hub, m.key)["totals"]) for m in months]
    assert Figures.from_dict(body["totals"]) == roll_up(monthly)
    assert Figures.from_dict(body["totals"]) == sum(quarters.values(), Figures())
    for flow in ("new", "resolved", "withdrawn", "stopped"):
        assert getattr(Figures.from_dict(body["totals"]), flow) == sum(getattr(f, flow) for f in monthly), flow
    by_commune = {row["commune"]: Figures.from_dict(row["figures"]) for row in body["by_commune"]}
    assert by_commune == quarters
    # Calendar and official periods are kept apart: nothing was sent for the calendar quarter.
    assert _read(hub, "2025-Q2")["communes_reporting"] == 0


def test_the_hub_refuses_a_month_sent_under_the_other_kind(hub: HubProcess, desks) -> None:
    code, conn = desks[0]
    official = QUARTER.months()[0]
    payload = report_payload(conn, official)
    device = enroll(hub, code)
    try:
        wrong = device.http.post("/api/v1/reports", json={"protocol": 1, "period": "2025-04", "payload": payload})
        bad = device.http.post("/api/v1/reports", json={"protocol": 1, "period": "ky:2025-13", "payload": payload})
    finally:
        device.http.close()
    assert wrong.status_code == 400, wrong.text
    assert bad.status_code in (400, 422)
    assert _read(hub, official.key)["communes_reporting"] == 0


def test_an_official_half_year_at_the_hub_is_the_sum_of_its_six_official_months(hub: HubProcess, desks) -> None:
    half = official_half_year(2025, 1)  # 15/12/2024 – 14/06/2025 (Nghị định 09/2019/NĐ-CP, Điều 12)
    assert (half.first, half.last, half.key) == (date(2024, 12, 15), date(2025, 6, 14), "ky:2025-H1")
    months = half.months()
    assert [m.key for m in months] == [f"ky:2025-0{n}" for n in range(1, 7)]
    own: dict[str, Figures] = {}
    for code, conn in desks:
        device = enroll(hub, code)
        try:
            sent = [Figures.from_dict(_send(device, conn, m)["totals"]) for m in months]
        finally:
            device.http.close()
        own[code] = Figures.from_dict(report_payload(conn, half)["totals"])
        assert own[code] == roll_up(sent) and own[code].reconciles() and own[code].new > 0
    body = _read(hub, half.key)
    assert body["kind"] == "official_half" and body["months"] == [m.key for m in months]
    assert Figures.from_dict(body["totals"]) == roll_up([Figures.from_dict(_read(hub, m.key)["totals"])
                                                         for m in months])
    assert Figures.from_dict(body["totals"]) == sum(own.values(), Figures())
