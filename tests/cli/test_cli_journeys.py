"""The window journeys again from the command line, each step by the account whose role does it, with every
paper printed by `motcua print` and read back with pdftotext (the same services as the window).

Steps happen now (no ``--at``) unless a journey needs the past: printing a paper records a disclosure event at
this moment, and no step may be dated before a dossier's latest event."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from motcua.domain.clock import now
from tests.conftest import staff_store
from tests.forms.forms_pdfcheck import flat, text


@pytest.fixture
def run(run_cli, data_dir):
    run_cli("init", "--commune", "Xã Ea Kao", "--agency-code", "000.17.22.H56", "--province", "Đắk Lắk", check=True)
    staff_store(data_dir)   # $MOTCUA_USER is tiepnhan01, the desk officer; the others act with --actor
    return run_cli


def _intake(run, name: str, received: str | None = None) -> str:
    """A birth registration from the shipped catalog (due the same working day)."""
    when = ("--received", received) if received else ()
    return str(run("intake", "--procedure", "1.001193", "--name", name, "--id-number", "066190001234", *when,
                   "--doc", "Tờ khai đăng ký khai sinh:original:1", "--json", check=True).json()["code"])


def _paper(run, tmp_path: Path, kind: str, code: str) -> str:
    out = tmp_path / f"{kind}-{code}.pdf"
    run("print", kind, code, "-o", str(out), check=True)
    return flat(text(out.read_bytes()))


def _who_did(run, code: str) -> list[tuple[str, str]]:
    return [(e["type"], e["actor"]) for e in run("show", code, "--json", check=True).json()["events"]]


def test_a_handed_over_supplemented_signed_and_returned_on_time(run, tmp_path):
    code = _intake(run, "Hoàng Thị Lan")
    assert code in _paper(run, tmp_path, "receipt", code)
    run("handover", code, "--to", "cc.tuphap", check=True)
    run("--actor", "cc.tuphap", "request-supplement", code, "--reason", "Thiếu giấy tờ chứng minh nơi cư trú",
        "--items", "Giấy xác nhận thông tin về cư trú", check=True)
    supplement = _paper(run, tmp_path, "supplement", code)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in supplement
    assert "Giấy xác nhận thông tin về cư trú" in supplement
    run("supplement", code, "--note", "Đã nhận giấy xác nhận cư trú", check=True)
    run("--actor", "cc.tuphap", "handover", code, "--to", "lanhdao01", check=True)
    run("--actor", "lanhdao01", "resolve", code, "--doc-number", "27/GKS-UBND", "--signer", "Lê Minh Quân",
        check=True)
    run("return", code, "--to", "Hoàng Thị Lan", "--to-id-number", "066190001234", check=True)
    shown = run("show", code, "--json").json()
    assert shown["return_timeliness"] in ("early", "on_time")
    control = _paper(run, tmp_path, "control", code)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in control and code in control
    steps = [step for step in _who_did(run, code) if step[0] != "note"]   # the prints' disclosures left out
    assert steps == [("received", "tiepnhan01"), ("handed_over", "tiepnhan01"),
                     ("supplement_requested", "cc.tuphap"), ("supplemented", "tiepnhan01"),
                     ("handed_over", "cc.tuphap"), ("resolved", "lanhdao01"), ("returned", "tiepnhan01")]


def test_b_refused_at_the_desk(run, tmp_path):
    code = _intake(run, "Lê Văn Tám")
    reason = "Thủ tục không thuộc thẩm quyền giải quyết của Ủy ban nhân dân xã"
    run("refuse", code, "--reason", reason, check=True)
    refusal = _paper(run, tmp_path, "refusal", code)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN" in refusal and reason in refusal and "Lê Văn Tám" in refusal
    assert ("refused", "tiepnhan01") in _who_did(run, code)


def test_c_rescheduled_with_an_apology_and_returned_late(run, tmp_path):
    received = now() - timedelta(days=20)
    promised = now() - timedelta(days=6)
    code = _intake(run, "Trần Thị Mai", received.strftime("%Y-%m-%d 08:00"))   # the leader reschedules it
    run("--actor", "lanhdao01", "reschedule", code, "--new-due-at", promised.strftime("%Y-%m-%d 16:30"),
        "--reason", "Chờ cơ quan công an xác minh thông tin cư trú", "--at", received.strftime("%Y-%m-%d 15:00"),
        check=True)
    run("--actor", "lanhdao01", "resolve", code, "--doc-number", "31/GKS-UBND", "--signer", "Lê Minh Quân",
        check=True)
    run("return", code, "--to", "Trần Thị Mai", check=True)
    assert run("show", code, "--json").json()["return_timeliness"] == "late"
    apology = _paper(run, tmp_path, "apology", code)
    assert "XIN LỖI" in apology and "Trần Thị Mai" in apology
    assert promised.strftime("ngày %d tháng %m năm %Y") in apology


def test_d_withdrawn_at_the_citizens_request(run, tmp_path):
    code = _intake(run, "Phạm Văn Đức")
    run("withdraw", code, "--reason", "Công dân xin rút để bổ sung giấy tờ sau", check=True)
    stop = _paper(run, tmp_path, "stop", code)
    assert "Phạm Văn Đức" in stop and "Công dân xin rút để bổ sung giấy tờ sau" in stop
    shown = run("show", code, "--json").json()
    assert shown["status"] not in (1, 2, 4, 5)  # no longer in progress
    assert next(e for e in shown["events"] if e["type"] == "withdrawn")["payload"]["requested_by"] == "Phạm Văn Đức"
