"""A procedure whose processing time the province has not set yet (an imported "to confirm" record) says so on
its guidance sheet: never «00 ngày làm việc», a deadline nobody gave."""

from __future__ import annotations

import pytest

from tests.forms.forms_pdfcheck import flat, text

TO_CONFIRM = "1.003622"   # Thông báo tổ chức lễ hội cấp xã: from the portal's index, no time in the record


@pytest.fixture
def run_cli(run_cli):
    run_cli("init", "--commune", "Xã Ea Kao", "--agency-code", "000.17.22.H56", check=True)
    return run_cli


def test_the_guidance_sheet_of_a_procedure_without_a_time(run_cli, tmp_path):
    out = tmp_path / "huong-dan.pdf"
    result = run_cli("print", "guidance", TO_CONFIRM, "-o", str(out))
    assert result.returncode == 0, result.stderr
    content = flat(text(out.read_bytes()))
    assert "Chưa xác định — chờ cơ quan có thẩm quyền công bố thời hạn giải quyết" in content
    assert "00 ngày" not in content and " 0 ngày" not in content


def test_a_time_read_as_a_bare_number_is_quoted_not_taken(run_cli, tmp_path):
    out = tmp_path / "huong-dan.pdf"
    assert run_cli("print", "guidance", "1.000080", "-o", str(out)).returncode == 0
    content = flat(text(out.read_bytes()))
    assert "Chưa xác định" in content and "bản ghi: 7" in content
