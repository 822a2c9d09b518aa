"""Build db/catalog/national/portal_extract.json from duynghiaqn/Crawler-TTHC (a checkout, or copies of it).

    .venv/bin/python db/catalog/national/make_portal_extract.py /path/to/Crawler-TTHC-checkout [--ranges A-B,C-D…]
    .venv/bin/python db/catalog/national/make_portal_extract.py --entries half1.jsonl half2.jsonl \
        --details DIR --commit SHA --date YYYY-MM-DD

Run by hand (never at run time). Keeps the commune-level entries (`isWard`) of `data-gl/index.json` (the
national list as filtered for Gia Lai's province and communes, newest first) of every ministry the main
snapshot (snapshot.json.gz, seven ministries) lacks, as index rows, and those a commune People's Committee
handles as records: the portal's detail record (`data/details/<id>.json`) when there is one, else the bare
entry (code, name, level, field, agency), whose catalog file is "to confirm" until the province completes it.
Internal procedures between state bodies ("TTHC nội bộ") are left out, and a record whose level mixes the
commune with other levels is kept only when its agency names the commune (or no body at all) or, for "xã nhận,
tỉnh giải quyết", a provincial department (Thi tuyển công chức, a school's or a fund's own procedure, a central
award stay in the index only).

No checkout of that repository could be had here: the shipped extract was made with --entries, from the index's
commune entries and the detail records copied through a public code index (`--details`: one <code>.json each,
the keys the catalog reads and the `_source` file it was copied from). --ranges repeats an older, partial read.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "desktop"))

from motcua.catalog.national import level  # noqa: E402
from motcua.catalog.national_scope import in_scope  # noqa: E402

SOURCE = ("Cổng Dịch vụ công quốc gia, bản sao công khai github.com/duynghiaqn/Crawler-TTHC "
          "(data-gl/index.json: danh mục quốc gia lọc cho tỉnh Gia Lai và cấp xã)")
# the main snapshot's ministries (chatbot-tthc/chatbot_tthc): their entries are read there, not here
MAIN_SNAPSHOT = ("Bộ Tư pháp", "Bộ Xây dựng", "Bộ xây dựng (Giao thông vận tải cũ)", "Bộ Tài chính",
                 "Bộ Nông nghiệp và Môi trường", "Bộ Công an", "Ngân hàng Nhà nước Việt Nam", "Ngân hàng Nhà nước",
                 "Tòa án nhân dân tối cao")
# a province's own procedures (the index is the list as filtered for Gia Lai): not a commune's elsewhere
_ONE_PROVINCE = re.compile(r"^(UBND|Ủy ban nhân dân) tỉnh ", re.IGNORECASE)
# what the shipped extract was read from (character offsets of data-gl/index.json at commit 0ee18a41a7)
SHIPPED_RANGES = ("0-296000,300000-375900,376000-552000,600000-616000,"
                  "732000-763900,768000-783600,784000-864000,880000-896000,960000-976000,1000000-1031800,"
                  "1148000-1228000,1250000-1266000,1330000-1344817")
# the commune named in an agency ("Ủy ban nhân dân cấp xã", "UBND xã, phường"), not "tổ chức chính trị - xã hội"
_COMMUNE = re.compile(r"xã(?!\s*hội)|phường", re.IGNORECASE)


def commune_handles(entry: dict) -> bool:
    """The commune receives it: its agency names the commune or no body at all (the level says), or the level
    mixes commune and province and only a provincial department is named (xã nhận, tỉnh giải quyết)."""
    agency = str(entry.get("co_quan_thuc_hien", "")).strip(" ,")
    if not agency or _COMMUNE.search(agency):
        return True
    return level(entry) == "commune_receives_province_decides"


def _extent(ranges: list[tuple[int, ...]], size: int) -> str:
    read = sum(b - a for a, b in ranges)
    spans = ", ".join(f"{a}-{b}" for a, b in ranges)
    return f"những đoạn đã đọc của data-gl/index.json (ký tự {spans}; khoảng {round(100 * read / size)}% tệp)"


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


def _entry_id(entry: dict) -> str:
    return str(entry.get("id") or str(entry.get("url", "")).rsplit("/", 1)[-1])


def _from_checkout(repo: Path, ranges: list[tuple[int, ...]]) -> tuple[list[dict], dict[str, dict], str, str, int]:
    """(index entries, detail records by entry id, commit, date, size of the index) of a checkout."""
    commit = _git(repo, "rev-parse", "HEAD").strip()
    date = _git(repo, "log", "-1", "--format=%cs", "HEAD").strip()
    text = _git(repo, "show", "HEAD:data-gl/index.json")
    entries = json.loads(text)
    if ranges:  # an entry is kept when its "id" line starts inside a range
        starts = [m.start() for m in re.finditer(r'\{\s*"id":', text)]
        entries = [e for e, at in zip(entries, starts, strict=True) if any(a <= at < b for a, b in ranges)]
    details: dict[str, dict] = {}
    for entry in entries:
        path = repo / "data" / "details" / f"{_entry_id(entry)}.json"
        if path.is_file():
            details[_entry_id(entry)] = json.loads(path.read_text(encoding="utf-8"))
    return entries, details, commit, date, len(text)


def _from_copies(files: list[Path], details_dir: Path | None) -> tuple[list[dict], dict[str, dict]]:
    """Entries copied from the index (JSON lines) and detail records copied from data/details (one
    <code>.json each, reduced to the keys the catalog reads, with their `_source`), as read through the
    public code index when no checkout can be had."""
    # only the commune-level entries were copied: each is `isWard`
    entries = [{"isWard": True, **json.loads(line)} for f in files
               for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    details: dict[str, dict] = {}
    by_code = {str(e["ma_tthc"]): _entry_id(e) for e in entries}
    for path in sorted(details_dir.glob("*.json")) if details_dir else []:
        record = json.loads(path.read_text(encoding="utf-8"))
        if by_code.get(str(record.get("code"))) == record.get("id"):  # the detail of that very entry
            details[str(record["id"])] = record
    return entries, details


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path, nargs="?", help="a checkout of duynghiaqn/Crawler-TTHC")
    parser.add_argument("--ranges", default="", help=f"character ranges of data-gl/index.json ({SHIPPED_RANGES})")
    parser.add_argument("--entries", type=Path, nargs="*", default=[],
                        help="instead of a checkout: the index's entries copied as JSON lines")
    parser.add_argument("--details", type=Path, help="with --entries: a folder of copied detail records")
    parser.add_argument("--commit", default="", help="with --entries: the crawl's commit they were copied from")
    parser.add_argument("--date", default="", help="with --entries: that commit's date (YYYY-MM-DD)")
    parser.add_argument("--extent", default="", help="with --entries: what part of the index they cover")
    parser.add_argument("--out", type=Path, default=HERE / "portal_extract.json")
    args = parser.parse_args()
    if args.repo is not None:
        ranges = [tuple(int(x) for x in r.split("-")) for r in args.ranges.split(",") if r]
        entries, details, commit, date, size = _from_checkout(args.repo, ranges)
        extent = _extent(ranges, size) if ranges else "toàn bộ data-gl/index.json"
    elif args.entries and args.commit and args.date:
        entries, details = _from_copies(args.entries, args.details)
        commit, date, extent = args.commit, args.date, args.extent or "toàn bộ data-gl/index.json"
    else:
        parser.error("give a checkout, or --entries with --commit and --date")
    kept = [e for e in entries if e.get("isWard") and e.get("co_quan_ban_hanh") not in MAIN_SNAPSHOT
            and not _ONE_PROVINCE.match(str(e.get("co_quan_ban_hanh", ""))) and e.get("loai_tthc") != "TTHC nội bộ"]
    records = [{"bo": e["co_quan_ban_hanh"], "ma_thu_tuc": e["ma_tthc"], "ten_thu_tuc": e["ten_tthc"],
                "cap_thuc_hien": e["cap_thuc_hien"], "linh_vuc": e["linh_vuc"],
                "co_quan_thuc_hien": e["co_quan_thuc_hien"],
                "detail_url": f"https://dichvucong.gov.vn/thu-tuc-hanh-chinh/{_entry_id(e)}",
                "_id": _entry_id(e)} for e in kept]
    shipped = [r for r in records if in_scope(r, r["bo"]) and commune_handles(r)]
    data = {"source": SOURCE, "commit": commit, "date": date,
            "extent": "các mục cấp xã (trừ TTHC nội bộ) của các bộ, ngành không có trong bản sao chính, trong "
                      + extent,
            "index_columns": ["code", "name", "level", "field", "ministry"],
            "index": [[r["ma_thu_tuc"], r["ten_thu_tuc"], r["cap_thuc_hien"], r["linh_vuc"], r["bo"]]
                      for r in records],
            # the detail record when there is one (the portal's shape, read by motcua.catalog.portal), else the
            # bare entry
            "records": [details.get(r["_id"]) or {k: v for k, v in r.items() if k != "_id"} for r in shipped]}
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(records)} mục, {len(shipped)} thủ tục ({sum(r['_id'] in details for r in shipped)} có bản ghi "
          f"chi tiết) → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
