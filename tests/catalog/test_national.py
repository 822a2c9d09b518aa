"""National procedure records → catalog entries, on real records of the shipped snapshot
(chatbot-tthc/chatbot_tthc, a public crawl of the national portal): the direct channel's time and
the case times, fees set by the provincial council, papers per case, the level, a newer snapshot
that abolishes a procedure, and a bare list completed from the records."""

from __future__ import annotations

import copy
import gzip
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from motcua.catalog import get_procedure, list_versions
from motcua.catalog.importer import apply_plan, plan_import
from motcua.catalog.model import procedure_from_dict
from motcua.catalog.national import to_document
from motcua.catalog.national_scope import excluded_reason
from motcua.catalog.snapshot import shipped_snapshot
from motcua.catalog.validate import validate_procedure
from motcua.search import search_procedures

REPO = Path(__file__).resolve().parents[2]


def _record(code: str) -> dict[str, Any]:
    return dict(shipped_snapshot().by_code()[code])


def _doc(code: str) -> dict[str, Any]:
    doc = to_document(_record(code), sector="Xây dựng", source="kiểm thử", effective="2026-07-20")
    assert doc is not None
    assert validate_procedure(doc, file=code) == []
    return doc


# ---- one record at a time -----------------------------------------------------------------------


def test_the_direct_channels_time_wins_over_the_online_one() -> None:
    # 1.012818: online and post 25 working days, at the desk 35
    assert _doc("1.012818")["processing_time"] == {"amount": 35, "unit": "working_days", "text": "35 ngày làm việc"}


def test_a_time_that_depends_on_the_case_keeps_the_cases_and_is_flagged() -> None:
    # 1.009794: "16 ngày làm việc đối với công trình cấp I, cấp đặc biệt và 12 ngày làm việc đối với công trình còn lại"
    doc = _doc("1.009794")
    assert (doc["processing_time"]["amount"], doc["processing_time"]["unit"]) == (16, "working_days")
    assert "12 ngày làm việc đối với công trình còn lại" in doc["processing_time"]["text"]
    assert "processing_time" in doc["provenance"]["needs_confirmation"]
    assert not procedure_from_dict(doc).time_unset  # it can be received: the longest case is the time


def test_a_figure_without_its_unit_is_not_guessed() -> None:
    # 1.001193 đăng ký khai sinh: the crawl keeps "1" with no unit for every channel
    doc = _doc("1.001193")
    assert procedure_from_dict(doc).time_unset
    assert "không ghi đơn vị" in doc["processing_time"]["text"]
    assert "processing_time" in doc["provenance"]["needs_confirmation"]


@pytest.mark.parametrize("code", ["1.013228", "2.000513", "1.001266"])
def test_a_fee_set_by_the_provincial_council_is_an_amount_to_confirm_not_free(code: str) -> None:
    # "Miễn phí(Theo quy định của Hội đồng nhân dân cấp tỉnh)" on the portal: not a statement that it is free
    fees = _doc(code)["fees"]
    assert fees and all(f["amount_vnd"] is None and f["needs_confirmation"] for f in fees)
    assert "Hội đồng nhân dân" in fees[0]["note"]


def test_a_fee_amount_from_the_record_is_kept_and_flagged() -> None:
    fees = _doc("1.001612")["fees"]  # đăng ký thành lập hộ kinh doanh: a figure, "do HĐND tỉnh quyết định"
    assert fees[0]["amount_vnd"] and fees[0]["needs_confirmation"]


def test_only_a_bare_free_is_free() -> None:
    assert _doc("2.001621")["fees"] == []  # "Miễn phí" and nothing else


def test_papers_per_case_carry_their_condition() -> None:
    papers = _doc("1.001193")["components"]
    abandoned = next(p for p in papers if "bỏ rơi" in p.get("condition", ""))
    assert abandoned["condition"] == "Trường hợp trẻ em bị bỏ rơi"
    assert abandoned["name"].startswith("Biên bản về việc trẻ bị bỏ rơi")
    assert any(p["kind"] == "presented" for p in papers)  # "Giấy tờ phải xuất trình"
    assert all(p["copies"] >= 1 for p in papers)  # the table's notes ("0 bản chính") are not papers


def test_quantity_cells_with_originals_and_copies() -> None:
    papers = _doc("1.009794")["components"]
    assert papers[0]["name"].startswith("Danh mục hồ sơ hoàn thành công trình")
    assert papers[0]["note"].startswith("01 bản chính, 01 bản sao; Mẫu: ")  # the form's file, split off


def test_the_level_and_the_agency_come_from_the_record() -> None:
    doc = _doc("2.000908")  # "Cấp bộ, Cấp tỉnh, Cấp xã, Cơ quan khác"
    assert doc["level"] == "commune"
    assert "Cấp thực hiện theo bản ghi: Cấp bộ, Cấp tỉnh, Cấp xã, Cơ quan khác." in doc["provenance"]["note"]


def test_guidance_is_built_from_the_records_own_text() -> None:
    doc = _doc("1.001193")
    assert "## Giấy tờ theo trường hợp" in doc["guidance"]
    assert "**Trường hợp trẻ em bị bỏ rơi:**" in doc["guidance"]
    assert "Cơ sở dữ liệu quốc gia về TTHC" in doc["guidance"]


@pytest.mark.parametrize(("record", "ministry", "reason"), [
    ({"cap_thuc_hien": "Cấp xã", "linh_vuc": "Đăng ký, quản lý cư trú"}, "bo-cong-an", "Công an"),
    ({"cap_thuc_hien": "Cấp xã", "linh_vuc": "Thuế"}, "bo-tai-chinh", "thuế, hải quan, kho bạc, bảo hiểm xã hội"),
    ({"cap_thuc_hien": "Cấp xã", "linh_vuc": "Đất đai", "ten_thu_tuc": "Xác định lại diện tích đất ở (TPCT)"},
     "bo-nong-nghiep-mt", "thủ tục riêng của một tỉnh"),
    ({"cap_thuc_hien": "Cấp xã", "linh_vuc": "Hộ tịch", "co_quan_thuc_hien": "UBND cấp xã - tỉnh Quảng Trị"},
     "bo-tu-phap", "thủ tục riêng của một tỉnh"),
    ({"cap_thuc_hien": "Cấp tỉnh", "linh_vuc": "Hộ tịch"}, "bo-tu-phap", "không có cấp xã"),
    ({"cap_thuc_hien": "Cấp xã", "linh_vuc": "Hộ tịch"}, "bo-tu-phap", ""),
])
def test_what_other_bodies_or_other_provinces_handle_is_left_out(record: dict[str, str], ministry: str,
                                                                reason: str) -> None:
    assert excluded_reason(record, ministry) == reason


def test_the_generated_catalog_files_are_current() -> None:
    done = subprocess.run([sys.executable, str(REPO / "db" / "catalog" / "national" / "make_catalog.py"), "--check"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_the_snapshot_records_its_source_and_date() -> None:
    snap = shipped_snapshot()
    assert "chatbot-tthc/chatbot_tthc" in snap.source and len(snap.commit) == 40 and snap.date == "2026-07-20"
    assert len(snap.index) == 2642 and len(snap.records) == 230


# ---- newer snapshots through the import path ------------------------------------------------------


def _snapshot_file(path: Path, codes: list[str], date: str, edit: dict[str, dict[str, str]] | None = None) -> Path:
    snap = shipped_snapshot()
    records = []
    for code in codes:
        record = copy.deepcopy(dict(snap.by_code()[code]))
        record.update((edit or {}).get(code, {}))
        records.append(record)
    data = {"source": "kiểm thử", "commit": "", "date": date, "records": records,
            "index": [[r["ma_thu_tuc"], r["ten_thu_tuc"], r["cap_thuc_hien"], r["linh_vuc"], r["bo"]] for r in records]}
    with gzip.open(path, "wt", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)
    return path


def test_a_procedure_abolished_between_two_snapshots(conn: sqlite3.Connection, tmp_path: Path) -> None:
    first = plan_import(conn, _snapshot_file(tmp_path / "a.json.gz", ["1.013228", "1.009794"], "2026-07-20"))
    assert first.ok and [c.action for c in first.changes] == ["add", "add"]
    apply_plan(conn, first)
    later = plan_import(conn, _snapshot_file(tmp_path / "b.json.gz", ["1.013228"], "2026-09-01"))
    assert [(c.action, c.code) for c in later.changes] == [("abolish", "1.009794")]
    assert later.unchanged == ["1.013228"]
    assert "Bãi bỏ (1):" in later.preview() and "hết hiệu lực từ 2026-09-01" in later.preview()
    apply_plan(conn, later)
    assert [v.version for v in list_versions(conn, "1.009794")] == [1, 2]
    assert get_procedure(conn, "1.009794", 1).effective_until is None  # dossiers keep their version
    assert "1.009794" not in [r.code for r in search_procedures(conn, "kiem tra cong tac nghiem thu")]


def test_a_changed_record_amends_and_a_province_edit_is_kept(conn: sqlite3.Connection, tmp_path: Path) -> None:
    apply_plan(conn, plan_import(conn, _snapshot_file(tmp_path / "a.json.gz", ["1.013228", "1.009794"], "2026-07-20")))
    sheet = tmp_path / "tinh.csv"  # the province sets its own fee for 1.009794
    sheet.write_text("Mã TTHC;Phí, lệ phí\n1.009794;Phí thẩm định: 500.000 đồng\n", encoding="utf-8")
    edit = plan_import(conn, sheet)
    assert edit.ok and [c.action for c in edit.changes] == ["amend"]
    apply_plan(conn, edit)
    renamed = {"ten_thu_tuc": "Cấp lại giấy phép xây dựng (tên mới)"}
    newer = plan_import(conn, _snapshot_file(tmp_path / "b.json.gz", ["1.013228", "1.009794"], "2026-09-01",
                                             {"1.013228": renamed, "1.009794": {"ten_thu_tuc": "Tên khác"}}))
    assert [(c.action, c.code, c.new_version) for c in newer.changes] == [("amend", "1.013228", 2)]
    assert [c.code for c in newer.kept] == ["1.009794"]
    text = newer.preview()
    assert "Giữ bản tỉnh đã sửa, không ghi đè (1):" in text and "Tên khác" in text
    apply_plan(conn, newer)
    assert get_procedure(conn, "1.009794").fees[0].amount_vnd == 500_000


# ---- a bare list (code, name, field, level, decision) ------------------------------------------------


BARE = ("STT;Mã TTHC;Tên thủ tục hành chính;Lĩnh vực;Cấp thực hiện;Quyết định công bố\n"
        "1;1.013228;Cấp lại giấy phép xây dựng;HOẠT ĐỘNG XÂY DỰNG;Cấp xã;Quyết định số 99/QĐ-UBND\n"
        "2;9.990001;Một thủ tục riêng của tỉnh;Hộ tịch;Cấp xã;Quyết định số 99/QĐ-UBND\n")


def test_a_bare_list_is_completed_from_the_national_records(conn: sqlite3.Connection, tmp_path: Path) -> None:
    sheet = tmp_path / "danh-muc.csv"
    sheet.write_text(BARE, encoding="utf-8")
    plan = plan_import(conn, sheet)
    assert plan.ok, plan.preview()
    completed, unknown = sorted(plan.of("add"), key=lambda c: c.code)
    doc = completed.document
    assert (doc["processing_time"]["amount"], doc["processing_time"]["unit"]) == (5, "working_days")
    assert doc["components"] and doc["steps"]  # the record's papers and steps
    assert doc["name"] == "Cấp lại giấy phép xây dựng"  # the list's name is kept …
    assert doc["field"] == "Hoạt động xây dựng"  # … its field differs only in case: the record's spelling
    assert doc["publishing_decision"] == "Quyết định số 99/QĐ-UBND"
    text = plan.preview()
    assert ("Tên theo danh sách «Cấp lại giấy phép xây dựng»; theo CSDL quốc gia «Cấp lại giấy phép xây dựng"
            " đối với") in text
    # a row the records cannot complete: imported to confirm, never an error for the whole file
    pending = unknown.document["provenance"]["needs_confirmation"]
    assert "processing_time" in pending and "fees" in pending
    assert unknown.document["fees"][0]["amount_vnd"] is None  # no fee column: unknown, not free
    line = next(x for x in text.splitlines() if "9.990001" in x)
    assert "+ 9.990001 Một thủ tục riêng của tỉnh (phiên bản 1) — cần xác nhận:" in line
    assert "thời hạn (chưa tiếp nhận được)" in line and "phí, lệ phí" in line
    apply_plan(conn, plan)
    assert get_procedure(conn, "9.990001").time_unset
    assert search_procedures(conn, "thu tuc rieng cua tinh")[0].code == "9.990001"  # it can be looked up


def test_a_list_that_only_changes_spelling_changes_nothing(loaded: sqlite3.Connection, tmp_path: Path) -> None:
    sheet = tmp_path / "hoa.csv"
    sheet.write_text("Mã TTHC;Tên thủ tục;Lĩnh vực\n1.000894;ĐĂNG KÝ KẾT HÔN;HỘ TỊCH\n", encoding="utf-8")
    plan = plan_import(loaded, sheet)
    assert plan.ok and plan.changes == [] and plan.unchanged == ["1.000894"]


def test_setting_the_time_makes_a_to_confirm_procedure_receivable(conn: sqlite3.Connection, tmp_path: Path) -> None:
    sheet = tmp_path / "danh-muc.csv"
    sheet.write_text(BARE, encoding="utf-8")
    apply_plan(conn, plan_import(conn, sheet))
    fix = tmp_path / "bo-sung.csv"
    fix.write_text("Mã TTHC;Thời hạn giải quyết\n9.990001;05 ngày làm việc\n", encoding="utf-8")
    plan = plan_import(conn, fix)
    assert plan.ok and [c.action for c in plan.changes] == ["amend"]
    apply_plan(conn, plan)
    assert not get_procedure(conn, "9.990001").time_unset
