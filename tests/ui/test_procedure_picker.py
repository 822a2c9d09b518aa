"""The procedure pickers as a commune desk sees them: its own procedures first, those it only receives
for the province marked, the most used first, nothing chosen before a real match is typed."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from motcua.catalog.repository import add_version
from motcua.catalog.shipped import load_shipped
from motcua.domain.clock import VN_TZ
from motcua.services.desk import Desk
from motcua.services.intake import Applicant, IntakeRequest
from motcua.store.db import open_store, transaction
from motcua.store.settings import put_values
from motcua.ui._adapters import list_procedures
from motcua.ui.intake.procedure_search import ProcedureSearch
from tests.catalog.store_helper import FIXTURE_PROCEDURES


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = open_store(tmp_path / "store.sqlite3")
    load_shipped(connection, FIXTURE_PROCEDURES)
    province = json.loads((FIXTURE_PROCEDURES / "1.003560.json").read_text(encoding="utf-8"))
    province.update(code="9.990010", name="Cấp giấy phép bưu chính liên tỉnh", level="province")
    with transaction(connection):
        add_version(connection, province, "kiểm thử")
        put_values(connection, {"commune_name": "Xã Ea Kao", "agency_code": "000.17.22.H56", "device_id": "d"})
    desk = Desk(connection, tmp_path)
    start = datetime.now(VN_TZ) - timedelta(days=30)
    for i, code in enumerate(["2.000815", "2.000815", "1.001193"]):
        desk.intake(IntakeRequest(code, Applicant(f"Người {i}", f"06619000{i:04d}"),
                                  received_at=start + timedelta(days=i)), actor="canbo")
    yield connection
    connection.close()


def test_commune_procedures_first_most_used_first_the_others_marked(conn: sqlite3.Connection) -> None:
    rows = list_procedures(conn)
    assert [r.code for r in rows[:2]] == ["2.000815", "1.001193"]  # 2 and 1 dossiers
    levels = [conn.execute("SELECT level FROM procedures WHERE code = ?", (r.code,)).fetchone()[0] for r in rows]
    assert levels == sorted(levels, key=["commune", "commune_receives_province_decides", "province"].index)
    assert rows[-1].code == "9.990010" and "cấp tỉnh" in rows[-1].snippet
    receives = [r for r, level in zip(rows, levels, strict=True) if level == "commune_receives_province_decides"]
    assert receives and all("xã tiếp nhận, tỉnh giải quyết" in r.snippet for r in receives)
    assert "2 hồ sơ" in rows[0].snippet


def test_nothing_is_chosen_before_a_real_match_is_typed(qtbot, conn: sqlite3.Connection) -> None:  # type: ignore[no-untyped-def]
    picker = ProcedureSearch(lambda: conn)
    qtbot.addWidget(picker)
    assert picker.model.rowCount() == 8 and picker.current_code() == ""
    picker.box.setText("dang ky lai ket hon")  # not in this catalog: Đăng ký kết hôn only looks like it
    picker.flush()
    assert picker.model.rowCount() >= 1 and picker.current_code() == ""
    assert "gần giống" in picker.status.text()
    picker.box.setText("dang ky ket hon")
    picker.flush()
    assert picker.current_code() == "1.000894"
