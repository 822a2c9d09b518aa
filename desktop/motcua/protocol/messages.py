"""Sync protocol v1: the wire messages between a commune's desktop and the provincial hub.

Shared by the hub (server) and the desktop sync client. Every message is plain JSON; each class has
``from_dict`` (validates, raises ``ProtocolError`` with a precise message) and ``to_dict``.

Rules that matter to both sides:
- Every acknowledging response carries an explicit ``ack`` field ("push", "pull", "missing", "chunk",
  "status", "enroll"); a bare 200 (a captive portal's login page) is never an acknowledgement.
  Use ``expect_ack(body, "push")`` on the client.
- Push is idempotent by event id: a replay answers with the stored result.
- Errors are problem JSON: ``{"error": <machine code>, "detail": <sentence for people>}``.
- Bundles (USB) carry the same bodies: see ``BundleManifest`` and docs/sync.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PROTOCOL_VERSION = 1
MAX_PUSH_EVENTS = 200          # events per push request
MAX_BUNDLE_EVENTS = 20_000     # events in one USB bundle's push.json (the hub applies them 200 at a time)
MAX_PULL_LIMIT = 1000          # items per pull page
DEFAULT_PULL_LIMIT = 200
MAX_CHUNK_BYTES = 8 * 1024 * 1024
CLOCK_SKEW_WARNING_SECONDS = 300
# One-time enrollment codes: 12 characters shown as K7QM-4XPA-93HT, without 0/O and 1/I (read over the phone).
ENROLLMENT_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ENROLLMENT_CODE_LENGTH = 12

PUSH_STATUSES = ("stored", "duplicate", "quarantined")
ITEM_KINDS = ("event", "catalog", "calendar", "decision", "announcement")
BUNDLE_KINDS = ("push", "reply")
EVENT_FIELDS = ("id", "dossier_id", "type", "actor", "occurred_at", "payload", "device_id")

# Bundle member names (docs/sync.md).
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"
PUSH_NAME = "push.json"        # in a push bundle: a PushRequest body
ACK_NAME = "ack.json"          # in a reply bundle: a PushResponse body
PULL_NAME = "pull.json"        # in a reply bundle: a PullResponse body
ATTACHMENT_DIR = "attachments/"
MAX_WANTED_FILES = 20_000    # a push bundle asks for at most this many files it lacks
MAX_REPLY_MEMBER_BYTES = 64 * 1024 * 1024   # the largest member a desk reads from a reply (a larger file waits)

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class ProtocolError(ValueError):
    """A message that does not follow protocol v1; ``str()`` says exactly what is wrong."""


def is_sha256(value: object) -> bool:
    return isinstance(value, str) and bool(_SHA256.match(value))


def expect_ack(body: object, ack: str) -> Mapping[str, Any]:
    """The body if it is a JSON object acknowledging ``ack``; else ProtocolError (captive portal, proxy…)."""
    if not isinstance(body, Mapping):
        raise ProtocolError(f"expected a JSON object acknowledging {ack!r}, got {type(body).__name__}")
    if body.get("ack") != ack:
        raise ProtocolError(f"expected ack={ack!r}, got {body.get('ack')!r}: not an answer from the hub")
    return body


MAX_INT64 = 2**63 - 1


def _storable_text(value: str) -> bool:
    """No NUL (PostgreSQL refuses it in text) and no lone surrogate (not encodable as UTF-8)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _obj(data: object, what: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise ProtocolError(f"{what} must be a JSON object")
    return data


def _str(data: Mapping[str, Any], key: str, what: str, *, allow_empty: bool = False,
         max_len: int = 10_000) -> str:
    value = data.get(key)
    if not isinstance(value, str) or (not allow_empty and not value):
        raise ProtocolError(f"{what}.{key} must be a non-empty string")
    if len(value) > max_len:
        raise ProtocolError(f"{what}.{key} is longer than {max_len} characters")
    if not _storable_text(value):
        raise ProtocolError(f"{what}.{key} holds a NUL character or invalid UTF-8")
    return value


def _int(data: Mapping[str, Any], key: str, what: str, *, minimum: int = 0, optional: bool = False) -> int | None:
    value = data.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value <= MAX_INT64:
        raise ProtocolError(f"{what}.{key} must be an integer between {minimum} and 2^63-1")
    return value


def _protocol(data: Mapping[str, Any], what: str) -> None:
    version = data.get("protocol")
    if version != PROTOCOL_VERSION:
        raise ProtocolError(f"{what}.protocol must be {PROTOCOL_VERSION}, got {version!r}")


# --- enrollment ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class EnrollRequest:
    enrollment_code: str
    device_name: str
    public_key: str                      # Ed25519 raw public key, base64
    agency_code: str = ""                # the desk's agency code (prefix of its dossier codes), if set up

    @classmethod
    def from_dict(cls, data: object) -> EnrollRequest:
        d = _obj(data, "enroll")
        agency = _str(d, "agency_code", "enroll", allow_empty=True, max_len=64) if d.get("agency_code") else ""
        return cls(_str(d, "enrollment_code", "enroll", max_len=200), _str(d, "device_name", "enroll", max_len=200),
                   _str(d, "public_key", "enroll", max_len=200), agency)

    def to_dict(self) -> dict[str, Any]:
        body = {"enrollment_code": self.enrollment_code, "device_name": self.device_name,
                "public_key": self.public_key}
        if self.agency_code:
            body["agency_code"] = self.agency_code
        return body


@dataclass(frozen=True)
class EnrollResponse:
    device_id: str
    token: str
    commune_code: str
    hub_public_key: str                  # base64 raw Ed25519: verifies reply bundles
    workstation: int = 0                 # 1–9: this device's own workstation number in its commune (0: none)
    agency_code: str = ""                # the commune's agency code at the hub ("" while not known)

    @classmethod
    def from_dict(cls, data: object) -> EnrollResponse:
        d = expect_ack(data, "enroll")
        workstation = _int(d, "workstation", "enroll", optional=True) or 0
        if workstation > 9:
            raise ProtocolError("enroll.workstation must be between 0 and 9")
        agency = _str(d, "agency_code", "enroll", allow_empty=True, max_len=64) if d.get("agency_code") else ""
        return cls(_str(d, "device_id", "enroll"), _str(d, "token", "enroll"), _str(d, "commune_code", "enroll"),
                   _str(d, "hub_public_key", "enroll"), workstation, agency)

    def to_dict(self) -> dict[str, Any]:
        return {"ack": "enroll", "device_id": self.device_id, "token": self.token,
                "commune_code": self.commune_code, "hub_public_key": self.hub_public_key,
                "workstation": self.workstation, "agency_code": self.agency_code}


# --- push ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class WireEvent:
    """One event as pushed: ``Event.to_wire()`` plus the device's mutation number."""

    id: str
    dossier_id: str
    type: str
    actor: str
    occurred_at: str
    payload: Mapping[str, Any]
    device_id: str = ""
    device_seq: int | None = None

    @classmethod
    def from_dict(cls, data: object) -> WireEvent:
        d = _obj(data, "event")
        payload = d.get("payload", {})
        if not isinstance(payload, Mapping):
            raise ProtocolError("event.payload must be a JSON object")
        device_id = d.get("device_id") or ""
        if not isinstance(device_id, str) or len(device_id) > 64 or not _storable_text(device_id):
            raise ProtocolError("event.device_id must be a string of at most 64 characters")
        try:
            json.dumps(payload, ensure_ascii=False, allow_nan=False).encode("utf-8")
        except (ValueError, TypeError) as exc:
            raise ProtocolError(f"event.payload is not storable JSON: {exc}") from None
        return cls(_str(d, "id", "event", max_len=64), _str(d, "dossier_id", "event", max_len=64),
                   _str(d, "type", "event", max_len=64), _str(d, "actor", "event", max_len=200),
                   _str(d, "occurred_at", "event", max_len=64), dict(payload), device_id,
                   _int(d, "device_seq", "event", optional=True))

    def to_event_wire(self) -> dict[str, Any]:
        """The dict ``Event.from_wire`` takes."""
        return {"id": self.id, "dossier_id": self.dossier_id, "type": self.type, "actor": self.actor,
                "occurred_at": self.occurred_at, "payload": dict(self.payload), "device_id": self.device_id}

    def to_dict(self) -> dict[str, Any]:
        return {**self.to_event_wire(), "device_seq": self.device_seq}


@dataclass(frozen=True)
class PushRequest:
    device_id: str
    client_time: str
    events: list[Mapping[str, Any]]      # raw dicts: each is validated on its own, so one bad event never
                                         # rejects the batch (it is quarantined instead)

    @classmethod
    def from_dict(cls, data: object, max_events: int = MAX_PUSH_EVENTS) -> PushRequest:
        """``max_events``: MAX_PUSH_EVENTS for a request, MAX_BUNDLE_EVENTS for a bundle's push.json."""
        d = _obj(data, "push")
        _protocol(d, "push")
        events = d.get("events")
        if not isinstance(events, list):
            raise ProtocolError("push.events must be a list")
        if len(events) > max_events:
            raise ProtocolError(f"push.events holds {len(events)} events; send at most {max_events} at once")
        return cls(_str(d, "device_id", "push", max_len=64), _str(d, "client_time", "push", max_len=64), events)

    def to_dict(self) -> dict[str, Any]:
        return {"protocol": PROTOCOL_VERSION, "device_id": self.device_id, "client_time": self.client_time,
                "events": [dict(e) for e in self.events]}


@dataclass(frozen=True)
class PushResult:
    id: str
    status: str                          # "stored" | "duplicate" | "quarantined"
    hub_seq: int | None = None           # None when quarantined
    hub_received_at: str | None = None
    reason: str = ""

    @classmethod
    def from_dict(cls, data: object) -> PushResult:
        d = _obj(data, "result")
        status = d.get("status")
        if status not in PUSH_STATUSES:
            raise ProtocolError(f"result.status must be one of {PUSH_STATUSES}, got {status!r}")
        reason = d.get("reason") or ""
        received = d.get("hub_received_at")
        return cls(_str(d, "id", "result", allow_empty=True), status, _int(d, "hub_seq", "result", optional=True),
                   received if isinstance(received, str) else None, str(reason))

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "hub_seq": self.hub_seq,
                "hub_received_at": self.hub_received_at, "reason": self.reason}


@dataclass(frozen=True)
class PushResponse:
    results: list[PushResult]
    hub_time: str

    @classmethod
    def from_dict(cls, data: object) -> PushResponse:
        d = expect_ack(data, "push")
        _protocol(d, "push response")
        results = d.get("results")
        if not isinstance(results, list):
            raise ProtocolError("push response.results must be a list")
        return cls([PushResult.from_dict(r) for r in results], _str(d, "hub_time", "push response"))

    def to_dict(self) -> dict[str, Any]:
        return {"protocol": PROTOCOL_VERSION, "ack": "push", "results": [r.to_dict() for r in self.results],
                "hub_time": self.hub_time}


# --- pull ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PullItem:
    """kind "event"/"decision": an ``Event.to_wire()`` dict (+ hub_received_at); "catalog": a procedure
    (db/catalog/README.md); "calendar": {day, working, name, source}; "announcement":
    {id, title, body_markdown, published_at}."""

    seq: int
    kind: str
    data: Mapping[str, Any]

    @classmethod
    def from_dict(cls, data: object) -> PullItem:
        d = _obj(data, "item")
        kind = d.get("kind")
        if kind not in ITEM_KINDS:
            raise ProtocolError(f"item.kind must be one of {ITEM_KINDS}, got {kind!r}")
        payload = d.get("data")
        if not isinstance(payload, Mapping):
            raise ProtocolError("item.data must be a JSON object")
        seq = _int(d, "seq", "item", minimum=1)
        assert seq is not None
        return cls(seq, kind, payload)

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "kind": self.kind, "data": dict(self.data)}


@dataclass(frozen=True)
class PullResponse:
    items: list[PullItem]
    next_cursor: int
    more: bool
    hub_time: str

    @classmethod
    def from_dict(cls, data: object) -> PullResponse:
        d = expect_ack(data, "pull")
        _protocol(d, "pull response")
        items = d.get("items")
        if not isinstance(items, list):
            raise ProtocolError("pull response.items must be a list")
        cursor = _int(d, "next_cursor", "pull response")
        assert cursor is not None
        return cls([PullItem.from_dict(i) for i in items], cursor, bool(d.get("more")),
                   _str(d, "hub_time", "pull response"))

    def to_dict(self) -> dict[str, Any]:
        return {"protocol": PROTOCOL_VERSION, "ack": "pull", "items": [i.to_dict() for i in self.items],
                "next_cursor": self.next_cursor, "more": self.more, "hub_time": self.hub_time}


# --- attachments ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class MissingRequest:
    hashes: list[str]

    @classmethod
    def from_dict(cls, data: object) -> MissingRequest:
        d = _obj(data, "missing")
        hashes = d.get("hashes")
        if not isinstance(hashes, list) or len(hashes) > 1000:
            raise ProtocolError("missing.hashes must be a list of at most 1000 SHA-256 hex strings")
        for h in hashes:
            if not is_sha256(h):
                raise ProtocolError(f"missing.hashes: {h!r} is not a lowercase SHA-256 hex string")
        return cls(list(hashes))

    def to_dict(self) -> dict[str, Any]:
        return {"hashes": list(self.hashes)}


@dataclass(frozen=True)
class MissingResponse:
    missing: list[str]

    @classmethod
    def from_dict(cls, data: object) -> MissingResponse:
        d = expect_ack(data, "missing")
        missing = d.get("missing")
        if not isinstance(missing, list) or not all(is_sha256(h) for h in missing):
            raise ProtocolError("missing response.missing must be a list of SHA-256 hex strings")
        return cls(list(missing))

    def to_dict(self) -> dict[str, Any]:
        return {"ack": "missing", "missing": list(self.missing)}


@dataclass(frozen=True)
class ChunkAck:
    """Answer to PUT /attachments/{sha256} (headers X-Offset, X-Total-Size) and GET …/status."""

    received: int
    complete: bool

    @classmethod
    def from_dict(cls, data: object, ack: str = "chunk") -> ChunkAck:
        d = expect_ack(data, ack)
        received = _int(d, "received", ack)
        assert received is not None
        return cls(received, bool(d.get("complete")))

    def to_dict(self, ack: str = "chunk") -> dict[str, Any]:
        return {"ack": ack, "received": self.received, "complete": self.complete}


# --- status --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StatusResponse:
    commune_code: str
    pending_quarantine: int
    last_push_at: str | None
    hub_time: str

    @classmethod
    def from_dict(cls, data: object) -> StatusResponse:
        d = expect_ack(data, "status")
        pending = _int(d, "pending_quarantine", "status")
        assert pending is not None
        last = d.get("last_push_at")
        return cls(_str(d, "commune_code", "status"), pending, last if isinstance(last, str) else None,
                   _str(d, "hub_time", "status"))

    def to_dict(self) -> dict[str, Any]:
        return {"ack": "status", "protocol": PROTOCOL_VERSION, "commune_code": self.commune_code,
                "pending_quarantine": self.pending_quarantine, "last_push_at": self.last_push_at,
                "hub_time": self.hub_time}


# --- problems ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    error: str                           # machine code, e.g. "unauthorized", "invalid_request"
    detail: str                          # one precise sentence for people

    @classmethod
    def from_dict(cls, data: object) -> Problem:
        d = _obj(data, "problem")
        return cls(str(d.get("error") or "unknown"), str(d.get("detail") or ""))

    def to_dict(self) -> dict[str, Any]:
        return {"error": self.error, "detail": self.detail}


# --- bundles -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BundleManifest:
    """manifest.json of a USB bundle; manifest.sig is the Ed25519 signature over its exact bytes.

    ``pull_cursor`` (push bundles, optional): the highest hub seq the device has applied; the reply
    carries pull items after it (else after the cursor the hub remembers for that device).
    ``wants`` (push bundles, optional): SHA-256 of attachment files the device's events name but it does not
    hold; the reply carries those the hub has, with the files its pulled events name, as attachments/<sha256>.
    Older hubs ignore the key."""

    kind: str                            # "push" (device → hub) | "reply" (hub → device)
    commune_code: str
    device_id: str
    created_at: str
    files: Mapping[str, str]             # member name → SHA-256 hex of its bytes
    pull_cursor: int | None = None
    wants: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: object) -> BundleManifest:
        d = _obj(data, "manifest")
        _protocol(d, "manifest")
        kind = d.get("kind")
        if kind not in BUNDLE_KINDS:
            raise ProtocolError(f"manifest.kind must be one of {BUNDLE_KINDS}, got {kind!r}")
        files = d.get("files")
        if not isinstance(files, Mapping) or not all(isinstance(k, str) and is_sha256(v) for k, v in files.items()):
            raise ProtocolError("manifest.files must map member names to SHA-256 hex strings")
        wants = d.get("wants", [])
        if not isinstance(wants, list) or len(wants) > MAX_WANTED_FILES or not all(is_sha256(w) for w in wants):
            raise ProtocolError(f"manifest.wants must be a list of at most {MAX_WANTED_FILES} SHA-256 hex strings")
        return cls(kind, _str(d, "commune_code", "manifest", max_len=64), _str(d, "device_id", "manifest", max_len=64),
                   _str(d, "created_at", "manifest", max_len=64), dict(files),
                   _int(d, "pull_cursor", "manifest", optional=True), tuple(wants))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"protocol": PROTOCOL_VERSION, "kind": self.kind, "commune_code": self.commune_code,
                               "device_id": self.device_id, "created_at": self.created_at,
                               "files": dict(self.files)}
        if self.pull_cursor is not None:
            out["pull_cursor"] = self.pull_cursor
        if self.wants:
            out["wants"] = list(self.wants)
        return out

