"""Protocol v1 calls to the hub, each checked for its explicit acknowledgement and retried a little.

Every call here is idempotent on the hub (events by id, chunks by offset), so a retry after a lost
answer is safe; the longer waits between attempts belong to the scheduler.
"""

from __future__ import annotations

import gzip
import random
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from motcua.domain.clock import iso, now
from motcua.i18n import tr
from motcua.sync.errors import NotAcknowledged, SyncError, Unreachable
from motcua.sync.transport import Transport, acknowledged

PROTOCOL = 1
T = TypeVar("T")


class HubClient:
    def __init__(self, transport: Transport, *, attempts: int = 3, pause: float = 1.0,
                 sleep: Callable[[float], None] = time.sleep, compress_chunks: bool = True):
        self.transport = transport
        self.compress_chunks = compress_chunks
        self.attempts = attempts
        self.pause = pause
        self.sleep = sleep

    def _retry(self, call: Callable[[], T]) -> T:
        for attempt in range(1, self.attempts + 1):
            try:
                return call()
            except (Unreachable, NotAcknowledged):
                if attempt == self.attempts:
                    raise
                self.sleep(self.pause * attempt * (0.5 + random.random()))
        raise AssertionError("unreachable")

    # -- enrollment (no token yet) -----------------------------------------------------------------
    def enroll(self, code: str, device_name: str, public_key_b64: str) -> dict[str, Any]:
        body = {"enrollment_code": code, "device_name": device_name, "public_key": public_key_b64}
        response = self.transport.request("POST", "/api/v1/enroll", json_body=body, auth=False)
        if response.status_code >= 400:
            acknowledged(response, "enroll")  # raises with the hub's reason
        try:
            data = response.json()
        except ValueError:
            data = None
        needed = ("device_id", "token", "commune_code", "hub_public_key")
        if not isinstance(data, dict) or any(not data.get(k) for k in needed):
            raise NotAcknowledged(tr("Trả lời đăng ký máy không đúng của máy chủ tỉnh (thiếu mã máy hoặc khóa)."))
        return data

    # -- the regular calls -------------------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        return self._retry(lambda: self.transport.call("GET", "/api/v1/status", "status"))

    def push(self, device_id: str, events: Sequence[dict[str, Any]]) -> dict[str, Any]:
        body = {"protocol": PROTOCOL, "device_id": device_id, "client_time": iso(now()), "events": list(events)}
        answer = self._retry(lambda: self.transport.call("POST", "/api/v1/push", "push", json_body=body))
        _check_protocol(answer)
        sent = {e["id"] for e in events}
        results = answer.get("results")
        if not isinstance(results, list) or {r.get("id") for r in results if isinstance(r, dict)} != sent:
            raise NotAcknowledged(tr("Máy chủ tỉnh xác nhận không đủ các sự kiện đã gửi; sẽ gửi lại."))
        return answer

    def pull(self, cursor: int, limit: int) -> dict[str, Any]:
        answer = self._retry(lambda: self.transport.call("GET", "/api/v1/pull", "pull",
                                                         params={"cursor": cursor, "limit": limit}))
        _check_protocol(answer)
        if not isinstance(answer.get("items"), list) or "next_cursor" not in answer:
            raise NotAcknowledged(tr("Trả lời nhận dữ liệu từ máy chủ tỉnh không đầy đủ."))
        return answer

    def missing(self, hashes: Sequence[str]) -> list[str]:
        answer = self._retry(lambda: self.transport.call("POST", "/api/v1/attachments/missing", "missing",
                                                         json_body={"hashes": list(hashes)}))
        missing = answer.get("missing")
        if not isinstance(missing, list):
            raise NotAcknowledged(tr("Trả lời về tệp đính kèm còn thiếu không đầy đủ."))
        return [str(h) for h in missing]

    def upload_status(self, sha256: str) -> dict[str, Any]:
        def call() -> dict[str, Any]:
            response = self.transport.request("GET", f"/api/v1/attachments/{sha256}/status")
            if response.status_code == 404:
                return {"received": 0, "complete": False}
            data = response.json() if response.headers.get("Content-Type", "").startswith("application/json") else None
            if response.status_code >= 400 or not isinstance(data, dict) or "received" not in data:
                return acknowledged(response, "upload_status")  # raises
            return data

        return self._retry(call)

    def put_chunk(self, sha256: str, offset: int, total: int, chunk: bytes) -> dict[str, Any]:
        headers = {"X-Offset": str(offset), "X-Total-Size": str(total), "Content-Type": "application/octet-stream"}
        body = chunk
        if self.compress_chunks:
            packed = gzip.compress(chunk, compresslevel=6)
            if len(packed) < len(chunk) * 0.9:  # scans are already compressed; text PDFs are not
                body = packed
                headers["Content-Encoding"] = "gzip"
        return self.transport.call("PUT", f"/api/v1/attachments/{sha256}", "chunk", data=body, headers=headers)


def _check_protocol(answer: dict[str, Any]) -> None:
    if answer.get("protocol", PROTOCOL) != PROTOCOL:
        raise SyncError(tr("Máy chủ tỉnh dùng giao thức đồng bộ phiên bản {v}, phần mềm này dùng phiên bản {mine}; "
                           "cần cập nhật phần mềm.", v=answer.get("protocol"), mine=PROTOCOL))
