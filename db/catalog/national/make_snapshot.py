"""Build db/catalog/national/snapshot.json.gz from a local copy of a public crawl of the national portal.

    .venv/bin/python db/catalog/national/make_snapshot.py /path/to/chatbot_tthc-checkout

Run by hand when a newer crawl is taken (never at run time). Keeps, for every record of the crawl, its
code, name, level, field and ministry (the national list the counts in SOURCES.md are made against),
and the full text only of the records a commune People's Committee handles (fields below), trimmed to
the sections the importer reads.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "desktop"))

from motcua.catalog.national_scope import MINISTRIES, in_scope  # noqa: E402

KEPT = ("ma_thu_tuc", "detail_url", "ten_thu_tuc", "so_quyet_dinh", "cap_thuc_hien", "loai_thu_tuc",
        "linh_vuc", "co_quan_thuc_hien", "trinh_tu_thuc_hien", "cach_thuc_thuc_hien", "thanh_phan_ho_so",
        "can_cu_phap_ly", "yeu_cau_dieu_kien", "ket_qua_xu_ly")


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path, help="a git checkout (or bare mirror) of chatbot-tthc/chatbot_tthc")
    parser.add_argument("--out", type=Path, default=HERE / "snapshot.json.gz")
    args = parser.parse_args()
    commit = _git(args.repo, "rev-parse", "HEAD").strip()
    date = _git(args.repo, "log", "-1", "--format=%cs", "HEAD").strip()
    names = _git(args.repo, "ls-tree", "-r", "--name-only", "HEAD", "scripts/crawler/data/raw/").split()
    index, records = [], []
    for path in sorted(names):
        if not path.endswith(".json"):
            continue
        ministry = path.split("/")[-2]
        record = json.loads(_git(args.repo, "show", f"HEAD:{path}"))
        index.append([record["ma_thu_tuc"], record["ten_thu_tuc"], record.get("cap_thuc_hien", ""),
                      record.get("linh_vuc", ""), ministry])
        if in_scope(record, ministry):
            records.append({"bo": ministry, **{k: record.get(k, "") for k in KEPT}})
    snapshot = {
        "source": "Cổng Dịch vụ công quốc gia, bản sao công khai github.com/chatbot-tthc/chatbot_tthc "
                  "(scripts/crawler/data/raw)",
        "commit": commit,
        "date": date,
        "ministries": MINISTRIES,
        "index_columns": ["code", "name", "level", "field", "ministry"],
        "index": index,
        "records": records,
    }
    data = json.dumps(snapshot, ensure_ascii=False, separators=(",", ":"), indent=None).encode("utf-8")
    with args.out.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as out:
        out.write(data)
    print(f"{len(index)} bản ghi, {len(records)} giữ đầy đủ → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
