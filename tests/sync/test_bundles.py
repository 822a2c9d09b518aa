"""USB bundles: export → ``motcua-hub import`` (real hub CLI) → import the signed reply, and hostile archives."""

from __future__ import annotations

import json
import os
import stat
import struct
import zipfile
from pathlib import Path

import pytest

from motcua.protocol.safezip import SafeZip, UnsafeZip, ZipLimits
from motcua.store.check import check_store
from motcua.store.db import transaction
from motcua.store.settings import put_values
from motcua.sync.bundle import export_bundle, import_reply
from motcua.sync.errors import BundleRefused, zip_refused
from motcua.sync.status import overview
from tests.hub.hubkit import HubProcess
from tests.sync.conftest import COMMUNE, DeskStore, enroll_store, hub_db, make_store, pdf_bytes
from tests.sync.test_with_hub import assert_exactly_once


def hub_import(hub: HubProcess, bundle: Path, reply: Path) -> dict:
    return hub.cli("import", str(bundle), "-o", str(reply))  # type: ignore[return-value]


def test_bundle_round_trip_imported_twice_on_both_sides(store: DeskStore, hub: HubProcess, tmp_path: Path) -> None:
    enroll_store(store, hub)
    dossiers = [store.new_dossier() for _ in range(6)]
    store.attach(dossiers[0], pdf_bytes(11, 250_000))
    store.attach(dossiers[1], pdf_bytes(12, 90_000))
    bundle, reply = tmp_path / "usb" / "xa-ea-kao.zip", tmp_path / "usb" / "tra-loi.zip"
    exported = export_bundle(store.conn, store.data_dir, bundle)
    assert (exported.events, exported.attachments, exported.remaining) == (32, 2, 0)
    assert store.states() == {"pending": 32}           # exporting acknowledges nothing
    first = hub_import(hub, bundle, reply)
    again = hub_import(hub, bundle, tmp_path / "usb" / "tra-loi-2.zip")   # the same stick, imported twice
    assert (first["stored"], again["stored"], again["duplicate"]) == (32, 0, 32)
    result = import_reply(store.conn, reply)
    assert result.acknowledged == 32
    import_reply(store.conn, reply)                    # twice: nothing changes
    import_reply(store.conn, tmp_path / "usb" / "tra-loi-2.zip")
    assert_exactly_once(store, hub)
    assert overview(store.conn).pending == 0
    # Another desk of the commune gets the first desk's work from its own reply.
    other = make_store(tmp_path / "desk2", seed=9)
    enroll_store(other, hub)
    export_bundle(other.conn, other.data_dir, tmp_path / "usb" / "may2.zip")
    hub_import(hub, tmp_path / "usb" / "may2.zip", tmp_path / "usb" / "may2-reply.zip")
    pulled = import_reply(other.conn, tmp_path / "usb" / "may2-reply.zip")
    assert pulled.pulled == 32
    assert other.conn.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 6
    # The USB reply carries the two files this desk lacks, hash-checked (issue 17 #11).
    assert pulled.files == 2
    assert check_store(other.conn, other.data_dir).ok


def test_reply_for_another_commune_or_tampered_is_refused(store: DeskStore, hub: HubProcess,
                                                          tmp_path: Path) -> None:
    enroll_store(store, hub)
    hub.cli("create-commune", "000.18.33.H56", "Xã Khác")
    stranger = make_store(tmp_path / "stranger", seed=5)
    with transaction(stranger.conn):  # another commune's desk carries its own agency code
        put_values(stranger.conn, {"agency_code": "000.18.33.H56"})
    code = hub.cli("enroll-code", "000.18.33.H56")["enrollment_code"]  # type: ignore[index]
    from motcua.sync.enroll import enroll

    enroll(stranger.conn, hub.url, code)
    stranger.new_dossier()
    export_bundle(stranger.conn, stranger.data_dir, tmp_path / "s.zip")
    hub_import(hub, tmp_path / "s.zip", tmp_path / "s-reply.zip")
    with pytest.raises(BundleRefused) as caught:
        import_reply(store.conn, tmp_path / "s-reply.zip")
    assert "000.18.33.H56" in str(caught.value)

    store.new_dossier()
    export_bundle(store.conn, store.data_dir, tmp_path / "a.zip")
    hub_import(hub, tmp_path / "a.zip", tmp_path / "a-reply.zip")
    sealed = (tmp_path / "a-reply.zip").read_bytes()
    for offset in (len(sealed) // 2, len(sealed) - 10, 30):     # body, signature, header
        tampered = tmp_path / f"tampered-{offset}.zip"
        tampered.write_bytes(sealed[:offset] + bytes([sealed[offset] ^ 0x20]) + sealed[offset + 1:])
        with pytest.raises(BundleRefused, match=r"Chữ ký|bị sửa|không"):
            import_reply(store.conn, tampered)
    assert store.states() == {"pending": 5}
    with hub_db(hub) as db:
        assert db.execute("SELECT count(*) FROM events WHERE commune_code = ?", (COMMUNE,)).fetchone()[0] == 5


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


def _write(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _zip_with(path: Path, name: str, data: bytes = b"x", *, mode: int | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", b"{}")
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        if mode is not None:
            info.external_attr = mode << 16
        archive.writestr(info, data)
    return path


@pytest.mark.parametrize("name,mode,why", [
    ("../../etc/passwd", None, ".."),
    ("/etc/cron.d/x", None, "tuyệt đối"),
    ("C:/Windows/x.dll", None, "tuyệt đối"),
    ("attachments\\..\\x", None, "\\"),
    ("attachments/link", stat.S_IFLNK | 0o777, "liên kết"),
    ("attachments/./x", None, ".."),
])
def test_hostile_names_and_links_are_refused(tmp_path: Path, name: str, mode: int | None, why: str) -> None:
    with pytest.raises(UnsafeZip) as caught:
        SafeZip(_zip_with(tmp_path / "evil.zip", name, mode=mode))
    assert "không an toàn" in str(zip_refused(caught.value))
    assert why in str(zip_refused(caught.value))


def test_zip_bombs_and_lying_headers_are_refused(tmp_path: Path) -> None:
    bomb = _zip_with(tmp_path / "bomb.zip", "ack.json", b"\0" * 50_000_000)
    with pytest.raises(UnsafeZip) as caught:
        SafeZip(bomb)
    assert "bom zip" in str(zip_refused(caught.value))
    big = _zip_with(tmp_path / "big.zip", "pull.json", os.urandom(1_200_000))
    with pytest.raises(UnsafeZip) as caught:
        SafeZip(big, ZipLimits(max_member_bytes=1_000_000))
    assert "quá lớn" in str(zip_refused(caught.value))
    # A directory that under-states a member's size (2 MB claimed as 1 kB): never trusted.
    raw = bytearray(_zip_with(tmp_path / "liar.zip", "pull.json", os.urandom(2_000_000)).read_bytes())
    central = raw.rfind(b"PK\x01\x02")
    struct.pack_into("<I", raw, central + 24, 1000)
    (tmp_path / "liar.zip").write_bytes(bytes(raw))
    with SafeZip(tmp_path / "liar.zip") as safe, pytest.raises(UnsafeZip):
        safe.read("pull.json", limit=100_000)
    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w") as archive:
        for index in range(60):
            archive.writestr(f"attachments/{index:064x}", b"x")
    with pytest.raises(UnsafeZip) as caught:
        SafeZip(many, ZipLimits(max_members=50))
    assert "quá nhiều" in str(zip_refused(caught.value))
    (tmp_path / "not.zip").write_bytes(b"PK\x03\x04 rubbish")
    with pytest.raises(UnsafeZip) as caught:
        SafeZip(tmp_path / "not.zip")
    assert "không đọc được zip" in str(zip_refused(caught.value))


def test_hostile_reply_never_touches_the_store(store: DeskStore, hub: HubProcess, tmp_path: Path) -> None:
    enroll_store(store, hub)
    store.new_dossier()
    evil = _zip_with(tmp_path / "evil.zip", "../../motcua.sqlite3", b"overwrite")
    before = (store.data_dir / "motcua.sqlite3").stat().st_mtime_ns
    with pytest.raises(BundleRefused):
        import_reply(store.conn, evil)
    assert store.states() == {"pending": 5}
    assert (store.data_dir / "motcua.sqlite3").stat().st_mtime_ns == before


def test_a_big_backlog_goes_in_one_bundle(store: DeskStore, hub: HubProcess, tmp_path: Path) -> None:
    enroll_store(store, hub)
    for _ in range(70):
        store.new_dossier()                                   # 350 events: more than one push request holds
    exported = export_bundle(store.conn, store.data_dir, tmp_path / "usb.zip")
    assert (exported.events, exported.remaining) == (350, 0)
    summary = hub_import(hub, tmp_path / "usb.zip", tmp_path / "reply.zip")
    assert summary["stored"] == 350
    assert import_reply(store.conn, tmp_path / "reply.zip").acknowledged == 350
    assert_exactly_once(store, hub)


def _personal(store: DeskStore) -> list[bytes]:
    """Every applicant's name, ID number, phone and address as they would appear in a file (UTF-8 or JSON-escaped)."""
    needles: set[bytes] = set()
    for (payload,) in store.conn.execute("SELECT payload FROM events WHERE type = 'received'"):
        applicant = json.loads(payload).get("applicant") or {}
        for field in ("name", "id_number", "phone", "address"):
            value = applicant.get(field)
            if isinstance(value, str) and len(value) >= 6:
                needles.add(value.encode("utf-8"))
                needles.add(json.dumps(value).strip('"').encode("ascii"))
    assert needles
    return sorted(needles)


def test_bundles_on_the_stick_hold_nothing_about_a_citizen(store: DeskStore, hub: HubProcess, tmp_path: Path) -> None:
    enroll_store(store, hub)
    for _ in range(3):
        store.new_dossier()
    other = make_store(tmp_path / "desk2", seed=9)
    enroll_store(other, hub)
    stick = tmp_path / "usb"
    export_bundle(store.conn, store.data_dir, stick / "push.zip")
    hub_import(hub, stick / "push.zip", stick / "reply.zip")
    export_bundle(other.conn, other.data_dir, stick / "push2.zip")
    hub_import(hub, stick / "push2.zip", stick / "reply2.zip")          # carries the first desk's dossiers
    personal = _personal(store)
    for name in ("push.zip", "reply.zip", "push2.zip", "reply2.zip"):
        data = (stick / name).read_bytes()
        assert not [n for n in personal if n in data], name
        assert COMMUNE.encode() in data                                  # what the finder learns
    assert not list(store.data_dir.glob(".motcua-bundle-*"))             # no clear copy left beside the store
    with pytest.raises(BundleRefused, match="máy khác"):
        import_reply(other.conn, stick / "reply.zip")                   # sealed for the first desk
    assert import_reply(other.conn, stick / "reply2.zip").pulled == 15
    assert import_reply(store.conn, stick / "reply.zip").acknowledged == 15
    assert not list(other.data_dir.glob(".motcua-bundle-*"))


def test_special_files_are_refused_without_blocking(store: DeskStore, hub: HubProcess, tmp_path: Path) -> None:
    import time

    enroll_store(store, hub)
    fifo = tmp_path / "pipe.zip"
    os.mkfifo(fifo)
    started = time.monotonic()
    for special in (Path("/dev/zero"), fifo, tmp_path):
        with pytest.raises(BundleRefused, match="tệp gói thông thường"):
            import_reply(store.conn, special)
    assert time.monotonic() - started < 5
