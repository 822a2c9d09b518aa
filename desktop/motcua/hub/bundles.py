"""USB bundles: import a device's signed push bundle, write the hub's signed reply.

Push bundle (device → hub): manifest.json {protocol, kind:"push", commune_code, device_id, created_at,
files:{name: sha256}, pull_cursor?} + manifest.sig (device key) + push.json (a push body) +
attachments/<sha256>. Reply (hub → device): manifest.json (kind "reply") + manifest.sig (hub key) +
ack.json (the push response) + pull.json (a pull response after the device's cursor).

Importing the same bundle twice stores nothing new and writes the same acknowledgements.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import update

from motcua.domain.clock import iso, now
from motcua.domain.events import canonical_json
from motcua.hub import tables as t
from motcua.hub.accounts import Device, device_by_id
from motcua.hub.errors import HubError
from motcua.hub.feed import read_feed
from motcua.hub.ingest import push
from motcua.hub.safezip import BundleRefused, ZipLimits, read_members
from motcua.hub.service import Hub
from motcua.protocol.messages import (
    ACK_NAME,
    MANIFEST_NAME,
    MAX_BUNDLE_EVENTS,
    MAX_PULL_LIMIT,
    MAX_PUSH_EVENTS,
    PULL_NAME,
    PUSH_NAME,
    SIGNATURE_NAME,
    BundleManifest,
    ProtocolError,
    PullResponse,
    PushRequest,
    PushResponse,
)
from motcua.protocol.signing import sign, verify

PUSH_MEMBERS = re.compile(r"manifest\.json|manifest\.sig|push\.json|attachments/[0-9a-f]{64}")
REPLY_MEMBERS = re.compile(r"manifest\.json|manifest\.sig|ack\.json|pull\.json")
MAX_REPLY_ITEMS = 20_000


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _json(data: bytes, name: str) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleRefused(f"{name} is not UTF-8 JSON: {exc}") from None


def verify_members(members: Mapping[str, bytes], expected_kind: str) -> BundleManifest:
    """The manifest, once every listed file is present with its hash and nothing else is in the archive."""
    if MANIFEST_NAME not in members or SIGNATURE_NAME not in members:
        raise BundleRefused("bundle lacks manifest.json or manifest.sig")
    try:
        manifest = BundleManifest.from_dict(_json(members[MANIFEST_NAME], MANIFEST_NAME))
    except ProtocolError as exc:
        raise BundleRefused(f"manifest: {exc}") from None
    if manifest.kind != expected_kind:
        raise BundleRefused(f"this is a {manifest.kind!r} bundle, a {expected_kind!r} bundle was expected")
    listed = set(manifest.files)
    present = set(members) - {MANIFEST_NAME, SIGNATURE_NAME}
    if listed != present:
        raise BundleRefused(f"manifest and archive disagree: unlisted {sorted(present - listed)}, "
                            f"absent {sorted(listed - present)}")
    for name, digest in manifest.files.items():
        actual = sha256_hex(members[name])
        if actual != digest:
            raise BundleRefused(f"{name}: SHA-256 is {actual}, the manifest says {digest}")
        if name.startswith("attachments/") and name.removeprefix("attachments/") != actual:
            raise BundleRefused(f"{name}: its content hashes to {actual}, not to its name")
    return manifest


def import_bundle(hub: Hub, path: Path, reply_path: Path, *, expected_commune: str | None = None,
                  limits: ZipLimits | None = None) -> dict[str, Any]:
    members = read_members(path, PUSH_MEMBERS, limits or ZipLimits(max_member_bytes=hub.config.max_attachment_bytes))
    manifest = verify_members(members, "push")
    if expected_commune is not None and manifest.commune_code != expected_commune:
        raise BundleRefused(f"bundle is from commune {manifest.commune_code}, not {expected_commune}")
    try:
        device = device_by_id(hub.db, manifest.device_id)
    except HubError as exc:
        raise BundleRefused(exc.detail) from None
    if device.commune_code != manifest.commune_code:
        raise BundleRefused(f"device {device.id} belongs to commune {device.commune_code}, "
                            f"but the bundle claims commune {manifest.commune_code}")
    if not verify(device.public_key, members[MANIFEST_NAME], members[SIGNATURE_NAME]):
        raise BundleRefused(f"manifest signature does not verify with device {device.id}'s key")
    if PUSH_NAME not in members:
        raise BundleRefused("push bundle lacks push.json")
    try:
        request = PushRequest.from_dict(_json(members[PUSH_NAME], PUSH_NAME), max_events=MAX_BUNDLE_EVENTS)
    except ProtocolError as exc:
        raise BundleRefused(f"push.json: {exc}") from None
    if request.device_id != device.id:
        raise BundleRefused(f"push.json is from device {request.device_id}, the manifest from {device.id}")

    attachments = 0
    for name, data in members.items():
        if name.startswith("attachments/"):
            hub.attachments.store_whole(device.commune_code, name.removeprefix("attachments/"), data)
            attachments += 1
    results = _push_in_batches(hub, device, request)
    cursor = manifest.pull_cursor if manifest.pull_cursor is not None else device.bundle_cursor
    if manifest.pull_cursor is not None and manifest.pull_cursor > device.bundle_cursor:
        _remember_cursor(hub, device, manifest.pull_cursor)
    pulled = _pull_all(hub, device, cursor)
    write_reply(reply_path, hub.key, device, results.to_dict(), pulled.to_dict())
    counts = {s: sum(1 for r in results.results if r.status == s) for s in ("stored", "duplicate", "quarantined")}
    return {"device_id": device.id, "commune_code": device.commune_code, **counts, "attachments": attachments,
            "pull_items": len(pulled.items), "next_cursor": pulled.next_cursor, "reply": str(reply_path)}


def _push_in_batches(hub: Hub, device: Device, request: PushRequest) -> PushResponse:
    """A bundle's events, applied like online pushes of MAX_PUSH_EVENTS each, in order."""
    results = []
    hub_time = ""
    for start in range(0, len(request.events), MAX_PUSH_EVENTS):
        part = PushRequest(request.device_id, request.client_time, request.events[start:start + MAX_PUSH_EVENTS])
        answer = push(hub.db, device, part)
        results.extend(answer.results)
        hub_time = answer.hub_time
    if not request.events:
        hub_time = push(hub.db, device, request).hub_time
    return PushResponse(results, hub_time)


def _remember_cursor(hub: Hub, device: Device, cursor: int) -> None:
    with hub.db.write() as conn:
        conn.execute(update(t.devices).where(t.devices.c.id == device.id, t.devices.c.bundle_cursor < cursor)
                     .values(bundle_cursor=cursor))


def _pull_all(hub: Hub, device: Device, cursor: int) -> PullResponse:
    items = []
    page = read_feed(hub.db, device.commune_code, device.id, cursor, MAX_PULL_LIMIT)
    items.extend(page.items)
    while page.more and len(items) < MAX_REPLY_ITEMS:
        page = read_feed(hub.db, device.commune_code, device.id, page.next_cursor, MAX_PULL_LIMIT)
        items.extend(page.items)
    return PullResponse(items, page.next_cursor, page.more, page.hub_time)


def _write_zip(path: Path, members: Mapping[str, bytes]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with tmp.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def build_signed(kind: str, key: Ed25519PrivateKey, commune_code: str, device_id: str,
                 files: Mapping[str, bytes], pull_cursor: int | None = None) -> dict[str, bytes]:
    """All members of a signed bundle: the files, manifest.json listing their hashes, manifest.sig."""
    manifest = BundleManifest(kind, commune_code, device_id, iso(now()),
                              {name: sha256_hex(data) for name, data in files.items()}, pull_cursor)
    manifest_bytes = canonical_json(manifest.to_dict()).encode("utf-8")
    return {MANIFEST_NAME: manifest_bytes, SIGNATURE_NAME: sign(key, manifest_bytes), **files}


def write_reply(path: Path, key: Ed25519PrivateKey, device: Device, ack: dict[str, Any],
                pull: dict[str, Any]) -> None:
    files = {ACK_NAME: canonical_json(ack).encode("utf-8"), PULL_NAME: canonical_json(pull).encode("utf-8")}
    _write_zip(path, build_signed("reply", key, device.commune_code, device.id, files, pull.get("next_cursor")))


def write_push_bundle(path: Path, key: Ed25519PrivateKey, commune_code: str, device_id: str,
                      push_body: Mapping[str, Any], attachments: Mapping[str, bytes] | None = None,
                      pull_cursor: int | None = None) -> None:
    """A device's push bundle (the desktop's USB export writes the same layout)."""
    files = {PUSH_NAME: canonical_json(dict(push_body)).encode("utf-8")}
    for data in (attachments or {}).values():
        files[f"attachments/{sha256_hex(data)}"] = data
    _write_zip(path, build_signed("push", key, commune_code, device_id, files, pull_cursor))


def read_reply_bundle(path: Path, hub_public_key: str) -> tuple[BundleManifest, dict[str, Any], dict[str, Any]]:
    """(manifest, ack, pull) of a reply bundle whose signature verifies with the hub's key."""
    members = read_members(path, REPLY_MEMBERS)
    manifest = verify_members(members, "reply")
    if not verify(hub_public_key, members[MANIFEST_NAME], members[SIGNATURE_NAME]):
        raise BundleRefused("reply manifest signature does not verify with the hub's key")
    return manifest, _json(members[ACK_NAME], ACK_NAME), _json(members[PULL_NAME], PULL_NAME)
