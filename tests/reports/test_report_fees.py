"""A period's fee total on the report page: the payments recorded in the period, and only those."""

from __future__ import annotations

import os
from datetime import datetime

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from motcua.domain.clock import VN_TZ
from motcua.reports.figures import fees_collected
from motcua.reports.period import month
from motcua.services.intake import parse_intake
from motcua.ui.reports.reports_page import ReportsPage
from tests.conftest import intake_data
from tests.reports.report_support import Built


def test_report_page_shows_the_period_fee_total(qtbot, sample_store: Built) -> None:  # type: ignore[no-untyped-def]
    desk = sample_store.desk
    charged = desk.intake(parse_intake(intake_data(
        received_at="2026-02-26 08:00",
        procedure={"code": "2.000815", "name": "Chứng thực bản sao", "field": "Chứng thực", "days": 1,
                   "fee_total": 20000})), "tiepnhan01").record
    code = charged.code or ""
    desk.act(code, "fee_paid", "tiepnhan01", {"amount": 14000, "method": "cash"},
             at=datetime(2026, 2, 27, 9, 0, tzinfo=VN_TZ))
    desk.act(code, "fee_paid", "tiepnhan01", {"amount": 6000, "method": "transfer"},
             at=datetime(2026, 3, 2, 8, 0, tzinfo=VN_TZ))
    assert fees_collected(desk.conn, month(2026, 2)).amount == 14000
    page = ReportsPage(desk.conn, unit_name="UBND xã Ea Kao")
    qtbot.addWidget(page)
    page.set_period(month(2026, 2))
    assert page.report is not None and page.report.fees.amount == 14000
    assert "Phí, lệ phí đã thu: 14.000 đ (1 lần nộp)." in page.summary.text()
    page.set_period(month(2026, 3))
    assert "Phí, lệ phí đã thu: 6.000 đ (1 lần nộp)." in page.summary.text()
