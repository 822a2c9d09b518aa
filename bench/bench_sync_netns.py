"""Sync over a bad rural line: a real hub in its own network namespace behind a shaped veth pair.

    sudo .venv/bin/python bench/bench_sync_netns.py [--dossiers 1000] [--attachments 200]

Two namespaces made here (and removed afterwards) joined by one veth pair with a private /30 that
exists only inside them; ``tc netem`` on both ends: 256 kbit/s, 150 ms each way (300 ms RTT),
3 % loss each way. The hub (``motcua-hub serve``) runs in one namespace; the desk syncs from the
other with the real ``motcua sync now`` command, repeated until nothing is pending (as the
background scheduler would). Prints wall time, bytes on the wire (the veth's counters: IP, TCP,
retransmissions, TLS-less HTTP) and the ratio to the ideal: compressed payload ÷ link rate.

The attachments are synthetic text PDFs (uncompressed content streams, tables of Vietnamese text,
about 9:1 under gzip). Scanned images do not compress: 200 × 200 KB of JPEG needs ≥ 21 minutes at
256 kbit/s whatever the protocol does.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "desktop"), str(ROOT)]

RATE_KBIT = 256
ONE_WAY_DELAY_MS = 150
LOSS_PERCENT = 3.0
DESK_ADDR, HUB_ADDR = "10.203.77.1", "10.203.77.2"
HUB_PORT = 8470
COMMUNE = "000.17.22.H56"


@dataclass
class Figures:
    dossiers: int
    events: int
    attachments: int
    attachment_bytes: int
    payload_bytes: int          # what the client must send, gzip-compressed as it sends it
    wall_seconds: float
    wire_bytes_up: int
    wire_bytes_down: int
    ideal_seconds: float
    ratio_to_ideal: float
    sync_runs: int
    link: str

    def lines(self) -> list[str]:
        return [
            f"link: {self.link}",
            f"data: {self.dossiers} dossiers, {self.events} events, {self.attachments} attachments "
            f"({self.attachment_bytes / 1e6:.1f} MB raw)",
            f"compressed payload: {self.payload_bytes / 1e6:.2f} MB → ideal {self.ideal_seconds:.0f} s at "
            f"{RATE_KBIT} kbit/s",
            f"wall time: {self.wall_seconds:.0f} s in {self.sync_runs} run(s) of `motcua sync now`",
            f"bytes on the wire (desk veth): up {self.wire_bytes_up / 1e6:.2f} MB, "
            f"down {self.wire_bytes_down / 1e6:.2f} MB",
            f"ratio to ideal: {self.ratio_to_ideal:.2f}",
        ]


def run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]


def netns_available() -> str | None:
    """None when namespaces can be made here, else the reason they cannot."""
    if os.geteuid() != 0:
        return "needs root (ip netns add, tc netem)"
    if shutil.which("ip") is None or shutil.which("tc") is None:
        return "iproute2 (ip, tc) is not installed"
    probe = f"mcx-probe-{os.getpid()}"
    out = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True)
    if out.returncode != 0:
        return f"ip netns add is not allowed here: {out.stderr.strip()}"
    subprocess.run(["ip", "netns", "del", probe], capture_output=True)
    return None


def netem_available() -> bool:
    probe = f"mcx-netem-{os.getpid()}"
    run(["ip", "netns", "add", probe])
    try:
        run(["ip", "-n", probe, "link", "add", "mcxprobe0", "type", "veth", "peer", "name", "mcxprobe1"])
        out = subprocess.run(["ip", "netns", "exec", probe, "tc", "qdisc", "add", "dev", "mcxprobe0", "root",
                              "netem", "delay", "1ms"], capture_output=True, text=True)
        return out.returncode == 0
    finally:
        subprocess.run(["ip", "netns", "del", probe], capture_output=True)


@contextmanager
def shaped_link(tag: str, workdir: Path) -> Iterator[tuple[str, str, str, str]]:
    """(desk namespace, hub namespace, desk-side device, how it is shaped); all removed on exit.

    With sch_netem: a veth pair with ``tc netem`` on both ends. Without it (some kernels, e.g. this
    CI's, ship no netem): one TUN device per namespace and bench/linkemu.py forwarding between them
    with the same rate, delay, loss and queue per direction.
    """
    desk_ns, hub_ns = f"mcx-desk-{tag}", f"mcx-hub-{tag}"
    dev_desk, dev_hub = f"mcxd{tag}"[:15], f"mcxh{tag}"[:15]
    use_netem = netem_available()
    emulator: subprocess.Popen[str] | None = None
    run(["ip", "netns", "add", desk_ns])
    try:
        run(["ip", "netns", "add", hub_ns])
        if use_netem:
            run(["ip", "link", "add", dev_desk, "netns", desk_ns, "type", "veth", "peer", "name", dev_hub,
                 "netns", hub_ns])
            how = "veth pair + tc netem on both ends"
        else:
            emulator = subprocess.Popen(
                [sys.executable, str(ROOT / "bench" / "linkemu.py"), desk_ns, dev_desk, hub_ns, dev_hub,
                 "--rate-kbit", str(RATE_KBIT), "--delay-ms", str(ONE_WAY_DELAY_MS), "--loss", str(LOSS_PERCENT),
                 "--stats", str(workdir / "linkemu.json")], stdout=subprocess.PIPE, text=True)
            assert emulator.stdout is not None
            if emulator.stdout.readline().strip() != "ready":
                raise RuntimeError("link emulator did not start")
            how = "TUN pair + userspace netem (bench/linkemu.py): this kernel has no sch_netem"
        for ns, dev, addr in ((desk_ns, dev_desk, DESK_ADDR), (hub_ns, dev_hub, HUB_ADDR)):
            run(["ip", "-n", ns, "addr", "add", f"{addr}/30", "dev", dev])
            run(["ip", "-n", ns, "link", "set", dev, "up"])
            run(["ip", "-n", ns, "link", "set", "lo", "up"])
            if use_netem:
                run(["ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", dev, "root", "netem",
                     "delay", f"{ONE_WAY_DELAY_MS}ms", "rate", f"{RATE_KBIT}kbit", "loss", f"{LOSS_PERCENT}%"])
        yield desk_ns, hub_ns, dev_desk, how
    finally:
        if emulator is not None:
            emulator.terminate()
            emulator.wait(10)
        subprocess.run(["ip", "netns", "del", hub_ns], capture_output=True)
        subprocess.run(["ip", "netns", "del", desk_ns], capture_output=True)


def wire_counters(ns: str, dev: str) -> tuple[int, int]:
    out = run(["ip", "-n", ns, "-s", "-j", "link", "show", "dev", dev]).stdout
    stats = json.loads(out)[0]["stats64"]
    return int(stats["tx"]["bytes"]), int(stats["rx"]["bytes"])


def text_pdf(seed: int, size: int) -> bytes:
    """A PDF-shaped file with an uncompressed content stream: tables of Vietnamese words."""
    from motcua.services.demo import SampleMaterial

    material = SampleMaterial.load()
    words = sorted({w for group in (material.family_names, material.middle_names, material.given_names,
                                    material.hamlets, material.summaries) for item in group for w in item.split()})
    rng = random.Random(seed)
    out = [f"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n% hồ sơ {seed}\n".encode()]
    total, page = len(out[0]), 0
    while total < size:
        page += 1
        parts = [f"{page + 3} 0 obj << /Length 0 >> stream\n"]
        y = 780
        for row in range(40):
            x = 72
            parts.append(f"0.5 w {x} {y - 4} 451 16 re S\n")
            for col, width in enumerate((30, 200, 90, 131)):
                text = str(row + 1) if col == 0 else " ".join(rng.choice(words) for _ in range(rng.randint(1, 3)))
                parts.append(f"BT /F1 11 Tf {x + 3} {y} Td ({text}) Tj ET\n")
                x += width
            y -= 18
        parts.append("endstream endobj\n")
        block = "".join(parts).encode()
        out.append(block)
        total += len(block)
    return b"".join(out)[:size]


def build_desk(directory: Path, dossiers: int, attachments: int, attachment_size: int) -> tuple[int, int]:
    """A real store with ``dossiers`` × 5 events; the first ``attachments`` dossiers' fifth event attaches a file."""
    from motcua.domain.clock import now
    from motcua.domain.ids import uuid7
    from motcua.paths import store_file
    from motcua.services.demo import SampleFactory, add_demo_staff
    from motcua.services.desk import Desk
    from motcua.services.intake import parse_intake
    from motcua.store.db import open_store, transaction
    from motcua.store.settings import put_values

    conn = open_store(store_file(directory))
    conn.execute("PRAGMA synchronous = NORMAL")  # generating bench data, not serving a desk
    with transaction(conn):
        put_values(conn, {"commune_name": "Xã Ea Kao", "province_name": "Đắk Lắk", "agency_code": COMMUNE,
                          "agency_name": "UBND XÃ EA KAO", "device_id": uuid7()})
        add_demo_staff(conn)   # a hand-over goes to an account
    desk, factory = Desk(conn, directory), SampleFactory(2026)
    raw = 0
    for index in range(dossiers):
        moment = now() - timedelta(hours=3)
        dossier = desk.intake(parse_intake(factory.intake(moment)), "motnhanvien").record.id
        desk.act(dossier, "handed_over", "motnhanvien", {"to": "cc.tuphap", "note": "Chuyển xử lý"})
        desk.act(dossier, "note", "cc.tuphap", {"text": "Đã kiểm tra thành phần hồ sơ"})
        desk.act(dossier, "note", "cc.tuphap", {"text": "Đã xác minh thông tin người nộp"})
        if index < attachments:
            data = text_pdf(index, attachment_size)
            path = directory / "incoming.pdf"
            path.write_bytes(data)
            desk.attach(dossier, path, "motnhanvien", name=f"to-khai-{index + 1}.pdf")
            raw += len(data)
        else:
            desk.act(dossier, "note", "cc.tuphap", {"text": "Chờ ý kiến lãnh đạo"})
    events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    conn.close()
    (directory / "incoming.pdf").unlink(missing_ok=True)
    return int(events), raw


def compressed_payload(directory: Path) -> int:
    """The bytes the client puts on the wire as HTTP bodies, before TCP/IP: gzip'd push batches and files."""
    from motcua.paths import store_file
    from motcua.store.attachments import blob_path
    from motcua.store.db import connect
    from motcua.sync.outbox import BATCH_SIZE, wire_event

    conn = connect(store_file(directory), readonly=True)
    rows = conn.execute("SELECT * FROM events ORDER BY seq").fetchall()
    total = 0
    for start in range(0, len(rows), BATCH_SIZE):
        body = {"protocol": 1, "device_id": "x" * 36, "client_time": "2026-01-01T00:00:00+07:00",
                "events": [wire_event(r) for r in rows[start:start + BATCH_SIZE]]}
        total += len(gzip.compress(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode(), 6))
    for (sha,) in conn.execute("SELECT sha256 FROM attachments"):
        total += len(gzip.compress(blob_path(directory, sha).read_bytes(), 6))
    conn.close()
    return total


def cli_env(keyring_file: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": f"{ROOT / 'desktop'}{os.pathsep}{ROOT}",
            "PYTHON_KEYRING_BACKEND": "tests.sync.keyrings.FileKeyring", "MOTCUA_TEST_KEYRING": str(keyring_file)}


def motcua(ns: str, data_dir: Path, env: dict[str, str], *args: str,
           timeout: float = 900) -> subprocess.CompletedProcess[str]:
    cmd = ["ip", "netns", "exec", ns, sys.executable, "-c", "import sys; from motcua.cli import main; sys.exit(main())",
           "--data-dir", str(data_dir), *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)


def bench(workdir: Path, dossiers: int = 1000, attachments: int = 200, attachment_size: int = 200_000,
          deadline_seconds: float = 1800, log: object = print) -> Figures:
    say = log  # type: ignore[assignment]
    desk_dir, hub_dir = workdir / "desk", workdir / "hub"
    t0 = time.monotonic()
    events, raw = build_desk(desk_dir, dossiers, attachments, attachment_size)
    payload = compressed_payload(desk_dir)
    say(f"built the desk store in {time.monotonic() - t0:.0f} s: {events} events, {raw / 1e6:.1f} MB of files")  # type: ignore[operator]
    hub_env = {**os.environ, "PYTHONPATH": str(ROOT / "desktop")}
    hub_cli = [sys.executable, "-c", "import sys; from motcua.hub.cli import main; sys.exit(main())",
               "--data-dir", str(hub_dir)]
    hub_dir.mkdir(parents=True, exist_ok=True)
    run([*hub_cli, "create-commune", COMMUNE, "Xã Ea Kao"], env=hub_env)
    code = json.loads(run([*hub_cli, "enroll-code", COMMUNE], env=hub_env).stdout)["enrollment_code"]
    env = cli_env(workdir / "keyring.json")
    with shaped_link(str(os.getpid() % 100000), workdir) as (desk_ns, hub_ns, veth, how), \
            (workdir / "hub.log").open("wb") as hlog:
        server = subprocess.Popen(["ip", "netns", "exec", hub_ns, *hub_cli, "serve", "--host", HUB_ADDR,
                                   "--port", str(HUB_PORT)], env=hub_env, stdout=subprocess.DEVNULL,
                                  stderr=hlog, start_new_session=True)
        try:
            for _ in range(100):
                out = subprocess.run(["ip", "netns", "exec", hub_ns, "ss", "-ltn"], capture_output=True, text=True)
                if f":{HUB_PORT} " in out.stdout:
                    break
                time.sleep(0.2)
            enrolled = motcua(desk_ns, desk_dir, env, "sync", "enroll", "--hub", f"http://{HUB_ADDR}:{HUB_PORT}",
                              "--code", code, "--name", "may-1", "--allow-http")  # a closed /30 of the test
            if enrolled.returncode != 0:
                raise RuntimeError(f"enroll failed: {enrolled.stderr}")
            up0, down0 = wire_counters(desk_ns, veth)
            start = time.monotonic()
            runs = 0
            while True:
                runs += 1
                result = motcua(desk_ns, desk_dir, env, "sync", "now", "--json",
                                timeout=max(10.0, deadline_seconds - (time.monotonic() - start)))
                status = json.loads(motcua(desk_ns, desk_dir, env, "sync", "status", "--json").stdout)
                say(f"run {runs}: exit {result.returncode} {result.stdout.strip() or result.stderr.strip()} "  # type: ignore[operator]
                    f"→ pending {status['pending']}, files waiting {status['files_waiting']}")
                if result.returncode == 0 and status["pending"] == 0:
                    break
                if time.monotonic() - start > deadline_seconds:
                    raise RuntimeError("sync did not finish before the deadline")
                time.sleep(1)
            wall = time.monotonic() - start
            up1, down1 = wire_counters(desk_ns, veth)
        finally:
            os.killpg(server.pid, 15)
            server.wait(15)
    ideal = payload * 8 / (RATE_KBIT * 1000)
    return Figures(dossiers, events, attachments, raw, payload, wall, up1 - up0, down1 - down0, ideal,
                   wall / ideal, runs, f"{RATE_KBIT} kbit/s, {2 * ONE_WAY_DELAY_MS} ms RTT, {LOSS_PERCENT:g}% loss "
                   f"each way; {how}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1000)
    parser.add_argument("--attachments", type=int, default=200)
    parser.add_argument("--attachment-kb", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    reason = netns_available()
    if reason:
        print(f"skipped: {reason}")
        return 0
    with tempfile.TemporaryDirectory(prefix="motcua-netns-") as tmp:
        figures = bench(Path(tmp), args.dossiers, args.attachments, args.attachment_kb * 1000)
    print(json.dumps(asdict(figures), indent=1) if args.json else "\n".join(figures.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
