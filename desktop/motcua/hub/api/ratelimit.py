"""A small in-process limiter of failed attempts per client address (``POST /api/v1/enroll``).

A sliding window: an address that failed ``max_failures`` times within ``window_seconds`` is refused
until its oldest failure in the window ages out. Only failures count, so a desk that enrols on the
first try is never slowed. Thread-safe (sync routes run in a thread pool). State lives in the worker
process: with ``serve --workers N`` each worker keeps its own counts, so an address may try up to
N × ``max_failures`` times per window across the hub (docs/sync.md).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

MAX_TRACKED_ADDRESSES = 10_000   # memory stays bounded whatever addresses an attacker cycles through


class FailureLimiter:
    def __init__(self, max_failures: int, window_seconds: float, *,
                 clock: Callable[[], float] = time.monotonic, max_addresses: int = MAX_TRACKED_ADDRESSES):
        self.max_failures = max_failures
        self.window = window_seconds
        self.clock = clock
        self.max_addresses = max_addresses
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.max_failures > 0

    def retry_after(self, address: str) -> int | None:
        """Whole seconds until ``address`` may try again, or None when it may try now."""
        if not self.enabled:
            return None
        with self._lock:
            moment = self.clock()
            failures = self._recent(address, moment)
            if failures is None or len(failures) < self.max_failures:
                return None
            # ``failures`` holds at most ``max_failures`` entries: the next try is allowed once the oldest expires.
            return max(1, math.ceil(failures[0] + self.window - moment))

    def failed(self, address: str) -> None:
        if not self.enabled:
            return
        with self._lock:
            moment = self.clock()
            failures = self._recent(address, moment)
            if failures is None:
                if len(self._failures) >= self.max_addresses:
                    self._make_room(moment)
                failures = self._failures[address] = deque()
            failures.append(moment)
            while len(failures) > self.max_failures:  # older ones no longer decide anything
                failures.popleft()

    def _recent(self, address: str, moment: float) -> deque[float] | None:
        """The address's failures still inside the window (expired ones dropped); call with the lock held."""
        failures = self._failures.get(address)
        if failures is None:
            return None
        while failures and failures[0] <= moment - self.window:
            failures.popleft()
        if not failures:
            del self._failures[address]
            return None
        return failures

    def _make_room(self, moment: float) -> None:
        for address in list(self._failures):
            self._recent(address, moment)
        while len(self._failures) >= self.max_addresses:  # still full: forget the longest-tracked address
            del self._failures[next(iter(self._failures))]
