"""Is an encrypted store (SQLCipher) workable? The same store, plain SQLite and SQLCipher, side by side.

Needs a SQLCipher build of the DB-API module, which the project does NOT depend on; measure it in a scratch
virtual environment that also sees the project's own packages:

    python3 -m venv /tmp/sqlc && /tmp/sqlc/bin/pip install sqlcipher3-binary
    echo /work/main/.venv/lib/python3.11/site-packages > /tmp/sqlc/lib/python3.11/site-packages/project.pth
    /tmp/sqlc/bin/python bench/bench_sqlcipher.py --store STORE.sqlite3   # e.g. a 100,000-dossier bench store

The plain store is copied (SQLite's backup API) and exported to SQLCipher (``sqlcipher_export``, 256-bit key,
SQLCipher 4 defaults: AES-256-CBC pages with HMAC-SHA512, PBKDF2 256,000 rounds on open). Each is then
opened through ``motcua.store.db`` itself (its ``sqlite3`` swapped for the SQLCipher module and the key set
first), and measured as bench_store.py and bench_search.py do: the intake transaction (``Desk.intake``,
synchronous=FULL), the first page of filtered lists, a search, opening the store, a full scan, integrity_check.
Then the crash-safety idea of tests/e2e/test_crash_safety.py on the encrypted copy: a child process intakes
and prints each id once committed; it is SIGKILLed at random moments; every printed id must be in the store
and ``PRAGMA integrity_check`` ok.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "desktop"), str(ROOT)]

import sqlcipher3  # noqa: E402  (the scratch environment's module; never a project dependency)

from motcua.domain.clock import VN_TZ  # noqa: E402
from motcua.services.demo import SampleFactory  # noqa: E402
from motcua.services.desk import Desk  # noqa: E402
from motcua.services.intake import parse_intake  # noqa: E402
from motcua.store import db  # noqa: E402
from motcua.store.queries import DossierFilter, list_dossiers  # noqa: E402

KEY = "bench-passphrase-2026"


def use_sqlcipher(key: str) -> None:
    """``motcua.store.db`` opens every connection through SQLCipher with ``key`` set first."""
    def connect(database: Any, *args: Any, **kwargs: Any) -> Any:
        conn = sqlcipher3.connect(database, *args, **kwargs)
        conn.execute(f"PRAGMA key = '{key}'")
        return conn

    shim = types.SimpleNamespace(**{name: getattr(sqlcipher3, name) for name in dir(sqlcipher3)
                                    if not name.startswith("_")})
    shim.connect = connect
    db.sqlite3 = shim  # type: ignore[assignment]


def ms(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def measure(path: Path, label: str) -> dict[str, Any]:
    started = time.perf_counter()
    conn = db.connect(path)
    count = conn.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    open_ms = (time.perf_counter() - started) * 1000
    desk = Desk(conn, path.parent)
    factory = SampleFactory(seed=7)
    base = datetime(2026, 11, 23, 8, 0, tzinfo=VN_TZ)
    requests = iter([parse_intake(factory.intake(base + timedelta(seconds=i))) for i in range(200)])
    intake = ms(lambda: desk.intake(next(requests), "bench"), 200)
    now = datetime(2026, 11, 20, 10, 0, tzinfo=VN_TZ)
    pages: dict[str, float] = {}
    for name, (flt, sort) in {
        "all, newest first": (DossierFilter(), "received_at"),
        "status=processing, by due": (DossierFilter(statuses=(4,)), "due_at"),
        "overdue now": (DossierFilter(overdue_at=now), "due_at"),
        "text 'nguyen van'": (DossierFilter(text="nguyen van"), "received_at"),
    }.items():
        pages[name] = p95(ms(lambda flt=flt, sort=sort: list_dossiers(conn, flt, sort=sort, limit=50), 30))
    started = time.perf_counter()
    conn.execute("SELECT count(*), sum(length(payload)) FROM events").fetchone()
    scan_s = time.perf_counter() - started
    started = time.perf_counter()
    check = conn.execute("PRAGMA integrity_check").fetchone()[0]
    check_s = time.perf_counter() - started
    conn.close()
    figures = {"store": label, "dossiers": count, "bytes": path.stat().st_size, "open_ms": round(open_ms, 1),
               "intake_median_ms": round(statistics.median(intake), 2), "intake_p95_ms": round(p95(intake), 2),
               "first_page_p95_ms": {k: round(v, 2) for k, v in pages.items()},
               "full_scan_events_s": round(scan_s, 2), "integrity_check_s": round(check_s, 1),
               "integrity": check}
    print(json.dumps(figures, ensure_ascii=False), flush=True)
    return figures


def child(path: Path, seed: int, count: int) -> None:
    """Intake ``count`` dossiers, printing each id once its transaction committed."""
    use_sqlcipher(KEY)
    conn = db.connect(path)
    desk = Desk(conn, path.parent)
    factory = SampleFactory(seed=seed)
    base = datetime(2026, 11, 24, 8, 0, tzinfo=VN_TZ)
    for i in range(count):
        outcome = desk.intake(parse_intake(factory.intake(base + timedelta(seconds=i))), "bench")
        print(outcome.record.id, flush=True)


def crash_safety(path: Path, rounds: int) -> dict[str, Any]:
    rng = random.Random(3)
    acknowledged: list[str] = []
    for number in range(rounds):
        out = path.parent / "acks.txt"
        with out.open("w") as handle:
            proc = subprocess.Popen([sys.executable, __file__, "--child", str(path), "--seed", str(100 + number)],
                                    stdout=handle)
            while out.stat().st_size == 0 and proc.poll() is None:
                time.sleep(0.01)
            time.sleep(rng.uniform(0.0, 0.5))
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        acknowledged += out.read_text().split()
    conn = db.connect(path)
    present = {row[0] for row in conn.execute("SELECT id FROM dossiers")}
    check = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    lost = [i for i in acknowledged if i not in present]
    figures = {"kills": rounds, "acknowledged": len(acknowledged), "lost": len(lost), "integrity": check}
    print(json.dumps({"crash_safety_sqlcipher": figures}), flush=True)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a plain store to compare (e.g. the 100,000-dossier bench store)")
    parser.add_argument("--kills", type=int, default=15)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.seed, 100_000)
        return 0
    work = Path(tempfile.mkdtemp(prefix="motcua-sqlcipher-"))
    plain, encrypted = work / "plain" / "motcua.sqlite3", work / "enc" / "motcua.sqlite3"
    plain.parent.mkdir()
    encrypted.parent.mkdir()
    source = sqlite3.connect(f"{args.store.resolve().as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(plain)
    source.backup(target)
    target.execute("PRAGMA journal_mode = WAL")
    target.close()
    source.close()
    started = time.perf_counter()
    exporter = sqlcipher3.connect(str(plain))
    exporter.execute(f"ATTACH DATABASE '{encrypted}' AS enc KEY '{KEY}'")
    exporter.execute("SELECT sqlcipher_export('enc')")
    exporter.execute(f"PRAGMA enc.user_version = {exporter.execute('PRAGMA user_version').fetchone()[0]}")
    exporter.execute("DETACH DATABASE enc")
    exporter.close()
    print(json.dumps({"sqlcipher_export_s": round(time.perf_counter() - started, 1),
                      "cipher_version": sqlcipher3.connect(":memory:").execute("PRAGMA cipher_version").fetchone()[0]}),
          flush=True)
    for repeat in range(2):   # alternate, so the machine's load falls on both
        measure(plain, f"plain SQLite (run {repeat + 1})")
        use_sqlcipher(KEY)
        measure(encrypted, f"SQLCipher (run {repeat + 1})")
        db.sqlite3 = sqlite3  # type: ignore[assignment]
    use_sqlcipher(KEY)
    crash_safety(encrypted, args.kills)
    wrong = sqlcipher3.connect(str(encrypted))
    wrong.execute("PRAGMA key = 'not-the-key'")
    try:
        wrong.execute("SELECT count(*) FROM sqlite_master").fetchone()
        print("wrong key: opened (unexpected)")
    except sqlcipher3.DatabaseError as exc:
        print(json.dumps({"wrong_key": str(exc)}))
    with open(encrypted, "rb") as handle:
        print(json.dumps({"plain_header_in_encrypted_file": handle.read(16) == b"SQLite format 3\x00"}))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
