"""USB bundles: import a device's signed push bundle, write the hub's signed reply.

Push bundle (device → hub): manifest.json {protocol, kind:"push", commune_code, device_id, created_at,
files:{name: sha256}, pull_cursor?} + manifest.sig (device key) + push.json (a push body) +
attachments/<sha256>. Reply (hub → device): manifest.json (kind "reply") + manifest.sig (hub key) +
ack.json (the push response) + pull.json (a pull response after the device's cursor) + attachments/<sha256>
for the files the device lacks: those its pulled events name and those its manifest ``wants`` (issue 17 #11).

Both travel sealed (privacy/sealed_bundle.py): a push bundle opens only with the hub's key, a reply only with the
device's; the clear header says the commune, the device and a count. The sender's signature is checked before
anything is decrypted or unzipped. A plain push bundle (from a desk of an earlier version) is still accepted,
its manifest signature checked before any other member is read.

Importing the same bundle twice stores nothing new and writes the same acknowledgements.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import update

from motcua.domain.clock import iso, now
from motcua.domain.events import canonical_json
from motcua.hub.communes.accounts import Device, device_by_id
from motcua.hub.communes.feed import read_feed
from motcua.hub.communes.ingest import push
from motcua.hub.errors import HubError
from motcua.hub.service.hub import Hub
from motcua.hub.store import tables as t
from motcua.protocol.messages import (
    ACK_NAME,
    MANIFEST_NAME,
    MAX_BUNDLE_EVENTS,
    MAX_PULL_LIMIT,
    MAX_PUSH_EVENTS,
    MAX_REPLY_MEMBER_BYTES,
    PULL_NAME,
    PUSH_NAME,
    SIGNATURE_NAME,
    BundleManifest,
    ProtocolError,
    PullResponse,
    PushRequest,
    PushResponse,
)
from motcua.protocol.safezip import UnsafeZip, ZipLimits, read_members, read_one
from motcua.protocol.sealed import is_sealed, regular_file_size
from motcua.protocol.sealed_bundle import BundleHeader, open_bundle, read_bundle_header, seal_bundle
from motcua.protocol.sealing_keys import SealError
from motcua.protocol.signing import load_public_key, sign, verify

PUSH_MEMBERS = re.compile(r"manifest\.json|manifest\.sig|push\.json|attachments/[0-9a-f]{64}")
REPLY_MEMBERS = re.compile(r"manifest\.json|manifest\.sig|ack\.json|pull\.json|attachments/[0-9a-f]{64}")
# What one reply carries in files at most; what does not fit is asked for again by the next bundle.
MAX_REPLY_FILE_BYTES = 1024 * 1024 * 1024
MAX_REPLY_ITEMS = 20_000
ALLOWED_FOLDERS = frozenset({"attachments/"})


class BundleRefused(Exception):
    """A bundle that is malformed, hostile or not acceptable; ``str()`` says why."""


def _read_one(path: Path, name: str, max_bytes: int, limits: ZipLimits) -> bytes:
    try:
        return read_one(path, name, max_bytes, limits)
    except UnsafeZip as exc:
        raise BundleRefused(str(exc)) from None


def _read_members(path: Path, allowed: re.Pattern[str], limits: ZipLimits | None = None) -> dict[str, bytes]:
    try:
        return read_members(path, allowed, limits, allowed_dirs=ALLOWED_FOLDERS)
    except UnsafeZip as exc:
        raise BundleRefused(str(exc)) from None


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


def _sender(hub: Hub, commune_code: str, device_id: str, expected_commune: str | None) -> Device:
    if expected_commune is not None and commune_code != expected_commune:
        raise BundleRefused(f"bundle is from commune {commune_code}, not {expected_commune}")
    try:
        device = device_by_id(hub.db, device_id)
    except HubError as exc:
        raise BundleRefused(exc.detail) from None
    if device.commune_code != commune_code:
        raise BundleRefused(f"device {device.id} belongs to commune {device.commune_code}, "
                            f"but the bundle claims commune {commune_code}")
    return device


def _read_push_members(hub: Hub, path: Path, limits: ZipLimits,
                       expected_commune: str | None) -> tuple[Device, dict[str, bytes]]:
    """The members of a push bundle whose sender's signature verifies — checked before anything is unpacked."""
    try:
        regular_file_size(path, limits.max_total_bytes)
    except SealError as exc:
        raise BundleRefused(str(exc)) from None
    if not is_sealed(path):
        manifest_bytes = _read_one(path, MANIFEST_NAME, 1024 * 1024, limits)
        signature = _read_one(path, SIGNATURE_NAME, 1024, limits)
        try:
            claimed = BundleManifest.from_dict(_json(manifest_bytes, MANIFEST_NAME))
        except ProtocolError as exc:
            raise BundleRefused(f"manifest: {exc}") from None
        device = _sender(hub, claimed.commune_code, claimed.device_id, expected_commune)
        if not verify(device.public_key, manifest_bytes, signature):
            raise BundleRefused(f"manifest signature does not verify with device {device.id}'s key")
        return device, _read_members(path, PUSH_MEMBERS, limits)
    try:
        sealed, header = read_bundle_header(path, limits.max_total_bytes)
        if header.kind != "push":
            raise BundleRefused(f"this is a {header.kind!r} bundle, a 'push' bundle was expected")
        device = _sender(hub, header.commune_code, header.device_id, expected_commune)
        inner = open_bundle(sealed, load_public_key(device.public_key), hub.key, hub.config.data_dir / "tmp",
                            limits.max_total_bytes)
    except SealError as exc:
        raise BundleRefused(f"sealed bundle refused: {exc}") from None
    try:
        members = _read_members(inner, PUSH_MEMBERS, limits)
    finally:
        inner.unlink(missing_ok=True)
    return device, members


def import_bundle(hub: Hub, path: Path, reply_path: Path, *, expected_commune: str | None = None,
                  limits: ZipLimits | None = None) -> dict[str, Any]:
    limits = limits or ZipLimits(max_member_bytes=hub.config.max_attachment_bytes)
    device, members = _read_push_members(hub, path, limits, expected_commune)
    manifest = verify_members(members, "push")
    if (manifest.device_id, manifest.commune_code) != (device.id, device.commune_code):
        raise BundleRefused("the bundle's manifest names another device or commune than its envelope")
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
    files = _files_for(hub, device.commune_code, pulled, manifest.wants)
    write_reply(reply_path, hub.key, device, results.to_dict(), pulled.to_dict(), files)
    counts = {s: sum(1 for r in results.results if r.status == s) for s in ("stored", "duplicate", "quarantined")}
    return {"device_id": device.id, "commune_code": device.commune_code, **counts, "attachments": attachments,
            "pull_items": len(pulled.items), "next_cursor": pulled.next_cursor, "reply_attachments": len(files),
            "reply": str(reply_path)}


def _files_for(hub: Hub, commune_code: str, pulled: PullResponse, wants: tuple[str, ...]) -> dict[str, bytes]:
    """The files the device lacks that the hub holds whole for its commune, each read back and hash-checked,
    within MAX_REPLY_FILE_BYTES: those its pulled events attach first, then those it asked for."""
    named = [item.data.get("payload", {}).get("sha256") for item in pulled.items
             if item.kind in ("event", "decision") and isinstance(item.data.get("payload"), Mapping)
             and item.data.get("type") == "attachment_added"]
    files: dict[str, bytes] = {}
    total = 0
    for sha256 in dict.fromkeys([*named, *wants]):
        if not isinstance(sha256, str) or f"attachments/{sha256}" in files:
            continue
        try:
            path = hub.attachments.open_complete(commune_code, sha256)
        except HubError:
            continue   # not (yet) whole at the hub: a later bundle or a network sync brings it
        size = path.stat().st_size
        if size > MAX_REPLY_MEMBER_BYTES or total + size > MAX_REPLY_FILE_BYTES:
            continue
        data = path.read_bytes()
        if sha256_hex(data) == sha256:
            files[f"attachments/{sha256}"] = data
            total += size
    return files


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


def _write_zip(path: Path, members: Mapping[str, bytes], *, seal_for: str | None = None,
               signer: Ed25519PrivateKey | None = None, header: BundleHeader | None = None) -> None:
    """The zip at ``path``; sealed for the holder of Ed25519 public key ``seal_for`` when given."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for member, data in members.items():
                archive.writestr(member, data)
        if seal_for is not None and signer is not None and header is not None:
            seal_bundle(tmp, path, header, load_public_key(seal_for), signer)
            return
        with tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def build_signed(kind: str, key: Ed25519PrivateKey, commune_code: str, device_id: str,
                 files: Mapping[str, bytes], pull_cursor: int | None = None) -> dict[str, bytes]:
    """All members of a signed bundle: the files, manifest.json listing their hashes, manifest.sig."""
    manifest = BundleManifest(kind, commune_code, device_id, iso(now()),
                              {name: sha256_hex(data) for name, data in files.items()}, pull_cursor)
    manifest_bytes = canonical_json(manifest.to_dict()).encode("utf-8")
    return {MANIFEST_NAME: manifest_bytes, SIGNATURE_NAME: sign(key, manifest_bytes), **files}


def write_reply(path: Path, key: Ed25519PrivateKey, device: Device, ack: dict[str, Any],
                pull: dict[str, Any], attachments: Mapping[str, bytes] | None = None) -> None:
    """The reply, sealed for ``device`` (only its key opens it) and signed by the hub, with the attachment files
    (``attachments/<sha256>`` → bytes) the device lacks."""
    files = {ACK_NAME: canonical_json(ack).encode("utf-8"), PULL_NAME: canonical_json(pull).encode("utf-8"),
             **(attachments or {})}
    items = pull.get("items")
    header = BundleHeader("reply", device.commune_code, device.id, iso(now()), len(items) if isinstance(items, list)
                          else 0)
    _write_zip(path, build_signed("reply", key, device.commune_code, device.id, files, pull.get("next_cursor")),
               seal_for=device.public_key, signer=key, header=header)


def write_push_bundle(path: Path, key: Ed25519PrivateKey, commune_code: str, device_id: str,
                      push_body: Mapping[str, Any], attachments: Mapping[str, bytes] | None = None,
                      pull_cursor: int | None = None, hub_public_key: str | None = None) -> None:
    """A device's push bundle (the desktop's USB export writes the same layout), sealed for the hub when its
    public key is given, plain (as earlier versions wrote it) otherwise."""
    files = {PUSH_NAME: canonical_json(dict(push_body)).encode("utf-8")}
    for data in (attachments or {}).values():
        files[f"attachments/{sha256_hex(data)}"] = data
    events = push_body.get("events")
    header = BundleHeader("push", commune_code, device_id, iso(now()), len(events) if isinstance(events, list) else 0)
    _write_zip(path, build_signed("push", key, commune_code, device_id, files, pull_cursor),
               seal_for=hub_public_key, signer=key, header=header)


def read_reply_bundle(path: Path, hub_public_key: str,
                      device_key: Ed25519PrivateKey) -> tuple[BundleManifest, dict[str, Any], dict[str, Any]]:
    """(manifest, ack, pull) of a sealed reply bundle whose signature verifies with the hub's key."""
    try:
        sealed, _ = read_bundle_header(path, ZipLimits().max_total_bytes)
        inner = open_bundle(sealed, load_public_key(hub_public_key), device_key, path.parent,
                            ZipLimits().max_total_bytes)
    except SealError as exc:
        raise BundleRefused(f"sealed reply refused: {exc}") from None
    try:
        members = _read_members(inner, REPLY_MEMBERS)
    finally:
        inner.unlink(missing_ok=True)
    manifest = verify_members(members, "reply")
    if not verify(hub_public_key, members[MANIFEST_NAME], members[SIGNATURE_NAME]):
        raise BundleRefused("reply manifest signature does not verify with the hub's key")
    return manifest, _json(members[ACK_NAME], ACK_NAME), _json(members[PULL_NAME], PULL_NAME)
