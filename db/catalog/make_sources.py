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

from motcua.catalog.diff import LABELS  # noqa: E402

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


def generated() -> str:
    rows = []
    for path in sorted((HERE / "procedures").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        pending = [(EXTRA_LABELS.get(n) or LABELS.get(n, n)).lower()
                   for n in data["provenance"].get("needs_confirmation", [])]
        former = ", ".join(data.get("former_codes", [])) or ""
        rows.append(f"| {data['code']} | {_short(data['name'])} | {LEVELS[data['level']]} | {former} | "
                    f"{_code_source(data)} | {', '.join(pending) or '—'} |")
    head = ["| Mã | Thủ tục | Cấp | Mã cũ | Nguồn của mã | Cần tỉnh xác nhận |",
            "| --- | --- | --- | --- | --- | --- |"]
    return "\n".join([BEGIN, "", f"{len(rows)} thủ tục.", "", *head, *rows, "", END])


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
