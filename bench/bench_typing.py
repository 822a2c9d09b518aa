"""Typing in the intake wizard's procedure search: from the last key to the result list updated on screen.

    python bench/bench_typing.py [--old-pc] [--runs 3] [--json]

A fresh app process (the real main window, Xvfb's xcb platform when Xvfb is installed, else offscreen) signs
in a receiving officer, opens «Tiếp nhận hồ sơ mới» and types each query below into the procedure search,
one key at a time at a person's pace (90–220 ms between keys, seeded), the event loop running between keys
as it would. For each query it measures, from the moment the last key was delivered, until the results
model was reset for the typed text *and* the list's viewport painted after that: the latency the officer
sees. It also reports the longest single turn of the event loop while typing (how long the window could not
answer a key).

The store: the shipped catalog widened to 2,000 procedures and 100,000 dossiers (``gen_search_data.py``),
generated once into /tmp/motcua-bench-typing. ``--old-pc``: one core at a quarter of it, throttled as in
``bench_ui_start.py`` (the output says how). Target: ≤ 100 ms from the last key, on the old PC too.
Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from bench_ui_start import Quota, start_xvfb, throttle  # noqa: E402

QUERIES = ["khai sinh", "ket hon", "chung thuc ban sao", "xac nhan tinh trang hon nhan", "giay phep xay dung",
           "ho kinh doanh", "trich luc", "tro cap xa hoi"]
USER = "tiepnhan01"

CHILD = r"""
import json, random, sys, time
sys.path.insert(0, {desktop!r})
from pathlib import Path
from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt
from PySide6.QtTest import QTest
from motcua.ui.app import Session, make_application
from motcua.paths import store_file
from motcua.store.db import open_store
from motcua.services import accounts as auth

app = make_application(sys.argv[:1])
directory = Path({data_dir!r})
session = Session(directory, open_store(store_file(directory)))
session.open_window(auth.get_user(session.reader, {user!r}))
window = session.window
while window.windowHandle() is None or not window.windowHandle().isExposed():
    app.processEvents()
while window.pages["today"].widget is None:
    app.processEvents()
wizard = window.open_intake()
search = wizard.procedure_step.search
results = search.results
box = search.box
box.setFocus()

resets = []
paints = []
search.model.modelReset.connect(lambda: resets.append((time.perf_counter(), box.text())))


class Paints(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            paints.append(time.perf_counter())
        return False


spy = Paints()
results.viewport().installEventFilter(spy)
worst_turn = 0.0


def pump(seconds):
    global worst_turn
    until = time.perf_counter() + seconds
    while True:
        started = time.perf_counter()
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        worst_turn = max(worst_turn, time.perf_counter() - started)
        if started >= until:
            return
        time.sleep(0.002)


pump(1.0)  # the wizard settled: its full list shown
rng = random.Random(12)
out = []
for query in {queries!r}:
    box.clear()
    pump(0.6)
    resets.clear()
    paints.clear()
    worst_turn = 0.0
    for number, char in enumerate(query):
        started = time.perf_counter()
        QTest.keyClick(box, char)
        worst_turn = max(worst_turn, time.perf_counter() - started)
        last_key = time.perf_counter()
        if number < len(query) - 1:
            pump(rng.uniform(0.09, 0.22))
    deadline = last_key + 5
    shown = None
    while shown is None and time.perf_counter() < deadline:
        pump(0.001)
        done = [t for t, text in resets if t >= last_key - 1 and text == query]
        if done:
            after = [p for p in paints if p >= done[-1]]
            shown = after[0] if after else None
    out.append({{"query": query, "latency_ms": None if shown is None else round((shown - last_key) * 1000, 1),
                 "searches": len(resets), "worst_turn_ms": round(worst_turn * 1000, 1),
                 "rows": search.model.rowCount()}})
print("RESULT " + json.dumps(out), flush=True)
session.close()
"""


def ensure_store(directory: Path) -> Path:
    sys.path.insert(0, str(REPO / "desktop"))
    from gen_search_data import generate
    from motcua.paths import store_file
    from motcua.services import accounts as auth
    from motcua.store.db import open_store, transaction

    path = store_file(directory)
    if not path.exists():
        print(f"generating 2,000 procedures and 100,000 dossiers in {directory} …", flush=True)
        generate(path, 2000, 100_000)
    conn = open_store(path)
    if auth.get_user(conn, USER) is None:
        with transaction(conn):
            auth.create_user(conn, USER, "Vũ Văn Nam", "receiver", "matkhau-2026")
    conn.close()
    return directory


def run_once(code: str, env: dict[str, str], quota: Quota | None) -> list[dict[str, object]]:
    command = [sys.executable, "-c", code]
    if quota is not None:
        command = quota.command(command)
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    if quota is not None and quota.throttle_by_hand:
        throttle(proc, quota.share)
    stdout, stderr = proc.communicate()
    for line in stdout.splitlines():
        if line.startswith("RESULT "):
            return list(json.loads(line[len("RESULT "):]))
    raise SystemExit(f"child failed ({proc.returncode}):\n{stderr}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh app processes, each typing every query")
    parser.add_argument("--store", type=Path, default=Path("/tmp/motcua-bench-typing"))
    parser.add_argument("--old-pc", action="store_true", help="one core, a quarter of it")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    directory = ensure_store(args.store)
    xvfb = start_xvfb()
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "xcb" if xvfb else "offscreen"
    env.pop("PYTHONPATH", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    code = CHILD.format(desktop=str(REPO / "desktop"), data_dir=str(directory), user=USER, queries=QUERIES)
    quota = Quota(0.25) if args.old_pc else None
    if quota is not None:
        print(f"old PC: {quota.how}", flush=True)
    rows: list[dict[str, object]] = []
    try:
        for _ in range(args.runs):
            rows += run_once(code, env, quota)
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait()
        if quota is not None:
            quota.close()
    latencies = [float(r["latency_ms"]) for r in rows if r["latency_ms"] is not None]  # type: ignore[arg-type]
    turns = [float(r["worst_turn_ms"]) for r in rows]  # type: ignore[arg-type]
    result = {
        "platform": env["QT_QPA_PLATFORM"], "old_pc": quota.how if quota is not None else False,
        "queries": len(rows), "missed": len(rows) - len(latencies),
        "latency_median_ms": round(statistics.median(latencies), 1),
        "latency_p95_ms": round(percentile(latencies, 0.95), 1), "latency_max_ms": round(max(latencies), 1),
        "worst_event_loop_turn_ms": round(max(turns), 1),
        "per_query": rows,
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(f"platform {result['platform']}, {len(rows)} typed queries ({args.runs} app starts × {len(QUERIES)})")
    for row in rows[:len(QUERIES)]:
        print(f"  {row['query']!s:32} {row['latency_ms']!s:>7} ms  {row['rows']!s:>3} results, "
              f"{row['searches']} searches, longest turn {row['worst_turn_ms']} ms")
    print(f"  last key → results on screen: median {result['latency_median_ms']} ms, p95 "
          f"{result['latency_p95_ms']} ms, max {result['latency_max_ms']} ms   (target ≤ 100 ms)")
    print(f"  longest event-loop turn while typing: {result['worst_event_loop_turn_ms']} ms;"
          f" queries without an answer in 5 s: {result['missed']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
