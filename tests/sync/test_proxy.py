"""Only an explicitly configured proxy is used; the PC's proxy variables never reroute the hub."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from typing import ClassVar

import pytest
import requests

from motcua.sync.engine import sync_round
from motcua.sync.enroll import enroll
from tests.hub.hubkit import HubProcess
from tests.sync.conftest import COMMUNE, DeskStore


class _Proxy(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[list[str]] = []
    upstream = requests.Session()
    upstream.trust_env = False  # the test's own proxy must not use the dead one from the environment

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.seen.append(f"{self.command} {self.path}")
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "proxy-connection")}
        upstream = self.upstream.request(self.command, self.path, data=body, headers=headers, timeout=30, stream=True)
        raw = upstream.raw.read(decode_content=False)
        self.send_response(upstream.status_code)
        for key, value in upstream.headers.items():
            if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    do_GET = do_POST = do_PUT = _forward

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def proxy() -> Iterator[str]:
    _Proxy.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Proxy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_explicit_proxy_is_used_and_environment_ignored(store: DeskStore, hub: HubProcess, proxy: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")      # a dead proxy in the environment
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    code = hub.cli("enroll-code", COMMUNE)["enrollment_code"]  # type: ignore[index]
    enroll(store.conn, hub.url, code, proxy=proxy)
    store.new_dossier()
    assert sync_round(store.conn, store.data_dir).pushed == 5
    assert any(line.startswith("POST") and line.endswith("/api/v1/push") for line in _Proxy.seen)
    assert any("/api/v1/enroll" in line for line in _Proxy.seen)
    # Without an explicit proxy the desk goes straight to the hub, whatever the environment says.
    from motcua.sync.meta import put_meta

    put_meta(store.conn, {"proxy": None})
    seen = len(_Proxy.seen)
    store.new_dossier(extra_events=0)
    assert sync_round(store.conn, store.data_dir).pushed == 1
    assert len(_Proxy.seen) == seen
