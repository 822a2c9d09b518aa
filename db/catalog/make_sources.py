"""Rewrite the generated tables of db/catalog/SOURCES.md from the shipped files' provenance.

    .venv/bin/python db/catalog/make_sources.py          # rewrite
    .venv/bin/python db/catalog/make_sources.py --check  # exit 1 when SOURCES.md is stale (a test runs this)

The prose of SOURCES.md is written by hand; the part between the markers is not.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "desktop"))

from motcua.catalog import portal  # noqa: E402
from motcua.catalog.diff import LABELS  # noqa: E402
from motcua.catalog.model import procedure_from_dict  # noqa: E402
from motcua.catalog.national_scope import MINISTRIES, OTHER_BODIES, excluded_reason  # noqa: E402
from motcua.catalog.snapshot import Snapshot, is_generated, shipped_snapshots  # noqa: E402

SOURCES = HERE / "SOURCES.md"
BEGIN = "<!-- sinh bởi db/catalog/make_sources.py: đừng sửa tay từ đây -->"
END = "<!-- hết phần sinh tự động -->"
LEVELS = {"commune": "xã", "province": "tỉnh", "commune_receives_province_decides": "xã nhận, tỉnh giải quyết"}
EXTRA_LABELS = {"code": "Mã thủ tục"}


def _short(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _code_source(data: dict) -> str:
    """Where the code was confirmed, from the provenance lines that name it ("Mã <code>: …")."""
    if "code" in data["provenance"].get("needs_confirmation", []):
        return "**chưa xác nhận**"
    lines = [s for s in data["provenance"]["sources"] if data["code"] in s]
    if any("Cơ sở dữ liệu quốc gia" in s for s in lines):
        return "CSDL quốc gia về TTHC"
    if any("BangNiemYetVinhBao" in s for s in lines):
        return "QĐ công bố của TP Hải Phòng (danh mục niêm yết xã Vĩnh Bảo)"
    hosts = sorted({m.group(1) for s in lines for m in re.finditer(r"(?:https?://)?((?:[\w-]+\.)+(?:vn|com|org))", s)})
    return ", ".join(hosts[:2]) or "—"


def _table(snap: Snapshot, shipped: dict[str, dict]) -> tuple[list[str], list[int]]:
    """One row per (sector, field) of the snapshot's commune-level entries: in the list, handled by the
    commune People's Committee, shipped."""
    in_scope = set(snap.by_code())
    counts: dict[tuple[str, str], list[int]] = {}  # in the list, the commune's, shipped, receivable
    reasons: dict[tuple[str, str], set[str]] = {}
    for code, name, level, field, ministry in snap.index:
        if "Cấp xã" not in level:
            continue
        sector = MINISTRIES.get(ministry) or OTHER_BODIES.get(ministry, ministry)
        key = (sector, field)
        row = counts.setdefault(key, [0, 0, 0, 0])
        row[0] += 1
        if code in in_scope:
            row[1] += 1
            row[2] += code in shipped
            row[3] += code in shipped and not _time_unset(shipped[code])
        else:
            why = excluded_reason({"ten_thu_tuc": name, "cap_thuc_hien": level, "linh_vuc": field}, ministry)
            reasons.setdefault(key, set()).add(why or "cơ quan khác thực hiện")
    lines = ["| Ngành | Lĩnh vực | Cấp xã trong danh mục quốc gia | UBND xã giải quyết | Đã có trong catalog |"
             " Tiếp nhận được (đã có thời hạn) | Không đưa vào vì |", "| --- | --- | ---: | ---: | ---: | ---: | --- |"]
    total = [0, 0, 0, 0]
    for (sector, field), row in sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1][1], kv[0][1])):
        total = [t + n for t, n in zip(total, row, strict=True)]
        why = ", ".join(sorted(reasons.get((sector, field), ()))) or "—"
        lines.append(f"| {sector} | {field} | {' | '.join(str(n) for n in row)} | {why} |")
    lines.append(f"| **Cộng** | | {' | '.join(f'**{n}**' for n in total)} | |")
    return lines, total


def _time_unset(doc: dict) -> bool:
    return procedure_from_dict(doc).time_unset


def coverage(shipped: dict[str, dict]) -> list[str]:
    """Commune-level procedures shipped, by field, against each shipped snapshot's national list."""
    main, extract = shipped_snapshots()
    main_lines, _ = _table(main, shipped)
    extract_lines, _ = _table(extract, shipped)
    generated = sum(1 for d in shipped.values() if is_generated(d))
    listed = {r[0] for s in (main, extract) for r in s.index}
    outside = sorted({d["field"] for c, d in shipped.items() if c not in listed})
    extent = extract.extent or "toàn bộ"
    partial = "những đoạn đã đọc" in extent
    return [
        f"Danh mục quốc gia dùng để đối chiếu: {main.label}; {len(main.index)} bản ghi của 7 bộ, ngành (Tư pháp, "
        "Xây dựng, Tài chính, Nông nghiệp và Môi trường, Công an, Ngân hàng Nhà nước, Tòa án).",
        "",
        *main_lines,
        "",
        f"Bộ, ngành không có trong bản sao trên, theo {extract.label}: {extent} ({len(extract.index)} mục cấp xã; "
        f"{sum(portal.is_portal(r) for r in extract.records)} thủ tục có bản ghi chi tiết của Cổng). "
        + ("Số ở cột thứ ba chỉ là số mục trong phần trích, không phải cả danh mục quốc gia của lĩnh vực."
           if partial else "Cột thứ ba là cả danh mục quốc gia của lĩnh vực trong bản sao này."),
        "",
        *extract_lines,
        "",
        f"{generated} tệp được sinh từ bản ghi quốc gia (`db/catalog/national/make_catalog.py`); các tệp viết tay "
        "cho cùng mã được giữ nguyên. Các lĩnh vực chưa có trong hai bản sao (Nội vụ – người có công, Văn hóa, "
        "Thể thao, Dân tộc và Tôn giáo, thi đua – khen thưởng, Khoa học và Công nghệ cấp xã…) chưa đối chiếu được "
        f"số lượng; catalog có thủ tục viết tay ở các lĩnh vực: {', '.join(outside)}.",
        "",
    ]


def generated() -> str:
    rows = []
    shipped: dict[str, dict] = {}
    for path in sorted((HERE / "procedures").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        shipped[data["code"]] = data
        pending = [(EXTRA_LABELS.get(n) or LABELS.get(n, n)).lower()
                   for n in data["provenance"].get("needs_confirmation", [])]
        former = ", ".join(data.get("former_codes", [])) or ""
        rows.append(f"| {data['code']} | {_short(data['name'])} | {LEVELS[data['level']]} | {former} | "
                    f"{_code_source(data)} | {', '.join(pending) or '—'} |")
    head = ["| Mã | Thủ tục | Cấp | Mã cũ | Nguồn của mã | Cần tỉnh xác nhận |",
            "| --- | --- | --- | --- | --- | --- |"]
    return "\n".join([BEGIN, "", "### Thủ tục cấp xã theo lĩnh vực", "", *coverage(shipped),
                      "### Từng thủ tục", "", f"{len(rows)} thủ tục.", "", *head, *rows, "", END])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = SOURCES.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    new = text[:start] + generated() + text[end:]
    if args.check:
        if new != text:
            print("db/catalog/SOURCES.md is stale: run .venv/bin/python db/catalog/make_sources.py", file=sys.stderr)
            return 1
        return 0
    SOURCES.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
