"""The desk's services: intake and every lifecycle action, each one atomic and returning its changes.

The CLI and the UI both call these; nothing here knows about either.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from motcua.domain.clock import iso, now, parse_day, parse_moment, to_local
from motcua.domain.events import Event, EventType
from motcua.domain.payments import PAYMENT_METHODS, fee_account, payment_method
from motcua.domain.projection import DossierRecord
from motcua.domain.states import ACTIONS, Status, transition
from motcua.domain.steps import PROVINCE, RECEIVE, STEPS, handover_targets, route_for, step_label
from motcua.domain.text import clean, fold
from motcua.i18n import tr
from motcua.services.accounts import User, check_recipient, no_one_for, users_with_role
from motcua.services.changes import Changes
from motcua.services.intake import IntakeRequest
from motcua.services.procedures import charge_fees, find_procedure, stage_deadlines, time_unset
from motcua.services.validation import Collector, ValidationFailed
from motcua.store.attachments import store_file
from motcua.store.calendar_days import load_calendar
from motcua.store.db import transaction
from motcua.store.events import commit_event, event_exists, events_of, load_record
from motcua.store.queries import find_dossier
from motcua.store.sequences import next_code
from motcua.store.settings import Settings, get_settings


class NotFound(LookupError):
    pass


class NotInitialised(RuntimeError):
    pass


@dataclass(frozen=True)
class Outcome:
    record: DossierRecord
    changes: Changes
    created: bool = True


# Per action: (payload key, label, required). Payloads carry nothing else a user typed.
_ACTION_FIELDS: dict[str, tuple[tuple[str, str, bool], ...]] = {   # keyed by EventType members
    # «to» is required for the commune's steps and optional (a contact) for the province's: see _handover.
    EventType.HANDED_OVER: (("step", "bước xử lý", False), ("to", "người nhận", False),
                            ("to_unit", "đơn vị nhận", False), ("note", "ghi chú", False),
                            ("step_due_at", "hạn của bước", False)),
    EventType.SUPPLEMENT_REQUESTED: (("reason", "lý do yêu cầu bổ sung", True),
                                     ("items", "giấy tờ cần bổ sung", False)),
    EventType.SUPPLEMENTED: (("note", "ghi chú", False), ("documents", "giấy tờ", False)),
    EventType.FEE_REQUESTED: (("amount", "số tiền", True), ("reason", "nội dung nghĩa vụ tài chính", False)),
    EventType.FEE_PAID: (("amount", "số tiền nộp", True), ("method", "hình thức nộp", True),
                         ("receipt_number", "số biên lai", False), ("note", "ghi chú", False)),
    EventType.REFUSED: (("reason", "lý do từ chối tiếp nhận", True),),
    EventType.WITHDRAWN: (("requested_by", "người yêu cầu rút hồ sơ", False), ("reason", "lý do rút hồ sơ", True)),
    EventType.STOPPED: (("requested_by", "người đề nghị dừng", False), ("reason", "lý do dừng xử lý", True)),
    EventType.RESOLVED: (("decision", "kết quả (approved/denied)", False), ("doc_number", "số văn bản kết quả", True),
                         ("doc_date", "ngày ký", False), ("signer", "người ký", True), ("note", "ghi chú", False)),
    EventType.RETURNED: (("to", "người nhận kết quả", True), ("to_id_number", "số giấy tờ của người nhận", False),
                         ("channel", "hình thức trả", False), ("note", "ghi chú", False)),
    EventType.RESCHEDULED: (("new_due_at", "ngày hẹn trả mới", True), ("reason", "lý do chậm trả", True)),
    EventType.DOCUMENTS_UPDATED: (("documents", "giấy tờ", True),),
    EventType.NOTE: (("text", "nội dung ghi chú", True),),
}

# How a result goes back to the applicant: stored value → label (source text for tr()).
RETURN_CHANNELS: dict[str, str] = {"desk": "trực tiếp tại nơi tiếp nhận hồ sơ",
                                   "post": "qua dịch vụ bưu chính công ích", "online": "trực tuyến"}
# A moment typed for an action may be a little ahead of this machine's clock (another desk's clock).
_FUTURE_SLACK = timedelta(minutes=5)


@dataclass(frozen=True)
class HandoverOption:
    step: str
    title: str
    recipients: tuple[User, ...]   # active accounts whose roles may take the step, by name
    outside: bool                  # an outside agency (the province): no account, a unit instead
    default_due: str | None
    missing: str = ""              # what to say when nobody may take it («Chưa có tài khoản … — thêm ở Cài đặt.»)


class Desk:
    def __init__(self, conn: sqlite3.Connection, data_dir: Path):
        self.conn = conn
        self.data_dir = data_dir

    # -- setup -----------------------------------------------------------------------------------
    def settings(self) -> Settings:
        return get_settings(self.conn)

    def _require_settings(self) -> Settings:
        settings = self.settings()
        if not settings.initialised:
            raise NotInitialised(tr("Chưa khai báo xã và mã cơ quan: chạy «motcua init» trước."))
        return settings

    # -- intake ----------------------------------------------------------------------------------
    def intake(self, request: IntakeRequest, actor: str) -> Outcome:
        settings = self._require_settings()
        if request.dossier_id:
            existing = load_record(self.conn, request.dossier_id)
            if existing is not None:
                return Outcome(existing, Changes(), created=False)
        procedure = request.procedure or find_procedure(self.conn, request.procedure_code)
        if procedure is None:
            raise ValidationFailed({"procedure_code": tr(
                "Không tìm thấy thủ tục mã «{code}» trong danh mục; nhập tên và thời hạn giải quyết "
                "nếu đây là thủ tục ngoài danh mục.", code=request.procedure_code)})
        if time_unset(self.conn, procedure.code):
            raise ValidationFailed({"procedure_code": tr(
                "Thủ tục «{code}» chưa có thời hạn giải quyết trong danh mục (cần tỉnh xác nhận); chưa tiếp nhận "
                "được cho đến khi thời hạn được ghi vào danh mục.", code=procedure.code)})
        received_at = to_local(request.received_at or now())
        calendar = load_calendar(self.conn)
        due_at = calendar.due(received_at, procedure.amount, procedure.unit, procedure.cutoff)
        fee_total, fee_lines = charge_fees(procedure, request.fee_quantities)
        dossier_id = request.dossier_id or Event.new("", EventType.RECEIVED, actor).id
        with transaction(self.conn):
            if request.dossier_id and load_record(self.conn, dossier_id) is not None:
                existing = load_record(self.conn, dossier_id)
                assert existing is not None
                return Outcome(existing, Changes(), created=False)
            code = next_code(self.conn, settings.code_scheme(), received_at.date())
            payload = {
                "code": code,
                "channel": request.channel,
                "procedure": procedure.as_payload(),
                "applicant": request.applicant.as_payload(),
                "summary": request.summary,
                "documents": [dict(d) for d in request.documents],
                "sets": request.sets,
                "return_place": request.return_place or settings.return_place,
                "fee_total": fee_total,
                "due_at": iso(due_at),
            }
            if fee_lines:
                payload["fees"] = fee_lines
            if procedure.stages:
                payload["stages"] = stage_deadlines(calendar, received_at, procedure.stages)
            event = Event.new(dossier_id, EventType.RECEIVED, actor, payload, occurred_at=received_at,
                              device_id=settings.device_id)
            record = commit_event(self.conn, event, record=None)
        return Outcome(record, Changes(frozenset({dossier_id}), dossiers=True))

    def refuse_intake(self, request: IntakeRequest, reason: str, actor: str) -> Outcome:
        """Refuse at the desk instead of receiving (Mẫu 03): the dossier is recorded as not received,
        with what was presented and why; it takes no code (the day's sequence is for received dossiers)."""
        settings = self._require_settings()
        reason = clean(reason)
        if not reason:
            raise ValidationFailed({"reason": tr("Chưa nhập {label}.", label=tr("lý do từ chối tiếp nhận"))})
        if request.dossier_id:
            existing = load_record(self.conn, request.dossier_id)
            if existing is not None:
                return Outcome(existing, Changes(), created=False)
        procedure = request.procedure or find_procedure(self.conn, request.procedure_code)
        if procedure is None:
            raise ValidationFailed({"procedure_code": tr(
                "Không tìm thấy thủ tục mã «{code}» trong danh mục.", code=request.procedure_code)})
        payload = {"channel": request.channel, "procedure": procedure.as_payload(),
                   "applicant": request.applicant.as_payload(), "summary": request.summary,
                   "documents": [dict(d) for d in request.documents], "sets": request.sets, "reason": reason}
        dossier_id = request.dossier_id or Event.new("", EventType.REFUSED, actor).id
        with transaction(self.conn):
            if load_record(self.conn, dossier_id) is not None:
                existing = load_record(self.conn, dossier_id)
                assert existing is not None
                return Outcome(existing, Changes(), created=False)
            event = Event.new(dossier_id, EventType.REFUSED, actor, payload, device_id=settings.device_id)
            record = commit_event(self.conn, event, record=None)
        return Outcome(record, Changes(frozenset({dossier_id}), dossiers=True))

    # -- lifecycle -------------------------------------------------------------------------------
    def resolve_ref(self, ref: str) -> DossierRecord:
        record = find_dossier(self.conn, ref)
        if record is None:
            raise NotFound(tr("Không tìm thấy hồ sơ «{ref}».", ref=ref))
        return record

    def act(self, ref: str, event_type: str, actor: str, values: Mapping[str, Any] | None = None,
            *, at: datetime | None = None, event_id: str | None = None) -> Outcome:
        """Record a lifecycle action on a dossier (by id or code)."""
        if event_type not in _ACTION_FIELDS:
            raise ValidationFailed({"action": tr("Không có thao tác «{t}».", t=event_type)})
        settings = self.settings()
        values = dict(values or {})
        typed_minute = "at" in values and at is None
        if "at" in values:  # the moment typed in a dialog (e.g. when the result was handed back)
            typed = values.pop("at")
            try:
                at = at or parse_moment(str(typed))
            except ValueError:
                raise ValidationFailed({"at": tr("Thời điểm «{at}» không đúng dạng ngày giờ (dd/mm/yyyy hh:mm).",
                                                 at=typed)}) from None
            if at > now() + _FUTURE_SLACK:
                raise ValidationFailed({"at": tr("Thời điểm thực hiện không được sau thời điểm hiện tại.")})
        moment = to_local(at or now())
        with transaction(self.conn):
            record = self.resolve_ref(ref)
            if event_id and event_exists(self.conn, event_id):
                return Outcome(record, Changes(), created=False)
            transition(record.state, event_type)  # refuse early, with the state named
            last = parse_moment(record.updated_at) if record.updated_at else None
            if last is not None and typed_minute and last.replace(second=0, microsecond=0) <= moment < last:
                moment = last  # typed to the minute, in the minute of the last action: just after it
            if last is not None and moment < last:
                raise ValidationFailed({"at": tr(
                    "Thời điểm thực hiện ({at}) không được trước thao tác gần nhất của hồ sơ ({last}).",
                    at=iso(moment), last=record.updated_at)})
            payload = self._payload(event_type, record, values, moment)
            event = Event(event_id or Event.new(record.id, event_type, actor).id, record.id, event_type, actor,
                          moment, payload, settings.device_id)
            updated = commit_event(self.conn, event, record=record)
        return Outcome(updated, Changes(frozenset({record.id}), dossiers=True))

    def _payload(self, event_type: str, record: DossierRecord, values: dict[str, Any],
                 moment: datetime) -> dict[str, Any]:
        errors = Collector()
        payload: dict[str, Any] = {}
        for key, label, required in _ACTION_FIELDS[event_type]:
            value = values.get(key)
            if isinstance(value, str):
                value = clean(value)
            if required:
                errors.require(key, value, tr(label))
            if value not in (None, "", []):
                payload[key] = value
        unknown = set(values) - {k for k, _, _ in _ACTION_FIELDS[event_type]}
        if unknown:
            errors.add("values", tr("Không dùng được trường: {names}.", names=", ".join(sorted(unknown))))
        if (event_type == EventType.RESOLVED
                and payload.setdefault("decision", "approved") not in ("approved", "denied")):
            errors.add("decision", tr("Kết quả phải là approved (giải quyết) hoặc denied (từ chối giải quyết)."))
        errors.raise_if_any()
        if event_type == EventType.HANDED_OVER:
            payload = self._handover(record, payload)
        if event_type == EventType.FEE_REQUESTED:
            try:
                payload["amount"] = int(payload["amount"])
                if payload["amount"] < 0:
                    raise ValueError
            except (TypeError, ValueError):
                raise ValidationFailed({"amount": tr("Số tiền phải là số nguyên không âm (đồng).")}) from None
        if event_type == EventType.RESOLVED:
            self._check_result_document(payload, record, moment)
        if event_type == EventType.FEE_PAID:
            self._check_payment(payload, record)
        if event_type == EventType.RETURNED:
            self._check_receiver(payload, record)
        if event_type == EventType.WITHDRAWN:
            payload.setdefault("requested_by", record.applicant_name)  # the applicant, unless told otherwise
        if event_type == EventType.RESCHEDULED:
            try:
                new_due = parse_moment(str(payload["new_due_at"]))
            except ValueError as exc:
                raise ValidationFailed({"new_due_at": str(exc)}) from None
            if record.due_at and new_due <= parse_moment(record.due_at):
                raise ValidationFailed({"new_due_at": tr("Ngày hẹn mới phải sau hạn trả hiện tại.")})
            payload["new_due_at"] = iso(new_due)
        resumes = event_type == EventType.SUPPLEMENTED or (event_type == EventType.FEE_PAID
                                                           and record.state is Status.FINANCIAL_OBLIGATION)
        if resumes and record.paused_since and record.due_at:
            calendar = load_calendar(self.conn)
            paused_from = parse_moment(record.paused_since)
            resumed = max(moment, paused_from)
            payload["paused_seconds"] = calendar.working_seconds_between(paused_from, resumed)
            payload["due_at"] = iso(calendar.extend_for_pause(parse_moment(record.due_at), paused_from, resumed))
        return payload

    def _check_result_document(self, payload: dict[str, Any], record: DossierRecord, moment: datetime) -> None:
        """The result document: its number and signer typed, its date a real day not after the decision."""
        try:
            signed = parse_day(str(payload.get("doc_date") or moment.date().isoformat()))
        except ValueError:
            raise ValidationFailed({"doc_date": tr("Ngày ký «{d}» không đúng dạng ngày (dd/mm/yyyy).",
                                                   d=payload.get("doc_date"))}) from None
        if signed > moment.date():
            raise ValidationFailed({"doc_date": tr("Ngày ký văn bản kết quả không được sau ngày giải quyết "
                                                   "({day:%d/%m/%Y}).", day=moment.date())})
        received = parse_moment(record.received_at).date() if record.received_at else None
        if received is not None and signed < received:
            raise ValidationFailed({"doc_date": tr("Ngày ký văn bản kết quả không được trước ngày tiếp nhận "
                                                   "hồ sơ ({day:%d/%m/%Y}).", day=received)})
        payload["doc_date"] = signed.isoformat()

    def _check_payment(self, payload: dict[str, Any], record: DossierRecord) -> None:
        """A payment: a whole number of đồng, a known method, never more than what is still due."""
        try:
            amount = int(str(payload["amount"]).replace(".", "").replace(" ", ""))
        except ValueError:
            amount = -1
        # Confirming a financial obligation met elsewhere may carry 0; a payment at the desk carries money.
        least = 0 if record.state is Status.FINANCIAL_OBLIGATION else 1
        if amount < least:
            raise ValidationFailed({"amount": tr("Số tiền nộp phải là số nguyên dương (đồng).")})
        method = payment_method(str(payload["method"]))
        if method is None:
            raise ValidationFailed({"method": tr("Hình thức nộp phải là: {names}.", names=", ".join(
                tr(label) for label in PAYMENT_METHODS.values()))})
        account = fee_account(events_of(self.conn, record.id))
        if amount > account.due:
            raise ValidationFailed({"amount": tr(
                "Số tiền nộp ({amount}) lớn hơn số còn phải nộp ({due}): phải nộp {charged}, đã nộp {paid}.",
                amount=_money(amount), due=_money(account.due), charged=_money(account.charged),
                paid=_money(account.paid))})
        payload["amount"], payload["method"] = amount, method

    def _check_receiver(self, payload: dict[str, Any], record: DossierRecord) -> None:
        """Who took the result and how: someone other than the applicant, at the desk, shows an ID."""
        channel = payload.setdefault("channel", "desk")
        if channel not in RETURN_CHANNELS:
            raise ValidationFailed({"channel": tr("Hình thức trả phải là: {names}.", names=", ".join(
                f"{value} ({tr(label)})" for value, label in RETURN_CHANNELS.items()))})
        someone_else = fold(str(payload["to"])) != fold(record.applicant_name)
        if channel == "desk" and someone_else and not payload.get("to_id_number"):
            raise ValidationFailed({"to_id_number": tr(
                "Người nhận thay người nộp hồ sơ phải có số giấy tờ tùy thân (CCCD/CMND) và giấy ủy quyền.")})

    def route(self, record: DossierRecord) -> tuple[str, ...]:
        return route_for(len(self.stages(record)) > 1)

    def stages(self, record: DossierRecord) -> list[dict[str, Any]]:
        """The stage deadlines computed at intake (staged procedures), from the received event."""
        received = next((e for e in events_of(self.conn, record.id) if e.type == EventType.RECEIVED), None)
        stages = received.payload.get("stages") if received is not None else None
        return [s for s in stages if isinstance(s, dict) and s.get("due_at")] if isinstance(stages, list) else []

    def handover_targets(self, record: DossierRecord) -> list[str]:
        """The steps a hand-over may send this dossier to (the next one first)."""
        return handover_targets(self.route(record), record.step or RECEIVE)

    def handover_options(self, record: DossierRecord) -> list[HandoverOption]:
        """What a hand-over dialog offers: per step it may go to, the active accounts that may take it."""
        options = []
        for key in self.handover_targets(record):
            step = STEPS[key]
            people = users_with_role(self.conn, step.roles) if step.roles else []
            options.append(HandoverOption(key, step.title, tuple(people), step.outside,
                                          self.default_step_due(record, key),
                                          "" if people or step.outside else no_one_for(step.roles)))
        return options

    def default_step_due(self, record: DossierRecord, step: str) -> str | None:
        """A step's deadline unless one is typed: the commune's stage deadline for the commune's steps of a
        staged procedure, the province's for the province step, otherwise the dossier's own."""
        stages = self.stages(record)
        if len(stages) > 1:
            return str(stages[-1]["due_at"] if step == PROVINCE else stages[0]["due_at"])
        return record.rescheduled_due_at or record.due_at

    def _handover(self, record: DossierRecord, payload: dict[str, Any]) -> dict[str, Any]:
        """Check a hand-over: the step is one this dossier may go to, the recipient an active account
        whose role may take it (an agency for the province step); fill in the step and its deadline."""
        targets = self.handover_targets(record)
        target = str(payload.get("step") or (targets[0] if targets else ""))
        if target not in targets:
            names = ", ".join(f"{t} ({step_label(t)})" for t in targets) or tr("không có")
            raise ValidationFailed({"step": tr("Hồ sơ đang ở bước «{current}», không chuyển sang bước «{step}» "
                                               "được; chọn: {names}.", current=step_label(record.step or RECEIVE),
                                               step=target, names=names)})
        step = STEPS[target]
        if step.outside:
            if not payload.get("to_unit"):
                raise ValidationFailed({"to_unit": tr("Chưa nhập đơn vị nhận (cơ quan cấp tỉnh).")})
        else:
            payload["to"] = check_recipient(self.conn, str(payload.get("to", "")), step.roles, step.title).username
        if payload.get("step_due_at"):
            try:
                payload["step_due_at"] = iso(parse_moment(str(payload["step_due_at"])))
            except ValueError:
                raise ValidationFailed({"step_due_at": tr("Hạn của bước viết dd/mm/yyyy hh:mm, ví dụ 05/03/2026 "
                                                          "17:00.")}) from None
        else:
            default = self.default_step_due(record, target)
            if default:
                payload["step_due_at"] = default
        payload["step"] = target
        return payload

    # -- attachments -----------------------------------------------------------------------------
    def attach(self, ref: str, path: Path, actor: str, *, name: str | None = None) -> Outcome:
        settings = self.settings()
        with transaction(self.conn):
            record = self.resolve_ref(ref)
            transition(record.state, EventType.ATTACHMENT_ADDED)
            stored = store_file(self.conn, self.data_dir, path, max_bytes=settings.max_attachment_mb * 1_000_000)
            payload = {"sha256": stored.sha256, "name": clean(name or path.name), "size": stored.size,
                       "mime": stored.mime}
            event = Event.new(record.id, EventType.ATTACHMENT_ADDED, actor, payload, device_id=settings.device_id)
            updated = commit_event(self.conn, event, record=record)
        return Outcome(updated, Changes(frozenset({record.id}), dossiers=True))


def action_fields(event_type: str) -> tuple[tuple[str, str, bool], ...]:
    return _ACTION_FIELDS[event_type]


def lifecycle_actions() -> list[str]:
    return [t for t in _ACTION_FIELDS if t in ACTIONS]


def status_label(status: int) -> str:
    return Status(status).label


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đ"
