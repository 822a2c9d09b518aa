"""The dossier page's outcome lines (fee, result document, return, closing reason) and what each action's
dialog starts with. Text only, no widgets: read off the record and its events."""

from __future__ import annotations

from collections.abc import Sequence

from motcua.domain.clock import parse_day
from motcua.domain.events import Event, EventType
from motcua.domain.payments import PAYMENT_METHODS, FeeAccount
from motcua.domain.projection import DossierRecord
from motcua.domain.states import Status
from motcua.forms.model import FeeLine
from motcua.i18n import tr
from motcua.services.desk import RETURN_CHANNELS
from motcua.ui.widgets.formatting import moment, money

_DECISIONS = {"approved": "Giải quyết", "denied": "Từ chối giải quyết"}


def _last(events: Sequence[Event], kind: str) -> Event | None:
    return next((e for e in reversed(events) if e.type == kind), None)


def fee_text(lines: Sequence[FeeLine], fees: FeeAccount) -> str:
    """«Phải nộp 14.000 đ — Phí chứng thực bản sao (5 trang × 2 bản): 14.000 đ · đã nộp … · đã nộp đủ»."""
    parts = [f"{line.name}: " + (money(line.amount_vnd) if line.amount_vnd is not None else tr("chưa xác định"))
             for line in lines if line.name != tr("Phí, lệ phí")]  # the receipt's generic line says nothing more
    text = tr("Phải nộp {charged}", charged=money(fees.charged))
    if parts:
        text += " — " + "; ".join(parts)
    for payment in fees.payments:
        method = tr(PAYMENT_METHODS.get(payment.method, payment.method))
        receipt = tr(", biên lai số {n}", n=payment.receipt_number) if payment.receipt_number else ""
        text += "\n" + tr("Đã nộp {amount} lúc {at} ({method}{receipt})", amount=money(payment.amount),
                          at=moment(payment.at), method=method, receipt=receipt)
    text += "\n" + (tr("Còn phải nộp {due}", due=money(fees.due)) if fees.due else tr("Đã nộp đủ"))
    return text


def outcome_texts(record: DossierRecord, events: Sequence[Event], fees: FeeAccount,
                  fee_lines: Sequence[FeeLine] = ()) -> dict[str, str]:
    """Texts of the rows that show only when they say something: fee, result, returned, closing."""
    texts: dict[str, str] = {}
    if fees.charged or fees.payments or fee_lines:
        texts["fee"] = fee_text(fee_lines, fees)
    resolved = _last(events, EventType.RESOLVED)
    if resolved is not None and record.resolved_at:
        p = resolved.payload
        text = tr(_DECISIONS.get(str(p.get("decision", "approved")), str(p.get("decision", ""))))
        if p.get("doc_number"):
            signed = f"{parse_day(str(p['doc_date'])):%d/%m/%Y}" if p.get("doc_date") else ""
            text += " — " + tr("văn bản số {number} ngày {day}, {signer} ký", number=p["doc_number"],
                               day=signed, signer=p.get("signer", ""))
        texts["result"] = text
    returned = _last(events, EventType.RETURNED)
    if returned is not None and record.returned_at:
        p = returned.payload
        text = moment(record.returned_at)
        timeliness = record.return_timeliness()
        if timeliness is not None:
            text += " — " + timeliness.label.lower()
        receiver = str(p.get("to", ""))
        if receiver:
            text += "\n" + tr("Người nhận: {name}", name=receiver)
            if p.get("to_id_number"):
                text += tr(" (số giấy tờ {n})", n=p["to_id_number"])
        channel = str(p.get("channel", ""))
        if channel:
            how = tr(RETURN_CHANNELS.get(channel, channel))
            text += "\n" + how[:1].upper() + how[1:]
        texts["returned"] = text
    if record.status in (Status.NOT_RECEIVED, Status.WITHDRAWN, Status.STOPPED) and record.closing_reason:
        closing = _last(events, {Status.NOT_RECEIVED: EventType.REFUSED, Status.WITHDRAWN: EventType.WITHDRAWN,
                                 Status.STOPPED: EventType.STOPPED}[Status(record.status)])
        who = str(closing.payload.get("requested_by", "")) if closing is not None else ""
        texts["closing"] = record.closing_reason + (("\n" + tr("Người yêu cầu: {name}", name=who)) if who else "")
    return texts


def action_prefill(event_type: str, record: DossierRecord, fees: FeeAccount) -> dict[str, str]:
    """What a dialog starts with: the applicant as the one who asks or receives, the amount still due."""
    if event_type == EventType.RETURNED:
        return {"to": record.applicant_name, "to_id_number": record.applicant_id_number,
                "channel": record.channel if record.channel in RETURN_CHANNELS else "desk"}
    if event_type == EventType.WITHDRAWN:
        return {"requested_by": record.applicant_name}
    if event_type == EventType.FEE_PAID and fees.due:
        return {"amount": str(fees.due)}
    return {}
