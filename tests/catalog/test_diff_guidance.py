"""Version diffs, and guidance rendered safely for Qt."""

from __future__ import annotations

import copy
import json
import sqlite3
from typing import Any

import pytest

from motcua.catalog import ProcedureNotFound
from motcua.catalog.diff import diff, diff_documents, format_changes
from motcua.catalog.guidance import guidance_html
from motcua.catalog.repository import add_version
from motcua.store.db import transaction
from tests.catalog.store_helper import FIXTURE_PROCEDURES


def _doc() -> dict[str, Any]:
    return json.loads((FIXTURE_PROCEDURES / "1.003560.json").read_text(encoding="utf-8"))


def _amended() -> dict[str, Any]:
    new = copy.deepcopy(_doc())
    new["version"] = 2
    new["processing_time"] = {"amount": 10, "unit": "working_days", "text": "10 ngày làm việc"}
    new["fees"][0]["amount_vnd"] = 3_500_000
    new["fees"].append({"kind": "le_phi", "name": "Lệ phí cấp giấy phép", "amount_vnd": 100_000})
    new["components"][1]["copies"] = 2
    del new["components"][5]
    new["components"].append({"name": "Bản sao căn cước của người đại diện", "kind": "photocopy",
                              "copies": 1, "required": True})
    new["name"] = "Cấp giấy phép bưu chính (nội tỉnh)"
    new["legal_basis"].append("Thông tư số 10/2025/TT-BKHCN")
    new["forms"][0]["fields"][0]["required"] = False
    return new


def test_field_level_changes() -> None:
    changes = diff_documents(_doc(), _amended())
    by_path = {(c.path, c.kind): c for c in changes}
    assert by_path[("name", "changed")].new == "Cấp giấy phép bưu chính (nội tỉnh)"
    assert by_path[("processing_time", "changed")].area == "time"
    fee = by_path[("fees[phi:phi tham dinh dieu kien hoat dong buu chinh].amount_vnd", "changed")]
    assert (fee.old, fee.new, fee.area) == (5_000_000, 3_500_000, "fee")
    assert ("fees[le_phi:le phi cap giay phep]", "added") in by_path
    assert by_path[("components[ban sao giay chung nhan dang ky doanh nghiep].copies", "changed")].new == 2
    assert ("components[mau bieu trung, nhan hieu, ky hieu dac thu]", "removed") in by_path
    assert ("components[ban sao can cuoc cua nguoi dai dien]", "added") in by_path
    assert by_path[("legal_basis", "added")].new == "Thông tư số 10/2025/TT-BKHCN"
    assert ("forms[don-de-nghi-gpbc].fields[ten_doanh_nghiep].required", "changed") in by_path
    assert not any(c.path == "version" for c in changes)


def test_printable() -> None:
    text = format_changes(diff_documents(_doc(), _amended()), title="1.003560: phiên bản 1 → 2")
    lines = text.splitlines()
    assert lines[0] == "1.003560: phiên bản 1 → 2"
    assert "~ Thời hạn giải quyết: 15 ngày làm việc [15 working_days] → 10 ngày làm việc [10 working_days]" in lines
    assert ("~ Phí, lệ phí «Phí thẩm định điều kiện hoạt động bưu chính»: mức thu: 5.000.000 → 3.500.000"
            in lines)
    assert "+ Phí, lệ phí: Lệ phí cấp giấy phép (100.000 đồng)" in lines
    assert "- Thành phần hồ sơ: Mẫu biểu trưng, nhãn hiệu, ký hiệu đặc thù (original, 1 bản)" in lines
    assert "~ Thành phần hồ sơ «Bản sao giấy chứng nhận đăng ký doanh nghiệp»: số bản: 1 → 2" in lines
    assert format_changes([]) == "Không có thay đổi."


def test_diff_between_stored_versions(loaded: sqlite3.Connection) -> None:
    with transaction(loaded):
        add_version(loaded, _amended(), "test")
    assert diff(loaded, "1.003560", 1, 2) == diff_documents(_doc(), _amended())
    assert diff(loaded, "1.003560", 2, 2) == []
    with pytest.raises(ProcedureNotFound):
        diff(loaded, "1.003560", 1, 3)


def test_guidance_html_is_safe_and_structured() -> None:
    html = guidance_html(
        "## Các bước\n1. Kiểm tra **đơn**.\n\n<script>alert('x')</script>\n\n"
        "[trang](javascript:alert(1)) [cổng](https://dichvucong.gov.vn)\n\n| Bước | Việc |\n|---|---|\n| 1 | Nhận |"
    )
    assert "<h2>Các bước</h2>" in html
    assert "<strong>đơn</strong>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert '<a href="https://dichvucong.gov.vn">cổng</a>' in html
    assert "<table>" in html and "<td>Nhận</td>" in html
    assert guidance_html("  ") == ""
