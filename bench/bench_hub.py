"""Benchmark: N simulated communes push to one hub at once (loopback only).

Starts a real `motcua-hub serve` process on 127.0.0.1 (SQLite in a temp folder, or a throwaway
PostgreSQL cluster with --postgres), enrolls one device per commune, then releases N client threads
together; each pushes its batches in order. Reports events per second, request latency (p50/p95/max)
and checks that every event was stored exactly once.

    python bench/bench_hub.py                       # 500 communes, SQLite
    python bench/bench_hub.py --postgres --workers 2
    python bench/bench_hub.py --communes 50 --batches 1 --batch-size 20   # quick look

Results go to stdout and bench/out/bench_hub-<backend>.json. Timings are never asserted by tests.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "desktop"), str(ROOT)]

import httpx  # noqa: E402
from tests.hub.hubkit import (  # noqa: E402
    DeviceClient,
    HubProcess,
    check_hub_invariants,
    enroll,
    follow_up,
    postgres_bin,
    postgres_cluster,
    received_event,
)


def tree_cpu_seconds(root: int) -> float:
    """User + system CPU seconds of a process and its descendants (Linux /proc), so a figure can be read
    independently of what else the machine is doing."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += times.get(pid, 0.0)
        todo += [child for child, parent in parents.items() if parent == pid]
    return total


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@contextlib.contextmanager
def database(args: argparse.Namespace, folder: Path) -> Iterator[str]:
    if not args.postgres:
        yield f"sqlite:///{folder / 'hub.sqlite3'}"
        return
    if postgres_bin() is None:
        sys.exit("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin")
    with postgres_cluster() as cluster:
        yield cluster.new_database()


def plan(device: DeviceClient, batches: int, batch_size: int) -> list[list[dict[str, Any]]]:
    wires: list[dict[str, Any]] = []
    while len(wires) < batches * batch_size:
        created = received_event(device.device_id)
        wires += [device.wire(created), device.wire(follow_up(device.device_id, created.dossier_id))]
    wires = wires[:batches * batch_size]
    return [wires[i:i + batch_size] for i in range(0, len(wires), batch_size)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--communes", type=int, default=500)
    parser.add_argument("--batches", type=int, default=2, help="push requests per commune")
    parser.add_argument("--batch-size", type=int, default=100, help="events per push request")
    parser.add_argument("--postgres", action="store_true", help="throwaway PostgreSQL cluster instead of SQLite")
    parser.add_argument("--workers", type=int, default=1, help="hub worker processes")
    parser.add_argument("--timeout", type=float, default=600, help="give up after this many seconds")
    args = parser.parse_args()
    backend = "postgresql" if args.postgres else "sqlite"

    with tempfile.TemporaryDirectory(prefix="motcua-bench-") as tmp, database(args, Path(tmp)) as url:
        hub = HubProcess(Path(tmp) / "hub", url)
        if args.workers == 1:
            hub.start()
        else:
            _start_workers(hub, args.workers)
        try:
            started = time.perf_counter()
            with ThreadPoolExecutor(8) as pool:
                devices = list(pool.map(lambda i: enroll(hub, f"X{i:04d}", "máy 1", http=False),
                                        range(args.communes)))
            print(f"enrolled {len(devices)} communes in {time.perf_counter() - started:.1f} s", flush=True)
            plans = {d.device_id: plan(d, args.batches, args.batch_size) for d in devices}
            # Bodies are encoded before the start so the clients measure the hub, not their own JSON work.
            bodies = {d.device_id: [json.dumps(d.push_body(b)).encode() for b in plans[d.device_id]]
                      for d in devices}
            latencies: list[float] = []
            errors: list[str] = []
            gate = threading.Barrier(len(devices) + 1)
            deadline = time.monotonic() + args.timeout

            def run(device: DeviceClient) -> None:
                # One keep-alive connection per commune (http.client: light enough for 500 threads).
                conn = http.client.HTTPConnection("127.0.0.1", hub.port, timeout=args.timeout)
                headers = {"Authorization": f"Bearer {device.token}", "Content-Type": "application/json"}
                gate.wait()
                for body in bodies[device.device_id]:
                    while time.monotonic() < deadline:
                        began = time.perf_counter()
                        try:
                            conn.request("POST", "/api/v1/push", body=body, headers=headers)
                            answer = json.loads(conn.getresponse().read())
                        except (OSError, http.client.HTTPException, ValueError) as exc:
                            errors.append(type(exc).__name__)
                            conn.close()
                            continue
                        if answer.get("ack") == "push":
                            latencies.append(time.perf_counter() - began)
                            break
                        errors.append(str(answer.get("error")))
                conn.close()

            threads = [threading.Thread(target=run, args=(d,)) for d in devices]
            for thread in threads:
                thread.start()
            load_before = round(os.getloadavg()[0], 1)
            assert hub.proc is not None
            cpu_before = tree_cpu_seconds(hub.proc.pid)
            gate.wait()
            began = time.perf_counter()
            for thread in threads:
                thread.join()
            wall = time.perf_counter() - began
            hub_cpu = tree_cpu_seconds(hub.proc.pid) - cpu_before
            events = sum(len(b) for p in plans.values() for b in p)
            counts = check_hub_invariants(url, hub.data_dir)
            result = {
                "backend": backend, "hub_workers": args.workers, "communes": args.communes,
                "requests": len(latencies), "events": events, "stored": counts["events"], "errors": len(errors),
                "wall_s": round(wall, 2), "events_per_s": round(events / wall, 1),
                "latency_p50_ms": round(1000 * statistics.median(latencies), 1),
                "latency_p95_ms": round(1000 * percentile(latencies, 0.95), 1),
                "latency_max_ms": round(1000 * max(latencies), 1),
                "hub_cpu_s": round(hub_cpu, 1), "events_per_hub_cpu_s": round(events / hub_cpu, 1) if hub_cpu else None,
                "cpus": os.cpu_count(), "load_avg_before": load_before,
            }
        finally:
            hub.stop()
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / f"bench_hub-{backend}-w{args.workers}.json").write_text(json.dumps(result, indent=2))
    return 0 if result["stored"] == result["events"] else 1


def _start_workers(hub: HubProcess, workers: int) -> None:
    import subprocess

    from tests.hub.hubkit import ADMIN_TOKEN, subprocess_env

    hub.data_dir.mkdir(parents=True, exist_ok=True)
    log = hub.log.open("ab")
    hub.proc = subprocess.Popen(
        [sys.executable, "-m", "motcua.hub.cli", "--data-dir", str(hub.data_dir), "--database-url",
         hub.database_url, "serve", "--port", str(hub.port), "--workers", str(workers)],
        env=subprocess_env(MOTCUA_HUB_ADMIN_TOKEN=ADMIN_TOKEN), stdout=log, stderr=subprocess.STDOUT)
    for _ in range(300):
        try:
            if httpx.get(f"{hub.url}/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(hub.log.read_text()[-3000:])


if __name__ == "__main__":
    sys.exit(main())
