"""Generate a commune store with N dossiers (~10 events each) for the benchmarks.

    python bench/generate_store.py --dossiers 100000 --out bench/out/store-100000.sqlite3

The events are real events folded by the real projection (domain.projection.apply) and written with
the store's own functions in one transaction; only the per-intake service overhead is skipped, which
bench_store.py measures separately.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "desktop"))

from motcua.domain.calendar import WorkCalendar
from motcua.domain.clock import VN_TZ, iso
from motcua.domain.codes import CodeScheme
from motcua.domain.events import Event
from motcua.domain.ids import uuid7
from motcua.domain.projection import apply
from motcua.services.demo import SampleFactory
from motcua.store.db import open_store, transaction
from motcua.store.events import append_event, save_record
from motcua.store.settings import put_values

OFFICERS = ["cc.tuphap", "cc.diachinh", "cc.vanhoa", "cc.khcn", "lanhdao.pct"]


def dossier_events(factory: SampleFactory, calendar: WorkCalendar, scheme: CodeScheme, received: datetime,
                   number: int, now: datetime) -> list[Event]:
    rng = factory.rng
    data = factory.intake()
    proc = data["procedure"]
    due = calendar.due(received, proc["amount"], proc["unit"])
    dossier_id = uuid7()
    payload = {"code": scheme.format(received.date(), number), "channel": rng.choice(["desk"] * 3 + ["online"]),
               "procedure": {**proc, "version": 1}, "applicant": data["applicant"], "summary": data["summary"],
               "documents": data["documents"], "sets": 1, "return_place": "Bộ phận Một cửa", "fee_total": 0,
               "due_at": iso(due)}
    events = [Event(uuid7(), dossier_id, "received", "tiepnhan01", received, payload, "bench")]
    t = received
    step = timedelta(hours=rng.randint(1, 20))

    def add(kind: str, actor: str, body: dict) -> bool:
        nonlocal t
        t = t + step
        if t >= now:
            return False
        events.append(Event(uuid7(), dossier_id, kind, actor, t, body, "bench"))
        return True

    officer = rng.choice(OFFICERS)
    plan = [("handed_over", "tiepnhan01", {"to": officer, "note": "Chuyển xử lý"})]
    plan += [("note", officer, {"text": "Đã kiểm tra thành phần hồ sơ"})] * rng.randint(2, 4)
    plan += [("handed_over", officer, {"to": "lanhdao.pct", "note": "Trình ký"}),
             ("handed_over", "lanhdao.pct", {"to": officer, "note": "Đã ký"})]
    if rng.random() < 0.1:
        plan += [("supplement_requested", officer, {"reason": "Thiếu giấy tờ"}), ("supplemented", "tiepnhan01", {})]
    plan += [("note", officer, {"text": "Hoàn thiện kết quả"}), ("resolved", officer, {"decision": "approved"}),
             ("returned", "tiepnhan01", {"note": "Đã trả"})]
    cut = len(plan) if rng.random() < 0.85 else rng.randint(0, len(plan) - 1)
    for kind, actor, body in plan[:cut]:
        if kind == "supplemented":
            paused_from = events[-1].occurred_at
            if not add(kind, actor, body):
                break
            ev = events[-1]
            extra = {"paused_seconds": calendar.working_seconds_between(paused_from, ev.occurred_at),
                     "due_at": iso(calendar.extend_for_pause(due, paused_from, ev.occurred_at))}
            events[-1] = Event(ev.id, ev.dossier_id, ev.type, ev.actor, ev.occurred_at, {**body, **extra}, "bench")
        elif not add(kind, actor, body):
            break
    return events


def generate(out: Path, dossiers: int, seed: int = 1, days: int = 365) -> Path:
    if out.exists():
        out.unlink()
    for suffix in ("-wal", "-shm"):
        Path(str(out) + suffix).unlink(missing_ok=True)
    conn = open_store(out)
    conn.execute("PRAGMA synchronous = OFF")  # generation only; the benchmarks reopen with FULL
    factory = SampleFactory(seed)
    calendar = WorkCalendar.build()
    scheme = CodeScheme("000.17.22.H56")
    now = datetime(2026, 11, 20, 17, 0, tzinfo=VN_TZ)
    start = now - timedelta(days=days)
    per_day: dict[str, int] = {}
    working_days = [d for d in (start.date() + timedelta(days=i) for i in range(days)) if calendar.is_working_day(d)]
    rng = random.Random(seed)
    events_total = 0
    with transaction(conn):
        put_values(conn, {"commune_name": "Xã Ea Kao", "province_name": "Đắk Lắk", "agency_code": "000.17.22.H56",
                          "agency_name": "UBND XÃ EA KAO", "device_id": "bench"})
        for i in range(dossiers):
            day = working_days[int(i * len(working_days) / dossiers)]
            received = factory.office_moment(datetime.combine(day, datetime.min.time(), VN_TZ))
            number = per_day[day.isoformat()] = per_day.get(day.isoformat(), 0) + 1
            record = None
            for event in dossier_events(factory, calendar, scheme, received, number, now):
                record = apply(record, event)
                append_event(conn, event, sync_state=rng.choice(["sent"] * 9 + ["pending"]))
                events_total += 1
            assert record is not None
            save_record(conn, record)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    conn.close()
    print(f"generated {dossiers} dossiers, {events_total} events → {out} ({out.stat().st_size / 1e6:.0f} MB)")
    return out


def cached_store(dossiers: int = 100_000) -> Path:
    """A generated store, made once and reused by every benchmark."""
    out = Path(__file__).resolve().parent / "out" / f"store-{dossiers}.sqlite3"
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        generate(out, dossiers)
        print(f"(generation took {time.perf_counter() - started:.0f} s)")
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        generate(args.out, args.dossiers, args.seed)
    else:
        cached_store(args.dossiers)
