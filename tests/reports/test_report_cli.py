"""``motcua report`` through the real CLI (subprocess) on a store with a hand-made history."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.reports.report_support import SAMPLE, store_in

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("report-cli") / "data"
    with store_in(directory, SAMPLE):
        pass
    return directory


def motcua(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(DESKTOP) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               MOTCUA_USER="tiepnhan01")
    return subprocess.run([sys.executable, "-m", "motcua", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, env=env, timeout=120)


def test_month_as_json(data_dir: Path) -> None:
    result = motcua(data_dir, "report", "--period", "2026-02", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["period"]["key"] == "2026-02"
    totals = data["totals"]
    assert (totals["received"], totals["resolved"], totals["closed"], totals["pending"]) == (9, 4, 2, 3)
    assert totals["on_time_rate"] == pytest.approx(0.75)
    assert [row["field"] for row in data["by_field"]] == ["Bưu chính", "Chứng thực", "Hộ tịch"]


def test_quarter_as_text_with_months(data_dir: Path) -> None:
    result = motcua(data_dir, "report", "--period", "2026-Q1", "--months")
    assert result.returncode == 0, result.stderr
    assert "Quý I/2026" in result.stdout
    assert "Tổng số hồ sơ nhận giải quyết" in result.stdout
    assert "Tháng 03/2026" in result.stdout


def test_custom_dates_field_and_procedure(data_dir: Path) -> None:
    result = motcua(data_dir, "report", "--from", "2026-02-01", "--to", "2026-02-28", "--field", "Hộ tịch",
                    "--json")
    assert json.loads(result.stdout)["totals"]["received"] == 4
    result = motcua(data_dir, "report", "--period", "2026-02", "--procedure", "2.000815", "--json")
    assert json.loads(result.stdout)["totals"]["resolved_on_time"] == 1


def test_codes_behind_a_number(data_dir: Path) -> None:
    result = motcua(data_dir, "report", "--period", "2026-02", "--codes", "pending_overdue", "--json")
    assert json.loads(result.stdout)["codes"] == ["000.17.22.H56-260126-0001"]


def test_exports(data_dir: Path, tmp_path: Path) -> None:
    xlsx, pdf = tmp_path / "bc.xlsx", tmp_path / "bc.pdf"
    result = motcua(data_dir, "report", "--period", "2026", "--xlsx", str(xlsx), "--pdf", str(pdf))
    assert result.returncode == 0, result.stderr
    assert load_workbook(xlsx).sheetnames[0] == "Theo lĩnh vực"
    assert pdf.read_bytes().startswith(b"%PDF")


def test_payload_for_the_province(data_dir: Path) -> None:
    result = motcua(data_dir, "report", "--period", "2026-Q1", "--payload")
    payload = json.loads(result.stdout)
    assert payload["schema"] == "motcua.report/1"
    assert payload["commune"] == {"code": "000.17.22.H56", "name": "Xã Ea Kao", "province": "Đắk Lắk"}
    assert payload["period"]["key"] == "2026-Q1" and len(payload["months"]) == 3


def test_verify_agrees_with_the_projection(data_dir: Path) -> None:
    result = motcua(data_dir, "report", "--verify", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"ok": True, "differing": []}


@pytest.mark.parametrize("args", [(), ("--period", "2026-13"), ("--period", "2026", "--from", "2026-01-01")])
def test_bad_periods_are_refused(data_dir: Path, args: tuple[str, ...]) -> None:
    result = motcua(data_dir, "report", *args)
    assert result.returncode == 1
    assert "kỳ báo cáo" in result.stderr.lower() or "--period" in result.stderr
