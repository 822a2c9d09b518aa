"""The wheel is a real package: built from the repository, installed (not editable) into a fresh venv, it finds
its migrations, catalog, forms and fonts and does a desk's and a hub's first steps with no checkout in sight."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{cmd} exited {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    work = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MOTCUA_ROOT", "MOTCUA_DATA_DIR")}
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(work / "dist"), str(REPO)], work, env)
    (wheel,) = (work / "dist").glob("motcua-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in ("motcua/_data/db/migrations/0001_core.sql", "motcua/_data/resources/style.qss",
                    "motcua/_data/resources/fonts/LiberationSerif-Regular.ttf"):
        assert shipped in names, f"{shipped} is not in the wheel"
    assert any(n.startswith("motcua/_data/db/catalog/") and n.endswith(".json") for n in names)
    venv = work / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], work, env)
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", f"{wheel}[hub]"], work, env)
    return venv, env


def test_installed_wheel_does_a_desks_first_steps(installed: tuple[Path, dict[str, str]],
                                                  tmp_path: Path) -> None:
    venv, env = installed
    motcua = str(venv / "bin" / "motcua")
    env = {**env, "MOTCUA_DATA_DIR": str(tmp_path / "desk")}
    where = _run([str(venv / "bin" / "python"), "-c", "import motcua; print(motcua.__file__)"], tmp_path, env)
    assert where.stdout.strip().startswith(str(venv)), where.stdout  # the wheel's copy, not the checkout
    _run([motcua, "demo", "--count", "20"], tmp_path, env)
    _run([motcua, "check"], tmp_path, env)
    code = json.loads(_run([motcua, "list", "--json"], tmp_path, env).stdout)["items"][0]["code"]
    receipt = tmp_path / "receipt.pdf"
    _run([motcua, "print", "receipt", code, "-o", str(receipt)], tmp_path, env)
    text = _run(["pdftotext", "-layout", str(receipt), "-"], tmp_path, env).stdout
    assert code in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text


def test_installed_wheel_starts_a_hub_on_sqlite(installed: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    venv, env = installed
    port = _free_port()
    log = tmp_path / "hub.log"
    with log.open("wb") as out:
        hub = subprocess.Popen([str(venv / "bin" / "motcua-hub"), "--data-dir", str(tmp_path / "hub"),
                                "--database-url", f"sqlite:///{tmp_path / 'hub.sqlite3'}", "serve",
                                "--host", "127.0.0.1", "--port", str(port)],
                               cwd=tmp_path, env={**env, "MOTCUA_HUB_ADMIN_TOKEN": "x" * 32}, stdout=out,
                               stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        answer = None
        while time.monotonic() < deadline and answer is None:
            assert hub.poll() is None, log.read_text()[-3000:]
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).json()
            except (httpx.HTTPError, ValueError):
                time.sleep(0.2)
        assert answer is not None and answer.get("ack") == "health", log.read_text()[-3000:]
    finally:
        hub.terminate()
        hub.wait(timeout=20)
