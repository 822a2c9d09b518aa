"""The real `motcua` CLI in subprocesses, on a real store."""

import json
import sqlite3

import pytest

from motcua.paths import store_file
from tests.conftest import staff_store


@pytest.fixture
def initialised(run_cli, data_dir):
    run_cli("init", "--commune", "Xã Ea Kao", "--agency-code", "000.17.22.H56", "--province", "Đắk Lắk", check=True)
    staff_store(data_dir)   # the CLI acts as an account ($MOTCUA_USER = tiepnhan01, a desk officer)
    return run_cli


def test_due_calculator_json_and_plain(run_cli):
    result = run_cli("due", "--received", "2026-02-12 09:00", "--days", "5", "--json")
    assert result.returncode == 0 and result.json() == {"due": "2026-02-26T09:00:00+07:00"}
    assert run_cli("due", "--received", "2026-02-12 09:00", "--hours", "40", "--json").json()["due"] == \
        "2026-02-26T09:00:00+07:00"
    assert "26/02/2026" in run_cli("due", "--received", "2026-02-12 09:00", "--days", "5").stdout
    bad = run_cli("due", "--received", "hôm qua", "--days", "5")
    assert bad.returncode == 1 and "received" in bad.stderr
    assert run_cli("due", "--days", "5", "--hours", "3").returncode == 2


def test_due_calculator_same_day_with_cutoff(run_cli):
    late = run_cli("due", "--received", "2026-02-05 15:20", "--same-day", "--cutoff", "15:00", "--json")
    assert late.returncode == 0 and late.json() == {"due": "2026-02-06T17:00:00+07:00"}
    early = run_cli("due", "--received", "2026-02-05 09:20", "--same-day", "--cutoff", "15:00", "--json")
    assert early.json() == {"due": "2026-02-05T17:00:00+07:00"}
    bad = run_cli("due", "--same-day", "--cutoff", "3 giờ chiều")
    assert bad.returncode == 1 and "cutoff" in bad.stderr
    assert run_cli("due", "--days", "2", "--cutoff", "15:00").returncode == 1


def test_whole_lifecycle_from_the_cli(initialised):
    run = initialised
    out = run("intake", "--procedure", "1.001193", "--procedure-name", "Đăng ký khai sinh", "--days", "3",
              "--name", "Trần Văn Bình", "--id-number", "066090001234", "--phone", "0912345678",
              "--doc", "Tờ khai đăng ký khai sinh:original:1", "--doc", "Giấy chứng sinh:original",
              "--received", "2026-03-02 08:00", "--json")
    assert out.returncode == 0, out.stderr
    code = out.json()["code"]
    assert code == "000.17.22.H56-260302-0001"
    steps = [("tiepnhan01", "handover", "--to", "cc.tuphap", "--at", "2026-03-02 09:00"),
             ("cc.tuphap", "request-supplement", "--reason", "Thiếu giấy chứng sinh bản chính", "--at",
              "2026-03-03 08:00"),
             ("tiepnhan01", "supplement", "--at", "2026-03-04 08:00"),
             ("cc.tuphap", "request-fee", "--amount", "8000", "--at", "2026-03-04 09:00"),
             ("tiepnhan01", "fee-paid", "--amount", "8000", "--method", "tiền mặt", "--at", "2026-03-04 10:00"),
             ("cc.tuphap", "reschedule", "--new-due-at", "2026-03-10 17:00", "--reason", "Chờ xác minh", "--at",
              "2026-03-04 11:00"),
             ("lanhdao01", "resolve", "--decision", "approved", "--doc-number", "15/QĐ-UBND", "--signer",
              "Lê Văn Hùng", "--at", "2026-03-06 08:00"),
             ("tiepnhan01", "return", "--to", "Trần Văn Bình", "--note", "Trả trực tiếp", "--at", "2026-03-06 09:00")]
    for actor, name, *args in steps:
        result = run("--actor", actor, name, code, *args, "--json")
        assert result.returncode == 0, (name, result.stdout, result.stderr)
    shown = run("show", code, "--json").json()
    assert shown["status"] == 10 and shown["status_label"] == "Đã trả kết quả"
    assert [e["type"] for e in shown["events"]] == ["received", "handed_over", "supplement_requested", "supplemented",
                                                   "fee_requested", "fee_paid", "rescheduled", "resolved", "returned"]
    assert shown["due_at"] == "2026-03-06T09:00:00+07:00"  # 3 days, +8 h supplement, +1 h fee pause
    assert shown["timeliness"] == "on_time"
    listed = run("list", "--status", "10", "--json").json()
    assert listed["total"] == 1 and listed["items"][0]["code"] == code
    assert run("list", "--text", "tran van binh", "--json").json()["total"] == 1  # no diacritics
    assert run("check").returncode == 0


def test_illegal_transition_is_refused_with_a_message(initialised):
    code = initialised("intake", "--procedure", "X", "--procedure-name", "Thủ tục thử", "--days", "1",
                       "--name", "Lê Thị Hoa", "--id-number", "066190001234", "--json").json()["code"]
    result = initialised("return", code)
    assert result.returncode == 1
    assert "Không thể trả kết quả khi hồ sơ đang ở trạng thái «Được tiếp nhận»" in result.stderr
    as_json = initialised("--actor", "lanhdao01", "resolve", code, "--json", "--decision", "maybe")
    assert as_json.returncode == 1 and "decision" in as_json.json()["errors"]
    assert initialised("show", "000.17.22.H56-000000-9999").returncode == 3


def test_intake_needs_init_and_valid_input(run_cli, data_dir):
    result = run_cli("intake", "--procedure", "X", "--procedure-name", "Y", "--days", "1", "--name", "A",
                     "--id-number", "066190001234")
    assert result.returncode == 1 and "motcua init" in result.stderr
    run_cli("init", "--commune", "Xã A", "--agency-code", "000.17.22.H56", check=True)
    staff_store(data_dir)
    bad = run_cli("intake", "--procedure", "X", "--procedure-name", "Y", "--days", "1", "--name", "A",
                  "--id-number", "12", "--phone", "123", "--json")
    assert bad.returncode == 1 and {"applicant.id_number", "applicant.phone"} <= set(bad.json()["errors"])
    assert run_cli("init", "--commune", "Xã A", "--agency-code", "bad code").returncode == 1


def test_batch_file_with_a_bad_record_imports_nothing(initialised, tmp_path):
    good = {"procedure": {"code": "X", "name": "Thủ tục", "days": 1},
            "applicant": {"name": "Phạm Văn Đông", "id_number": "066090001234"}}
    bad = {"procedure": {"code": "X", "name": "Thủ tục", "days": 1}, "applicant": {"name": ""}}
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in (good, bad, good)), encoding="utf-8")
    result = initialised("intake", "--file", str(batch), "--json")
    assert result.returncode == 1 and "#2 applicant.name" in result.json()["errors"]
    assert initialised("list", "--json").json()["total"] == 0
    batch.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in (good, good)), encoding="utf-8")
    lines = initialised("intake", "--file", str(batch), "--json").stdout.splitlines()
    assert [json.loads(line)["code"][-4:] for line in lines] == ["0001", "0002"]


def test_check_detects_damage_and_rebuild_repairs_rows(initialised, data_dir, tmp_path):
    code = initialised("intake", "--procedure", "X", "--procedure-name", "Thủ tục", "--days", "2",
                       "--name", "Hồ Thị Lan", "--id-number", "066190001234", "--json").json()["code"]
    scan = tmp_path / "cccd.jpg"
    scan.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 10)
    assert initialised("attach", code, str(scan)).returncode == 0
    assert initialised("check", "--json").json()["ok"] is True

    conn = sqlite3.connect(store_file(data_dir))
    conn.execute("UPDATE dossiers SET due_at = '2099-01-01T00:00:00+07:00' WHERE code = ?", (code,))
    conn.commit()
    sha = conn.execute("SELECT sha256 FROM attachments").fetchone()[0]
    conn.close()
    report = initialised("check", "--json")
    assert report.returncode == 4
    assert any("due_at" in p for p in report.json()["problems"])
    assert initialised("rebuild").returncode == 0
    assert initialised("check").returncode == 0

    from motcua.store.attachments import blob_path

    blob_path(data_dir, sha).write_bytes(b"\xff\xd8\xff\xe0 tampered")
    report = initialised("check", "--json").json()
    assert not report["ok"] and any(sha in p and "altered" in p for p in report["problems"])


def test_backup_and_restore(initialised, tmp_path):
    initialised("intake", "--procedure", "X", "--procedure-name", "Thủ tục", "--days", "2", "--name", "Vũ Văn Nam",
                "--id-number", "066090001234", check=True)
    target = tmp_path / "copy.sqlite3"
    assert initialised("backup", "--plain", "-o", str(target)).returncode == 0
    initialised("intake", "--procedure", "X", "--procedure-name", "Thủ tục", "--days", "2", "--name", "Ngô Thị Mai",
                "--id-number", "066190001234", check=True)
    assert initialised("list", "--json").json()["total"] == 2
    restored = initialised("restore", str(target), "--json")
    assert restored.returncode == 0, restored.stderr
    assert initialised("list", "--json").json()["total"] == 1
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 100)
    refused = initialised("restore", str(garbage))
    assert refused.returncode == 1 and "không phải bản sao lưu" in refused.stderr
    assert initialised("list", "--json").json()["total"] == 1


def test_official_calendar_changes_due_dates(initialised):
    result = initialised("calendar", "set", "2026-03-07", "--work", "--name", "Làm bù", "--source", "QĐ 1/UBND")
    assert result.returncode == 0
    assert initialised("due", "--received", "2026-03-06 09:00", "--days", "1", "--json").json()["due"] == \
        "2026-03-07T09:00:00+07:00"
    listed = initialised("calendar", "--year", "2026", "--json").json()
    assert {"day": "2026-03-07", "working": True, "name": "Làm bù", "source": "QĐ 1/UBND"} in listed
    assert initialised("calendar", "unset", "2026-03-07").returncode == 0
    assert initialised("due", "--received", "2026-03-06 09:00", "--days", "1", "--json").json()["due"] == \
        "2026-03-09T09:00:00+07:00"


def test_demo_fills_a_store(run_cli):
    result = run_cli("demo", "--count", "40", "--json")
    assert result.returncode == 0 and result.json()["created"] == 40
    assert run_cli("list", "--json").json()["total"] == 40
    assert run_cli("check").returncode == 0
    assert "không tạo thêm" in run_cli("demo", "--if-empty").stdout


def test_restore_onto_a_new_machine(initialised, tmp_path, run_cli):
    target = tmp_path / "copy.motcua-backup"
    secret = tmp_path / "pass.txt"
    secret.write_text("mật khẩu sao lưu của xã\n", encoding="utf-8")
    initialised("backup-passphrase", "--passphrase-file", str(secret), check=True)
    initialised("backup", "-o", str(target), check=True)
    import subprocess
    import sys

    from tests.conftest import cli_env

    fresh = tmp_path / "new-pc" / "data"
    proc = subprocess.run([sys.executable, "-m", "motcua", "--data-dir", str(fresh), "restore", str(target), "--json",
                           "--passphrase-file", str(secret)],
                          capture_output=True, text=True, env=cli_env())
    assert proc.returncode == 0, proc.stderr
    assert '"previous_kept_at": null' in proc.stdout
