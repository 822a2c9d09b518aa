"""The monthly report to the province: in each sync round, after push and pull, send this month's and
last month's figures (``report_payload``) when they changed since they were last acknowledged — the
official reporting months (``ky:``, 15th to 14th, what is submitted) and the calendar months alike, so the
hub can add up either kind.

A month counts as sent only on the hub's explicit ``{"ack": "report", "period": …, "stored_at": …}``
for exactly that month; then its content hash (``content_hash``: the payload without
``generated_at``) is kept in ``sync_meta`` so an unchanged month is not sent again. A hub that cannot
be reached or does not acknowledge fails the round like any other step (the scheduler retries); a hub
that refuses the report (an older hub without the route, another commune's code in the settings) does
not: the reason is kept for ``motcua sync status`` and the next round tries again.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from motcua.domain.clock import iso, moment_label, now
from motcua.i18n import tr
from motcua.protocol.messages import PROTOCOL_VERSION
from motcua.protocol.reports import content_hash
from motcua.reports.payload import report_payload
from motcua.reports.period import OFFICIAL_PREFIX, Period, PeriodError, month, official_month_of, parse_period
from motcua.store.db import transaction
from motcua.sync.client import HubClient
from motcua.sync.errors import AuthRefused, HubRefused, NotAcknowledged
from motcua.sync.meta import get_meta, put_meta

PATH = "/api/v1/reports"
SENT_KEY = "reports_sent"      # {"2026-11": {"hash", "sent_at", "stored_at", "status"}, …}
LAST_KEY = "report_last"       # the last month acknowledged: {"period", "sent_at", "stored_at", "status"}
ERROR_KEY = "report_error"     # why the last attempt was refused ("" when it was not)
KEEP_MONTHS = 24  # of each kind


@dataclass
class ReportsSent:
    sent: list[str] = field(default_factory=list)        # months acknowledged in this round
    unchanged: list[str] = field(default_factory=list)   # months not sent: same figures as last time
    refused: dict[str, str] = field(default_factory=dict)


def months_to_send(today: date) -> list[Period]:
    """Last month, then this month (Vietnam time)."""
    previous = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    return [month(*previous), month(today.year, today.month)]


def official_months_to_send(today: date) -> list[Period]:
    """The official month before the one ``today`` falls in, then that one (from the 15th, the next)."""
    current = official_month_of(today)
    return [official_month_of(current.first - timedelta(days=1)), current]


def send_reports(conn: sqlite3.Connection, client: HubClient, *, today: date | None = None) -> ReportsSent:
    result = ReportsSent()
    commune = str(get_meta(conn, "commune_code", "") or "")
    day = today or now().date()
    for period in [*official_months_to_send(day), *months_to_send(day)]:
        payload = report_payload(conn, period)
        digest = content_hash(payload)
        sent: dict[str, Any] = dict(get_meta(conn, SENT_KEY, {}) or {})
        if (sent.get(period.key) or {}).get("hash") == digest:
            result.unchanged.append(period.key)
            continue
        code = str(payload["commune"].get("code") or "")
        if code != commune:
            reason = tr("Mã xã trong phần cài đặt ({code}) khác mã xã đã đăng ký với tỉnh ({commune}): chưa gửi "
                        "được báo cáo.", code=code or "–", commune=commune or "–")
            _refused(conn, result, period.key, reason)
            continue
        try:
            answer = client._retry(lambda p=period, body=payload: _post(client, p, body))
        except (HubRefused, AuthRefused) as exc:
            _refused(conn, result, period.key, str(exc))
            continue
        sent[period.key] = {"hash": digest, "sent_at": iso(now()), "stored_at": answer["stored_at"],
                            "status": answer.get("status", "")}
        for key in sorted(sent, key=lambda k: k.removeprefix(OFFICIAL_PREFIX))[:-2 * KEEP_MONTHS]:
            del sent[key]
        with transaction(conn):
            put_meta(conn, {SENT_KEY: sent, LAST_KEY: {"period": period.key, **sent[period.key]}, ERROR_KEY: ""})
        result.sent.append(period.key)
    return result


def _post(client: HubClient, period: Period, payload: dict[str, Any]) -> dict[str, Any]:
    body = {"protocol": PROTOCOL_VERSION, "period": period.key, "payload": payload}
    answer = client.transport.call("POST", PATH, "report", json_body=body)
    if answer.get("period") != period.key or not isinstance(answer.get("stored_at"), str):
        raise NotAcknowledged(tr("Máy chủ tỉnh xác nhận không đúng báo cáo «{p}»; sẽ gửi lại.", p=period.label))
    return answer


def _refused(conn: sqlite3.Connection, result: ReportsSent, period_key: str, reason: str) -> None:
    result.refused[period_key] = reason
    put_meta(conn, {ERROR_KEY: tr("Báo cáo «{p}»: {reason}", p=period_name(period_key), reason=reason)})


def period_name(key: str) -> str:
    """«Tháng 12/2026», «Kỳ báo cáo tháng 12/2026 (từ 15/11/2026 đến 14/12/2026)»: what a stored key means."""
    try:
        return parse_period(key).label
    except PeriodError:
        return key


def _moment(text: object) -> str:
    """«17:27 07/12/2026» (Vietnam time) for a stored ISO moment; what was stored when it is not one."""
    try:
        return moment_label(str(text))
    except ValueError:
        return str(text or "")


def last_report(conn: sqlite3.Connection) -> dict[str, Any]:
    """For ``motcua sync status``: the last month acknowledged and the last refusal, if any."""
    return {"last": get_meta(conn, LAST_KEY), "error": str(get_meta(conn, ERROR_KEY, "") or "")}


def describe(conn: sqlite3.Connection) -> list[str]:
    """The report lines of ``motcua sync status`` for people."""
    info = last_report(conn)
    lines = []
    last = info["last"]
    if last:
        lines.append(tr("Báo cáo gửi tỉnh gần nhất: «{p}», lúc {at} (tỉnh ghi nhận lúc {stored}).",
                        p=period_name(str(last.get("period", ""))), at=_moment(last.get("sent_at")),
                        stored=_moment(last.get("stored_at"))))
    else:
        lines.append(tr("Chưa gửi báo cáo nào lên tỉnh."))
    if info["error"]:
        lines.append("⚠ " + info["error"])
    return lines
