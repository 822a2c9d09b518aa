"""Issue 16: the official cut-off periods of periodic reports, and unfinished periods counted to now."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from motcua.cli import main
from motcua.domain.clock import VN_TZ, now
from motcua.reports.figures import Figures, compute_figures, compute_report
from motcua.reports.period import (
    PeriodError,
    official_month,
    official_month_of,
    official_quarter,
    parse_period,
    settle,
)
from motcua.services.desk import Desk
from motcua.services.intake import Applicant, IntakeRequest, ProcedureRef
from motcua.store.db import open_store, transaction
from motcua.store.settings import put_values

SHORT = ProcedureRef("1.001193", "Đăng ký khai sinh", 1, "working_days", 1, "Hộ tịch", 0)
LONG = ProcedureRef("1.004837", "Cấp giấy phép xây dựng", 40, "working_days", 1, "Xây dựng", 0)
RESULT = {"doc_number": "12/GKS", "signer": "Lê Thị Mai"}
FLOWS = ("new_desk", "new_online", "new_post", "resolved_early", "resolved_on_time", "resolved_late", "withdrawn",
         "stopped")


@pytest.fixture
def desk(tmp_path: Path):
    data_dir = tmp_path / "data"
    conn = open_store(data_dir / "motcua.sqlite3")
    with transaction(conn):
        put_values(conn, {"commune_name": "Xã Ea Kao", "agency_code": "000.17.22.H56", "device_id": "test"})
    yield Desk(conn, data_dir), conn, data_dir
    conn.close()


def _intake(desk: Desk, at: datetime, procedure: ProcedureRef = SHORT, channel: str = "desk") -> str:
    request = IntakeRequest(procedure_code=procedure.code, procedure=procedure, applicant=Applicant("Lê Văn An"),
                            received_at=at, channel=channel)
    return desk.intake(request, "binh").record.code


def _at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=VN_TZ)


def test_official_periods_run_from_the_15th_to_the_14th() -> None:
    assert (official_month(2026, 1).first, official_month(2026, 1).last) == (date(2025, 12, 15), date(2026, 1, 14))
    q1 = parse_period("ky:2026-Q1")
    assert (q1.first, q1.last, q1.key) == (date(2025, 12, 15), date(2026, 3, 14), "ky:2026-Q1")
    year = parse_period("ky:2026")
    assert (year.first, year.last) == (date(2025, 12, 15), date(2026, 12, 14))
    assert [m.key for m in q1.months()] == ["ky:2026-01", "ky:2026-02", "ky:2026-03"]
    assert parse_period("2026-Q1").first == date(2026, 1, 1)  # calendar periods stay available
    assert official_month_of(date(2026, 3, 14)).key == "ky:2026-03"
    assert official_month_of(date(2026, 3, 15)).key == "ky:2026-04"
    assert "từ 15/12/2025 đến 14/03/2026" in q1.label


def test_an_official_quarter_is_the_sum_of_its_three_official_months(desk) -> None:
    d, conn, _ = desk
    quarter = official_quarter(2025, 2)  # 15/03/2025 – 14/06/2025
    days = [quarter.first - timedelta(days=3), quarter.first, date(2025, 4, 14), date(2025, 4, 15),
            date(2025, 5, 20), date(2025, 6, 14), date(2025, 6, 15)]
    codes = [_intake(d, _at(day), channel=("desk", "online", "post")[i % 3]) for i, day in enumerate(days)]
    d.act(codes[0], "resolved", "huy", RESULT, at=_at(date(2025, 3, 20)))
    d.act(codes[1], "withdrawn", "binh", {"reason": "Rút"}, at=_at(date(2025, 4, 16)))
    d.act(codes[2], "resolved", "huy", RESULT, at=_at(date(2025, 4, 15), 8))
    d.act(codes[4], "stopped", "huy", {"reason": "Dừng"}, at=_at(date(2025, 6, 14), 16))
    whole = compute_figures(conn, quarter)
    months = [compute_figures(conn, part) for part in quarter.months()]
    assert [p.key for p in quarter.months()] == ["ky:2025-04", "ky:2025-05", "ky:2025-06"]
    for name in FLOWS:
        assert getattr(whole, name) == sum(getattr(m, name) for m in months), name
    assert whole.carried_over == months[0].carried_over == 1
    assert whole.pending == months[-1].pending
    assert whole.new == 5 and whole.reconciles()


def test_the_current_period_is_counted_to_now_and_agrees_with_list_overdue(desk, capsys) -> None:
    d, conn, data_dir = desk
    today = now().date()
    late = [_intake(d, _at(today - timedelta(days=back), 8)) for back in (12, 20, 40)]  # 1 working day: overdue
    _intake(d, now() - timedelta(hours=1), LONG)  # 40 working days: in time
    d.act(late[2], "resolved", "huy", RESULT, at=now() - timedelta(days=1))
    current = settle(official_month_of(today), now())
    assert current.unfinished and "chưa kết thúc, số liệu tính đến" in current.label
    figures: Figures = compute_report(conn, current).total
    assert main(["--data-dir", str(data_dir), "list", "--overdue", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["total"]
    assert figures.pending_overdue == listed == 2
    assert figures.pending_in_time == 1


def test_reports_of_current_periods_run_today_count_overdue_as_list_overdue(desk, capsys) -> None:
    """`motcua report` for any period that has not ended — official or calendar month, quarter, year —
    counts the dossiers overdue now, the very ones `motcua list --overdue` shows; a dossier due before the
    period's end but after now is still in time."""
    d, _, data_dir = desk
    today = now().date()
    late = [_intake(d, _at(today - timedelta(days=back), 8)) for back in (12, 19, 33, 47)]
    _intake(d, now() - timedelta(minutes=5))        # due the next working day: in time now
    _intake(d, now() - timedelta(hours=2), LONG)    # 40 working days: in time
    d.act(late[3], "resolved", "huy", RESULT, at=now() - timedelta(hours=3))
    assert main(["--data-dir", str(data_dir), "list", "--overdue", "--json", "--limit", "500"]) == 0
    listed = json.loads(capsys.readouterr().out)
    overdue = sorted(item["code"] for item in listed["items"])
    assert listed["total"] == len(overdue) == 3
    official = official_month_of(today)
    quarter_key = f"ky:{official.last.year}-Q{(official.last.month - 1) // 3 + 1}"
    for key in (official.key, f"{today:%Y-%m}", quarter_key, f"{today.year}", f"ky:{official.last.year}"):
        assert main(["--data-dir", str(data_dir), "report", "--period", key, "--json"]) == 0
        body = json.loads(capsys.readouterr().out)
        assert "chưa kết thúc" in body["period"]["label"], key
        assert body["totals"]["pending_overdue"] == len(overdue), key
        assert body["totals"]["pending_in_time"] == 2, key
        assert main(["--data-dir", str(data_dir), "report", "--period", key, "--codes", "pending_overdue",
                     "--json"]) == 0
        assert sorted(json.loads(capsys.readouterr().out)["codes"]) == overdue, key


def test_a_future_period_is_refused(desk, capsys) -> None:
    _, _, data_dir = desk
    ahead = official_month_of(now().date() + timedelta(days=70))
    with pytest.raises(PeriodError):
        settle(ahead, now())
    assert main(["--data-dir", str(data_dir), "report", "--period", ahead.key]) == 1
    assert "chưa bắt đầu" in capsys.readouterr().err


def test_half_years_calendar_and_official() -> None:
    from motcua.reports.period import PeriodError, parse_period

    first, second = parse_period("2026-H1"), parse_period("ky:2026-H2")
    assert (first.first, first.last, first.label) == (date(2026, 1, 1), date(2026, 6, 30), "6 tháng đầu năm 2026")
    assert (second.first, second.last) == (date(2026, 6, 15), date(2026, 12, 14))  # 15/06 – 14/12
    assert second.label == "Kỳ báo cáo 6 tháng cuối năm 2026 (từ 15/06/2026 đến 14/12/2026)"
    assert parse_period("ky:2026-H1").first == date(2025, 12, 15) and parse_period(second.key) == second
    assert [m.key for m in first.months()] == [f"2026-0{n}" for n in range(1, 7)]
    with pytest.raises(PeriodError):
        parse_period("2026-H3")
