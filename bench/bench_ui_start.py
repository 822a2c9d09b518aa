"""Cold start of the desktop app to the main window shown, on a 100,000-dossier store.

Compared with a bare PySide6 window started the same way in the same run (a fresh Python process
each time, same platform plugin), so the figure is a ratio as well as seconds. Also reports the peak
RSS of the app process at start and after opening the full dossier list and scrolling to its end.

    python bench/bench_ui_start.py [--count 100000] [--runs 5] [--store DIR]

Runs under Xvfb (the real xcb platform) when Xvfb is installed, else the offscreen platform.

``--old-pc`` runs every child as an old commune PC would: pinned to one core (``taskset -c 0``) and held to
a quarter of it, by the first of these that works here (the output says which): ``systemd-run --user --scope
-p CPUQuota=25%`` (or the system manager's), a cgroup of our own with ``cpu.max = 25000 100000`` (cgroup v2) or
``cpu.cfs_quota_us = 25000`` per ``cpu.cfs_period_us = 100000`` (cgroup v1), and as a last resort the bench
throttles the child itself: it lets it run 25 ms in every 100 ms (SIGSTOP/SIGCONT), which is what a CPU quota
of 25 % does with the kernel's 100 ms period. Targets there: ≤ 3 s.
The store is generated once with ``bulk_store.py`` and reused (``--store``, default
/tmp/motcua-bench-<count>). Targets: ratio ≤ 2×, ≤ 1.5 s, peak RSS ≤ 300 MB. Timings are printed,
never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent

# Both children wait for their window by sleeping in the event loop, not by spinning on processEvents():
# PySide6 6.12.0 takes a reference to None from Python at every void call, and a bare process (without
# motcua.ui.qtcompat's reserve) spinning a few thousand times on a busy machine aborted at exit.
BARE = r"""
import time, sys, resource
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("Một Cửa Xã"))
window.resize(1366, 768)
window.showMaximized()
while window.windowHandle() is None or not window.windowHandle().isExposed():
    app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)  # no spinning: see the note on BARE
app.processEvents()
print("SHOWN", time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, time.process_time(),
      flush=True)
"""

APP = r"""
import time, sys, resource
sys.path.insert(0, {desktop!r})
from pathlib import Path
from PySide6.QtCore import QEventLoop
from motcua.ui.app import Session, make_application
from motcua.paths import store_file
from motcua.store.db import open_store
from motcua.services import accounts as auth
app = make_application(sys.argv[:1])
directory = Path({data_dir!r})
session = Session(directory, open_store(store_file(directory)))
user = auth.get_user(session.reader, "lanhdao01")
session.open_window(user)           # what main() does after a successful sign-in
window = session.window
while window.windowHandle() is None or not window.windowHandle().isExposed():
    app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)  # no spinning: see the note on BARE
app.processEvents()
print("SHOWN", time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, time.process_time(),
      flush=True)
while window.pages["today"].widget is None:   # the board fills in on the next turn of the event loop
    app.processEvents()
board = window.page_widget("today")
board.view.viewport().repaint()
app.processEvents()
print("READY", time.perf_counter(), flush=True)
counts = dict(board.counts)
page = window.show_page("dossiers")  # the full list: 100,000 ids, rows fetched page by page
app.processEvents()
started = time.perf_counter()
view = page.view
for fraction in range(0, 101, 5):
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum() * fraction // 100)
    app.processEvents()
scrolled = time.perf_counter() - started
print("LIST", page.model.rowCount(), page.model.cached_row_count(), page.model.pages_fetched, scrolled,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
print("COUNTS", counts, flush=True)
session.close()
"""


def copy_store(source: Path, directory: Path) -> None:
    """Copy another benchmark's store (e.g. bench/out/store-100000.sqlite3 from generate_store.py)."""
    from motcua.paths import store_file

    target = store_file(directory)
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    print(f"copying {source} → {target} …", flush=True)
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    src.backup(dst)
    dst.close()
    src.close()


def ensure_store(directory: Path, count: int, source: Path | None = None) -> Path:
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(REPO / "desktop"))
    from bulk_store import generate
    from motcua.paths import store_file
    from motcua.services import accounts as auth
    from motcua.store.db import open_store, transaction

    path = store_file(directory)
    if source is not None:
        if not path.exists():
            copy_store(source, directory)
        _ensure_user(path)  # also brings the copy's schema up to date, outside the timed runs
        return directory
    if path.exists():
        conn = sqlite3.connect(path)
        have = conn.execute("SELECT count(*) FROM dossiers").fetchone()[0]
        conn.close()
        if have == count:
            _ensure_user(path)
            return directory
        shutil.rmtree(directory)
    print(f"generating {count:,} dossiers in {directory} …", flush=True)
    started = time.perf_counter()
    conn = open_store(path)
    generate(conn, count)
    conn.execute("ANALYZE")
    with transaction(conn):
        auth.create_user(conn, "lanhdao01", "Lê Minh Quân", "leader", "matkhau-2026")
    conn.close()
    print(f"  done in {time.perf_counter() - started:.1f} s", flush=True)
    return directory


def _count(directory: Path, table: str) -> int:
    from motcua.paths import store_file

    conn = sqlite3.connect(store_file(directory))
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def _ensure_user(path: Path) -> None:
    from motcua.services import accounts as auth
    from motcua.store.db import open_store, transaction

    conn = open_store(path)
    if auth.get_user(conn, "lanhdao01") is None:
        with transaction(conn):
            auth.create_user(conn, "lanhdao01", "Lê Minh Quân", "leader", "matkhau-2026")
    conn.close()


def start_xvfb() -> subprocess.Popen[bytes] | None:
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        return None
    display = ":98"
    proc = subprocess.Popen([xvfb, display, "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(50):
        if Path(f"/tmp/.X11-unix/X{display[1:]}").exists():
            os.environ["DISPLAY"] = display
            return proc
        time.sleep(0.1)
    proc.terminate()
    return None


QUOTA_PERIOD_S = 0.1


class Quota:
    """One core at a share of it, for every child of this run; ``how`` says by which means."""

    def __init__(self, share: float):
        self.share = share
        self.prefix: list[str] = []
        self.cgroup: Path | None = None
        self.throttle_by_hand = False
        self.how = ""
        quota_us = int(QUOTA_PERIOD_S * 1_000_000 * share)
        for manager in (["systemd-run", "--user"], ["systemd-run"]):
            if shutil.which("systemd-run") and subprocess.run([*manager, "--scope", "--quiet", "true"],
                                                             capture_output=True).returncode == 0:
                self.prefix = [*manager, "--scope", "--quiet", "-p", f"CPUQuota={int(share * 100)}%"]
                self.how = f"{' '.join(manager)} --scope -p CPUQuota={int(share * 100)}%"
                break
        else:
            self.cgroup = _make_cgroup(quota_us, int(QUOTA_PERIOD_S * 1_000_000))
            if self.cgroup is not None:
                self.how = f"cgroup {self.cgroup} ({_cgroup_limit_text(self.cgroup)})"
            else:
                self.throttle_by_hand = True
                self.how = f"SIGSTOP/SIGCONT duty cycle: {int(share * 100)} ms run per 100 ms"
        if shutil.which("taskset"):
            self.how = "taskset -c 0 + " + self.how

    def command(self, command: list[str]) -> list[str]:
        pinned = ["taskset", "-c", "0", *command] if shutil.which("taskset") else command
        if self.cgroup is not None:  # the child joins the cgroup before it becomes Python
            return ["sh", "-c", 'echo $$ > "$0/cgroup.procs" && exec "$@"', str(self.cgroup), *pinned]
        return [*self.prefix, *pinned]

    def close(self) -> None:
        if self.cgroup is not None:
            for _ in range(50):  # the last child may take a moment to leave
                try:
                    self.cgroup.rmdir()
                    return
                except OSError:
                    time.sleep(0.1)


def _own_cgroup(v1_controller: str | None) -> str:
    """This process's cgroup: the v2 line (``0::/path``) or the line of a v1 controller."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        number, controllers, path = line.split(":", 2)
        if (v1_controller is None and number == "0") or v1_controller in controllers.split(","):
            return path
    return "/"


def _cgroup_mounts() -> list[tuple[Path, dict[str, str]]]:
    """Where a child cgroup with a CPU limit could go: (parent folder, limit files), v2 first."""
    found: list[tuple[Path, dict[str, str]]] = []
    for line in Path("/proc/mounts").read_text().splitlines():
        _, mountpoint, kind, options = line.split()[:4]
        if kind == "cgroup2":
            parent = Path(mountpoint) / _own_cgroup(None).lstrip("/")
            control = parent / "cgroup.subtree_control"  # the cpu controller must be on for our children
            if control.exists() and "cpu" in control.read_text().split():
                found.insert(0, (parent, {"cpu.max": "{quota} {period}"}))
        elif kind == "cgroup" and "cpu" in options.split(","):
            parent = Path(mountpoint) / _own_cgroup("cpu").lstrip("/")
            if (parent / "cpu.cfs_quota_us").exists():
                found.append((parent, {"cpu.cfs_period_us": "{period}", "cpu.cfs_quota_us": "{quota}"}))
    return found


def _make_cgroup(quota_us: int, period_us: int) -> Path | None:
    """A cgroup of our own under this process's, limited to quota_us per period_us; None if we may not."""
    name = f"motcua-bench-{os.getpid()}"
    for parent, limits in _cgroup_mounts():
        group = parent / name
        try:
            group.mkdir()
        except OSError:
            continue
        try:
            for key, value in limits.items():
                (group / key).write_text(value.format(quota=quota_us, period=period_us))
            return group
        except OSError:
            group.rmdir()
    return None


def _cgroup_limit_text(group: Path) -> str:
    if (group / "cpu.max").exists():
        return "cpu.max " + (group / "cpu.max").read_text().strip()
    return (f"cpu.cfs_quota_us {(group / 'cpu.cfs_quota_us').read_text().strip()} per "
            f"cpu.cfs_period_us {(group / 'cpu.cfs_period_us').read_text().strip()}")


def throttle(proc: subprocess.Popen[str], share: float) -> threading.Thread:
    """Let ``proc`` run ``share`` of every 100 ms and stop it for the rest, until it exits."""
    def loop() -> None:
        while proc.poll() is None:
            time.sleep(QUOTA_PERIOD_S * share)
            try:
                os.kill(proc.pid, signal.SIGSTOP)
                time.sleep(QUOTA_PERIOD_S * (1 - share))
                os.kill(proc.pid, signal.SIGCONT)
            except ProcessLookupError:
                return

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    return thread


def run_child(code: str, env: dict[str, str], old_pc: Quota | None = None) -> tuple[float, dict[str, list[str]]]:
    """Wall time from launching a fresh interpreter to its window being exposed, and its report lines."""
    command = [sys.executable, "-c", code]
    if old_pc is not None:
        command = old_pc.command(command)
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    if old_pc is not None and old_pc.throttle_by_hand:
        throttle(proc, old_pc.share)
    lines: dict[str, list[str]] = {}
    shown_at = None
    ready_at = None
    assert proc.stdout is not None
    for line in proc.stdout:
        tag, _, rest = line.strip().partition(" ")
        lines[tag] = rest.split(" ", 4) if tag != "COUNTS" else [rest]
        if tag == "SHOWN":
            shown_at = time.perf_counter()
        if tag == "READY":
            ready_at = time.perf_counter()
    _, stderr = proc.communicate()
    if proc.returncode != 0 or shown_at is None:
        raise SystemExit(f"child failed ({proc.returncode}):\n{stderr}")
    if ready_at is not None:
        lines["READY_S"] = [str(ready_at - started)]
    return shown_at - started, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--store", type=Path, help="data folder to use (default /tmp/motcua-bench-<count>)")
    parser.add_argument("--from-store", type=Path, help="copy this store file first (default: bench/out/"
                        "store-<count>.sqlite3 from generate_store.py when it exists)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--old-pc", action="store_true", help="one core, a quarter of it (see above)")
    args = parser.parse_args(argv)
    source = args.from_store
    lead_store = HERE / "out" / f"store-{args.count}.sqlite3"
    if source is None and lead_store.exists():
        source = lead_store
    default_dir = Path(f"/tmp/motcua-bench-{args.count}" + ("-copy" if source else ""))
    directory = ensure_store(args.store or default_dir, args.count, source)
    events = _count(directory, "events")
    xvfb = start_xvfb()
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "xcb" if xvfb else "offscreen"
    env.pop("PYTHONPATH", None)
    # An installed app runs from bytecode (pip compiles on install, PyInstaller bundles .pyc): let the
    # warm-up run write it, as a first launch after installation would.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    app_code = APP.format(desktop=str(REPO / "desktop"), data_dir=str(directory))
    quota = Quota(0.25) if args.old_pc else None
    if quota is not None:
        print(f"old PC: {quota.how}", flush=True)
    bare_times: list[float] = []
    app_times: list[float] = []
    reports = []
    bare_reports = []
    try:
        run_child(BARE, env, quota)  # warm the file cache for both: "cold" means a cold process, not a cold disk
        run_child(app_code, env, quota)
        for _ in range(args.runs):
            elapsed, lines = run_child(BARE, env, quota)
            bare_times.append(elapsed)
            bare_reports.append(lines)
            elapsed, lines = run_child(app_code, env, quota)
            app_times.append(elapsed)
            reports.append(lines)
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait()
        if quota is not None:
            quota.close()
    bare, app = statistics.median(bare_times), statistics.median(app_times)
    # CPU seconds the process used until its window was exposed: barely affected by other load.
    bare_cpu = statistics.median(float(r["SHOWN"][2]) for r in bare_reports)
    app_cpu = statistics.median(float(r["SHOWN"][2]) for r in reports)
    # Each pair ran back to back, so the per-pair ratio is the least disturbed by other load on the machine.
    pair_ratio = statistics.median(a / b for a, b in zip(app_times, bare_times, strict=True))
    last = reports[-1]
    rows, cached, pages, scroll_s, _rss = last["LIST"]
    ready = statistics.median(float(r["READY_S"][0]) for r in reports)
    rss_shown_mb = max(int(r["SHOWN"][1]) for r in reports) / 1024
    rss_list_mb = max(int(r["LIST"][4]) for r in reports) / 1024
    result = {
        "platform": env["QT_QPA_PLATFORM"], "old_pc": quota.how if quota is not None else False,
        "dossiers": args.count, "events": events,
        "runs": args.runs,
        "bare_window_s": round(bare, 3), "app_main_window_s": round(app, 3), "ratio": round(app / bare, 2),
        "ratio_of_pairs": round(pair_ratio, 2), "bare_best_s": round(min(bare_times), 3),
        "app_best_s": round(min(app_times), 3),
        "app_board_ready_s": round(ready, 3),
        "bare_cpu_s": round(bare_cpu, 3), "app_cpu_s": round(app_cpu, 3), "cpu_ratio": round(app_cpu / bare_cpu, 2),
        "peak_rss_at_start_mb": round(rss_shown_mb, 1), "peak_rss_after_full_list_mb": round(rss_list_mb, 1),
        "list_rows": int(rows), "rows_cached_after_scrolling": int(cached), "pages_fetched": int(pages),
        "scroll_to_end_s": round(float(scroll_s), 3), "today_counts": last["COUNTS"][0],
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(f"platform {result['platform']}, {args.count:,} dossiers / {events:,} events, "
              f"median of {args.runs} cold starts")
        print(f"  bare PySide6 window shown      {bare:6.3f} s   (all: {', '.join(f'{t:.3f}' for t in bare_times)})")
        print(f"  Một Cửa Xã main window shown   {app:6.3f} s   (all: {', '.join(f'{t:.3f}' for t in app_times)})")
        print(f"  ratio of medians               {app / bare:6.2f} ×   (target ≤ 2×, ≤ 1.5 s)")
        print(f"  median of back-to-back pairs   {pair_ratio:6.2f} ×;  best runs {min(app_times):.3f} / "
              f"{min(bare_times):.3f} s = {min(app_times) / min(bare_times):.2f} ×")
        print(f"  CPU time to window shown       {app_cpu:.3f} s vs {bare_cpu:.3f} s = {app_cpu / bare_cpu:.2f} ×"
              "   (independent of other load)")
        print(f"  … Today board filled (counts + first rows) {ready:.3f} s")
        print(f"  peak RSS at main window        {rss_shown_mb:6.1f} MB  (target ≤ 300 MB)")
        print(f"  peak RSS after Hồ sơ list opened and scrolled to the end: {rss_list_mb:.1f} MB;"
              f" {int(rows):,} rows, {int(cached)} cached, {int(pages)} pages fetched, {float(scroll_s):.3f} s")
        print(f"  Today board counts: {result['today_counts']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
