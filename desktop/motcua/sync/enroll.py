"""Enrolling this desk with the provincial hub: a one-time code in, a token and keys out.

The private key is made here and never leaves the PC; the token and key go to the OS keyring; the
database keeps only what is not secret (hub address, CA file, device id, commune, hub public key).
``enroll`` is the one service behind ``motcua sync enroll`` and the app's "Kết nối với hệ thống của
tỉnh" dialog; ``check_enrollment_input`` is what both check before anything goes on the network.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import keyring
import keyring.errors

from motcua.domain.clock import iso, now
from motcua.domain.text import clean
from motcua.i18n import tr
from motcua.protocol.messages import ENROLLMENT_CODE_ALPHABET, ENROLLMENT_CODE_LENGTH, EnrollResponse
from motcua.protocol.signing import generate_private_key, load_public_key, public_key_b64
from motcua.services.validation import Collector
from motcua.store.db import transaction
from motcua.store.settings import get_settings, put_values
from motcua.sync.client import HubClient
from motcua.sync.credentials import SECRET_STORE_KEY, has_keyring, save_private_key, save_token, store_uid
from motcua.sync.disconnect import make_room_for_another_hub
from motcua.sync.errors import KeyringUnavailable, SyncError
from motcua.sync.meta import put_meta
from motcua.sync.transport import Transport

MAX_DEVICE_NAME = 200          # the hub keeps at most this many characters
MAX_CA_FILE_BYTES = 1024 * 1024
_CODE_SEPARATORS = re.compile(r"[\s\-‐‑–—_.]+")


@dataclass(frozen=True)
class EnrollmentInput:
    """What the official typed, checked and put in the form the hub expects."""

    hub_url: str                # scheme://host[:port][/path], no trailing slash
    code: str                   # K7QM-4XPA-93HT
    ca_file: str | None         # absolute path of a PEM file, or None for the system's trust store
    device_name: str
    proxy: str | None = None


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_hub_url(url: str, *, allow_plain_http: bool = False) -> str:
    """The hub address as used from now on; ValueError (Vietnamese) when it cannot be one.

    https:// always; http:// only to this very machine (a hub run for a trial or a test), unless
    ``allow_plain_http`` (the command line's ``--allow-http``, for a closed test network).
    """
    text = url.strip()
    if not text:
        raise ValueError(tr("Chưa nhập địa chỉ máy chủ tỉnh."))
    if "://" not in text:
        raise ValueError(tr("Địa chỉ máy chủ tỉnh phải bắt đầu bằng https://, ví dụ https://motcua.daklak.gov.vn"))
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise ValueError(tr("Địa chỉ máy chủ tỉnh không hợp lệ (kiểm tra lại phần số cổng sau dấu hai chấm).")) \
            from None
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if scheme not in ("https", "http"):
        raise ValueError(tr("Địa chỉ máy chủ tỉnh phải bắt đầu bằng https://, ví dụ https://motcua.daklak.gov.vn"))
    if not host or any(c.isspace() for c in text):
        raise ValueError(tr("Địa chỉ máy chủ tỉnh không hợp lệ: thiếu tên máy chủ hoặc có dấu cách."))
    if parts.username or parts.password or parts.query or parts.fragment:
        raise ValueError(tr("Chỉ nhập địa chỉ máy chủ tỉnh, không kèm tên đăng nhập, dấu ? hay dấu #."))
    if scheme == "http" and not allow_plain_http and not is_loopback(host):
        raise ValueError(tr("Địa chỉ máy chủ tỉnh phải dùng https:// (kết nối được mã hóa). Chỉ dùng http:// "
                            "khi máy chủ chạy ngay trên máy này."))
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    return urlunsplit((scheme, netloc, parts.path.rstrip("/"), "", ""))


def check_enrollment_code(code: str) -> str:
    """The code as the hub made it (K7QM-4XPA-93HT), whatever spaces or dashes were typed."""
    chars = _CODE_SEPARATORS.sub("", code).upper()
    if not chars:
        raise ValueError(tr("Chưa nhập mã đăng ký do tỉnh cấp."))
    if len(chars) != ENROLLMENT_CODE_LENGTH or any(c not in ENROLLMENT_CODE_ALPHABET for c in chars):
        raise ValueError(tr("Mã đăng ký gồm {n} chữ và số, dạng K7QM-4XPA-93HT (không có chữ O, I và số 0, 1). "
                            "Kiểm tra lại mã tỉnh đã cấp.", n=ENROLLMENT_CODE_LENGTH))
    return "-".join(chars[i:i + 4] for i in range(0, len(chars), 4))


def check_ca_file(path: str) -> str:
    """The absolute path of a readable PEM certificate file."""
    file = Path(path.strip()).expanduser()
    if not file.is_file():
        raise ValueError(tr("Không tìm thấy tệp chứng thư CA: {path}.", path=str(file)))
    try:
        with file.open("rb") as handle:
            head = handle.read(MAX_CA_FILE_BYTES + 1)
    except OSError as exc:
        raise ValueError(tr("Không đọc được tệp chứng thư CA: {e}.", e=exc.strerror or str(exc))) from None
    if len(head) > MAX_CA_FILE_BYTES or b"-----BEGIN CERTIFICATE-----" not in head:
        raise ValueError(tr("Tệp này không phải chứng thư CA dạng PEM (phải có dòng «-----BEGIN CERTIFICATE-----»). "
                            "Hãy dùng đúng tệp tỉnh gửi, thường có đuôi .pem hoặc .crt."))
    return str(file.resolve())


def check_enrollment_input(hub_url: str, code: str, *, ca_file: str | None = None, device_name: str | None = None,
                           proxy: str | None = None, allow_plain_http: bool = False) -> EnrollmentInput:
    """Every field checked at once (ValidationFailed with a message per field); no network, no writes."""
    errors = Collector()
    url = errors.check("hub_url", hub_url, lambda v: check_hub_url(v, allow_plain_http=allow_plain_http))
    canonical = errors.check("code", code, check_enrollment_code)
    ca_path = errors.check("ca_file", ca_file, check_ca_file) if ca_file and ca_file.strip() else None
    name = clean(device_name or "") or socket.gethostname() or "may-tram"
    if len(name) > MAX_DEVICE_NAME:
        errors.add("device_name", tr("Tên máy dài quá {n} ký tự.", n=MAX_DEVICE_NAME))
    errors.raise_if_any()
    return EnrollmentInput(url, canonical, ca_path, name, proxy or None)


def check_keyring() -> None:
    """Refuse before the code is spent when this PC has no keyring to keep the token in."""
    if not has_keyring():
        raise KeyringUnavailable(tr("Máy tính này không có kho khóa của hệ điều hành (trên Linux: GNOME Keyring "
                                    "hoặc KWallet) để giữ khóa truy cập. Cài một kho khóa, hoặc đăng ký với "
                                    "«motcua sync enroll --token-file» để giữ khóa trong một tệp chỉ tài khoản này "
                                    "đọc được (kém an toàn hơn: xem docs/sync-client.md)."))


def enroll(conn: sqlite3.Connection, hub_url: str, code: str, *, device_name: str | None = None,
           ca_file: str | None = None, proxy: str | None = None, allow_plain_http: bool = False,
           token_file: bool = False) -> EnrollResponse:
    """Check the input, spend the code at the hub, keep the secrets in the keyring and the rest in the store.

    Raises ValidationFailed (bad input: nothing sent), SyncError subclasses with a Vietnamese reason
    (Unreachable, CertificateRefused, EnrollmentRefused, TooManyAttempts, NotAcknowledged, HubRefused,
    KeyringUnavailable). Nothing is stored unless the hub acknowledged the enrollment.
    """
    given = check_enrollment_input(hub_url, code, ca_file=ca_file, device_name=device_name, proxy=proxy,
                                   allow_plain_http=allow_plain_http)
    if not token_file:
        check_keyring()
    key = generate_private_key()
    transport = Transport(given.hub_url, ca_file=given.ca_file, proxy=given.proxy)
    agency = get_settings(conn).agency_code
    try:
        answer = HubClient(transport, attempts=1).enroll(given.code, given.device_name, public_key_b64(key), agency)
    finally:
        transport.close()
    try:
        load_public_key(answer.hub_public_key)
    except ValueError as exc:
        raise SyncError(tr("Khóa công khai của máy chủ tỉnh không hợp lệ: {e}", e=str(exc))) from exc
    store_uid(conn)
    put_meta(conn, {SECRET_STORE_KEY: "file" if token_file else "keyring"})
    try:
        save_private_key(conn, key)
        save_token(conn, answer.token)
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable(tr("Máy chủ tỉnh đã nhận mã nhưng máy này không lưu được khóa vào kho khóa của hệ "
                                    "điều hành ({e}). Mã đã dùng rồi: hãy xin tỉnh cấp mã mới sau khi khắc phục.",
                                    e=str(exc) or type(exc).__name__)) from exc
    with transaction(conn):
        make_room_for_another_hub(conn, given.hub_url)
        put_meta(conn, {"hub_url": given.hub_url, "ca_file": given.ca_file, "hub_device_id": answer.device_id,
                        "commune_code": answer.commune_code, "hub_public_key": answer.hub_public_key,
                        "proxy": given.proxy, "enrolled_at": iso(now())})
        put_values(conn, _code_settings(answer, agency))
    return answer


def _code_settings(answer: EnrollResponse, agency: str) -> dict[str, object]:
    """This desk's workstation number from the hub (no two desks of a commune share one, so their dossier
    codes never clash), and the commune's agency code when the desk had none yet."""
    values: dict[str, object] = {}
    if answer.workstation:
        values["workstation"] = answer.workstation
    if answer.agency_code and not agency:
        values["agency_code"] = answer.agency_code
    return values
