"""The report page (pytest-qt, offscreen): figures for a store, the charts, drill-down to codes."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt

from motcua.reports.figures import dossier_codes
from motcua.reports.layout import columns
from motcua.reports.period import month, quarter
from motcua.ui.reports.reports_page import ReportsPage
from tests.reports.report_support import Built


def _column(key: str) -> int:
    return 1 + [c.key for c in columns()].index(key)


@pytest.fixture
def page(qtbot, sample_store: Built) -> ReportsPage:  # type: ignore[no-untyped-def]
    widget = ReportsPage(sample_store.conn, unit_name="UBND xã Ea Kao")
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    widget.set_period(month(2026, 2))
    return widget


def test_shows_the_figures_of_the_period(page: ReportsPage) -> None:
    model = page.model
    assert model.rowCount() == 4  # three fields and the total line
    total = model.rowCount() - 1
    assert model.index(total, 0).data() == "Tổng cộng"
    assert model.index(total, _column("received")).data() == "9"
    assert model.index(total, _column("carried_over")).data() == "2"
    assert model.index(total, _column("resolved_late")).data() == "1"
    assert model.index(total, _column("pending_overdue")).data() == "1"
    assert model.index(total, _column("on_time_rate")).data() == "75,0"
    assert model.index(2, 0).data() == "Hộ tịch"
    assert "Tháng 02/2026" in page.summary.text()
    assert [b.label for b in page.bars.bars] == ["Bưu chính", "Chứng thực", "Hộ tịch"]
    page.set_period(quarter(2026, 1))
    assert [label for label, _, _ in page.trend.points] == ["01/26", "02/26", "03/26"]
    assert page.model.index(page.model.rowCount() - 1, _column("received")).data() == "10"


def test_double_click_on_a_number_emits_its_codes(qtbot, page: ReportsPage, sample_store: Built) -> None:  # type: ignore[no-untyped-def]
    total = page.model.rowCount() - 1
    index = page.model.index(total, _column("pending"))
    page.table.scrollTo(index)
    rect = page.table.visualRect(index)
    expected = dossier_codes(sample_store.conn, month(2026, 2), "pending")
    assert len(expected) == 3
    with qtbot.waitSignal(page.drill_down, timeout=2000) as blocker:
        qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [expected]


def test_a_field_row_drills_down_within_its_field(qtbot, page: ReportsPage, sample_store: Built) -> None:  # type: ignore[no-untyped-def]
    civil = next(r for r in range(page.model.rowCount()) if page.model.row(r).field_name == "Hộ tịch")
    with qtbot.waitSignal(page.drill_down, timeout=2000) as blocker:
        page.table.doubleClicked.emit(page.model.index(civil, _column("resolved")))
    expected = dossier_codes(sample_store.conn, month(2026, 2), "resolved", field_name="Hộ tịch")
    assert blocker.args == [expected] and len(expected) == 2
    # The rate column drills down to the resolved dossiers it is computed from.
    assert page.codes_at(civil, _column("on_time_rate")) == expected
    assert page.codes_at(civil, 0) is None


def test_clicking_a_bar_emits_the_fields_dossiers(qtbot, page: ReportsPage, sample_store: Built) -> None:  # type: ignore[no-untyped-def]
    rect = page.bars.bar_rect(0)
    with qtbot.waitSignal(page.drill_down, timeout=2000) as blocker:
        qtbot.mouseClick(page.bars, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert blocker.args == [dossier_codes(sample_store.conn, month(2026, 2), "received", field_name="Bưu chính")]


def test_field_filter_and_exports(page: ReportsPage, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page.field.setCurrentIndex(page.field.findData("Chứng thực"))
    assert page.model.rowCount() == 2
    assert page.model.index(1, _column("received")).data() == "1"
    assert page.export_xlsx(tmp_path / "r.xlsx").stat().st_size > 0
    assert page.export_pdf(tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    page.grab()  # paints the table and both charts offscreen without errors


def test_a_background_runner_gets_the_work_and_stale_results_are_dropped(qtbot, sample_store: Built) -> None:  # type: ignore[no-untyped-def]
    pending: list[tuple[object, object]] = []
    page = ReportsPage(sample_store.conn, runner=lambda job, done: pending.append((job, done)))
    qtbot.addWidget(page)
    page.set_period(month(2026, 1))
    page.set_period(month(2026, 2))
    assert page.report is None and len(pending) >= 2
    stale, latest = pending[-2], pending[-1]
    latest[1](latest[0]())  # type: ignore[operator]
    stale[1](stale[0]())  # type: ignore[operator]  # arrives late: ignored
    assert page.report is not None and page.report.period == month(2026, 2)


def test_the_table_leads_and_the_charts_open_on_request(page: ReportsPage) -> None:
    assert page.table.isVisible() and not page.charts.isVisible()
    page.charts_button.click()
    assert page.charts.isVisible() and page.bars.isVisible()
    assert not page.trend.isVisible()  # one month: no trend to draw, its figures are in the table
    page.set_period(quarter(2026, 1))
    assert page.trend.isVisible()
    page.charts_button.click()
    assert not page.charts.isVisible()


def test_a_running_period_says_it_is_counted_to_today(page: ReportsPage) -> None:
    from motcua.domain.clock import now
    from motcua.reports.period import month as month_of

    today = now().date()
    assert "tính đến hôm nay" not in page.summary.text()        # February 2026 has ended… or is frozen past
    page.set_period(month_of(today.year, today.month))
    assert f"tính đến hôm nay {today:%d/%m/%Y}" in page.summary.text()


def test_an_export_says_where_the_file_went(page: ReportsPage, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page.exported(page.export_xlsx(tmp_path / "bao-cao.xlsx"))
    assert page.export_note.isVisible()
    assert str((tmp_path / "bao-cao.xlsx").resolve()) in page.export_note.text()
    assert "mở thư mục" in page.export_note.text()


def test_official_cut_off_periods_and_a_future_period(page: ReportsPage) -> None:
    from datetime import timedelta

    from motcua.domain.clock import now
    from motcua.reports.period import official_month_of, official_quarter

    page.set_period(official_quarter(2026, 1))
    assert page.official.isChecked() and page.report is not None
    assert page.report.period.key == "ky:2026-Q1" and "từ 15/12/2025 đến 14/03/2026" in page.summary.text()
    page.set_period(official_month_of(now().date() + timedelta(days=70)))  # not begun: refused, said
    assert page.report is None and "chưa bắt đầu" in page.summary.text()


def test_six_month_periods_calendar_and_official(page: ReportsPage) -> None:
    from motcua.reports.period import half_year, official_half_year

    page.set_period(half_year(2026, 1))
    assert page.kind.currentText() == "6 tháng" and page.part.currentText() == "6 tháng đầu năm"
    assert page.report is not None and page.report.period.key == "2026-H1"
    page.set_period(official_half_year(2026, 1))
    assert page.official.isChecked() and page.report is not None and page.report.period.key == "ky:2026-H1"
    assert "từ 15/12/2025 đến 14/06/2026" in page.summary.text()
    page.official.setChecked(False)                       # the same half-year, by the calendar
    assert page.report is not None and page.report.period.key == "2026-H1"
