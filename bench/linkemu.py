"""A userspace stand-in for ``tc netem`` where the kernel lacks sch_netem: a bad line between two
network namespaces, made of one TUN device in each and this process forwarding IP packets between
them with a rate limit, a fixed one-way delay, random loss and a tail-drop queue — per direction,
the way netem shapes an egress queue.

    python bench/linkemu.py NS_A DEV_A NS_B DEV_B --rate-kbit 256 --delay-ms 150 --loss 3

Creates DEV_A in NS_A and DEV_B in NS_B (the caller sets addresses), prints "ready", forwards until
killed, and writes its counters as JSON on SIGTERM to --stats FILE.
"""

from __future__ import annotations

import argparse
import ctypes
import fcntl
import heapq
import json
import os
import random
import signal
import struct
import sys
import threading
import time
from pathlib import Path

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
CLONE_NEWNET = 0x40000000


def enter_netns(name: str) -> None:
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    fd = os.open(f"/var/run/netns/{name}", os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f"setns({name}) failed")
    finally:
        os.close(fd)


def open_tun(name: str) -> int:
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


class Direction:
    def __init__(self, name: str, src: int, dst: int, rate_bps: float, delay: float, loss: float,
                 limit: int, rng: random.Random):
        self.name, self.src, self.dst = name, src, dst
        self.rate_bps, self.delay, self.loss, self.limit, self.rng = rate_bps, delay, loss, limit, rng
        self.queue: list[tuple[float, int, bytes]] = []
        self.cond = threading.Condition()
        self.link_free_at = 0.0
        self.counter = 0
        self.stats = {"packets_in": 0, "bytes_in": 0, "lost": 0, "tail_dropped": 0, "packets_out": 0,
                      "bytes_out": 0}

    def reader(self) -> None:
        while True:
            packet = os.read(self.src, 65535)
            now = time.monotonic()
            self.stats["packets_in"] += 1
            self.stats["bytes_in"] += len(packet)
            if self.rng.random() < self.loss:
                self.stats["lost"] += 1
                continue
            with self.cond:
                if len(self.queue) >= self.limit:
                    self.stats["tail_dropped"] += 1
                    continue
                start = max(now, self.link_free_at)
                self.link_free_at = start + len(packet) * 8 / self.rate_bps
                self.counter += 1
                heapq.heappush(self.queue, (self.link_free_at + self.delay, self.counter, packet))
                self.cond.notify()

    def writer(self) -> None:
        while True:
            with self.cond:
                while not self.queue:
                    self.cond.wait()
                due, _, packet = self.queue[0]
                wait = due - time.monotonic()
                if wait > 0:
                    self.cond.wait(wait)
                    continue
                heapq.heappop(self.queue)
            os.write(self.dst, packet)
            self.stats["packets_out"] += 1
            self.stats["bytes_out"] += len(packet)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("ns_a")
    parser.add_argument("dev_a")
    parser.add_argument("ns_b")
    parser.add_argument("dev_b")
    parser.add_argument("--rate-kbit", type=float, default=256)
    parser.add_argument("--delay-ms", type=float, default=150)
    parser.add_argument("--loss", type=float, default=3.0, help="percent, each direction")
    parser.add_argument("--limit", type=int, default=1000, help="queue length in packets (netem's default)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--stats", type=Path)
    args = parser.parse_args()
    enter_netns(args.ns_a)
    fd_a = open_tun(args.dev_a)
    enter_netns(args.ns_b)
    fd_b = open_tun(args.dev_b)
    rng = random.Random(args.seed)
    directions = [Direction(f"{args.dev_a}→{args.dev_b}", fd_a, fd_b, args.rate_kbit * 1000, args.delay_ms / 1000,
                            args.loss / 100, args.limit, rng),
                  Direction(f"{args.dev_b}→{args.dev_a}", fd_b, fd_a, args.rate_kbit * 1000, args.delay_ms / 1000,
                            args.loss / 100, args.limit, rng)]

    def finish(*_: object) -> None:
        if args.stats:
            args.stats.write_text(json.dumps({d.name: d.stats for d in directions}))
        os._exit(0)

    signal.signal(signal.SIGTERM, finish)
    for direction in directions:
        threading.Thread(target=direction.reader, daemon=True).start()
        threading.Thread(target=direction.writer, daemon=True).start()
    print("ready", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    sys.exit(main())
