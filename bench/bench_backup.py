"""Sealed (encrypted) backup against a plain one, at the reference scale (100,000 dossiers).

    python bench/bench_backup.py [--store PATH] [--repeat 5]

Both run the real ``store.backup.backup`` on the same store, alternately, into the same folder. A plain backup
is SQLite's online backup into the target (fsynced). A sealed one, when no reader keeps the WAL (the usual
case), folds the WAL into the store, holds the write lock and seals the store file itself in one pass
(AES-256-GCM in 1 MiB chunks, fsynced); otherwise it stages SQLite's online backup first. Dirty pages are
flushed before each run. Prints medians and the ratio (target, issue #14: ≤ 1.10), and the restore time with
the passphrase.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "desktop"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generate_store import cached_store
from motcua.store import backup as backups
from motcua.store import backup_keys
from motcua.store.db import available_migrations, open_store

PASSPHRASE = "mật khẩu đo hiệu năng"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    source = args.store or cached_store(100_000)
    with tempfile.TemporaryDirectory(dir=source.parent) as work:
        folder = Path(work)
        store = folder / "motcua.sqlite3"
        shutil.copyfile(source, store)
        conn = open_store(store)
        backup_keys.set_passphrase(conn, PASSPHRASE)
        dossiers = conn.execute("SELECT count(*) FROM dossiers").fetchone()[0]
        plain: list[float] = []
        sealed: list[float] = []
        for index in range(args.repeat):
            for kind, samples in ((("plain", plain), ("sealed", sealed)) if index % 2 == 0
                                  else (("sealed", sealed), ("plain", plain))):
                target = folder / f"out-{kind}"
                os.sync()   # each run starts with no dirty pages left by the one before (they throttle writes)
                started = time.perf_counter()
                backups.backup(conn, folder, target, plain=kind == "plain")
                samples.append(time.perf_counter() - started)
                size = target.stat().st_size
                if index < args.repeat - 1:
                    target.unlink()
                print(f"  {kind:6} {samples[-1]:6.2f} s  {size / 1e6:7.1f} MB", flush=True)
        conn.close()
        started = time.perf_counter()
        backups.restore(folder / "restored" / "motcua.sqlite3", folder / "out-sealed",
                        available_migrations()[-1].version, passphrase=PASSPHRASE)
        restore_s = time.perf_counter() - started
    p, s = statistics.median(plain), statistics.median(sealed)
    print(f"{dossiers} dossiers: plain backup median {p:.2f} s, sealed {s:.2f} s, ratio {s / p:.3f} "
          f"(target ≤ 1.10); restore of the sealed backup with the passphrase {restore_s:.2f} s")


if __name__ == "__main__":
    main()
