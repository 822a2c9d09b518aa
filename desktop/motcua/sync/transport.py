"""The HTTP transport: one ``requests`` session with TLS verification, timeouts and gzip bodies.

Knows nothing about the protocol's messages; ``client.py`` does. Counts bytes sent and received so
the status and the benchmark can report what went over the wire (bodies and headers, before TLS).
"""

from __future__ import annotations

import gzip
import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from motcua import __version__
from motcua.i18n import tr
from motcua.sync.errors import (
    AuthRefused,
    CertificateRefused,
    DeviceRevoked,
    HubRefused,
    NotAcknowledged,
    RoundTimedOut,
    Unreachable,
)

CONNECT_TIMEOUT = 15.0
READ_TIMEOUT = 90.0
GZIP_MIN_BYTES = 512


@dataclass
class WireCounter:
    sent: int = 0
    received: int = 0
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, sent: int, received: int) -> None:
        with self.lock:
            self.sent += sent
            self.received += received
            self.requests += 1


@dataclass
class Transport:
    """Where the hub is and how to reach it safely."""

    base_url: str
    token: str = ""
    ca_file: str | None = None
    proxy: str | None = None           # only an explicit one (``sync enroll --proxy``), never the environment's
    timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT)
    counter: WireCounter = field(default_factory=WireCounter)
    deadline: float | None = None      # time.monotonic() after which no request starts or waits (a round's end)
    session: requests.Session = field(init=False)

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        self.session = requests.Session()
        # Retries are ours (client.py), never urllib3's hidden ones: a retry must re-check the ack.
        self.session.mount("http://", HTTPAdapter(max_retries=0, pool_maxsize=2))
        self.session.mount("https://", HTTPAdapter(max_retries=0, pool_maxsize=2))
        self.session.headers["User-Agent"] = f"motcua/{__version__}"
        self.session.headers["Accept-Encoding"] = "gzip"
        # A commune PC's environment (proxy variables, .netrc) must not silently reroute the hub or
        # replace the device token; a province that needs a proxy configures it explicitly.
        self.session.trust_env = False
        if self.proxy:
            self.session.proxies = {"http": self.proxy, "https": self.proxy}

    @property
    def verify(self) -> bool | str:
        if self.ca_file:
            if not Path(self.ca_file).is_file():
                raise CertificateRefused(tr("Không tìm thấy tệp chứng thư CA của tỉnh: {path}.", path=self.ca_file))
            return self.ca_file
        return True

    def clone(self) -> Transport:
        """Same hub, same credentials and counter, its own connection."""
        return Transport(self.base_url, token=self.token, ca_file=self.ca_file, proxy=self.proxy,
                         timeout=self.timeout, counter=self.counter, deadline=self.deadline)

    def remaining(self) -> float | None:
        """Seconds left before the deadline (None: no deadline); RoundTimedOut once it has passed."""
        if self.deadline is None:
            return None
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise RoundTimedOut(tr("Máy chủ tỉnh không trả lời xong trong thời hạn của một lần đồng bộ; lần này dừng "
                                   "lại, máy sẽ tự thử lại theo lịch."))
        return left

    def _timeout(self) -> tuple[float, float]:
        left = self.remaining()
        if left is None:
            return self.timeout
        # A read timeout bounds the silence between bytes: a transfer that keeps flowing is not cut.
        return (min(self.timeout[0], max(left, 1.0)), min(self.timeout[1], max(left, 1.0)))

    def close(self) -> None:
        self.session.close()

    def request(self, method: str, path: str, *, json_body: Any = None, data: bytes | None = None,
                params: dict[str, Any] | None = None, headers: dict[str, str] | None = None,
                auth: bool = True) -> requests.Response:
        url = f"{self.base_url}{path}"
        send_headers = dict(headers or {})
        if auth and self.token:
            send_headers["Authorization"] = f"Bearer {self.token}"
        body = data
        if json_body is not None:
            body = json.dumps(json_body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            send_headers["Content-Type"] = "application/json"
            if len(body) >= GZIP_MIN_BYTES:
                body = gzip.compress(body, compresslevel=6)
                send_headers["Content-Encoding"] = "gzip"
        timeout = self._timeout()
        try:
            try:
                response = self.session.request(method, url, data=body, params=params, headers=send_headers,
                                                timeout=timeout, verify=self.verify, stream=False)
            except requests.exceptions.RequestException:
                # What went out counts even when no answer came back (bytes_sent includes failed attempts).
                self.counter.add(len(body or b"") + _header_bytes(send_headers) + len(method) + len(url), 0)
                raise
        except requests.exceptions.SSLError as exc:
            raise CertificateRefused(tr("Chứng thư bảo mật (TLS) của máy chủ tỉnh không hợp lệ hoặc không do CA "
                                        "của tỉnh cấp: {error}", error=_short(exc))) from exc
        except requests.exceptions.Timeout as exc:
            self.remaining()  # the round's deadline passed while waiting: say so
            raise Unreachable(tr("Máy chủ tỉnh không trả lời kịp (quá thời gian chờ).")) from exc
        except (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
            raise Unreachable(tr("Không kết nối được máy chủ tỉnh (mất mạng hoặc máy chủ chưa chạy).")) from exc
        except requests.exceptions.RequestException as exc:
            raise Unreachable(tr("Lỗi kết nối tới máy chủ tỉnh: {error}", error=_short(exc))) from exc
        raw_size = response.headers.get("Content-Length")
        self.counter.add(len(body or b"") + _header_bytes(response.request.headers) + len(method) + len(url),
                         (int(raw_size) if raw_size and raw_size.isdigit() else len(response.content))
                         + _header_bytes(response.headers))
        return response

    def call(self, method: str, path: str, expect_ack: str, **kwargs: Any) -> dict[str, Any]:
        """A request whose answer must be the hub's JSON carrying ``ack == expect_ack``."""
        response = self.request(method, path, **kwargs)
        return acknowledged(response, expect_ack)


def acknowledged(response: requests.Response, expect_ack: str) -> dict[str, Any]:
    """The JSON body if it is the hub's acknowledgement; raise otherwise (a bare 200 is not success)."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code in (401, 403):
        detail = str(body.get("detail", "")) if isinstance(body, dict) else ""
        if response.status_code == 401 and "revoked" in detail:
            raise DeviceRevoked(tr("Tỉnh đã thu hồi quyền kết nối của máy này nên máy ngừng tự đồng bộ. Liên hệ tỉnh "
                                   "để được cấp mã đăng ký mới rồi đăng ký lại máy (motcua sync enroll)."))
        raise AuthRefused(tr("Máy chủ tỉnh từ chối khóa truy cập của máy này; cần đăng ký lại máy "
                             "(motcua sync enroll)."))
    if response.status_code >= 400:
        detail = body.get("detail") if isinstance(body, dict) else None
        raise HubRefused(tr("Máy chủ tỉnh báo lỗi {code}: {detail}", code=response.status_code,
                            detail=detail or response.reason or ""))
    if not isinstance(body, dict) or body.get("ack") != expect_ack:
        raise NotAcknowledged(tr("Nhận được trả lời không phải của máy chủ tỉnh (có thể mạng yêu cầu đăng nhập "
                                 "wifi hoặc đi qua proxy); dữ liệu chưa được gửi xong."))
    return body


def _header_bytes(headers: Any) -> int:
    return sum(len(k) + len(str(v)) + 4 for k, v in headers.items())


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) < 200 else text[:200] + "…"
