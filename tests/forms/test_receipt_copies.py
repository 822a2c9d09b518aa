"""The receipt in two copies («liên»), from the command line: the setting, the override, bad values refused."""

from __future__ import annotations

import subprocess

import pytest

from tests.conftest import staff_store


@pytest.fixture
def receipt(run_cli, data_dir, tmp_path):
    run_cli("init", "--commune", "Xã Ea Kao", "--agency-code", "000.17.22.H56", check=True)
    staff_store(data_dir)
    made = run_cli("intake", "--procedure", "1.001193", "--name", "Nguyễn Văn An", "--id-number", "066090001234",
                   "--doc", "Tờ khai đăng ký khai sinh", "--json", check=True)
    code = made.json()["code"]

    def print_receipt(*extra: str) -> tuple[int, str]:
        out = tmp_path / "giay-tiep-nhan.pdf"
        result = run_cli("print", "receipt", code, "-o", str(out), *extra)
        assert result.returncode == 0, result.stderr
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, check=True, text=True).stdout
        return text.count("\f"), text
    return print_receipt


def test_one_copy_unless_the_commune_or_the_command_asks_for_two(receipt, run_cli) -> None:
    pages, text = receipt()
    assert pages == 1 and "Liên" not in text
    pages, text = receipt("--copies", "2")
    assert pages == 2 and "(Liên 1: Lưu)" in text and "(Liên 2: Giao khách hàng)" in text
    assert run_cli("--actor", "quantri", "settings", "set", "receipt_copies", "2").returncode == 0
    assert receipt()[0] == 2
    assert receipt("--copies", "1")[0] == 1


def test_a_bad_number_of_copies_is_refused_and_nothing_changes(receipt, run_cli) -> None:
    refused = run_cli("--actor", "quantri", "settings", "set", "receipt_copies", "3")
    assert refused.returncode != 0 and "Số liên giấy tiếp nhận" in refused.stderr
    assert receipt()[0] == 1
    assert run_cli("print", "receipt", "X", "-o", "x.pdf", "--copies", "3").returncode == 2
