"""What the commune sends the province: the period's figures as plain JSON, with who and when.

The sync client sends ``report_payload(conn, period)`` as is; the hub aggregates such payloads per
province and per commune (``motcua.hub.province.reports_aggregate``). Counts only — no personal data leaves
the commune in a report.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from motcua.domain.clock import iso, now
from motcua.reports.figures import Figures, compute_report
from motcua.reports.period import Period, settle
from motcua.store.settings import get_settings

SCHEMA = "motcua.report/1"


def period_dict(period: Period) -> dict[str, str]:
    return {"key": period.key, "kind": period.kind, "first": period.first.isoformat(),
            "last": period.last.isoformat()}


def figures_dict(figures: Figures) -> dict[str, Any]:
    return figures.to_dict()


def report_payload(conn: sqlite3.Connection, period: Period) -> dict[str, Any]:
    """JSON-serialisable figures for ``period``: totals, per field, per procedure, per month. A period
    not ended yet is counted up to now (its pending dossiers judged now, not at its end)."""
    settings = get_settings(conn)
    moment = now()
    if period.start <= moment:  # a period not begun has nothing to count: left whole (and empty)
        period = settle(period, moment)
    report = compute_report(conn, period, with_months=period.kind not in ("month", "official_month"))
    return {
        "schema": SCHEMA,
        "commune": {"code": settings.agency_code, "name": settings.commune_name,
                    "province": settings.province_name},
        "period": period_dict(period),
        "generated_at": iso(now()),
        "totals": figures_dict(report.total),
        "by_field": [{"field": name, **figures_dict(f)} for name, f in report.by_field],
        "by_procedure": [{"procedure": code, "name": report.procedure_names.get(code, ""), **figures_dict(f)}
                         for code, f in report.by_procedure],
        "months": [{"period": period_dict(p), **figures_dict(f)} for p, f in report.months],
    }
