"""What every route of the hub's API depends on: the running hub, who is asking (a device or the province),
the problem responses the routes declare, and parsing a body by the protocol's own rules."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import Depends, Path, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from motcua.hub.api import schemas as s
from motcua.hub.api.middleware import DEVICE_STATE_KEY
from motcua.hub.api.ratelimit import FailureLimiter
from motcua.hub.communes import accounts
from motcua.hub.communes.accounts import Device
from motcua.hub.errors import HubError, invalid, safe_text, unauthorized
from motcua.hub.service.hub import Hub
from motcua.hub.store.credentials import same_secret
from motcua.protocol.messages import ProtocolError

bearer = HTTPBearer(auto_error=False, description="device token (from /enroll) or the province admin token")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
MAX_INT64 = 2**63 - 1
Sha256 = Annotated[str, Path(pattern="^[0-9a-f]{64}$", description="SHA-256 of the file, lowercase hex")]
PROBLEMS: dict[int | str, dict[str, Any]] = {
    code: {"model": s.ProblemOut} for code in (400, 401, 403, 404, 409, 413, 422)
}
ENROLL_PROBLEMS: dict[int | str, dict[str, Any]] = {**PROBLEMS, 429: {
    "model": s.TooManyAttemptsOut,
    "description": "Too many failed enrollment attempts from this client address (per hub worker process)",
    "headers": {"Retry-After": {"description": "seconds until this address may try again",
                                "schema": {"type": "integer", "minimum": 1}}}}}


def _hub(request: Request) -> Hub:
    hub: Hub = request.app.state.hub
    return hub


def _enroll_limiter(request: Request) -> FailureLimiter:
    limiter: FailureLimiter = request.app.state.enroll_limiter
    return limiter


def _device(request: Request, credentials: Credentials) -> Device:
    known = request.scope.get("state", {}).get(DEVICE_STATE_KEY)
    if isinstance(known, Device):  # authenticated by BodyMiddleware before the body was read
        return known
    return accounts.authenticate(_hub(request).db, credentials.credentials if credentials else None)


def _admin(request: Request, credentials: Credentials) -> None:
    hub = _hub(request)
    if not hub.config.admin_token:
        raise HubError(403, "admin_disabled", "the province API is closed: no admin token is configured")
    if credentials is None or not same_secret(credentials.credentials, hub.config.admin_token):
        raise unauthorized("the province API needs the admin token")


HubDep = Annotated[Hub, Depends(_hub)]
EnrollLimiterDep = Annotated[FailureLimiter, Depends(_enroll_limiter)]
DeviceDep = Annotated[Device, Depends(_device)]
AdminDep = Annotated[None, Depends(_admin)]


def problem(status: int, error: str, detail: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": error, "detail": safe_text(detail), **extra}, status_code=status)


async def json_body(request: Request) -> Any:
    try:
        return json.loads(await request.body())
    except (ValueError, RecursionError) as exc:
        raise invalid(f"body is not JSON: {type(exc).__name__}: {exc}") from None


def parse(parser: Any, data: Any) -> Any:
    try:
        return parser(data)
    except ProtocolError as exc:
        raise invalid(str(exc)) from None
