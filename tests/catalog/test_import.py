"""Imports from a province's annex (.xlsx, .csv) and from catalog JSON: preview, then apply."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from motcua.catalog import get_procedure, list_versions
from motcua.catalog import mapping as m
from motcua.catalog.importer import ImportRefused, apply_plan, plan_import
from motcua.catalog.repository import get_document
from motcua.search import search_procedures
from tests.catalog.store_helper import FIXTURE_PROCEDURES

HEADERS = ["STT", "Mã TTHC", "Tên thủ tục hành chính", "Lĩnh vực", "Thời hạn giải quyết", "Phí, lệ phí",
           "Cấp thực hiện", "Căn cứ pháp lý", "Thêm mới / Sửa đổi / Bãi bỏ"]
TODAY = dt.date(2026, 1, 5)


def _xlsx(path: Path, rows: list[list[Any]], *, title: bool = True) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Phụ lục"
    if title:  # decisions put a title block above the table
        sheet.append(["PHỤ LỤC I"])
        sheet.append(["DANH MỤC THỦ TỤC HÀNH CHÍNH ĐƯỢC CÔNG BỐ"])
        sheet.append([None])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


GOOD_ROWS: list[list[Any]] = [
    ["I. Lĩnh vực Tần số vô tuyến điện"],
    [1, "1.013001", "Cấp giấy phép sử dụng tần số và thiết bị vô tuyến điện đối với đài tàu", None,
     "10 ngày làm việc", "Lệ phí: 200.000 đồng/giấy phép", "Cấp xã tiếp nhận, cấp tỉnh giải quyết",
     "Luật Tần số vô tuyến điện số 42/2009/QH12\nNghị định số 133/2025/NĐ-CP", "Thêm mới"],
    ["II. Lĩnh vực Bưu chính"],
    [2, "1.003560", "Cấp giấy phép bưu chính", None, "20 ngày làm việc",
     "Phí thẩm định điều kiện hoạt động bưu chính: 3.500.000 đồng", "Cấp tỉnh", None, "Sửa đổi"],
    ["III. Lĩnh vực Chứng thực"],
    [3, "2.000815", None, None, None, None, None, None, "Bãi bỏ"],
]


def _mapping(**defaults: str) -> m.ColumnMapping:
    base = {"sector": "Khoa học và Công nghệ", "publishing_decision": "Quyết định số 99/QĐ-UBND ngày 02/01/2026",
            "effective_date": "01/02/2026"}
    return m.mapping_from_options([], [f"{k}={v}" for k, v in {**base, **defaults}.items()])


def _count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM procedure_versions").fetchone()[0]


def test_preview_lists_added_amended_and_abolished_and_writes_nothing(loaded: sqlite3.Connection,
                                                                     tmp_path: Path) -> None:
    plan = plan_import(loaded, _xlsx(tmp_path / "qd99.xlsx", GOOD_ROWS), _mapping(), today=TODAY)
    assert plan.ok, plan.errors
    assert [c.code for c in plan.of("add")] == ["1.013001"]
    assert [c.code for c in plan.of("amend")] == ["1.003560"]
    assert [c.code for c in plan.of("abolish")] == ["2.000815"]
    [amended] = plan.of("amend")
    changed = {c.path: (c.old, c.new) for c in amended.changes}
    assert changed["processing_time"][1]["amount"] == 20
    assert changed["level"] == ("commune_receives_province_decides", "province")
    assert changed["fees[phi:phi tham dinh dieu kien hoat dong buu chinh].amount_vnd"] == (5_000_000, 3_500_000)
    preview = plan.preview()
    assert "+ 1.013001 Cấp giấy phép sử dụng tần số" in preview
    assert "~ 1.003560 Cấp giấy phép bưu chính: phiên bản 1 → 2" in preview
    assert "mức thu: 5.000.000 → 3.500.000" in preview
    assert "- 2.000815 Chứng thực bản sao" in preview and "hết hiệu lực từ 2026-02-01" in preview
    assert _count(loaded) == 7  # a preview writes nothing


def test_apply_adds_versions_and_abolished_stay_in_history(loaded: sqlite3.Connection, tmp_path: Path) -> None:
    plan = plan_import(loaded, _xlsx(tmp_path / "qd99.xlsx", GOOD_ROWS), _mapping(), today=TODAY)
    apply_plan(loaded, plan)

    added = get_procedure(loaded, "1.013001")
    assert added.field == "Tần số vô tuyến điện"  # from the section heading
    assert added.level == "commune_receives_province_decides"
    assert added.fees[0].amount_vnd == 200_000 and added.fees[0].kind == "le_phi"
    assert added.legal_basis == ("Luật Tần số vô tuyến điện số 42/2009/QH12", "Nghị định số 133/2025/NĐ-CP")
    assert added.effective_from == dt.date(2026, 2, 1)
    assert "components" in added.provenance.needs_confirmation

    amended = get_procedure(loaded, "1.003560")
    assert amended.version == 2 and amended.processing_time.amount == 20
    assert amended.components == get_procedure(loaded, "1.003560", 1).components  # the annex does not touch them
    assert amended.publishing_decision.startswith("Quyết định số 99/QĐ-UBND")

    abolished = get_procedure(loaded, "2.000815")
    assert abolished.version == 2 and abolished.effective_until == dt.date(2026, 2, 1)
    assert get_procedure(loaded, "2.000815", 1).effective_until is None
    assert [v.source for v in list_versions(loaded, "2.000815")] == ["shipped:2.000815.json", "import:qd99.xlsx"]
    # no longer offered at the desk …
    assert "2.000815" not in [r.code for r in search_procedures(loaded, "chứng thực bản sao")]
    assert search_procedures(loaded, "chứng thực bản sao", include_abolished=True)[0].code == "2.000815"


def test_a_sheet_with_bad_rows_imports_nothing_and_lists_every_bad_row(loaded: sqlite3.Connection,
                                                                       tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        [1, "1.013001", "Thủ tục hợp lệ", "Bưu chính", "5 ngày làm việc", "Không", "Cấp xã", "Luật A", "Thêm mới"],
        [2, "1.013002", "Sai cấp", "Bưu chính", "5 ngày làm việc", "Không", "Cấp huyện", "Luật A", "Thêm mới"],
        [3, "1.013003", "Sai thời hạn", "Bưu chính", "tuỳ trường hợp", "Không", "Cấp xã", "Luật A", "Thêm mới"],
        [4, None, "Không có mã", "Bưu chính", "5 ngày làm việc", "Không", "Cấp xã", "Luật A", "Thêm mới"],
        [5, "1.013005", "Hình thức lạ", "Bưu chính", "5 ngày làm việc", "Không", "Cấp xã", "Luật A", "Tạm dừng"],
        [6, "1.003560", "Cấp giấy phép bưu chính", "Bưu chính", "5 ngày làm việc", "Không", "Cấp xã", "", "Thêm mới"],
        [7, "1.099999", "Sửa cái không có", "Bưu chính", "5 ngày làm việc", "Không", "Cấp xã", "", "Sửa đổi"],
        [8, "1.013001", "Trùng mã", "Bưu chính", "5 ngày làm việc", "Không", "Cấp xã", "Luật A", "Thêm mới"],
        [9, "1.013009", "Thiếu lĩnh vực", None, "5 ngày làm việc", "Không", "Cấp xã", "Luật A", "Thêm mới"],
        [10, "1.0130 10", "Mã có khoảng trắng", "Bưu chính", "5 ngày", "Không", "Cấp xã", "Luật A", "Thêm mới"],
        [11, "1.013011", "Mã có dấu / sai", "Bưu chính", "5 ngày", "Không", "Cấp xã", "Luật A", "Thêm mới"],
        [12, "2.000815", None, None, None, None, None, None, "Bãi bỏ"],
    ]
    rows[10][1] = "1.01/3011"
    path = _xlsx(tmp_path / "loi.xlsx", rows)
    plan = plan_import(loaded, path, _mapping(), today=TODAY)
    reasons = {(e.row, e.code): e.reason for e in plan.errors}
    assert not plan.ok
    # sheet rows: the table starts on row 5; rows 5, 14 (stray space in the code) and 16 are good
    assert sorted({e.row for e in plan.errors}) == [6, 7, 8, 9, 10, 11, 12, 13, 15]
    assert "cấp thực hiện 'Cấp huyện' không rõ" in reasons[(6, "1.013002")]
    assert "không hiểu thời hạn 'tuỳ trường hợp'" in reasons[(7, "1.013003")]
    assert reasons[(8, "")] == "thiếu mã TTHC"
    assert "hình thức 'Tạm dừng' không rõ" in reasons[(9, "1.013005")]
    assert "đã có trong danh mục (phiên bản 1)" in reasons[(10, "1.003560")]
    assert reasons[(11, "1.099999")] == "không có trong danh mục nên không sửa đổi được"
    assert reasons[(12, "1.013001")] == "mã TTHC trùng với dòng 5"
    assert "field: không được để trống" in reasons[(13, "1.013009")] or "field: thiếu" in reasons[(13, "1.013009")]
    assert "chỉ được gồm chữ, số, dấu chấm và gạch nối" in reasons[(15, "")]
    assert "1.01/3011" in plan.preview()
    assert "Tệp có" in plan.preview() and "chưa nhập gì" in plan.preview()

    with pytest.raises(ImportRefused):
        apply_plan(loaded, plan)
    assert _count(loaded) == 7  # the good rows (5, 14, 16) did not go in either
    assert get_procedure(loaded, "2.000815").effective_until is None


def test_csv_with_semicolons_and_a_mapping_file(loaded: sqlite3.Connection, tmp_path: Path) -> None:
    (tmp_path / "map.json").write_text(json.dumps({
        "columns": {"Số hiệu": "code", "Tên": "name", "Nhóm": "field", "Hạn": "processing_time",
                    "Mức thu": "fees", "Thẩm quyền": "level", "Cơ sở pháp lý": "legal_basis"},
        "defaults": {"sector": "Tư pháp", "effective_date": "2026-03-01"},
    }, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "phu-luc.csv").write_text(
        "Số hiệu;Tên;Nhóm;Hạn;Mức thu;Thẩm quyền;Cơ sở pháp lý\n"
        "1.013100;Đăng ký giám hộ;Hộ tịch;03 ngày làm việc;Miễn lệ phí;UBND cấp xã;Luật Hộ tịch 2014\n"
        "1.013101;Cấp bản sao trích lục hộ tịch;Hộ tịch;Trong ngày;8.000 đồng/bản;Cấp xã;Luật Hộ tịch 2014\n",
        encoding="utf-8-sig",
    )
    plan = plan_import(loaded, tmp_path / "phu-luc.csv", m.load_mapping(tmp_path / "map.json"), today=TODAY)
    assert plan.ok, plan.errors
    apply_plan(loaded, plan)
    assert get_procedure(loaded, "1.013100").fees == ()
    copy = get_procedure(loaded, "1.013101")
    assert copy.processing_time.amount == 0 and copy.fees[0].amount_vnd == 8_000
    assert copy.effective_from == dt.date(2026, 3, 1) and copy.sector == "Tư pháp"


def test_missing_sector_is_taken_from_the_field_and_flagged(loaded: sqlite3.Connection, tmp_path: Path) -> None:
    plan = plan_import(loaded, _xlsx(tmp_path / "a.xlsx", GOOD_ROWS[:2]), m.ColumnMapping(), today=TODAY)
    assert plan.ok, plan.preview()
    added = {c.code: c.document for c in plan.of("add")}
    assert added["1.013001"]["sector"]  # the sector of the catalog's other procedures of that field, or
    assert "sector" in added["1.013001"]["provenance"]["needs_confirmation"]  # «Chưa xác định», to confirm


def test_a_sheet_without_a_code_column(loaded: sqlite3.Connection, tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["Tên", "Ghi chú"])
    book.save(tmp_path / "x.xlsx")
    plan = plan_import(loaded, tmp_path / "x.xlsx", today=TODAY)
    assert not plan.ok and "cột mã TTHC" in plan.errors[0].reason


def test_the_store_moved_since_the_preview(loaded: sqlite3.Connection, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "qd99.xlsx", GOOD_ROWS)
    first = plan_import(loaded, path, _mapping(), today=TODAY)
    second = plan_import(loaded, path, _mapping(), today=TODAY)
    apply_plan(loaded, first)
    with pytest.raises(ImportRefused, match="xem trước lại"):
        apply_plan(loaded, second)
    assert get_procedure(loaded, "1.003560").version == 2


# ---- JSON ---------------------------------------------------------------------------------------


def _doc(code: str) -> dict[str, Any]:
    return json.loads((FIXTURE_PROCEDURES / f"{code}.json").read_text(encoding="utf-8"))


def test_json_list_with_two_versions_and_a_new_procedure(loaded: sqlite3.Connection, tmp_path: Path) -> None:
    v2 = {**_doc("1.001193"), "version": 2, "sets": 2}
    v3 = {**_doc("1.001193"), "version": 3, "sets": 3}
    new = {**_doc("1.003560"), "code": "1.099000", "name": "Thủ tục mới từ tỉnh"}
    (tmp_path / "sync.json").write_text(json.dumps([v3, new, v2], ensure_ascii=False), encoding="utf-8")
    plan = plan_import(loaded, tmp_path / "sync.json")
    assert plan.ok, plan.errors
    assert [(c.action, c.code, c.new_version) for c in plan.changes] == [
        ("amend", "1.001193", 2), ("amend", "1.001193", 3), ("add", "1.099000", 1)
    ]
    apply_plan(loaded, plan)
    assert get_procedure(loaded, "1.001193").sets == 3
    assert get_procedure(loaded, "1.001193", 2).sets == 2
    assert search_procedures(loaded, "thu tuc moi tu tinh")[0].code == "1.099000"


def test_json_same_version_other_content_is_an_error(loaded: sqlite3.Connection, tmp_path: Path) -> None:
    changed = {**_doc("1.001193"), "sets": 5}
    (tmp_path / "1.001193.json").write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    plan = plan_import(loaded, tmp_path / "1.001193.json")
    assert [str(e) for e in plan.errors] == ["Tệp (1.001193): phiên bản 1 đã có trong kho với nội dung khác"]


def test_json_invalid_entries_name_their_field(loaded: sqlite3.Connection, tmp_path: Path) -> None:
    bad = {**_doc("1.001193"), "version": 2, "level": "huyện"}
    (tmp_path / "x.json").write_text(json.dumps([bad], ensure_ascii=False), encoding="utf-8")
    plan = plan_import(loaded, tmp_path / "x.json")
    assert [(e.code, e.reason.split(":")[0]) for e in plan.errors] == [("1.001193", "level")]


def test_json_abolition_is_shown_as_such(loaded: sqlite3.Connection, tmp_path: Path) -> None:
    gone = {**_doc("1.000894"), "version": 2, "effective_until": "2026-02-01"}
    (tmp_path / "x.json").write_text(json.dumps(gone, ensure_ascii=False), encoding="utf-8")
    plan = plan_import(loaded, tmp_path / "x.json")
    assert [c.action for c in plan.changes] == ["abolish"]
    assert get_document(loaded, "1.000894")["version"] == 1  # previewed only


# ---- cell parsers -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "amount", "unit"), [
    ("05 ngày làm việc", 5, "working_days"),
    ("30 ngày", 30, "calendar_days"),
    ("240 giờ làm việc", 240, "working_hours"),
    ("30 ngày / 240 giờ", 30, "calendar_days"),
    ("Trong ngày", 0, "same_day"),  # not "0 working days", which would be due at the moment of receipt
    ("1,5 ngày làm việc", 12, "working_hours"),
    ("Không quá 10 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", 10, "working_days"),
])
def test_processing_time(text: str, amount: int, unit: str) -> None:
    parsed = m.parse_processing_time(text)
    assert (parsed["amount"], parsed["unit"], parsed["text"]) == (amount, unit, text)


def test_same_day_with_a_cutoff() -> None:
    parsed = m.parse_processing_time("Trong ngày tiếp nhận; sau 15 giờ thì trả trong ngày làm việc tiếp theo")
    assert (parsed["unit"], parsed["cutoff"]) == ("same_day", "15:00")


def test_fees() -> None:
    assert m.parse_fees("Không") == [] and m.parse_fees(None) == [] and m.parse_fees("Miễn phí") == []
    [fee] = m.parse_fees("Lệ phí: 50.000 đồng/giấy phép")
    assert (fee["kind"], fee["name"], fee["amount_vnd"]) == ("le_phi", "Lệ phí", 50_000)
    two = m.parse_fees("Phí thẩm định: 1.000.000 đồng;\nLệ phí cấp giấy phép: 100.000đ")
    assert [(f["kind"], f["amount_vnd"]) for f in two] == [("phi", 1_000_000), ("le_phi", 100_000)]
    [unknown] = m.parse_fees("Theo Nghị quyết của HĐND tỉnh")
    assert unknown["amount_vnd"] is None and unknown["needs_confirmation"] is True


@pytest.mark.parametrize(("text", "level"), [
    ("Cấp xã", "commune"), ("UBND cấp xã", "commune"), ("Cấp tỉnh", "province"),
    ("Sở Khoa học và Công nghệ", "province"), ("Liên thông", "commune_receives_province_decides"),
    ("Cấp xã tiếp nhận, cấp tỉnh giải quyết", "commune_receives_province_decides"),
])
def test_levels(text: str, level: str) -> None:
    assert m.parse_level(text) == level


@pytest.mark.parametrize(("text", "action"), [
    ("Thêm mới", "add"), ("them moi", "add"), ("Sửa đổi, bổ sung", "amend"), ("Thay thế", "amend"),
    ("Bãi bỏ", "abolish"), ("", None),
])
def test_actions(text: str, action: str | None) -> None:
    assert m.parse_action(text) == action


def test_a_code_typed_into_a_number_cell() -> None:
    assert m.parse_code(1.00356) == "1.003560"
