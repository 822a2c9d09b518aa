"""What sealing costs a USB/file bundle round over the bad rural line: sealed vs plain, the same data.

    sudo .venv/bin/python bench/bench_bundle_link.py [--dossiers 1000] [--attachments 10] [--runs 3]

The network sync (``motcua sync now``, bench_sync_netns.py) carries no sealing of its own (its privacy on the
wire is the transport's), so encryption cannot change it; the bundles are what this issue encrypts. One round
here: the desk exports its push bundle (``sync.bundle.export_bundle``), the hub fetches it across the shaped
link of bench_sync_netns.py (256 kbit/s, 150 ms each way, 3 % loss each way), imports it and writes its reply
(``hub.bundles.import_bundle``), the desk fetches the reply across the link and imports it
(``sync.bundle.import_reply``). "plain" is the same round with the sealing step replaced by a copy of the clear
zip (what earlier versions wrote; both ends still read plain bundles). Runs alternate sealed/plain on fresh
copies of the same enrolled desk and hub; prints each phase and the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "desktop"), str(ROOT)]

from bench.bench_sync_netns import (  # noqa: E402
    COMMUNE,
    DESK_ADDR,
    HUB_ADDR,
    build_desk,
    cli_env,
    netns_available,
    shaped_link,
)

FILE_PORT = 8471


def plain_copy(source: Path, target: Path, *_args: Any) -> None:
    """Stands in for ``seal_bundle``: the clear zip as it is."""
    shutil.copyfile(source, target)


def fetch(ns: str, url: str, target: Path) -> float:
    started = time.monotonic()
    subprocess.run(["ip", "netns", "exec", ns, sys.executable, "-c",
                    "import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])", url,
                    str(target)], check=True, timeout=3600)
    return time.monotonic() - started


def one_round(mode: str, run_dir: Path, desk_ns: str, hub_ns: str, served: Path) -> dict[str, Any]:
    """In a child process (the plain mode patches the sealing out): export, fetch, import, reply, fetch, import."""
    from motcua.hub.communes import bundles as hub_bundles
    from motcua.hub.service.config import HubConfig
    from motcua.hub.service.hub import open_hub
    from motcua.paths import store_file
    from motcua.store.db import connect
    from motcua.sync import bundle as desk_bundles

    if mode == "plain":
        desk_bundles.seal_bundle = plain_copy  # type: ignore[assignment]
        hub_bundles.seal_bundle = plain_copy  # type: ignore[assignment]
    desk_dir, hub_dir = run_dir / "desk", run_dir / "hub"
    relative = run_dir.relative_to(served)
    figures: dict[str, Any] = {"mode": mode}
    conn = connect(store_file(desk_dir))
    started = time.monotonic()
    exported = desk_bundles.export_bundle(conn, desk_dir, run_dir / "out" / "push.bundle")
    figures["export_s"] = time.monotonic() - started
    figures["push_bytes"] = exported.bytes
    (run_dir / "in").mkdir()
    figures["push_transfer_s"] = fetch(hub_ns, f"http://{DESK_ADDR}:{FILE_PORT}/{relative}/out/push.bundle",
                                       run_dir / "in" / "push.bundle")
    hub = open_hub(HubConfig.load(str(hub_dir), None))
    started = time.monotonic()
    hub_bundles.import_bundle(hub, run_dir / "in" / "push.bundle", run_dir / "in" / "reply.bundle")
    figures["hub_import_s"] = time.monotonic() - started
    hub.close()
    figures["reply_bytes"] = (run_dir / "in" / "reply.bundle").stat().st_size
    figures["reply_transfer_s"] = fetch(desk_ns, f"http://{HUB_ADDR}:{FILE_PORT}/{relative}/in/reply.bundle",
                                        run_dir / "out" / "reply.bundle")
    started = time.monotonic()
    result = desk_bundles.import_reply(conn, run_dir / "out" / "reply.bundle")
    figures["desk_import_s"] = time.monotonic() - started
    pending = conn.execute("SELECT count(*) FROM events WHERE hub_seq IS NULL").fetchone()[0]
    conn.close()
    figures["acknowledged"] = result.acknowledged
    figures["pending_after"] = pending
    figures["total_s"] = sum(v for k, v in figures.items() if k.endswith("_s"))
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in figures.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1000)
    parser.add_argument("--attachments", type=int, default=10)
    parser.add_argument("--attachment-kb", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3, help="rounds of each mode, alternating")
    parser.add_argument("--round", nargs=5, metavar=("MODE", "RUN_DIR", "DESK_NS", "HUB_NS", "SERVED"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.round:
        mode, run_dir, desk_ns, hub_ns, served = args.round
        print(json.dumps(one_round(mode, Path(run_dir), desk_ns, hub_ns, Path(served))))
        return 0
    reason = netns_available()
    if reason:
        print(f"skipped: {reason}")
        return 0
    work = Path(tempfile.mkdtemp(prefix="motcua-bundle-link-"))
    try:
        return measure(work, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(work: Path, args: argparse.Namespace) -> int:
    template = work / "template"
    events, raw = build_desk(template / "desk", args.dossiers, args.attachments, args.attachment_kb * 1000)
    print(f"desk: {args.dossiers} dossiers, {events} events, {args.attachments} attachments ({raw / 1e6:.1f} MB)",
          flush=True)
    hub_env = {**os.environ, "PYTHONPATH": str(ROOT / "desktop")}
    hub_cli = [sys.executable, "-c", "import sys; from motcua.hub.cli import main; sys.exit(main())",
               "--data-dir", str(template / "hub")]
    subprocess.run([*hub_cli, "create-commune", COMMUNE, "Xã Ea Kao"], env=hub_env, check=True, capture_output=True)
    code = json.loads(subprocess.run([*hub_cli, "enroll-code", COMMUNE], env=hub_env, check=True,
                                     capture_output=True, text=True).stdout)["enrollment_code"]
    env = cli_env(template / "keyring.json")
    server = subprocess.Popen([*hub_cli, "serve", "--host", "127.0.0.1", "--port", "8479"], env=hub_env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(100):   # enrol over loopback: only the bundles cross the bad line
            enrolled = subprocess.run([sys.executable, "-m", "motcua", "--data-dir", str(template / "desk"), "sync",
                                       "enroll", "--hub", "http://127.0.0.1:8479", "--code", code, "--name", "may-1",
                                       "--allow-http"], env=env, capture_output=True, text=True)
            if enrolled.returncode == 0:
                break
            time.sleep(0.3)
        else:
            raise RuntimeError(f"enroll failed: {enrolled.stderr}")
    finally:
        os.killpg(server.pid, 15)
        server.wait(15)
    results: list[dict[str, Any]] = []
    with shaped_link(str(os.getpid() % 100000), work) as (desk_ns, hub_ns, _dev, how):
        servers = [subprocess.Popen(["ip", "netns", "exec", ns, sys.executable, "-m", "http.server", str(FILE_PORT),
                                     "--bind", addr, "--directory", str(work)], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, start_new_session=True)
                   for ns, addr in ((desk_ns, DESK_ADDR), (hub_ns, HUB_ADDR))]
        try:
            time.sleep(1.5)
            print(f"link: {how}", flush=True)
            for number in range(args.runs):
                for mode in ("sealed", "plain") if number % 2 == 0 else ("plain", "sealed"):
                    run_dir = work / f"run-{number}-{mode}"
                    shutil.copytree(template, run_dir)
                    out = subprocess.run([sys.executable, __file__, "--round", mode, str(run_dir), desk_ns, hub_ns,
                                          str(work)], env=cli_env(run_dir / "keyring.json"), capture_output=True,
                                         text=True, check=True)
                    figures = json.loads(out.stdout.strip().splitlines()[-1])
                    results.append(figures)
                    print(json.dumps(figures), flush=True)
                    shutil.rmtree(run_dir, ignore_errors=True)
        finally:
            for server in servers:
                os.killpg(server.pid, 15)
                server.wait(15)
    medians = {mode: statistics.median(r["total_s"] for r in results if r["mode"] == mode)
               for mode in ("sealed", "plain")}
    ratio = round(medians["sealed"] / medians["plain"], 3)
    print(json.dumps({"median_total_s": medians, "ratio_sealed_to_plain": ratio, "runs_each": args.runs}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
