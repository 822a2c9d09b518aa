"""Who does what, in the services: hand-over only to an active account whose role takes the next step,
an actor's roles, the step each dossier is at with its own deadline, and stopped clocks never due."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from motcua.domain.clock import iso, now, parse_moment
from motcua.domain.events import Event
from motcua.services import accounts
from motcua.services.intake import parse_intake
from motcua.services.validation import ValidationFailed
from motcua.store.check import check_store
from motcua.store.db import transaction
from motcua.store.events import commit_event
from motcua.store.queries import DossierFilter, count_dossiers, list_dossiers
from tests.conftest import intake_data


def at(text: str) -> datetime:
    return parse_moment(text)


def _events(store) -> int:
    return int(store.conn.execute("SELECT count(*) FROM events").fetchone()[0])


@pytest.fixture
def received(store):
    return store.intake(parse_intake(intake_data(received_at="2026-03-02 08:00")), "tiepnhan01").record


@pytest.mark.parametrize(("recipient", "message"), [
    ("khongtontai", "Không có tài khoản «khongtontai»"),
    ("lanhdao01", "không nhận được bước «Xử lý»"),
    ("quantri", "không nhận được bước «Xử lý»"),
    ("", "Chưa chọn người nhận"),
])
def test_handover_refusals_write_nothing(store, received, recipient, message):
    before = _events(store)
    with pytest.raises(ValidationFailed) as refused:
        store.act(received.code, "handed_over", "tiepnhan01", {"to": recipient}, at=at("2026-03-02 09:00"))
    assert message in refused.value.errors["to"]
    assert _events(store) == before


def test_handover_to_a_locked_account_writes_nothing(store, received):
    with transaction(store.conn):
        accounts.set_active(store.conn, "cc.tuphap", False)
    before = _events(store)
    with pytest.raises(ValidationFailed) as refused:
        store.act(received.code, "handed_over", "tiepnhan01", {"to": "cc.tuphap"}, at=at("2026-03-02 09:00"))
    assert "đã bị khóa" in refused.value.errors["to"]
    assert _events(store) == before


def test_a_step_the_dossier_cannot_go_to_writes_nothing(store, received):
    before = _events(store)
    with pytest.raises(ValidationFailed) as refused:
        store.act(received.code, "handed_over", "tiepnhan01", {"to": "lanhdao01", "step": "approve"},
                  at=at("2026-03-02 09:00"))
    assert "không chuyển sang bước «approve»" in refused.value.errors["step"]
    assert _events(store) == before


@pytest.mark.parametrize(("actor", "permission", "error"), [
    ("khongtontai", "handed_over", accounts.NoSuchAccount),
    ("cc.tuphap", "resolved", accounts.PermissionDenied),
    ("tiepnhan01", "resolved", accounts.PermissionDenied),
    ("cc.tuphap", accounts.INTAKE, accounts.PermissionDenied),
])
def test_an_actor_without_the_role_is_refused(store, actor, permission, error):
    with pytest.raises(error):
        accounts.acting_user(store.conn, actor, permission)


def test_several_roles_and_the_last_administrator(store):
    with transaction(store.conn):
        user = accounts.set_roles(store.conn, "tiepnhan02", ["receiver", "admin"])
    assert user.roles == ("receiver", "admin") and user.may(accounts.MANAGE_USERS) and user.may(accounts.INTAKE)
    assert accounts.acting_user(store.conn, "tiepnhan02", accounts.MANAGE_USERS).username == "tiepnhan02"
    with transaction(store.conn):
        accounts.set_roles(store.conn, "quantri", ["leader"])   # another administrator remains
    with pytest.raises(ValidationFailed), transaction(store.conn):
        accounts.set_roles(store.conn, "tiepnhan02", ["receiver"])


def test_the_default_route_with_a_deadline_per_step(store, received):
    assert (received.step, received.assigned_to) == ("receive", "tiepnhan01")
    handed = store.act(received.code, "handed_over", "tiepnhan01",
                       {"to": "CC.TuPhap ", "step_due_at": "04/03/2026 10:00"}, at=at("2026-03-02 09:00")).record
    assert (handed.step, handed.assigned_to, handed.step_due_at) == ("process", "cc.tuphap",
                                                                     "2026-03-04T10:00:00+07:00")
    signing = store.act(received.code, "handed_over", "cc.tuphap", {"to": "lanhdao01"}, at=at("2026-03-03 09:00"))
    assert (signing.record.step, signing.record.step_due_at) == ("approve", received.due_at)
    done = store.act(received.code, "resolved", "lanhdao01", {}, at=at("2026-03-03 10:00")).record
    assert (done.step, done.assigned_to) == ("return", "tiepnhan01")
    back = store.act(received.code, "returned", "tiepnhan01", {}, at=at("2026-03-03 11:00")).record
    assert back.step == "" and back.step_due_at is None
    assert check_store(store.conn, store.data_dir).ok      # the columns are exactly the fold of the events


def test_handover_dialog_options_say_who_may_take_the_step(store, received):
    options = store.handover_options(received)
    assert [o.step for o in options] == ["process"]
    assert [u.username for u in options[0].recipients] == ["cc.vanhoa", "cc.diachinh", "cc.tuphap"]  # by full name
    with transaction(store.conn):
        for name in ("cc.diachinh", "cc.vanhoa", "cc.tuphap"):
            accounts.set_active(store.conn, name, False)
    empty = store.handover_options(received)[0]
    assert not empty.recipients and empty.missing == "Chưa có tài khoản công chức chuyên môn — thêm ở Cài đặt."


def _received_due(store, due: datetime, code: str) -> str:
    """A dossier due at ``due``, received before now (the received event as the desk writes it)."""
    event = Event.new("", "received", "tiepnhan01", {
        "code": code, "procedure": {"code": "X", "name": "Chứng thực", "amount": 4, "unit": "working_hours"},
        "applicant": {"name": "Lê Thị Hoa"}, "due_at": iso(due)},
        occurred_at=min(due - timedelta(hours=1), now() - timedelta(minutes=1)))
    event = Event(event.id, event.id, event.type, event.actor, event.occurred_at, event.payload, "device-test")
    with transaction(store.conn):
        commit_event(store.conn, event)
    return event.id


def test_a_stopped_clock_is_never_due_today_nor_overdue(store):
    moment = now()
    tonight = moment.replace(hour=23, minute=59, second=0, microsecond=0)
    due_today = _received_due(store, tonight, "DUE-1")
    late = _received_due(store, moment - timedelta(days=1), "LATE-1")   # due yesterday
    today, overdue = DossierFilter(due_on=moment.date()), DossierFilter(overdue_at=moment)
    assert [r.id for r in list_dossiers(store.conn, today)] == [due_today] and count_dossiers(store.conn, today) == 1
    assert [r.id for r in list_dossiers(store.conn, overdue)] == [late]
    for dossier in (due_today, late):
        store.act(dossier, "supplement_requested", "tiepnhan01", {"reason": "Thiếu bản chính"})
    assert count_dossiers(store.conn, today) == 0 and list_dossiers(store.conn, today) == []
    assert count_dossiers(store.conn, overdue) == 0
    # Still held by the desk that asked, waiting for the citizen: mine, but not due.
    assert count_dossiers(store.conn, DossierFilter(holder="tiepnhan01")) == 2
    assert count_dossiers(store.conn, DossierFilter(holder="tiepnhan01", step_due_on=moment.date())) == 0


def test_upgrading_a_store_fills_roles_and_refolds_each_dossier(tmp_path):
    """A store from before migration 0004: its accounts keep their role, its dossiers get their step."""
    from motcua.store.db import apply_migration, available_migrations, connect, open_store, schema_version
    from motcua.store.events import append_event, load_record

    path = tmp_path / "data" / "motcua.sqlite3"
    path.parent.mkdir()
    conn = connect(path)
    for migration in available_migrations():
        if migration.version < 4:
            apply_migration(conn, migration)
    received = Event.new("", "received", "tiepnhan01", {
        "code": "OLD-1", "procedure": {"code": "X", "name": "Chứng thực", "amount": 3, "unit": "working_days"},
        "applicant": {"name": "Lê Thị Hoa"}, "due_at": "2026-02-12T17:00:00+07:00"}, occurred_at=at("2026-02-09 09:00"))
    received = Event(received.id, received.id, "received", "tiepnhan01", received.occurred_at, received.payload, "d")
    handed = Event.new(received.id, "handed_over", "tiepnhan01", {"to": "cc.tuphap", "step_due_at": "11/02/2026 10:00"},
                       occurred_at=at("2026-02-09 10:00"), device_id="d")
    with transaction(conn):
        conn.execute("INSERT INTO users (username, full_name, role, password_hash, created_at)"
                     " VALUES ('cc.tuphap', 'Trần Văn Tư', 'specialist', '', '2026-01-01')")
        for event in (received, handed):
            append_event(conn, event)
    conn.close()

    conn = open_store(path)
    try:
        assert schema_version(conn) >= 4
        roles = [tuple(r) for r in conn.execute("SELECT username, role FROM user_roles")]
        assert roles == [("cc.tuphap", "specialist")]
        record = load_record(conn, received.id)
        assert record is not None
        assert (record.step, record.assigned_to, record.step_due_at) == ("process", "cc.tuphap",
                                                                         "2026-02-11T10:00:00+07:00")
    finally:
        conn.close()


def test_a_staged_procedure_goes_to_the_province_with_its_stage_deadlines(store, tmp_path):
    import json

    from motcua.catalog import load_shipped
    from tests.forms.test_forms_counted_fees import STAGED

    catalog = tmp_path / "catalog"
    catalog.mkdir()
    (catalog / "1.010803.json").write_text(json.dumps(STAGED, ensure_ascii=False), encoding="utf-8")
    load_shipped(store.conn, catalog)
    record = store.intake(parse_intake(intake_data(procedure_code="1.010803", procedure=None,
                                                   received_at="2026-02-05 09:15")), "tiepnhan01").record
    commune, province = (s["due_at"] for s in store.stages(record))
    assert store.route(record) == ("receive", "process", "approve", "province", "return")
    processing = store.act(record.code, "handed_over", "tiepnhan01", {"to": "cc.tuphap"},
                           at=at("2026-02-05 10:00")).record
    assert processing.step_due_at == commune                       # the commune's stage deadline
    signing = store.act(record.code, "handed_over", "cc.tuphap", {"to": "lanhdao01"}, at=at("2026-02-06 10:00"))
    assert (signing.record.step, signing.record.step_due_at) == ("approve", commune)
    assert [o.step for o in store.handover_options(signing.record)] == ["province", "approve"]
    before = _events(store)
    with pytest.raises(ValidationFailed) as refused:             # the province is an agency, named
        store.act(record.code, "handed_over", "lanhdao01", {"step": "province"}, at=at("2026-02-09 10:00"))
    assert "to_unit" in refused.value.errors and _events(store) == before
    sent = store.act(record.code, "handed_over", "lanhdao01", {"step": "province", "to_unit": "Sở Nội vụ"},
                     at=at("2026-02-09 10:00")).record
    assert (sent.step, sent.assigned_to, sent.step_due_at) == ("province", "Sở Nội vụ", province)
