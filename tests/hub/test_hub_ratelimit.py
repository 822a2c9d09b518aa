"""Failed enrollments are limited per client address: a real hub process, two loopback addresses."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from motcua.hub.api.ratelimit import FailureLimiter
from motcua.protocol.signing import generate_private_key, public_key_b64

from .hubkit import HubProcess, create_commune

WINDOW = 4          # seconds: the hub's setting for this test (600 in production), so the test is quick
MAX_FAILURES = 10   # the default


@pytest.fixture
def limited_hub(tmp_path: Path) -> Iterator[HubProcess]:
    process = HubProcess(tmp_path / "hub-data", f"sqlite:///{tmp_path / 'hub.sqlite3'}",
                         env={"MOTCUA_HUB_ENROLL_WINDOW_SECONDS": str(WINDOW)}).start()
    try:
        yield process
    finally:
        process.stop()


def _client(hub: HubProcess, source: str) -> httpx.Client:
    """A client whose connections leave from ``source`` (any 127.x.y.z reaches the hub on 127.0.0.1)."""
    return httpx.Client(base_url=hub.url, timeout=30, transport=httpx.HTTPTransport(local_address=source))


def _attempt(client: httpx.Client, code: str) -> httpx.Response:
    return client.post("/api/v1/enroll", json={"enrollment_code": code, "device_name": "máy thử",
                                               "public_key": public_key_b64(generate_private_key())})


def _new_code(hub: HubProcess) -> str:
    with hub.admin() as admin:
        create_commune(admin, "A")
        return str(admin.post("/api/v1/admin/enrollment-codes", json={"commune_code": "A"}).json()["enrollment_code"])


def test_eleventh_bad_attempt_is_refused_until_the_window_passes(limited_hub: HubProcess) -> None:
    hub = limited_hub
    with _client(hub, "127.0.0.1") as guesser, _client(hub, "127.0.0.2") as other:
        started = time.monotonic()
        for _ in range(MAX_FAILURES):
            bad = _attempt(guesser, "AAAA-BBBB-CCCC")
            assert bad.status_code == 403 and bad.json()["error"] == "enrollment_refused", bad.text
        limited = _attempt(guesser, "AAAA-BBBB-CCCC")
        assert limited.status_code == 429, limited.text
        assert limited.headers["content-type"].startswith("application/json")
        body = limited.json()
        assert body["error"] == "too_many_attempts" and body["detail"]
        retry_after = int(limited.headers["Retry-After"])
        assert 1 <= retry_after <= WINDOW and body["retry_after"] == retry_after
        # Even a good code waits from that address: the limiter answers before the code is looked at.
        good = _new_code(hub)
        assert _attempt(guesser, good).status_code == 429

        # Another address is not held back, and its success is not counted against anyone.
        enrolled = _attempt(other, good)
        assert enrolled.status_code == 200 and enrolled.json()["ack"] == "enroll", enrolled.text
        for _ in range(3):
            assert _attempt(other, _new_code(hub)).status_code == 200

        # Once the window has passed since the failures, the address is heard again.
        time.sleep(max(0.0, started + WINDOW + 0.5 - time.monotonic()))
        again = _attempt(guesser, "AAAA-BBBB-CCCC")
        assert again.status_code == 403 and again.json()["error"] == "enrollment_refused", again.text
        late = _attempt(guesser, _new_code(hub))
        assert late.status_code == 200, late.text


def test_limiter_counts_failures_in_a_sliding_window() -> None:
    moment = [1000.0]
    limiter = FailureLimiter(3, 60, clock=lambda: moment[0])
    for _ in range(3):
        assert limiter.retry_after("10.0.0.1") is None
        limiter.failed("10.0.0.1")
        moment[0] += 10
    assert limiter.retry_after("10.0.0.1") == 30          # the first failure (at 1000) expires at 1060
    assert limiter.retry_after("10.0.0.2") is None
    moment[0] = 1060.0
    assert limiter.retry_after("10.0.0.1") is None         # one slot free again …
    limiter.failed("10.0.0.1")
    assert limiter.retry_after("10.0.0.1") == 10           # … and taken: wait for the one at 1010
    assert FailureLimiter(0, 60).retry_after("x") is None  # 0 turns the limit off


def test_limiter_memory_stays_bounded() -> None:
    limiter = FailureLimiter(2, 60, clock=lambda: 5.0, max_addresses=100)
    for index in range(1000):
        limiter.failed(f"10.0.{index // 256}.{index % 256}")
    assert len(limiter._failures) <= 100
