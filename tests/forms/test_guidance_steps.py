"""The guidance sheet of a procedure made from a national record lists its steps (its guidance only points to
«Trình tự thực hiện»), and an unknown fee reads as unknown to the citizen, not as a note to the catalog's editors.
A hand-written guidance that walks through the steps itself is not doubled."""

from __future__ import annotations

import pytest

from tests.forms.forms_pdfcheck import flat, text

FROM_DETAIL = "1.116910"   # Hỗ trợ chi phí mai táng: the portal's detail record, no fee listed
HAND_WRITTEN = "1.000656"  # Đăng ký khai tử: its guidance has its own «Các bước»


@pytest.fixture
def run_cli(run_cli):
    run_cli("init", "--commune", "Xã Ea Kao", "--agency-code", "000.17.22.H56", check=True)
    return run_cli


def _sheet(run_cli, tmp_path, code: str) -> str:
    out = tmp_path / f"{code}.pdf"
    result = run_cli("print", "guidance", code, "-o", str(out))
    assert result.returncode == 0, result.stderr
    return flat(text(out.read_bytes()))


def test_a_national_procedure_s_sheet_lists_its_steps_and_says_its_fee_is_not_set(run_cli, tmp_path):
    content = _sheet(run_cli, tmp_path, FROM_DETAIL)
    assert "Trình tự thực hiện:" in content
    assert "Bước 1: Cá nhân, cơ quan, đơn vị chịu trách nhiệm mai táng" in content
    assert "Bước 2: Trong thời hạn 03 ngày làm việc" in content
    assert "1. Bước 1" not in content                       # a step that numbers itself is not numbered again
    assert "Chưa xác định — chờ cơ quan có thẩm quyền công bố mức thu" in content
    assert "Bản ghi quốc gia" not in content and "Không thu phí" not in content


def test_a_hand_written_guidance_with_its_own_steps_is_not_doubled(run_cli, tmp_path):
    content = _sheet(run_cli, tmp_path, HAND_WRITTEN)
    assert "Các bước" in content and "Trình tự thực hiện:" not in content
