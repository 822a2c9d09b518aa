"""Ground-floor benchmark at the reference scale (100,000 dossiers, ~1,000,000 events).

    python bench/bench_store.py            # generates bench/out/store-100000.sqlite3 once, then measures

Prints: the intake transaction median (the real Desk.intake on a copy of the store, synchronous=FULL),
the full projection rebuild time, the first page of filtered lists (median and p95), and the store size.
Targets (issue #2): intake ≤ 5 ms median; first filtered page ≤ 30 ms p95.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "desktop"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generate_store import cached_store
from motcua.domain.clock import VN_TZ
from motcua.services.demo import SampleFactory
from motcua.services.desk import Desk
from motcua.services.intake import parse_intake
from motcua.store.check import rebuilt_records
from motcua.store.db import open_store
from motcua.store.queries import DossierFilter, count_dossiers, list_dossiers


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> None:
    source = cached_store(100_000)
    work = Path(tempfile.mkdtemp(prefix="motcua-bench-"))
    path = work / "motcua.sqlite3"
    shutil.copyfile(source, path)
    conn = open_store(path)
    dossiers = conn.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    print(f"store: {dossiers:,} dossiers, {events:,} events, {path.stat().st_size / 1e6:.0f} MB")

    desk = Desk(conn, work)
    factory = SampleFactory(seed=99)
    base = datetime(2026, 11, 23, 8, 0, tzinfo=VN_TZ)
    requests = [parse_intake(factory.intake(base + timedelta(seconds=i))) for i in range(300)]
    it = iter(requests)
    intake_ms = timed(lambda: desk.intake(next(it), "bench"), 300)
    print(f"intake (Desk.intake, one transaction, synchronous=FULL): median {statistics.median(intake_ms):.2f} ms, "
          f"p95 {percentile(intake_ms, 0.95):.2f} ms   [target ≤ 5 ms median]")

    started = time.perf_counter()
    rebuilt = rebuilt_records(conn)
    rebuild_s = time.perf_counter() - started
    print(f"full projection rebuild (fold of every event): {rebuild_s:.1f} s for {len(rebuilt):,} dossiers")

    now = datetime(2026, 11, 20, 10, 0, tzinfo=VN_TZ)
    filters = {
        "all, newest first": (DossierFilter(), "received_at"),
        "status=processing, by due": (DossierFilter(statuses=(4,)), "due_at"),
        "overdue now": (DossierFilter(overdue_at=now), "due_at"),
        "due today": (DossierFilter(due_on=now.date()), "due_at"),
        "procedure 1.001193": (DossierFilter(procedure_code="1.001193"), "received_at"),
        "text 'nguyen van'": (DossierFilter(text="nguyen van"), "received_at"),
        "received in March": (DossierFilter(received_from=now.date().replace(month=3, day=1),
                                            received_to=now.date().replace(month=3, day=31)), "received_at"),
    }
    print("first page (50 rows) of a filtered, sorted list:")
    worst_p95 = 0.0
    for label, (flt, sort) in filters.items():
        samples = timed(lambda flt=flt, sort=sort: list_dossiers(conn, flt, sort=sort, limit=50), 40)
        count_ms = timed(lambda flt=flt: count_dossiers(conn, flt), 10)
        worst_p95 = max(worst_p95, percentile(samples, 0.95))
        print(f"  {label:<28} median {statistics.median(samples):6.2f} ms  p95 {percentile(samples, 0.95):6.2f} ms"
              f"   (count {statistics.median(count_ms):6.2f} ms)")
    print(f"worst first-page p95: {worst_p95:.2f} ms   [target ≤ 30 ms]")
    conn.close()
    print(f"store size: {path.stat().st_size / 1e6:.0f} MB (+ WAL)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
