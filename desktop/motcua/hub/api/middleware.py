"""ASGI middleware for request bodies: who is asking first, then what they send, within bounds.

Before a byte of the body is read: the bearer token is checked (a device's, or the province's on
/api/v1/admin/…; /api/v1/enroll needs none), and the Content-Type must be what the route takes
(JSON, or application/octet-stream for attachment chunks). Then the body is read and, when it comes
with Content-Encoding: gzip, inflated while it streams in, stopping at the cap: an unauthenticated
gzip bomb costs nothing, an authenticated one at most the cap.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from starlette.concurrency import run_in_threadpool

from motcua.hub.communes import accounts
from motcua.hub.errors import HubError
from motcua.hub.store.credentials import same_secret

MAX_BODY_BYTES = 16 * 1024 * 1024           # as sent (a chunk is at most 8 MiB)
MAX_INFLATED_BYTES = 32 * 1024 * 1024       # after gunzip: a bomb stops here
MAX_ENROLL_BYTES = 64 * 1024                # an enrolment is a few hundred bytes and needs no token
DEVICE_STATE_KEY = "motcua_device"          # the device the middleware authenticated, for the route

Scope = dict[str, Any]
Message = dict[str, Any]


class _TooLarge(Exception):
    pass


class _Disconnected(Exception):
    pass


class _BadGzip(Exception):
    pass


class BodyMiddleware:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        path = str(scope.get("path", ""))
        refused = await _authenticate(scope, path, headers)
        if refused is not None:
            await _problem(send, refused.status, refused.error, refused.detail)
            return
        wanted = "application/octet-stream" if scope["method"] == "PUT" else "application/json"
        given = headers.get(b"content-type", b"").decode("latin-1").split(";")[0].strip().lower()
        if given and given != wanted:
            await _problem(send, 415, "unsupported_media_type", f"Content-Type {given!r} is not accepted here; "
                           f"send {wanted}")
            return
        encoding = headers.get(b"content-encoding", b"identity").decode("latin-1").strip().lower()
        if encoding not in ("identity", "gzip", ""):
            await _problem(send, 415, "unsupported_encoding", f"Content-Encoding {encoding!r} is not accepted; "
                           "send identity or gzip")
            return
        limit = MAX_ENROLL_BYTES if path == "/api/v1/enroll" else MAX_BODY_BYTES
        try:
            declared = int(headers.get(b"content-length", b"0"))
        except ValueError:
            declared = 0
        if declared > limit:
            await _problem(send, 413, "too_large", f"request body of {declared} bytes exceeds {limit}")
            return
        inflated_limit = MAX_ENROLL_BYTES if path == "/api/v1/enroll" else MAX_INFLATED_BYTES
        try:
            body = await _read_body(receive, limit, inflated_limit if encoding == "gzip" else None)
        except _TooLarge as exc:
            await _problem(send, 413, "too_large", str(exc))
            return
        except _Disconnected:
            return  # the client went away mid-body: nothing half-received is ever processed
        except _BadGzip as exc:
            await _problem(send, 400, "invalid_request", f"body is not valid gzip: {exc}")
            return
        if body and not given:  # an empty body (POST …/revoke) needs no type; anything else says what it is
            await _problem(send, 415, "unsupported_media_type", f"Content-Type is missing; send {wanted}")
            return
        if encoding == "gzip":
            scope = dict(scope)
            scope["headers"] = [(k, v) for k, v in scope["headers"]
                                if k.lower() not in (b"content-encoding", b"content-length")]
            scope["headers"].append((b"content-length", str(len(body)).encode()))
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


async def _authenticate(scope: Scope, path: str, headers: dict[bytes, bytes]) -> HubError | None:
    """The refusal to send before reading the body, or None; a device found is kept for the route."""
    if path == "/api/v1/enroll":
        return None
    value = headers.get(b"authorization", b"").decode("latin-1")
    scheme, _, token = value.partition(" ")
    token = token.strip() if scheme.lower() == "bearer" else ""
    hub = scope["app"].state.hub
    if path.startswith("/api/v1/admin/"):
        if not hub.config.admin_token:
            return HubError(403, "admin_disabled", "the province API is closed: no admin token is configured")
        if not token or not same_secret(token, hub.config.admin_token):
            return HubError(401, "unauthorized", "the province API needs the admin token")
        return None
    try:
        device = await run_in_threadpool(accounts.authenticate, hub.db, token or None)
    except HubError as exc:
        return exc
    scope.setdefault("state", {})[DEVICE_STATE_KEY] = device
    return None


async def _read_body(receive: Any, limit: int, inflated_limit: int | None) -> bytes:
    """The body as sent (``inflated_limit`` None) or gunzipped as it arrives, never beyond the caps."""
    chunks: list[bytes] = []
    size = 0
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS) if inflated_limit is not None else None
    room = inflated_limit or 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _TooLarge(f"request body exceeds {limit} bytes")
        if inflater is None:
            chunks.append(chunk)
        elif chunk:
            try:
                out = inflater.decompress(chunk, room + 1)
            except zlib.error as exc:
                raise _BadGzip(str(exc)) from None
            if len(out) > room:
                raise _TooLarge(f"gzip body inflates beyond {inflated_limit} bytes")
            room -= len(out)
            chunks.append(out)
        if not message.get("more_body"):
            break
    if inflater is not None and not inflater.eof:
        raise _BadGzip("the compressed stream is truncated")
    return b"".join(chunks)


async def _problem(send: Any, status: int, error: str, detail: str) -> None:
    body = json.dumps({"error": error, "detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status == 401:
        headers.append((b"www-authenticate", b"Bearer"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
