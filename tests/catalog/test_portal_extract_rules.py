"""What db/catalog/national/make_portal_extract.py keeps of Crawler-TTHC's data-gl/index.json, on a tiny
checkout made here (rows copied from the real file at commit 0ee18a41a7) and on the shipped extract."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from motcua.catalog.snapshot import generated_documents, portal_extract

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "db" / "catalog" / "national" / "make_portal_extract.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_portal_extract", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _row(code: str, name: str, level: str, field: str, ministry: str, agency: str,
         kind: str = "TTHC Tiêu chuẩn") -> dict[str, Any]:
    return {"id": f"id-{code}", "ma_tthc": code, "ten_tthc": name, "cap_thuc_hien": level,
            "isProvince": "Cấp tỉnh" in level, "isWard": "Cấp xã" in level, "loai_tthc": kind,
            "linh_vuc": field, "co_quan_ban_hanh": ministry, "co_quan_thuc_hien": agency,
            "url": f"https://dichvucong.gov.vn/thu-tuc-hanh-chinh/id-{code}"}


ROWS = [
    _row("1.012590", "THỦ TỤC ĐĂNG KÝ SINH HOẠT TÔN GIÁO TẬP TRUNG (CẤP XÃ)", "Cấp xã", "Tín ngưỡng, tôn giáo",
         "Bộ Dân tộc và Tôn giáo", "Ủy ban nhân dân cấp xã"),
    _row("2.002307", "Giải quyết chế độ mai táng phí đối với cựu chiến binh", "Cấp xã, Cấp tỉnh", "Người có công",
         "Bộ Nội vụ", "Sở Nội Vụ"),
    _row("1.014111", "Thi tuyển công chức", "Cấp xã, Cấp tỉnh, Cấp Bộ", "Công chức, viên chức", "Bộ Nội vụ",
         "Văn phòng Trung ương Đảng, Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ, Ủy ban nhân dân tỉnh và thành "
         "phố trực thuộc Trung ương, Các tổ chức chính trị - xã hội, Văn phòng Quốc hội"),
    _row("3.000182", "Tuyển sinh trung học cơ sở", "Cấp xã", "Giáo dục trung học", "Bộ Giáo dục và Đào tạo",
         "Trường Trung học cơ sở"),
    _row("5.003870", "Điều động nhà giáo trong các cơ sở giáo dục công lập ở cấp xã", "Cấp xã",
         "Chế độ, chính sách đối với nhà giáo", "Bộ Giáo dục và Đào tạo", "Ủy ban nhân dân cấp xã",
         kind="TTHC nội bộ"),
    _row("1.116215", "Công nhận hộ nghèo, hộ cận nghèo, hộ thoát nghèo trong năm theo chuẩn nghèo đa chiều quốc "
         "gia giai đoạn 2027-2030", "Cấp xã", "Giảm nghèo", "Bộ Nông nghiệp và Môi trường",
         "Ủy ban nhân dân cấp xã"),
    _row("1.014680", 'Thủ tục tặng, truy tặng "Huy chương Thanh niên xung phong vẻ vang"', "Cấp xã, Cấp tỉnh, Cấp Bộ",
         "Thi đua - khen thưởng", "Bộ Nội vụ", "Ban Thi đua - Khen thưởng Trung ương - Bộ Nội vụ"),
]


def _checkout(tmp_path: Path) -> Path:
    repo = tmp_path / "Crawler-TTHC"
    (repo / "data-gl").mkdir(parents=True)
    (repo / "data-gl" / "index.json").write_text(json.dumps(ROWS, ensure_ascii=False, indent=2), encoding="utf-8")
    env = ["-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "."], check=True)
    subprocess.run(["git", "-C", str(repo), *env, "commit", "-qm", "x"], check=True)
    return repo


def test_the_script_keeps_what_a_commune_receives(tmp_path: Path) -> None:
    out = tmp_path / "extract.json"
    subprocess.run([sys.executable, str(SCRIPT), str(_checkout(tmp_path)), "--out", str(out)], check=True,
                   capture_output=True)
    data = json.loads(out.read_text(encoding="utf-8"))
    index = [row[0] for row in data["index"]]
    # internal procedures and other ministries' (the main snapshot's) rows are not read at all
    assert index == ["1.012590", "2.002307", "1.014111", "3.000182", "1.014680"]
    # a mixed level with only central bodies, a school's own procedure, a central award: index only
    assert [r["ma_thu_tuc"] for r in data["records"]] == ["1.012590", "2.002307"]
    assert data["extent"].endswith("toàn bộ data-gl/index.json")


def test_commune_handles_reads_the_agency() -> None:
    handles = _script().commune_handles
    assert handles({"cap_thuc_hien": "Cấp xã, Cấp tỉnh", "co_quan_thuc_hien": "Ủy ban Nhân dân xã, phường"})
    assert handles({"cap_thuc_hien": "Cấp xã, Cấp tỉnh", "co_quan_thuc_hien": "Sở Nội vụ, Phòng Nội vụ"})
    assert handles({"cap_thuc_hien": "Cấp xã, Cấp tỉnh", "co_quan_thuc_hien": ""})  # the level says it
    # "tổ chức chính trị - xã hội" is not the commune
    assert not handles({"cap_thuc_hien": "Cấp xã, Cấp tỉnh",
                        "co_quan_thuc_hien": "Các tổ chức chính trị - xã hội, Văn phòng Quốc hội"})
    assert not handles({"cap_thuc_hien": "Cấp xã", "co_quan_thuc_hien": "Hội chữ thập đỏ"})


def test_the_shipped_extract_covers_religion_ethnic_affairs_and_funds() -> None:
    docs = {d["code"]: d for d in generated_documents(portal_extract())}
    assert docs["1.012590"]["sector"] == "Dân tộc và Tôn giáo" and docs["1.012590"]["level"] == "commune"
    assert docs["1.012222"]["field"] == "Công tác dân tộc"
    assert docs["1.014942"]["field"] == "Quản lý nhà nước về hội, quỹ"
    assert docs["1.014149"]["field"] == "Thi đua - khen thưởng"
    assert docs["2.002307"]["level"] == "commune_receives_province_decides"
    index = {row[0] for row in portal_extract().index}
    assert {"1.014111", "3.000182"} <= index and not {"1.014111", "3.000182"} & set(docs)
