"""Benchmark: the yearly report over a commune store of 100,000 dossiers (target ≤ 1 s).

    /work/main/.venv/bin/python bench/bench_reports.py [--dossiers 100000] [--repeat 7] [--keep DIR]

The generator writes real events and projection rows through the core's own functions
(``domain.projection.project`` — ``apply``'s rules folded in one go —,
``store.events.append_event`` / ``save_record``) in one transaction, as if
they had arrived from sync; the timed part is ``compute_report`` for the year (totals, per field, per
procedure), as the report page and the CLI run it: cold (timelines derived from every event), from a
fresh connection with the cache file up to date, and again on the same connection. Timings are
printed, never asserted.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "desktop"))

from motcua.domain.calendar import WorkCalendar
from motcua.domain.clock import VN_TZ
from motcua.domain.events import Event
from motcua.domain.ids import uuid7
from motcua.domain.projection import project
from motcua.reports.figures import Report
from motcua.services.demo import SampleMaterial
from motcua.store.db import open_store, transaction
from motcua.store.events import append_event, save_record
from motcua.store.settings import put_values

AGENCY = "000.17.22.H56"


class HistoryGenerator:
    """Plausible dossier histories spread over ``first``..``last`` (received during office hours)."""

    def __init__(self, seed: int, first: date, last: date):
        self.rng = random.Random(seed)
        self.calendar = WorkCalendar.build()
        self.procedures = SampleMaterial.load().procedures
        self.days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        self.days = [d for d in self.days if self.calendar.is_working_day(d)]
        self.sequences: dict[date, int] = {}

    def _moment(self, day: date) -> datetime:
        minutes = self.rng.choice([self.rng.randint(0, 269), self.rng.randint(390, 599)])
        return datetime.combine(day, datetime.min.time(), VN_TZ) + timedelta(hours=7, minutes=minutes)

    def history(self) -> list[Event]:
        r = self.rng
        day = r.choice(self.days)
        received = self._moment(day)
        self.sequences[day] = self.sequences.get(day, 0) + 1
        proc = r.choice(self.procedures)
        due = self.calendar.due(received, proc["amount"], proc["unit"])
        dossier_id = uuid7()
        channel = r.choices(["desk", "online", "post"], weights=[30, 65, 5])[0]
        payload: dict[str, Any] = {
            "code": f"{AGENCY}-{day:%y%m%d}-{self.sequences[day]:04d}",
            "channel": channel,
            "procedure": {"code": proc["code"], "version": 1, "name": proc["name"], "field": proc["field"],
                          "amount": proc["amount"], "unit": proc["unit"]},
            "applicant": {"name": "Nguyễn Văn A", "id_number": "066190001234", "kind": 1,
                          "phone": "0912345678", "email": "", "address": "Thôn 1"},
            "summary": proc["name"], "documents": [{"name": "Tờ khai", "kind": "original", "copies": 1}],
            "sets": 1, "return_place": "Bộ phận Một cửa", "fee_total": 0, "due_at": due.isoformat(),
        }
        events = [Event(uuid7(), dossier_id, "received", "tiepnhan", received, payload)]
        at = received
        span = max(due - received, timedelta(hours=4))

        def later(fraction: float) -> datetime:
            return at + span * fraction

        roll = r.random()
        if roll < 0.08:
            return events  # still just received
        at = later(r.uniform(0.01, 0.1))
        events.append(Event(uuid7(), dossier_id, "handed_over", "tiepnhan", at, {"to": "cc.tuphap"}))
        if r.random() < 0.12:
            at = later(r.uniform(0.05, 0.3))
            events.append(Event(uuid7(), dossier_id, "supplement_requested", "cc.tuphap", at,
                                {"reason": "Thiếu giấy tờ"}))
            if r.random() < 0.2:
                return events  # still waiting for the applicant
            paused_from, at = at, at + timedelta(days=r.randint(1, 6))
            seconds = self.calendar.working_seconds_between(paused_from, at)
            due = self.calendar.add_working_seconds(due, seconds) if seconds else due
            events.append(Event(uuid7(), dossier_id, "supplemented", "tiepnhan", at,
                                {"paused_seconds": seconds, "due_at": due.isoformat()}))
        if roll < 0.15:
            return events  # in progress
        if r.random() < 0.04:
            kind = r.choice(["withdrawn", "stopped"])
            at = later(r.uniform(0.1, 0.5))
            events.append(Event(uuid7(), dossier_id, kind, "cc.tuphap", at, {"reason": "Theo đề nghị"}))
            return events
        at = max(at, received + span * r.choice([r.uniform(0.1, 0.9), r.uniform(0.9, 1.0), r.uniform(1.0, 1.6)]))
        events.append(Event(uuid7(), dossier_id, "resolved", "cc.tuphap", at, {"decision": "approved"}))
        if r.random() < 0.8:
            at = at + timedelta(hours=r.randint(1, 48))
            events.append(Event(uuid7(), dossier_id, "returned", "tiepnhan", at, {}))
        return events


def build_store(directory: Path, dossiers: int, seed: int = 2026) -> Path:
    """A commune store with ``dossiers`` histories (received from Oct 2025 to Dec 2026)."""
    from motcua.paths import store_file

    path = store_file(directory)
    conn = open_store(path)
    generator = HistoryGenerator(seed, date(2025, 10, 1), date(2026, 12, 31))
    conn.execute("PRAGMA synchronous = OFF")
    with transaction(conn):
        put_values(conn, {"commune_name": "Xã Ea Kao", "province_name": "Đắk Lắk", "agency_code": AGENCY,
                          "agency_name": "UBND XÃ EA KAO", "device_id": "bench"})
        for _ in range(dossiers):
            events = generator.history()
            record = project(events)  # apply's rules, folded in one go (refuses an invalid history)
            assert record is not None
            for event in events:
                append_event(conn, event, sync_state="remote")  # remote: no per-device sequence lookup
            save_record(conn, record)
    conn.execute("ANALYZE")
    conn.close()
    return path


Timings = tuple[list[float], list[float]]  # wall clock, CPU of this process


def _timed(run: Callable[[], object], repeat: int) -> tuple[Timings, object]:
    wall, cpu, result = [], [], None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = run()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return (wall, cpu), result


def _line(name: str, timings: Timings) -> str:
    wall, cpu = timings
    return (f"{name:<58} median {statistics.median(wall):.3f} s  min {min(wall):.3f} s  "
            f"max {max(wall):.3f} s  (CPU median {statistics.median(cpu):.3f} s, n={len(wall)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the store in this folder")
    args = parser.parse_args()

    from motcua.paths import store_file
    from motcua.reports.cache import cache_path, ensure_timelines
    from motcua.reports.figures import compute_report
    from motcua.reports.period import parse_period
    from motcua.store.db import connect

    with tempfile.TemporaryDirectory() as scratch:
        directory = args.keep or Path(scratch)
        path = store_file(directory)
        if not path.exists():
            started = time.perf_counter()
            build_store(directory, args.dossiers)
            print(f"generated {args.dossiers} dossiers in {time.perf_counter() - started:.1f} s")
        period = parse_period(str(args.year))
        print(f"store: {path} ({path.stat().st_size / 1e6:.0f} MB), "
              f"{sqlite3.connect(path).execute('SELECT COUNT(*) FROM events').fetchone()[0]} events")

        def cold() -> object:
            cached = cache_path(connect(path, readonly=True))
            for suffix in ("", "-wal", "-shm"):
                if cached is not None:
                    Path(str(cached) + suffix).unlink(missing_ok=True)
            conn = connect(path, readonly=True)
            try:
                return compute_report(conn, period)
            finally:
                conn.close()

        def cold_temp() -> object:
            conn = connect(path, readonly=True)
            try:
                ensure_timelines(conn, persistent=False)
                return compute_report(conn, period)
            finally:
                conn.close()

        def new_connection() -> object:
            conn = connect(path, readonly=True)
            try:
                return compute_report(conn, period)
            finally:
                conn.close()

        cold_runs, _ = _timed(cold, max(3, args.repeat // 2))
        temp_runs, _ = _timed(cold_temp, max(3, args.repeat // 2))
        new_runs, _ = _timed(new_connection, args.repeat)
        conn = connect(path, readonly=True)
        same_runs, report = _timed(lambda: compute_report(conn, period), args.repeat)
        month_runs, _ = _timed(lambda: compute_report(conn, period, with_months=True), max(3, args.repeat // 2))
        conn.close()
        assert isinstance(report, Report)
        total = report.total
        print(f"yearly report {period.key}: carried over {total.carried_over}, new {total.new}, resolved "
              f"{total.resolved}, withdrawn/stopped {total.closed}, pending {total.pending}, "
              f"fields {len(report.by_field)}, reconciles {total.reconciles()}")
        print(_line("cold: no cache file, timelines derived from all events", cold_runs))
        print(_line("cold, TEMP tables only (no cache file used)", temp_runs))
        print(_line("new connection, cache file up to date (CLI, app start)", new_runs))
        print(_line("same connection again (the report page)", same_runs))
        print(_line("same connection, with the 12-month trend", month_runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
