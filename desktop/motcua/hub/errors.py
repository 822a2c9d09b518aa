"""The hub's one exception type; the API turns it into problem JSON {error, detail}."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any


class HubError(Exception):
    def __init__(self, status: int, error: str, detail: str, *, headers: Mapping[str, str] | None = None,
                 **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.error = error
        self.detail = detail
        self.headers = dict(headers or {})
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"error": self.error, "detail": safe_text(self.detail), **self.extra}


def unauthorized(detail: str) -> HubError:
    return HubError(401, "unauthorized", detail)


def invalid(detail: str) -> HubError:
    return HubError(400, "invalid_request", detail)


def not_found(detail: str) -> HubError:
    return HubError(404, "not_found", detail)


def conflict(detail: str, **extra: Any) -> HubError:
    return HubError(409, "conflict", detail, **extra)


def too_many_attempts(retry_after: int) -> HubError:
    return HubError(429, "too_many_attempts", f"too many failed enrollment attempts from this address; "
                    f"try again in {retry_after} s", headers={"Retry-After": str(retry_after)},
                    retry_after=retry_after)


def storable(value: Any) -> bool:
    """Whether every text in ``value`` (a JSON value) can be kept by both engines."""
    try:
        check_storable(value)
    except HubError:
        return False
    return True


def safe_text(text: str) -> str:
    """``text`` with anything a database or UTF-8 cannot carry escaped (for reasons and details that
    quote what a client sent)."""
    return text.replace("\x00", "\\x00").encode("utf-8", "backslashreplace").decode("utf-8")


def check_storable(value: Any, where: str = "body") -> None:
    """Refuse text a database cannot keep: NUL characters (PostgreSQL) and lone surrogates (not UTF-8)."""
    if isinstance(value, str):
        if "\x00" in value:
            raise invalid(f"{where} holds a NUL character")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise invalid(f"{where} holds text that is not valid UTF-8") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            check_storable(key, where)
            check_storable(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_storable(item, f"{where}[{index}]")
    elif isinstance(value, float) and not math.isfinite(value):
        raise invalid(f"{where} holds a number JSON cannot carry (NaN or infinity)")
