"""Hub-side aggregation of the communes' report payloads (pure functions)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from motcua.hub.province.reports_aggregate import (
    PayloadError,
    latest,
    per_commune,
    per_field,
    province_report,
    roll_up,
    roll_up_commune,
)
from motcua.reports.figures import Figures, compute_figures
from motcua.reports.payload import report_payload
from motcua.reports.period import month, quarter
from motcua.store.db import transaction
from motcua.store.settings import put_values
from tests.reports.report_support import SAMPLE, Built, store_in


def _payloads(built: Built, code: str, name: str, province: str = "Đắk Lắk") -> list[dict[str, Any]]:
    with transaction(built.conn):
        put_values(built.conn, {"agency_code": code, "commune_name": name, "province_name": province})
    return [report_payload(built.conn, p) for p in [*quarter(2026, 1).months(), quarter(2026, 1)]]


@pytest.fixture
def payloads(tmp_path: Path) -> list[dict[str, Any]]:
    with store_in(tmp_path / "a", SAMPLE) as a, store_in(tmp_path / "b", SAMPLE[:5]) as b, \
            store_in(tmp_path / "c", SAMPLE[3:]) as c:
        found = [*_payloads(a, "000.17.22.H56", "Xã Ea Kao"), *_payloads(b, "000.18.22.H56", "Xã Hòa Phú"),
                 *_payloads(c, "000.01.01.H01", "Phường Ba Đình", "Hà Nội")]
    return json.loads(json.dumps(found))  # as received over the wire


def test_payload_is_json_and_reconciles(payloads: list[dict[str, Any]]) -> None:
    first = payloads[0]
    assert first["period"] == {"key": "2026-01", "kind": "month", "first": "2026-01-01", "last": "2026-01-31"}
    assert Figures.from_dict(first["totals"]).reconciles()
    assert {"field", "received", "on_time_rate"} <= set(first["by_field"][0])


def test_province_adds_communes_up(payloads: list[dict[str, Any]], sample_store: Built) -> None:
    report = province_report(payloads, "2026-02", province="Đắk Lắk")
    assert report["communes_reporting"] == 2
    assert [row["commune"] for row in report["by_commune"]] == ["000.17.22.H56", "000.18.22.H56"]
    a, b = (Figures.from_dict(row["figures"]) for row in report["by_commune"])
    assert a == compute_figures(sample_store.conn, month(2026, 2))
    assert Figures.from_dict(report["totals"]) == a + b
    assert report["totals"]["on_time_rate"] == (a + b).on_time_rate  # recomputed, not averaged
    fields = per_field([p for p in payloads if p["commune"]["province"] == "Đắk Lắk"], "2026-02")
    assert sum(fields.values(), Figures()) == a + b
    everyone = province_report(payloads, "2026-02")
    assert everyone["communes_reporting"] == 3
    assert len(per_commune(payloads, "2026-Q1")) == 3


def test_months_roll_up_to_the_quarter(payloads: list[dict[str, Any]]) -> None:
    for code in ("000.17.22.H56", "000.18.22.H56", "000.01.01.H01"):
        rolled = roll_up_commune(payloads, code, ["2026-01", "2026-02", "2026-03"])
        sent = Figures.from_dict(latest(payloads)[(code, "2026-Q1")]["totals"])
        assert rolled == sent
    assert roll_up([]) == Figures()
    with pytest.raises(PayloadError):
        roll_up_commune(payloads, "000.17.22.H56", ["2026-04"])


def test_a_resent_report_replaces_the_older_one(payloads: list[dict[str, Any]]) -> None:
    older = dict(payloads[1], generated_at="2026-01-01T00:00:00+07:00",
                 totals=Figures(new_desk=1, pending_in_time=1).to_dict())
    chosen = latest([older, payloads[1]])
    assert chosen[("000.17.22.H56", "2026-02")] is payloads[1]


def test_bad_payloads_are_refused(payloads: list[dict[str, Any]]) -> None:
    with pytest.raises(PayloadError):
        latest([dict(payloads[0], schema="other/9")])
    with pytest.raises(PayloadError):
        latest([dict(payloads[0], totals=Figures(new_desk=2).to_dict())])  # does not reconcile
    with pytest.raises(PayloadError):
        latest([dict(payloads[0], commune={"name": "x"})])
