"""Build db/catalog/national/portal_extract.json from a local copy of duynghiaqn/Crawler-TTHC.

    .venv/bin/python db/catalog/national/make_portal_extract.py /path/to/Crawler-TTHC-checkout [--entries N]

Run by hand (never at run time). Keeps the commune-level entries (`isWard`) among the first N entries of
`data-gl/index.json` (the national list as filtered for Gia Lai's province and communes, newest first) of the
ministries the shipped snapshot lacks, as index rows, and those a commune People's Committee handles as bare
records (code, name, level, field, agency):
the catalog files made from them are "to confirm" until a detail record or the province completes them.
The shipped extract was read through a code index, not a checkout: N = 51 (the entries in its first 32,000 characters).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "desktop"))

from motcua.catalog.national_scope import in_scope  # noqa: E402

SOURCE = ("Cổng Dịch vụ công quốc gia, bản sao công khai github.com/duynghiaqn/Crawler-TTHC "
          "(data-gl/index.json: danh mục quốc gia lọc cho tỉnh Gia Lai và cấp xã)")
MINISTRIES = ("Bộ Y tế", "Bộ Giáo dục và Đào tạo", "Bộ Nội vụ", "Bộ Văn hóa, Thể thao và Du lịch",
              "Bộ Dân tộc và Tôn giáo", "Bộ Khoa học và Công nghệ")


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("--entries", type=int, default=51)
    parser.add_argument("--out", type=Path, default=HERE / "portal_extract.json")
    args = parser.parse_args()
    commit = _git(args.repo, "rev-parse", "HEAD").strip()
    date = _git(args.repo, "log", "-1", "--format=%cs", "HEAD").strip()
    entries = json.loads(_git(args.repo, "show", "HEAD:data-gl/index.json"))[: args.entries]
    kept = [e for e in entries if e.get("isWard") and e.get("co_quan_ban_hanh") in MINISTRIES]
    records = [{"bo": e["co_quan_ban_hanh"], "ma_thu_tuc": e["ma_tthc"], "ten_thu_tuc": e["ten_tthc"],
                "cap_thuc_hien": e["cap_thuc_hien"], "linh_vuc": e["linh_vuc"],
                "co_quan_thuc_hien": e["co_quan_thuc_hien"], "detail_url": e["url"]} for e in kept]
    data = {"source": SOURCE, "commit": commit, "date": date,
            "extent": f"các mục cấp xã trong {args.entries} mục đầu (mới nhất) của data-gl/index.json",
            "index_columns": ["code", "name", "level", "field", "ministry"],
            "index": [[r["ma_thu_tuc"], r["ten_thu_tuc"], r["cap_thuc_hien"], r["linh_vuc"], r["bo"]]
                      for r in records],
            "records": [r for r in records if in_scope(r, r["bo"])]}
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(records)} mục → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
