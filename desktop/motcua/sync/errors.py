"""What can go wrong while syncing, each with a message an official can read (Vietnamese)."""

from __future__ import annotations

from motcua.i18n import tr
from motcua.protocol.safezip import UnsafeZip


class SyncError(Exception):
    """A sync step failed; ``str(exc)`` is the plain-Vietnamese reason shown to the user."""

    retry: bool = True  # worth trying again later without anyone doing anything


class Unreachable(SyncError):
    """No answer from the hub (no network, DNS, refused, timed out, cut mid-transfer)."""


class RoundTimedOut(Unreachable):
    """The round's overall deadline passed (a hub that accepts and never answers): tried again on the timer."""


class NotAcknowledged(SyncError):
    """Something answered, but not the hub's acknowledgement (captive portal, proxy, wrong server)."""


class HubRefused(SyncError):
    """The hub answered with an error for this request."""


class AuthRefused(HubRefused):
    """The token was refused: the device must be enrolled again."""

    retry = False


class DeviceRevoked(AuthRefused):
    """The province revoked this device: no automatic round until it is enrolled again or asked by hand."""


class EnrollmentRefused(HubRefused):
    """The hub refused the enrollment code: unknown, already used or expired (it does not say which)."""

    retry = False

    def __init__(self, message: str | None = None):
        super().__init__(message or tr("Mã đăng ký không đúng, đã được dùng hoặc đã hết hạn. Hãy kiểm tra lại mã "
                                       "tỉnh đã cấp; nếu vẫn không được, xin tỉnh cấp mã mới."))


class TooManyAttempts(HubRefused):
    """The hub stopped hearing enrollment attempts from this address for a while (HTTP 429)."""

    retry = False

    def __init__(self, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class InvalidHubAddress(SyncError):
    """The hub address cannot be used (not a URL, or plain http:// to another machine)."""

    retry = False


class KeyringUnavailable(SyncError):
    """The operating system's keyring cannot keep the device's secrets."""

    retry = False


class CertificateRefused(SyncError):
    """The hub's TLS certificate did not verify against the province CA."""

    retry = False


class NotEnrolled(SyncError):
    retry = False


class BundleRefused(SyncError):
    """A bundle file that must not be imported (bad signature, other commune, hostile archive)."""

    retry = False


def zip_refused(exc: UnsafeZip) -> BundleRefused:
    """The official's reason for a bundle the shared zip rules refused (``exc.code`` says which rule)."""
    name = str(exc.params.get("name", ""))
    if exc.code == "unreadable":
        return BundleRefused(tr("Tệp {name} không phải gói đồng bộ hợp lệ (không đọc được zip).", name=name))
    if exc.code == "missing":
        return BundleRefused(tr("Gói đồng bộ thiếu tệp {name}.", name=name))
    reasons = {
        "too_many": tr("quá nhiều tệp bên trong ({n}).", n=exc.params.get("count", "")),
        "bad_name": tr("tên tệp bên trong không hợp lệ."),
        "absolute_name": tr("tên tệp tuyệt đối hoặc có dấu \\ ({name}).", name=name),
        "dot_name": tr("tên tệp có «..» hoặc thành phần rỗng ({name}).", name=name),
        "unlisted_name": tr("tên tệp {name} không được phép trong gói.", name=name),
        "folder": tr("có liên kết tượng trưng hoặc thư mục/tệp đặc biệt ({name}).", name=name),
        "special_file": tr("có liên kết tượng trưng hoặc thư mục/tệp đặc biệt ({name}).", name=name),
        "encrypted": tr("có tệp được mã hóa ({name}).", name=name),
        "duplicate": tr("tên tệp bị lặp ({name}).", name=name),
        "member_too_big": tr("tệp {name} quá lớn.", name=name),
        "zip_bomb": tr("tỉ lệ nén bất thường ở {name} (nghi «bom zip»).", name=name),
        "total_too_big": tr("tổng dung lượng giải nén quá lớn."),
        "inflates": tr("tệp {name} giải nén ra lớn hơn giới hạn.", name=name),
        "size_mismatch": tr("tệp {name} giải nén ra khác kích thước đã khai.", name=name),
        "corrupt": tr("tệp {name} bị hỏng ({e}).", name=name, e=str(exc.params.get("error", ""))),
    }
    why = reasons.get(exc.code, str(exc))
    return BundleRefused(tr("Gói đồng bộ bị từ chối vì không an toàn: {why}", why=why))
