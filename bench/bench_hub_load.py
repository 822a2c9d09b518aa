"""Benchmark: a province's communes syncing on a timer, open loop (issue 17), and the hub's memory under a
flood of unauthenticated pushes.

Starts a real `motcua-hub serve` (SQLite in a temp folder, or a throwaway PostgreSQL cluster with
--postgres, with --workers processes) on 127.0.0.1 and enrolls one desk per commune. Then, for each rate
step, sync rounds arrive at Poisson times on a clock of their own: a round is one push of a typical batch
(1–8 events: new dossiers and moves of the commune's earlier ones) followed by a pull from the desk's cursor.
The next round is sent when its time comes, whether or not earlier rounds were answered (open loop), and a
round's latency runs from its scheduled time, so a hub that falls behind shows it instead of slowing the
senders down (no coordinated omission).

The first step is the province's rate (500 communes each syncing every 5 minutes: 1.67 rounds/s); the
following steps raise the rate until p95 of a round passes 1 s. The knee is the highest rate whose rounds
all finished, with no error, within the step's time plus a short drain, and with p95 ≤ 1 s.

    python bench/bench_hub_load.py                              # SQLite, 1 worker
    python bench/bench_hub_load.py --postgres --workers 2
    python bench/bench_hub_load.py --step-seconds 120 --rates 20,40,60,80      # a longer look
    python bench/bench_hub_load.py --memory 200                 # hub RSS under 200 unauthenticated gzip pushes

Results go to stdout and bench/out/bench_hub_load-<backend>-w<workers>.json. Timings are never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import json
import os
import random
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "desktop"), str(ROOT)]

import httpx  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
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

from bench.bench_hub import percentile, tree_cpu_seconds  # noqa: E402

PROVINCE_COMMUNES = 500
ROUND_EVERY_S = 300
PROVINCE_RATE = PROVINCE_COMMUNES / ROUND_EVERY_S      # 1.67 sync rounds per second
KNEE_P95_S = 1.0
DEFAULT_RATES = "5,10,15,20,25,30,40,50,60,80,100"


# --- the data: typical sync rounds --------------------------------------------------------------------

@dataclass
class Desk:
    """One commune's desk: its enrolment, the dossiers it has opened, its pull cursor."""

    client: DeviceClient
    open_dossiers: list[str] = field(default_factory=list)
    cursor: int = 0


def typical_batch(desk: Desk, rng: random.Random) -> bytes:
    """The push body of one sync round: 1–8 events (mostly 2–3), a third of them new dossiers and the
    rest moves of dossiers the desk opened earlier; pre-encoded so the senders measure the hub."""
    count = min(8, 1 + _poisson(rng, 1.5))
    device = desk.client.device_id
    events = []
    for _ in range(count):
        if desk.open_dossiers and rng.random() < 0.66:
            dossier = desk.open_dossiers.pop(rng.randrange(len(desk.open_dossiers)))
            events.append(follow_up(device, dossier))
        else:
            event = received_event(device)
            desk.open_dossiers.append(event.dossier_id)
            events.append(event)
    return json.dumps(desk.client.push_body([desk.client.wire(e) for e in events])).encode()


def _poisson(rng: random.Random, mean: float) -> int:
    count, total = 0, rng.expovariate(1.0)
    while total < mean:
        count += 1
        total += rng.expovariate(1.0)
    return count


@dataclass
class Round:
    at: float          # seconds after the step's start
    desk: Desk
    body: bytes


def schedule(desks: list[Desk], rate: float, seconds: float, rng: random.Random) -> list[Round]:
    """Poisson arrivals at ``rate`` rounds/s for ``seconds``; communes take turns in a shuffled order, so
    each syncs every len(desks)/rate seconds on average, as the desks' timers do."""
    rounds: list[Round] = []
    order = list(desks)
    rng.shuffle(order)
    moment = rng.expovariate(rate)
    while moment < seconds:
        desk = order[len(rounds) % len(order)]
        rounds.append(Round(moment, desk, typical_batch(desk, rng)))
        moment += rng.expovariate(rate)
    return rounds


# --- the open-loop sender ------------------------------------------------------------------------------

@dataclass
class StepResult:
    rate: float
    rounds: int = 0
    answered: list[float] = field(default_factory=list)       # round latency from its scheduled time
    push: list[float] = field(default_factory=list)
    pull: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    late_start_s: float = 0.0                                 # worst lag of the sender behind its own clock
    finished_within_s: float = 0.0

    def summary(self, seconds: float, drain: float) -> dict[str, Any]:
        def ms(values: list[float], share: float) -> float | None:
            return round(1000 * percentile(values, share), 1) if values else None

        sustained = not self.errors and len(self.answered) == self.rounds and \
            self.finished_within_s <= seconds + drain
        return {
            "rate_rounds_per_s": round(self.rate, 2), "rounds": self.rounds, "answered": len(self.answered),
            "errors": len(self.errors), "error_kinds": sorted(set(self.errors))[:5],
            "round_p50_ms": ms(self.answered, 0.50), "round_p95_ms": ms(self.answered, 0.95),
            "round_p99_ms": ms(self.answered, 0.99),
            "push_p95_ms": ms(self.push, 0.95), "pull_p95_ms": ms(self.pull, 0.95),
            "sender_late_max_ms": round(1000 * self.late_start_s, 1),
            "finished_within_s": round(self.finished_within_s, 1), "sustained": sustained,
        }


async def run_step(base_url: str, rounds: list[Round], rate: float, timeout: float) -> StepResult:
    result = StepResult(rate, len(rounds))
    limits = httpx.Limits(max_connections=2000, max_keepalive_connections=500)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=timeout) as http:
        began = time.perf_counter()

        async def one(item: Round) -> None:
            headers = {"Authorization": f"Bearer {item.desk.client.token}"}
            due = began + item.at
            try:
                sent = time.perf_counter()
                answer = await http.post("/api/v1/push", content=item.body,
                                         headers={**headers, "Content-Type": "application/json"})
                result.push.append(time.perf_counter() - sent)
                if answer.status_code != 200:
                    result.errors.append(f"push {answer.status_code}")
                    return
                sent = time.perf_counter()
                answer = await http.get("/api/v1/pull", params={"cursor": item.desk.cursor, "limit": 500},
                                        headers=headers)
                result.pull.append(time.perf_counter() - sent)
                if answer.status_code != 200:
                    result.errors.append(f"pull {answer.status_code}")
                    return
                item.desk.cursor = max(item.desk.cursor, int(answer.json()["next_cursor"]))
                result.answered.append(time.perf_counter() - due)
            except httpx.HTTPError as exc:
                result.errors.append(type(exc).__name__)

        tasks = []
        for item in rounds:   # the clock decides when to send, never an answer
            delay = began + item.at - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            result.late_start_s = max(result.late_start_s, time.perf_counter() - began - item.at)
            tasks.append(asyncio.create_task(one(item)))
        await asyncio.gather(*tasks)
        result.finished_within_s = time.perf_counter() - began
    return result


# --- memory under unauthenticated pushes ---------------------------------------------------------------

def tree_rss_bytes(root: int) -> int:
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        rss[int(entry.name)] = int(fields[21]) * page
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += [child for child, parent in parents.items() if parent == pid]
    return total


async def flood(base_url: str, count: int) -> dict[str, int]:
    """``count`` concurrent pushes with a wrong token, each 32 KiB of gzip that inflates to 32 MiB."""
    bomb = gzip.compress(b"\0" * (32 * 1024 * 1024), compresslevel=9)
    statuses: dict[str, int] = {}
    limits = httpx.Limits(max_connections=count + 10)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=120) as http:
        async def one() -> None:
            try:
                answer = await http.post("/api/v1/push", content=bomb, headers={
                    "Authorization": "Bearer nope", "Content-Encoding": "gzip", "Content-Type": "application/json"})
                key = str(answer.status_code)
            except httpx.HTTPError as exc:
                key = type(exc).__name__
            statuses[key] = statuses.get(key, 0) + 1

        await asyncio.gather(*(one() for _ in range(count)))
    statuses["gzip_bytes_each"] = len(bomb)
    return statuses


def measure_memory(hub: HubProcess, count: int) -> dict[str, Any]:
    assert hub.proc is not None
    pid = hub.proc.pid
    baseline = tree_rss_bytes(pid)
    peak = [baseline]
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], tree_rss_bytes(pid))
            stop.wait(0.02)

    watcher = threading.Thread(target=watch)
    watcher.start()
    began = time.perf_counter()
    statuses = asyncio.run(flood(hub.url, count))
    wall = time.perf_counter() - began
    stop.set()
    watcher.join()
    return {"concurrent_unauthenticated_pushes": count, "answers": statuses, "wall_s": round(wall, 1),
            "hub_rss_before_mib": round(baseline / 2**20, 1), "hub_rss_peak_mib": round(peak[0] / 2**20, 1)}


# --- lock waits (PostgreSQL) ----------------------------------------------------------------------------

class LockWatch:
    """Samples, every 0.2 s, how many PostgreSQL sessions wait on a lock (the sign of pushes queueing
    behind one another); the most seen since the last ``take``."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine("postgresql+psycopg://" + url.removeprefix("postgresql://"))
        self.query = text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
        self.most = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        with self.engine.connect() as conn:
            while not self.stop.wait(0.2):
                self.most = max(self.most, int(conn.execute(self.query).scalar_one()))
                conn.rollback()

    def take(self) -> int:
        most, self.most = self.most, 0
        return most

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.engine.dispose()


# --- the run -------------------------------------------------------------------------------------------

@contextlib.contextmanager
def database(postgres: bool, folder: Path) -> Iterator[str]:
    if not postgres:
        yield f"sqlite:///{folder / 'hub.sqlite3'}"
        return
    if postgres_bin() is None:
        sys.exit("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin")
    with postgres_cluster() as cluster:
        yield cluster.new_database()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true", help="throwaway PostgreSQL cluster instead of SQLite")
    parser.add_argument("--workers", type=int, default=1, help="hub worker processes")
    parser.add_argument("--communes", type=int, default=PROVINCE_COMMUNES)
    parser.add_argument("--step-seconds", type=float, default=20, help="length of each rate step")
    parser.add_argument("--province-seconds", type=float, default=30, help="length of the province-rate step")
    parser.add_argument("--rates", default=DEFAULT_RATES, help="rounds/s of the steps after the province's rate")
    parser.add_argument("--drain", type=float, default=5, help="seconds a step may run over and still count")
    parser.add_argument("--timeout", type=float, default=60, help="per-request timeout (s)")
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument("--memory", type=int, default=0, metavar="N",
                        help="only measure hub RSS under N concurrent unauthenticated gzip pushes")
    args = parser.parse_args()
    backend = "postgresql" if args.postgres else "sqlite"
    rng = random.Random(args.seed)
    result: dict[str, Any] = {"backend": backend, "hub_workers": args.workers, "cpus": os.cpu_count(),
                              "load_avg_before": [round(x, 1) for x in os.getloadavg()]}

    with tempfile.TemporaryDirectory(prefix="motcua-load-") as tmp, database(args.postgres, Path(tmp)) as url:
        hub = HubProcess(Path(tmp) / "hub", url, workers=args.workers).start(timeout=60)
        try:
            if args.memory:
                result["memory"] = measure_memory(hub, args.memory)
                print(json.dumps(result, indent=2))
                return 0
            started = time.perf_counter()
            with ThreadPoolExecutor(4) as pool:
                desks = [Desk(c) for c in pool.map(lambda i: enroll(hub, f"X{i:04d}", "máy 1", http=False),
                                                   range(args.communes))]
            print(f"enrolled {len(desks)} communes in {time.perf_counter() - started:.1f} s", flush=True)
            assert hub.proc is not None
            cpu_before = tree_cpu_seconds(hub.proc.pid)
            steps: list[dict[str, Any]] = []
            locks = LockWatch(url) if args.postgres else None
            plan = [(PROVINCE_RATE * args.communes / PROVINCE_COMMUNES, args.province_seconds)] + \
                [(float(r), args.step_seconds) for r in args.rates.split(",") if r.strip()]
            for rate, seconds in plan:
                rounds = schedule(desks, rate, seconds, rng)
                load = round(os.getloadavg()[0], 1)
                cpu = tree_cpu_seconds(hub.proc.pid)
                step = asyncio.run(run_step(hub.url, rounds, rate, args.timeout)).summary(seconds, args.drain)
                # Hub CPU per round does not depend on how busy the machine is: with C cores free for the
                # hub, about C / that many rounds per second is its ceiling.
                used = tree_cpu_seconds(hub.proc.pid) - cpu
                step["hub_cpu_ms_per_round"] = round(1000 * used / max(1, len(rounds)), 1)
                step["load_avg_1min"] = load
                if locks is not None:
                    step["pg_sessions_waiting_on_a_lock_max"] = locks.take()
                steps.append(step)
                print(json.dumps(step), flush=True)
                if not step["sustained"] or (step["round_p95_ms"] or 0) > 1000 * KNEE_P95_S:
                    break
                time.sleep(2)
            if locks is not None:
                locks.close()
            knee = [s["rate_rounds_per_s"] for s in steps
                    if s["sustained"] and (s["round_p95_ms"] or 0) <= 1000 * KNEE_P95_S]
            result.update({
                "communes": args.communes, "step_seconds": args.step_seconds, "steps": steps,
                "province": steps[0], "knee_rounds_per_s": max(knee) if knee else None,
                "knee_next_step": steps[-1]["rate_rounds_per_s"] if steps and steps[-1]["rate_rounds_per_s"]
                not in knee else None,
                "hub_cpu_s": round(tree_cpu_seconds(hub.proc.pid) - cpu_before, 1),
                "feed": check_hub_invariants(url, hub.data_dir),
            })
        finally:
            hub.stop()
    print(json.dumps({k: v for k, v in result.items() if k != "steps"}, indent=2))
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / f"bench_hub_load-{backend}-w{args.workers}.json").write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
