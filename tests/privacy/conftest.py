"""A desk store with one applicant whose data the privacy tests look for."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import staff_store
from tests.privacy.test_sealed_backups import ADDRESS, ID_NUMBER, NAME, PHONE


@pytest.fixture
def desk(run_cli, data_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    run_cli("init", "--commune", "Xã Ea Kao", "--agency-code", "000.17.22.H56", "--province", "Đắk Lắk", check=True)
    staff_store(data_dir)   # the CLI acts as an account ($MOTCUA_USER)
    run_cli("intake", "--procedure", "X", "--procedure-name", "Thủ tục", "--days", "2", "--name", NAME,
            "--id-number", ID_NUMBER, "--phone", PHONE, "--address", ADDRESS, check=True)
    return run_cli
