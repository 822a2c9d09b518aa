"""The province's view of the communes' reports: pure functions over report payloads.

Each commune sends ``motcua.reports.payload.report_payload`` (schema ``motcua.report/1``). Here:
keep the latest payload per commune and period, add communes up into the province's table (per
commune and per field), and roll consecutive months of one commune up into a longer period (flows
add up; stocks come from the ends: carried over from the first month, pending from the last).
Rates are always recomputed from the summed counts, never averaged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from motcua.reports.figures import FLAGS, Figures, total

SCHEMA = "motcua.report/1"
FLOWS = ("new_desk", "new_online", "new_post", "resolved_early", "resolved_on_time", "resolved_late",
         "withdrawn", "stopped")
STOCKS_AT_START = ("carried_over",)
STOCKS_AT_END = ("pending_in_time", "pending_overdue")


class PayloadError(ValueError):
    """A report payload the hub cannot use."""


def check_payload(payload: Mapping[str, Any]) -> None:
    if payload.get("schema") != SCHEMA:
        raise PayloadError(f"unknown report schema {payload.get('schema')!r} (want {SCHEMA})")
    commune = payload.get("commune") or {}
    if not commune.get("code"):
        raise PayloadError("report payload without a commune code")
    period = payload.get("period") or {}
    if not period.get("key"):
        raise PayloadError("report payload without a period")
    figures = Figures.from_dict(payload.get("totals") or {})
    if not figures.reconciles():
        raise PayloadError(f"figures of {commune['code']} for {period['key']} do not reconcile")


def latest(payloads: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str], Mapping[str, Any]]:
    """(commune code, period key) → the most recently generated payload (re-sent reports replace)."""
    chosen: dict[tuple[str, str], Mapping[str, Any]] = {}
    for payload in payloads:
        check_payload(payload)
        key = (str(payload["commune"]["code"]), str(payload["period"]["key"]))
        if key not in chosen or str(payload.get("generated_at", "")) >= str(chosen[key].get("generated_at", "")):
            chosen[key] = payload
    return chosen


def per_commune(payloads: Iterable[Mapping[str, Any]], period_key: str) -> list[dict[str, Any]]:
    """One row per commune for ``period_key``: code, name, figures (latest payload each)."""
    rows = []
    for (code, key), payload in sorted(latest(payloads).items()):
        if key != period_key:
            continue
        figures = Figures.from_dict(payload["totals"])
        rows.append({"commune": code, "name": payload["commune"].get("name", ""),
                     "province": payload["commune"].get("province", ""), "figures": figures.to_dict()})
    return rows


def per_field(payloads: Iterable[Mapping[str, Any]], period_key: str) -> dict[str, Figures]:
    """Field → the province's figures for ``period_key`` (all communes added up)."""
    sums: dict[str, Figures] = {}
    for (_, key), payload in latest(payloads).items():
        if key != period_key:
            continue
        for row in payload.get("by_field") or []:
            name = str(row.get("field", ""))
            sums[name] = sums.get(name, Figures()) + Figures.from_dict(row)
    return dict(sorted(sums.items()))


def province_report(payloads: Iterable[Mapping[str, Any]], period_key: str, *,
                    province: str | None = None) -> dict[str, Any]:
    """The province's table for one period: totals, per commune, per field, and who has not sent."""
    items = list(payloads)
    if province is not None:
        items = [p for p in items if (p.get("commune") or {}).get("province") == province]
    communes = per_commune(items, period_key)
    grand = total(Figures.from_dict(row["figures"]) for row in communes)
    return {
        "period": period_key,
        "province": province,
        "communes_reporting": len(communes),
        "totals": grand.to_dict(),
        "by_commune": communes,
        "by_field": [{"field": name, **f.to_dict()} for name, f in per_field(items, period_key).items()],
    }


def roll_up(consecutive: Sequence[Figures]) -> Figures:
    """Figures of consecutive periods (in order) as one period: flows add, stocks come from the ends."""
    if not consecutive:
        return Figures()
    values = {name: sum(getattr(f, name) for f in consecutive) for name in FLOWS}
    values.update({name: getattr(consecutive[0], name) for name in STOCKS_AT_START})
    values.update({name: getattr(consecutive[-1], name) for name in STOCKS_AT_END})
    assert set(values) == set(FLAGS)
    return Figures(**values)


def roll_up_commune(payloads: Iterable[Mapping[str, Any]], commune: str, month_keys: Sequence[str]) -> Figures:
    """A commune's figures over consecutive months (e.g. a quarter from its three monthly reports)."""
    chosen = latest(payloads)
    missing = [key for key in month_keys if (commune, key) not in chosen]
    if missing:
        raise PayloadError(f"commune {commune} has not sent {', '.join(missing)}")
    return roll_up([Figures.from_dict(chosen[(commune, key)]["totals"]) for key in month_keys])
