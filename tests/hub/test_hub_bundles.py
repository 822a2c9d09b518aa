"""USB bundles: signed push bundle in, signed reply out; idempotent; hostile archives refused."""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from motcua.domain.clock import iso, now
from motcua.domain.events import canonical_json
from motcua.hub.communes import accounts
from motcua.hub.communes.bundles import BundleRefused, build_signed, import_bundle, read_reply_bundle, write_push_bundle
from motcua.hub.service.config import HubConfig
from motcua.hub.service.hub import Hub, open_hub
from motcua.protocol.messages import EnrollRequest, PullResponse, PushResponse
from motcua.protocol.safezip import ZipLimits
from motcua.protocol.signing import generate_private_key, public_key_b64

from .hubkit import HubProcess, check_hub_invariants, enroll, follow_up, hub_cli, received_event


def _push_body(device_id: str, events: list[dict[str, Any]]) -> dict[str, Any]:
    return {"protocol": 1, "device_id": device_id, "client_time": iso(now()), "events": events}


def test_import_twice_changes_nothing_and_replies_are_signed(hub: HubProcess, tmp_path: Path) -> None:
    online = enroll(hub, "A", "máy trực tuyến")
    online_dossier = received_event(online.device_id)
    online.push([online.wire(online_dossier)])
    usb = enroll(hub, "A", "máy USB")
    events = []
    for _ in range(160):  # 320 events: more than one push request's worth (MAX_PUSH_EVENTS)
        created = received_event(usb.device_id)
        events += [usb.wire(created), usb.wire(follow_up(usb.device_id, created.dossier_id))]
    scan = os.urandom(50_000)
    bundle = tmp_path / "push.zip"
    write_push_bundle(bundle, usb.key, "A", usb.device_id, _push_body(usb.device_id, events), {"scan": scan},
                      pull_cursor=0)

    replies = []
    for name in ("reply1.zip", "reply2.zip"):
        done = hub_cli(hub.data_dir, hub.database_url, "import", str(bundle), "-o", str(tmp_path / name),
                       "--commune", "A")
        replies.append(json.loads(done.stdout))
        if name == "reply1.zip":
            after_first = check_hub_invariants(hub.database_url, hub.data_dir)
    assert replies[0]["stored"] == 320 and replies[1]["stored"] == 0 and replies[1]["duplicate"] == 320
    assert check_hub_invariants(hub.database_url, hub.data_dir) == after_first

    acks = []
    for name in ("reply1.zip", "reply2.zip"):
        manifest, ack, pull = read_reply_bundle(tmp_path / name, usb.hub_public_key, usb.key)
        assert manifest.kind == "reply" and manifest.device_id == usb.device_id
        acks.append(PushResponse.from_dict(ack))
        pulled = PullResponse.from_dict(pull)
        assert [i.data["id"] for i in pulled.items if i.kind == "event"] == [online_dossier.id]
    assert [r.hub_seq for r in acks[0].results] == [r.hub_seq for r in acks[1].results]
    sha = hashlib.sha256(scan).hexdigest()
    assert usb.http.get(f"/api/v1/attachments/{sha}").content == scan
    # The reply's signature is the hub's: another key does not verify it.
    with pytest.raises(BundleRefused, match="signature"):
        read_reply_bundle(tmp_path / "reply1.zip", public_key_b64(generate_private_key()), usb.key)


def test_cli_refuses_another_communes_bundle(hub: HubProcess, tmp_path: Path) -> None:
    b = enroll(hub, "B")
    bundle = tmp_path / "b.zip"
    write_push_bundle(bundle, b.key, "B", b.device_id, _push_body(b.device_id, []))
    done = hub_cli(hub.data_dir, hub.database_url, "import", str(bundle), "-o", str(tmp_path / "r.zip"),
                   "--commune", "A", check=False)
    assert done.returncode == 1 and "from commune B, not A" in done.stderr
    assert not (tmp_path / "r.zip").exists()


# --- in-process: hostile and forged archives -------------------------------------------------------

@pytest.fixture
def local_hub(tmp_path: Path) -> Iterator[tuple[Hub, dict[str, Any]]]:
    hub = open_hub(HubConfig.load(str(tmp_path / "hub"), f"sqlite:///{tmp_path / 'hub.sqlite3'}"))
    devices: dict[str, Any] = {}
    for commune in ("A", "B"):
        accounts.create_commune(hub.db, commune, f"Xã {commune}")
        code = accounts.create_enrollment_code(hub.db, commune)["enrollment_code"]
        key = generate_private_key()
        enrolled = accounts.enroll(hub.db, EnrollRequest(code, "pc", public_key_b64(key)), hub.public_key)
        devices[commune] = (enrolled.device_id, key)
    yield hub, devices
    hub.close()


def _zip(path: Path, members: dict[str, bytes], symlinks: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in symlinks:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, data)
    return path


def _signed(device: tuple[str, Ed25519PrivateKey], commune: str, extra: dict[str, bytes] | None = None,
            key: Ed25519PrivateKey | None = None) -> dict[str, bytes]:
    device_id, device_key = device
    event = received_event(device_id)
    files = {"push.json": canonical_json(_push_body(device_id, [{**event.to_wire(), "device_seq": 1}])).encode()}
    files.update(extra or {})
    return build_signed("push", key or device_key, commune, device_id, files)


def _refused(hub: Hub, path: Path, match: str, limits: ZipLimits | None = None) -> None:
    with pytest.raises(BundleRefused, match=match):
        import_bundle(hub, path, path.with_suffix(".reply.zip"), limits=limits)
    assert not path.with_suffix(".reply.zip").exists()


def test_hostile_and_forged_bundles_are_refused(local_hub: tuple[Hub, dict[str, Any]], tmp_path: Path) -> None:
    hub, devices = local_hub
    good = _signed(devices["A"], "A")
    cases: list[tuple[str, dict[str, bytes], str]] = [
        ("traversal", {**good, "../../etc/cron.d/x": b"x"}, "not allowed"),
        ("absolute", {**good, "/etc/passwd": b"x"}, "not allowed"),
        ("backslash", {**good, "attachments\\..\\x": b"x"}, "not allowed"),
        ("unlisted", {**good, f"attachments/{'a' * 64}": b"x"}, "disagree"),
        ("no-manifest", {"push.json": good["push.json"]}, "lacks manifest"),
        ("forged-commune", _signed(devices["B"], "A"), "belongs to commune B"),
        ("wrong-key", _signed(devices["A"], "A", key=generate_private_key()), "signature does not verify"),
    ]
    tampered = dict(good)
    tampered["push.json"] = good["push.json"].replace(b'"protocol":1', b'"protocol":1 ')
    cases.append(("tampered", tampered, "SHA-256"))
    blob = b"scan"
    wrong_name = _signed(devices["A"], "A", {f"attachments/{'b' * 64}": blob})
    cases.append(("attachment-name", wrong_name, "hashes to"))
    for label, members, match in cases:
        _refused(hub, _zip(tmp_path / f"{label}.zip", members), match)

    _refused(hub, _zip(tmp_path / "symlink.zip", {**good, "push.json": b"/etc/passwd"}, symlinks=("push.json",)),
             "symbolic link")
    bomb = _signed(devices["A"], "A", {f"attachments/{hashlib.sha256(bytes(20_000_000)).hexdigest()}":
                                       bytes(20_000_000)})
    _refused(hub, _zip(tmp_path / "bomb.zip", bomb), "zip bomb")
    _refused(hub, _zip(tmp_path / "big.zip", good), "declares", limits=ZipLimits(max_member_bytes=100))
    _refused(hub, _zip(tmp_path / "total.zip", good), "at most 100", limits=ZipLimits(max_total_bytes=100))
    (tmp_path / "junk.zip").write_bytes(b"PK\x03\x04 not really")
    _refused(hub, tmp_path / "junk.zip", "not a readable")

    # Duplicate member names (zipfile warns but writes them).
    dup = io.BytesIO()
    with zipfile.ZipFile(dup, "w") as archive, pytest.warns(UserWarning):
        for name, data in good.items():
            archive.writestr(name, data)
        archive.writestr("push.json", good["push.json"])
    (tmp_path / "dup.zip").write_bytes(dup.getvalue())
    _refused(hub, tmp_path / "dup.zip", "appears twice")

    # A member whose real size is larger than its declared size: the CRC/size check catches it.
    liar = _zip(tmp_path / "liar.zip", good)
    raw = bytearray(liar.read_bytes())
    size = len(good["push.json"]).to_bytes(4, "little")
    fake = (len(good["push.json"]) - 10).to_bytes(4, "little")
    assert raw.count(size) >= 2
    liar.write_bytes(bytes(raw.replace(size, fake)))
    _refused(hub, liar, "push.json")

    # Nothing of all that reached the hub.
    counts = check_hub_invariants(hub.config.database_url, hub.config.data_dir)
    assert counts == {"events": 0, "feed": 0, "attachments": 0}
    # The genuine bundle goes through.
    import_bundle(hub, _zip(tmp_path / "good.zip", good), tmp_path / "good.reply.zip")
    assert check_hub_invariants(hub.config.database_url, hub.config.data_dir)["events"] == 1


def test_import_killed_half_way_then_imported_again(hub: HubProcess, tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    from .hubkit import subprocess_env

    usb = enroll(hub, "A", "máy USB")
    events = []
    for _ in range(1500):  # 3,000 events: 15 push transactions inside one import
        created = received_event(usb.device_id)
        events += [usb.wire(created), usb.wire(follow_up(usb.device_id, created.dossier_id))]
    bundle = tmp_path / "push.zip"
    write_push_bundle(bundle, usb.key, "A", usb.device_id, _push_body(usb.device_id, events), pull_cursor=0)
    command = [sys.executable, "-m", "motcua.hub.cli", "--data-dir", str(hub.data_dir), "--database-url",
               hub.database_url, "import", str(bundle), "-o", str(tmp_path / "reply.zip")]
    first = subprocess.Popen(command, env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and first.poll() is None:
        if check_hub_invariants(hub.database_url, hub.data_dir)["events"] > 0:
            first.send_signal(signal.SIGKILL)   # some transactions committed, the rest not yet
            break
        time.sleep(0.05)
    first.wait(timeout=60)
    partial = check_hub_invariants(hub.database_url, hub.data_dir)["events"]
    assert 0 < partial < 3000, f"the import should have died half-way, it stored {partial}"
    done = subprocess.run(command, env=subprocess_env(), capture_output=True, text=True, timeout=300, check=True)
    summary = json.loads(done.stdout)
    assert summary["stored"] + summary["duplicate"] == 3000 and summary["duplicate"] == partial
    assert check_hub_invariants(hub.database_url, hub.data_dir)["events"] == 3000
    _, ack, _ = read_reply_bundle(tmp_path / "reply.zip", usb.hub_public_key, usb.key)
    assert {r["status"] for r in ack["results"]} <= {"stored", "duplicate"}


def test_a_forged_bundle_is_refused_before_anything_is_unpacked(local_hub: tuple[Hub, dict[str, Any]],
                                                                 tmp_path: Path) -> None:
    """Issue 17 item 5: 1,000 members just under 1 MiB each, signed by a foreign key, took 4.2 s and 1.08 GB."""
    import time
    import tracemalloc

    hub, devices = local_hub
    device_id, _ = devices["A"]
    foreign = generate_private_key()
    members = {f"attachments/{hashlib.sha256(str(i).encode()).hexdigest()}": bytes(1024 * 1024 - 1)
               for i in range(1000)}
    plain = _zip(tmp_path / "forged.zip", build_signed("push", foreign, "A", device_id,
                                                       {"push.json": b"{}", **members}))
    sealed = tmp_path / "forged-sealed.zip"
    write_push_bundle(sealed, foreign, "A", device_id, _push_body(device_id, []), pull_cursor=0,
                      hub_public_key=hub.public_key)
    fifo = tmp_path / "pipe.zip"
    os.mkfifo(fifo)
    tracemalloc.start()
    started = time.monotonic()
    for path, match in ((plain, "signature does not verify"), (sealed, "signature does not verify"),
                        (Path("/dev/zero"), "not a regular file"), (fifo, "not a regular file")):
        _refused(hub, path, match)
    elapsed = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 2 and peak < 20 * 1024 * 1024, (elapsed, peak)
    assert check_hub_invariants(hub.config.database_url, hub.config.data_dir)["events"] == 0


def test_sealed_push_bundle_opens_only_at_the_hub_and_the_reply_only_at_its_device(
        local_hub: tuple[Hub, dict[str, Any]], tmp_path: Path) -> None:
    hub, devices = local_hub
    (device_id, key), (other_id, other_key) = devices["A"], devices["B"]
    event = received_event(device_id)
    bundle = tmp_path / "push.zip"
    write_push_bundle(bundle, key, "A", device_id, _push_body(device_id, [{**event.to_wire(), "device_seq": 1}]),
                      {"scan": b"%PDF-1.4 giay khai sinh"}, pull_cursor=0, hub_public_key=hub.public_key)
    data = bundle.read_bytes()
    for needle in (b"001190012345", "Trần Thị Bình".encode(), b"giay khai sinh"):
        assert needle not in data
    # Sealed for another hub: this one cannot open it.
    stranger_hub = generate_private_key()
    elsewhere = tmp_path / "elsewhere.zip"
    write_push_bundle(elsewhere, key, "A", device_id, _push_body(device_id, []),
                      hub_public_key=public_key_b64(stranger_hub))
    _refused(hub, elsewhere, "another reader")
    tampered = tmp_path / "tampered.zip"
    tampered.write_bytes(data[:-200] + bytes([data[-200] ^ 1]) + data[-199:])
    _refused(hub, tampered, "sealed bundle refused")

    summary = import_bundle(hub, bundle, tmp_path / "reply.zip")
    assert summary["stored"] == 1 and summary["attachments"] == 1
    _, ack, _ = read_reply_bundle(tmp_path / "reply.zip", hub.public_key, key)
    assert ack["results"][0]["status"] == "stored"
    with pytest.raises(BundleRefused, match="another reader"):
        read_reply_bundle(tmp_path / "reply.zip", hub.public_key, other_key)
    assert other_id != device_id
