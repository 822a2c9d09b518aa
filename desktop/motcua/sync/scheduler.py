"""The background loop: sync on a timer, retrying with exponential backoff and jitter after failures,
whether or not anyone touches the desk; ``sync_now()`` wakes it at once.

It owns its own SQLite connection (sync writes are short transactions; WAL lets the desk's writer
and readers go on). Status is read from the store by ``status.py``; a callback may tell a UI to redraw.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from motcua.paths import store_file
from motcua.store.db import open_store
from motcua.sync.engine import RoundResult, sync_round
from motcua.sync.errors import DeviceRevoked, SyncError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Backoff:
    base: float = 5.0          # first retry after ~5 s
    factor: float = 2.0
    cap: float = 900.0         # never wait more than 15 minutes between attempts
    jitter: float = 0.3        # ±30 % so many communes do not hammer the hub in step

    def delay(self, failures: int, rng: random.Random) -> float:
        raw = min(self.cap, self.base * self.factor ** max(0, failures - 1))
        return max(0.1, raw * (1 + rng.uniform(-self.jitter, self.jitter)))


class SyncScheduler:
    def __init__(self, data_dir: Path, *, interval: float = 120.0, backoff: Backoff | None = None,
                 on_round: Callable[[RoundResult | None, Exception | None], None] | None = None,
                 seed: int | None = None, round_options: dict[str, int] | None = None):
        self.data_dir = data_dir
        self.interval = interval
        self.backoff = backoff or Backoff()
        self.on_round = on_round
        self.rng = random.Random(seed)
        self.round_options = round_options or {}
        self.failures = 0
        self.rounds = 0
        self.next_delay: float | None = 0.0   # None: wait until asked (sync_now), after a revocation
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="motcua-sync", daemon=True)
            self._thread.start()

    def sync_now(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        conn = open_store(store_file(self.data_dir))
        try:
            while not self._stop.is_set():
                result: RoundResult | None = None
                error: Exception | None = None
                try:
                    result = sync_round(conn, self.data_dir, **self.round_options)
                    self.failures = 0
                    self.next_delay = self.interval
                except SyncError as exc:
                    error = exc
                    self.failures += 1
                    self.next_delay = self.backoff.delay(self.failures, self.rng) if exc.retry else self.backoff.cap
                    if isinstance(exc, DeviceRevoked):
                        self.next_delay = None  # the token will never work again: only "sync now" tries
                except Exception as exc:  # keep the loop alive; the reason is in the sync log
                    log.exception("sync round failed")
                    error = exc
                    self.failures += 1
                    self.next_delay = self.backoff.delay(self.failures, self.rng)
                self.rounds += 1
                if self.on_round:
                    self.on_round(result, error)
                self._wake.wait(self.next_delay)
                self._wake.clear()
        finally:
            conn.close()
