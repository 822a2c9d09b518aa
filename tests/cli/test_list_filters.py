"""`motcua list` by procedure and by the day received: both ends included, either form of date, and
precise refusals (exit code 2) for a day that is not one or a range that runs backwards."""

from __future__ import annotations

import argparse
import json
from datetime import date

import pytest

from motcua.cli.common import day_argument
from tests.conftest import staff_store

DOSSIERS = (  # (procedure code, name, received)
    ("1.001193", "Đăng ký khai sinh", "2026-01-30 10:00"),
    ("1.001193", "Đăng ký khai sinh", "2026-02-02 09:00"),
    ("1.000894", "Đăng ký kết hôn", "2026-02-27 16:30"),
    ("1.001193", "Đăng ký khai sinh", "2026-03-02 08:00"),
)


@pytest.fixture
def filled(run_cli, data_dir):
    run_cli("init", "--commune", "Xã Ea Kao", "--agency-code", "000.17.22.H56", check=True)
    staff_store(data_dir)
    lines = [json.dumps({"procedure_code": code, "procedure": {"code": code, "name": name, "days": 3},
                         "applicant": {"name": f"Người nộp {n}", "id_number": f"06619000{n:04d}"},
                         "documents": [{"name": "Tờ khai", "kind": "original", "copies": 1}],
                         "received_at": received}, ensure_ascii=False)
             for n, (code, name, received) in enumerate(DOSSIERS, start=1)]
    run_cli("intake", "--file", "-", input="\n".join(lines) + "\n", check=True)
    return run_cli


def received(result) -> list[str]:
    assert result.returncode == 0, result.stderr
    return sorted(item["received_at"][:10] for item in result.json()["items"])


def test_list_by_procedure_and_received_days_inclusive(filled) -> None:
    run = filled
    assert received(run("list", "--procedure", "1.001193", "--json")) == ["2026-01-30", "2026-02-02", "2026-03-02"]
    # both ends count: the dossier at 09:00 on the first day and the one at 16:30 on the last
    february = run("list", "--received-from", "2026-02-02", "--received-to", "27/02/2026", "--json")
    assert received(february) == ["2026-02-02", "2026-02-27"] and february.json()["total"] == 2
    assert received(run("list", "--procedure", "1.001193", "--received-from", "01/02/2026",
                        "--received-to", "2026-02-28", "--json")) == ["2026-02-02"]
    assert received(run("list", "--received-from", "2026-03-02", "--json")) == ["2026-03-02"]   # open end
    assert received(run("list", "--to", "2026-1-30", "--json")) == ["2026-01-30"]            # old name, short form
    plain = run("list", "--procedure", "1.000894", "--received-from", "2026-02-27", "--received-to", "2026-02-27")
    assert plain.returncode == 0 and "Đăng ký kết hôn" in plain.stdout and "(1/1 hồ sơ)" in plain.stdout


def test_bad_dates_and_backwards_ranges_exit_2_with_the_reason(filled) -> None:
    run = filled
    for args, reason in ((("--received-from", "30/02/2026"), "tháng 2/2026 chỉ có 28 ngày"),
                         (("--received-to", "2026-13-01"), "không có tháng 13"),
                         (("--received-from", "hôm qua"), "không phải một ngày: viết YYYY-MM-DD hoặc DD/MM/YYYY")):
        result = run("list", *args)
        assert result.returncode == 2, (args, result.stderr)
        assert args[0] in result.stderr and reason in result.stderr, result.stderr
        assert result.stdout == ""
    backwards = run("list", "--received-from", "2026-03-01", "--received-to", "01/02/2026", "--json")
    assert backwards.returncode == 2
    assert backwards.json()["error"] == ("--received-from 01/03/2026 sau --received-to 01/02/2026: ngày bắt đầu "
                                         "phải trước hoặc bằng ngày kết thúc")


@pytest.mark.parametrize(("text", "day"), [("2026-03-01", date(2026, 3, 1)), ("01/03/2026", date(2026, 3, 1)),
                                           ("1/3/2026", date(2026, 3, 1)), (" 2024-02-29 ", date(2024, 2, 29)),
                                           ("29/02/2024", date(2024, 2, 29))])
def test_day_argument_takes_both_forms(text, day) -> None:
    assert day_argument(text) == day


NOT_A_DAY = " không phải một ngày: viết YYYY-MM-DD hoặc DD/MM/YYYY, ví dụ 2026-03-01 hoặc 01/03/2026"


@pytest.mark.parametrize(("text", "message"), [
    ("29/02/2026", "«29/02/2026»: tháng 2/2026 chỉ có 28 ngày"),
    ("2026-04-31", "«2026-04-31»: tháng 4/2026 chỉ có 30 ngày"),
    ("00/01/2026", "«00/01/2026»: không có ngày 0"),
    ("2026-00-10", "«2026-00-10»: không có tháng 0 (tháng từ 1 đến 12)"),
    ("2026/03/01", "«2026/03/01»" + NOT_A_DAY),
    ("20260301", "«20260301»" + NOT_A_DAY),
    ("", "«»" + NOT_A_DAY),
])
def test_day_argument_says_what_is_wrong(text, message) -> None:
    with pytest.raises(argparse.ArgumentTypeError) as caught:
        day_argument(text)
    assert str(caught.value) == message
