"""Issue 16: the issuing body, place and signers come from the settings; the document register numbers
papers per form and year; receipts keep their signatures with the body."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from pathlib import Path

import pytest

from motcua.cli import main
from motcua.domain.clock import VN_TZ
from motcua.forms import content, samples
from motcua.forms.model import DocumentLine
from motcua.forms.paths import form_sets_dir
from motcua.forms.render import render_form
from motcua.services.commune_settings import (
    ValidationFailed,
    check_settings,
    default_place_name,
    paper_settings,
    save_settings,
)
from motcua.services.desk import Desk
from motcua.services.intake import Applicant, IntakeRequest, ProcedureRef
from motcua.store.db import open_store, transaction
from motcua.store.settings import get_settings, put_values
from tests.forms.forms_pdfcheck import assert_has, flat, page_count, pages_text, text

PROCEDURE = ProcedureRef("1.001193", "Đăng ký khai sinh", 1, "working_days", 1, "Hộ tịch", 0)
NAMES = ("Tờ khai đăng ký khai sinh theo mẫu", "Giấy chứng sinh", "Văn bản ủy quyền (nếu có)",
         "Giấy chứng nhận kết hôn của cha, mẹ", "Căn cước của người đi đăng ký", "Giấy tờ chứng minh nơi cư trú",
         "Bản sao giấy khai sinh của anh, chị", "Giấy xác nhận của cơ sở y tế")


def _at(text_value: str) -> datetime:
    return datetime.fromisoformat(text_value).replace(tzinfo=VN_TZ)


@pytest.fixture
def desk(tmp_path: Path):
    data_dir = tmp_path / "data"
    conn = open_store(data_dir / "motcua.sqlite3")
    with transaction(conn):
        put_values(conn, {"commune_name": "Xã Ea Kao", "province_name": "Đắk Lắk", "agency_code": "000.17.22.H56",
                          "form_set": "tt03_2025", "device_id": "test"})
        conn.execute("INSERT INTO users (username, full_name, role, password_hash, created_at) VALUES "
                     "('binh', 'Trần Văn Bình', 'receiver', '', '2025-01-01'), "
                     "('huy', 'Phạm Quốc Huy', 'specialist', '', '2025-01-01')")
    yield Desk(conn, data_dir), conn, data_dir
    conn.close()


def _intake(desk: Desk, at: str, name: str = "Nguyễn Thị Hồng Nhung") -> str:
    request = IntakeRequest(procedure_code=PROCEDURE.code, procedure=PROCEDURE, applicant=Applicant(name),
                            documents=({"name": "Tờ khai", "kind": "original", "copies": 1, "received": True},),
                            received_at=_at(at))
    return desk.intake(request, "binh").record.code


# -- settings ------------------------------------------------------------------------------------

def test_defaults_fit_decree_118_and_the_place_is_the_communes_own_name(desk) -> None:
    _, conn, _ = desk
    paper = paper_settings(conn)
    assert paper.desk_name == "Trung tâm Phục vụ hành chính công"
    assert paper.parent_name == "Ủy ban nhân dân xã Ea Kao" and paper.place == "Ea Kao"
    assert paper.short_name == "TTPVHCC" and paper.signer("apology").title == "GIÁM ĐỐC"
    assert default_place_name("Phường 1") == "Phường 1"  # a unit named by a number keeps its unit word
    assert default_place_name("Đặc khu Phú Quốc") == "Phú Quốc"


def test_one_check_refuses_bad_values_and_writes_nothing(desk) -> None:
    _, conn, _ = desk
    with pytest.raises(ValidationFailed) as caught:
        save_settings(conn, {"desk_phone": "gọi bàn", "desk_name": "Trung tâm mới", "form_set": "tt99",
                             "workstation": "12"})
    assert set(caught.value.errors) == {"desk_phone", "form_set", "workstation"}
    assert get_settings(conn).desk_name == ""  # nothing written, not even the good value
    assert check_settings({"desk_name": "  Trung   tâm  "}) == {"desk_name": "Trung tâm"}


def test_header_place_and_signer_come_from_the_settings(desk) -> None:
    d, conn, _ = desk
    code = _intake(d, "2026-02-05T09:00")
    d.act(code, "handed_over", "binh", {"to": "huy"}, at=_at("2026-02-05T10:00"))
    d.act(code, "rescheduled", "huy", {"new_due_at": "2026-02-20T16:00", "reason": "Chờ xác minh"},
          at=_at("2026-02-06T08:00"))
    save_settings(conn, {"desk_name": "Trung tâm Phục vụ hành chính công xã Ea Kao",
                         "agency_name": "Ủy ban nhân dân xã Ea Kao", "place_name": "Ea Kao",
                         "desk_short_name": "TTPVHCC", "desk_phone": "0262 3 812 345",
                         "signer_title": "Giám đốc", "signer_name": "Lê Thị Mai",
                         "apology_signer_title": "Phó Giám đốc", "apology_signer_name": "Hoàng Văn Nam"})
    pdf = render_form("apology", content.apology_data(conn, code), "tt03_2025")
    assert_has(text(pdf, layout=False), "ỦY BAN NHÂN DÂN XÃ EA KAO\nTRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ EA KAO")
    apology = text(pdf)
    assert_has(apology, "ỦY BAN NHÂN DÂN XÃ EA KAO",
               "Ea Kao, ngày 06 tháng 02 năm 2026", "PHÓ GIÁM ĐỐC", "Hoàng Văn Nam", "- Lưu: VT, TTPVHCC.")
    assert "BỘ PHẬN MỘT CỬA" not in apology and "Đắk Lắk, ngày" not in apology
    assert "THỦ TRƯỞNG CƠ QUAN" not in apology
    receipt = text(render_form("receipt", content.receipt_data(conn, code), "tt03_2025"))
    assert_has(receipt, "ỦY BAN NHÂN DÂN XÃ EA KAO", "Ea Kao, ngày 05 tháng 02 năm 2026", "Trần Văn Bình")
    # Another setting, the same paper printed again: the new words, nothing cached.
    save_settings(conn, {"place_name": "Buôn Ea Kao", "apology_signer_title": "", "apology_signer_name": ""})
    again = text(render_form("apology", content.apology_data(conn, code), "tt03_2025"))
    assert_has(again, "Buôn Ea Kao, ngày 06 tháng 02 năm 2026", "GIÁM ĐỐC", "Lê Thị Mai")


def test_settings_command(desk) -> None:
    _, conn, data_dir = desk
    base = ["--data-dir", str(data_dir), "settings"]
    assert main([*base, "set", "desk_name", "Trung tâm Phục vụ hành chính công xã Ea Kao"]) == 0
    assert main([*base, "set", "desk_phone", "không có"]) == 1  # refused, nothing written
    with pytest.raises(SystemExit) as usage:
        main([*base, "set", "no_such_key", "x"])
    assert usage.value.code == 2
    assert get_settings(conn).desk_name == "Trung tâm Phục vụ hành chính công xã Ea Kao"
    assert get_settings(conn).desk_phone == ""


def test_settings_show_json(desk, capsys: pytest.CaptureFixture[str]) -> None:
    _, _, data_dir = desk
    assert main(["--data-dir", str(data_dir), "settings", "show", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["printed"]["place_name"] == "Ea Kao" and shown["settings"]["place_name"] == ""


# -- full names ----------------------------------------------------------------------------------

def test_people_are_named_by_their_full_names(desk) -> None:
    d, conn, _ = desk
    code = _intake(d, "2026-03-02T08:00")
    d.act(code, "handed_over", "binh", {"to": "huy"}, at=_at("2026-03-02T09:00"))
    d.act(code, "supplement_requested", "huy", {"reason": "Thiếu giấy chứng sinh", "items": []},
          at=_at("2026-03-02T10:00"))
    save_settings(conn, {"desk_phone": "0262 3 812 345"})
    paper = text(render_form("supplement", content.supplement_data(conn, code), "tt03_2025"))
    assert_has(paper, "liên hệ với Phạm Quốc Huy số điện thoại 0262 3 812 345")
    assert "huy " not in flat(paper) and "gồm những nội dung sau" not in paper  # no empty list either
    assert content.control_sheet_data(conn, code).steps[0].from_person == "Trần Văn Bình"


# -- the document register -----------------------------------------------------------------------

def test_register_numbers_per_form_and_year_and_a_reprint_keeps_its_number(desk) -> None:
    d, conn, _ = desk
    old = _intake(d, "2025-12-30T09:00")
    first = _intake(d, "2026-01-05T09:00")
    second = _intake(d, "2026-01-06T09:00")
    assert [content.receipt_data(conn, c).number for c in (old, first, second)] == ["01", "01", "02"]
    d.act(second, "handed_over", "binh", {"to": "huy"}, at=_at("2026-01-06T10:00"))
    d.act(second, "supplement_requested", "huy", {"reason": "Thiếu", "items": ["Giấy chứng sinh"]},
          at=_at("2026-01-07T08:00"))
    assert content.supplement_data(conn, second).number == "01"
    reprint = render_form("supplement", content.supplement_data(conn, second), "tt03_2025")
    assert_has(text(reprint), "Số: 01/BSHS")
    assert content.receipt_data(conn, second).number == "02"  # printing took no number
    d.act(second, "supplemented", "binh", {}, at=_at("2026-01-08T08:00"))
    d.act(second, "supplement_requested", "huy", {"reason": "Còn thiếu", "items": ["Văn bản ủy quyền"]},
          at=_at("2026-01-09T08:00"))
    assert content.supplement_data(conn, second).number == "02"  # the second round, a new number
    assert_has(text(render_form("receipt", content.receipt_data(conn, second), "tt03_2025")), "Số: 02/TNHS")


def test_the_migration_numbers_papers_issued_before_it_the_same_way(desk) -> None:
    d, conn, _ = desk
    for at in ("2025-12-30T09:00", "2026-01-05T09:00", "2026-01-06T09:00"):
        _intake(d, at)
    before = conn.execute("SELECT kind, year, number, event_id FROM document_register ORDER BY 1, 2, 3").fetchall()
    sql = (form_sets_dir().parents[1] / "db" / "migrations" / "0006_document_register.sql").read_text("utf-8")
    with transaction(conn):
        conn.execute("DELETE FROM document_register")
        conn.execute(sql[sql.index("INSERT INTO document_register"):])
    after = conn.execute("SELECT kind, year, number, event_id FROM document_register ORDER BY 1, 2, 3").fetchall()
    assert [tuple(r) for r in after] == [tuple(r) for r in before]


# -- one page, signatures with the body ----------------------------------------------------------

@pytest.mark.parametrize(("count", "pages"), [(1, 1), (8, 1), (20, 2)])
def test_receipt_pages_and_signatures_never_alone(count: int, pages: int) -> None:
    documents = tuple(DocumentLine(NAMES[i % len(NAMES)], original=1) for i in range(count))
    pdf = render_form("receipt", dataclasses.replace(samples.receipt(), documents=documents), "tt03_2025")
    assert page_count(pdf) == pages
    last = pages_text(pdf)[-1]
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in last and "2. Số lượng hồ sơ" in last
    if pages > 1:  # broken inside the table: rows and the repeated header go over with the signatures
        assert "Tên giấy tờ" in last and f" {count} " in last
        assert "2" in last.splitlines()[0]  # the page number, top centre, from page 2


def test_catalog_notes_to_its_editors_stay_off_paper() -> None:
    from motcua.forms.paths import catalog_file
    from motcua.forms.render import render_procedure_form

    definition = json.loads(catalog_file("1.003659").read_text(encoding="utf-8"))
    form = definition["forms"][0]
    assert "(số hiệu mẫu cần xác nhận)" in form["basis"]  # the catalog keeps the note for its editors
    data = content.procedure_form_view(definition, form["id"])
    assert "cần xác nhận" not in data.basis and data.basis.startswith("Mẫu giấy đề nghị")
    assert "cần xác nhận" not in text(render_procedure_form(data))


def test_a_login_without_an_account_never_goes_on_paper(desk) -> None:
    d, conn, _ = desk
    request = IntakeRequest(procedure_code=PROCEDURE.code, procedure=PROCEDURE, applicant=Applicant("Võ Thị Lan"),
                            received_at=_at("2026-03-03T08:00"))
    code = d.intake(request, "motnhanvien").record.code  # a script's actor: no account, no name
    assert content.receipt_data(conn, code).receiving_officer == ""
    assert "motnhanvien" not in text(render_form("receipt", content.receipt_data(conn, code), "tt03_2025"))


def test_control_sheet_keeps_a_supplement_round_before_any_hand_over(desk) -> None:
    d, conn, _ = desk
    code = _intake(d, "2026-03-04T08:00")
    d.act(code, "supplement_requested", "binh", {"reason": "Thiếu giấy chứng sinh", "items": ["Giấy chứng sinh"]},
          at=_at("2026-03-04T08:30"))
    data = content.control_sheet_data(conn, code)
    assert data.resolving_unit == "Ủy ban nhân dân xã Ea Kao"  # no unit named yet: the competent body
    first = data.steps[0]
    assert (first.from_person, first.to_person) == ("Trần Văn Bình", "Nguyễn Thị Hồng Nhung")
    assert "Yêu cầu bổ sung: Thiếu giấy chứng sinh" in first.note
    assert_has(text(render_form("control", data, "tt03_2025")), "Người giao", "Người nhận")
