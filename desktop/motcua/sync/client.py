"""Protocol v1 calls to the hub, each checked for its explicit acknowledgement and retried a little.

Answers are validated with ``motcua.protocol.messages`` (the hub's message definitions); anything that
is not a proper acknowledgement raises NotAcknowledged, so nothing is marked done on a bare 200.
Every call is idempotent on the hub (events by id, chunks by offset), so a retry after a lost answer
is safe; the longer waits between attempts belong to the scheduler.
"""

from __future__ import annotations

import gzip
import random
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from requests import Response

from motcua.domain.clock import iso, now
from motcua.i18n import tr
from motcua.protocol.messages import (
    PROTOCOL_VERSION,
    ChunkAck,
    EnrollRequest,
    EnrollResponse,
    MissingResponse,
    ProtocolError,
    PullResponse,
    PushResponse,
)
from motcua.sync.errors import (
    EnrollmentRefused,
    HubRefused,
    NotAcknowledged,
    RoundTimedOut,
    TooManyAttempts,
    Unreachable,
)
from motcua.sync.transport import Transport, acknowledged

T = TypeVar("T")


class HubClient:
    def __init__(self, transport: Transport, *, attempts: int = 3, pause: float = 1.0,
                 sleep: Callable[[float], None] = time.sleep, compress_chunks: bool = True):
        self.transport = transport
        self.attempts = attempts
        self.pause = pause
        self.sleep = sleep
        self.compress_chunks = compress_chunks

    def clone(self) -> HubClient:
        """Another client to the same hub on its own connection (for parallel uploads)."""
        return HubClient(self.transport.clone(), attempts=self.attempts, pause=self.pause, sleep=self.sleep,
                         compress_chunks=self.compress_chunks)

    def _retry(self, call: Callable[[], T]) -> T:
        for attempt in range(1, self.attempts + 1):
            try:
                return call()
            except RoundTimedOut:
                raise
            except (Unreachable, NotAcknowledged):
                if attempt == self.attempts:
                    raise
                pause = self.pause * attempt * (0.5 + random.random())
                left = self.transport.remaining()
                self.sleep(pause if left is None else min(pause, left))
        raise AssertionError("unreachable")

    def _message(self, parse: Callable[[object], T], method: str, path: str, ack: str, **kwargs: Any) -> T:
        body = self.transport.call(method, path, ack, **kwargs)
        try:
            return parse(body)
        except ProtocolError as exc:
            raise NotAcknowledged(tr("Trả lời của máy chủ tỉnh không đúng giao thức: {e}", e=str(exc))) from exc

    # -- enrollment (no token yet) -----------------------------------------------------------------
    def enroll(self, code: str, device_name: str, public_key_b64: str, agency_code: str = "") -> EnrollResponse:
        """Spend the one-time code; never retried (a lost answer would make the retry look like a used code)."""
        body = EnrollRequest(code, device_name, public_key_b64, agency_code).to_dict()
        response = self.transport.request("POST", "/api/v1/enroll", json_body=body, auth=False)
        problem = _problem(response)
        if response.status_code == 403 and problem.get("error") == "enrollment_refused":
            raise EnrollmentRefused()
        if response.status_code == 429:
            wait = _retry_after(response, problem)
            raise TooManyAttempts(tr("Đã nhập sai mã đăng ký quá nhiều lần từ mạng này; máy chủ tỉnh tạm dừng "
                                     "nhận đăng ký trong khoảng {wait}. Hãy kiểm tra lại mã rồi thử lại sau.",
                                     wait=_duration(wait)), wait)
        if response.status_code == 409:  # this desk's agency code is another commune's, or nine desks are active
            if "workstation" in str(problem.get("detail", "")):
                raise EnrollmentRefused(tr("Xã đã có 9 máy đang kết nối, mỗi máy một số máy trạm riêng. Nhờ tỉnh thu "
                                           "hồi máy không còn dùng rồi đăng ký lại; mã đăng ký chưa bị dùng."))
            raise EnrollmentRefused(tr("Mã cơ quan của máy này ({agency}) không khớp với mã cơ quan của xã trên máy "
                                       "chủ tỉnh. Kiểm tra lại mã cơ quan (motcua init --agency-code) hoặc liên hệ "
                                       "tỉnh; mã đăng ký chưa bị dùng.", agency=agency_code))
        if response.status_code in (401, 403):  # not the hub's refusal of a code: a proxy or a wrong server
            raise HubRefused(tr("Yêu cầu đăng ký bị từ chối (mã lỗi {code}) mà không phải do mã đăng ký: kiểm tra "
                                "lại địa chỉ máy chủ tỉnh.", code=response.status_code))
        try:
            return EnrollResponse.from_dict(acknowledged(response, "enroll"))
        except ProtocolError as exc:
            raise NotAcknowledged(tr("Trả lời của máy chủ tỉnh không đúng giao thức: {e}", e=str(exc))) from exc

    # -- the regular calls -------------------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        return self._retry(lambda: self.transport.call("GET", "/api/v1/status", "status"))

    def push(self, device_id: str, events: Sequence[dict[str, Any]]) -> PushResponse:
        body = {"protocol": PROTOCOL_VERSION, "device_id": device_id, "client_time": iso(now()),
                "events": list(events)}
        answer = self._retry(lambda: self._message(PushResponse.from_dict, "POST", "/api/v1/push", "push",
                                                   json_body=body))
        sent = {e["id"] for e in events}
        if {r.id for r in answer.results} != sent:
            raise NotAcknowledged(tr("Máy chủ tỉnh xác nhận không đủ các sự kiện đã gửi; sẽ gửi lại."))
        return answer

    def pull(self, cursor: int, limit: int) -> PullResponse:
        return self._retry(lambda: self._message(PullResponse.from_dict, "GET", "/api/v1/pull", "pull",
                                                 params={"cursor": cursor, "limit": limit}))

    def missing(self, hashes: Sequence[str]) -> list[str]:
        answer = self._retry(lambda: self._message(MissingResponse.from_dict, "POST", "/api/v1/attachments/missing",
                                                   "missing", json_body={"hashes": list(hashes)}))
        return answer.missing

    def upload_status(self, sha256: str) -> ChunkAck:
        def call() -> ChunkAck:
            response = self.transport.request("GET", f"/api/v1/attachments/{sha256}/status")
            if response.status_code == 404:
                return ChunkAck(0, False)
            try:
                data = response.json()
            except ValueError:
                data = None
            if response.status_code >= 400 or not isinstance(data, dict):
                acknowledged(response, "status")  # raises the right error
            assert isinstance(data, dict)
            ack = data.get("ack")
            if ack not in ("attachment_status", "chunk", "status") or "received" not in data:
                raise NotAcknowledged(tr("Trả lời về tệp đính kèm không phải của máy chủ tỉnh."))
            return ChunkAck(int(data["received"]), bool(data.get("complete")))

        return self._retry(call)

    def put_chunk(self, sha256: str, offset: int, total: int, chunk: bytes) -> ChunkAck:
        """Send one chunk; the answer says how many bytes the hub now holds (a 409 "resume at N" too)."""
        headers = {"X-Offset": str(offset), "X-Total-Size": str(total), "Content-Type": "application/octet-stream"}
        body = chunk
        if self.compress_chunks:
            packed = gzip.compress(chunk, compresslevel=6)
            if len(packed) < len(chunk) * 0.9:  # scans are already compressed; text PDFs are not
                body = packed
                headers["Content-Encoding"] = "gzip"
        response = self.transport.request("PUT", f"/api/v1/attachments/{sha256}", data=body, headers=headers)
        if response.status_code == 409:
            try:
                problem = response.json()
            except ValueError:
                problem = None
            if isinstance(problem, dict) and isinstance(problem.get("received"), int):
                return ChunkAck(int(problem["received"]), False)
        if response.status_code == 415 and "Content-Encoding" in headers:
            self.compress_chunks = False  # a hub that does not take gzip chunks: send them plain
            return self.put_chunk(sha256, offset, total, chunk)
        try:
            return ChunkAck.from_dict(acknowledged(response, "chunk"), "chunk")
        except ProtocolError as exc:
            raise NotAcknowledged(tr("Trả lời của máy chủ tỉnh không đúng giao thức: {e}", e=str(exc))) from exc


def _problem(response: Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _retry_after(response: Response, problem: dict[str, Any]) -> int | None:
    for value in (response.headers.get("Retry-After"), problem.get("retry_after")):
        if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
            return int(value)
    return None


def _duration(seconds: int | None) -> str:
    if seconds is None:
        return tr("ít phút")
    if seconds < 60:
        return tr("{n} giây", n=seconds)
    return tr("{n} phút", n=-(-seconds // 60))
