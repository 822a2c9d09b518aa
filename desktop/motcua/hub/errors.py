"""The hub's one exception type; the API turns it into problem JSON {error, detail}."""

from __future__ import annotations

from typing import Any


class HubError(Exception):
    def __init__(self, status: int, error: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.error = error
        self.detail = detail
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"error": self.error, "detail": self.detail, **self.extra}


def unauthorized(detail: str) -> HubError:
    return HubError(401, "unauthorized", detail)


def invalid(detail: str) -> HubError:
    return HubError(400, "invalid_request", detail)


def not_found(detail: str) -> HubError:
    return HubError(404, "not_found", detail)


def conflict(detail: str, **extra: Any) -> HubError:
    return HubError(409, "conflict", detail, **extra)
