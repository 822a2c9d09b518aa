"""ASGI middleware: cap request bodies and accept gzip-compressed ones (Content-Encoding: gzip)."""

from __future__ import annotations

import json
import zlib
from typing import Any

MAX_BODY_BYTES = 16 * 1024 * 1024           # as sent (a chunk is at most 8 MiB)
MAX_INFLATED_BYTES = 32 * 1024 * 1024       # after gunzip: a small bomb stops here

Scope = dict[str, Any]
Message = dict[str, Any]


class _TooLarge(Exception):
    pass


class _Disconnected(Exception):
    pass


class BodyMiddleware:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        encoding = headers.get(b"content-encoding", b"identity").decode("latin-1").strip().lower()
        if encoding not in ("identity", "gzip", ""):
            await _problem(send, 415, "unsupported_encoding", f"Content-Encoding {encoding!r} is not accepted; "
                           "send identity or gzip")
            return
        try:
            declared = int(headers.get(b"content-length", b"0"))
        except ValueError:
            declared = 0
        if declared > MAX_BODY_BYTES:
            await _problem(send, 413, "too_large", f"request body of {declared} bytes exceeds {MAX_BODY_BYTES}")
            return
        try:
            body = await _read_body(receive)
            if encoding == "gzip":
                body = _gunzip(body)
        except _TooLarge as exc:
            await _problem(send, 413, "too_large", str(exc))
            return
        except _Disconnected:
            return  # the client went away mid-body: nothing half-received is ever processed
        except zlib.error as exc:
            await _problem(send, 400, "invalid_request", f"body is not valid gzip: {exc}")
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


async def _read_body(receive: Any) -> bytes:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _TooLarge(f"request body exceeds {MAX_BODY_BYTES} bytes")
        chunks.append(chunk)
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def _gunzip(data: bytes) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = inflater.decompress(data, MAX_INFLATED_BYTES + 1)
    if len(out) > MAX_INFLATED_BYTES or inflater.unconsumed_tail:
        raise _TooLarge(f"gzip body inflates beyond {MAX_INFLATED_BYTES} bytes")
    return out + inflater.flush()


async def _problem(send: Any, status: int, error: str, detail: str) -> None:
    body = json.dumps({"error": error, "detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
