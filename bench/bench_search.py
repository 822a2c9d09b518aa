"""Search latency at the reference scale (2,000 procedures, 100,000 dossiers), FTS5 vs a naive LIKE scan.

    python bench/bench_search.py [--repeat 15] [--regenerate]

Generates bench/out/search.sqlite3 once (bench/gen_search_data.py), then runs each query set through
motcua.search (FTS5, bm25, snippets, fallbacks) and, in the same run, the same folded words through a
naive `LIKE '%word%' AND …` scan over the same folded text — the baseline. Prints median and p95 per set
and the LIKE/FTS ratio (LIKE median ÷ FTS median), plus the CPU time p95 of the FTS calls.
Target: p95 ≤ 15 ms for every set. Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "desktop"))
sys.path.insert(0, str(ROOT))

from bench import gen_search_data  # noqa: E402
from motcua import search  # noqa: E402
from motcua.domain.text import fold  # noqa: E402
from motcua.store.db import connect  # noqa: E402

TARGET_P95_MS = 15.0

PROCEDURE_SETS: dict[str, list[str]] = {
    "procedure: with diacritics": ["giấy phép bưu chính", "đăng ký hộ kinh doanh", "chứng chỉ nhân viên bức xạ",
                                   "tần số vô tuyến điện", "trích lục hộ tịch", "giấy phép xây dựng nhà ở"],
    "procedure: without diacritics": ["giay phep buu chinh", "dang ky ho kinh doanh", "chung thuc hop dong",
                                      "tro cap xa hoi", "van bang bao ho nhan hieu", "khai sinh"],
    "procedure: wrong tones / Telex": ["giầy phẹp bựu chính", "giaays pheps buwu chinhs", "ddawng kys khai sinh",
                                       "chuwngs chir nhaan vieen", "cấp lai giây phep"],
    "procedure: code / prefix": ["1.003560", "003560", "2.000815", "buu ch", "gia h", "thu h"],
}


def dossier_sets(conn: sqlite3.Connection) -> dict[str, list[str]]:
    rng = random.Random(11)
    total = conn.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    rows = [conn.execute("SELECT code, applicant_name, applicant_id_number, applicant_phone FROM dossiers"
                         " LIMIT 1 OFFSET ?", (rng.randrange(total),)).fetchone() for _ in range(6)]
    return {
        "dossier: applicant name": [r["applicant_name"] for r in rows[:3]]
        + [fold(r["applicant_name"]) for r in rows[3:]],
        "dossier: code / ID / phone": [rows[0]["code"], rows[1]["code"].lower(), rows[2]["applicant_id_number"],
                                       rows[3]["applicant_id_number"][:8], rows[4]["applicant_phone"],
                                       rows[5]["code"].split("-", 1)[1]],
        "both kinds: mixed": ["nguyen van", "khai sinh", "Trần Thị", "giay phep", rows[0]["applicant_name"]],
    }


def like_procedures(conn: sqlite3.Connection, query: str) -> list:
    words = search.terms(query)
    where = " AND ".join("(code_folded || ' ' || name_folded || ' ' || field_folded || ' ' || components_folded"
                         " || ' ' || guidance_folded) LIKE ?" for _ in words) or "1"
    return conn.execute(f"SELECT code, name FROM procedures WHERE {where} LIMIT 20",
                        [f"%{w}%" for w in words]).fetchall()


def like_dossiers(conn: sqlite3.Connection, query: str) -> list:
    words = search.terms(query)
    where = " AND ".join("search_text LIKE ?" for _ in words) or "1"
    return conn.execute(f"SELECT code, applicant_name FROM dossiers WHERE {where} LIMIT 20",
                        [f"%{w}%" for w in words]).fetchall()


def like_both(conn: sqlite3.Connection, query: str) -> list:
    return like_procedures(conn, query) + like_dossiers(conn, query)


def measure(fn: Callable[[str], object], queries: list[str], repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per call. CPU time tells the code's cost apart from a busy machine."""
    for q in queries:  # warm the page cache as a desk that has been open a while has it
        fn(q)
    wall, cpu = [], []
    for _ in range(repeat):
        for q in queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            fn(q)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description="search benchmark")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    path = gen_search_data.DEFAULT_OUT
    if args.regenerate or not path.exists():
        gen_search_data.generate(path, 2000, 100_000)
    conn = connect(path, readonly=True)
    procedures = conn.execute("SELECT count(*) FROM procedures").fetchone()[0]
    dossiers = conn.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    print(f"store: {procedures:,} procedures, {dossiers:,} dossiers, {path.stat().st_size / 1e6:.0f} MB;"
          f" SQLite {conn.execute('select sqlite_version()').fetchone()[0]}; {args.repeat} runs per query")

    sets: list[tuple[str, list[str], Callable[[str], object], Callable[[str], object]]] = []
    for name, queries in PROCEDURE_SETS.items():
        sets.append((name, queries, lambda q: search.search_procedures(conn, q), lambda q: like_procedures(conn, q)))
    for name, queries in dossier_sets(conn).items():
        if name.startswith("both"):
            sets.append((name, queries, lambda q: search.search(conn, q), lambda q: like_both(conn, q)))
        else:
            sets.append((name, queries, lambda q: search.search_dossiers(conn, q), lambda q: like_dossiers(conn, q)))

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall-clock figures grow with it)")
    header = (f"{'query set':34} {'n':>3} {'FTS med':>8} {'FTS p95':>8} {'cpu p95':>8}"
              f" {'LIKE med':>9} {'LIKE p95':>9} {'ratio':>6}")
    print(header)
    print("-" * len(header))
    worst = 0.0
    all_fts: list[float] = []
    for name, queries, fts, like in sets:
        fts_ms, fts_cpu = measure(fts, queries, args.repeat)
        like_ms, _ = measure(like, queries, args.repeat)
        all_fts.extend(fts_ms)
        worst = max(worst, p95(fts_ms))
        ratio = statistics.median(like_ms) / statistics.median(fts_ms)
        print(f"{name:34} {len(queries):3} {statistics.median(fts_ms):8.2f} {p95(fts_ms):8.2f} {p95(fts_cpu):8.2f}"
              f" {statistics.median(like_ms):9.2f} {p95(like_ms):9.2f} {ratio:5.1f}x")
    print("-" * len(header))
    print(f"{'all sets (FTS)':34} {'':3} {statistics.median(all_fts):8.2f} {p95(all_fts):8.2f}   (ms)")
    verdict = "meets" if worst <= TARGET_P95_MS else "MISSES"
    print(f"worst p95 per set: {worst:.2f} ms — {verdict} the target p95 ≤ {TARGET_P95_MS:.0f} ms")


if __name__ == "__main__":
    main()
