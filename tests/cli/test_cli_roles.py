"""The command line acts as an account: who may act, to whom a dossier may be handed, whose work is whose.

Each refusal exits 1 with a precise message and writes nothing (the event count is unchanged)."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from motcua.domain.clock import now
from motcua.paths import store_file
from tests.conftest import staff_store


def _events(data_dir: Path) -> int:
    conn = sqlite3.connect(store_file(data_dir))
    try:
        return int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def desk(run_cli, data_dir):
    run_cli("init", "--commune", "Xã Ea Kao", "--agency-code", "000.17.22.H56", check=True)
    staff_store(data_dir)
    received = (now() - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    code = run_cli("--actor", "tiepnhan01", "intake", "--procedure", "X", "--procedure-name", "Chứng thực bản sao",
                   "--days", "3", "--name", "Lê Thị Hoa", "--id-number", "066190001234", "--received", received,
                   "--json", check=True).json()["code"]
    return run_cli, code


@pytest.mark.parametrize(("recipient", "message"), [
    ("khongtontai", "Không có tài khoản «khongtontai»"),
    ("lanhdao01", "không nhận được bước «Xử lý» (cần: Công chức chuyên môn)"),
    ("tiepnhan02", "không nhận được bước «Xử lý»"),
])
def test_handover_only_to_an_account_whose_role_takes_the_step(desk, data_dir, recipient, message):
    run, code = desk
    before = _events(data_dir)
    result = run("handover", code, "--to", recipient)
    assert result.returncode == 1 and message in result.stderr, result.stderr
    assert _events(data_dir) == before


def test_handover_to_a_locked_account_is_refused(desk, data_dir):
    run, code = desk
    assert run("--actor", "quantri", "user", "deactivate", "cc.tuphap").returncode == 0
    before = _events(data_dir)
    result = run("handover", code, "--to", "cc.tuphap", "--json")
    assert result.returncode == 1 and "đã bị khóa" in result.json()["errors"]["to"]
    assert _events(data_dir) == before


@pytest.mark.parametrize(("actor", "command", "message"), [
    ("khongtontai", ("handover", "--to", "cc.tuphap"), "Không có tài khoản «khongtontai»"),
    ("cc.tuphap", ("resolve",), "cần vai trò: Lãnh đạo, Quản trị hệ thống"),
    ("tiepnhan01", ("resolve",), "không có quyền"),
])
def test_an_actor_without_the_role_is_refused(desk, data_dir, actor, command, message):
    run, code = desk
    before = _events(data_dir)
    name, *rest = command
    result = run("--actor", actor, name, code, *rest)
    assert result.returncode == 1 and message in result.stderr, result.stderr
    assert _events(data_dir) == before


def test_a_locked_actor_is_refused(desk, data_dir):
    run, code = desk
    run("--actor", "quantri", "user", "deactivate", "tiepnhan02", check=True)
    before = _events(data_dir)
    result = run("--actor", "tiepnhan02", "note", code, "--text", "ghi chú")
    assert result.returncode == 1 and "đã bị khóa" in result.stderr
    assert _events(data_dir) == before


def test_the_journey_by_role_and_whose_work_it_is(desk):
    run, code = desk
    assert run("handover", code, "--to", "cc.tuphap").returncode == 0
    mine = run("--actor", "cc.tuphap", "list", "--mine", "--json").json()
    assert [i["code"] for i in mine["items"]] == [code] and mine["items"][0]["step"] == "process"
    assert run("list", "--assigned-to", "cc.tuphap", "--json").json()["total"] == 1
    assert run("--actor", "cc.diachinh", "list", "--mine", "--json").json()["total"] == 0
    # The specialist passes it to the leader to approve and sign (not to another specialist's step).
    assert run("--actor", "cc.tuphap", "handover", code, "--to", "cc.diachinh", "--step", "approve").returncode == 1
    assert run("--actor", "cc.tuphap", "handover", code, "--to", "lanhdao01").returncode == 0
    assert run("--actor", "lanhdao01", "list", "--mine", "--step", "approve", "--json").json()["total"] == 1
    assert run("--actor", "lanhdao01", "resolve", code).returncode == 0
    # Back at the desk that received it, to be returned.
    back = run("--actor", "tiepnhan01", "list", "--mine", "--json").json()["items"]
    assert [(i["code"], i["step"]) for i in back] == [(code, "return")]
    assert run("return", code).returncode == 0
    assert run("--actor", "tiepnhan01", "list", "--mine", "--json").json()["total"] == 0


def test_a_paused_dossier_is_never_due_today_nor_overdue(desk):
    run, code = desk
    tonight = now().replace(hour=23, minute=59)   # later today (the test's own clock)
    run("handover", code, "--to", "cc.tuphap", "--step-due-at", tonight.strftime("%Y-%m-%d %H:%M"), check=True)
    # A step deadline today: counted as the step due today until the clock stops.
    assert run("--actor", "cc.tuphap", "list", "--mine", "--step-due-today", "--json").json()["total"] == 1
    run("--actor", "cc.tuphap", "request-supplement", code, "--reason", "Thiếu bản chính", check=True)
    for flags in (("--due-today",), ("--overdue",), ("--mine", "--step-due-today"), ("--mine", "--step-overdue")):
        assert run("--actor", "cc.tuphap", "list", *flags, "--json").json()["total"] == 0, flags
    # Still the specialist's dossier, waiting for the citizen.
    assert run("--actor", "cc.tuphap", "list", "--mine", "--json").json()["total"] == 1


def test_unknown_holder_is_not_found_and_mine_needs_an_account(desk):
    run, _code = desk
    assert run("list", "--assigned-to", "khongtontai").returncode == 3
    assert run("--actor", "khongtontai", "list", "--mine").returncode == 1


def test_first_admin_then_accounts_only_by_an_administrator(run_cli, data_dir):
    run_cli("init", "--commune", "Xã Ea Kao", "--agency-code", "000.17.22.H56", "--admin", "quantri",
            "--admin-name", "Đỗ Minh Quân", input="mat-khau-dai-2026\n", check=True)
    refused = run_cli("--actor", "khongtontai", "user", "add", "a.b", "--name", "A B", "--role", "receiver",
                      input="mat-khau-dai-2026\n")
    assert refused.returncode == 1 and "Không có tài khoản «khongtontai»" in refused.stderr
    added = run_cli("--actor", "quantri", "user", "add", "tiepnhan01", "--name", "Nguyễn Thị Hoa", "--role",
                    "receiver", "--role", "admin", "--json", input="mat-khau-dai-2026\n")
    assert added.returncode == 0 and added.json()["roles"] == ["receiver", "admin"]
    # Several roles: the desk officer who is also the administrator may add people.
    assert run_cli("user", "add", "cc.tuphap", "--name", "Trần Văn Tư", "--role", "specialist",
                   input="mat-khau-dai-2026\n").returncode == 0
    listed = run_cli("user", "list", "--json").json()
    assert {u["username"] for u in listed} == {"quantri", "tiepnhan01", "cc.tuphap"}
    again = run_cli("--actor", "quantri", "init", "--commune", "Xã Ea Kao", "--agency-code", "000.17.22.H56",
                    "--admin", "khac")
    assert again.returncode == 1
