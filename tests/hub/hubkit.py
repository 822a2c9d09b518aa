"""Test helpers: a real hub process on loopback, a throwaway PostgreSQL cluster, device clients."""

from __future__ import annotations

import glob
import gzip
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from motcua.domain import clock
from motcua.domain.events import Event
from motcua.domain.ids import uuid7
from motcua.protocol.signing import generate_private_key, public_key_b64

WORKTREE = Path(__file__).resolve().parents[2]
ADMIN_TOKEN = "test-admin-token-0123456789"
OCTETS = {"Content-Type": "application/octet-stream"}   # what an attachment chunk must say it is


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def subprocess_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(WORKTREE / "desktop") + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def _hub_command(data_dir: Path, database_url: str | None, *args: str) -> list[str]:
    database = ["--database-url", database_url] if database_url else []
    return [sys.executable, "-m", "motcua.hub.cli", "--data-dir", str(data_dir), *database, *args]


def hub_cli(data_dir: Path, database_url: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_hub_command(data_dir, database_url, *args),
                          env=subprocess_env(), capture_output=True, text=True, timeout=120, check=check)


class HubProcess:
    """`motcua-hub serve` of this checkout as a child process (its own session) on a free port: start, kill
    (a power cut), stop, start again on the same port. Without ``database_url`` the hub keeps its SQLite
    database in ``data_dir``; with ``certfile`` and ``keyfile`` it serves HTTPS (``url`` names localhost)."""

    def __init__(self, data_dir: Path, database_url: str | None = None, *, env: dict[str, str] | None = None,
                 port: int | None = None, certfile: Path | None = None, keyfile: Path | None = None,
                 workers: int = 1) -> None:
        self.data_dir = data_dir
        self.workers = workers
        self.database_url = database_url
        self.env = dict(env or {})   # extra environment of the serving process (hub settings)
        self.port = port or free_port()
        self.certfile = certfile
        self.keyfile = keyfile
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = data_dir / "serve.log"

    @property
    def url(self) -> str:
        return f"https://localhost:{self.port}" if self.certfile else f"http://127.0.0.1:{self.port}"

    def cli(self, *args: str) -> Any:
        """``motcua-hub ARGS`` on this hub's data; its JSON output."""
        out = subprocess.run(_hub_command(self.data_dir, self.database_url, *args),
                             env=subprocess_env(**self.env), capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            raise RuntimeError(f"motcua-hub {' '.join(args)} failed: {out.stderr}")
        return json.loads(out.stdout)

    def start(self, timeout: float = 30.0) -> HubProcess:
        command = _hub_command(self.data_dir, self.database_url, "serve", "--host", "127.0.0.1",
                               "--port", str(self.port))
        if self.workers > 1:
            command += ["--workers", str(self.workers)]
        if self.certfile and self.keyfile:
            command += ["--ssl-certfile", str(self.certfile), "--ssl-keyfile", str(self.keyfile)]
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(command, env=subprocess_env(MOTCUA_HUB_ADMIN_TOKEN=ADMIN_TOKEN, **self.env),
                                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"hub exited with {self.proc.returncode}: "
                                   f"{self.log.read_text(errors='replace')[-3000:]}")
            if self._ready():
                return self
            time.sleep(0.1)
        raise RuntimeError(f"hub did not answer within {timeout} s: {self.log.read_text(errors='replace')[-3000:]}")

    def _ready(self) -> bool:
        if self.certfile:   # TLS: listening is enough (the test's own client checks the certificate)
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return True
            except OSError:
                return False
        try:
            return bool(httpx.get(f"{self.url}/api/v1/health", timeout=1).json().get("ack") == "health")
        except (httpx.HTTPError, ValueError):
            return False

    def kill(self) -> None:
        """SIGKILL to the whole session: no clean shutdown, exactly like a power cut of the server."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.proc = None

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.proc = None

    def admin(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, timeout=30,
                            verify=False)  # plain HTTP on loopback: skip loading a CA bundle per client


@dataclass
class DeviceClient:
    base_url: str
    device_id: str
    token: str
    commune_code: str
    hub_public_key: str
    key: Any = None
    with_http: bool = True
    seq: int = 0
    http: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        if self.with_http:
            self.http = httpx.Client(base_url=self.base_url, headers={"Authorization": f"Bearer {self.token}"},
                                     timeout=60)

    def wire(self, event: Event) -> dict[str, Any]:
        self.seq += 1
        return {**event.to_wire(), "device_seq": self.seq}

    def push_body(self, events: list[dict[str, Any]]) -> dict[str, Any]:
        return {"protocol": 1, "device_id": self.device_id, "client_time": clock.iso(clock.now()),
                "events": events}

    def push(self, events: list[dict[str, Any]], *, compress: bool = False) -> httpx.Response:
        body = self.push_body(events)
        if compress:
            raw = gzip.compress(json.dumps(body).encode())
            return self.http.post("/api/v1/push", content=raw,
                                  headers={"Content-Encoding": "gzip", "Content-Type": "application/json"})
        return self.http.post("/api/v1/push", json=body)

    def pull_all(self, cursor: int = 0, limit: int = 100) -> tuple[list[dict[str, Any]], int]:
        items: list[dict[str, Any]] = []
        while True:
            body = self.http.get("/api/v1/pull", params={"cursor": cursor, "limit": limit}).json()
            assert body["ack"] == "pull", body
            items.extend(body["items"])
            cursor = body["next_cursor"]
            if not body["more"]:
                return items, cursor

    def upload(self, data: bytes, sha: str, chunk: int = 64 * 1024, start: int = 0) -> dict[str, Any]:
        body: dict[str, Any] = {}
        for offset in range(start, len(data), chunk):
            response = self.http.put(f"/api/v1/attachments/{sha}", content=data[offset:offset + chunk],
                                     headers={"X-Offset": str(offset), "X-Total-Size": str(len(data)),
                                              **OCTETS})
            body = response.json()
            assert response.status_code == 200, body
        return body


def create_commune(admin: httpx.Client, code: str, name: str = "") -> None:
    response = admin.post("/api/v1/admin/communes", json={"code": code, "name": name or f"Xã {code}"})
    assert response.status_code in (201, 409), response.text


def enroll(hub: HubProcess, commune: str, name: str = "máy 1", *, http: bool = True) -> DeviceClient:
    """A new device of ``commune`` (made if needed). ``http=False``: no httpx client for it (benchmarks)."""
    with hub.admin() as admin:
        create_commune(admin, commune)
        code = admin.post("/api/v1/admin/enrollment-codes", json={"commune_code": commune}).json()["enrollment_code"]
        key = generate_private_key()
        response = admin.post("/api/v1/enroll", json={"enrollment_code": code, "device_name": name,
                                                      "public_key": public_key_b64(key)})
    assert response.status_code == 200, response.text
    body = response.json()
    _DEVICE_AGENCY[body["device_id"]] = agency_for(commune)
    return DeviceClient(hub.url, body["device_id"], body["token"], body["commune_code"], body["hub_public_key"], key,
                        with_http=http)


def shipped_procedure(version: int | None = None) -> dict[str, Any]:
    """A reviewed procedure from db/catalog (a real, valid catalog entry), optionally at another version."""
    data = json.loads((WORKTREE / "db" / "catalog" / "procedures" / "1.000656.json").read_text(encoding="utf-8"))
    if version is not None:
        data["version"] = version
    return data


_CODE_NUMBERS = itertools.count(1)
_COMMUNE_AGENCY: dict[str, str] = {}   # commune → the agency code its test codes carry (one per commune)
_DEVICE_AGENCY: dict[str, str] = {}


def agency_for(commune: str) -> str:
    """The agency code of a test commune: the commune code itself when it is one, else one of its own."""
    if commune not in _COMMUNE_AGENCY:
        taken = len(_COMMUNE_AGENCY)
        own = f"000.{17 + taken // 90:02d}.{10 + taken % 90:02d}.H57"
        _COMMUNE_AGENCY[commune] = commune if commune.count(".") == 3 else own
    return _COMMUNE_AGENCY[commune]


def received_event(device_id: str, dossier_id: str | None = None, level: str = "commune") -> Event:
    """A dossier received today and due in 30 days: never overdue, whatever day the suite runs; its code
    carries the device's commune's agency code and is unique (the hub refuses a code used twice)."""
    agency = _DEVICE_AGENCY.get(device_id, "000.17.22.H56")
    today = clock.now()
    due = (today + timedelta(days=30)).replace(hour=17, minute=0, second=0, microsecond=0)
    return Event.new(dossier_id or uuid7(), "received", "Nguyễn Văn An",
                     {"code": f"{agency}-{today:%y%m%d}-{next(_CODE_NUMBERS):06d}",
                      "procedure": {"code": "1.003560", "level": level, "name": "Cấp phép"},
                      "applicant": {"name": "Trần Thị Bình", "id_number": "001190012345"},
                      "due_at": due.isoformat()}, device_id=device_id)


def follow_up(device_id: str, dossier_id: str, kind: str = "handed_over") -> Event:
    return Event.new(dossier_id, kind, "Nguyễn Văn An", {"to": "chuyên viên"}, device_id=device_id)


# --- PostgreSQL ----------------------------------------------------------------------------------

def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@dataclass
class PostgresCluster:
    bindir: Path
    datadir: Path
    port: int
    counter: int = 0

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        import psycopg

        self.counter += 1
        name = f"hub_{os.getpid()}_{self.counter}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _as_postgres(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


@contextmanager
def postgres_cluster() -> Iterator[PostgresCluster]:
    bindir = postgres_bin()
    assert bindir is not None
    root = Path(tempfile.mkdtemp(prefix="motcua-pg-"))
    datadir = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = free_port()
    subprocess.run(_as_postgres([str(bindir / "initdb"), "-D", str(datadir), "-U", "postgres", "--auth=trust",
                                 "-E", "UTF8", "--no-locale"]), check=True, capture_output=True, timeout=120)
    options = (f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=300 "
               "-c shared_buffers=128MB")
    subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(datadir), "-o", options, "-l",
                                 str(root / "pg.log"), "-w", "start"]), check=True, capture_output=True, timeout=120)
    try:
        yield PostgresCluster(bindir, datadir, port)
    finally:
        subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "immediate", "stop"]),
                       capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


def check_hub_invariants(database_url: str, data_dir: Path) -> dict[str, int]:
    """Every event once, feed seqs gapless and matching the counter, projections consistent with their
    events, every complete attachment's bytes hashing to its name. Returns a few counts."""
    import hashlib

    from sqlalchemy import func, select

    from motcua.hub.store import tables as t
    from motcua.hub.store.database import HubDatabase

    db = HubDatabase(database_url)
    try:
        with db.read() as conn:
            seqs = list(conn.execute(select(t.feed.c.seq).order_by(t.feed.c.seq)).scalars())
            counter = conn.execute(select(t.hub_counters.c.value)).scalar_one()
            assert seqs == list(range(1, len(seqs) + 1)), "feed seqs must be gapless"
            assert counter == (seqs[-1] if seqs else 0), "counter must equal the last feed seq"
            events = conn.execute(select(func.count(), func.count(t.events.c.id.distinct()))
                                  .select_from(t.events)).one()
            assert events[0] == events[1]
            event_rows = conn.execute(select(func.count()).select_from(t.feed)
                                      .where(t.feed.c.kind.in_(["event", "decision"]))).scalar_one()
            assert event_rows == events[0], "one feed row per stored event"
            per_dossier = dict(conn.execute(select(t.events.c.dossier_id, func.count())
                                            .group_by(t.events.c.dossier_id)).all())
            for dossier_id, record in conn.execute(select(t.dossiers.c.id, t.dossiers.c.record)):
                assert json.loads(record)["event_count"] == per_dossier[dossier_id]
            complete = conn.execute(select(t.attachments.c.commune_code, t.attachments.c.sha256,
                                           t.attachments.c.total_size).where(t.attachments.c.complete == 1)).all()
    finally:
        db.dispose()
    for commune, sha, size in complete:
        path = data_dir / "attachments" / commune / sha
        data = path.read_bytes()
        assert len(data) == size and hashlib.sha256(data).hexdigest() == sha
    return {"events": int(events[0]), "feed": len(seqs), "attachments": len(complete)}


NO_POSTGRES = ("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin "
               "(install the Debian package 'postgresql'; installer/test.sh does)")


@contextmanager
def postgres_or_skip() -> Iterator[PostgresCluster]:
    """A throwaway cluster for a fixture; the test is skipped, with the reason, where there is none."""
    import pytest

    if postgres_bin() is None:
        pytest.skip(NO_POSTGRES)
    with postgres_cluster() as cluster:
        yield cluster


def database_url_for(engine: str, tmp_path: Path, cluster: Any = None) -> str:
    """A fresh hub database: a SQLite file, or a new database on ``cluster`` (a PostgresCluster)."""
    if engine == "sqlite":
        return f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    return cluster.new_database()


@contextmanager
def running_hub(database_url: str, tmp_path: Path, workers: int = 1) -> Iterator[HubProcess]:
    process = HubProcess(tmp_path / "hub-data", database_url, workers=workers).start()
    try:
        yield process
    finally:
        process.stop()
