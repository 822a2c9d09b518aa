"""The counting rules on a small hand-made history whose figures are worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from motcua.reports.figures import Figures, compute_figures, compute_report, dossier_codes
from motcua.reports.period import PeriodError, custom, month, parse_period, quarter, year
from tests.reports.report_support import Built, Story, add_story, moment


def test_february_by_hand(sample_store: Built) -> None:
    figures = compute_figures(sample_store.conn, month(2026, 2))
    assert figures == Figures(carried_over=2, new_desk=3, new_online=3, new_post=1, resolved_early=2,
                              resolved_on_time=1, resolved_late=1, withdrawn=1, stopped=1,
                              pending_in_time=2, pending_overdue=1)
    assert figures.received == 9 and figures.resolved == 4 and figures.pending == 3
    assert figures.on_time_rate == pytest.approx(3 / 4)
    assert figures.reconciles()


def test_january_by_hand(sample_store: Built) -> None:
    figures = compute_figures(sample_store.conn, month(2026, 1))
    assert figures == Figures(new_desk=2, new_online=1, resolved_early=1, pending_in_time=1, pending_overdue=1)


def test_refused_dossiers_are_never_counted(sample_store: Built) -> None:
    refused = sample_store.codes[-1]
    for period in (month(2026, 2), quarter(2026, 1), year(2026)):
        for category in ("received", "resolved", "closed", "pending"):
            assert refused not in dossier_codes(sample_store.conn, period, category)


def test_filters_by_field_and_procedure(sample_store: Built) -> None:
    conn = sample_store.conn
    period = month(2026, 2)
    report = compute_report(conn, period)
    assert [name for name, _ in report.by_field] == ["Bưu chính", "Chứng thực", "Hộ tịch"]
    assert sum((f for _, f in report.by_field), Figures()) == report.total
    civil = compute_figures(conn, period, field_name="Hộ tịch")
    assert civil == dict(report.by_field)["Hộ tịch"]
    assert compute_figures(conn, period, procedure_code="2.000815") == Figures(new_post=1, resolved_on_time=1)
    assert compute_report(conn, period, field_name="Hộ tịch").total == civil


def test_a_dossier_paused_after_its_due_moment_stays_overdue(sample_store: Built) -> None:
    desk = sample_store.desk
    # Received 02/03, due 05/03; the supplement is requested only on 10/03, after the due moment.
    add_story(desk, Story(moment("2026-03-02 08:00"), steps=(
        ("handed_over", timedelta(hours=1)), ("supplement_requested", timedelta(days=8)))))
    march = compute_figures(desk.conn, month(2026, 3))
    codes = dossier_codes(desk.conn, month(2026, 3), "pending_overdue")
    assert any(code.startswith("000.17.22.H56-260302") for code in codes)
    assert march.reconciles()


def test_monthly_trend_covers_the_period(sample_store: Built) -> None:
    report = compute_report(sample_store.conn, quarter(2026, 1), with_months=True)
    assert [p.key for p, _ in report.months] == ["2026-01", "2026-02", "2026-03"]
    assert sum(f.new for _, f in report.months) == report.total.new


def test_periods_parse_and_label() -> None:
    assert parse_period("2026-02") == month(2026, 2)
    assert parse_period("2026-Q1") == quarter(2026, 1)
    assert parse_period("2026") == year(2026)
    assert parse_period("2026-02-01..2026-02-15") == custom(date(2026, 2, 1), date(2026, 2, 15))
    assert month(2026, 2).label == "Tháng 02/2026"
    assert quarter(2026, 4).label == "Quý IV/2026"
    assert quarter(2026, 4).last == date(2026, 12, 31)
    assert month(2026, 12).end_text == "2027-01-01T00:00:00+07:00"
    assert [p.key for p in custom(date(2026, 1, 20), date(2026, 3, 5)).months()] == [
        "2026-01-20..2026-01-31", "2026-02", "2026-03-01..2026-03-05"]
    for bad in ("2026-13", "2026-Q5", "hôm qua", "2026-03-01..2026-02-01"):
        with pytest.raises(PeriodError):
            parse_period(bad)
