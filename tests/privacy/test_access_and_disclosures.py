"""A citizen's right of access (``access-report``) and every print of personal data recorded on the dossier."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import staff_store

ID_NUMBER = "066090001234"


@pytest.fixture
def desk(run_cli, data_dir):
    run_cli("init", "--commune", "Xã Ea Kao", "--agency-code", "000.17.22.H56", "--province", "Đắk Lắk", check=True)
    staff_store(data_dir)   # the CLI acts as an account ($MOTCUA_USER)
    for name, number in (("Vũ Văn Nam", ID_NUMBER), ("Vũ Văn Nam", ID_NUMBER), ("Ngô Thị Mai", "066185001234")):
        run_cli("intake", "--procedure", "X", "--procedure-name", "Thủ tục", "--days", "2", "--name", name,
                "--id-number", number, "--phone", "0912345678", "--address", "Thôn 3, xã Ea Kao", check=True)
    return run_cli


def test_every_print_is_an_event_in_the_dossiers_timeline(desk, tmp_path: Path) -> None:
    code = desk("list", "--json").json()["items"][0]["code"]
    assert desk("disclosures", "--json").json() == []
    desk("print", "receipt", code, "-o", str(tmp_path / "r.pdf"), check=True)
    log = desk("disclosures", "--json").json()
    assert len(log) == 1 and log[0]["dossier_code"] == code and log[0]["actor"] == "tiepnhan01"
    assert log[0]["what"] == "giấy tiếp nhận hồ sơ và hẹn trả kết quả" and log[0]["channel"] == "pdf"
    shown = desk("show", code, "--json").json()
    assert any(e["type"] == "note" and "Đã xuất tệp PDF" in e["payload"]["text"] for e in shown["events"])
    assert desk("check").returncode == 0
    assert desk("disclosures", "--dossier", "không-có", "--json").json() == []


def test_access_report_gathers_every_dossier_of_an_id_number(desk, tmp_path: Path) -> None:
    refused = desk("access-report", "--id-number", "12ab")
    assert refused.returncode == 1 and "không phải số định danh" in refused.stderr
    assert desk("access-report", "--id-number", "066090009999").returncode == 3
    report = desk("access-report", "--id-number", "066 090 001 234", "--json", "-o", str(tmp_path / "a.pdf"))
    assert report.returncode == 0, report.stderr
    data = report.json()
    assert data["id_number"] == ID_NUMBER and len(data["dossiers"]) == 2
    first = data["dossiers"][0]
    assert first["applicant"] == {"name": "Vũ Văn Nam", "id_number": ID_NUMBER, "phone": "0912345678", "email": "",
                                  "address": "Thôn 3, xã Ea Kao"}
    assert [e["action"] for e in first["timeline"]] == ["tiếp nhận"]
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "a.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Vũ Văn Nam" in text and ID_NUMBER in text and "Ngô Thị Mai" not in text
    # Giving the report out is itself recorded, on both dossiers.
    log = desk("disclosures", "--json").json()
    assert len(log) == 2 and {r["recipient"] for r in log} == {"người có số định danh"}
    again = desk("access-report", "--id-number", ID_NUMBER, "--json").json()
    assert all(len(d["disclosures"]) == 1 for d in again["dossiers"])
