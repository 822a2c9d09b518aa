"""Shared fixtures: real stores in temporary directories, and the real CLI in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
DESKTOP = REPO / "desktop"


def cli_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(DESKTOP) + os.pathsep + env.get("PYTHONPATH", "")
    env["MOTCUA_USER"] = "tiepnhan01"
    env.update(extra or {})
    return env


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def run_cli(data_dir: Path) -> Callable[..., CliResult]:
    def run(*args: str, input: str | None = None, check: bool = False) -> CliResult:
        proc = subprocess.run(
            [sys.executable, "-m", "motcua", "--data-dir", str(data_dir), *args],
            capture_output=True, text=True, env=cli_env(), input=input, timeout=120,
        )
        result = CliResult(proc.returncode, proc.stdout, proc.stderr)
        if check and proc.returncode != 0:
            raise AssertionError(f"motcua {' '.join(args)} failed ({proc.returncode}): {proc.stderr}")
        return result

    return run


TEST_SETTINGS = {"commune_name": "Xã Ea Kao", "province_name": "Đắk Lắk", "agency_code": "000.17.22.H56",
                 "agency_name": "UBND XÃ EA KAO", "device_id": "device-test"}


def new_desk(data_dir: Path, *, durable: bool = True) -> Any:
    """An initialised commune store (real SQLite file) in ``data_dir`` with the test commune's settings and
    the demo staff, and a Desk on it; ``durable=False`` skips fsync (tests that build large histories)."""
    from motcua.paths import store_file
    from motcua.services.desk import Desk
    from motcua.store.db import open_store, transaction
    from motcua.store.settings import put_values

    conn = open_store(store_file(data_dir))
    if not durable:
        conn.execute("PRAGMA synchronous = OFF")
    with transaction(conn):
        put_values(conn, TEST_SETTINGS)
        add_staff(conn)
    return Desk(conn, data_dir)


@pytest.fixture
def store(data_dir: Path):
    """An initialised commune store (real SQLite file) and a Desk on it."""
    desk = new_desk(data_dir)
    yield desk
    desk.conn.close()


# A cheap, fixed hash (scrypt per account per test would cost seconds): the demo staff's password.
TEST_PASSWORD_HASH = "scrypt$16384$8$1$00000000000000000000000000000000$" + "0" * 64


def add_staff(conn: Any) -> None:
    """The demo commune's staff (services.demo.DEMO_STAFF), one account per role (inside a transaction)."""
    from motcua.services.demo import add_demo_staff

    add_demo_staff(conn, TEST_PASSWORD_HASH)


def staff_store(data_dir: Path) -> None:
    """Give the store in ``data_dir`` the demo staff (after ``motcua init``): the CLI acts as an account."""
    from motcua.paths import store_file
    from motcua.store.db import open_store, transaction

    conn = open_store(store_file(data_dir))
    try:
        with transaction(conn):
            add_staff(conn)
    finally:
        conn.close()


def intake_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "procedure_code": "1.001193",
        "procedure": {"code": "1.001193", "name": "Đăng ký khai sinh", "field": "Hộ tịch", "days": 3},
        "applicant": {"name": "Nguyễn Thị Hoa", "id_number": "066190001234", "phone": "0912345678",
                      "address": "Thôn 2, xã Ea Kao"},
        "summary": "Đăng ký khai sinh cho con",
        "documents": [{"name": "Tờ khai đăng ký khai sinh", "kind": "original", "copies": 1},
                      {"name": "Giấy chứng sinh", "kind": "original", "copies": 1}],
    }
    data.update(overrides)
    return data
