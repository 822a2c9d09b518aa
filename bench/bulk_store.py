"""A fast generator of large, realistic commune stores (benchmarks, UI tests, screenshots).

Builds each dossier's events with the domain's own ``apply`` and writes events and projection rows in
ONE transaction, skipping the services' per-intake work (code sequences, calendar look-ups per row).
Events are marked ``remote`` so they do not count as this device's unsent mutations.

    python bench/bulk_store.py DATA_DIR --count 100000
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "desktop"))

from motcua.domain import projection
from motcua.domain.clock import now
from motcua.domain.events import Event
from motcua.domain.projection import DossierRecord, apply
from motcua.paths import store_file
from motcua.services.demo import SampleFactory
from motcua.store.calendar_days import load_calendar
from motcua.store.db import open_store, transaction
from motcua.store.events import append_event, save_record
from motcua.store.settings import get_settings, put_values

AGENCY = "000.17.22.H56"
SETTINGS = {"commune_name": "Xã Ea Kao", "province_name": "Đắk Lắk", "agency_code": AGENCY,
            "agency_name": "UBND XÃ EA KAO", "device_id": "bench-device-0001"}
OFFICERS = ("tiepnhan01", "tiepnhan02")
SPECIALISTS = ("cc.tuphap", "cc.diachinh", "cc.vanhoa")


def initialise(conn: sqlite3.Connection) -> None:
    if not get_settings(conn).initialised:
        with transaction(conn):
            put_values(conn, SETTINGS)


def _cached_search_text() -> Callable[[DossierRecord], str]:
    """``search_text_of`` depends only on fields set at intake: fold each dossier's text once, not per event."""
    original = projection.search_text_of
    last: dict[str, tuple[tuple[str, ...], str]] = {}

    def search_text(record: DossierRecord) -> str:
        key = (record.code or "", record.applicant_name, record.applicant_id_number, record.applicant_phone,
               record.procedure_code, record.procedure_name, record.summary)
        hit = last.get(record.id)
        if hit is None or hit[0] != key:
            last.clear()
            hit = last[record.id] = (key, original(record))
        return hit[1]

    return search_text


def generate(conn: sqlite3.Connection, count: int, *, days: int = 365, seed: int = 2026,
             until: datetime | None = None) -> int:
    """Add ``count`` dossiers received over the ``days`` before ``until``; returns the events written."""
    initialise(conn)
    factory = SampleFactory(seed, commune="xã Ea Kao")
    rng = factory.rng
    calendar = load_calendar(conn)
    end = until or now()
    start = end - timedelta(days=days)
    # Working moments spread evenly over the period, in order, so codes follow the received time.
    step = timedelta(days=days) / max(count, 1)
    sequences: dict[str, int] = {}
    due_cache: dict[tuple[str, float, str], datetime] = {}
    written = 0
    original = projection.search_text_of
    projection.search_text_of = _cached_search_text()
    try:
        with transaction(conn):
            for index in range(count):
                day = start + step * index
                if day.weekday() >= 5:
                    day += timedelta(days=7 - day.weekday())
                received = min(factory.office_moment(day), end - timedelta(minutes=1))
                data = factory.intake()
                proc = data["procedure"]
                key = (received.strftime("%Y-%m-%d %H"), float(proc["amount"]), proc["unit"])
                due = due_cache.get(key)
                if due is None:
                    due = due_cache[key] = calendar.due(received.replace(minute=0), proc["amount"], proc["unit"])
                stamp = received.strftime("%y%m%d")
                sequences[stamp] = sequences.get(stamp, 0) + 1
                payload = {"code": f"{AGENCY}-{stamp}-{sequences[stamp]:04d}", "channel": "desk",
                           "procedure": {**proc, "version": None}, "applicant": data["applicant"],
                           "summary": data["summary"], "documents": data["documents"], "sets": 1,
                           "return_place": "Bộ phận Một cửa", "fee_total": 0, "due_at": due.isoformat()}
                first = Event.new("", "received", rng.choice(OFFICERS), payload, occurred_at=received,
                                  device_id=SETTINGS["device_id"])
                first = Event(first.id, first.id, first.type, first.actor, first.occurred_at, first.payload,
                              first.device_id)
                events = [first]
                at = received
                for event_type, values in factory.lifecycle(data["applicant"]["name"]):
                    at = at + timedelta(hours=rng.randint(2, 60))
                    if at >= end:
                        break
                    actor = rng.choice(SPECIALISTS) if event_type != "returned" else rng.choice(OFFICERS)
                    events.append(Event.new(first.id, event_type, actor, values, occurred_at=at,
                                            device_id=SETTINGS["device_id"]))
                record = None
                for event in events:
                    record = apply(record, event)
                    append_event(conn, event, sync_state="remote")
                    written += 1
                assert record is not None
                save_record(conn, record)
    finally:
        projection.search_text_of = original
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args(argv)
    conn = open_store(store_file(args.data_dir))
    started = time.perf_counter()
    events = generate(conn, args.count, days=args.days)
    conn.execute("ANALYZE")
    conn.close()
    print(f"{args.count} dossiers, {events} events in {time.perf_counter() - started:.1f} s → {args.data_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
