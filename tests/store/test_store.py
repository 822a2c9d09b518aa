import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from motcua.domain.clock import VN_TZ
from motcua.domain.projection import project
from motcua.domain.states import TransitionRefused
from motcua.paths import store_file
from motcua.services.intake import parse_intake
from motcua.services.validation import ValidationFailed
from motcua.store import db as store_db
from motcua.store.check import check_store, rebuilt_records
from motcua.store.events import events_of, load_record
from tests.conftest import intake_data


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN_TZ)


def test_intake_computes_code_and_due(store):
    out = store.intake(parse_intake(intake_data(received_at="2026-02-12 09:00")), "tiepnhan01")
    assert out.record.code == "000.17.22.H56-260212-0001"
    assert out.record.due_at == "2026-02-24T09:00:00+07:00"  # 13/02, then Tết, then 23–24/02
    assert out.record.status == 2 and out.record.receiving_officer == "tiepnhan01"
    second = store.intake(parse_intake(intake_data(received_at="2026-02-12 10:00")), "tiepnhan01")
    assert second.record.code.endswith("-0002")
    next_day = store.intake(parse_intake(intake_data(received_at="2026-02-13 10:00")), "tiepnhan01")
    assert next_day.record.code == "000.17.22.H56-260213-0001"


def test_same_client_id_never_duplicates(store):
    data = intake_data(id="01950000-0000-7000-8000-000000000001")
    first = store.intake(parse_intake(data), "a")
    again = store.intake(parse_intake(data), "a")
    assert not again.created and again.record.code == first.record.code
    assert store.conn.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 1


def test_intake_validation_collects_every_problem(store):
    bad = intake_data(applicant={"name": "", "id_number": "123", "phone": "12"}, sets=0)
    with pytest.raises(ValidationFailed) as info:
        parse_intake(bad)
    assert set(info.value.errors) >= {"applicant.name", "applicant.id_number", "applicant.phone", "sets"}
    assert store.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 0


def test_lifecycle_with_pause_and_projection_rebuild(store):
    rec = store.intake(parse_intake(intake_data(received_at="2026-03-02 08:00")), "tn").record
    assert rec.due_at == "2026-03-05T08:00:00+07:00"
    store.act(rec.code, "handed_over", "tn", {"to": "cc.tuphap"}, at=at("2026-03-02 09:00"))
    store.act(rec.code, "supplement_requested", "cc.tuphap", {"reason": "Thiếu giấy chứng sinh"},
              at=at("2026-03-03 08:00"))
    paused = store.act(rec.code, "supplemented", "tn", {}, at=at("2026-03-04 08:00"))
    assert paused.record.paused_seconds == 8 * 3600
    assert paused.record.due_at == "2026-03-06T08:00:00+07:00"
    store.act(rec.code, "resolved", "cc.tuphap", {"doc_number": "1/QĐ-UBND", "signer": "Lê Văn Hùng"},
              at=at("2026-03-06 07:30"))
    done = store.act(rec.code, "returned", "tn", {"to": rec.applicant_name}, at=at("2026-03-06 10:00")).record
    assert done.status == 10 and done.timeliness == "on_time" and done.supplement_rounds == 1
    assert project(events_of(store.conn, rec.id)) == load_record(store.conn, rec.id)
    assert check_store(store.conn, store.data_dir).ok


def test_illegal_action_is_refused_and_changes_nothing(store):
    rec = store.intake(parse_intake(intake_data()), "tn").record
    with pytest.raises(TransitionRefused, match="Được tiếp nhận"):
        store.act(rec.code, "returned", "tn", {})
    with pytest.raises(ValidationFailed):
        store.act(rec.code, "stopped", "tn", {})  # reason required
    assert len(events_of(store.conn, rec.id)) == 1


def test_events_are_append_only(store):
    rec = store.intake(parse_intake(intake_data()), "tn").record
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("UPDATE events SET actor = 'someone else' WHERE dossier_id = ?", (rec.id,))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("DELETE FROM events")
    store.conn.execute("UPDATE events SET sync_state = 'sent'")  # bookkeeping may change


def test_rebuild_from_events_equals_stored_rows(store):
    from motcua.services.demo import SampleFactory

    factory = SampleFactory(seed=7)
    for i in range(60):
        moment = factory.office_moment(at(f"2026-03-{2 + i % 20:02d} 00:00"))
        rec = store.intake(parse_intake(factory.intake(moment)), "tn").record
        t = moment
        from datetime import timedelta
        for event_type, values in factory.lifecycle(rec.applicant_name):
            t += timedelta(hours=5)
            store.act(rec.id, event_type, "xl", values, at=t)
    rebuilt = rebuilt_records(store.conn)
    assert len(rebuilt) == 60
    for dossier_id, record in rebuilt.items():
        assert record == load_record(store.conn, dossier_id)


def test_check_detects_edited_row(store):
    rec = store.intake(parse_intake(intake_data()), "tn").record
    store.conn.execute("UPDATE dossiers SET applicant_name = 'Kẻ Giả Mạo' WHERE id = ?", (rec.id,))
    report = check_store(store.conn, store.data_dir)
    assert not report.ok and any("applicant_name" in p for p in report.problems)


def test_attachments_are_content_addressed_and_checked(store, tmp_path: Path):
    rec = store.intake(parse_intake(intake_data()), "tn").record
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + b"x" * 1000)
    store.attach(rec.code, scan, "tn")
    store.attach(rec.code, scan, "tn", name="bản sao.pdf")
    assert store.conn.execute("SELECT count(*) FROM attachments").fetchone()[0] == 1
    assert load_record(store.conn, rec.id).attachment_count == 2
    assert check_store(store.conn, store.data_dir).ok
    from motcua.store.attachments import AttachmentError, blob_path

    blob = blob_path(store.data_dir, store.conn.execute("SELECT sha256 FROM attachments").fetchone()[0])
    blob.write_bytes(b"%PDF-1.4\naltered")
    assert any("altered" in p for p in check_store(store.conn, store.data_dir).problems)
    blob.unlink()
    assert any("missing" in p for p in check_store(store.conn, store.data_dir).problems)
    exe = tmp_path / "virus.pdf"
    exe.write_bytes(b"MZ\x90\x00rest")
    with pytest.raises(AttachmentError, match="không phải PDF"):
        store.attach(rec.code, exe, "tn")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(AttachmentError, match="rỗng"):
        store.attach(rec.code, empty, "tn")


def test_store_newer_than_code_is_refused(data_dir: Path):
    path = store_file(data_dir)
    store_db.open_store(path).close()
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA user_version = 999")
    raw.close()
    with pytest.raises(store_db.StoreError, match="mới hơn phần mềm"):
        store_db.open_store(path)


def test_migration_runs_after_backup_and_rolls_back_on_failure(data_dir: Path, tmp_path: Path, monkeypatch):
    path = store_file(data_dir)
    store_db.open_store(path).close()
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    for m in store_db.available_migrations():
        (migrations / m.path.name).write_text(m.path.read_text(encoding="utf-8"), encoding="utf-8")
    (migrations / "0900_broken.sql").write_text("CREATE TABLE half (x);\nTHIS IS NOT SQL;", encoding="utf-8")
    monkeypatch.setattr(store_db, "migrations_dir", lambda: migrations)
    with pytest.raises(store_db.StoreError, match="rolled back"):
        store_db.open_store(path)
    conn = store_db.connect(path)
    assert store_db.schema_version(conn) < 900
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half'").fetchone()[0] == 0
    assert list((data_dir / "backups").glob("before-migration-*.sqlite3"))
    conn.close()


def test_pragmas(store):
    conn = store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_list_text_filter_by_name_words_and_by_code(store):
    first = store.intake(parse_intake(intake_data(received_at="2026-03-02 08:00")), "tn").record
    for i in range(12):
        store.intake(parse_intake(intake_data(received_at="2026-03-02 09:00",
                                              applicant={"name": f"Trần Văn Bình {i}", "id_number": "066090001234"})),
                     "tn")
    from motcua.store.queries import DossierFilter, count_dossiers

    assert count_dossiers(store.conn, DossierFilter(text=first.code)) == 1
    assert count_dossiers(store.conn, DossierFilter(text="hoa nguyen")) == 1  # words in any order
    assert count_dossiers(store.conn, DossierFilter(text="tran binh")) == 12
    assert count_dossiers(store.conn, DossierFilter(text="260302")) == 13
