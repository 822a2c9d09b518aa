"""Shared fixtures: real stores in temporary directories, and the real CLI in a subprocess."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Mapping
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

# A cheap, fixed hash (scrypt per account per test would cost seconds): the demo staff's password.
TEST_PASSWORD_HASH = "scrypt$16384$8$1$00000000000000000000000000000000$" + "0" * 64


def add_staff(conn: Any) -> None:
    """The demo commune's staff (services.demo.DEMO_STAFF), one account per role (inside a transaction)."""
    from motcua.services.demo import add_demo_staff

    add_demo_staff(conn, TEST_PASSWORD_HASH)


def open_desk_store(data_dir: Path, *, settings: Mapping[str, str] = TEST_SETTINGS,
                    accounts: Callable[[Any], None] | None = add_staff, durable: bool = True) -> sqlite3.Connection:
    """The one way tests open a commune store: a real SQLite file in ``data_dir`` (where the app keeps it),
    migrated, with the test commune's settings and its accounts, written in one transaction.

    What differs between suites is a parameter, not another fixture: the sync tests give each desk its own
    ``device_id``; the window tests add accounts that sign in with a real password (``accounts=``); a store
    with the catalog but no accounts passes ``accounts=None``; ``durable=False`` skips fsync (tests that
    build large histories)."""
    from motcua.paths import store_file
    from motcua.store.db import open_store, transaction
    from motcua.store.settings import put_values

    conn = open_store(store_file(data_dir))
    if not durable:
        conn.execute("PRAGMA synchronous = OFF")
    with transaction(conn):
        put_values(conn, dict(settings))
        if accounts is not None:
            accounts(conn)
    return conn


def new_desk(data_dir: Path, *, durable: bool = True) -> Any:
    """A Desk on ``open_desk_store(data_dir)``: the test commune with the demo staff."""
    from motcua.services.desk import Desk

    return Desk(open_desk_store(data_dir, durable=durable), data_dir)


@pytest.fixture
def store(data_dir: Path):
    """An initialised commune store (real SQLite file) and a Desk on it."""
    desk = new_desk(data_dir)
    yield desk
    desk.conn.close()


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
