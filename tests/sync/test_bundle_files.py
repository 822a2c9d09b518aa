"""USB replies carry the files a desk lacks, against a REAL hub process on SQLite and PostgreSQL (issue 17 #11):
desk B of a commune, offline, gets desk A's scan in its reply bundle, hash-checked; a reply whose file was
changed is refused whole."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from motcua.protocol.messages import MANIFEST_NAME, BundleManifest
from motcua.protocol.sealed_bundle import BundleHeader, open_bundle, read_bundle_header, seal_bundle
from motcua.protocol.signing import load_or_create_private_key, load_public_key
from motcua.store.attachments import blob_path
from motcua.store.check import check_store
from motcua.sync.bundle import export_bundle, import_reply
from motcua.sync.credentials import load_credentials
from motcua.sync.engine import sync_round
from motcua.sync.errors import BundleRefused
from motcua.sync.meta import get_meta
from tests.hub.hubkit import HubProcess
from tests.sync.conftest import COMMUNE, DeskStore, enroll_store, make_store, pdf_bytes


def hub_import(hub: HubProcess, bundle: Path, reply: Path) -> dict:
    return hub.cli("import", str(bundle), "-o", str(reply))  # type: ignore[return-value]


def _offline_desk_with_reply(store: DeskStore, hub: HubProcess,
                             tmp_path: Path) -> tuple[DeskStore, str, bytes, dict]:
    hub.cli("create-commune", COMMUNE, "Xã Ea Kao")
    enroll_store(store, hub)
    dossier = store.new_dossier(extra_events=1)
    scan = pdf_bytes(77, 180_000)
    sha = store.attach(dossier, scan)
    sync_round(store.conn, store.data_dir)                       # desk A, online: the scan is at the hub
    other = make_store(tmp_path / "desk-b", seed=41)
    enroll_store(other, hub)
    other.new_dossier(extra_events=0)                            # desk B works offline
    export_bundle(other.conn, other.data_dir, tmp_path / "usb" / "may-b.zip")
    summary = hub_import(hub, tmp_path / "usb" / "may-b.zip", tmp_path / "usb" / "may-b-reply.zip")
    return other, sha, scan, summary


def test_the_reply_carries_the_files_the_desk_lacks(store: DeskStore, province: HubProcess, tmp_path: Path) -> None:
    other, sha, scan, summary = _offline_desk_with_reply(store, province, tmp_path)
    assert summary["reply_attachments"] == 1
    assert not blob_path(other.data_dir, sha).exists()
    result = import_reply(other.conn, tmp_path / "usb" / "may-b-reply.zip")
    assert result.files == 1 and "1 tệp đính kèm" in result.summary()
    held = blob_path(other.data_dir, sha).read_bytes()
    assert held == scan and hashlib.sha256(held).hexdigest() == sha
    assert check_store(other.conn, other.data_dir).ok            # the file is there, hash checked
    again = import_reply(other.conn, tmp_path / "usb" / "may-b-reply.zip")   # twice: nothing new
    assert again.files == 0 and check_store(other.conn, other.data_dir).ok
    assert not list(blob_path(other.data_dir, sha).parent.glob(".reply-*"))


def test_a_file_the_desk_still_lacks_is_asked_for_in_the_next_bundle(store: DeskStore, province: HubProcess,
                                                                    tmp_path: Path) -> None:
    """The desk pulled the event online but never got the file: its next push bundle asks for it."""
    other, sha, scan, _ = _offline_desk_with_reply(store, province, tmp_path)
    import_reply(other.conn, tmp_path / "usb" / "may-b-reply.zip")
    blob_path(other.data_dir, sha).unlink()                      # lost (e.g. a restored backup without files)
    export_bundle(other.conn, other.data_dir, tmp_path / "usb" / "again.zip")
    summary = hub_import(province, tmp_path / "usb" / "again.zip", tmp_path / "usb" / "again-reply.zip")
    assert summary["pull_items"] == 0 and summary["reply_attachments"] == 1
    assert import_reply(other.conn, tmp_path / "usb" / "again-reply.zip").files == 1
    assert blob_path(other.data_dir, sha).read_bytes() == scan


def _reseal(reply: Path, target: Path, hub: HubProcess, desk: DeskStore, change: dict[str, bytes]) -> None:
    """The reply re-sealed by the hub's own key with members replaced (the signed manifest kept as it was)."""
    hub_key = load_or_create_private_key(hub.data_dir / "hub_key.pem")
    device_key = load_credentials(desk.conn).private_key
    sealed, header = read_bundle_header(reply, 1 << 30)
    inner = open_bundle(sealed, load_public_key(str(get_meta(desk.conn, "hub_public_key"))), device_key,
                        target.parent, 1 << 30)
    with zipfile.ZipFile(inner) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    inner.unlink()
    members.update(change)
    plain = target.with_suffix(".plain")
    with zipfile.ZipFile(plain, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    seal_bundle(plain, target, BundleHeader(header.kind, header.commune_code, header.device_id, header.created_at,
                                            header.count), device_key.public_key(), hub_key)
    plain.unlink()


def test_a_reply_with_a_changed_file_is_refused_and_writes_nothing(store: DeskStore, province: HubProcess,
                                                                   tmp_path: Path) -> None:
    other, sha, scan, _ = _offline_desk_with_reply(store, province, tmp_path)
    reply = tmp_path / "usb" / "may-b-reply.zip"
    name = f"attachments/{sha}"
    manifest = BundleManifest.from_dict(json.loads(_inner_member(reply, other, MANIFEST_NAME, tmp_path)))
    assert name in manifest.files
    tampered = tmp_path / "usb" / "tampered.zip"
    _reseal(reply, tampered, province, other, {name: scan[:-1] + b"X"})
    before = other.states(), other.conn.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    with pytest.raises(BundleRefused, match="không khớp mã băm") as caught:
        import_reply(other.conn, tampered)
    assert sha[:12] in str(caught.value) and "không nhập gì" in str(caught.value)
    assert (other.states(), other.conn.execute("SELECT count(*) FROM dossiers").fetchone()[0]) == before
    assert not blob_path(other.data_dir, sha).exists()
    assert not [p for p in other.data_dir.rglob(".reply-*")]      # no staged file left behind
    # A byte changed in the sealed file itself: the hub's signature no longer holds.
    sealed = reply.read_bytes()
    flipped = tmp_path / "usb" / "flipped.zip"
    flipped.write_bytes(sealed[:-200] + bytes([sealed[-200] ^ 0x01]) + sealed[-199:])
    with pytest.raises(BundleRefused, match=r"Chữ ký|bị sửa"):
        import_reply(other.conn, flipped)
    assert not blob_path(other.data_dir, sha).exists()
    import_reply(other.conn, reply)                              # the genuine reply still imports
    assert blob_path(other.data_dir, sha).read_bytes() == scan


def _inner_member(reply: Path, desk: DeskStore, name: str, tmp_path: Path) -> bytes:
    sealed, _ = read_bundle_header(reply, 1 << 30)
    inner = open_bundle(sealed, load_public_key(str(get_meta(desk.conn, "hub_public_key"))),
                        load_credentials(desk.conn).private_key, tmp_path, 1 << 30)
    try:
        with zipfile.ZipFile(inner) as archive:
            return archive.read(name)
    finally:
        inner.unlink()
