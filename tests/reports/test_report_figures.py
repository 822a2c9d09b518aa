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


def test_online_registration_counts_from_its_receipt(sample_store: Built) -> None:
    """Registered online on 27/02 (status 1, not counted), received on 02/03: new online in March."""
    from motcua.domain.events import Event
    from motcua.reports.cache import ensure_timelines
    from motcua.reports.timeline import read_back, timeline_by_projection
    from motcua.store.db import transaction
    from motcua.store.events import commit_event, events_of

    conn = sample_store.conn
    dossier = Event.new("", "registered", "x").id
    registered = Event.new(dossier, "registered", "portal", {
        "code": "000.17.22.H56-260227-9001", "channel": "online",
        "procedure": {"code": "1.001193", "name": "Đăng ký khai sinh", "field": "Hộ tịch", "amount": 3,
                      "unit": "working_days"},
        "due_at": "2026-03-04T10:00:00+07:00"}, occurred_at=moment("2026-02-27 10:00"))
    received = Event.new(dossier, "received", "tiepnhan", {"due_at": "2026-03-05T09:00:00+07:00"},
                         occurred_at=moment("2026-03-02 09:00"))
    with transaction(conn):
        commit_event(conn, registered)
    assert "000.17.22.H56-260227-9001" not in dossier_codes(conn, month(2026, 2), "received")
    with transaction(conn):
        commit_event(conn, received)
    assert "000.17.22.H56-260227-9001" not in dossier_codes(conn, month(2026, 2), "received")
    assert "000.17.22.H56-260227-9001" in dossier_codes(conn, month(2026, 3), "new_online")
    folded = read_back(conn, ensure_timelines(conn), [dossier])[dossier]
    seqs = [r[0] for r in conn.execute("SELECT seq FROM events WHERE dossier_id = ? ORDER BY seq", (dossier,))]
    assert folded == timeline_by_projection(events_of(conn, dossier), seqs)
    assert folded.received_at == "2026-03-02T09:00:00+07:00"
    assert folded.clock[-1].due_at == "2026-03-05T09:00:00+07:00"
