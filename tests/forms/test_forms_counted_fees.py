"""Catalog features at the desk, end to end: a chứng thực-like procedure (per-page fees with a cap
per copy, a paper only shown, a paper needed in one case, same-day processing with a 15:00
cut-off, the addressee filled with the commune's own name) and a staged procedure (the commune
forwards, the province decides)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from motcua.catalog import load_shipped
from motcua.domain.clock import VN_TZ
from motcua.forms import content
from motcua.forms.render import render_form, render_guidance, render_procedure_form
from motcua.services.desk import Desk
from motcua.services.intake import parse_intake
from motcua.store.db import open_store, transaction
from motcua.store.settings import put_values
from tests.forms.conftest import catalog_root
from tests.forms.forms_pdfcheck import assert_has, text

COPY_CERTIFICATION = {
    "code": "2.000815", "version": 1, "name": "Chứng thực bản sao từ bản chính", "sector": "Tư pháp",
    "field": "Chứng thực", "level": "commune",
    "processing_time": {"amount": 0, "unit": "same_day", "cutoff": "15:00",
                        "text": "Trong ngày; tiếp nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo"},
    "fees": [{"kind": "phi", "name": "Phí chứng thực bản sao", "amount_vnd": 2000, "unit": "trang",
              "tiers": [{"from": 3, "amount_vnd": 1000}], "cap_vnd": 200000, "per": "bản"}],
    "components": [
        {"name": "Bản chính giấy tờ cần chứng thực", "kind": "presented", "copies": 1, "required": True},
        {"name": "Bản sao cần chứng thực", "kind": "photocopy", "copies": 1, "required": False},
        {"name": "Văn bản ủy quyền", "kind": "original", "copies": 1, "required": True,
         "condition": "Trường hợp người khác nộp thay"},
    ],
    "sets": 1, "channels": ["desk"], "steps": ["Bước 1: xuất trình bản chính"], "result": "Bản sao có chứng thực",
    "legal_basis": ["Nghị định số 23/2015/NĐ-CP"], "publishing_decision": "",
    "effective_from": "2025-07-01", "effective_until": None, "guidance": "## Các bước\nXuất trình bản chính.",
    "forms": [{"id": "don", "title": "ĐƠN ĐỀ NGHỊ", "addressee": "Ủy ban nhân dân {commune}, {province}",
               "fields": [{"id": "ho_ten", "label": "Họ và tên", "type": "text", "source": "applicant.name"}]}],
    "provenance": {"sources": ["kiểm thử"]},
}


STAGED = {
    **COPY_CERTIFICATION, "code": "1.010803", "name": "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ",
    "field": "Người có công", "level": "commune_receives_province_decides", "fees": [], "forms": [],
    "components": [{"name": "Đơn đề nghị", "kind": "original", "copies": 1, "required": True}],
    "processing_time": {"amount": 17, "unit": "working_days", "text": "Cấp xã 05, cấp tỉnh 12 ngày làm việc",
                        "stages": [{"by": "commune", "amount": 5, "unit": "working_days"},
                                   {"by": "province", "agency": "Sở Nội vụ", "amount": 12, "unit": "working_days"}]},
}


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    catalog_root(tmp_path, monkeypatch, COPY_CERTIFICATION, STAGED)
    data_dir = tmp_path / "data"
    conn = open_store(data_dir / "motcua.sqlite3")
    with transaction(conn):
        put_values(conn, {"commune_name": "Xã Ea Kao", "province_name": "Đắk Lắk",
                          "agency_code": "000.17.22.H56", "device_id": "test"})
    assert sorted(load_shipped(conn).added) == ["1.010803", "2.000815"]
    yield Desk(conn, data_dir)
    conn.close()


def _intake(desk: Desk, at: str, quantities: list[dict[str, int]] | None) -> str:
    data = {
        "procedure_code": "2.000815", "received_at": at,
        "applicant": {"name": "Trần Thị Mai", "id_number": "066190001234"},
        "documents": [{"name": "Bản chính giấy tờ cần chứng thực", "kind": "presented"},
                      {"name": "Bản sao cần chứng thực", "kind": "photocopy", "copies": 3}],
    }
    if quantities is not None:
        data["fee_quantities"] = quantities
    return desk.intake(parse_intake(data), "binh").record.code or ""


def test_counted_fee_on_the_record_and_the_receipt(desk: Desk) -> None:
    code = _intake(desk, "2026-02-05 09:15", [{"fee": 1, "units": 5, "groups": 3}])
    record = content.load_dossier(desk.conn, code)
    assert record.fee_total == 21_000  # (2 × 2.000 + 3 × 1.000) × 3 bản
    data = content.receipt_data(desk.conn, code)
    assert [(f.name, f.amount_vnd) for f in data.fees] == [("Phí chứng thực bản sao (5 trang × 3 bản)", 21_000)]
    assert data.documents[0].name == "Bản chính giấy tờ cần chứng thực (đã xuất trình, đã trả lại)"
    assert (data.documents[0].original, data.documents[0].photocopy) == (0, 0)
    assert_has(text(render_form("receipt", data, content.form_set_id(desk.conn))),
               "Phí chứng thực bản sao (5 trang × 3 bản): 21.000 đồng", "Hai mươi mốt nghìn đồng")


def test_same_day_due_with_cutoff(desk: Desk) -> None:
    before = content.load_dossier(desk.conn, _intake(desk, "2026-02-05 14:59", None))
    after = content.load_dossier(desk.conn, _intake(desk, "2026-02-05 15:00", None))
    assert datetime.fromisoformat(before.due_at or "") == datetime(2026, 2, 5, 17, 0, tzinfo=VN_TZ)
    assert datetime.fromisoformat(after.due_at or "") == datetime(2026, 2, 6, 17, 0, tzinfo=VN_TZ)
    assert before.fee_total == 2_000  # no quantities given: one page, one copy


def test_a_huge_paper_is_capped_per_copy(desk: Desk) -> None:
    code = _intake(desk, "2026-02-05 09:15", [{"fee": 1, "units": 400, "groups": 2}])
    assert content.load_dossier(desk.conn, code).fee_total == 400_000


def test_guidance_sheet_states_rate_condition_and_presented_paper(desk: Desk) -> None:
    data = content.guidance_data(desk.conn, "2.000815")
    pdf_text = text(render_guidance(data))
    assert_has(pdf_text, "2.000 đồng/trang; từ trang thứ 3: 1.000 đồng/trang; tối đa 200.000 đồng/bản",
               "Bản chính giấy tờ cần chứng thực (xuất trình để đối chiếu, không nộp)",
               "Văn bản ủy quyền – Trường hợp người khác nộp thay")


def test_addressee_takes_the_communes_own_names(desk: Desk) -> None:
    blank = content.procedure_form_data(desk.conn, "don", procedure_code="2.000815")
    assert blank.addressee == "Ủy ban nhân dân xã Ea Kao, tỉnh Đắk Lắk"
    assert_has(text(render_procedure_form(blank)), "Ủy ban nhân dân xã Ea Kao, tỉnh Đắk Lắk")


def test_bad_fee_quantities_are_refused_before_anything_is_stored(desk: Desk) -> None:
    from motcua.services.validation import ValidationFailed

    with pytest.raises(ValidationFailed) as failed:
        _intake(desk, "2026-02-05 09:15", [{"fee": 0, "units": 5}])
    assert "fee_quantities[1]" in failed.value.errors
    assert desk.conn.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 0


@pytest.mark.parametrize(("name", "level", "expected"), [
    ("Xã Ea Kao", "commune", "xã Ea Kao"), ("Phường  Hòa Khánh", "commune", "phường Hòa Khánh"),
    ("Đặc khu Phú Quốc", "commune", "đặc khu Phú Quốc"), ("Đắk Lắk", "province", "tỉnh Đắk Lắk"),
    ("Thành phố Huế", "province", "thành phố Huế"), ("tỉnh Lào Cai", "province", "tỉnh Lào Cai"),
])
def test_division_names_inside_a_sentence(name: str, level: str, expected: str) -> None:
    assert content.in_sentence(name, level) == expected


def test_a_staged_procedure_records_when_the_commune_must_forward(desk: Desk) -> None:
    data = {"procedure_code": "1.010803", "received_at": "2026-02-05 09:15",
            "applicant": {"name": "Trần Văn Hùng", "id_number": "066160001234"}}
    outcome = desk.intake(parse_intake(data), "binh")
    received = content.events_of(desk.conn, outcome.record.id)[0]
    assert received.payload["stages"] == [
        {"by": "commune", "agency": "", "due_at": "2026-02-12T09:15:00+07:00"},   # 5 working days
        {"by": "province", "agency": "Sở Nội vụ", "due_at": outcome.record.due_at},  # Tết skipped, 17 in all
    ]
