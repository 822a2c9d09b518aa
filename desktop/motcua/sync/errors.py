"""What can go wrong while syncing, each with a message an official can read (Vietnamese)."""

from __future__ import annotations

from motcua.i18n import tr


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
