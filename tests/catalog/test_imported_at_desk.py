"""A procedure that came only from an import (a bare list completed from the national records) at the
desk: the intake, the receipt and the guidance sheet work; the fee the records leave to the provincial
council is not printed as free; a "to confirm" procedure is looked up but not received."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from motcua.catalog.importer import apply_plan, plan_import
from motcua.domain.clock import VN_TZ
from motcua.forms import content
from motcua.forms.render import render_form, render_guidance
from motcua.services.desk import Desk
from motcua.services.intake import parse_intake
from motcua.services.validation import ValidationFailed
from motcua.store.db import open_store, transaction
from motcua.store.settings import put_values
from tests.forms.forms_pdfcheck import text

LIST = ("Mã TTHC;Tên thủ tục hành chính;Lĩnh vực;Cấp thực hiện;Quyết định công bố\n"
        "1.013228;Cấp lại giấy phép xây dựng đối với công trình cấp III, cấp IV và nhà ở riêng lẻ;"
        "Hoạt động xây dựng;Cấp xã;Quyết định số 99/QĐ-UBND\n"
        "9.990002;Xác nhận một việc tỉnh tự quy định;Hộ tịch;Cấp xã;Quyết định số 99/QĐ-UBND\n")


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    data_dir = tmp_path / "data"
    conn = open_store(data_dir / "motcua.sqlite3")  # no shipped catalog loaded: the import is all there is
    with transaction(conn):
        put_values(conn, {"commune_name": "Xã Ea Kao", "province_name": "Đắk Lắk",
                          "agency_code": "000.17.22.H56", "device_id": "test"})
    sheet = tmp_path / "danh-muc.csv"
    sheet.write_text(LIST, encoding="utf-8")
    plan = plan_import(conn, sheet)
    assert plan.ok, plan.preview()
    apply_plan(conn, plan)
    yield Desk(conn, data_dir)
    conn.close()


def _monday_morning() -> str:
    today = datetime.now(VN_TZ).date()
    monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    return f"{monday.isoformat()} 09:00"


def _count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM dossiers").fetchone()[0])


def test_intake_receipt_and_guidance_of_an_imported_procedure(desk: Desk) -> None:
    data = {"procedure_code": "1.013228", "received_at": _monday_morning(),
            "applicant": {"name": "Trần Văn Hùng", "id_number": "066160001234"},
            "documents": [{"name": "Bản chính giấy phép xây dựng đã được cấp", "kind": "original"}]}
    outcome = desk.intake(parse_intake(data), "binh")
    record = outcome.record
    assert record.procedure_code == "1.013228" and record.due_at  # 5 working days from the record
    receipt = content.receipt_data(desk.conn, record.code or "")
    assert [f.amount_vnd for f in receipt.fees] == [None]  # set by the provincial council: to confirm
    receipt_text = text(render_form("receipt", receipt, content.form_set_id(desk.conn)))
    assert "Không thu phí" not in receipt_text
    assert "Cấp lại giấy phép xây dựng" in receipt_text
    sheet = text(render_guidance(content.guidance_data(desk.conn, "1.013228")))
    assert "Cấp lại giấy phép xây dựng" in sheet and "Đơn đề nghị điều chỉnh, gia hạn, cấp lại giấy phép" in sheet


def test_a_procedure_to_confirm_is_not_received(desk: Desk) -> None:
    data = {"procedure_code": "9.990002", "received_at": _monday_morning(),
            "applicant": {"name": "Trần Văn Hùng", "id_number": "066160001234"}}
    with pytest.raises(ValidationFailed) as refused:
        desk.intake(parse_intake(data), "binh")
    assert "chưa có thời hạn giải quyết" in refused.value.errors["procedure_code"]
    assert _count(desk.conn) == 0
