"""``motcua sync …`` as an official runs it: real processes, the token in a (test) keyring file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.hub.hubkit import WORKTREE, HubProcess
from tests.sync.conftest import COMMUNE, DeskStore
from tests.sync.verify import assert_exactly_once


def motcua(data_dir: Path, keyring_file: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": f"{WORKTREE / 'desktop'}{os.pathsep}{WORKTREE}",
           "PYTHON_KEYRING_BACKEND": "tests.sync.keyrings.FileKeyring", "MOTCUA_TEST_KEYRING": str(keyring_file)}
    return subprocess.run([sys.executable, "-m", "motcua", "--data-dir", str(data_dir), *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_cli_enroll_now_status_export_import(store: DeskStore, hub: HubProcess, tmp_path: Path) -> None:
    keys = tmp_path / "keyring.json"
    store.new_dossier()
    status = json.loads(motcua(store.data_dir, keys, "sync", "status", "--json").stdout)
    assert status["state"] == "not_enrolled" and status["pending"] == 5
    code = hub.cli("enroll-code", COMMUNE)["enrollment_code"]  # type: ignore[index]
    out = motcua(store.data_dir, keys, "sync", "enroll", "--hub", hub.url, "--code", code)
    assert out.returncode == 0, out.stderr
    assert "Đã đăng ký máy" in out.stdout
    assert json.loads(keys.read_text())                          # the secrets went to the keyring
    out = motcua(store.data_dir, keys, "sync", "now")
    assert out.returncode == 0, out.stderr
    assert "Đã gửi 5 thao tác" in out.stdout
    out = motcua(store.data_dir, keys, "sync", "status")
    assert "Đã đồng bộ đầy đủ" in out.stdout
    store.new_dossier(extra_events=1)
    assert store.states() == {"sent": 5, "pending": 2}, store.states()
    out = motcua(store.data_dir, keys, "sync", "export", "-o", str(tmp_path / "usb.zip"), "--json")
    assert json.loads(out.stdout)["events"] == 2, out.stdout + out.stderr
    hub.cli("import", str(tmp_path / "usb.zip"), "-o", str(tmp_path / "reply.zip"))
    for _ in range(2):
        out = motcua(store.data_dir, keys, "sync", "import", str(tmp_path / "reply.zip"))
        assert out.returncode == 0, out.stderr
    assert_exactly_once(store.conn, store.data_dir, hub.data_dir)
    out = motcua(store.data_dir, keys, "sync", "resync", "--json")
    assert out.returncode == 0 and store.states() == {"sent": 7}
    hub.stop()
    store.new_dossier(extra_events=0)
    out = motcua(store.data_dir, keys, "sync", "now")
    assert out.returncode == 5
    assert "Không kết nối được máy chủ tỉnh" in out.stderr
    out = motcua(store.data_dir, keys, "sync", "conflicts")
    assert "Không có xung đột" in out.stdout
