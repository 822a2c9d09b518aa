"""The communes' monthly reports on the hub: check a payload, keep the latest per commune and month, and
answer the province's question "what are the figures for this month, quarter or year".

Storage is the ``commune_reports`` table (db/hub/0003_commune_reports.sql), through SQLAlchemy Core on
SQLite and PostgreSQL alike. The arithmetic is ``motcua.hub.province.reports_aggregate``'s; here only the
checks, the upsert and the assembly of the answer.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, MetaData, Table, Text, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from motcua.domain.clock import iso, now
from motcua.hub.errors import HubError, invalid
from motcua.hub.province import reports_aggregate as agg
from motcua.hub.store import tables as t
from motcua.hub.store.database import HubDatabase
from motcua.protocol.reports import canonical, content_hash
from motcua.reports.figures import FLAGS, Figures, total
from motcua.reports.period import OFFICIAL_PREFIX, Period, PeriodError, parse_period

metadata = MetaData()
commune_reports = Table(
    "commune_reports", metadata,
    Column("commune_code", Text, primary_key=True), Column("period", Text, primary_key=True),
    Column("generated_at", Text, nullable=False), Column("content_hash", Text, nullable=False),
    Column("summary", Text, nullable=False), Column("payload", Text, nullable=False),
    Column("device_id", Text, nullable=False), Column("stored_at", Text, nullable=False),
)

MAX_COUNT = 10**9
MAX_ROWS = 5_000  # fields or procedures in one payload
MAX_TEXT = 500




# -- checks -------------------------------------------------------------------------------------------

def _text(value: Any, where: str, *, required: bool = False) -> str:
    if not isinstance(value, str) or len(value) > MAX_TEXT or (required and not value.strip()):
        raise invalid(f"payload.{where} must be {'a non-empty' if required else 'a'} text of at most {MAX_TEXT}")
    return value


def _figures(row: Any, where: str) -> Figures:
    if not isinstance(row, Mapping):
        raise invalid(f"payload.{where} must be an object of counts")
    for name in FLAGS:
        value = row.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
            raise invalid(f"payload.{where}.{name} must be a count (an integer from 0 to {MAX_COUNT})")
    figures = Figures.from_dict(row)
    if not figures.reconciles():
        raise invalid(f"payload.{where}: carried over + new ≠ resolved + withdrawn + stopped + pending")
    return figures


def _rows(payload: Mapping[str, Any], name: str, label: str) -> list[tuple[str, Figures]]:
    rows = payload.get(name)
    if not isinstance(rows, list) or len(rows) > MAX_ROWS:
        raise invalid(f"payload.{name} must be a list of at most {MAX_ROWS} rows")
    return [(_text(row.get(label) if isinstance(row, Mapping) else None, f"{name}[{i}].{label}"),
             _figures(row, f"{name}[{i}]")) for i, row in enumerate(rows)]


def check_report(period_key: str, payload: Any, commune_code: str) -> datetime:
    """Refuse a payload that is not a commune's month report (400) or is another commune's (403);
    return its ``generated_at``."""
    if not isinstance(payload, Mapping):
        raise invalid("payload must be an object")
    if payload.get("schema") != agg.SCHEMA:
        raise invalid(f"payload.schema must be {agg.SCHEMA!r}")
    commune = payload.get("commune")
    if not isinstance(commune, Mapping):
        raise invalid("payload.commune must be an object")
    code = _text(commune.get("code"), "commune.code", required=True)
    _text(commune.get("name", ""), "commune.name")
    _text(commune.get("province", ""), "commune.province")
    period = payload.get("period")
    kind = "official_month" if period_key.startswith(OFFICIAL_PREFIX) else "month"
    if not isinstance(period, Mapping) or period.get("key") != period_key or period.get("kind") != kind:
        raise invalid(f"payload.period must be the month {period_key} (key and kind {kind!r})")
    generated = _text(payload.get("generated_at"), "generated_at", required=True)
    try:
        generated_at = datetime.fromisoformat(generated)
    except ValueError:
        raise invalid("payload.generated_at must be an ISO 8601 moment") from None
    if generated_at.tzinfo is None:
        raise invalid("payload.generated_at must carry its UTC offset")
    totals = _figures(payload.get("totals"), "totals")
    by_field = _rows(payload, "by_field", "field")
    _rows(payload, "by_procedure", "procedure")
    if not isinstance(payload.get("months", []), list):
        raise invalid("payload.months must be a list")
    if total(f for _, f in by_field) != totals:
        raise invalid("payload.by_field does not add up to payload.totals")
    try:
        agg.check_payload(payload)
    except (agg.PayloadError, TypeError, ValueError) as exc:
        raise invalid(str(exc)) from None
    if code != commune_code:
        raise HubError(403, "commune_mismatch",
                       f"this device belongs to commune {commune_code}; it cannot send the report of {code}")
    return generated_at


# -- storage ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Stored:
    period: str
    stored_at: str
    status: str  # stored | unchanged | older (a newer report of the same month is already kept)

    def to_dict(self) -> dict[str, Any]:
        return {"ack": "report", "period": self.period, "stored_at": self.stored_at, "status": self.status}


def _summary(payload: Mapping[str, Any]) -> dict[str, Any]:
    return {key: payload[key] for key in ("schema", "commune", "period", "generated_at", "totals", "by_field")}


def store_report(db: HubDatabase, commune_code: str, device_id: str, period_key: str,
                 payload: Mapping[str, Any]) -> Stored:
    """Keep ``payload`` as the commune's report for the month unless the same figures or a more recently
    generated report are already kept. Idempotent: the same body again answers the same."""
    generated_at = check_report(period_key, payload, commune_code)
    digest = content_hash(payload)
    row = {"commune_code": commune_code, "period": period_key, "generated_at": str(payload["generated_at"]),
           "content_hash": digest, "summary": canonical(_summary(payload)), "payload": canonical(payload),
           "device_id": device_id, "stored_at": iso(now())}
    key = (commune_reports.c.commune_code == commune_code) & (commune_reports.c.period == period_key)
    with db.write() as conn:
        insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
        inserted = conn.execute(insert(commune_reports).values(**row).on_conflict_do_nothing()
                                .returning(commune_reports.c.stored_at)).first()
        if inserted is not None:
            return Stored(period_key, row["stored_at"], "stored")
        kept = conn.execute(select(commune_reports.c.content_hash, commune_reports.c.generated_at,
                                   commune_reports.c.stored_at).where(key).with_for_update()).one()
        if kept.content_hash == digest:
            return Stored(period_key, kept.stored_at, "unchanged")
        if datetime.fromisoformat(kept.generated_at) > generated_at:
            return Stored(period_key, kept.stored_at, "older")
        conn.execute(update(commune_reports).where(key).values(**row))
    return Stored(period_key, row["stored_at"], "stored")


# -- the province's view ------------------------------------------------------------------------------

def parse_aggregate_period(text: str) -> Period:
    try:
        period = parse_period(text)
    except PeriodError as exc:
        raise invalid(str(exc)) from None
    if period.kind.removeprefix("official_") not in ("month", "quarter", "half", "year"):
        raise invalid("period must be a month (2026-11), a quarter (2026-Q4), a half-year (2026-H2) or a year "
                      "(2026), calendar or official (ky:2026-11, ky:2026-Q4, ky:2026-H2, ky:2026)")
    return period


def _load(db: HubDatabase, month_keys: Sequence[str], commune: str | None) -> tuple[list[dict[str, Any]], list[str]]:
    query = select(commune_reports.c.summary).where(commune_reports.c.period.in_(list(month_keys)))
    communes = select(t.communes.c.code).order_by(t.communes.c.code)
    if commune is not None:
        query = query.where(commune_reports.c.commune_code == commune)
        communes = communes.where(t.communes.c.code == commune)
    with db.read() as conn:
        summaries = [json.loads(text) for text in conn.execute(query).scalars()]
        known = [str(code) for code in conn.execute(communes).scalars()]
    return summaries, known


def _rolled(chosen: Mapping[tuple[str, str], Mapping[str, Any]], code: str, keys: Sequence[str],
            period: Period) -> dict[str, Any]:
    """One commune's payload for ``period`` made of its monthly ones (``keys``, consecutive)."""
    months = [chosen[(code, key)] for key in keys]
    fields = sorted({str(row["field"]) for payload in months for row in payload["by_field"]})
    per_month = [{str(row["field"]): Figures.from_dict(row) for row in payload["by_field"]} for payload in months]
    rolled = agg.roll_up([Figures.from_dict(payload["totals"]) for payload in months])
    return {"schema": agg.SCHEMA, "commune": months[-1]["commune"],
            "period": {"key": period.key, "kind": period.kind}, "generated_at": months[-1]["generated_at"],
            "totals": rolled.to_dict(),
            "by_field": [{"field": name, **agg.roll_up([m.get(name, Figures()) for m in per_month]).to_dict()}
                         for name in fields]}


def aggregate(db: HubDatabase, period: Period, commune: str | None = None) -> dict[str, Any]:
    """The province's table for a month, quarter or year: totals, per province, per commune, per field.

    A quarter or year is rolled up from each commune's monthly reports of the same kind — calendar
    months for ``2026-Q4``, official months (15th to 14th) for ``ky:2026-Q4`` — (flows add, stocks from the
    ends); a commune counts through the last month of an unbroken run from the period's first month,
    and ``coverage`` says which months each commune has sent and which are missing."""
    keys = [p.key for p in period.months()]
    summaries, known = _load(db, keys, commune)
    chosen = agg.latest(summaries)
    payloads: list[Mapping[str, Any]] = []
    coverage = []
    for code in sorted({c for c, _ in chosen}):
        sent = [key for key in keys if (code, key) in chosen]
        run = 0
        while run < len(keys) and (code, keys[run]) in chosen:
            run += 1
        payload = None
        if run:
            one_month = period.kind in ("month", "official_month")
            payload = chosen[(code, keys[0])] if one_month else _rolled(chosen, code, keys[:run], period)
            if not Figures.from_dict(payload["totals"]).reconciles():
                payload = None  # months sent at different times that no longer chain: re-sent reports fix it
        if payload is not None:
            payloads.append(payload)
        coverage.append({"commune": code, "months_sent": sent, "months_missing": [k for k in keys if k not in sent],
                         "counted_through": keys[run - 1] if payload is not None else None,
                         "complete": payload is not None and run == len(keys)})
    report = agg.province_report(payloads, period.key)
    provinces = sorted({str((p.get("commune") or {}).get("province", "")) for p in payloads})
    by_province = []
    for name in provinces:
        part = agg.province_report(payloads, period.key, province=name)
        by_province.append({key: part[key] for key in ("province", "communes_reporting", "totals", "by_field")})
    reporting = {row["commune"] for row in coverage}
    # The hub serves one province: its name as the communes' reports give it ("" before any report).
    named = [name for name in provinces if name]
    report["province"] = named[0] if len(named) == 1 else ", ".join(named)
    return {"ack": "reports", **report, "kind": period.kind, "months": keys, "commune": commune,
            "by_province": by_province, "coverage": coverage,
            "not_reporting": [code for code in known if code not in reporting], "hub_time": iso(now())}
