"""USB bundles where there is no network: export what the hub has not acknowledged, import its reply.

Export (``kind: push``): manifest.json (+ manifest.sig by this device's key), push.json (a push
request body with every pending event) and attachments/<sha256> for the files those events need; the manifest's
``wants`` names the files this desk's events attach but it does not hold (attached on another desk).
Nothing is marked sent by exporting: only the hub's signed reply acknowledges.

The zip travels sealed (privacy/sealed_bundle.py): a push bundle opens only with the hub's key (pinned at
enrolment), a reply only with this device's; the clear header holds the commune code, the device id and a count.

Import (``kind: reply``): a regular file of bounded size only; the hub's signature over the sealed header and
body is checked before anything is decrypted; then, read as hostile input (protocol/safezip.py), the hub's signature
over the exact manifest bytes, refuse another commune's or another device's reply, check every member's hash
(an attachment's also against its name) while the files are staged beside the store, then apply the
acknowledgements and the pulled items in one transaction and only then move the files into place; anything that
does not verify refuses the whole reply and leaves nothing behind. Importing twice changes
nothing the second time. A plain reply (from a hub of an earlier version) is still read, signature first.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from motcua.domain.clock import iso, now
from motcua.i18n import tr
from motcua.protocol import messages as protocol
from motcua.protocol.messages import (
    ACK_NAME,
    ATTACHMENT_DIR,
    MANIFEST_NAME,
    MAX_REPLY_MEMBER_BYTES,
    MAX_WANTED_FILES,
    PROTOCOL_VERSION,
    PULL_NAME,
    PUSH_NAME,
    SIGNATURE_NAME,
    BundleManifest,
    ProtocolError,
    PullResponse,
    PushResponse,
)
from motcua.protocol.safezip import SafeZip, UnsafeZip, ZipLimits
from motcua.protocol.sealed import Tampered, is_sealed, regular_file_size
from motcua.protocol.sealed_bundle import BundleHeader, WrongReader, open_bundle, read_bundle_header, seal_bundle
from motcua.protocol.sealing_keys import SealError
from motcua.protocol.signing import load_public_key, sign, verify
from motcua.store.attachments import blob_path, hash_file
from motcua.store.db import transaction
from motcua.sync.attachments_download import files_to_fetch
from motcua.sync.credentials import load_credentials
from motcua.sync.engine import hub_config, log_entry
from motcua.sync.errors import BundleRefused, zip_refused
from motcua.sync.meta import get_meta
from motcua.sync.outbox import apply_acknowledgements, unacknowledged_wire
from motcua.sync.pull import PullSummary, apply_items, cursor

MAX_JSON_BYTES = 256 * 1024 * 1024
_HEX64 = re.compile(r"[0-9a-f]{64}")
# The desk's limits for a reply bundle: more members and a larger total than the hub accepts in a push.
DESK_ZIP_LIMITS = ZipLimits(max_members=20_000, max_member_bytes=MAX_REPLY_MEMBER_BYTES,
                            max_total_bytes=4 * 1024 * 1024 * 1024)
# The hub imports a bundle's push.json as one push request, so one bundle carries at most this many
# events; the rest go in the next bundle (the export says how many remain).
MAX_BUNDLE_EVENTS: int = protocol.MAX_BUNDLE_EVENTS


@dataclass(frozen=True)
class ExportResult:
    path: Path
    events: int
    attachments: int
    bytes: int
    remaining: int = 0

    def summary(self) -> list[str]:
        """What was exported, said the same way on the command line and in the window."""
        lines = [tr("Đã xuất {e} thao tác và {a} tệp đính kèm vào {path}. Mang gói tới máy chủ tỉnh rồi nhập gói "
                    "trả lời.", e=self.events, a=self.attachments, path=str(self.path))]
        if self.remaining:
            lines.append(tr("Còn {n} thao tác chưa xuất: sau khi nhập gói trả lời, hãy xuất thêm gói nữa.",
                            n=self.remaining))
        return lines


@dataclass(frozen=True)
class ImportResult:
    acknowledged: int
    quarantined: int
    pulled: int
    conflicts: int
    files: int = 0

    def summary(self) -> str:
        text = tr("Máy chủ tỉnh đã xác nhận {a} thao tác ({q} bị giữ lại); nhận {n} mục mới.",
                  a=self.acknowledged, q=self.quarantined, n=self.pulled)
        if self.files:
            text += " " + tr("Đã nhận {f} tệp đính kèm (đã kiểm tra mã băm).", f=self.files)
        return text


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def export_bundle(conn: sqlite3.Connection, data_dir: Path, target: Path) -> ExportResult:
    config = hub_config(conn)
    credentials = load_credentials(conn)
    hub_key = get_meta(conn, "hub_public_key")
    if not hub_key:
        raise BundleRefused(tr("Máy này chưa có khóa công khai của máy chủ tỉnh; hãy đăng ký máy trước."))
    waiting = unacknowledged_wire(conn)
    events, remaining = waiting[:MAX_BUNDLE_EVENTS], max(0, len(waiting) - MAX_BUNDLE_EVENTS)
    push = {"protocol": PROTOCOL_VERSION, "device_id": config.device_id, "client_time": iso(now()), "events": events}
    push_bytes = json.dumps(push, ensure_ascii=False, sort_keys=True).encode("utf-8")
    hashes = sorted({e["payload"]["sha256"] for e in events if e["type"] == "attachment_added"
                     and isinstance(e.get("payload"), dict) and e["payload"].get("sha256")})
    files = {PUSH_NAME: _sha(push_bytes)}
    for sha256 in hashes:
        path = blob_path(data_dir, sha256)
        if not path.is_file() or hash_file(path)[0] != sha256:
            raise BundleRefused(tr("Tệp đính kèm {sha} trên máy này bị thiếu hoặc đã thay đổi; chạy «motcua check».",
                                   sha=sha256[:12]))
        files[f"{ATTACHMENT_DIR}{sha256}"] = sha256
    manifest = BundleManifest("push", config.commune_code, config.device_id, iso(now()), files, cursor(conn),
                              tuple(files_to_fetch(conn, data_dir)[:MAX_WANTED_FILES]))
    manifest_bytes = json.dumps(manifest.to_dict(), ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
    signature = sign(credentials.private_key, manifest_bytes)
    target.parent.mkdir(parents=True, exist_ok=True)
    # The clear zip is built beside the store (never on the stick), then sealed for the hub onto the stick.
    fd, tmp_name = tempfile.mkstemp(dir=data_dir, prefix=".motcua-bundle-", suffix=".zip")
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp_name, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(MANIFEST_NAME, manifest_bytes)
            archive.writestr(SIGNATURE_NAME, signature)
            archive.writestr(PUSH_NAME, push_bytes)
            for sha256 in hashes:
                # Scans are already compressed; store them as they are.
                archive.write(blob_path(data_dir, sha256), f"{ATTACHMENT_DIR}{sha256}",
                              compress_type=zipfile.ZIP_STORED)
        header = BundleHeader("push", config.commune_code, config.device_id, manifest.created_at, len(events))
        seal_bundle(Path(tmp_name), target, header, load_public_key(str(hub_key)), credentials.private_key)
    finally:
        Path(tmp_name).unlink(missing_ok=True)
    started = iso(now())
    log_entry(conn, "export", started, iso(now()), True, pushed=len(events), uploaded=len(hashes),
              bytes_sent=target.stat().st_size)
    return ExportResult(target, len(events), len(hashes), target.stat().st_size, remaining)


def import_reply(conn: sqlite3.Connection, source: Path, *, limits: ZipLimits | None = None,
                 data_dir: Path | None = None) -> ImportResult:
    """Import the hub's reply; ``data_dir`` (where the attachments live) defaults to the store's folder."""
    config = hub_config(conn)
    data_dir = data_dir or _store_dir(conn)
    hub_key = get_meta(conn, "hub_public_key")
    if not hub_key:
        raise BundleRefused(tr("Máy này chưa có khóa công khai của máy chủ tỉnh; hãy đăng ký máy trước."))
    started = iso(now())
    limits = limits or DESK_ZIP_LIMITS
    opened = _open_sealed_reply(conn, source, str(hub_key), limits) if _sealed_regular_file(source, limits) \
        else None
    staged: dict[str, Path] = {}
    try:
        try:
            bodies = _read_reply(opened or source, str(hub_key), config.commune_code, config.device_id, limits,
                                 data_dir, staged)
        finally:
            if opened is not None:
                opened.unlink(missing_ok=True)
        try:
            ack = PushResponse.from_dict(bodies[ACK_NAME]) if ACK_NAME in bodies else None
            pull = PullResponse.from_dict(bodies[PULL_NAME]) if PULL_NAME in bodies else None
        except ProtocolError as exc:
            raise BundleRefused(tr("Nội dung gói trả lời không đúng giao thức: {e}", e=str(exc))) from exc
        summary = PullSummary()
        acknowledged = quarantined = 0
        with transaction(conn):
            if ack is not None:
                counts = apply_acknowledgements(conn, [r.to_dict() for r in ack.results])
                acknowledged, quarantined = counts.stored + counts.duplicate, counts.quarantined
            if pull is not None:
                apply_items(conn, [i.to_dict() for i in pull.items], pull.next_cursor, summary)
        for sha256, part in staged.items():   # verified, and the reply is applied: the files take their place
            os.replace(part, blob_path(data_dir, sha256))
        files = len(staged)
        staged.clear()
    finally:
        for part in staged.values():
            part.unlink(missing_ok=True)
    log_entry(conn, "import", started, iso(now()), True, pushed=acknowledged, pulled=summary.items)
    return ImportResult(acknowledged, quarantined, summary.items, summary.conflicts, files)


def _store_dir(conn: sqlite3.Connection) -> Path:
    return Path(conn.execute("PRAGMA database_list").fetchone()[2]).parent


def _sealed_regular_file(source: Path, limits: ZipLimits) -> bool:
    """Whether ``source`` is sealed; BundleRefused unless it is a regular file of bounded size (a FIFO or
    /dev/zero is refused here, without being opened)."""
    try:
        regular_file_size(source, limits.max_total_bytes)
    except SealError as exc:
        raise BundleRefused(tr("Không nhập được {name}: chỉ nhận tệp gói thông thường, không quá giới hạn ({e}).",
                               name=source.name, e=str(exc))) from None
    return is_sealed(source)


def _open_sealed_reply(conn: sqlite3.Connection, source: Path, hub_key: str, limits: ZipLimits) -> Path:
    """The reply's zip, decrypted beside the store after the hub's signature and the header are checked."""
    config = hub_config(conn)
    try:
        sealed, header = read_bundle_header(source, limits.max_total_bytes)
        if header.kind != "reply":
            raise BundleRefused(tr("Đây không phải gói trả lời của máy chủ tỉnh (loại «{k}»).", k=header.kind))
        if header.commune_code != config.commune_code:
            raise BundleRefused(tr("Gói trả lời này dành cho xã {other}, không phải xã của máy này ({mine}).",
                                   other=header.commune_code, mine=config.commune_code))
        if config.device_id and header.device_id != config.device_id:
            raise BundleRefused(tr("Gói trả lời này dành cho máy khác của xã; hãy nhập trên đúng máy đã xuất gói."))
        return open_bundle(sealed, load_public_key(hub_key), load_credentials(conn).private_key, _store_dir(conn),
                           limits.max_total_bytes)
    except WrongReader:
        raise BundleRefused(tr("Gói trả lời này được mã hóa cho máy khác; hãy nhập trên đúng máy đã xuất gói.")) \
            from None
    except Tampered as exc:
        if "signature" in str(exc):
            raise BundleRefused(tr("Chữ ký của gói trả lời không đúng khóa của máy chủ tỉnh: gói bị sửa hoặc giả "
                                   "mạo.")) from None
        raise BundleRefused(tr("Gói trả lời bị sửa hoặc hỏng ({e}); không nhập gì.", e=str(exc))) from None
    except SealError as exc:
        raise BundleRefused(tr("Không mở được gói trả lời: {e}", e=str(exc))) from None


def _read_reply(source: Path, hub_key: str, commune_code: str, device_id: str, limits: ZipLimits,
                data_dir: Path, staged: dict[str, Path]) -> dict[str, Any]:
    try:
        return _read_reply_members(source, hub_key, commune_code, device_id, limits, data_dir, staged)
    except UnsafeZip as exc:
        raise zip_refused(exc) from None


def _read_reply_members(source: Path, hub_key: str, commune_code: str, device_id: str, limits: ZipLimits,
                        data_dir: Path, staged: dict[str, Path]) -> dict[str, Any]:
    """The reply's JSON bodies; each attachment this desk lacks is staged beside its final place in ``staged``
    once its bytes hash to its signed name."""
    with SafeZip(source, limits) as archive:
        manifest_bytes = archive.read(MANIFEST_NAME, 1024 * 1024)
        signature = archive.read(SIGNATURE_NAME, 1024)
        if not verify(hub_key, manifest_bytes, signature):
            raise BundleRefused(tr("Chữ ký của gói trả lời không đúng khóa của máy chủ tỉnh: gói bị sửa hoặc giả mạo."))
        try:
            manifest = BundleManifest.from_dict(json.loads(manifest_bytes))
        except (ValueError, ProtocolError) as exc:
            raise BundleRefused(tr("Tệp kê khai của gói không hợp lệ: {e}", e=str(exc))) from exc
        if manifest.kind != "reply":
            raise BundleRefused(tr("Đây không phải gói trả lời của máy chủ tỉnh (loại «{k}»).", k=manifest.kind))
        if manifest.commune_code != commune_code:
            raise BundleRefused(tr("Gói trả lời này dành cho xã {other}, không phải xã của máy này ({mine}).",
                                   other=manifest.commune_code, mine=commune_code))
        if device_id and manifest.device_id != device_id:
            raise BundleRefused(tr("Gói trả lời này dành cho máy khác của xã; hãy nhập trên đúng máy đã xuất gói."))
        listed = set(manifest.files)
        present = set(archive.names) - {MANIFEST_NAME, SIGNATURE_NAME}
        unlisted = ", ".join(sorted(present - listed))
        if unlisted:
            raise BundleRefused(tr("Gói có tệp không được kê khai: {names}.", names=unlisted))
        bodies: dict[str, Any] = {}
        for name, digest in manifest.files.items():
            if name.startswith(ATTACHMENT_DIR):
                _stage_file(archive, name, digest, limits, data_dir, staged)
                continue
            if name not in (ACK_NAME, PULL_NAME):
                continue
            data = archive.read(name, MAX_JSON_BYTES)
            if _sha(data) != digest:
                raise BundleRefused(tr("Tệp {name} trong gói không khớp mã băm đã ký.", name=name))
            bodies[name] = json.loads(data)
    return bodies


def _stage_file(archive: SafeZip, name: str, digest: str, limits: ZipLimits, data_dir: Path,
                staged: dict[str, Path]) -> None:
    """Check one attachment of the reply and write it beside its final place (fsynced), unless already held."""
    sha256 = name.removeprefix(ATTACHMENT_DIR)
    if not _HEX64.fullmatch(sha256) or sha256 != digest:
        raise BundleRefused(tr("Tệp đính kèm {name} trong gói không khớp mã băm đã ký; không nhập gì.", name=name))
    data = archive.read(name, limits.max_member_bytes)
    if _sha(data) != sha256:
        raise BundleRefused(tr("Tệp đính kèm {sha} trong gói trả lời không khớp mã băm đã ký (gói bị sửa hoặc "
                               "hỏng); không nhập gì.", sha=sha256[:12]))
    target = blob_path(data_dir, sha256)
    if target.is_file() or sha256 in staged:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name_tmp = tempfile.mkstemp(dir=target.parent, prefix=".reply-", suffix=".part")
    staged[sha256] = Path(name_tmp)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
