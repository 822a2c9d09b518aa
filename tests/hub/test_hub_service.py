"""The hub as a service (issue 17): with --workers, killing the master takes the workers with it (the
port is free for a restart), and SIGTERM shuts everything down gracefully."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from .hubkit import ADMIN_TOKEN, free_port, subprocess_env


def _serve(data_dir: Path, database_url: str, port: int) -> subprocess.Popen[bytes]:
    data_dir.mkdir(parents=True, exist_ok=True)
    log = (data_dir / "serve.log").open("ab")
    proc = subprocess.Popen([sys.executable, "-m", "motcua.hub.cli", "--data-dir", str(data_dir), "--database-url",
                             database_url, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
                            env=subprocess_env(MOTCUA_HUB_ADMIN_TOKEN=ADMIN_TOKEN), stdout=log,
                            stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, (data_dir / "serve.log").read_text()[-3000:]
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).status_code == 200 \
                    and len(_children(proc.pid)) >= 2:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("the hub did not come up: " + (data_dir / "serve.log").read_text()[-3000:])


def _stat(pid: int) -> tuple[int, str] | None:
    """(parent pid, state) of a live process, None when it is gone or a zombie."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    return (int(fields[1]), fields[0]) if fields[0] != "Z" else None


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat and stat[0] == pid:
                out.append(int(entry.name))
    return out


def _all_gone(pids: list[int], within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if all(_stat(pid) is None for pid in pids):
            return True
        time.sleep(0.1)
    return False


def test_workers_die_with_a_killed_master_and_sigterm_is_graceful(database_url: str, tmp_path: Path) -> None:
    port = free_port()
    master = _serve(tmp_path / "hub", database_url, port)
    workers = _children(master.pid)
    master.send_signal(signal.SIGKILL)
    master.wait(timeout=10)
    assert _all_gone(workers, 15), f"workers {workers} outlived their killed master"

    again = _serve(tmp_path / "hub", database_url, port)   # same port: nothing holds it any more
    workers = _children(again.pid)
    again.send_signal(signal.SIGTERM)
    assert again.wait(timeout=30) == 0
    assert _all_gone(workers, 5)
