"""A commune store widened for the search benchmark: 2,000 procedures and 100,000 dossiers.

    python bench/gen_search_data.py [--procedures 2000] [--dossiers 100000] [--out bench/out/search.sqlite3]

Procedures: the shipped catalog plus synthetic entries built from real Vietnamese procedure vocabulary
(actions × objects × subjects), each a schema-valid document stored with the catalog's own
add_version(), so the FTS triggers index them as in production. Dossiers: names, ID numbers and
phones from the demo sample material (motcua.services.demo), written as projection rows with the
core's search_text_of(); the dossier FTS triggers index them. One transaction per table.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "desktop"))

from motcua.catalog.repository import add_version  # noqa: E402
from motcua.catalog.shipped import load_shipped  # noqa: E402
from motcua.domain.projection import COLUMNS, DossierRecord, search_text_of  # noqa: E402
from motcua.services.demo import SampleFactory  # noqa: E402
from motcua.store.db import open_store, transaction  # noqa: E402

# the shipped catalog (hand-made files and the national records' commune procedures, with their long
# papers and steps), widened with synthetic entries
SHIPPED = ROOT / "db" / "catalog" / "procedures"
DEFAULT_OUT = ROOT / "bench" / "out" / "search.sqlite3"

ACTIONS = ["Cấp", "Cấp lại", "Gia hạn", "Sửa đổi, bổ sung", "Thu hồi", "Xác nhận", "Đăng ký", "Điều chỉnh",
           "Cấp đổi", "Chấm dứt", "Thông báo", "Công bố", "Đánh giá", "Thẩm định", "Phê duyệt"]
OBJECTS = [
    ("giấy phép bưu chính", "Bưu chính"), ("văn bản xác nhận thông báo hoạt động bưu chính", "Bưu chính"),
    ("giấy phép sử dụng tần số vô tuyến điện", "Tần số vô tuyến điện"),
    ("chứng chỉ vô tuyến điện viên", "Tần số vô tuyến điện"),
    ("giấy phép tiến hành công việc bức xạ", "An toàn bức xạ và hạt nhân"),
    ("chứng chỉ nhân viên bức xạ", "An toàn bức xạ và hạt nhân"),
    ("giấy chứng nhận đăng ký hộ kinh doanh", "Thành lập và hoạt động của hộ kinh doanh"),
    ("giấy chứng nhận đủ điều kiện kinh doanh dịch vụ trò chơi điện tử", "Thông tin điện tử"),
    ("quyết định công nhận sáng kiến", "Sở hữu trí tuệ"), ("văn bằng bảo hộ nhãn hiệu", "Sở hữu trí tuệ"),
    ("giấy chứng nhận hợp chuẩn", "Tiêu chuẩn đo lường chất lượng"),
    ("phương tiện đo nhóm 2", "Tiêu chuẩn đo lường chất lượng"),
    ("giấy chứng nhận quyền sử dụng đất", "Đất đai"), ("hợp đồng chuyển nhượng quyền sử dụng đất", "Chứng thực"),
    ("giấy xác nhận tình trạng hôn nhân", "Hộ tịch"), ("trích lục hộ tịch", "Hộ tịch"),
    ("giấy phép xây dựng nhà ở riêng lẻ", "Xây dựng"), ("giấy phép khai thác nước dưới đất", "Tài nguyên nước"),
    ("hỗ trợ học tập cho trẻ em mẫu giáo", "Giáo dục"), ("trợ cấp xã hội hằng tháng", "Bảo trợ xã hội"),
    ("thẻ bảo hiểm y tế cho người có công", "Người có công"), ("giấy phép biểu diễn nghệ thuật", "Văn hóa"),
    ("giấy chứng nhận kinh tế trang trại", "Nông nghiệp"), ("giấy phép vận chuyển thuốc bảo vệ thực vật", "Trồng trọt"),
]
SUBJECTS = ["", "đối với tổ chức", "đối với cá nhân", "cho doanh nghiệp nhỏ và vừa", "cho hợp tác xã",
            "trong trường hợp bị mất", "trong trường hợp bị hư hỏng", "có yếu tố nước ngoài", "cho tàu cá",
            "tại khu vực biên giới", "đối với đồng bào dân tộc thiểu số", "cho người khuyết tật"]
COMPONENTS = ["Đơn đề nghị theo mẫu", "Bản sao giấy chứng nhận đăng ký doanh nghiệp", "Căn cước công dân",
              "Sơ đồ vị trí", "Bản thuyết minh kỹ thuật", "Giấy ủy quyền", "Văn bản thẩm định", "Ảnh 4x6",
              "Biên bản kiểm tra", "Hợp đồng thuê địa điểm", "Phương án kinh doanh", "Giấy khám sức khỏe"]


def synthetic_procedure(rng: random.Random, code: str) -> dict:
    action = rng.choice(ACTIONS)
    thing, field = rng.choice(OBJECTS)
    name = " ".join(x for x in (action, thing, rng.choice(SUBJECTS)) if x)
    days = rng.choice([1, 3, 5, 7, 10, 15, 20, 30])
    comps = rng.sample(COMPONENTS, rng.randint(2, 5))
    return {
        "code": code, "version": 1, "name": name, "sector": "Khoa học và Công nghệ", "field": field,
        "level": rng.choice(["commune", "province", "commune_receives_province_decides"]),
        "processing_time": {"amount": days, "unit": "working_days", "text": f"{days:02d} ngày làm việc"},
        "fees": [] if rng.random() < 0.4 else [{"kind": "le_phi", "name": f"Lệ phí {thing}",
                                                 "amount_vnd": rng.choice([20_000, 50_000, 100_000, 500_000])}],
        "components": [{"name": c, "kind": "original", "copies": 1, "required": True} for c in comps],
        "sets": 1, "channels": ["desk", "online"], "steps": [f"Bước 1: Nộp hồ sơ {thing}."],
        "result": thing[:1].upper() + thing[1:], "legal_basis": ["Nghị định số 133/2025/NĐ-CP"],
        "publishing_decision": "", "effective_from": "2025-07-01", "effective_until": None,
        "guidance": f"## Các bước\nKiểm tra {comps[0].lower()}.\n## Lỗi thường gặp\n- Thiếu {comps[-1].lower()}.",
        "forms": [], "provenance": {"sources": ["bench"], "needs_confirmation": [], "note": ""},
    }


def generate(out: Path, procedures: int, dossiers: int, seed: int = 7) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{out}{suffix}").unlink(missing_ok=True)
    rng = random.Random(seed)
    conn = open_store(out)
    started = time.perf_counter()
    load_shipped(conn, SHIPPED)
    taken = {r[0] for r in conn.execute("SELECT code FROM procedures")}
    catalog = [dict(r) for r in conn.execute("SELECT code, name, field FROM procedures")]
    with transaction(conn):
        while len(taken) < procedures:
            code = f"{rng.choice('12')}.{rng.randint(0, 999_999):06d}"
            if code in taken:
                continue
            taken.add(code)
            doc = synthetic_procedure(rng, code)
            add_version(conn, doc, "bench")
            catalog.append({"code": code, "name": doc["name"], "field": doc["field"]})
    print(f"{len(taken):,} procedures in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    factory = SampleFactory(seed=seed)
    per_day: dict[str, int] = {}
    placeholders = ", ".join("?" for _ in COLUMNS)
    with transaction(conn):
        for i in range(dossiers):
            proc = rng.choice(catalog)
            day = f"{rng.choice([24, 25, 26])}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
            per_day[day] = per_day.get(day, 0) + 1
            code = f"000.17.22.H56-{day}-{per_day[day]:04d}"
            received = f"20{day[:2]}-{day[2:4]}-{day[4:]}T08:30:00+07:00"
            record = DossierRecord(
                id=f"d{i:07d}", code=code, status=rng.randint(1, 10), procedure_code=proc["code"],
                procedure_version=1, procedure_name=proc["name"], field_name=proc["field"],
                applicant_name=factory.person_name(), applicant_id_number=factory.citizen_id(),
                applicant_phone=factory.phone(), summary=f"{proc['name']}. {rng.choice(factory.material.summaries)}",
                received_at=received, due_at=received, created_at=received, updated_at=received,
                last_event_id=f"e{i:07d}", event_count=1,
            )
            record = DossierRecord(**{**record.as_row(), "search_text": search_text_of(record)})
            conn.execute(f"INSERT INTO dossiers ({', '.join(COLUMNS)}) VALUES ({placeholders})",
                         tuple(getattr(record, c) for c in COLUMNS))
    print(f"{dossiers:,} dossiers in {time.perf_counter() - started:.1f} s")
    conn.execute("INSERT INTO procedures_fts (procedures_fts) VALUES ('optimize')")
    conn.execute("INSERT INTO dossiers_fts (dossiers_fts) VALUES ('optimize')")
    conn.execute("ANALYZE")
    conn.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procedures", type=int, default=2000)
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    generate(args.out, args.procedures, args.dossiers)
    print(json.dumps({"store": str(args.out), "size_mb": round(args.out.stat().st_size / 1e6, 1)}))


if __name__ == "__main__":
    main()
