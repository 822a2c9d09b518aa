"""`motcua refuse | fee-paid | resolve | return | report` with the service's rules: each refusal exits 1
with a precise message and writes nothing."""

from __future__ import annotations

import sqlite3

import pytest

from motcua.paths import store_file


@pytest.fixture
def run(run_cli):
    run_cli("init", "--commune", "Xã Ea Kao", "--agency-code", "000.17.22.H56", "--province", "Đắk Lắk", check=True)
    return run_cli


def _intake(run, received: str) -> str:
    out = run("intake", "--procedure", "X.1", "--procedure-name", "Thủ tục thử", "--days", "3",
              "--name", "Lê Thị Hoa", "--id-number", "066190001234", "--received", received, "--json")
    assert out.returncode == 0, out.stderr
    return str(out.json()["code"])


def _events(data_dir) -> int:
    with sqlite3.connect(store_file(data_dir)) as conn:
        return int(conn.execute("SELECT count(*) FROM events").fetchone()[0])


def test_refuse_needs_a_reason(run, data_dir):
    code = _intake(run, "2026-03-02 08:00")
    before = _events(data_dir)
    bad = run("refuse", code, "--at", "2026-03-02 08:10", "--json")
    assert bad.returncode == 1 and bad.json()["errors"] == {"reason": "Chưa nhập lý do từ chối tiếp nhận."}
    assert _events(data_dir) == before
    done = run("refuse", code, "--reason", "Không thuộc thẩm quyền của xã", "--at", "2026-03-02 08:10", "--json")
    assert done.returncode == 0 and done.json()["status"] == 3
    shown = run("show", code, "--json").json()
    assert shown["closing_reason"] == "Không thuộc thẩm quyền của xã" and shown["received_at"] is None


def test_payment_resolve_return_and_the_period_fee_total(run, data_dir):
    code = _intake(run, "2026-03-02 08:00")
    run("request-fee", code, "--amount", "8000", "--at", "2026-03-02 08:05")  # not while just received
    run("handover", code, "--to", "cc.tuphap", "--at", "2026-03-02 09:00", check=True)
    run("request-fee", code, "--amount", "8000", "--at", "2026-03-02 10:00", check=True)
    before = _events(data_dir)
    too_much = run("fee-paid", code, "--amount", "9000", "--method", "cash", "--at", "2026-03-02 11:00")
    assert too_much.returncode == 1 and "Số tiền nộp (9.000 đ) lớn hơn số còn phải nộp (8.000 đ)" in too_much.stderr
    no_method = run("fee-paid", code, "--amount", "8000", "--at", "2026-03-02 11:00")
    assert no_method.returncode == 1 and "hình thức nộp" in no_method.stderr
    assert _events(data_dir) == before
    run("fee-paid", code, "--amount", "8000", "--method", "chuyển khoản", "--receipt-number", "BL-0001",
        "--at", "2026-03-02 11:00", check=True)

    no_document = run("resolve", code, "--signer", "Lê Văn Hùng", "--at", "2026-03-03 08:00", "--json")
    assert no_document.returncode == 1 and set(no_document.json()["errors"]) == {"doc_number"}
    assert _events(data_dir) == before + 1
    run("resolve", code, "--doc-number", "15/QĐ-UBND", "--doc-date", "03/03/2026", "--signer", "Lê Văn Hùng",
        "--at", "2026-03-03 08:00", check=True)
    no_receiver = run("return", code, "--at", "2026-03-03 09:00", "--json")
    assert no_receiver.returncode == 1 and set(no_receiver.json()["errors"]) == {"to"}
    assert _events(data_dir) == before + 2
    run("return", code, "--to", "Lê Thị Hoa", "--channel", "post", "--at", "2026-03-03 09:00", check=True)

    shown = run("show", code, "--json").json()
    assert shown["fees"]["charged"] == 8000 and shown["fees"]["due"] == 0
    assert shown["fees"]["payments"][0]["method"] == "transfer"
    assert shown["return_timeliness"] == "early"
    assert [e["payload"] for e in shown["events"] if e["type"] == "resolved"] == [
        {"decision": "approved", "doc_number": "15/QĐ-UBND", "doc_date": "2026-03-03", "signer": "Lê Văn Hùng"}]
    plain = run("show", code).stdout
    assert "Phí, lệ phí: phải nộp 8.000 đ, đã nộp 8.000 đ, còn 0 đ" in plain and "trước hạn" in plain
    listed = run("list", "--status", "10", "--json").json()["items"][0]
    assert listed["returned_at"] == "2026-03-03T09:00:00+07:00" and listed["return_timeliness"] == "early"

    report = run("report", "--period", "2026-03", "--json").json()
    assert (report["fees_collected"], report["payments"]) == (8000, 1)
    assert "Phí, lệ phí đã thu" in run("report", "--period", "2026-03").stdout
    assert run("report", "--period", "2026-04", "--json").json()["fees_collected"] == 0
