"""Refusal at the desk, payments, the result document, the return and the citizen's requests: each rule,
and each refusal leaving the store exactly as it was."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from motcua.domain.clock import VN_TZ, now, to_local
from motcua.domain.payments import fee_account
from motcua.domain.projection import project
from motcua.domain.states import Status, TransitionRefused
from motcua.reports.figures import compute_report, fees_collected
from motcua.reports.period import custom
from motcua.reports.verify import verify_timelines
from motcua.services.intake import parse_intake
from motcua.services.validation import ValidationFailed
from motcua.store.check import check_store
from motcua.store.events import events_of, load_record
from tests.conftest import intake_data

PROCEDURE = {"code": "2.000815", "name": "Chứng thực bản sao từ bản chính", "field": "Chứng thực", "days": 1,
             "fee_total": 14000}
RESULT = {"doc_number": "15/QĐ-UBND", "signer": "Lê Văn Hùng"}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN_TZ)


def _intake(store, received: str = "2026-03-02 08:00", **extra):
    data = intake_data(received_at=received, procedure=PROCEDURE, **extra)
    return store.intake(parse_intake(data), "tiepnhan01").record


def _count(store) -> int:
    return int(store.conn.execute("SELECT count(*) FROM events").fetchone()[0])


def _refused_and_unchanged(store, code: str, event_type: str, values: dict, key: str, *,
                           when: datetime | None = None) -> str:
    before, record = _count(store), load_record(store.conn, store.resolve_ref(code).id)
    with pytest.raises(ValidationFailed) as info:
        store.act(code, event_type, "tiepnhan01", values, at=when)
    assert key in info.value.errors, info.value.errors
    assert _count(store) == before and load_record(store.conn, record.id) == record  # nothing written
    return info.value.errors[key]


def test_refuse_at_the_desk_needs_a_reason_and_closes_the_dossier(store):
    rec = _intake(store)
    message = _refused_and_unchanged(store, rec.code, "refused", {}, "reason", when=at("2026-03-02 08:10"))
    assert "lý do từ chối" in message
    done = store.act(rec.code, "refused", "tiepnhan01", {"reason": "Hồ sơ không thuộc thẩm quyền của xã"},
                     at=at("2026-03-02 08:10")).record
    assert done.status == Status.NOT_RECEIVED and done.closing_reason == "Hồ sơ không thuộc thẩm quyền của xã"
    assert done.received_at is None and done.closed_at == "2026-03-02T08:10:00+07:00"
    assert project(events_of(store.conn, rec.id)) == done and check_store(store.conn, store.data_dir).ok
    # Never received: no report counts it.
    report = compute_report(store.conn, custom(at("2026-03-01").date(), at("2026-03-31").date()))
    assert report.total.received == 0


def test_refusal_only_before_the_dossier_moved_on(store):
    rec = _intake(store)
    store.act(rec.code, "handed_over", "tiepnhan01", {"to": "cc.tuphap"}, at=at("2026-03-02 09:00"))
    with pytest.raises(TransitionRefused, match="từ chối tiếp nhận"):
        store.act(rec.code, "refused", "tiepnhan01", {"reason": "Sai thẩm quyền"}, at=at("2026-03-02 09:10"))


def test_payment_of_the_intake_fee_and_a_payment_above_what_is_due(store):
    rec = _intake(store)
    assert rec.fee_total == 14000
    message = _refused_and_unchanged(store, rec.code, "fee_paid", {"amount": 20000, "method": "cash"}, "amount",
                                     when=at("2026-03-02 08:05"))
    assert "20.000 đ" in message and "14.000 đ" in message
    for bad, key in (({"amount": 0, "method": "cash"}, "amount"),
                     ({"amount": "mười nghìn", "method": "cash"}, "amount"),
                     ({"amount": 1000, "method": "thẻ tín dụng"}, "method"), ({"method": "cash"}, "amount"),
                     ({"amount": 1000}, "method")):
        _refused_and_unchanged(store, rec.code, "fee_paid", bad, key, when=at("2026-03-02 08:05"))
    first = store.act(rec.code, "fee_paid", "tiepnhan01", {"amount": "10.000", "method": "tiền mặt",
                                                           "receipt_number": "0000123"}, at=at("2026-03-02 08:05"))
    assert first.record.status == Status.RECEIVED                 # paying changes no state
    assert first.record.paused_since is None and first.record.due_at == rec.due_at
    _refused_and_unchanged(store, rec.code, "fee_paid", {"amount": 4001, "method": "transfer"}, "amount",
                           when=at("2026-03-02 08:06"))
    store.act(rec.code, "fee_paid", "tiepnhan01", {"amount": 4000, "method": "chuyen khoan"}, at=at("2026-03-02 08:06"))
    account = fee_account(events_of(store.conn, rec.id))
    assert (account.charged, account.paid, account.due) == (14000, 14000, 0)
    assert [(p.amount, p.method, p.receipt_number) for p in account.payments] == [
        (10000, "cash", "0000123"), (4000, "transfer", "")]
    _refused_and_unchanged(store, rec.code, "fee_paid", {"amount": 1, "method": "cash"}, "amount",
                           when=at("2026-03-02 08:07"))
    assert project(events_of(store.conn, rec.id)) == load_record(store.conn, rec.id)


def test_a_financial_obligation_adds_to_what_is_due_and_its_payment_resumes_the_clock(store):
    rec = _intake(store)
    store.act(rec.code, "handed_over", "tiepnhan01", {"to": "cc.tuphap"}, at=at("2026-03-02 09:00"))
    store.act(rec.code, "fee_requested", "cc.tuphap", {"amount": 50000}, at=at("2026-03-02 10:00"))
    _refused_and_unchanged(store, rec.code, "fee_paid", {"amount": 64001, "method": "cash"}, "amount",
                           when=at("2026-03-02 11:00"))
    paid = store.act(rec.code, "fee_paid", "tiepnhan01", {"amount": 64000, "method": "cash"},
                     at=at("2026-03-02 11:00")).record
    assert paid.status == Status.PROCESSING and paid.paused_since is None and paid.paused_seconds == 3600


def test_period_fee_total_matches_the_recorded_payments(store):
    first, second = _intake(store, "2026-03-02 08:00"), _intake(store, "2026-03-30 08:00")
    store.act(first.code, "fee_paid", "tiepnhan01", {"amount": 14000, "method": "cash"}, at=at("2026-03-02 08:05"))
    store.act(second.code, "fee_paid", "tiepnhan01", {"amount": 4000, "method": "cash"}, at=at("2026-03-31 16:00"))
    store.act(second.code, "fee_paid", "tiepnhan01", {"amount": 10000, "method": "transfer"},
              at=at("2026-04-01 08:00"))
    march = custom(at("2026-03-01").date(), at("2026-03-31").date())
    recorded = sum(int(r[0]) for r in store.conn.execute(
        "SELECT json_extract(payload, '$.amount') FROM events WHERE type = 'fee_paid' "
        "AND occurred_at >= '2026-03-01' AND occurred_at < '2026-04-01'"))
    assert recorded == 18000
    assert fees_collected(store.conn, march).amount == 18000 and fees_collected(store.conn, march).payments == 2
    assert compute_report(store.conn, march).fees.amount == 18000
    assert fees_collected(store.conn, march, field_name="Hộ tịch").amount == 0
    april = custom(at("2026-04-01").date(), at("2026-04-30").date())
    assert compute_report(store.conn, april).fees.amount == 10000


def test_report_timelines_agree_with_the_events_after_refusals_and_payments(store):
    refused, paid = _intake(store), _intake(store)
    store.act(refused.code, "refused", "tiepnhan01", {"reason": "Sai thẩm quyền"}, at=at("2026-03-02 08:30"))
    store.act(paid.code, "fee_paid", "tiepnhan01", {"amount": 14000, "method": "cash"}, at=at("2026-03-02 08:30"))
    store.act(paid.code, "resolved", "lanhdao01", RESULT, at=at("2026-03-02 10:00"))
    assert verify_timelines(store.conn) == []
    figures = compute_report(store.conn, custom(at("2026-03-01").date(), at("2026-03-31").date())).total
    assert (figures.received, figures.resolved, figures.pending) == (1, 1, 0)


def test_resolve_records_the_result_document(store):
    rec = _intake(store)
    when = at("2026-03-02 15:00")
    message = _refused_and_unchanged(store, rec.code, "resolved", {"signer": "Lê Văn Hùng"}, "doc_number", when=when)
    assert "số văn bản" in message
    _refused_and_unchanged(store, rec.code, "resolved", {"doc_number": "15/QĐ-UBND"}, "signer", when=when)
    _refused_and_unchanged(store, rec.code, "resolved", {**RESULT, "doc_date": "2026-03-03"}, "doc_date", when=when)
    _refused_and_unchanged(store, rec.code, "resolved", {**RESULT, "doc_date": "2026-03-01"}, "doc_date", when=when)
    _refused_and_unchanged(store, rec.code, "resolved", {**RESULT, "doc_date": "hôm qua"}, "doc_date", when=when)
    store.act(rec.code, "resolved", "lanhdao01", {**RESULT, "doc_date": "02/03/2026"}, at=when)
    payload = events_of(store.conn, rec.id)[-1].payload
    assert payload == {"decision": "approved", "doc_number": "15/QĐ-UBND", "doc_date": "2026-03-02",
                       "signer": "Lê Văn Hùng"}


def test_return_needs_a_receiver_and_an_id_for_someone_else(store):
    rec = _intake(store)
    store.act(rec.code, "resolved", "lanhdao01", RESULT, at=at("2026-03-02 15:00"))
    when = at("2026-03-02 16:00")
    assert "người nhận" in _refused_and_unchanged(store, rec.code, "returned", {}, "to", when=when)
    _refused_and_unchanged(store, rec.code, "returned", {"to": "Trần Văn Nam"}, "to_id_number", when=when)
    _refused_and_unchanged(store, rec.code, "returned", {"to": rec.applicant_name, "channel": "fax"}, "channel",
                           when=when)
    done = store.act(rec.code, "returned", "tiepnhan01", {"to": "Trần Văn Nam", "to_id_number": "066090001111",
                                                          "channel": "desk"}, at=when).record
    assert done.status == Status.RETURNED and done.returned_at == "2026-03-02T16:00:00+07:00"
    assert str(done.return_timeliness()) == "early"   # due 05/03


def test_return_time_typed_in_the_dialog_and_late_classification(store):
    received = to_local(now() - timedelta(days=20)).replace(hour=8, minute=0, second=0, microsecond=0)
    rec = _intake(store, received.strftime("%Y-%m-%d %H:%M"))
    store.act(rec.code, "resolved", "lanhdao01", RESULT, at=received + timedelta(days=10))
    future = now() + timedelta(hours=2)
    _refused_and_unchanged(store, rec.code, "returned", {"to": rec.applicant_name,
                                                         "at": future.strftime("%Y-%m-%d %H:%M")}, "at")
    _refused_and_unchanged(store, rec.code, "returned", {"to": rec.applicant_name, "at": "chiều nay"}, "at")
    typed = received + timedelta(days=12)
    done = store.act(rec.code, "returned", "tiepnhan01", {"to": rec.applicant_name, "channel": "post",
                                                          "at": typed.strftime("%Y-%m-%d %H:%M")}).record
    assert done.returned_at is not None and done.returned_at.startswith(typed.strftime("%Y-%m-%dT%H:%M"))
    assert str(done.return_timeliness()) == "late"


def test_a_moment_typed_to_the_minute_of_the_last_action_comes_just_after_it(store):
    """A dialog types minutes: returned in the minute the leader signed in, it is not «before» the signing."""
    received = to_local(now() - timedelta(days=2)).replace(hour=8, minute=0, second=0, microsecond=0)
    rec = _intake(store, received.strftime("%Y-%m-%d %H:%M"))
    signed = received + timedelta(days=1, hours=2, seconds=40)
    store.act(rec.code, "resolved", "lanhdao01", RESULT, at=signed)
    typed = signed.strftime("%Y-%m-%d %H:%M")                       # the same minute, seconds dropped
    done = store.act(rec.code, "returned", "tiepnhan01", {"to": rec.applicant_name, "at": typed}).record
    assert done.returned_at == signed.isoformat()
    assert [e.type for e in events_of(store.conn, rec.id)][-2:] == ["resolved", "returned"]
    earlier = (signed - timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M")   # a minute before: still refused
    rec2 = _intake(store, received.strftime("%Y-%m-%d %H:%M"))
    store.act(rec2.code, "resolved", "lanhdao01", RESULT, at=signed)
    _refused_and_unchanged(store, rec2.code, "returned", {"to": rec2.applicant_name, "at": earlier}, "at")


def test_withdrawal_and_stop_record_who_asked_and_why(store):
    rec = _intake(store)
    _refused_and_unchanged(store, rec.code, "withdrawn", {"requested_by": "Nguyễn Thị Hoa"}, "reason",
                           when=at("2026-03-02 09:00"))
    done = store.act(rec.code, "withdrawn", "tiepnhan01", {"reason": "Công dân xin rút để bổ sung giấy tờ"},
                     at=at("2026-03-02 09:00")).record
    assert done.status == Status.WITHDRAWN
    assert events_of(store.conn, rec.id)[-1].payload == {"requested_by": "Nguyễn Thị Hoa",
                                                        "reason": "Công dân xin rút để bổ sung giấy tờ"}
    other = _intake(store)
    store.act(other.code, "stopped", "lanhdao01",
              {"reason": "Người nộp đề nghị dừng", "requested_by": "Nguyễn Thị Hoa"}, at=at("2026-03-02 09:00"))
    assert events_of(store.conn, other.id)[-1].payload["requested_by"] == "Nguyễn Thị Hoa"


def test_reschedule_records_the_new_date_and_reason_and_moves_the_date_shown(store):
    rec = _intake(store)
    _refused_and_unchanged(store, rec.code, "rescheduled", {"new_due_at": "2026-03-10 17:00"}, "reason",
                           when=at("2026-03-04 08:00"))
    _refused_and_unchanged(store, rec.code, "rescheduled", {"new_due_at": "2026-03-03 07:00", "reason": "Chờ"},
                           "new_due_at", when=at("2026-03-04 08:00"))
    done = store.act(rec.code, "rescheduled", "lanhdao01", {"new_due_at": "2026-03-10 17:00",
                                                            "reason": "Chờ xác minh"}, at=at("2026-03-04 08:00")).record
    assert done.rescheduled_due_at == "2026-03-10T17:00:00+07:00" and done.due_at == rec.due_at
    assert events_of(store.conn, rec.id)[-1].payload == {"new_due_at": "2026-03-10T17:00:00+07:00",
                                                        "reason": "Chờ xác minh"}


def test_refusing_instead_of_receiving_takes_no_code_and_needs_a_reason(store):
    request = parse_intake(intake_data(procedure=PROCEDURE, id="01950000-0000-7000-8000-000000000002"))
    with pytest.raises(ValidationFailed) as info:
        store.refuse_intake(request, "  ", "tiepnhan01")
    assert set(info.value.errors) == {"reason"} and _count(store) == 0
    refused = store.refuse_intake(request, "Không thuộc thẩm quyền", "tiepnhan01").record
    assert refused.status == Status.NOT_RECEIVED and refused.code is None and refused.received_at is None
    assert refused.applicant_name == "Nguyễn Thị Hoa" and refused.closing_reason == "Không thuộc thẩm quyền"
    again = store.refuse_intake(request, "Không thuộc thẩm quyền", "tiepnhan01")
    assert not again.created and _count(store) == 1                  # the same request never refused twice
    received = _intake(store)
    assert received.code is not None and received.code.endswith("-0001")   # the day's sequence was not used
