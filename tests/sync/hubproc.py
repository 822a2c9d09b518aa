"""A REAL hub process (``motcua-hub`` of this checkout) for integration tests: start, kill, restart."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
DESKTOP = ROOT / "desktop"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class HubProcess:
    def __init__(self, data_dir: Path, *, host: str = "127.0.0.1", port: int | None = None,
                 certfile: Path | None = None, keyfile: Path | None = None, netns: str | None = None):
        self.data_dir = data_dir
        self.host = host
        self.port = port or free_port(host if not netns else "127.0.0.1")
        self.certfile = certfile
        self.keyfile = keyfile
        self.netns = netns
        self.proc: subprocess.Popen[bytes] | None = None
        self.env = {**os.environ, "PYTHONPATH": str(DESKTOP), "MOTCUA_ROOT": str(ROOT)}
        self.log = data_dir / "hub.log"

    @property
    def scheme(self) -> str:
        return "https" if self.certfile else "http"

    @property
    def url(self) -> str:
        host = "localhost" if self.certfile and self.host == "127.0.0.1" else self.host
        return f"{self.scheme}://{host}:{self.port}"

    def _prefix(self) -> list[str]:
        return ["ip", "netns", "exec", self.netns] if self.netns else []

    def cli(self, *args: str) -> dict | list:
        cmd = [sys.executable, "-c", "import sys; from motcua.hub.cli import main; sys.exit(main())",
               "--data-dir", str(self.data_dir), *args]
        out = subprocess.run(cmd, env=self.env, capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            raise RuntimeError(f"motcua-hub {' '.join(args)} failed: {out.stderr}")
        return json.loads(out.stdout)

    def start(self, timeout: float = 30.0) -> HubProcess:
        cmd = [*self._prefix(), sys.executable, "-c", "import sys; from motcua.hub.cli import main; sys.exit(main())",
               "--data-dir", str(self.data_dir), "serve", "--host", self.host, "--port", str(self.port)]
        if self.certfile and self.keyfile:
            cmd += ["--ssl-certfile", str(self.certfile), "--ssl-keyfile", str(self.keyfile)]
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = self.log.open("ab")
        self.proc = subprocess.Popen(cmd, env=self.env, stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"hub exited: {self.log.read_text(errors='replace')[-2000:]}")
            if self._listening():
                return self
            time.sleep(0.1)
        raise RuntimeError("hub did not start listening")

    def _listening(self) -> bool:
        if self.netns:
            out = subprocess.run(["ip", "netns", "exec", self.netns, "ss", "-ltn"], capture_output=True, text=True)
            return f":{self.port} " in out.stdout
        try:
            with socket.create_connection((self.host, self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def kill(self) -> None:
        """SIGKILL: no graceful shutdown, exactly like a power cut on the hub."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self.proc = None

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.proc = None

    def get(self, path: str, **kwargs: object) -> requests.Response:
        return requests.get(self.url + path, timeout=10, **kwargs)  # type: ignore[arg-type]
